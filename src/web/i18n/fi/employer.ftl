## Työnantajan sivut: omat ilmoitukset ja palautteet työkokeiluista.

emp-nav-postings = Ilmoitukset
emp-nav-feedback = Palautteet

emp-forbidden-title = Ei käyttöoikeutta
emp-forbidden-text = Nämä sivut ovat työnantajien käyttäjille.
emp-no-employer-text = Tunnuksesi ei edusta mitään työnantajaa. Ota yhteys palvelun ylläpitoon.
emp-not-found-title = Sivua ei löytynyt
emp-not-found-text = Ilmoitusta tai lomaketta ei löytynyt. Osoite voi olla väärä, tai se kuuluu toiselle työnantajalle.

emp-notice-created = Ilmoitus on julkaistu. Työhönvalmentajat löytävät sen haussa heti.
emp-notice-updated = Muutokset on tallennettu.
emp-notice-closed = Ilmoitus on suljettu. Se ei enää näy haussa eikä ehdotuksissa.
emp-notice-sent = Kiitos! Palaute on tallennettu, ja työhönvalmentaja näkee sen.

emp-home-title = Omat ilmoitukset
emp-home-intro = { $employer }: avoimet työpaikat ja alihankintatyöt, jotka olette julkaisseet. Työhönvalmentajat löytävät avoimet ilmoitukset heti, ja suljetut poistuvat hausta.
emp-new-vacancy = Uusi työpaikkailmoitus
emp-new-task = Uusi alihankintatyö
emp-feedback-pending = { $count ->
    [one] Yksi palautelomake odottaa vastaustanne.
   *[other] { $count } palautelomaketta odottaa vastaustanne.
}
emp-feedback-pending-link = Vastaa palautteisiin
emp-vacancies-title = Työpaikat
emp-tasks-title = Alihankintatyöt
emp-count = { $count ->
    [one] Yksi ilmoitus
   *[other] { $count } ilmoitusta
}
emp-none-vacancies = Ei vielä työpaikkailmoituksia.
emp-none-tasks = Ei vielä alihankintatöitä.
emp-col-title = Otsikko
emp-col-municipality = Kunta
emp-col-work = Työaika
emp-col-group = Ryhmä
emp-col-status = Tila
emp-col-valid-through = Haku päättyy
emp-col-dates = Ajankohta
emp-status-open = Avoin
emp-status-closed = Suljettu
emp-valid-through-none = Ei päättymispäivää
emp-dates-range = { $from } – { $to }
emp-dates-from = { $from } alkaen
emp-dates-until = { $to } asti
emp-dates-none = Ei päivämääriä
emp-hours-range = { $min }–{ $max } h/vko
emp-hours-exactly = { $hours } h/vko
emp-hours-min = vähintään { $hours } h/vko
emp-hours-max = enintään { $hours } h/vko
emp-group-of = { $count ->
    [one] 1 henkilö
   *[other] { $count } henkilöä
}
emp-page-of = Sivu { $page }/{ $pages }
emp-page-prev = Edelliset
emp-page-next = Seuraavat
emp-pages-label = sivut

emp-kind-vacancy = Työpaikkailmoitus
emp-kind-task = Alihankintatyö
emp-back = Takaisin
emp-back-to-list = Takaisin omiin ilmoituksiin
emp-edit = Muokkaa ilmoitusta
emp-close = Sulje ilmoitus
emp-closed-note = Ilmoitus on suljettu. Suljettua ilmoitusta ei voi muokata eikä avata uudelleen; voitte julkaista uuden.
emp-not-given = Ei annettu
emp-posted-on = Julkaistu
emp-yes = Kyllä
emp-no = Ei
emp-not-said = Ei sanottu
emp-not-chosen = Ei valittu
emp-cancel = Peruuta
emp-submit-create = Julkaise ilmoitus
emp-submit-update = Tallenna muutokset

emp-vacancy-new-title = Uusi työpaikkailmoitus
emp-vacancy-edit-title = Muokkaa työpaikkailmoitusta
emp-vacancy-intro = Kertokaa työstä selkeästi: mitä työ on, missä ja milloin sitä tehdään. Pakollisia ovat otsikko, kuvaus ja kunta.
emp-task-new-title = Uusi alihankintatyö
emp-task-edit-title = Muokkaa alihankintatyötä
emp-task-intro = Alihankintatyö on työ, jonka yritys ostaa tuetun työn ryhmältä, esimerkiksi pakkaamista, kokoonpanoa tai pihatöitä. Pakollisia ovat otsikko, kuvaus ja kunta.

