# Registration offices: the officers' console, the activation letter, the citizen's activation, its mail.

office-login-title = Bureau d'enregistrement : connexion
office-login-intro = Pour les agents d'un bureau d'enregistrement. Connectez-vous avec votre matricule, votre mot de passe et un code de votre application d'authentification.
field-officer-id = Matricule
field-officer-password = Mot de passe
field-officer-code = Code de votre application d'authentification
msg-office-login-wrong = Le matricule, le mot de passe ou le code n'est pas correct. Réessayez avec un nouveau code.
msg-office-locked = Trop de tentatives échouées. Réessayez dans { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}.
msg-office-no-role = Votre compte n'a pas le rôle d'agent d'un bureau d'enregistrement. Adressez-vous à votre administrateur.
office-sign-out = Se déconnecter de la console
office-signed-in = Agent : { $name }
office-find-title = Rechercher un citoyen
office-find-intro = Vérifiez d'abord sur place la carte d'identité ou le passeport du citoyen. Recherchez ensuite le citoyen à l'aide de l'une de ces données.
field-find-by = Rechercher par
office-by-username = Nom d'utilisateur
office-by-email = Adresse e-mail
office-by-nrn = Numéro de registre national
office-by-card = Numéro de série de la carte token
field-find-value = Donnée fournie par le citoyen
button-find = Rechercher
msg-office-not-found = Aucun citoyen n'a été trouvé. Vérifiez ce que vous avez saisi, ou inscrivez le citoyen.
msg-office-find-empty = Saisissez la donnée fournie par le citoyen.
msg-office-nrn-invalid = Ce n'est pas un numéro de registre national valable.
office-enrol-link = Inscrire un nouveau citoyen
office-citizen-title = Citoyen
office-pending = Inscrit dans un bureau d'enregistrement. Le citoyen n'a pas encore choisi de nom d'utilisateur.
office-fact-name = Nom
office-fact-username = Nom d'utilisateur
office-fact-email = Adresse e-mail
office-fact-lang = Langue
office-fact-login = Connexion
office-locked-for = Bloquée pendant encore { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}
office-not-locked = Non bloquée
office-keys-caption = Les clés numériques du citoyen
office-logins-heading = Connexions récentes
office-login-line = { $date } à { $time } : { $key }
office-no-logins = Aucune connexion pour l'instant.
office-letter-heading = Lettre d'activation
office-letter-none = Aucune lettre d'activation n'a été délivrée.
office-letter-status = { $state }. Délivrée le { $issued } par { $officer }, valable jusqu'au { $until }.
office-letter-state-issued = Délivrée, pas encore utilisée
office-letter-state-verified = Code saisi, nom d'utilisateur et mot de passe pas encore choisis
office-letter-state-used = Utilisée
office-letter-state-revoked = Révoquée
office-letter-state-expired = Expirée
office-letter-state-exhausted = Bloquée après trop de codes erronés
button-unlock = Débloquer la connexion
msg-office-unlocked = La connexion du citoyen est débloquée.
msg-office-was-not-locked = La connexion du citoyen n'était pas bloquée.
office-issue-intro = Délivrez une lettre d'activation : un code que vous imprimez et remettez, et un lien envoyé à l'adresse e-mail personnelle du citoyen. Une lettre précédente cesse alors de fonctionner. Confirmez avec un nouveau code de votre application d'authentification.
button-issue = Délivrer la lettre d'activation
msg-office-step-up-wrong = Ce code n'est pas correct ou a déjà été utilisé. Attendez le code suivant et réessayez.
button-revoke = Révoquer la lettre
msg-office-revoked = La lettre est révoquée : son code ne fonctionne plus.
msg-office-nothing-to-revoke = Il n'y a aucune lettre encore valable.
office-enrol-title = Inscrire un nouveau citoyen
office-enrol-intro = Uniquement après avoir vérifié sur place la carte d'identité ou le passeport du citoyen. Une adresse e-mail personnelle est obligatoire.
field-office-name = Nom complet
field-office-email = Adresse e-mail personnelle
field-office-lang = Langue
field-office-nrn = Numéro de registre national
button-enrol = Inscrire
msg-office-name-invalid = Saisissez le nom complet du citoyen.
msg-office-email-invalid = Saisissez une adresse e-mail personnelle, comme nom@exemple.be.
msg-office-nrn-taken = Un citoyen avec ce numéro de registre national est déjà connu. Recherchez plutôt ce citoyen.
msg-office-enrolled = Le citoyen est inscrit. Délivrez maintenant la lettre d'activation.
office-back = Retour à la recherche
office-back-citizen = Retour au citoyen
office-print-hint = Imprimez cette page avec la commande Imprimer de votre navigateur (Ctrl+P) et remettez-la au citoyen. Le code n'est affiché que maintenant.
msg-office-forbidden = Cette page est réservée aux agents d'un bureau d'enregistrement.

