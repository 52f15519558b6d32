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

## Refusals and errors without a page of their own (shown in all three languages)

page-refused-title = Formuläret gick ut
page-refused-text = Formuläret gick ut eller skickades från en annan webbplats. Inget ändrades. Ladda om sidan och försök igen.
page-forbidden-text = Du har inte rätt till detta. Logga in med ett annat konto eller gå tillbaka till startsidan.
page-bad-request-title = Formuläret kunde inte läsas
page-bad-request-text = Formuläret kunde inte läsas. Inget ändrades. Ladda om sidan och försök igen.
page-not-found-text = Det finns ingen sida på adressen. Kontrollera adressen eller gå tillbaka till startsidan.
page-too-many-title = För många försök
