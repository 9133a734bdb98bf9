# Registration offices: the officers' console, the activation letter, the citizen's activation, its mail.

office-login-title = Registration office: log in
office-login-intro = For officers of a registration office. Log in with your staff id, your password and a code of your authenticator app.
field-officer-id = Staff id
field-officer-password = Password
field-officer-code = Code of your authenticator app
msg-office-login-wrong = The staff id, the password or the code is not right. Try again with a new code.
msg-office-locked = Too many failed attempts. Try again in { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}.
msg-office-no-role = Your account does not hold the officer role. Ask your administrator.
office-sign-out = Sign out of the console
office-signed-in = Officer: { $name }
office-find-title = Find a citizen
office-find-intro = First check the citizen's identity card or passport in person. Then find the citizen by one of these.
field-find-by = Find by
office-by-username = Username
office-by-email = E-mail address
office-by-nrn = National register number
office-by-card = Serial number of the token card
field-find-value = What the citizen gives
button-find = Find
msg-office-not-found = No citizen was found. Check what you typed, or enrol the citizen.
msg-office-find-empty = Type what the citizen gives.
msg-office-nrn-invalid = This is not a valid national register number.
office-enrol-link = Enrol a new citizen
office-citizen-title = Citizen
office-pending = Enrolled at a registration office. The citizen has not chosen a username yet.
office-fact-name = Name
office-fact-username = Username
office-fact-email = E-mail address
office-fact-lang = Language
office-fact-login = Login
office-locked-for = Locked for { $minutes ->
    [one] 1 more minute
   *[other] { $minutes } more minutes
}
office-not-locked = Not locked
office-keys-caption = The citizen's digital keys
office-logins-heading = Recent logins
office-login-line = { $date }, { $time }: { $key }
office-no-logins = No logins yet.
office-letter-heading = Activation letter
office-letter-none = No activation letter has been issued.
office-letter-status = { $state }. Issued on { $issued } by { $officer }, valid until { $until }.
office-letter-state-issued = Issued, not used yet
office-letter-state-verified = Code typed, username and password not chosen yet
office-letter-state-used = Used
office-letter-state-revoked = Revoked
office-letter-state-expired = Expired
office-letter-state-exhausted = Blocked after too many wrong codes
button-unlock = Unlock the login
msg-office-unlocked = The citizen's login is unlocked.
msg-office-was-not-locked = The citizen's login was not locked.
office-issue-intro = Issue an activation letter: a code you print and hand over, and a link mailed to the citizen's personal address. An earlier letter stops working. Confirm with a new code of your authenticator app.
button-issue = Issue the activation letter
msg-office-step-up-wrong = This code is not right, or it was used already. Wait for the next code and try again.
button-revoke = Revoke the letter
msg-office-revoked = The letter is revoked: its code no longer works.
msg-office-nothing-to-revoke = There is no letter that still works.
office-enrol-title = Enrol a new citizen
office-enrol-intro = Only after checking the citizen's identity card or passport in person. A personal e-mail address is required.
field-office-name = Full name
field-office-email = Personal e-mail address
field-office-lang = Language
field-office-nrn = National register number
button-enrol = Enrol
msg-office-name-invalid = Type the citizen's full name.
msg-office-email-invalid = Type a personal e-mail address, such as name@example.be.
msg-office-nrn-taken = A citizen with this national register number is already known. Find the citizen instead.
msg-office-enrolled = The citizen is enrolled. Now issue the activation letter.
office-back = Back to finding a citizen
office-back-citizen = Back to the citizen
office-print-hint = Print this page with your browser's Print command (Ctrl+P) and hand it to the citizen. The code is shown only now.
msg-office-forbidden = This page is for officers of a registration office.

letter-title = Your activation code
letter-greeting = Dear { $name },
letter-intro = At the registration office you asked for a digital key. This letter holds your activation code.
letter-code-label = Activation code
letter-how-new = We sent a link to { $email }. Open it, type this code, and choose a username and a password. Then activate a second key: a security code by e-mail or via a mobile app.
letter-how-existing = We sent a link to { $email }. Open it, type this code, and choose a new password. Your username is { $username }. Then activate a second key: a security code by e-mail or via a mobile app.
letter-valid = The code works once, until { $date }. After five wrong tries it stops working.
letter-keep = Keep this letter to yourself. No one will ever ask you for this code, not even the help desk.
letter-help = Lost the letter or the mail? Go back to a registration office, or call the help desk: { $contact }.

activation-title = Activate your digital key
activation-intro = Type the activation code printed on the letter you received at the registration office.
field-activation-code = Activation code
msg-letter-unknown = This link does not work. Use the link in the latest mail, or ask a registration office for a new letter.
msg-letter-expired = This activation code has expired. Ask a registration office for a new letter.
msg-letter-used = This activation code has been used already. Log in with your username and password.
msg-letter-revoked = This activation code was revoked. Ask a registration office for a new letter.
msg-letter-exhausted = The code was typed wrong too many times, so it no longer works. Ask a registration office for a new letter.
msg-letter-wrong = This is not the code on your letter. { $left ->
    [one] 1 more try.
   *[other] { $left } more tries.
}
msg-letter-code-empty = Type the activation code from your letter.
msg-letter-again = Type your activation code again: more than 15 minutes have passed.
activation-account-title = Choose your username and password
activation-password-title = Choose a new password
activation-account-intro = You log in with these from now on, together with the second key you activate next.
activation-your-username = Your username
field-new-username = Username
msg-username-taken = This username is taken. Choose another one.
button-activation-account = Next: activate a digital key

mail-letter-subject = Activate your digital key
mail-letter-body = At the registration office you received a letter with an activation code. Open this link and type the code:
mail-letter-valid = The link and the code work until { $date }.
mail-letter-not-you = Were you not at a registration office? Do not use the link, and call the help desk: { $contact }.
