# Clés numériques, français.

service-name = Clés numériques
skip-to-content = Aller au contenu principal
language-switch = Langue
wizard-progress = Étapes pour activer votre clé numérique
errors-title = Erreur
footer-personal = Vos clés numériques sont strictement personnelles. Ne communiquez jamais votre mot de passe ou vos codes de sécurité à qui que ce soit, pas même à quelqu'un qui prétend travailler pour nous.
wizard-step-email = Confirmer l'adresse e-mail
wizard-step-select = Choisir votre clé numérique
wizard-step-activate = Activer votre clé numérique
wizard-step-done = Confirmation

button-back = Retour
button-continue = Continuer
button-cancel = Annuler
button-login = Se connecter
button-resend = Envoyer un nouveau code
button-sign-out = Se déconnecter
button-sign-out-everywhere = Se déconnecter sur tous les appareils

error-title = Un problème est survenu

key-token = Code de sécurité via token
key-email = Code de sécurité par e-mail
key-app = Code de sécurité via application mobile
key-token-hint = La carte token papier est en cours de suppression.
key-email-hint = Nous envoyons un code à votre adresse e-mail à chaque connexion.
key-app-hint = Une application d'authentification sur votre smartphone affiche le code.

login-title = Se connecter avec votre clé numérique
login-intro = Saisissez votre nom d'utilisateur et votre mot de passe, puis choisissez la clé numérique avec laquelle vous voulez vous connecter.
login-personal = Votre clé numérique est strictement personnelle. Utiliser la clé numérique d'une autre personne est une infraction pénale.
field-username = Nom d'utilisateur
field-password = Mot de passe
field-key = Choisissez votre clé numérique
field-code = Code de sécurité
login-keys-link = Mes clés numériques

login-token-title = Code de sécurité via token
login-token-ask = Saisissez le code de sécurité numéro { $n } de votre carte.
login-token-hint = Les codes numérotés figurent sur votre carte token papier.

notice-title = Le token est en cours de suppression
notice-text = À partir du { $date }, vous ne pourrez plus vous connecter avec votre token (la carte papier avec des codes de sécurité). Activez dès maintenant une nouvelle clé numérique : cela ne prend que quelques minutes.
notice-activate = Activer maintenant une nouvelle clé numérique (recommandé)
notice-other = Se connecter avec une autre clé numérique
notice-close = ×
notice-close-label = Fermer ce message et continuer avec le token

unavailable-title = Vous ne pouvez pas vous connecter avec cette clé
unavailable-text = Vous ne disposez pas de cette clé numérique (code de sécurité via token) ou la clé a peut-être expiré. Connectez-vous avec une autre clé ou activez cette clé numérique dans Mes clés numériques.
unavailable-other-key = Vous avez une autre clé numérique, un code de sécurité par e-mail ou via une application ? Connectez-vous avec cette clé ; mot de passe oublié ? Choisissez « Mot de passe oublié ? » et utilisez cette clé pour en choisir un nouveau.
unavailable-office = Le token était votre seule clé numérique ? Obtenez une nouvelle clé numérique dans un bureau d'enregistrement : munissez-vous de votre carte d'identité ou de votre passeport et de votre adresse e-mail personnelle.
unavailable-help = Des questions ? Contactez le service d'assistance Clés numériques : { $contact }.
login-token-ended = Depuis le { $date }, vous ne pouvez plus vous connecter avec la carte token papier.
login-token-ended-link = Pas d'autre clé numérique ? Que faire

login-email-title = Code de sécurité par e-mail
login-email-sent = Nous avons envoyé un code de sécurité à votre adresse e-mail. Saisissez-le ci-dessous.
login-app-title = Code de sécurité via application mobile
login-app-ask = Ouvrez votre application d'authentification et saisissez le code à 6 chiffres qu'elle affiche.

keys-title = Mes clés numériques
keys-intro = Voici vos clés numériques et leur état.
keys-caption = Vos clés numériques
keys-col-key = Clé numérique
keys-col-state = État
keys-col-since = Depuis
state-active = Active
state-inactive = Inactive
keys-activate = Activer une nouvelle clé numérique

