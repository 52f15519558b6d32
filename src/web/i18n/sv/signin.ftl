# Signing in and the person's own account (sv).

signin-title = Logga in
signin-email = E-postadress
signin-password = Lösenord
signin-submit = Logga in
signin-first-time = Första gången loggar du in med den engångslänk du fått av administratören.
signin-failed = Inloggningen misslyckades
signin-error-wrong = E-postadressen eller lösenordet är fel.
signin-error-too-many = För många misslyckade inloggningar. Försök igen om { $seconds } sekunder.
signin-error-unreadable = Formuläret kunde inte läsas. Skriv e-postadressen och lösenordet på nytt.
signin-expired-title = Formuläret gick ut
signin-expired-text = Inloggningsformuläret gick ut eller skickades från en annan webbplats. Ladda inloggningssidan på nytt.
signin-link-title = Inloggningslänken fungerar inte
signin-link-not-page = En inloggningslänk öppnas i webbläsarens adressfält eller som en länk.
signin-link-used = Inloggningslänken har redan använts, har gått ut eller är fel. Be administratören om en ny.
