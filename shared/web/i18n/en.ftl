# Digital keys, English. Every id here must exist in nl.ftl, fr.ftl and de.ftl (a test checks).

service-name = Digital keys
skip-to-content = Skip to main content
language-switch = Language
wizard-progress = Steps to activate your digital key
errors-title = Error
footer-personal = Your digital keys are strictly personal. Never share your password or security codes with anyone, not even with someone who says they work for us.
wizard-step-email = Confirm e-mail address
wizard-step-select = Select your digital key
wizard-step-activate = Activate your digital key
wizard-step-done = Confirmation

button-back = Back
button-continue = Continue
button-cancel = Cancel
button-login = Log in
button-resend = Send a new code
button-sign-out = Sign out
button-sign-out-everywhere = Sign out on all devices

error-title = Something went wrong

key-token = Security code via token
key-email = Security code by e-mail
key-app = Security code via mobile app
key-token-hint = The paper token card is being phased out.
key-email-hint = We send a code to your e-mail address each time you log in.
key-app-hint = An authenticator app on your phone shows the code.

login-title = Log in with your digital key
login-intro = Enter your username and password, then choose the digital key you want to log in with.
login-personal = Your digital key is strictly personal. Using someone else's digital key is a criminal offence.
field-username = Username
field-password = Password
field-key = Choose your digital key
field-code = Security code
login-keys-link = My digital keys

login-token-title = Security code via token
login-token-ask = Enter the security code number { $n } of your card.
login-token-hint = You find the numbered codes on your paper token card.

notice-title = The token is being phased out
notice-text = From { $date } you can no longer log in with your token (the paper card with security codes). Activate a new digital key now: it only takes a few minutes.
notice-activate = Activate a new digital key now (recommended)
notice-other = Log in with another digital key
notice-close = ×
notice-close-label = Close this notice and continue with the token

unavailable-title = You cannot log in with this key
unavailable-text = You do not have this digital key (security code via token) or the key may have expired. Log in with a different key or activate this digital key in My digital keys.
unavailable-other-key = Do you have another digital key, a security code by e-mail or via an app? Log in with that key; forgotten its password? Choose "Forgotten your password?" and use that key to set a new one.
unavailable-office = Was the token your only digital key? Get a new digital key at a registration office: bring your identity card or passport and your personal e-mail address.
unavailable-help = Questions? Contact the Digital keys help desk: { $contact }.
login-token-ended = Since { $date } you can no longer log in with the paper token card.
login-token-ended-link = No other digital key? What to do

login-email-title = Security code by e-mail
login-email-sent = We sent a security code to your e-mail address. Enter it below.
login-app-title = Security code via mobile app
login-app-ask = Open your authenticator app and enter the 6-digit code it shows.

keys-title = My digital keys
keys-intro = These are your digital keys and their state.
keys-caption = Your digital keys
keys-col-key = Digital key
keys-col-state = State
keys-col-since = Since
state-active = Active
state-inactive = Not active
keys-activate = Activate a new digital key

logged-out-title = You are logged out
logged-out-text = Your session has ended. Close your browser if you are on a shared computer.
logged-out-login = Log in again


msg-login-failed = The username or password is incorrect.
msg-username-invalid = A username holds only letters, digits and . - _ @ ' of one alphabet, without spaces.
msg-login-too-many = Too many failed logins from your network. Try again in an hour.
msg-login-again = For your safety, log in again before you change your e-mail address or activate a digital key.
msg-login-locked = Too many attempts. Try again in { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}.
msg-rate-limited = Too many requests from your network. Wait a minute and try again.
msg-code-invalid = This security code is incorrect.
msg-field-required = Fill in this field.
msg-key-unknown = Choose one of the digital keys.
msg-key-not-active = You have not activated this digital key. Log in with a different key.
msg-flow-expired = Your login took too long. Start again.
msg-session-expired = Your session has ended. Log in again.
msg-csrf-invalid = This form has expired. Go back, reload the page and try again.
msg-input-invalid = The form contains something we cannot accept.
msg-input-too-large = The form is too large.
msg-input-not-a-form = This address only accepts a form.
msg-page-not-found = This page does not exist.
msg-page-method-not-allowed = This page cannot be used like that.
msg-internal = Something went wrong on our side. Please try again later.
msg-unavailable = The service is temporarily unavailable. Please try again in a moment.
msg-signed-out = You are signed out.
msg-token-unavailable = You do not have this digital key (security code via token) or the key may have expired. Log in with a different key or activate this digital key in My digital keys.
msg-token-ended = Since { $date } the paper token card no longer works: no one can log in with a token any more.

