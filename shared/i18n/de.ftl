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

error-title = Etwas ist schiefgelaufen

key-token = Sicherheitscode per Token
key-email = Sicherheitscode per E-Mail
key-app = Sicherheitscode per mobiler App
key-token-hint = Die Token-Karte aus Papier wird abgeschafft.
key-email-hint = Wir senden Ihnen bei jeder Anmeldung einen Code an Ihre E-Mail-Adresse.
key-app-hint = Eine Authentifizierungs-App auf Ihrem Smartphone zeigt den Code an.

login-title = Mit Ihrem digitalen Schlüssel anmelden
login-intro = Geben Sie Ihren Benutzernamen und Ihr Passwort ein und wählen Sie dann den digitalen Schlüssel, mit dem Sie sich anmelden möchten.
login-personal = Digitale Schlüssel sind streng persönlich. Lassen Sie niemals eine andere Person sich mit Ihren Schlüsseln anmelden.
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

step-unavailable-title = Noch nicht verfügbar
step-unavailable-text = Dieser Teil des Dienstes ist noch nicht verfügbar. Bitte kommen Sie später wieder.

msg-login-failed = Der Benutzername oder das Passwort ist falsch.
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
msg-step-unavailable = Dieser Teil des Dienstes ist noch nicht verfügbar. Bitte kommen Sie später wieder.
