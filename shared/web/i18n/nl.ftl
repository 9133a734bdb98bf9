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
button-sign-out-everywhere = Afmelden op alle toestellen

error-title = Er is iets misgegaan

key-token = Beveiligingscode via token
key-email = Beveiligingscode via e-mail
key-app = Beveiligingscode via mobiele app
key-token-hint = De papieren tokenkaart wordt uitgefaseerd.
key-email-hint = We sturen bij elke aanmelding een code naar uw e-mailadres.
key-app-hint = Een authenticator-app op uw smartphone toont de code.

login-title = Aanmelden met uw digitale sleutel
login-intro = Vul uw gebruikersnaam en wachtwoord in en kies daarna de digitale sleutel waarmee u zich wilt aanmelden.
login-personal = Uw digitale sleutel is strikt persoonlijk. De digitale sleutel van iemand anders gebruiken is een misdrijf.
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
unavailable-other-key = Hebt u een andere digitale sleutel, een beveiligingscode via e-mail of via een app? Meld u aan met die sleutel; wachtwoord vergeten? Kies "Wachtwoord vergeten?" en gebruik die sleutel om een nieuw te kiezen.
unavailable-office = Was de token uw enige digitale sleutel? Vraag een nieuwe digitale sleutel aan bij een registratiekantoor: breng uw identiteitskaart of paspoort en uw persoonlijk e-mailadres mee.
unavailable-help = Vragen? Neem contact op met de helpdesk Digitale sleutels: { $contact }.
login-token-ended = Sinds { $date } kunt u zich niet meer aanmelden met de papieren tokenkaart.
login-token-ended-link = Geen andere digitale sleutel? Wat nu

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


msg-login-failed = De gebruikersnaam of het wachtwoord is onjuist.
msg-username-invalid = Een gebruikersnaam bevat alleen letters, cijfers en . - _ @ ' van één alfabet, zonder spaties.
msg-login-too-many = Te veel mislukte aanmeldingen vanaf uw netwerk. Probeer het over een uur opnieuw.
msg-login-again = Meld u voor uw veiligheid opnieuw aan voordat u uw e-mailadres wijzigt of een digitale sleutel activeert.
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
msg-token-ended = Sinds { $date } werkt de papieren tokenkaart niet meer: niemand kan zich nog met een token aanmelden.

button-confirm = Bevestigen
button-end-session = Sessie beëindigen
keys-back = Naar Mijn digitale sleutels

wizard-email-title = Bevestig uw e-mailadres
wizard-email-intro = We gebruiken dit adres om u beveiligingscodes te sturen en om u te laten weten wanneer er iets verandert aan uw digitale sleutels.
field-email-current = Uw e-mailadres
field-email-new = Nieuw e-mailadres
wizard-verify-title = Bevestig uw nieuwe e-mailadres
wizard-verify-sent = We hebben een code gestuurd naar { $address }. Vul ze hieronder in om dit adres te bevestigen. De code is { $minutes ->
    [one] 1 minuut
   *[other] { $minutes } minuten
} geldig.
wizard-junk = Geen code ontvangen? Kijk in uw map met ongewenste e-mail (spam). Komt er geen code aan, klik dan op Annuleren en vraag een nieuwe code aan.
wizard-select-title = Kies uw digitale sleutel
wizard-select-intro = Beide digitale sleutels zijn veilig en aanbevolen. Kies de sleutel die het best bij u past.
wizard-code-title = Activeer uw digitale sleutel: beveiligingscode via e-mail
wizard-code-sent = We hebben een registratiecode gestuurd naar { $address }. Vul ze hieronder in. De code is { $minutes ->
    [one] 1 minuut
   *[other] { $minutes } minuten
} geldig.
wizard-done-title = Uw nieuwe digitale sleutel is actief
wizard-done-token = Uw token is gedeactiveerd: u kunt er niet meer mee aanmelden.
wizard-done-mails = We hebben u ter bevestiging e-mails gestuurd.
wizard-done-next = Beëindig nu uw sessie. Meld u de volgende keer aan met uw nieuwe digitale sleutel.
login-email-junk = Geen code ontvangen? Kijk in uw map met ongewenste e-mail (spam), of vraag een nieuwe code aan.