logged-out-title = Vous êtes déconnecté
logged-out-text = Votre session est terminée. Fermez votre navigateur si vous utilisez un ordinateur partagé.
logged-out-login = Se reconnecter


msg-login-failed = Le nom d'utilisateur ou le mot de passe est incorrect.
msg-username-invalid = Un nom d'utilisateur ne contient que des lettres, des chiffres et . - _ @ ' d'un seul alphabet, sans espaces.
msg-login-too-many = Trop de connexions échouées depuis votre réseau. Réessayez dans une heure.
msg-login-again = Pour votre sécurité, reconnectez-vous avant de modifier votre adresse e-mail ou d'activer une clé numérique.
msg-login-locked = Trop de tentatives. Réessayez dans { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}.
msg-rate-limited = Trop de demandes depuis votre réseau. Attendez une minute et réessayez.
msg-code-invalid = Ce code de sécurité est incorrect.
msg-field-required = Remplissez ce champ.
msg-key-unknown = Choisissez l'une des clés numériques.
msg-key-not-active = Vous n'avez pas activé cette clé numérique. Connectez-vous avec une autre clé.
msg-flow-expired = Votre connexion a pris trop de temps. Recommencez.
msg-session-expired = Votre session est terminée. Connectez-vous à nouveau.
msg-csrf-invalid = Ce formulaire a expiré. Revenez en arrière, rechargez la page et réessayez.
msg-input-invalid = Le formulaire contient quelque chose que nous ne pouvons pas accepter.
msg-input-too-large = Le formulaire est trop volumineux.
msg-input-not-a-form = Cette adresse n'accepte qu'un formulaire.
msg-page-not-found = Cette page n'existe pas.
msg-page-method-not-allowed = Cette page ne peut pas être utilisée de cette façon.
msg-internal = Un problème est survenu de notre côté. Réessayez plus tard.
msg-unavailable = Le service est temporairement indisponible. Réessayez dans un instant.
msg-signed-out = Vous êtes déconnecté.
msg-token-unavailable = Vous ne disposez pas de cette clé numérique (code de sécurité via token) ou la clé a peut-être expiré. Connectez-vous avec une autre clé ou activez cette clé numérique dans Mes clés numériques.
msg-token-ended = Depuis le { $date }, la carte token papier ne fonctionne plus : plus personne ne peut se connecter avec un token.

button-confirm = Confirmer
button-end-session = Terminer la session
keys-back = Aller à Mes clés numériques

wizard-email-title = Confirmez votre adresse e-mail
wizard-email-intro = Nous utilisons cette adresse pour vous envoyer des codes de sécurité et pour vous prévenir de tout changement dans vos clés numériques.
field-email-current = Votre adresse e-mail
field-email-new = Nouvelle adresse e-mail
wizard-verify-title = Confirmez votre nouvelle adresse e-mail
wizard-verify-sent = Nous avons envoyé un code à { $address }. Saisissez-le ci-dessous pour confirmer cette adresse. Le code est valable { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}.
wizard-junk = Vous n'avez pas reçu de code ? Vérifiez votre dossier de courrier indésirable (spam). Si aucun code n'arrive, cliquez sur Annuler et demandez un nouveau code.
wizard-select-title = Choisissez votre clé numérique
wizard-select-intro = Les deux clés numériques sont sûres et recommandées. Choisissez celle qui vous convient le mieux.
wizard-code-title = Activez votre clé numérique : code de sécurité par e-mail
wizard-code-sent = Nous avons envoyé un code d'enregistrement à { $address }. Saisissez-le ci-dessous. Le code est valable { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}.
wizard-done-title = Votre nouvelle clé numérique est active
wizard-done-token = Votre token a été désactivé : vous ne pouvez plus l'utiliser pour vous connecter.
wizard-done-mails = Nous vous avons envoyé des e-mails de confirmation.
wizard-done-next = Terminez maintenant votre session. La prochaine fois, connectez-vous avec votre nouvelle clé numérique.
login-email-junk = Vous n'avez pas reçu de code ? Vérifiez votre dossier de courrier indésirable (spam) ou demandez un nouveau code.

