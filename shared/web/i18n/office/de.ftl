# Registration offices: the officers' console, the activation letter, the citizen's activation, its mail.

office-login-title = Registrierungsstelle: Anmeldung
office-login-intro = Für Mitarbeiterinnen und Mitarbeiter einer Registrierungsstelle. Melden Sie sich mit Ihrer Personalnummer, Ihrem Passwort und einem Code Ihrer Authenticator-App an.
field-officer-id = Personalnummer
field-officer-password = Passwort
field-officer-code = Code Ihrer Authenticator-App
msg-office-login-wrong = Die Personalnummer, das Passwort oder der Code ist nicht richtig. Versuchen Sie es mit einem neuen Code erneut.
msg-office-locked = Zu viele fehlgeschlagene Versuche. Versuchen Sie es in { $minutes ->
    [one] 1 Minute
   *[other] { $minutes } Minuten
} erneut.
msg-office-no-role = Ihrem Konto fehlt die Berechtigung für die Registrierungsstelle. Wenden Sie sich an Ihren Administrator.
office-sign-out = Von der Konsole abmelden
office-signed-in = Angemeldet als { $name }
office-find-title = Person suchen
office-find-intro = Prüfen Sie zuerst vor Ort den Personalausweis oder Reisepass der Person. Suchen Sie die Person dann anhand einer dieser Angaben.
field-find-by = Suchen nach
office-by-username = Benutzername
office-by-email = E-Mail-Adresse
office-by-nrn = Nationalregisternummer
office-by-card = Seriennummer der Token-Karte
field-find-value = Angabe der Person
button-find = Suchen
msg-office-not-found = Es wurde keine Person gefunden. Prüfen Sie Ihre Eingabe oder registrieren Sie die Person.
msg-office-find-empty = Geben Sie die Angabe der Person ein.
msg-office-nrn-invalid = Das ist keine gültige Nationalregisternummer.
office-enrol-link = Neue Person registrieren
office-citizen-title = Person
office-pending = Bei einer Registrierungsstelle registriert. Die Person hat noch keinen Benutzernamen gewählt.
office-fact-name = Name
office-fact-username = Benutzername
office-fact-email = E-Mail-Adresse
office-fact-lang = Sprache
office-fact-login = Anmeldung
office-locked-for = Noch { $minutes ->
    [one] 1 Minute
   *[other] { $minutes } Minuten
} gesperrt
office-not-locked = Nicht gesperrt
office-keys-caption = Die digitalen Schlüssel der Person
office-logins-heading = Letzte Anmeldungen
office-login-line = { $date }, { $time }: { $key }
office-no-logins = Noch keine Anmeldungen.
office-letter-heading = Aktivierungsbrief
office-letter-none = Es wurde kein Aktivierungsbrief ausgestellt.
office-letter-status = { $state }. Ausgestellt am { $issued } von { $officer }, gültig bis zum { $until }.
office-letter-state-issued = Ausgestellt, noch nicht verwendet
office-letter-state-verified = Code eingegeben, Benutzername und Passwort noch nicht gewählt
office-letter-state-used = Verwendet
office-letter-state-revoked = Widerrufen
office-letter-state-expired = Abgelaufen
office-letter-state-exhausted = Gesperrt nach zu vielen falschen Codes
button-unlock = Anmeldung entsperren
msg-office-unlocked = Die Anmeldung der Person ist entsperrt.
msg-office-was-not-locked = Die Anmeldung der Person war nicht gesperrt.
office-issue-intro = Stellen Sie einen Aktivierungsbrief aus: einen Code, den Sie ausdrucken und übergeben, und einen Link, der an die persönliche E-Mail-Adresse der Person gesendet wird. Ein früherer Brief funktioniert dann nicht mehr. Bestätigen Sie mit einem neuen Code Ihrer Authenticator-App.
button-issue = Aktivierungsbrief ausstellen
msg-office-step-up-wrong = Dieser Code ist nicht richtig oder wurde bereits verwendet. Warten Sie auf den nächsten Code und versuchen Sie es erneut.
button-revoke = Brief widerrufen
msg-office-revoked = Der Brief ist widerrufen: Sein Code funktioniert nicht mehr.
msg-office-nothing-to-revoke = Es gibt keinen Brief, der noch funktioniert.
office-enrol-title = Neue Person registrieren
office-enrol-intro = Nur nachdem Sie vor Ort den Personalausweis oder Reisepass der Person geprüft haben. Eine persönliche E-Mail-Adresse ist erforderlich.
field-office-name = Vollständiger Name
field-office-email = Persönliche E-Mail-Adresse
field-office-lang = Sprache
field-office-nrn = Nationalregisternummer
button-enrol = Registrieren
msg-office-name-invalid = Geben Sie den vollständigen Namen der Person ein.
msg-office-email-invalid = Geben Sie eine persönliche E-Mail-Adresse ein, wie name@beispiel.be.
msg-office-nrn-taken = Eine Person mit dieser Nationalregisternummer ist bereits bekannt. Suchen Sie stattdessen diese Person.
msg-office-enrolled = Die Person ist registriert. Stellen Sie jetzt den Aktivierungsbrief aus.
office-back = Zurück zur Suche
office-back-citizen = Zurück zur Person
office-print-hint = Drucken Sie diese Seite mit dem Druckbefehl Ihres Browsers (Ctrl+P) aus und übergeben Sie sie der Person. Der Code wird nur jetzt angezeigt.
msg-office-forbidden = Diese Seite ist für Mitarbeiterinnen und Mitarbeiter einer Registrierungsstelle.

