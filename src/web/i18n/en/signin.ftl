# Signing in and the person's own account (en).

signin-title = Sign in
signin-email = E-mail address
signin-password = Password
signin-submit = Sign in
signin-first-time = The first time, sign in with the one-time link an administrator gave you.
signin-failed = Could not sign in
signin-error-wrong = The e-mail address or the password is wrong.
signin-error-too-many = Too many failed sign-ins. Try again in { $seconds } seconds.
signin-error-unreadable = The form could not be read. Write the e-mail address and the password again.
signin-expired-title = The form expired
signin-expired-text = The sign-in form expired or was sent from another site. Load the sign-in page again.
signin-link-title = The sign-in link does not work
signin-link-not-page = A sign-in link is opened in the browser's address bar or as a link.
signin-link-used = This sign-in link has been used, has expired or is wrong. Ask an administrator for a new one.

## Refusals and errors without a page of their own (shown in all three languages)

page-refused-title = The form expired
page-refused-text = The form expired or was sent from another site. Nothing was changed. Reload the page and try again.
page-forbidden-text = You may not do this. Sign in with another account or go back to the start page.
page-bad-request-title = The form could not be read
page-bad-request-text = The form could not be read. Nothing was changed. Reload the page and try again.
page-not-found-text = There is no page at this address. Check the address or go back to the start page.
page-too-many-title = Too many attempts
