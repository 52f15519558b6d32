# Signing in and the person's own account (fi).

signin-title = Kirjaudu sisään
signin-email = Sähköpostiosoite
signin-password = Salasana
signin-submit = Kirjaudu
signin-first-time = Ensimmäisellä kerralla kirjaudutaan ylläpitäjältä saadulla kertakäyttöisellä linkillä.
signin-failed = Kirjautuminen ei onnistunut
signin-error-wrong = Sähköpostiosoite tai salasana on väärin.
signin-error-too-many = Liian monta epäonnistunutta kirjautumista. Yritä uudelleen { $seconds } sekunnin kuluttua.
signin-error-unreadable = Lomaketta ei voitu lukea. Kirjoita sähköpostiosoite ja salasana uudelleen.
signin-expired-title = Lomake vanhentui
signin-expired-text = Kirjautumislomake vanhentui tai se lähetettiin toiselta sivustolta. Lataa kirjautumissivu uudelleen.
signin-link-title = Kirjautumislinkki ei toimi
signin-link-not-page = Kirjautumislinkki avataan selaimen osoiterivillä tai linkkinä.
signin-link-used = Kirjautumislinkki on jo käytetty, vanhentunut tai väärä. Pyydä ylläpitäjältä uusi.

## Refusals and errors without a page of their own (shown in all three languages)

page-refused-title = Lomake vanhentui
page-refused-text = Lomake vanhentui tai se lähetettiin toiselta sivustolta. Mitään ei muutettu. Lataa sivu uudelleen ja yritä uudestaan.
page-forbidden-text = Sinulla ei ole oikeutta tähän. Kirjaudu sisään toisella tunnuksella tai palaa etusivulle.
page-bad-request-title = Lomaketta ei voitu lukea
page-bad-request-text = Lomaketta ei voitu lukea. Mitään ei muutettu. Lataa sivu uudelleen ja yritä uudestaan.
page-not-found-text = Osoitteessa ei ole sivua. Tarkista osoite tai palaa etusivulle.
page-too-many-title = Liian monta yritystä
