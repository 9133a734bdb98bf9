# Digitale Schlüssel, Deutsch.

service-name = Digitale Schlüssel
skip-to-content = Zum Hauptinhalt springen
language-switch = Sprache
wizard-progress = Schritte zur Aktivierung Ihres digitalen Schlüssels
errors-title = Fehler
footer-personal = Ihre digitalen Schlüssel sind streng persönlich. Geben Sie Ihr Passwort oder Ihre Sicherheitscodes niemals weiter, auch nicht an jemanden, der behauptet, für uns zu arbeiten.
wizard-step-email = E-Mail-Adresse bestätigen
wizard-step-select = Digitalen Schlüssel auswählen
wizard-step-activate = Digitalen Schlüssel aktivieren
wizard-step-done = Bestätigung

button-back = Zurück
button-continue = Weiter
button-cancel = Abbrechen
button-login = Anmelden
button-resend = Neuen Code senden
button-sign-out = Abmelden
button-sign-out-everywhere = Auf allen Geräten abmelden

error-title = Etwas ist schiefgelaufen

key-token = Sicherheitscode per Token
key-email = Sicherheitscode per E-Mail
key-app = Sicherheitscode per mobiler App
key-token-hint = Die Token-Karte aus Papier wird abgeschafft.
key-email-hint = Wir senden Ihnen bei jeder Anmeldung einen Code an Ihre E-Mail-Adresse.
key-app-hint = Eine Authentifizierungs-App auf Ihrem Smartphone zeigt den Code an.

login-title = Mit Ihrem digitalen Schlüssel anmelden
login-intro = Geben Sie Ihren Benutzernamen und Ihr Passwort ein und wählen Sie dann den digitalen Schlüssel, mit dem Sie sich anmelden möchten.
login-personal = Ihr digitaler Schlüssel ist streng persönlich. Den digitalen Schlüssel einer anderen Person zu verwenden, ist eine Straftat.
field-username = Benutzername
field-password = Passwort
field-key = Wählen Sie Ihren digitalen Schlüssel
field-code = Sicherheitscode
login-keys-link = Meine digitalen Schlüssel

login-token-title = Sicherheitscode per Token
login-token-ask = Geben Sie den Sicherheitscode Nummer { $n } Ihrer Karte ein.
login-token-hint = Die nummerierten Codes finden Sie auf Ihrer Token-Karte aus Papier.

notice-title = Der Token wird abgeschafft
notice-text = Ab dem { $date } können Sie sich nicht mehr mit Ihrem Token (der Papierkarte mit Sicherheitscodes) anmelden. Aktivieren Sie jetzt einen neuen digitalen Schlüssel: Das dauert nur wenige Minuten.
notice-activate = Jetzt einen neuen digitalen Schlüssel aktivieren (empfohlen)
notice-other = Mit einem anderen digitalen Schlüssel anmelden
notice-close = ×
notice-close-label = Diesen Hinweis schließen und mit dem Token fortfahren

unavailable-title = Mit diesem Schlüssel können Sie sich nicht anmelden
unavailable-text = Sie verfügen nicht über diesen digitalen Schlüssel (Sicherheitscode per Token) oder der Schlüssel ist möglicherweise abgelaufen. Melden Sie sich mit einem anderen Schlüssel an oder aktivieren Sie diesen digitalen Schlüssel unter Meine digitalen Schlüssel.
unavailable-other-key = Haben Sie einen anderen digitalen Schlüssel, einen Sicherheitscode per E-Mail oder per App? Melden Sie sich mit diesem Schlüssel an; Passwort vergessen? Wählen Sie „Passwort vergessen?“ und setzen Sie mit diesem Schlüssel ein neues.
unavailable-office = War der Token Ihr einziger digitaler Schlüssel? Einen neuen digitalen Schlüssel erhalten Sie bei einer Registrierungsstelle: Bringen Sie Ihren Personalausweis oder Reisepass und Ihre persönliche E-Mail-Adresse mit.
unavailable-help = Fragen? Wenden Sie sich an den Helpdesk Digitale Schlüssel: { $contact }.
login-token-ended = Seit dem { $date } können Sie sich nicht mehr mit der Token-Papierkarte anmelden.
login-token-ended-link = Kein anderer digitaler Schlüssel? Was tun