button-confirm = Confirm
button-end-session = End session
keys-back = Go to My digital keys

wizard-email-title = Confirm your e-mail address
wizard-email-intro = We use this address to send you security codes and to tell you when something changes in your digital keys.
field-email-current = Your e-mail address
field-email-new = New e-mail address
wizard-verify-title = Confirm your new e-mail address
wizard-verify-sent = We sent a code to { $address }. Enter it below to confirm this address. The code is valid for { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}.
wizard-junk = Did not receive a code? Check your junk or spam folder. If no code arrives, press Cancel and ask for a new code.
wizard-select-title = Select your digital key
wizard-select-intro = Both digital keys are safe and recommended. Choose the one that suits you best.
wizard-code-title = Activate your digital key: security code by e-mail
wizard-code-sent = We sent a registration code to { $address }. Enter it below. The code is valid for { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}.
wizard-done-title = Your new digital key is active
wizard-done-token = Your token has been deactivated: you can no longer log in with it.
wizard-done-mails = We have sent you e-mails to confirm this.
wizard-done-next = End your session now. Next time, log in with your new digital key.
login-email-junk = Did not receive a code? Check your junk or spam folder, or send a new code.

msg-code-tries-left = You can try { $tries ->
    [one] 1 more time
   *[other] { $tries } more times
}.
msg-code-exhausted = You entered a wrong code too many times. Ask for a new code.
msg-code-expired = This code is no longer valid: it has expired or was already used. Ask for a new code.
msg-code-resent = We sent you a new code. Only the newest code works.
msg-code-too-many-sends = You have asked for too many codes. Try again in an hour.
msg-mail-not-sent = We could not send the e-mail just now. Try again in a moment.
msg-code-too-many-to-address = We have sent too many codes to this address in the last hour. Try again later.
msg-email-invalid = Enter an e-mail address such as name@example.be.
msg-email-same = This is already your e-mail address.
msg-key-already-active = This digital key is already active.
msg-keys-all-active = You have already activated every digital key we offer.
msg-key-activated = Your digital key "{ $key }" is active.

mail-greeting = Hello,
mail-signature = Kind regards, the Digital keys team
mail-footer = This is an automatic message; please do not reply. We will never ask you for your password or your security codes.
mail-never-share = Never share this code with anyone, not even with someone who says they work for us.
mail-ignore = Did you not ask for this code? Then someone may have typed your address by mistake: you can ignore this e-mail, nothing changes without the code.
mail-not-you = If you did not do this yourself, contact the Digital keys help desk at once: { $contact }.
mail-registration-subject = Your registration code
mail-registration-body = Enter this registration code to activate your digital key "security code by e-mail". It is valid for { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}.
mail-change-subject = Confirm your new e-mail address
mail-change-body = Enter this code to confirm your new e-mail address for your digital keys. It is valid for { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}.
mail-login-subject = Your security code to log in
mail-login-body = Enter this security code to log in. It is valid for { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}.
mail-changed-subject = Your e-mail address has been changed
mail-changed-body = The e-mail address of your digital keys has been changed to { $address }. From now on we send your e-mails there.
mail-token-off-subject = Your token has been deactivated
mail-token-off-body = Your digital key "security code via token" has been deactivated. You can no longer log in with your paper token card; you may destroy it.
mail-key-on-subject = Your new digital key is active
mail-key-on-body = Your digital key "{ $key }" is now active. Use it the next time you log in.
mail-reminder-subject = Your token stops working on { $date }: activate a new digital key
mail-reminder-body = From { $date } you can no longer log in with your token (the paper card with security codes). Activate a new digital key before then: it only takes a few minutes.
mail-reminder-how = Log in as usual with your token and choose "Activate a new digital key now". You then choose one of two new keys: a security code sent to you by e-mail, or a code from an authenticator app on your smartphone.
mail-reminder-no-link = For your safety this e-mail contains no link: go to the Digital keys website yourself, as you always do.

