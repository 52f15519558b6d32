# The coach's workspace (caseload, client, wishes form, shortlist, search), in Finnish.

nav-caseload = Asiakkaat
nav-search = Haku
coach-only-text = Tämä sivu on työhönvalmentajille.
client-not-found-title = Asiakasta ei löytynyt
client-not-found-text = Asiakasta ei ole asiakkaissasi. Palaa asiakaslistaan.
cancel = Peruuta
back = Takaisin
not-given = ei kerrottu
place-unknown = paikka ei tiedossa

## Caseload

caseload-title = Asiakkaat
caseload-needs-action = Toimenpiteitä odottavat
caseload-nothing-due = Kenelläkään ei ole nyt odottavia toimenpiteitä.
caseload-everyone = Kaikki asiakkaat
caseload-empty = Sinulla ei ole vielä asiakkaita.
col-last-activity = Viimeksi kirjattu
stage-none = Ei vielä vaihetta
attention-first_contact_overdue = { $days } päivää alusta ilman tapaamista työnantajan kanssa: yli 30 päivän rajan
attention-first_contact_soon = { $days } päivää alusta ilman tapaamista työnantajan kanssa: tavoite on 30 päivää
attention-job_ended = Työ tai jakso päättyi { $date }: sovi jatkosta
attention-follow_up_due = Töissä, mutta { $days } päivää ilman kirjausta: aika kysyä kuulumisia
attention-benefits_counselling_due = Etuusneuvonta puuttuu ennen työn alkua
attention-new_matches = { $count } uutta työehdotusta
attention-new_matches-one = Yksi uusi työehdotus

## Client form

client-new-title = Uusi asiakas
client-edit-title = Muokkaa: { $name }
client-form-intro = Kirjaa toiveet asiakkaan omin sanoin. Älä kirjaa terveystietoja.
client-form-who = Asiakas
client-form-wishes = Toiveet
client-form-create = Tallenna asiakas
client-form-save = Tallenna muutokset
field-display_name = Nimi tai nimimerkki
hint-display_name = Nimi, jonka tunnistat. Ei henkilötunnusta.
field-home_municipality = Kotikunta
field-intake_date = Aloituspäivä
hint-intake_date = Työnhaun kello käynnistyy tästä. Esimerkiksi 1.12.2026.
field-treatment_team_contact = Hoitotiimin yhteyshenkilö
hint-treatment_team_contact = Nimi ja rooli, ei hoitotietoja.
field-desired_work = Millaista työtä asiakas haluaa?
hint-desired_work = Asiakkaan omin sanoin, esimerkiksi ”varastotyö, mieluiten aamuvuoroja”.
field-avoid = Mitä asiakas haluaa välttää?
hint-avoid = Esimerkiksi ”yötyö” tai ”puhelinasiakaspalvelu”. Tällaiset ehdotukset tulevat myöhemmin, niitä ei poisteta.
field-municipalities = Muut kunnat, joissa voi työskennellä
hint-municipalities = Erota pilkulla.
field-max_commute_km = Pisin työmatka (km)
hint-number = Numero, esimerkiksi 12 tai 12,5.
field-hours_min = Tunteja viikossa vähintään
field-hours_max = Tunteja viikossa enintään
field-adjustments = Työjärjestelyt, jotka asiakas haluaa kertoa
hint-adjustments = Yksi riville, esimerkiksi ”kirjalliset ohjeet”.
field-languages = Työkielet
hint-languages = Kielikoodit pilkulla eroteltuina, esimerkiksi fi, sv, en.
field-occupations = Ammattikoodit (valinnainen)
hint-occupations = ISCO- tai ESCO-koodit pilkulla eroteltuina.
client-error-display_name = Kirjoita nimi tai nimimerkki (enintään 100 merkkiä).
client-error-home_municipality = Kirjoita kotikunta (enintään 100 merkkiä).
client-error-intake_date = Anna aloituspäivä muodossa 1.12.2026. Se ei voi olla tulevaisuudessa.
client-error-treatment_team_contact = Yhteyshenkilö on liian pitkä (enintään 200 merkkiä).
client-error-desired_work = Toive on liian pitkä (enintään 2 000 merkkiä).
client-error-avoid = Teksti on liian pitkä (enintään 2 000 merkkiä).
client-error-municipalities = Tarkista kunnat: enintään 50 kuntaa, kukin enintään 100 merkkiä.
client-error-max_commute_km = Anna työmatka kilometreinä numerona 0–1000.
client-error-hours_per_week-min = Anna tunnit numerona 0–168. Vähimmäismäärä ei voi ylittää enimmäismäärää.
client-error-hours_per_week-max = Anna tunnit numerona 0–168.
client-error-languages = Anna kielet kaksikirjaimisina koodeina, esimerkiksi fi, sv, en.
client-error-adjustments = Tarkista työjärjestelyt: enintään 30 riviä, kukin enintään 200 merkkiä.
client-error-occupations = Tarkista ammattikoodit: ISCO-koodi (esim. 9321) tai ESCO-koodi.

## Client page

