# Registration offices: the officers' console, the activation letter, the citizen's activation, its mail.

office-login-title = Registratiekantoor: aanmelden
office-login-intro = Voor medewerkers van een registratiekantoor. Meld u aan met uw personeelsnummer, uw wachtwoord en een code van uw authenticator-app.
field-officer-id = Personeelsnummer
field-officer-password = Wachtwoord
field-officer-code = Code van uw authenticator-app
msg-office-login-wrong = Het personeelsnummer, het wachtwoord of de code is niet juist. Probeer het opnieuw met een nieuwe code.
msg-office-locked = Te veel mislukte pogingen. Probeer het opnieuw over { $minutes ->
    [one] 1 minuut
   *[other] { $minutes } minuten
}.
msg-office-no-role = Uw account heeft niet de rol van medewerker van een registratiekantoor. Neem contact op met uw beheerder.
office-sign-out = Afmelden bij de console
office-signed-in = Medewerker: { $name }
office-find-title = Een burger zoeken
office-find-intro = Controleer eerst ter plaatse de identiteitskaart of het paspoort van de burger. Zoek de burger daarna op met een van deze gegevens.
field-find-by = Zoeken op
office-by-username = Gebruikersnaam
office-by-email = E-mailadres
office-by-nrn = Rijksregisternummer
office-by-card = Serienummer van de tokenkaart
field-find-value = Wat de burger opgeeft
button-find = Zoeken
msg-office-not-found = Er is geen burger gevonden. Controleer wat u hebt ingevuld, of schrijf de burger in.
msg-office-find-empty = Vul in wat de burger opgeeft.
msg-office-nrn-invalid = Dit is geen geldig rijksregisternummer.
office-enrol-link = Een nieuwe burger inschrijven
office-citizen-title = Burger
office-pending = Ingeschreven bij een registratiekantoor. De burger heeft nog geen gebruikersnaam gekozen.
office-fact-name = Naam
office-fact-username = Gebruikersnaam
office-fact-email = E-mailadres
office-fact-lang = Taal
office-fact-login = Aanmelding
office-locked-for = Geblokkeerd voor nog { $minutes ->
    [one] 1 minuut
   *[other] { $minutes } minuten
}
office-not-locked = Niet geblokkeerd
office-keys-caption = De digitale sleutels van de burger
office-logins-heading = Recente aanmeldingen
office-login-line = { $date }, { $time }: { $key }
office-no-logins = Nog geen aanmeldingen.
office-letter-heading = Activeringsbrief
office-letter-none = Er is geen activeringsbrief uitgereikt.
office-letter-status = { $state }. Uitgereikt op { $issued } door { $officer }, geldig tot { $until }.
office-letter-state-issued = Uitgereikt, nog niet gebruikt
office-letter-state-verified = Code ingevuld, gebruikersnaam en wachtwoord nog niet gekozen
office-letter-state-used = Gebruikt
office-letter-state-revoked = Ingetrokken
office-letter-state-expired = Verlopen
office-letter-state-exhausted = Geblokkeerd na te veel verkeerde codes
button-unlock = Aanmelding deblokkeren
msg-office-unlocked = De aanmelding van de burger is gedeblokkeerd.
msg-office-was-not-locked = De aanmelding van de burger was niet geblokkeerd.
office-issue-intro = Reik een activeringsbrief uit: een code die u afdrukt en overhandigt, en een link die naar het persoonlijke e-mailadres van de burger wordt gestuurd. Een eerdere brief werkt dan niet meer. Bevestig met een nieuwe code van uw authenticator-app.
button-issue = Activeringsbrief uitreiken
msg-office-step-up-wrong = Deze code is niet juist of werd al gebruikt. Wacht op de volgende code en probeer het opnieuw.
button-revoke = Brief intrekken
msg-office-revoked = De brief is ingetrokken: de code werkt niet meer.
msg-office-nothing-to-revoke = Er is geen brief die nog werkt.
office-enrol-title = Een nieuwe burger inschrijven
office-enrol-intro = Alleen nadat u ter plaatse de identiteitskaart of het paspoort van de burger hebt gecontroleerd. Een persoonlijk e-mailadres is verplicht.
field-office-name = Volledige naam
field-office-email = Persoonlijk e-mailadres
field-office-lang = Taal
field-office-nrn = Rijksregisternummer
button-enrol = Inschrijven
msg-office-name-invalid = Vul de volledige naam van de burger in.
msg-office-email-invalid = Vul een persoonlijk e-mailadres in, zoals naam@voorbeeld.be.
msg-office-nrn-taken = Er is al een burger met dit rijksregisternummer bekend. Zoek die burger dan op.
msg-office-enrolled = De burger is ingeschreven. Reik nu de activeringsbrief uit.
office-back = Terug naar het zoeken
office-back-citizen = Terug naar de burger
office-print-hint = Druk deze pagina af met de afdrukfunctie van uw browser (Ctrl+P) en geef ze aan de burger. De code wordt alleen nu getoond.
msg-office-forbidden = Deze pagina is voor medewerkers van een registratiekantoor.