login-email-title = Sicherheitscode per E-Mail
login-email-sent = Wir haben einen Sicherheitscode an Ihre E-Mail-Adresse gesendet. Geben Sie ihn unten ein.
login-app-title = Sicherheitscode per mobiler App
login-app-ask = Öffnen Sie Ihre Authentifizierungs-App und geben Sie den angezeigten 6-stelligen Code ein.

keys-title = Meine digitalen Schlüssel
keys-intro = Dies sind Ihre digitalen Schlüssel und ihr Status.
keys-caption = Ihre digitalen Schlüssel
keys-col-key = Digitaler Schlüssel
keys-col-state = Status
keys-col-since = Seit
state-active = Aktiv
state-inactive = Nicht aktiv
keys-activate = Einen neuen digitalen Schlüssel aktivieren

logged-out-title = Sie sind abgemeldet
logged-out-text = Ihre Sitzung wurde beendet. Schließen Sie Ihren Browser, wenn Sie einen gemeinsam genutzten Computer verwenden.
logged-out-login = Erneut anmelden


msg-login-failed = Der Benutzername oder das Passwort ist falsch.
msg-username-invalid = Ein Benutzername enthält nur Buchstaben, Ziffern und . - _ @ ' eines Alphabets, ohne Leerzeichen.
msg-login-too-many = Zu viele fehlgeschlagene Anmeldungen aus Ihrem Netzwerk. Versuchen Sie es in einer Stunde erneut.
msg-login-again = Melden Sie sich zu Ihrer Sicherheit erneut an, bevor Sie Ihre E-Mail-Adresse ändern oder einen digitalen Schlüssel aktivieren.
msg-login-locked = Zu viele Versuche. Versuchen Sie es in { $minutes ->
    [one] 1 Minute
   *[other] { $minutes } Minuten
} erneut.
msg-rate-limited = Zu viele Anfragen aus Ihrem Netzwerk. Warten Sie eine Minute und versuchen Sie es erneut.
msg-code-invalid = Dieser Sicherheitscode ist falsch.
msg-field-required = Füllen Sie dieses Feld aus.
msg-key-unknown = Wählen Sie einen der digitalen Schlüssel.
msg-key-not-active = Sie haben diesen digitalen Schlüssel nicht aktiviert. Melden Sie sich mit einem anderen Schlüssel an.
msg-flow-expired = Ihre Anmeldung hat zu lange gedauert. Beginnen Sie erneut.
msg-session-expired = Ihre Sitzung wurde beendet. Melden Sie sich erneut an.
msg-csrf-invalid = Dieses Formular ist abgelaufen. Gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es erneut.
msg-input-invalid = Das Formular enthält etwas, das wir nicht annehmen können.
msg-input-too-large = Das Formular ist zu groß.
msg-input-not-a-form = Diese Adresse nimmt nur ein Formular an.
msg-page-not-found = Diese Seite gibt es nicht.
msg-page-method-not-allowed = Diese Seite kann so nicht verwendet werden.
msg-internal = Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es später erneut.
msg-unavailable = Der Dienst ist vorübergehend nicht verfügbar. Bitte versuchen Sie es gleich noch einmal.
msg-signed-out = Sie sind abgemeldet.
msg-token-unavailable = Sie verfügen nicht über diesen digitalen Schlüssel (Sicherheitscode per Token) oder der Schlüssel ist möglicherweise abgelaufen. Melden Sie sich mit einem anderen Schlüssel an oder aktivieren Sie diesen digitalen Schlüssel unter Meine digitalen Schlüssel.
msg-token-ended = Seit dem { $date } funktioniert die Token-Papierkarte nicht mehr: Niemand kann sich mehr mit einem Token anmelden.

button-confirm = Bestätigen
button-end-session = Sitzung beenden
keys-back = Zu Meine digitalen Schlüssel

