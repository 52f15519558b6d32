# The person's own account and password (sv).

account-title = Mina uppgifter
account-name = Namn
account-role = Roll
account-email = E-postadress
account-password-changed = Lösenordet har bytts.
account-sessions = Sessioner
account-sessions-caption = Webbläsare där du är inloggad
account-col-began = Började
account-col-last-used = Senast använd
account-col-ends = Upphör senast
account-col-browser = Webbläsare
account-this-one = den här
account-sign-out-everywhere = Logga ut överallt
account-change-password = Byt lösenord
password-title = Välj lösenord
password-intro = { $name }: välj det lösenord du loggar in med i fortsättningen med din e-postadress.
password-current = Nuvarande lösenord
password-new = Nytt lösenord
password-new-hint = Minst { $min } tecken.
password-confirm = Nytt lösenord igen
password-save = Spara lösenordet
password-error-differ = Lösenorden är inte lika.
password-error-short = Lösenordet ska ha minst { $min } tecken.
password-error-wrong = Det nuvarande lösenordet är fel.