emp-f-title = Otsikko
emp-f-title-hint-vacancy = Työtehtävän nimi, esimerkiksi Varastotyöntekijä.
emp-f-title-hint-task = Työn nimi, esimerkiksi Pakkaustyö.
emp-f-description = Kuvaus
emp-f-description-hint-vacancy = Mitä työssä tehdään, millaiset työajat ovat ja miten perehdytätte.
emp-f-description-hint-task = Mitä työssä tehdään, millaisia työkaluja tai suojavarusteita tarvitaan ja miten työ hinnoitellaan.
emp-f-municipality = Kunta
emp-f-municipality-hint = Kunta, jossa työ tehdään, esimerkiksi Lahti.
emp-f-occupation_code = Ammattiluokitus (vapaaehtoinen)
emp-f-occupation_code-hint = ISCO-08-koodi, esimerkiksi 9321, tai ESCO-koodi, esimerkiksi 9321.1. Tyhjänä ammatti päätellään tekstistä.
emp-f-hours = Työtunnit viikossa
emp-f-hours-hint = Vähintään ja enintään, esimerkiksi 20 ja 30. Voitte jättää toisen tai molemmat tyhjiksi.
emp-f-hours-min = Vähintään
emp-f-hours-max = Enintään
emp-f-employment_type = Työsuhteen laji
emp-f-language = Ilmoituksen kieli
emp-f-language-hint = Tyhjänä kieli päätellään tekstistä.
emp-f-valid_through = Haku päättyy (vapaaehtoinen)
emp-f-valid_through-hint = Viimeinen hakupäivä, esimerkiksi 31.12.2026. Ilmoitus sulkeutuu itsestään sen jälkeen.
emp-f-wage_subsidy_ok = Voiko työhön palkata palkkatuella?
emp-f-wage_subsidy_ok-hint = Palkkatuki on TE-palvelujen tuki palkkakuluihin.
emp-f-work_trial_ok = Voiko työ alkaa työkokeilulla?
emp-f-work_trial_ok-hint = Työkokeilussa henkilö kokeilee työtä ennen työsuhdetta.
emp-f-adjustments_offered = Mukautukset, joita voitte tarjota (vapaaehtoinen)
emp-f-adjustments_offered-hint = Yksi riville, esimerkiksi kirjalliset ohjeet tai rauhallinen työtila.
emp-f-site = Missä työ tehdään?
emp-f-dates = Ajankohta
emp-f-dates-hint = Päivämäärät muodossa 31.12.2026. Voitte jättää toisen tai molemmat tyhjiksi.
emp-f-starts_on = Alkaa
emp-f-ends_on = Päättyy
emp-f-estimated_hours = Työmäärä tunteina (arvio)
emp-f-estimated_hours-hint = Koko työn tunnit yhteensä, esimerkiksi 120.
emp-f-group_size = Ryhmän koko
emp-f-group_size-hint = Montako henkilöä työhön tarvitaan.

emp-s-occupation_code = Ammattiluokitus
emp-s-valid_through = Haku päättyy
emp-s-wage_subsidy_ok = Palkkatuki mahdollinen
emp-s-work_trial_ok = Työkokeilu mahdollinen
emp-s-adjustments_offered = Mukautukset
emp-s-site = Työn paikka
emp-fb-s-comment = Muuta palautetta
emp-fb-questions = Kysymykset

emp-employment-FULL_TIME = Kokoaikatyö
emp-employment-PART_TIME = Osa-aikatyö
emp-employment-TEMPORARY = Määräaikainen
emp-employment-PER_DIEM = Keikkatyö
emp-employment-CONTRACTOR = Toimeksianto
emp-employment-INTERN = Harjoittelu
emp-employment-VOLUNTEER = Vapaaehtoistyö
emp-employment-OTHER = Muu
emp-language-detect = Päätellään tekstistä
emp-language-fi = suomi
emp-language-sv = ruotsi
emp-language-en = englanti
emp-site-buyer = Meidän tiloissamme
emp-site-provider = Työkeskuksen tiloissa

emp-error-title-empty = Kirjoita otsikko.
emp-error-title = Otsikko on liian pitkä: enintään 200 merkkiä.
emp-error-description-empty = Kirjoita kuvaus työstä.
emp-error-description = Kuvaus on liian pitkä, tai siinä on merkkejä, joita ei voi tallentaa.
emp-error-municipality-empty = Kirjoita kunta, jossa työ tehdään.
emp-error-municipality = Kunnan nimi on liian pitkä: enintään 200 merkkiä.
emp-error-occupation_code = Ammattiluokitus on ISCO-08-koodi (1–4 numeroa, esimerkiksi 9321) tai ESCO-koodi (esimerkiksi 9321.1).
emp-error-hours_per_week-min = Vähimmäistuntien on oltava 0–80, eivätkä ne voi olla enemmän kuin enimmäistunnit.
emp-error-hours_per_week-max = Enimmäistuntien on oltava 0–80.
emp-error-hours_per_week-min-number = Kirjoita vähimmäistunnit numerona, esimerkiksi 20 tai 7,5.
emp-error-hours_per_week-max-number = Kirjoita enimmäistunnit numerona, esimerkiksi 30 tai 37,5.
emp-error-employment_type = Valitse työsuhteen laji listasta.
emp-error-language = Valitse ilmoituksen kieli listasta.
emp-error-valid_through-format = Kirjoita hakuajan viimeinen päivä muodossa 31.12.2026.
emp-error-valid_through = Hakuajan viimeisen päivän on oltava vuosien 1900 ja 2100 välillä.
emp-error-wage_subsidy_ok = Valitse kyllä, ei tai ei sanottu.
emp-error-work_trial_ok = Valitse kyllä, ei tai ei sanottu.
emp-error-adjustments_offered = Kirjoita enintään 30 mukautusta, kukin enintään 200 merkkiä.
emp-error-site = Valitse, tehdäänkö työ teidän tiloissanne vai työkeskuksessa.
emp-error-starts_on-format = Kirjoita alkamispäivä muodossa 31.12.2026.
emp-error-starts_on = Alkamispäivän on oltava vuosien 1900 ja 2100 välillä.
emp-error-ends_on-format = Kirjoita päättymispäivä muodossa 31.12.2026.
emp-error-ends_on = Päättymispäivän on oltava vuosien 1900 ja 2100 välillä.
emp-error-ends_on-order = Päättymispäivä ei voi olla ennen alkamispäivää.
emp-error-estimated_hours = Työmäärän on oltava 0–100 000 tuntia.
emp-error-estimated_hours-number = Kirjoita työmäärä tunteina numerona, esimerkiksi 120.
emp-error-group_size = Ryhmän koon on oltava 1–500 henkilöä.
emp-error-group_size-number = Kirjoita ryhmän koko kokonaislukuna, esimerkiksi 4.