wizard-email-title = Bestätigen Sie Ihre E-Mail-Adresse
wizard-email-intro = Wir verwenden diese Adresse, um Ihnen Sicherheitscodes zu senden und Sie zu informieren, wenn sich etwas an Ihren digitalen Schlüsseln ändert.
field-email-current = Ihre E-Mail-Adresse
field-email-new = Neue E-Mail-Adresse
wizard-verify-title = Bestätigen Sie Ihre neue E-Mail-Adresse
wizard-verify-sent = Wir haben einen Code an { $address } gesendet. Geben Sie ihn unten ein, um diese Adresse zu bestätigen. Der Code ist { $minutes ->
    [one] 1 Minute
   *[other] { $minutes } Minuten
} gültig.
wizard-junk = Keinen Code erhalten? Sehen Sie in Ihrem Spam-Ordner nach. Kommt kein Code an, klicken Sie auf Abbrechen und fordern Sie einen neuen Code an.
wizard-select-title = Wählen Sie Ihren digitalen Schlüssel
wizard-select-intro = Beide digitalen Schlüssel sind sicher und empfohlen. Wählen Sie den, der am besten zu Ihnen passt.
wizard-code-title = Aktivieren Sie Ihren digitalen Schlüssel: Sicherheitscode per E-Mail
wizard-code-sent = Wir haben einen Registrierungscode an { $address } gesendet. Geben Sie ihn unten ein. Der Code ist { $minutes ->
    [one] 1 Minute
   *[other] { $minutes } Minuten
} gültig.
wizard-done-title = Ihr neuer digitaler Schlüssel ist aktiv
wizard-done-token = Ihr Token wurde deaktiviert: Sie können sich damit nicht mehr anmelden.
wizard-done-mails = Wir haben Ihnen zur Bestätigung E-Mails gesendet.
wizard-done-next = Beenden Sie jetzt Ihre Sitzung. Melden Sie sich beim nächsten Mal mit Ihrem neuen digitalen Schlüssel an.
login-email-junk = Keinen Code erhalten? Sehen Sie in Ihrem Spam-Ordner nach oder fordern Sie einen neuen Code an.

msg-code-tries-left = Sie haben noch { $tries ->
    [one] 1 Versuch
   *[other] { $tries } Versuche
}.
msg-code-exhausted = Sie haben zu oft einen falschen Code eingegeben. Fordern Sie einen neuen Code an.
msg-code-expired = Dieser Code ist nicht mehr gültig: Er ist abgelaufen oder wurde bereits verwendet. Fordern Sie einen neuen Code an.
msg-code-resent = Wir haben Ihnen einen neuen Code gesendet. Nur der neueste Code funktioniert.
msg-code-too-many-sends = Sie haben zu viele Codes angefordert. Versuchen Sie es in einer Stunde erneut.
msg-mail-not-sent = Wir konnten die E-Mail gerade nicht senden. Versuchen Sie es gleich noch einmal.
msg-code-too-many-to-address = Wir haben in der letzten Stunde zu viele Codes an diese Adresse gesendet. Versuchen Sie es später erneut.
msg-email-invalid = Geben Sie eine E-Mail-Adresse wie name@beispiel.be ein.
msg-email-same = Das ist bereits Ihre E-Mail-Adresse.
msg-key-already-active = Dieser digitale Schlüssel ist bereits aktiv.
msg-keys-all-active = Sie haben bereits alle digitalen Schlüssel aktiviert, die wir anbieten.
msg-key-activated = Ihr digitaler Schlüssel „{ $key }“ ist aktiv.