letter-title = Ihr Aktivierungscode
letter-greeting = Guten Tag { $name },
letter-intro = Sie haben bei der Registrierungsstelle einen digitalen Schlüssel beantragt. Dieser Brief enthält Ihren Aktivierungscode.
letter-code-label = Aktivierungscode
letter-how-new = Wir haben einen Link an { $email } gesendet. Öffnen Sie ihn, geben Sie diesen Code ein und wählen Sie einen Benutzernamen und ein Passwort. Aktivieren Sie dann einen zweiten Schlüssel: einen Sicherheitscode per E-Mail oder per mobiler App.
letter-how-existing = Wir haben einen Link an { $email } gesendet. Öffnen Sie ihn, geben Sie diesen Code ein und wählen Sie ein neues Passwort. Ihr Benutzername ist { $username }. Aktivieren Sie dann einen zweiten Schlüssel: einen Sicherheitscode per E-Mail oder per mobiler App.
letter-valid = Der Code funktioniert einmal, bis zum { $date }. Nach fünf falschen Versuchen funktioniert er nicht mehr.
letter-keep = Behalten Sie diesen Brief für sich. Niemand wird Sie jemals nach diesem Code fragen, auch nicht der Helpdesk.
letter-help = Brief oder E-Mail verloren? Gehen Sie erneut zu einer Registrierungsstelle oder rufen Sie den Helpdesk an: { $contact }.

activation-title = Aktivieren Sie Ihren digitalen Schlüssel
activation-intro = Geben Sie den Aktivierungscode ein, der auf dem Brief steht, den Sie bei der Registrierungsstelle erhalten haben.
field-activation-code = Aktivierungscode
msg-letter-unknown = Dieser Link funktioniert nicht. Verwenden Sie den Link aus der neuesten E-Mail oder fordern Sie bei einer Registrierungsstelle einen neuen Brief an.
msg-letter-expired = Dieser Aktivierungscode ist abgelaufen. Fordern Sie bei einer Registrierungsstelle einen neuen Brief an.
msg-letter-used = Dieser Aktivierungscode wurde bereits verwendet. Melden Sie sich mit Ihrem Benutzernamen und Ihrem Passwort an.
msg-letter-revoked = Dieser Aktivierungscode wurde widerrufen. Fordern Sie bei einer Registrierungsstelle einen neuen Brief an.
msg-letter-exhausted = Der Code wurde zu oft falsch eingegeben und funktioniert daher nicht mehr. Fordern Sie bei einer Registrierungsstelle einen neuen Brief an.
msg-letter-wrong = Das ist nicht der Code auf Ihrem Brief. { $left ->
    [one] Noch 1 Versuch.
   *[other] Noch { $left } Versuche.
}
msg-letter-code-empty = Geben Sie den Aktivierungscode aus Ihrem Brief ein.
msg-letter-again = Geben Sie Ihren Aktivierungscode erneut ein: Es sind mehr als 15 Minuten vergangen.
activation-account-title = Wählen Sie Ihren Benutzernamen und Ihr Passwort
activation-password-title = Wählen Sie ein neues Passwort
activation-account-intro = Damit melden Sie sich ab jetzt an, zusammen mit dem zweiten Schlüssel, den Sie als Nächstes aktivieren.
activation-your-username = Ihr Benutzername
field-new-username = Benutzername
msg-username-taken = Dieser Benutzername ist bereits vergeben. Wählen Sie einen anderen.
button-activation-account = Weiter: einen digitalen Schlüssel aktivieren

mail-letter-subject = Aktivieren Sie Ihren digitalen Schlüssel
mail-letter-body = Sie haben bei der Registrierungsstelle einen Brief mit einem Aktivierungscode erhalten. Öffnen Sie diesen Link und geben Sie den Code ein:
mail-letter-valid = Der Link und der Code funktionieren bis zum { $date }.
mail-letter-not-you = Waren Sie nicht bei einer Registrierungsstelle? Verwenden Sie den Link nicht und rufen Sie den Helpdesk an: { $contact }.
