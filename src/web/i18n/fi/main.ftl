# kohtaamo web app: Finnish (the default language). Every id here must exist in sv and en too
# (a unit test compares the catalogues).

## Layout

service-name = kohtaamo
service-tagline = Työllistymisen tuki
skip-to-content = Siirry sisältöön
nav-label = Päävalikko
nav-dashboard = Seuranta
nav-home = Etusivu
signed-in-as = Kirjautunut
sign-out = Kirjaudu ulos
language-label = Kieli
language-fi = Suomeksi
language-sv = På svenska
language-en = In English
footer-about = kohtaamo auttaa työhönvalmentajia löytämään avoimia työpaikkoja IPS-mallin mukaisesti. Se ei tallenna terveystietoja.
footer-privacy = Asiakastietojen käsittely kirjataan lokiin.
title-suffix = kohtaamo
error-title-prefix = Virhe
error-summary-title = Tarkista tiedot
error-page-title = Jokin meni vikaan
error-page-text = Sivua ei voitu näyttää. Yritä hetken kuluttua uudelleen. Jos vika jatkuu, ota yhteys ylläpitoon.
forbidden-title = Ei käyttöoikeutta
forbidden-text = Tämä sivu on koordinaattoreille ja työhönvalmentajille. Kirjaudu sisään toisella tunnuksella tai palaa etusivulle.
not-available-title = Sivuja ei ole vielä
not-available-text = Roolillesi ei ole vielä sivuja verkkopalvelussa. Rajapinta on käytössäsi.
not-found-title = Sivua ei löytynyt
not-found-text = Osoitteessa ei ole sivua tai taulukkoa. Tarkista osoite tai palaa seurantaan.

## Roles

role-admin = ylläpitäjä
role-coordinator = koordinaattori
role-coach = työhönvalmentaja
role-employer = työnantaja
role-auditor = tietosuojan tarkastaja

## Sign-in with an API key (until sign-in with a password arrives)

login-title = Kirjaudu sisään
login-intro = Kirjaudu sisään samalla avaimella, jota käytät rajapinnassa. Palvelu on koordinaattoreille ja työhönvalmentajille.
login-token = API-avain
login-token-hint = Avain alkaa merkeillä kht_. Saat sen ylläpidolta.
login-submit = Kirjaudu
login-error-empty = Kirjoita API-avain.
login-error-unknown = Avainta ei tunnistettu. Tarkista avain.
login-error-unreadable = Lomaketta ei voitu lukea. Kirjoita API-avain uudelleen.
login-error-role = Tämä palvelu on koordinaattoreille ja työhönvalmentajille.
login-error-too-many = Liian monta epäonnistunutta kirjautumista. Yritä uudelleen { $seconds } sekunnin kuluttua.

## Formats

week-short = vk { $week }
quarter-name = { $quarter }. neljännes { $year }
not-available = –
unit-days = vrk
unit-hours-per-week = t/vko

## Stages (DOMAIN.md) in plain words

stage-referred = Ohjattu palveluun
stage-engaged = Palveluun sitoutunut
stage-profiling = Ammatillinen profilointi
stage-job_search = Nopea työnhaku
stage-employer_contact = Työnantajakontakti
stage-interview = Työhaastattelu
stage-employed = Aloittanut työn tai jakson
stage-in_work_support = Tuki työssä
stage-job_ended = Työ tai jakso päättynyt
stage-closed = Palvelu päättynyt

step-engaged = Aloitti palvelun
step-job_search = Aloitti työnhaun
step-employer_contact = Työnantajaan otettiin yhteyttä
step-interview = Kävi työhaastattelussa
step-competitive_job = Sai palkkatyön avoimilta työmarkkinoilta

placement-competitive = Palkkatyö avoimilla työmarkkinoilla
placement-wage_subsidised = Palkkatuettu työ
placement-work_trial = Työkokeilu
placement-rehabilitative_work = Kuntouttava työtoiminta
placement-open_work = Avotyö
placement-subcontracting_group = Alihankintatyö ryhmässä
placement-education = Opiskelu
placement-of-which = josta: { $placement }

## Dashboard