msg-code-tries-left = Il vous reste { $tries ->
    [one] 1 essai
   *[other] { $tries } essais
}.
msg-code-exhausted = Vous avez saisi trop souvent un code erroné. Demandez un nouveau code.
msg-code-expired = Ce code n'est plus valable : il a expiré ou a déjà été utilisé. Demandez un nouveau code.
msg-code-resent = Nous vous avons envoyé un nouveau code. Seul le code le plus récent fonctionne.
msg-code-too-many-sends = Vous avez demandé trop de codes. Réessayez dans une heure.
msg-mail-not-sent = Nous n'avons pas pu envoyer l'e-mail pour le moment. Réessayez dans un instant.
msg-code-too-many-to-address = Nous avons envoyé trop de codes à cette adresse au cours de la dernière heure. Réessayez plus tard.
msg-email-invalid = Saisissez une adresse e-mail comme nom@exemple.be.
msg-email-same = C'est déjà votre adresse e-mail.
msg-key-already-active = Cette clé numérique est déjà active.
msg-keys-all-active = Vous avez déjà activé toutes les clés numériques que nous proposons.
msg-key-activated = Votre clé numérique « { $key } » est active.

mail-greeting = Bonjour,
mail-signature = Cordialement, l'équipe Clés numériques
mail-footer = Ceci est un message automatique ; merci de ne pas y répondre. Nous ne vous demanderons jamais votre mot de passe ni vos codes de sécurité.
mail-never-share = Ne communiquez jamais ce code à personne, pas même à quelqu'un qui prétend travailler pour nous.
mail-ignore = Vous n'avez pas demandé ce code ? Quelqu'un a peut-être saisi votre adresse par erreur : vous pouvez ignorer cet e-mail, rien ne change sans le code.
mail-not-you = Si vous n'êtes pas à l'origine de cette action, contactez immédiatement le service d'assistance Clés numériques : { $contact }.
mail-registration-subject = Votre code d'enregistrement
mail-registration-body = Saisissez ce code d'enregistrement pour activer votre clé numérique « code de sécurité par e-mail ». Il est valable { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}.
mail-change-subject = Confirmez votre nouvelle adresse e-mail
mail-change-body = Saisissez ce code pour confirmer votre nouvelle adresse e-mail pour vos clés numériques. Il est valable { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}.
mail-login-subject = Votre code de sécurité pour vous connecter
mail-login-body = Saisissez ce code de sécurité pour vous connecter. Il est valable { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}.
mail-changed-subject = Votre adresse e-mail a été modifiée
mail-changed-body = L'adresse e-mail de vos clés numériques a été remplacée par { $address }. Désormais, nous vous écrirons à cette adresse.
mail-token-off-subject = Votre token a été désactivé
mail-token-off-body = Votre clé numérique « code de sécurité via token » a été désactivée. Vous ne pouvez plus vous connecter avec votre carte token en papier ; vous pouvez la détruire.
mail-key-on-subject = Votre nouvelle clé numérique est active
mail-key-on-body = Votre clé numérique « { $key } » est maintenant active. Utilisez-la lors de votre prochaine connexion.
mail-reminder-subject = Votre token ne fonctionnera plus à partir du { $date } : activez une nouvelle clé numérique
mail-reminder-body = À partir du { $date }, vous ne pourrez plus vous connecter avec votre token (la carte papier avec des codes de sécurité). Activez une nouvelle clé numérique avant cette date : cela ne prend que quelques minutes.
mail-reminder-how = Connectez-vous comme d'habitude avec votre token et choisissez « Activer maintenant une nouvelle clé numérique ». Vous choisissez alors l'une des deux nouvelles clés : un code de sécurité envoyé par e-mail, ou un code d'une application d'authentification sur votre smartphone.
mail-reminder-no-link = Pour votre sécurité, cet e-mail ne contient aucun lien : rendez-vous vous-même sur le site de Clés numériques, comme d'habitude.