letter-title = Votre code d'activation
letter-greeting = Bonjour { $name },
letter-intro = Vous avez demandé une clé numérique au bureau d'enregistrement. Cette lettre contient votre code d'activation.
letter-code-label = Code d'activation
letter-how-new = Nous avons envoyé un lien à { $email }. Ouvrez-le, saisissez ce code et choisissez un nom d'utilisateur et un mot de passe. Activez ensuite une deuxième clé : un code de sécurité par e-mail ou via une application mobile.
letter-how-existing = Nous avons envoyé un lien à { $email }. Ouvrez-le, saisissez ce code et choisissez un nouveau mot de passe. Votre nom d'utilisateur est { $username }. Activez ensuite une deuxième clé : un code de sécurité par e-mail ou via une application mobile.
letter-valid = Le code fonctionne une seule fois, jusqu'au { $date }. Après cinq essais erronés, il ne fonctionne plus.
letter-keep = Gardez cette lettre pour vous. Personne ne vous demandera jamais ce code, pas même le service d'assistance.
letter-help = Vous avez perdu la lettre ou l'e-mail ? Retournez dans un bureau d'enregistrement ou appelez le service d'assistance : { $contact }.

activation-title = Activez votre clé numérique
activation-intro = Saisissez le code d'activation imprimé sur la lettre que vous avez reçue au bureau d'enregistrement.
field-activation-code = Code d'activation
msg-letter-unknown = Ce lien ne fonctionne pas. Utilisez le lien du dernier e-mail, ou demandez une nouvelle lettre dans un bureau d'enregistrement.
msg-letter-expired = Ce code d'activation a expiré. Demandez une nouvelle lettre dans un bureau d'enregistrement.
msg-letter-used = Ce code d'activation a déjà été utilisé. Connectez-vous avec votre nom d'utilisateur et votre mot de passe.
msg-letter-revoked = Ce code d'activation a été révoqué. Demandez une nouvelle lettre dans un bureau d'enregistrement.
msg-letter-exhausted = Le code a été mal saisi trop de fois : il ne fonctionne plus. Demandez une nouvelle lettre dans un bureau d'enregistrement.
msg-letter-wrong = Ce n'est pas le code de votre lettre. { $left ->
    [one] Il vous reste 1 essai.
   *[other] Il vous reste { $left } essais.
}
msg-letter-code-empty = Saisissez le code d'activation figurant sur votre lettre.
msg-letter-again = Saisissez à nouveau votre code d'activation : plus de 15 minutes se sont écoulées.
activation-account-title = Choisissez votre nom d'utilisateur et votre mot de passe
activation-password-title = Choisissez un nouveau mot de passe
activation-account-intro = Désormais, vous vous connectez avec ces données, ainsi qu'avec la deuxième clé que vous allez activer ensuite.
activation-your-username = Votre nom d'utilisateur
field-new-username = Nom d'utilisateur
msg-username-taken = Ce nom d'utilisateur est déjà pris. Choisissez-en un autre.
button-activation-account = Suivant : activer une clé numérique

mail-letter-subject = Activez votre clé numérique
mail-letter-body = Vous avez reçu au bureau d'enregistrement une lettre avec un code d'activation. Ouvrez ce lien et saisissez le code :
mail-letter-valid = Le lien et le code fonctionnent jusqu'au { $date }.
mail-letter-not-you = Vous n'avez pas demandé de clé numérique dans un bureau d'enregistrement ? N'utilisez pas le lien et appelez le service d'assistance : { $contact }.