dashboard-title = Työllistymisen seuranta
dashboard-intro-coordinator = Luvut kaikista asiakkaista tai yhden työhönvalmentajan asiakkaista. Asiakkaiden nimiä ei näytetä.
dashboard-intro-coach = Luvut omista asiakkaistasi.
period-legend = Ajanjakso
period-from = Alkaen
period-to = Päättyen
period-hint = Muoto p.k.vvvv tai vvvv-kk-pp, esimerkiksi 1.1.2026.
period-coach = Työhönvalmentaja
period-all-coaches = Kaikki työhönvalmentajat
period-submit = Näytä luvut
period-shown = Ajanjakso { $from } – { $to }
period-error-from-date = Alkupäivä ei ole päivämäärä. Kirjoita se muodossa 1.1.2026.
period-error-to-date = Loppupäivä ei ole päivämäärä. Kirjoita se muodossa 31.12.2026.
period-error-from-range = Alkupäivän on oltava vuosien 1900 ja 2100 välillä.
period-error-to-range = Loppupäivän on oltava vuosien 1900 ja 2100 välillä.
period-error-order = Alkupäivän on oltava sama tai aikaisempi kuin loppupäivä.
period-error-too-long = Ajanjakso voi olla enintään kymmenen vuotta.
period-error-coach = Valitse työhönvalmentaja luettelosta.
figure-clients = Asiakkaita, jotka aloittivat viimeistään { $to }
figure-cohort = Kohortti: asiakkaita, jotka aloittivat ajanjaksolla

export-label = Lataa taulukko
export-csv = { $table }, CSV-tiedosto
export-xlsx = { $table }, Excel-tiedosto
export-note = CSV-tiedosto aukeaa suoraan suomenkieliseen Exceliin (puolipiste erottimena, desimaalipilkku).

table-empty = Ei tietoja tältä ajanjaksolta.
col-clients = Asiakkaita
col-share-of-cohort = Osuus kohortista
col-from-previous = Edellisestä vaiheesta
col-step = Vaihe
col-stage = Vaihe
col-placement = Työ tai jakso
col-stays = Päättyneitä jaksoja
col-median-days = Mediaani, vrk
col-measure = Mittari
col-value = Arvo
col-n = Tapauksia
col-quarter = Neljännes
col-out-of-work = Työttömänä aloittaneita
col-competitively-employed = Palkkatyössä avoimilla työmarkkinoilla
col-rate = Osuus
col-drop-off = Jäi pois seuraavasta vaiheesta
col-item = Mittari
col-meaning = Mitä se kertoo
col-unit = Yksikkö
col-score = Pisteet (1–5)
col-client = Asiakas
col-client-number = Asiakasnumero
col-coach = Työhönvalmentaja
col-intake = Aloitus
col-days = Päiviä aloituksesta
col-level = Tilanne
col-active = Aktiivisia
col-cohort = Kohortissa
col-competitive-jobs = Palkkatyön saaneita
col-coach-figures = Luvut

table-cohort_funnel = Kohorttisuppilo
table-cohort_funnel-note = Ajanjaksolla aloittaneista: kuinka moni eteni kuhunkin vaiheeseen ajanjakson loppuun mennessä. Myöhempään vaiheeseen edennyt lasketaan myös aiempiin vaiheisiin. Vain palkkatyö avoimilla työmarkkinoilla on viimeinen vaihe: työkokeilu tai palkkatuettu työ ei ole.
table-cohort_placements = Kohortin työt ja jaksot
table-cohort_placements-note = Ajanjaksolla aloittaneista: kuinka moni aloitti kunkin tyyppisen työn tai jakson. Työkokeilu, kuntouttava työtoiminta, avotyö ja alihankintatyö eivät ole työllistymistä.
table-stages = Asiakkaat vaiheittain nyt
table-stages-note = Kaikki ajanjakson loppuun mennessä aloittaneet ja heidän vaiheensa ajanjakson lopussa.
table-time_in_stage = Aika vaiheessa
table-time_in_stage-note = Ajanjaksolla alkaneiden ja jo päättyneiden vaiheiden kesto, mediaani vuorokausina.
table-outcomes = Tulokset
table-outcomes-note = Palkkatyöt avoimilla työmarkkinoilla.
table-quarters = Palkkatyössä neljännesvuosittain
table-quarters-note = Työttömänä aloittaneista: kuinka moni oli neljänneksen aikana palkkatyössä avoimilla työmarkkinoilla. Vertailukohtia: 31 % vähimmäistaso, 41 % keskitaso, 50 % erinomainen.
table-placement_path = Porrasmalli: työkokeilu → palkkatuki → palkkatyö
table-placement_path-note = Kohortin asiakkaat, jotka kulkivat portaita. IPS-mallissa palkkatyö tulee ensin: viimeinen rivi kertoo, kuinka monen ensimmäinen työ oli palkkatyö avoimilla työmarkkinoilla.
table-fidelity = IPS-mallin toteutuminen
table-fidelity-note = Ne IPS-25-mittarin kohdat, jotka voidaan laskea kirjauksista. Pisteet 1–5; 5 on paras.
table-alerts = Odottaa työnantajakontaktia
table-alerts-note = Asiakkaat, joiden aloituksesta on yli 21 päivää ilman kasvokkaista työnantajakontaktia. IPS-mallissa ensimmäinen kontakti on 30 päivän sisällä.
table-coaches = Työhönvalmentajittain
table-coaches-note = Valitse työhönvalmentaja nähdäksesi hänen lukunsa.
table-caseload = Omat asiakkaat
table-caseload-note = Asiakkaasi ja heidän vaiheensa ajanjakson lopussa.