emp-close-title = Suljetaanko ilmoitus?
emp-close-text = Kun suljette ilmoituksen ”{ $title }”, se poistuu heti hausta ja työhönvalmentajien ehdotuksista. Suljettua ilmoitusta ei voi avata uudelleen.
emp-close-confirm = Kyllä, sulje ilmoitus
emp-close-cancel = Älä sulje

emp-feedback-title = Palautteet työkokeiluista
emp-feedback-intro = Työhönvalmentaja pyytää palautetta työkokeilusta tai työstä työpaikallanne. Lomake kertoo, mistä jaksosta on kyse, mutta ei nimeä henkilöä eikä kerro hänestä muuta. Jokaiseen lomakkeeseen vastataan kerran.
emp-fb-pending-title = Odottaa vastausta
emp-fb-answered-title = Vastatut
emp-fb-none-pending = Ei vastaamattomia lomakkeita.
emp-fb-none-answered = Ei vielä vastattuja lomakkeita.
emp-fb-about = { $placement }, alkoi { $started }
emp-fb-posting-line = Ilmoitus: { $title }
emp-fb-asked-on = Pyydetty { $date }
emp-fb-answered-on = vastattu { $date }
emp-fb-back = Takaisin palautteisiin
emp-fb-form-title = Palaute: { $about }
emp-fb-which = Mistä jaksosta on kyse
emp-fb-placement = Jakso
emp-fb-started = Alkoi
emp-fb-posting = Ilmoitus
emp-fb-no-posting = Ei ilmoitusta
emp-fb-asked = Palautetta pyydetty
emp-fb-answered = Vastattu
emp-fb-privacy = Lomake ei kerro henkilön nimeä eikä muita tietoja hänestä. Älkää kirjoittako vastaukseen terveystietoja.
emp-fb-tasks_managed = Miten työtehtävät sujuivat?
emp-fb-tasks_managed-hint = 1 = eivät lainkaan, 5 = täysin.
emp-fb-tasks-1 = 1 – eivät lainkaan
emp-fb-tasks-2 = 2 – heikosti
emp-fb-tasks-3 = 3 – osittain
emp-fb-tasks-4 = 4 – hyvin
emp-fb-tasks-5 = 5 – täysin
emp-fb-support_needed = Kuinka paljon ohjausta henkilö tarvitsi?
emp-fb-support-none = Ei ohjausta
emp-fb-support-some = Jonkin verran
emp-fb-support-a_lot = Paljon
emp-fb-would_hire = Palkkaisitteko henkilön tai jatkaisitteko työsuhdetta?
emp-fb-comment = Muuta palautetta (vapaaehtoinen)
emp-fb-comment-hint = Mikä sujui hyvin, ja missä henkilö voisi kehittyä.
emp-fb-once = Palautteen voi lähettää vain kerran, eikä sitä voi muuttaa jälkeenpäin.
emp-fb-submit = Lähetä palaute
emp-fb-answers-title = Vastauksenne
emp-fb-no-comment = Ei kommenttia
emp-fb-read-only = Palaute on lähetetty. Vastauksia ei voi enää muuttaa.
emp-fb-already = Tähän lomakkeeseen on jo vastattu. Vastauksia ei voi muuttaa; alla ovat lähetetyt vastaukset.
emp-error-tasks_managed = Valitse, miten työtehtävät sujuivat, asteikolla 1–5.
emp-error-support_needed = Valitse, kuinka paljon ohjausta henkilö tarvitsi.
emp-error-would_hire = Valitse kyllä tai ei.
emp-error-comment = Palaute on liian pitkä: enintään 2 000 merkkiä.