button-next = Suivant
wizard-install-title = Installez une application d'authentification
wizard-install-intro = Installez une application d'authentification sur votre smartphone ou votre tablette depuis sa boutique d'applications. Toute application de codes de sécurité temporels (TOTP) convient, par exemple :
wizard-install-then = Quand l'application est installée sur votre téléphone, cliquez sur Suivant.
wizard-pair-title = Liez l'application à votre clé numérique
wizard-pair-scan = Ouvrez l'application, choisissez d'ajouter un compte et scannez ce code QR.
wizard-pair-qr-alt = Code QR à scanner avec votre application d'authentification
wizard-pair-manual = Impossible de scanner ? Saisissez cette clé à la main dans l'application (basée sur le temps) :
wizard-pair-warning = Ne communiquez jamais à personne les codes de votre application ni ce code QR. Nous ne vous les demanderons jamais.
wizard-pair-code = Saisissez ensuite le code à 6 chiffres affiché par l'application.
msg-code-replayed = Ce code a déjà été utilisé. Attendez le code suivant dans votre application.
msg-app-restart = Vous avez saisi trop souvent un code erroné. Cliquez sur Suivant pour lier à nouveau l'application avec un nouveau code QR.

# OpenID Connect (keys_oidc): a public service's login request
msg-oidc-client-unknown = Le service qui vous a envoyé ici n'est pas connu des Clés numériques. Retournez au service et réessayez, ou contactez-le.
msg-oidc-redirect-uri = Le service qui vous a envoyé ici demande une réponse à une adresse qu'il n'a pas enregistrée : nous ne pouvons pas vous y renvoyer. Contactez le service.
msg-oidc-request-invalid = La demande de connexion du service qui vous a envoyé ici est illisible. Retournez au service et réessayez.
msg-oidc-request-expired = Cette demande de connexion a expiré ou a déjà reçu une réponse. Retournez au service et recommencez.
msg-oidc-logout-invalid = Le service qui vous a envoyé ici pour vous déconnecter a donné une adresse ou un jeton que nous ne pouvons pas accepter. Votre session n'a pas été fermée.
oidc-continue = Continuer vers le service
oidc-logout-title = Vous déconnecter des Clés numériques ?
oidc-logout-text = Un service demande de fermer votre session des Clés numériques. Vous devrez vous reconnecter pour chaque service.
oidc-logout-confirm = Se déconnecter
oidc-continue-title = Retour au service
oidc-continue-text = Vous êtes connecté. Vous êtes renvoyé vers { $service }.
oidc-continue-to = Continuer vers { $service }
oidc-asking = { $service } vous demande de vous connecter avec votre clé numérique.
oidc-cancel = Annuler et retourner à { $service }
oidc-stronger-title = Une clé numérique plus forte est nécessaire
oidc-stronger-text = { $service } demande une clé numérique plus forte que celle que vous avez utilisée ({ $key }).
oidc-stronger-login = Se connecter avec { $key }
oidc-stronger-none = Vous n'avez pas encore de clé numérique assez forte. Activez maintenant l'une de ces clés, puis vous continuerez vers le service : { $keys }.
oidc-stronger-activate = Activer une clé numérique maintenant
msg-oidc-no-key-strong-enough = Le service demande une clé que vous ne pouvez pas encore activer ici (une eID ou itsme). Retournez au service pour choisir une autre voie.

# Password change
keys-password-link = Modifier mon mot de passe
password-title = Modifier votre mot de passe
password-intro = Saisissez votre mot de passe actuel et le nouveau. Le nouveau mot de passe compte au moins 12 caractères et est difficile à deviner : quelques mots sans lien conviennent bien. Vos autres sessions prennent fin dès qu'il est modifié.
field-password-current = Mot de passe actuel
field-password-new = Nouveau mot de passe
button-change-password = Modifier le mot de passe
msg-password-wrong = Le mot de passe actuel est incorrect.
msg-password-weak = Choisissez un mot de passe plus long et plus difficile à deviner : au moins 12 caractères, pas un mot de passe courant, pas semblable à votre nom d'utilisateur.
msg-password-changed = Votre mot de passe a été modifié. Vous êtes déconnecté partout ailleurs.
mail-password-subject = Votre mot de passe a été modifié
mail-password-body = Le mot de passe de vos clés numériques vient d'être modifié et toutes vos autres sessions ont pris fin.

