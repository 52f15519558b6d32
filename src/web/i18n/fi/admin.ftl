# The auditor's and the admin's pages: the access log and users (fi).

nav-users = Käyttäjät
nav-access-log = Käyttöloki
admin-pages-label = Sivut
admin-page-prev = Edellinen sivu
admin-page-next = Seuraava sivu
admin-page-of = Sivu { $page } / { $pages }

## Access log

access-log-title = Käyttöloki
access-log-forbidden = Käyttölokia lukee vain tietosuojan tarkastaja. Kirjaudu sisään toisella tunnuksella tai palaa etusivulle.
access-log-intro = Jokainen asiakastietojen luku, muutos ja estetty yritys: kuka, milloin, mitä ja kenen tietoja. Uusimmat ensin. Ajat Suomen aikaa.
access-log-filters = Rajaa lokia
access-log-filters-hint = Kaikki kentät ovat vapaaehtoisia. Päivämäärä muodossa 1.12.2026.
access-log-client-id = Asiakkaan tunnus
access-log-user-id = Käyttäjän tunnus
access-log-submit = Näytä
access-log-clear = Tyhjennä rajaukset
access-log-rows = Tapahtumat
access-log-total = { $count ->
    [one] Yksi tapahtuma
   *[other] { $count } tapahtumaa
}
access-log-empty = Rajauksiin ei osu yhtään tapahtumaa.
access-log-col-when = Milloin
access-log-col-who = Kuka
access-log-col-action = Mitä
access-log-col-target = Kenen tiedot
access-log-col-outcome = Tulos
access-log-error-client_id = Asiakkaan tunnus on positiivinen kokonaisluku, esimerkiksi 12.
access-log-error-user_id = Käyttäjän tunnus on positiivinen kokonaisluku, esimerkiksi 3.
access-log-error-date = Kirjoita päivämäärä muodossa 1.12.2026.
access-log-error-range = Päivämäärän pitää olla vuosien 1900 ja 2100 väliltä.
access-log-error-order = Alkupäivä ei voi olla loppupäivän jälkeen.
access-log-client = Asiakas { $id }
access-log-list = { $count ->
    [one] Lista { $list }, yksi asiakas
   *[other] Lista { $list }, { $count } asiakasta
}
access-log-allowed = Sallittu
access-log-denied-role = Estetty: rooli ei saa lukea asiakastietoja
access-log-denied-not_on_caseload = Estetty: toisen valmentajan asiakas
access-log-denied-no_such_client = Estetty: asiakasta ei ole
access-log-denied-erased = Estetty: asiakkaan tiedot on poistettu
access-action-create = Lisäsi asiakkaan
access-action-read = Luki asiakkaan tiedot
access-action-update = Muutti asiakkaan tietoja
access-action-list = Luki asiakaslistan
access-action-matches = Katsoi työpaikkaehdotukset
access-action-read_events = Luki tapahtumat ja palautteet
access-action-record_event = Kirjasi tapahtuman
access-action-record_contact = Kirjasi työnantajayhteydenoton
access-action-request_feedback = Pyysi työnantajalta palautetta
access-action-employer_contacts = Luki työnantajan yhteydenotot
access-action-fidelity = Luki mallin mukaisuuden luvut
access-action-dashboard = Avasi seurannan
access-action-dashboard_export = Latasi seurannan taulukon
access-action-export = Vei asiakkaan kaikki tiedot
access-action-erase = Poisti asiakkaan tiedot

## Users

users-title = Käyttäjät
users-forbidden = Käyttäjiä hallitsee vain ylläpitäjä. Kirjaudu sisään toisella tunnuksella tai palaa etusivulle.
users-intro = Käyttäjät, heidän voimassa olevat API-avaimensa ja selainistuntonsa. Käytöstä poistettu käyttäjä menettää heti kaikki avaimensa ja istuntonsa.
users-list = Kaikki käyttäjät
users-col-name = Nimi
users-col-role = Rooli
users-col-email = Sähköpostiosoite
users-col-status = Tila
users-col-tokens = Avaimet
users-col-sessions = Istunnot
users-col-actions = Toiminnot
users-you = sinä
users-status-active = Käytössä
users-status-disabled = Poistettu käytöstä
users-action-link = Tee kirjautumislinkki
users-action-revoke = Mitätöi avaimet ja istunnot
users-action-disable = Poista käytöstä
users-action-enable = Ota käyttöön
users-notice-disabled = Käyttäjä poistettiin käytöstä. Kaikki hänen avaimensa ja istuntonsa päättyivät.
users-notice-enabled = Käyttäjä otettiin käyttöön. Hän tarvitsee uuden kirjautumislinkin tai avaimen.
users-notice-revoked = Käyttäjän kaikki avaimet ja istunnot mitätöitiin.
users-notice-added = Käyttäjä { $name } lisättiin.
users-link-title = Kirjautumislinkki: { $name }
users-link-once = Linkki toimii kerran 24 tunnin ajan. Se näytetään vain nyt: anna se käyttäjälle turvallista reittiä.
users-add-title = Lisää käyttäjä
users-add-intro = Uusi käyttäjä kirjautuu ensimmäisen kerran kertakäyttöisellä linkillä ja valitsee sitten salasanan.
users-add-submit = Lisää käyttäjä
users-role-choose = Valitse rooli
users-employer-id = Työnantajan tunnus
users-employer-id-hint = Vain työnantajakäyttäjälle: työnantajarekisterin tunnus, jonka puolesta hän ilmoittaa työpaikkoja.
users-error-role = Valitse rooli.
users-error-name = Kirjoita nimi (enintään 100 merkkiä).
users-error-email = Kirjoita sähköpostiosoite, esimerkiksi nimi@example.fi.
users-error-email-taken = Sähköpostiosoite on jo toisella käyttäjällä.
users-error-employer_id = Työnantajakäyttäjälle tarvitaan työnantajarekisterissä oleva työnantajan tunnus.
users-error-employer_id-other = Työnantajan tunnus annetaan vain työnantajakäyttäjälle. Jätä kenttä tyhjäksi.
users-error-self-disable = Et voi poistaa omaa tunnustasi käytöstä. Toinen ylläpitäjä voi tehdä sen.
users-error-disabled = Käytöstä poistetulle käyttäjälle ei voi tehdä kirjautumislinkkiä. Ota hänet ensin käyttöön.
users-error-not-found = Käyttäjää ei löytynyt.