mail-greeting = Guten Tag,
mail-signature = Mit freundlichen Grüßen, Ihr Team Digitale Schlüssel
mail-footer = Dies ist eine automatische Nachricht; bitte antworten Sie nicht darauf. Wir fragen Sie niemals nach Ihrem Passwort oder Ihren Sicherheitscodes.
mail-never-share = Geben Sie diesen Code niemals weiter, auch nicht an jemanden, der behauptet, für uns zu arbeiten.
mail-ignore = Sie haben diesen Code nicht angefordert? Dann hat jemand Ihre Adresse vielleicht versehentlich eingegeben: Sie können diese E-Mail ignorieren, ohne den Code ändert sich nichts.
mail-not-you = Wenn Sie das nicht selbst getan haben, wenden Sie sich sofort an den Helpdesk Digitale Schlüssel: { $contact }.
mail-registration-subject = Ihr Registrierungscode
mail-registration-body = Geben Sie diesen Registrierungscode ein, um Ihren digitalen Schlüssel „Sicherheitscode per E-Mail“ zu aktivieren. Er ist { $minutes ->
    [one] 1 Minute
   *[other] { $minutes } Minuten
} gültig.
mail-change-subject = Bestätigen Sie Ihre neue E-Mail-Adresse
mail-change-body = Geben Sie diesen Code ein, um Ihre neue E-Mail-Adresse für Ihre digitalen Schlüssel zu bestätigen. Er ist { $minutes ->
    [one] 1 Minute
   *[other] { $minutes } Minuten
} gültig.
mail-login-subject = Ihr Sicherheitscode zur Anmeldung
mail-login-body = Geben Sie diesen Sicherheitscode ein, um sich anzumelden. Er ist { $minutes ->
    [one] 1 Minute
   *[other] { $minutes } Minuten
} gültig.
mail-changed-subject = Ihre E-Mail-Adresse wurde geändert
mail-changed-body = Die E-Mail-Adresse Ihrer digitalen Schlüssel wurde in { $address } geändert. Ab jetzt senden wir Ihre E-Mails an diese Adresse.
mail-token-off-subject = Ihr Token wurde deaktiviert
mail-token-off-body = Ihr digitaler Schlüssel „Sicherheitscode per Token“ wurde deaktiviert. Sie können sich nicht mehr mit Ihrer Token-Karte aus Papier anmelden; Sie können sie vernichten.
mail-key-on-subject = Ihr neuer digitaler Schlüssel ist aktiv
mail-key-on-body = Ihr digitaler Schlüssel „{ $key }“ ist jetzt aktiv. Verwenden Sie ihn bei Ihrer nächsten Anmeldung.
mail-reminder-subject = Ihr Token funktioniert ab dem { $date } nicht mehr: Aktivieren Sie einen neuen digitalen Schlüssel
mail-reminder-body = Ab dem { $date } können Sie sich nicht mehr mit Ihrem Token (der Papierkarte mit Sicherheitscodes) anmelden. Aktivieren Sie vorher einen neuen digitalen Schlüssel: Das dauert nur wenige Minuten.
mail-reminder-how = Melden Sie sich wie gewohnt mit Ihrem Token an und wählen Sie „Jetzt einen neuen digitalen Schlüssel aktivieren“. Sie wählen dann einen von zwei neuen Schlüsseln: einen Sicherheitscode, den Sie per E-Mail erhalten, oder einen Code aus einer Authenticator-App auf Ihrem Smartphone.
mail-reminder-no-link = Zu Ihrer Sicherheit enthält diese E-Mail keinen Link: Gehen Sie selbst auf die Website von Digitale Schlüssel, wie Sie es immer tun.

button-next = Weiter
wizard-install-title = Installieren Sie eine Authenticator-App
wizard-install-intro = Installieren Sie eine Authenticator-App aus dem App-Store auf Ihrem Smartphone oder Tablet. Jede App für zeitbasierte Sicherheitscodes (TOTP) ist geeignet, zum Beispiel:
wizard-install-then = Wenn die App auf Ihrem Telefon installiert ist, klicken Sie auf Weiter.
wizard-pair-title = Verbinden Sie die App mit Ihrem digitalen Schlüssel
wizard-pair-scan = Öffnen Sie die App, wählen Sie „Konto hinzufügen“ und scannen Sie diesen QR-Code.
wizard-pair-qr-alt = QR-Code zum Scannen mit Ihrer Authenticator-App
wizard-pair-manual = Scannen klappt nicht? Geben Sie diesen Schlüssel von Hand in der App ein (zeitbasiert):
wizard-pair-warning = Geben Sie die Codes Ihrer App oder diesen QR-Code niemals weiter. Wir werden Sie nie danach fragen.
wizard-pair-code = Geben Sie dann den 6-stelligen Code ein, den die App anzeigt.
msg-code-replayed = Dieser Code wurde bereits verwendet. Warten Sie auf den nächsten Code in Ihrer App.
msg-app-restart = Sie haben zu oft einen falschen Code eingegeben. Klicken Sie auf Weiter, um die App mit einem neuen QR-Code erneut zu verbinden.