button-next = Next
wizard-install-title = Install an authenticator app
wizard-install-intro = Install an authenticator app on your smartphone or tablet from its app store. Any app for time-based security codes (TOTP) will do, for example:
wizard-install-then = When the app is installed on your phone, press Next.
wizard-pair-title = Link the app to your digital key
wizard-pair-scan = Open the app, choose to add an account, and scan this QR code.
wizard-pair-qr-alt = QR code to scan with your authenticator app
wizard-pair-manual = Cannot scan the code? Enter this key in the app by hand (time-based):
wizard-pair-warning = Never share the codes of your app, or this QR code, with anyone. We will never ask you for them.
wizard-pair-code = Then enter the 6-digit code the app shows.
msg-code-replayed = This code was already used. Wait for the next code in your app.
msg-app-restart = You entered a wrong code too many times. Press Next to link the app again with a new QR code.

# OpenID Connect (keys_oidc): a public service's login request
msg-oidc-client-unknown = The service that sent you here is not known to Digital keys. Go back to the service and try again, or contact it.
msg-oidc-redirect-uri = The service that sent you here asked to be answered at an address it has not registered, so you cannot be sent back. Contact the service.
msg-oidc-request-invalid = The login request of the service that sent you here cannot be read. Go back to the service and try again.
msg-oidc-request-expired = This login request has expired or was already answered. Go back to the service and start again.
msg-oidc-logout-invalid = The service that sent you here to log out gave an address or token we cannot accept. Your session was not ended.
oidc-continue = Continue to the service
oidc-logout-title = Log out of Digital keys?
oidc-logout-text = A service asks to end your Digital keys session. You will have to log in again for every service.
oidc-logout-confirm = Log out
oidc-continue-title = Back to the service
oidc-continue-text = You are logged in. You are being taken back to { $service }.
oidc-continue-to = Continue to { $service }
oidc-asking = { $service } asks you to log in with your digital key.
oidc-cancel = Cancel and go back to { $service }
oidc-stronger-title = A stronger digital key is needed
oidc-stronger-text = { $service } asks for a stronger digital key than the one you used ({ $key }).
oidc-stronger-login = Log in with { $key }
oidc-stronger-none = You have no digital key strong enough yet. Activate one of these keys now, then you will continue to the service: { $keys }.
oidc-stronger-activate = Activate a digital key now
msg-oidc-no-key-strong-enough = The service asks for a key you cannot activate here yet (an eID or itsme). Go back to the service to choose another way.

# Password change
keys-password-link = Change my password
password-title = Change your password
password-intro = Enter your current password and the new one. The new password has at least 12 characters and is hard to guess: a few unrelated words work well. Your other sessions end when it is changed.
field-password-current = Current password
field-password-new = New password
button-change-password = Change password
msg-password-wrong = The current password is incorrect.
msg-password-weak = Choose a longer password that is harder to guess: at least 12 characters, not a common password, not like your username.
msg-password-changed = Your password has been changed. You are signed out everywhere else.
mail-password-subject = Your password has been changed
mail-password-body = The password of your digital keys has just been changed, and every other session was ended.

# Forgotten username
forgotten-username-title = Forgotten your username?
forgotten-username-intro = Enter the e-mail address of your digital key. We send the usernames registered with it to that address.
forgotten-username-send = Send my username
field-email = E-mail address
login-forgotten-username = Forgotten your username?
msg-recovery-username-sent = If this address belongs to a digital key, its usernames are on their way to it. No mail after a few minutes? Check the address and your junk mail folder.
msg-recovery-too-many = Too many requests from your connection. Try again in an hour.
mail-usernames-subject = Your username for Digital keys
mail-usernames-body = These usernames are registered with this e-mail address: { $usernames }.
mail-usernames-not-asked = If you did not ask for this, you can ignore this mail: nobody can log in with a username alone.