client-edit-link = Muokkaa tietoja ja toiveita
shortlist-link = Tulostettava ehdotuslista
client-wishes = Toiveet
field-places = Paikkakunnat
field-hours = Työaika
hours-range = { $min }–{ $max } tuntia viikossa
hours-at-least = vähintään { $hours } tuntia viikossa
hours-at-most = enintään { $hours } tuntia viikossa
hours-per-week = { $hours } tuntia viikossa
km = { $km } km
understood-title = Näin toive ymmärrettiin
understood-occupations = Ammatit
understood-wanted = Haetut sanat
understood-refused = Vältettävät
matches-title = Työehdotukset
matches-note = Ehdotukset perustuvat asiakkaan toiveisiin. Asiakas päättää, mitä haetaan.
matches-empty = Ehdotuksia ei löytynyt. Tarkenna toiveita tai laajenna paikkakuntia.
kind-vacancy = Työpaikka
kind-task = Alihankintatyö
kind-employer = Työnantaja
answer-legend = Asiakkaan vastaus
answer-interested = Kiinnostunut
answer-applied = Haki
answer-contacted = Työnantajaan otettu yhteyttä
answer-declined = Ei kiinnosta
answer-face-to-face = tavattiin kasvokkain
answer-error-unknown = Vastausta ei voitu kirjata. Valitse vastaus ehdotuksen kohdalta.
answer-error-refused = Vastausta ei kirjattu: { $reason }
notice-saved = Tiedot tallennettu. Ehdotukset päivittyivät.
notice-answer-interested = Kirjattu: asiakas on kiinnostunut.
notice-answer-applied = Kirjattu: asiakas haki.
notice-answer-contacted = Kirjattu: työnantajaan otettu yhteyttä.
notice-answer-declined = Kirjattu: ei kiinnosta.
timeline-title = Tapahtumat
timeline-empty = Ei vielä kirjauksia.
timeline-corrected = korjattu myöhemmin
contact-face-to-face = tavattiin kasvokkain
contact-remote = puhelimessa tai etänä
event-referred = Ohjattiin palveluun
event-engaged = Aloitti palvelussa
event-profiling = Ammatillinen profilointi
event-job_search = Työnhaku alkoi
event-employer_contact = Yhteys työnantajaan
event-interview = Työhaastattelu
event-employed = Aloitti työn tai jakson
event-in_work_support = Tuki työssä
event-job_ended = Työ tai jakso päättyi
event-closed = Palvelu päättyi asiakkaan valinnasta
event-match_interested = Kiinnostui ehdotuksesta
event-match_declined = Ei kiinnostunut ehdotuksesta
event-match_applied = Haki ehdotettua työtä
event-benefits_counselling = Etuusneuvonta
feedback-asked = Palautetta pyydetty työnantajalta
feedback-answered = Työnantajan palaute
feedback-waiting = Odottaa vastausta
feedback-tasks-managed = Tehtävistä suoriutuminen: { $score }/5
feedback-support-none = Työskenteli itsenäisesti
feedback-support-some = Tarvitsi jonkin verran ohjausta
feedback-support-a_lot = Tarvitsi paljon ohjausta
feedback-would-hire = Työnantaja palkkaisi
feedback-would-not-hire = Työnantaja ei nyt palkkaisi
feedback-comment = Kommentti: { $comment }

## Shortlist

shortlist-title = Ehdotuslista: { $name }
shortlist-heading = Työpaikkoja, jotka voisivat sopia sinulle
shortlist-intro = Nämä ehdotukset on valittu toiveidesi perusteella, { $name }.
shortlist-empty = Ehdotuksia ei nyt ole. Katsotaan yhdessä uudelleen.
shortlist-why = Miksi tämä:
shortlist-you-decide = Sinä päätät, mitä haet. Jutellaan näistä yhdessä.

## Search

search-title = Hae työpaikkoja ja alihankintatöitä
field-q = Hakusanat
hint-q = Esimerkiksi ”varasto” tai ”siivous Lahti”.
field-kind = Mitä haetaan
search-kind-all = Kaikki
field-municipality = Kunta
field-limit = Tuloksia enintään
hint-limit = 1–100, oletus 20.
search-submit = Hae
search-total = { $count } osumaa
search-total-one = { $count } osuma
search-total-more = Yli { $count } osumaa
search-error-kind = Valitse työpaikka, alihankintatyö tai kaikki.
search-error-q = Hakusanoja on liikaa (enintään 500 merkkiä).
search-error-limit = Anna tulosten määrä numerona 1–100.

## Employer register

nav-employers = Työnantajat
register-title = Työnantajarekisteri
register-intro = Kaikkien valmentajien yhteydenotot näkyvät täällä, jotta samaan työnantajaan ei soiteta samalla viikolla kahdesti.
register-list-title = Työnantajat ja tämän viikon yhteydenotot
register-empty = Rekisterissä ei ole vielä työnantajia.
register-none-this-week = ei yhteydenottoja 7 päivään
register-next = Seuraava sivu
register-previous = Edellinen sivu
register-back = Takaisin työnantajarekisteriin
col-employer = Työnantaja
col-place = Paikkakunta
col-this-week = Yhteydenotot 7 päivän aikana
col-date = Päivä
col-how = Miten
col-about = Asiakas
employer-facts-title = Tiedot
field-business_id = Y-tunnus
field-industry = Toimiala
contact-form-title = Kirjaa yhteydenotto
field-contact-at = Päivä
hint-contact-at = Esimerkiksi 1.12.2026.
field-contact-face_to_face = Tavattiin kasvokkain
field-contact-client = Koskiko yhteydenotto asiakastasi?
contact-no-client = Ei asiakasta (työpaikan kehittäminen)
field-purpose = Tarkoitus
field-outcome = Tulos
contact-form-submit = Kirjaa yhteydenotto
contact-log-title = Kaikki yhteydenotot
contact-log-empty = Tähän työnantajaan ei ole vielä otettu yhteyttä.
contact-about-other-client = toisen valmentajan asiakas
notice-contact-logged = Yhteydenotto kirjattu.
contact-error-at = Anna päivä muodossa 1.12.2026. Se ei voi olla tulevaisuudessa.
contact-error-client_id = Valitse asiakas omista asiakkaistasi tai ei asiakasta.
contact-error-purpose = Tarkoitus on liian pitkä.
contact-error-outcome = Tulos on liian pitkä.