outcome-median_days_to_first_job = Mediaaniaika aloituksesta ensimmäiseen palkkatyöhön, vrk
outcome-mean_days_to_first_job = Keskimääräinen aika aloituksesta ensimmäiseen palkkatyöhön, vrk
outcome-mean_hours = Viikkotunnit keskimäärin
outcome-share_20h = Osuus, joka tekee vähintään 20 tuntia viikossa
outcome-tenure = Yhä työssä { $days } päivän kuluttua aloituksesta

path-work_trial = Työkokeilu
path-wage_subsidised = → sen jälkeen palkkatuettu työ
path-competitive = → sen jälkeen palkkatyö avoimilla työmarkkinoilla
path-competitive_first = Ensimmäinen työ palkkatyö avoimilla työmarkkinoilla (IPS)

alert-over_21_days = Yli 21 päivää
alert-over_30_days = Yli 30 päivää: IPS-raja ylittynyt

fidelity-mean = Keskimääräiset pisteet: { $score } / 5
fidelity-score = { $score } / 5
fidelity-no-data = Ei laskettavissa: ei tietoja ajanjaksolta
fidelity-based-on = Perustuu { $n } tapaukseen.
fidelity-caseload_size = Asiakasmäärä työhönvalmentajaa kohden
fidelity-caseload_size-meaning = Aktiivisia asiakkaita kokoaikaista työhönvalmentajaa kohden. Pieni asiakasmäärä jättää aikaa tiiviiseen tukeen. 5 pistettä: enintään 20 asiakasta (21–25: 4, 26–30: 3, 31–40: 2).
fidelity-caseload_size-unit = asiakasta / valmentaja
fidelity-rapid_job_search = Nopea työnhaku
fidelity-rapid_job_search-meaning = Mediaaniaika aloituksesta ensimmäiseen kasvokkaiseen työnantajakontaktiin. IPS-mallissa työnhaku alkaa heti, ei valmennusjakson jälkeen. 5 pistettä: enintään 30 päivää (31–60: 4, 61–90: 3, 91–120: 2).
fidelity-rapid_job_search-unit = vrk
fidelity-employer_contacts = Työnantajakontaktit
fidelity-employer_contacts-meaning = Kasvokkaisia työnantajakontakteja työhönvalmentajaa kohden viikossa. Työpaikat löytyvät tapaamalla työnantajia. 5 pistettä: vähintään 6 (5: 4, 4: 3, 3: 2).
fidelity-employer_contacts-unit = kontaktia / valmentaja / vko
fidelity-diversity_of_job_types = Työtehtävien monipuolisuus
fidelity-diversity_of_job_types-meaning = Kuinka suuri osa alkaneista töistä on eri ammateissa. Työt valitaan asiakkaan toiveiden mukaan, ei samoista valmiista paikoista. 5 pistettä: vähintään 85 % (70–84: 4, 55–69: 3, 40–54: 2).
fidelity-diversity_of_job_types-unit = %
fidelity-diversity_of_employers = Työnantajien monipuolisuus
fidelity-diversity_of_employers-meaning = Kuinka suuri osa alkaneista töistä on eri työnantajilla. 5 pistettä: vähintään 85 % (70–84: 4, 55–69: 3, 40–54: 2).
fidelity-diversity_of_employers-unit = %
fidelity-competitive_jobs = Palkkatyöt avoimilla työmarkkinoilla
fidelity-competitive_jobs-meaning = Kuinka suuri osa alkaneista töistä ja jaksoista (opiskelua lukuun ottamatta) on palkkatyötä avoimilla työmarkkinoilla. Työkokeilu ja palkkatuettu työ eivät ole. 5 pistettä: vähintään 95 % (85–94: 4, 75–84: 3, 65–74: 2).
fidelity-competitive_jobs-unit = %

coach-figures-link = Näytä luvut: { $coach }
client-number = Asiakas { $id }

## Exports: file names (letters a–z, digits and hyphens only)

file-cohort_funnel = kohorttisuppilo
file-cohort_placements = kohortin-tyot-ja-jaksot
file-stages = asiakkaat-vaiheittain
file-time_in_stage = aika-vaiheessa
file-outcomes = tulokset
file-quarters = palkkatyossa-neljannesvuosittain
file-placement_path = porrasmalli
file-fidelity = ips-mallin-toteutuminen
file-alerts = odottaa-tyonantajakontaktia
file-coaches = tyohonvalmentajittain
file-caseload = omat-asiakkaat