msg-code-tries-left = U kunt het nog { $tries ->
    [one] 1 keer
   *[other] { $tries } keer
} proberen.
msg-code-exhausted = U hebt te vaak een verkeerde code ingevuld. Vraag een nieuwe code aan.
msg-code-expired = Deze code is niet meer geldig: ze is verlopen of al gebruikt. Vraag een nieuwe code aan.
msg-code-resent = We hebben u een nieuwe code gestuurd. Alleen de nieuwste code werkt.
msg-code-too-many-sends = U hebt te veel codes aangevraagd. Probeer het over een uur opnieuw.
msg-mail-not-sent = We konden de e-mail nu niet versturen. Probeer het zo meteen opnieuw.
msg-code-too-many-to-address = We hebben het afgelopen uur te veel codes naar dit adres gestuurd. Probeer het later opnieuw.
msg-email-invalid = Vul een e-mailadres in zoals naam@voorbeeld.be.
msg-email-same = Dit is al uw e-mailadres.
msg-key-already-active = Deze digitale sleutel is al actief.
msg-keys-all-active = U hebt alle digitale sleutels die we aanbieden al geactiveerd.
msg-key-activated = Uw digitale sleutel "{ $key }" is actief.

mail-greeting = Beste,
mail-signature = Met vriendelijke groeten, het team Digitale sleutels
mail-footer = Dit is een automatisch bericht; antwoord er niet op. We vragen u nooit naar uw wachtwoord of uw beveiligingscodes.
mail-never-share = Geef deze code nooit aan iemand anders, ook niet aan iemand die zegt dat hij voor ons werkt.
mail-ignore = Hebt u deze code niet gevraagd? Dan heeft iemand uw adres misschien per vergissing ingevuld: u kunt deze e-mail negeren, zonder de code verandert er niets.
mail-not-you = Hebt u dit niet zelf gedaan? Neem dan meteen contact op met de helpdesk Digitale sleutels: { $contact }.
mail-registration-subject = Uw registratiecode
mail-registration-body = Vul deze registratiecode in om uw digitale sleutel "beveiligingscode via e-mail" te activeren. Ze is { $minutes ->
    [one] 1 minuut
   *[other] { $minutes } minuten
} geldig.
mail-change-subject = Bevestig uw nieuwe e-mailadres
mail-change-body = Vul deze code in om uw nieuwe e-mailadres voor uw digitale sleutels te bevestigen. Ze is { $minutes ->
    [one] 1 minuut
   *[other] { $minutes } minuten
} geldig.
mail-login-subject = Uw beveiligingscode om aan te melden
mail-login-body = Vul deze beveiligingscode in om aan te melden. Ze is { $minutes ->
    [one] 1 minuut
   *[other] { $minutes } minuten
} geldig.
mail-changed-subject = Uw e-mailadres is gewijzigd
mail-changed-body = Het e-mailadres van uw digitale sleutels is gewijzigd in { $address }. Voortaan sturen we uw e-mails naar dat adres.
mail-token-off-subject = Uw token is gedeactiveerd
mail-token-off-body = Uw digitale sleutel "beveiligingscode via token" is gedeactiveerd. U kunt niet meer aanmelden met uw papieren tokenkaart; u mag ze vernietigen.
mail-key-on-subject = Uw nieuwe digitale sleutel is actief
mail-key-on-body = Uw digitale sleutel "{ $key }" is nu actief. Gebruik hem de volgende keer dat u zich aanmeldt.
mail-reminder-subject = Uw token werkt niet meer vanaf { $date }: activeer een nieuwe digitale sleutel
mail-reminder-body = Vanaf { $date } kunt u zich niet meer aanmelden met uw token (de papieren kaart met beveiligingscodes). Activeer voor die datum een nieuwe digitale sleutel: dat duurt maar een paar minuten.
mail-reminder-how = Meld u zoals gewoonlijk aan met uw token en kies "Nu een nieuwe digitale sleutel activeren". U kiest dan een van twee nieuwe sleutels: een beveiligingscode die u per e-mail ontvangt, of een code uit een authenticator-app op uw smartphone.
mail-reminder-no-link = Voor uw veiligheid staat er geen link in deze e-mail: ga zelf naar de website van Digitale sleutels, zoals u altijd doet.