# OpenID Connect (keys_oidc): a public service's login request
msg-oidc-client-unknown = Der Dienst, der Sie hierher geschickt hat, ist den Digitalen Schlüsseln nicht bekannt. Gehen Sie zum Dienst zurück und versuchen Sie es erneut, oder wenden Sie sich an ihn.
msg-oidc-redirect-uri = Der Dienst, der Sie hierher geschickt hat, möchte an eine Adresse antworten lassen, die er nicht registriert hat; wir können Sie nicht zurückschicken. Wenden Sie sich an den Dienst.
msg-oidc-request-invalid = Die Anmeldeanfrage des Dienstes, der Sie hierher geschickt hat, ist nicht lesbar. Gehen Sie zum Dienst zurück und versuchen Sie es erneut.
msg-oidc-request-expired = Diese Anmeldeanfrage ist abgelaufen oder wurde schon beantwortet. Gehen Sie zum Dienst zurück und beginnen Sie von vorn.
msg-oidc-logout-invalid = Der Dienst, der Sie zum Abmelden hierher geschickt hat, gab eine Adresse oder ein Token an, das wir nicht annehmen können. Ihre Sitzung wurde nicht beendet.
oidc-continue = Weiter zum Dienst
oidc-logout-title = Von den Digitalen Schlüsseln abmelden?
oidc-logout-text = Ein Dienst bittet darum, Ihre Sitzung bei den Digitalen Schlüsseln zu beenden. Sie müssen sich dann für jeden Dienst neu anmelden.
oidc-logout-confirm = Abmelden
oidc-continue-title = Zurück zum Dienst
oidc-continue-text = Sie sind angemeldet. Sie werden zu { $service } zurückgeleitet.
oidc-continue-to = Weiter zu { $service }
oidc-asking = { $service } bittet Sie, sich mit Ihrem digitalen Schlüssel anzumelden.
oidc-cancel = Abbrechen und zurück zu { $service }
oidc-stronger-title = Ein stärkerer digitaler Schlüssel ist nötig
oidc-stronger-text = { $service } verlangt einen stärkeren digitalen Schlüssel als den, den Sie benutzt haben ({ $key }).
oidc-stronger-login = Mit { $key } anmelden
oidc-stronger-none = Sie haben noch keinen digitalen Schlüssel, der stark genug ist. Aktivieren Sie jetzt einen dieser Schlüssel, danach geht es weiter zum Dienst: { $keys }.
oidc-stronger-activate = Jetzt einen digitalen Schlüssel aktivieren
msg-oidc-no-key-strong-enough = Der Dienst verlangt einen Schlüssel, den Sie hier noch nicht aktivieren können (eine eID oder itsme). Gehen Sie zurück zum Dienst, um einen anderen Weg zu wählen.

# Password change
keys-password-link = Mein Passwort ändern
password-title = Ihr Passwort ändern
password-intro = Geben Sie Ihr aktuelles und das neue Passwort ein. Das neue Passwort hat mindestens 12 Zeichen und ist schwer zu erraten: einige unzusammenhängende Wörter eignen sich gut. Ihre anderen Sitzungen enden, sobald es geändert ist.
field-password-current = Aktuelles Passwort
field-password-new = Neues Passwort
button-change-password = Passwort ändern
msg-password-wrong = Das aktuelle Passwort ist falsch.
msg-password-weak = Wählen Sie ein längeres, schwerer zu erratendes Passwort: mindestens 12 Zeichen, kein häufiges Passwort, nicht wie Ihr Benutzername.
msg-password-changed = Ihr Passwort wurde geändert. Sie sind überall sonst abgemeldet.
mail-password-subject = Ihr Passwort wurde geändert
mail-password-body = Das Passwort Ihrer digitalen Schlüssel wurde soeben geändert, und alle anderen Sitzungen wurden beendet.

# Forgotten username
forgotten-username-title = Benutzernamen vergessen?
forgotten-username-intro = Geben Sie die E-Mail-Adresse Ihres digitalen Schlüssels ein. Wir senden die damit registrierten Benutzernamen an diese Adresse.
forgotten-username-send = Benutzernamen senden
field-email = E-Mail-Adresse
login-forgotten-username = Benutzernamen vergessen?
msg-recovery-username-sent = Gehört diese Adresse zu einem digitalen Schlüssel, sind die Benutzernamen unterwegs dorthin. Nach einigen Minuten keine E-Mail? Prüfen Sie die Adresse und Ihren Spam-Ordner.
msg-recovery-too-many = Zu viele Anfragen über Ihre Verbindung. Versuchen Sie es in einer Stunde erneut.
mail-usernames-subject = Ihr Benutzername für Digitale Schlüssel
mail-usernames-body = Mit dieser E-Mail-Adresse sind diese Benutzernamen registriert: { $usernames }.
mail-usernames-not-asked = Wenn Sie das nicht angefordert haben, können Sie diese E-Mail ignorieren: Mit einem Benutzernamen allein kann sich niemand anmelden.

