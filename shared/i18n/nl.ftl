# Digitale sleutels, Nederlands.

service-name = Digitale sleutels
skip-to-content = Naar de hoofdinhoud
language-switch = Taal
wizard-progress = Stappen om uw digitale sleutel te activeren
errors-title = Fout
footer-personal = Uw digitale sleutels zijn strikt persoonlijk. Deel uw wachtwoord of beveiligingscodes nooit met iemand, ook niet met iemand die zegt dat hij voor ons werkt.
wizard-step-email = E-mailadres bevestigen
wizard-step-select = Digitale sleutel kiezen
wizard-step-activate = Digitale sleutel activeren
wizard-step-done = Bevestiging

button-back = Terug
button-continue = Doorgaan
button-cancel = Annuleren
button-login = Aanmelden
button-resend = Nieuwe code versturen
button-sign-out = Afmelden

error-title = Er is iets misgegaan

key-token = Beveiligingscode via token
key-email = Beveiligingscode via e-mail
key-app = Beveiligingscode via mobiele app
key-token-hint = De papieren tokenkaart wordt uitgefaseerd.
key-email-hint = We sturen bij elke aanmelding een code naar uw e-mailadres.
key-app-hint = Een authenticator-app op uw smartphone toont de code.

login-title = Aanmelden met uw digitale sleutel
login-intro = Vul uw gebruikersnaam en wachtwoord in en kies daarna de digitale sleutel waarmee u zich wilt aanmelden.
login-personal = Digitale sleutels zijn strikt persoonlijk. Laat nooit iemand anders aanmelden met uw sleutels.
field-username = Gebruikersnaam
field-password = Wachtwoord
field-key = Kies uw digitale sleutel
field-code = Beveiligingscode
login-keys-link = Mijn digitale sleutels

login-token-title = Beveiligingscode via token
login-token-ask = Vul beveiligingscode nummer { $n } van uw kaart in.
login-token-hint = De genummerde codes staan op uw papieren tokenkaart.

notice-title = De token wordt uitgefaseerd
notice-text = Vanaf { $date } kunt u zich niet meer aanmelden met uw token (de papieren kaart met beveiligingscodes). Activeer nu een nieuwe digitale sleutel: dat duurt maar een paar minuten.
notice-activate = Nu een nieuwe digitale sleutel activeren (aanbevolen)
notice-other = Aanmelden met een andere digitale sleutel
notice-close = ×
notice-close-label = Deze melding sluiten en verdergaan met de token

unavailable-title = U kunt zich niet aanmelden met deze sleutel
unavailable-text = U beschikt niet over deze digitale sleutel (beveiligingscode via token) of de sleutel is mogelijk vervallen. Meld u aan met een andere sleutel of activeer deze digitale sleutel in Mijn digitale sleutels.

login-email-title = Beveiligingscode via e-mail
login-email-sent = We hebben een beveiligingscode naar uw e-mailadres gestuurd. Vul ze hieronder in.
login-app-title = Beveiligingscode via mobiele app
login-app-ask = Open uw authenticator-app en vul de code van 6 cijfers in die ze toont.

keys-title = Mijn digitale sleutels
keys-intro = Dit zijn uw digitale sleutels en hun status.
keys-caption = Uw digitale sleutels
keys-col-key = Digitale sleutel
keys-col-state = Status
keys-col-since = Sinds
state-active = Actief
state-inactive = Niet actief
keys-activate = Een nieuwe digitale sleutel activeren

logged-out-title = U bent afgemeld
logged-out-text = Uw sessie is beëindigd. Sluit uw browser als u een gedeelde computer gebruikt.
logged-out-login = Opnieuw aanmelden

step-unavailable-title = Nog niet beschikbaar
step-unavailable-text = Dit deel van de dienst is nog niet beschikbaar. Kom later terug.

msg-login-failed = De gebruikersnaam of het wachtwoord is onjuist.
msg-login-locked = Te veel pogingen. Probeer het opnieuw over { $minutes ->
    [one] 1 minuut
   *[other] { $minutes } minuten
}.
msg-rate-limited = Te veel aanvragen vanaf uw netwerk. Wacht een minuut en probeer het opnieuw.
msg-code-invalid = Deze beveiligingscode is onjuist.
msg-field-required = Vul dit veld in.
msg-key-unknown = Kies een van de digitale sleutels.
msg-key-not-active = U hebt deze digitale sleutel niet geactiveerd. Meld u aan met een andere sleutel.
msg-flow-expired = Uw aanmelding duurde te lang. Begin opnieuw.
msg-session-expired = Uw sessie is beëindigd. Meld u opnieuw aan.
msg-csrf-invalid = Dit formulier is verlopen. Ga terug, laad de pagina opnieuw en probeer het nog eens.
msg-input-invalid = Het formulier bevat iets wat we niet kunnen aanvaarden.
msg-input-too-large = Het formulier is te groot.
msg-input-not-a-form = Dit adres aanvaardt alleen een formulier.
msg-page-not-found = Deze pagina bestaat niet.
msg-page-method-not-allowed = Deze pagina kan zo niet gebruikt worden.
msg-internal = Er ging iets mis bij ons. Probeer het later opnieuw.
msg-unavailable = De dienst is tijdelijk niet beschikbaar. Probeer het zo dadelijk opnieuw.
msg-signed-out = U bent afgemeld.
msg-token-unavailable = U beschikt niet over deze digitale sleutel (beveiligingscode via token) of de sleutel is mogelijk vervallen. Meld u aan met een andere sleutel of activeer deze digitale sleutel in Mijn digitale sleutels.
msg-step-unavailable = Dit deel van de dienst is nog niet beschikbaar. Kom later terug.