button-next = Volgende
wizard-install-title = Installeer een authenticator-app
wizard-install-intro = Installeer een authenticator-app op uw smartphone of tablet via de app store. Elke app voor tijdsgebonden beveiligingscodes (TOTP) is goed, bijvoorbeeld:
wizard-install-then = Is de app geïnstalleerd op uw telefoon? Klik dan op Volgende.
wizard-pair-title = Koppel de app aan uw digitale sleutel
wizard-pair-scan = Open de app, kies om een account toe te voegen en scan deze QR-code.
wizard-pair-qr-alt = QR-code om te scannen met uw authenticator-app
wizard-pair-manual = Lukt het scannen niet? Vul deze sleutel met de hand in de app in (tijdsgebonden):
wizard-pair-warning = Geef de codes van uw app of deze QR-code nooit aan iemand anders. Wij vragen er u nooit naar.
wizard-pair-code = Vul daarna de code van 6 cijfers in die de app toont.
msg-code-replayed = Deze code is al gebruikt. Wacht op de volgende code in uw app.
msg-app-restart = U hebt te vaak een verkeerde code ingevuld. Klik op Volgende om de app opnieuw te koppelen met een nieuwe QR-code.

# OpenID Connect (keys_oidc): a public service's login request
msg-oidc-client-unknown = De dienst die u hierheen stuurde, is niet bekend bij Digitale sleutels. Ga terug naar de dienst en probeer het opnieuw, of neem contact op met de dienst.
msg-oidc-redirect-uri = De dienst die u hierheen stuurde, wil antwoord op een adres dat hij niet heeft geregistreerd, dus we kunnen u niet terugsturen. Neem contact op met de dienst.
msg-oidc-request-invalid = De aanmeldvraag van de dienst die u hierheen stuurde, kan niet gelezen worden. Ga terug naar de dienst en probeer het opnieuw.
msg-oidc-request-expired = Deze aanmeldvraag is verlopen of werd al beantwoord. Ga terug naar de dienst en begin opnieuw.
msg-oidc-logout-invalid = De dienst die u hierheen stuurde om af te melden, gaf een adres of token dat we niet aanvaarden. Uw sessie is niet beëindigd.
oidc-continue = Verder naar de dienst
oidc-logout-title = Afmelden bij Digitale sleutels?
oidc-logout-text = Een dienst vraagt om uw sessie bij Digitale sleutels te beëindigen. U moet zich dan voor elke dienst opnieuw aanmelden.
oidc-logout-confirm = Afmelden
oidc-continue-title = Terug naar de dienst
oidc-continue-text = U bent aangemeld. U wordt teruggestuurd naar { $service }.
oidc-continue-to = Verder naar { $service }
oidc-asking = { $service } vraagt u om aan te melden met uw digitale sleutel.
oidc-cancel = Annuleren en terug naar { $service }
oidc-stronger-title = Een sterkere digitale sleutel is nodig
oidc-stronger-text = { $service } vraagt een sterkere digitale sleutel dan die u gebruikte ({ $key }).
oidc-stronger-login = Aanmelden met { $key }
oidc-stronger-none = U hebt nog geen digitale sleutel die sterk genoeg is. Activeer nu een van deze sleutels, daarna gaat u verder naar de dienst: { $keys }.
oidc-stronger-activate = Nu een digitale sleutel activeren
msg-oidc-no-key-strong-enough = De dienst vraagt een sleutel die u hier nog niet kunt activeren (een eID of itsme). Ga terug naar de dienst om een andere manier te kiezen.

# Password change
keys-password-link = Mijn wachtwoord wijzigen
password-title = Uw wachtwoord wijzigen
password-intro = Vul uw huidige wachtwoord en het nieuwe in. Het nieuwe wachtwoord heeft minstens 12 tekens en is moeilijk te raden: enkele losse woorden werken goed. Uw andere sessies worden beëindigd zodra het gewijzigd is.
field-password-current = Huidig wachtwoord
field-password-new = Nieuw wachtwoord
button-change-password = Wachtwoord wijzigen
msg-password-wrong = Het huidige wachtwoord is onjuist.
msg-password-weak = Kies een langer wachtwoord dat moeilijker te raden is: minstens 12 tekens, geen veelgebruikt wachtwoord, niet zoals uw gebruikersnaam.
msg-password-changed = Uw wachtwoord is gewijzigd. U bent overal elders afgemeld.
mail-password-subject = Uw wachtwoord is gewijzigd
mail-password-body = Het wachtwoord van uw digitale sleutels is zopas gewijzigd en al uw andere sessies zijn beëindigd.

