# The person's own account and password (fi).

account-title = Omat tiedot
account-name = Nimi
account-role = Rooli
account-email = Sähköpostiosoite
account-password-changed = Salasana on vaihdettu.
account-sessions = Istunnot
account-sessions-caption = Selaimet, joissa olet kirjautuneena
account-col-began = Alkoi
account-col-last-used = Viimeksi käytetty
account-col-ends = Päättyy viimeistään
account-col-browser = Selain
account-this-one = tämä
account-sign-out-everywhere = Kirjaudu ulos kaikkialta
account-change-password = Vaihda salasana
password-title = Aseta salasana
password-intro = { $name }: valitse salasana, jolla kirjaudut jatkossa sähköpostiosoitteellasi.
password-current = Nykyinen salasana
password-new = Uusi salasana
password-new-hint = Vähintään { $min } merkkiä.
password-confirm = Uusi salasana uudelleen
password-save = Tallenna salasana
password-error-differ = Salasanat eivät ole samat.
password-error-short = Salasanassa pitää olla vähintään { $min } merkkiä.
password-error-wrong = Nykyinen salasana on väärin.