letter-title = Uw activeringscode
letter-greeting = Beste { $name },
letter-intro = U hebt bij het registratiekantoor een digitale sleutel aangevraagd. In deze brief staat uw activeringscode.
letter-code-label = Activeringscode
letter-how-new = We hebben een link gestuurd naar { $email }. Open die link, vul deze code in en kies een gebruikersnaam en een wachtwoord. Activeer daarna een tweede sleutel: een beveiligingscode via e-mail of via een mobiele app.
letter-how-existing = We hebben een link gestuurd naar { $email }. Open die link, vul deze code in en kies een nieuw wachtwoord. Uw gebruikersnaam is { $username }. Activeer daarna een tweede sleutel: een beveiligingscode via e-mail of via een mobiele app.
letter-valid = De code werkt één keer, tot { $date }. Na vijf verkeerde pogingen werkt ze niet meer.
letter-keep = Houd deze brief voor uzelf. Niemand zal u ooit om deze code vragen, ook de helpdesk niet.
letter-help = Brief of e-mail kwijt? Ga terug naar een registratiekantoor of bel de helpdesk: { $contact }.

activation-title = Activeer uw digitale sleutel
activation-intro = Vul de activeringscode in die op de brief staat die u bij het registratiekantoor hebt gekregen.
field-activation-code = Activeringscode
msg-letter-unknown = Deze link werkt niet. Gebruik de link in de laatste e-mail, of vraag een nieuwe brief aan bij een registratiekantoor.
msg-letter-expired = Deze activeringscode is verlopen. Vraag een nieuwe brief aan bij een registratiekantoor.
msg-letter-used = Deze activeringscode is al gebruikt. Meld u aan met uw gebruikersnaam en wachtwoord.
msg-letter-revoked = Deze activeringscode is ingetrokken. Vraag een nieuwe brief aan bij een registratiekantoor.
msg-letter-exhausted = De code werd te vaak verkeerd ingevuld en werkt daarom niet meer. Vraag een nieuwe brief aan bij een registratiekantoor.
msg-letter-wrong = Dit is niet de code op uw brief. { $left ->
    [one] Nog 1 poging.
   *[other] Nog { $left } pogingen.
}
msg-letter-code-empty = Vul de activeringscode van uw brief in.
msg-letter-again = Vul uw activeringscode opnieuw in: er zijn meer dan 15 minuten verstreken.
activation-account-title = Kies uw gebruikersnaam en wachtwoord
activation-password-title = Kies een nieuw wachtwoord
activation-account-intro = Hiermee meldt u zich voortaan aan, samen met de tweede sleutel die u hierna activeert.
activation-your-username = Uw gebruikersnaam
field-new-username = Gebruikersnaam
msg-username-taken = Deze gebruikersnaam is al in gebruik. Kies een andere.
button-activation-account = Volgende: een digitale sleutel activeren

mail-letter-subject = Activeer uw digitale sleutel
mail-letter-body = U hebt bij het registratiekantoor een brief met een activeringscode gekregen. Open deze link en vul de code in:
mail-letter-valid = De link en de code werken tot { $date }.
mail-letter-not-you = Bent u niet bij een registratiekantoor geweest? Gebruik de link dan niet en bel de helpdesk: { $contact }.