# Forgotten username
forgotten-username-title = Gebruikersnaam vergeten?
forgotten-username-intro = Vul het e-mailadres van uw digitale sleutel in. We sturen de gebruikersnamen die ermee geregistreerd zijn naar dat adres.
forgotten-username-send = Stuur mijn gebruikersnaam
field-email = E-mailadres
login-forgotten-username = Gebruikersnaam vergeten?
msg-recovery-username-sent = Hoort dit adres bij een digitale sleutel, dan zijn de gebruikersnamen onderweg naar dat adres. Na enkele minuten nog geen e-mail? Controleer het adres en uw map met ongewenste e-mail.
msg-recovery-too-many = Te veel aanvragen vanaf uw verbinding. Probeer het over een uur opnieuw.
mail-usernames-subject = Uw gebruikersnaam voor Digitale sleutels
mail-usernames-body = Met dit e-mailadres zijn deze gebruikersnamen geregistreerd: { $usernames }.
mail-usernames-not-asked = Hebt u hier niet om gevraagd? Dan kunt u deze e-mail negeren: met een gebruikersnaam alleen kan niemand zich aanmelden.

# The logged-in frame, My profile, Info, the side panel and the texts of the guide
frame-welcome = Welkom, { $name }
frame-tabs = Uw digitale sleutels: onderdelen
tab-keys = Mijn digitale sleutels
tab-profile = Mijn profiel
tab-info = Info
show-password = Wachtwoord tonen
hide-password = Wachtwoord verbergen
panel-title = Meer informatie
panel-token-note = Opgelet! U kunt geen nieuwe token meer activeren. Burgers met een actieve token kunnen die blijven gebruiken om zich aan te melden bij online diensten.
panel-token-ended = Opgelet! Sinds { $date } kan niemand zich nog aanmelden met een token.
panel-other-key = Wilt u een andere sleutel activeren? Meld u hier aan om uw digitale sleutels aan te maken of te wijzigen.
panel-sign-in-here = Meld u hier aan
login-to-keys = Meld u aan om naar Mijn digitale sleutels te gaan: daar maakt of wijzigt u uw digitale sleutels.
button-previous = Vorige
button-change = Wijzigen
button-save = Opslaan
wizard-email-right = Is dit e-mailadres juist? Klik dan op Volgende. Zo niet, klik op Wijzigen.
wizard-select-why = Met deze digitale sleutels kunt u zich aanmelden bij de meeste online diensten. Waarom?
wizard-select-why-link = Waarom?
wizard-code-junk = Geen code ontvangen? Kijk in uw map met ongewenste e-mail (spam). Na enkele minuten nog altijd geen code? Klik op Nieuwe code versturen.
field-registration-code = Registratiecode
wizard-pair-valid = Deze code blijft maar 60 seconden geldig. Vul de code dus meteen in.
wizard-install-search = Tip: zoek in de app store op "authenticator" en kies een van deze apps.
wizard-install-store = Authenticator-apps zoeken in { $store }.
state-not-activated = Niet geactiveerd
msg-profile-email-changed = Uw e-mailadres is gewijzigd. We hebben uw vorige adres per e-mail verwittigd.
msg-profile-language-saved = Voortaan schrijven we u onze e-mails in deze taal.
msg-lang-unknown = Kies een van de talen.
profile-title = Mijn profiel
profile-intro = Uw gegevens zoals Digitale sleutels ze kent.
profile-name = Naam
profile-change-email = E-mailadres wijzigen
field-mail-language = Taal van onze e-mails
profile-back = Naar Mijn profiel
profile-email-title = Uw e-mailadres wijzigen
profile-email-junk = Geen code ontvangen? Kijk in uw map met ongewenste e-mail (spam). Na enkele minuten nog altijd geen code? Klik op Annuleren en wijzig het adres opnieuw.
info-title = Info
info-intro = Met een digitale sleutel meldt u zich aan bij online overheidsdiensten. Hier leest u welke sleutels er zijn, hoe sterk elke sleutel is en waar u hulp vindt.
info-keys-title = De digitale sleutels
info-keys-text = Elke digitale sleutel is uw gebruikersnaam en wachtwoord plus een tweede stap:
info-key-email = Beveiligingscode via e-mail: we mailen u een code telkens u zich aanmeldt.
info-key-app = Beveiligingscode via mobiele app: een authenticator-app op uw smartphone of tablet toont de code.
info-key-token = Beveiligingscode via token: de papieren kaart met genummerde codes. Die wordt uitgefaseerd: er kan geen nieuwe token meer geactiveerd worden.
info-levels-title = Waarom deze sleutels? De niveaus van de sleutels
info-levels-text = Online diensten vragen een sleutel die sterk genoeg is voor wat u er doet:
info-level-low = Laag: wachtwoord en een beveiligingscode via e-mail.
info-level-substantial = Substantieel: wachtwoord en een beveiligingscode via mobiele app (of de token, tot die stopt).
info-level-high = Hoog: de sterke sleutels, zoals de eID met kaartlezer of itsme.
info-levels-why = Met de beveiligingscode via e-mail of via mobiele app kunt u zich aanmelden bij de meeste online diensten. Een dienst die meer vraagt, zegt u welke sleutel u moet gebruiken.
info-phase-out-title = De token wordt uitgefaseerd
info-phase-out-text = Vanaf { $date } kan niemand zich nog aanmelden met de token. Activeer vóór die datum een nieuwe digitale sleutel: dat duurt maar enkele minuten.
info-phase-out-ended = Sinds { $date } kan niemand zich nog aanmelden met de token.
info-phase-out-how = Meld u aan met uw token en kies "Nu een nieuwe digitale sleutel activeren", of meld u aan en ga naar Mijn digitale sleutels.
info-help-title = Hulp