# Forgotten username
forgotten-username-title = Nom d'utilisateur oublié ?
forgotten-username-intro = Saisissez l'adresse e-mail de votre clé numérique. Nous envoyons à cette adresse les noms d'utilisateur qui y sont enregistrés.
forgotten-username-send = Envoyer mon nom d'utilisateur
field-email = Adresse e-mail
login-forgotten-username = Nom d'utilisateur oublié ?
msg-recovery-username-sent = Si cette adresse appartient à une clé numérique, ses noms d'utilisateur sont en route vers elle. Pas d'e-mail après quelques minutes ? Vérifiez l'adresse et votre dossier de courrier indésirable.
msg-recovery-too-many = Trop de demandes depuis votre connexion. Réessayez dans une heure.
mail-usernames-subject = Votre nom d'utilisateur pour Clés numériques
mail-usernames-body = Ces noms d'utilisateur sont enregistrés avec cette adresse e-mail : { $usernames }.
mail-usernames-not-asked = Si vous n'avez rien demandé, ignorez cet e-mail : personne ne peut se connecter avec un nom d'utilisateur seul.

# The logged-in frame, My profile, Info, the side panel and the texts of the guide
frame-welcome = Bienvenue, { $name }
frame-tabs = Vos clés numériques : rubriques
tab-keys = Mes clés numériques
tab-profile = Mon profil
tab-info = Info
show-password = Afficher le mot de passe
hide-password = Masquer le mot de passe
panel-title = Plus d'informations
panel-token-note = Attention ! Vous ne pouvez plus activer de nouveau token. Les citoyens qui ont un token actif peuvent continuer à l'utiliser pour se connecter aux services en ligne.
panel-token-ended = Attention ! Depuis le { $date }, plus personne ne peut se connecter avec un token.
panel-other-key = Vous souhaitez activer une autre clé ? Connectez-vous ici pour créer ou modifier vos clés numériques.
panel-sign-in-here = Connectez-vous ici
login-to-keys = Connectez-vous pour aller à Mes clés numériques : vous y créez ou modifiez vos clés numériques.
button-previous = Précédent
button-change = Modifier
button-save = Enregistrer
wizard-email-right = Cette adresse e-mail est-elle correcte ? Cliquez alors sur Suivant. Sinon, cliquez sur Modifier.
wizard-select-why = Avec ces clés numériques, vous pouvez vous connecter à la plupart des services en ligne. Pourquoi ?
wizard-select-why-link = Pourquoi ?
wizard-code-junk = Vous n'avez pas reçu de code ? Vérifiez votre dossier de courrier indésirable (spam). Toujours pas de code après quelques minutes ? Cliquez sur Envoyer un nouveau code.
field-registration-code = Code d'enregistrement
wizard-pair-valid = Ce code ne reste valable que 60 secondes. Saisissez-le donc tout de suite.
wizard-install-search = Astuce : cherchez « authenticator » dans la boutique d'applications et choisissez l'une de ces applications.
wizard-install-store = Chercher des applications d'authentification dans { $store }.
state-not-activated = Pas activée
msg-profile-email-changed = Votre adresse e-mail a été modifiée. Nous en avons informé votre ancienne adresse par e-mail.
msg-profile-language-saved = Désormais, nous vous écrivons nos e-mails dans cette langue.
msg-lang-unknown = Choisissez l'une des langues.
profile-title = Mon profil
profile-intro = Vos données telles que Clés numériques les connaît.
profile-name = Nom
profile-change-email = Modifier l'adresse e-mail
field-mail-language = Langue de nos e-mails
profile-back = Aller à Mon profil
profile-email-title = Modifier votre adresse e-mail
profile-email-junk = Vous n'avez pas reçu de code ? Vérifiez votre dossier de courrier indésirable (spam). Toujours pas de code après quelques minutes ? Cliquez sur Annuler et modifiez à nouveau l'adresse.
info-title = Info
info-intro = Avec une clé numérique, vous vous connectez aux services publics en ligne. Vous lisez ici quelles clés existent, quel est leur niveau de sécurité et où trouver de l'aide.
info-keys-title = Les clés numériques
info-keys-text = Chaque clé numérique se compose de votre nom d'utilisateur et de votre mot de passe, plus une seconde étape :
info-key-email = Code de sécurité par e-mail : nous vous envoyons un code par e-mail à chaque connexion.
info-key-app = Code de sécurité via application mobile : une application d'authentification sur votre smartphone ou votre tablette affiche le code.
info-key-token = Code de sécurité via token : la carte papier avec des codes numérotés. Elle est en cours de suppression : aucun nouveau token ne peut être activé.
info-levels-title = Pourquoi ces clés ? Les niveaux des clés
info-levels-text = Les services en ligne demandent une clé assez forte pour ce que vous y faites :
info-level-low = Faible : mot de passe et code de sécurité par e-mail.
info-level-substantial = Substantiel : mot de passe et code de sécurité via application mobile (ou le token, jusqu'à sa fin).
info-level-high = Élevé : les clés fortes, comme l'eID avec son lecteur de cartes ou itsme.
info-levels-why = Avec le code de sécurité par e-mail ou via application mobile, vous pouvez vous connecter à la plupart des services en ligne. Un service qui exige davantage vous dit quelle clé utiliser.
info-phase-out-title = Le token est en cours de suppression
info-phase-out-text = À partir du { $date }, plus personne ne pourra se connecter avec le token. Activez une nouvelle clé numérique avant cette date : cela ne prend que quelques minutes.
info-phase-out-ended = Depuis le { $date }, plus personne ne peut se connecter avec le token.
info-phase-out-how = Connectez-vous avec votre token et choisissez « Activer maintenant une nouvelle clé numérique », ou connectez-vous et allez à Mes clés numériques.
info-help-title = Aide

# Forgotten password
login-forgotten-password = Mot de passe oublié ?
recovery-title = Mot de passe oublié ?
recovery-intro = Saisissez votre nom d'utilisateur. Nous envoyons un code de récupération à l'adresse e-mail de votre clé numérique.
recovery-needs = Il vous faut aussi une deuxième clé numérique qui fonctionne encore : l'application d'authentification, ou votre carte token jusqu'à sa fin. Un code par e-mail seul ne peut pas changer votre mot de passe.
recovery-code-title = Saisissez le code de récupération
recovery-code-sent = Si ce nom d'utilisateur existe, nous avons envoyé un code de récupération à son adresse e-mail. Saisissez-le ci-dessous. Le code est valable { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}.
recovery-code-junk = Pas de code après quelques minutes ? Vérifiez votre dossier de courrier indésirable (spam) et le nom d'utilisateur saisi.
field-recovery-code = Code de récupération
recovery-second-title = Votre deuxième clé numérique
recovery-second-intro = Pour protéger votre compte, nous vous demandons aussi un code de votre deuxième clé numérique.
recovery-password-title = Choisissez un nouveau mot de passe
recovery-password-intro = Le nouveau mot de passe compte au moins 12 caractères et est difficile à deviner : quelques mots sans lien entre eux conviennent bien. Toutes vos sessions prennent fin lorsqu'il est changé.
recovery-office-title = Votre mot de passe ne peut pas être réinitialisé en ligne
msg-recovery-no-second-key = Un code par e-mail seul ne peut pas réinitialiser votre mot de passe : il vous faut aussi une deuxième clé numérique (l'application d'authentification, ou le token tant qu'il fonctionne).
recovery-done-title = Votre mot de passe a été modifié
msg-recovery-password-reset = Votre mot de passe a été modifié et toutes vos sessions ont pris fin. Connectez-vous avec votre nouveau mot de passe.
mail-recovery-subject = Votre code de récupération
mail-recovery-body = Saisissez ce code de récupération pour choisir un nouveau mot de passe pour vos clés numériques ; il vous faut aussi votre deuxième clé numérique. Il est valable { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}.
mail-reset-subject = Votre mot de passe a été réinitialisé
mail-reset-body = Le mot de passe de vos clés numériques a été réinitialisé via « Mot de passe oublié ? », avec un code envoyé à cette adresse et votre deuxième clé numérique. Toutes les sessions ont pris fin.

# The grace window after the sunset
login-token-grace = Depuis le { $date }, la carte token ne permet plus de se connecter aux services en ligne. Jusqu'au { $until }, elle peut encore servir à activer une nouvelle clé numérique, et à rien d'autre.