# The logged-in frame, My profile, Info, the side panel and the texts of the guide
frame-welcome = Willkommen, { $name }
frame-tabs = Ihre digitalen Schlüssel: Bereiche
tab-keys = Meine digitalen Schlüssel
tab-profile = Mein Profil
tab-info = Info
show-password = Passwort anzeigen
hide-password = Passwort verbergen
panel-title = Weitere Informationen
panel-token-note = Achtung! Sie können keinen neuen Token mehr aktivieren. Bürgerinnen und Bürger mit einem aktiven Token können ihn weiterhin verwenden, um sich bei Online-Diensten anzumelden.
panel-token-ended = Achtung! Seit dem { $date } kann sich niemand mehr mit einem Token anmelden.
panel-other-key = Möchten Sie einen anderen Schlüssel aktivieren? Melden Sie sich hier an, um Ihre digitalen Schlüssel zu erstellen oder zu bearbeiten.
panel-sign-in-here = Melden Sie sich hier an
login-to-keys = Melden Sie sich an, um zu Meine digitalen Schlüssel zu gelangen: Dort erstellen oder bearbeiten Sie Ihre digitalen Schlüssel.
button-previous = Zurück
button-change = Ändern
button-save = Speichern
wizard-email-right = Ist diese E-Mail-Adresse richtig? Dann klicken Sie auf Weiter. Wenn nicht, klicken Sie auf Ändern.
wizard-select-why = Mit diesen digitalen Schlüsseln können Sie sich bei den meisten Online-Diensten anmelden. Warum?
wizard-select-why-link = Warum?
wizard-code-junk = Keinen Code erhalten? Sehen Sie in Ihrem Spam-Ordner nach. Nach einigen Minuten immer noch kein Code? Klicken Sie auf Neuen Code senden.
field-registration-code = Registrierungscode
wizard-pair-valid = Dieser Code bleibt nur 60 Sekunden gültig. Geben Sie den Code also sofort ein.
wizard-install-search = Tipp: Suchen Sie im App-Store nach „Authenticator“ und wählen Sie eine dieser Apps.
wizard-install-store = Authenticator-Apps in { $store } suchen.
state-not-activated = Nicht aktiviert
msg-profile-email-changed = Ihre E-Mail-Adresse wurde geändert. Wir haben Ihre bisherige Adresse per E-Mail informiert.
msg-profile-language-saved = Ab jetzt schreiben wir Ihnen unsere E-Mails in dieser Sprache.
msg-lang-unknown = Wählen Sie eine der Sprachen.
profile-title = Mein Profil
profile-intro = Ihre Angaben, wie Digitale Schlüssel sie kennt.
profile-name = Name
profile-change-email = E-Mail-Adresse ändern
field-mail-language = Sprache unserer E-Mails
profile-back = Zu Mein Profil
profile-email-title = Ihre E-Mail-Adresse ändern
profile-email-junk = Keinen Code erhalten? Sehen Sie in Ihrem Spam-Ordner nach. Nach einigen Minuten immer noch kein Code? Klicken Sie auf Abbrechen und ändern Sie die Adresse erneut.
info-title = Info
info-intro = Mit einem digitalen Schlüssel melden Sie sich bei Online-Diensten der Verwaltung an. Hier lesen Sie, welche Schlüssel es gibt, wie stark jeder ist und wo Sie Hilfe finden.
info-keys-title = Die digitalen Schlüssel
info-keys-text = Jeder digitale Schlüssel besteht aus Ihrem Benutzernamen und Passwort und einem zweiten Schritt:
info-key-email = Sicherheitscode per E-Mail: Wir senden Ihnen bei jeder Anmeldung einen Code per E-Mail.
info-key-app = Sicherheitscode per mobiler App: Eine Authenticator-App auf Ihrem Smartphone oder Tablet zeigt den Code.
info-key-token = Sicherheitscode per Token: die Papierkarte mit nummerierten Codes. Sie wird abgeschafft: Kein neuer Token kann aktiviert werden.
info-levels-title = Warum diese Schlüssel? Die Stufen der Schlüssel
info-levels-text = Online-Dienste verlangen einen Schlüssel, der für das, was Sie dort tun, stark genug ist:
info-level-low = Niedrig: Passwort und ein Sicherheitscode per E-Mail.
info-level-substantial = Substanziell: Passwort und ein Sicherheitscode per mobiler App (oder der Token, bis er endet).
info-level-high = Hoch: die starken Schlüssel, wie die eID mit Kartenleser oder itsme.
info-levels-why = Mit dem Sicherheitscode per E-Mail oder per mobiler App können Sie sich bei den meisten Online-Diensten anmelden. Ein Dienst, der mehr verlangt, sagt Ihnen, welchen Schlüssel Sie verwenden müssen.
info-phase-out-title = Der Token wird abgeschafft
info-phase-out-text = Ab dem { $date } kann sich niemand mehr mit dem Token anmelden. Aktivieren Sie vorher einen neuen digitalen Schlüssel: Das dauert nur wenige Minuten.
info-phase-out-ended = Seit dem { $date } kann sich niemand mehr mit dem Token anmelden.
info-phase-out-how = Melden Sie sich mit Ihrem Token an und wählen Sie „Jetzt einen neuen digitalen Schlüssel aktivieren“, oder melden Sie sich an und gehen Sie zu Meine digitalen Schlüssel.
info-help-title = Hilfe