# Forgotten password
login-forgotten-password = Wachtwoord vergeten?
recovery-title = Wachtwoord vergeten?
recovery-intro = Vul uw gebruikersnaam in. We sturen een herstelcode naar het e-mailadres van uw digitale sleutel.
recovery-needs = U hebt ook een tweede digitale sleutel nodig die nog werkt: de authenticator-app, of uw tokenkaart tot die stopt. Een code via e-mail alleen kan uw wachtwoord niet wijzigen.
recovery-code-title = Vul de herstelcode in
recovery-code-sent = Als deze gebruikersnaam bestaat, hebben we een herstelcode naar het e-mailadres gestuurd. Vul die hieronder in. De code is { $minutes ->
    [one] 1 minuut
   *[other] { $minutes } minuten
} geldig.
recovery-code-junk = Na enkele minuten geen code? Kijk in uw map met ongewenste e-mail (spam) en controleer de gebruikersnaam die u invulde.
field-recovery-code = Herstelcode
recovery-second-title = Uw tweede digitale sleutel
recovery-second-intro = Om uw account te beschermen, vragen we ook een code van uw tweede digitale sleutel.
recovery-password-title = Kies een nieuw wachtwoord
recovery-password-intro = Het nieuwe wachtwoord heeft minstens 12 tekens en is moeilijk te raden: enkele losse woorden werken goed. Al uw sessies eindigen wanneer het gewijzigd is.
recovery-office-title = Uw wachtwoord kan niet online hersteld worden
msg-recovery-no-second-key = Een code via e-mail alleen kan uw wachtwoord niet herstellen: u hebt ook een tweede digitale sleutel nodig (de authenticator-app, of de token zolang die werkt).
recovery-done-title = Uw wachtwoord is gewijzigd
msg-recovery-password-reset = Uw wachtwoord is gewijzigd en al uw sessies zijn beëindigd. Meld u aan met uw nieuwe wachtwoord.
mail-recovery-subject = Uw herstelcode
mail-recovery-body = Vul deze herstelcode in om een nieuw wachtwoord voor uw digitale sleutels te kiezen; u hebt ook uw tweede digitale sleutel nodig. De code is { $minutes ->
    [one] 1 minuut
   *[other] { $minutes } minuten
} geldig.
mail-reset-subject = Uw wachtwoord is hersteld
mail-reset-body = Het wachtwoord van uw digitale sleutels is hersteld via "Wachtwoord vergeten?", met een code die naar dit adres werd gestuurd en uw tweede digitale sleutel. Alle sessies zijn beëindigd.

# The grace window after the sunset
login-token-grace = Sinds { $date } kunt u zich met de tokenkaart niet meer aanmelden bij online diensten. Tot { $until } kunt u ze nog gebruiken om een nieuwe digitale sleutel te activeren, en voor niets anders.