# The logged-in frame, My profile, Info, the side panel and the texts of the guide
frame-welcome = Welcome, { $name }
frame-tabs = Your digital keys: sections
tab-keys = My digital keys
tab-profile = My profile
tab-info = Info
show-password = Show password
hide-password = Hide password
panel-title = More information
panel-token-note = Note! You cannot activate a new token anymore. Citizens with an active token can continue to use it in order to log into online services.
panel-token-ended = Note! Since { $date } no one can log in with a token any more.
panel-other-key = Would you like to activate another key? Sign in here to create or edit your digital keys.
panel-sign-in-here = Sign in here
login-to-keys = Log in to go to My digital keys: there you create or edit your digital keys.
button-previous = Previous
button-change = Change
button-save = Save
wizard-email-right = Is this e-mail address correct? Then press Next. If not, press Change.
wizard-select-why = With these digital keys, you can log into most online services. Why?
wizard-select-why-link = Why?
wizard-code-junk = Did not receive a code? Check your junk or spam folder. Still no code after a few minutes? Press Send a new code.
field-registration-code = Registration code
wizard-pair-valid = This code remains valid for just 60 seconds. So enter the code right away.
wizard-install-search = Tip: search the app store for "authenticator" and choose one of these apps.
wizard-install-store = Search for authenticator apps in { $store }.
state-not-activated = Not activated
msg-profile-email-changed = Your e-mail address has been changed. We told your previous address by e-mail.
msg-profile-language-saved = From now on we write our e-mails to you in this language.
msg-lang-unknown = Choose one of the languages.
profile-title = My profile
profile-intro = Your details as Digital keys knows them.
profile-name = Name
profile-change-email = Change e-mail address
field-mail-language = Language of our e-mails
profile-back = Go to My profile
profile-email-title = Change your e-mail address
profile-email-junk = Did not receive a code? Check your junk or spam folder. Still no code after a few minutes? Press Cancel and change the address again.
info-title = Info
info-intro = With a digital key you log on to online public services. Here you read which keys there are, how strong each one is, and where to get help.
info-keys-title = The digital keys
info-keys-text = Every digital key is your username and password plus a second step:
info-key-email = Security code by e-mail: we mail you a code each time you log in.
info-key-app = Security code via mobile app: an authenticator app on your smartphone or tablet shows the code.
info-key-token = Security code via token: the paper card with numbered codes. It is being phased out: no new token can be activated.
info-levels-title = Why these keys? The levels of the keys
info-levels-text = Online services ask for a key that is strong enough for what you do there:
info-level-low = Low: password and a security code by e-mail.
info-level-substantial = Substantial: password and a security code via mobile app (or the token, until it stops).
info-level-high = High: the strong keys, such as the eID with its card reader or itsme.
info-levels-why = With the security code by e-mail or via mobile app you can log into most online services. A service that needs more tells you which key to use.
info-phase-out-title = The token is being phased out
info-phase-out-text = From { $date } no one can log in with the token any more. Activate a new digital key before then: it only takes a few minutes.
info-phase-out-ended = Since { $date } no one can log in with the token any more.
info-phase-out-how = Log in with your token and choose "Activate a new digital key now", or log in and go to My digital keys.
info-help-title = Help

# Forgotten password
login-forgotten-password = Forgotten your password?
recovery-title = Forgotten your password?
recovery-intro = Enter your username. We send a recovery code to the e-mail address of your digital key.
recovery-needs = You also need a second digital key that still works: the authenticator app, or your token card until it stops. A code by e-mail alone cannot change your password.
recovery-code-title = Enter the recovery code
recovery-code-sent = If this username exists, we sent a recovery code to its e-mail address. Enter it below. The code is valid for { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}.
recovery-code-junk = No code after a few minutes? Check your junk or spam folder, and the username you typed.
field-recovery-code = Recovery code
recovery-second-title = Your second digital key
recovery-second-intro = To protect your account, we also ask for a code of your second digital key.
recovery-password-title = Choose a new password
recovery-password-intro = The new password has at least 12 characters and is hard to guess: a few unrelated words work well. Every session of yours ends when it is changed.
recovery-office-title = Your password cannot be reset online
msg-recovery-no-second-key = A code by e-mail alone cannot reset your password: you also need a second digital key (the authenticator app, or the token while it works).
recovery-done-title = Your password has been changed
msg-recovery-password-reset = Your password has been changed and every session of yours has ended. Log in with your new password.
mail-recovery-subject = Your recovery code
mail-recovery-body = Enter this recovery code to choose a new password for your digital keys; you also need your second digital key. It is valid for { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}.
mail-reset-subject = Your password has been reset
mail-reset-body = The password of your digital keys was reset with "Forgotten your password?", with a code sent to this address and your second digital key. Every session was ended.

# The grace window after the sunset
login-token-grace = Since { $date } the token card no longer logs in to online services. Until { $until } it can still be used to activate a new digital key, and for nothing else.