# Forgotten password
login-forgotten-password = Passwort vergessen?
recovery-title = Passwort vergessen?
recovery-intro = Geben Sie Ihren Benutzernamen ein. Wir senden einen Wiederherstellungscode an die E-Mail-Adresse Ihres digitalen Schlüssels.
recovery-needs = Sie brauchen außerdem einen zweiten digitalen Schlüssel, der noch funktioniert: die Authenticator-App oder Ihre Token-Karte, bis sie endet. Ein Code per E-Mail allein kann Ihr Passwort nicht ändern.
recovery-code-title = Geben Sie den Wiederherstellungscode ein
recovery-code-sent = Wenn es diesen Benutzernamen gibt, haben wir einen Wiederherstellungscode an seine E-Mail-Adresse gesendet. Geben Sie ihn unten ein. Der Code ist { $minutes ->
    [one] 1 Minute
   *[other] { $minutes } Minuten
} gültig.
recovery-code-junk = Nach einigen Minuten kein Code? Sehen Sie in Ihrem Spam-Ordner nach und prüfen Sie den eingegebenen Benutzernamen.
field-recovery-code = Wiederherstellungscode
recovery-second-title = Ihr zweiter digitaler Schlüssel
recovery-second-intro = Zum Schutz Ihres Kontos fragen wir auch nach einem Code Ihres zweiten digitalen Schlüssels.
recovery-password-title = Wählen Sie ein neues Passwort
recovery-password-intro = Das neue Passwort hat mindestens 12 Zeichen und ist schwer zu erraten: einige Wörter ohne Zusammenhang eignen sich gut. Alle Ihre Sitzungen enden, wenn es geändert ist.
recovery-office-title = Ihr Passwort kann nicht online zurückgesetzt werden
msg-recovery-no-second-key = Ein Code per E-Mail allein kann Ihr Passwort nicht zurücksetzen: Sie brauchen auch einen zweiten digitalen Schlüssel (die Authenticator-App oder den Token, solange er funktioniert).
recovery-done-title = Ihr Passwort wurde geändert
msg-recovery-password-reset = Ihr Passwort wurde geändert und alle Ihre Sitzungen wurden beendet. Melden Sie sich mit Ihrem neuen Passwort an.
mail-recovery-subject = Ihr Wiederherstellungscode
mail-recovery-body = Geben Sie diesen Wiederherstellungscode ein, um ein neues Passwort für Ihre digitalen Schlüssel zu wählen; Sie brauchen auch Ihren zweiten digitalen Schlüssel. Er ist { $minutes ->
    [one] 1 Minute
   *[other] { $minutes } Minuten
} gültig.
mail-reset-subject = Ihr Passwort wurde zurückgesetzt
mail-reset-body = Das Passwort Ihrer digitalen Schlüssel wurde über „Passwort vergessen?“ zurückgesetzt, mit einem an diese Adresse gesendeten Code und Ihrem zweiten digitalen Schlüssel. Alle Sitzungen wurden beendet.

# The grace window after the sunset
login-token-grace = Seit dem { $date } meldet die Token-Karte Sie nicht mehr bei Online-Diensten an. Bis zum { $until } können Sie damit noch einen neuen digitalen Schlüssel aktivieren, sonst nichts.
