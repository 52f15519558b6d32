# kohtaamo web app: Swedish (as written in Finland).

## Layout

service-name = kohtaamo
service-tagline = Stöd till sysselsättning
skip-to-content = Hoppa till innehållet
nav-label = Huvudmeny
nav-dashboard = Uppföljning
nav-home = Startsida
signed-in-as = Inloggad
sign-out = Logga ut
language-label = Språk
language-fi = Suomeksi
language-sv = På svenska
language-en = In English
footer-about = kohtaamo hjälper jobbcoacher att hitta lediga jobb enligt IPS-modellen. Den sparar inga hälsouppgifter.
footer-privacy = Behandlingen av klientuppgifter loggas.
title-suffix = kohtaamo
error-title-prefix = Fel
error-summary-title = Kontrollera uppgifterna
error-page-title = Något gick fel
error-page-text = Sidan kunde inte visas. Försök igen om en stund. Kontakta administrationen om felet kvarstår.
forbidden-title = Ingen behörighet
forbidden-text = Den här sidan är för koordinatorer och jobbcoacher. Logga in med ett annat konto eller gå tillbaka till startsidan.
not-available-title = Inga sidor ännu
not-available-text = Det finns ännu inga sidor för din roll i webbtjänsten. Du kan använda gränssnittet (API).
not-found-title = Sidan hittades inte
not-found-text = Det finns ingen sida eller tabell på adressen. Kontrollera adressen eller gå tillbaka till uppföljningen.

## Roles

role-admin = administratör
role-coordinator = koordinator
role-coach = jobbcoach
role-employer = arbetsgivare
role-auditor = dataskyddsgranskare

## Sign-in with an API key

login-title = Logga in
login-intro = Logga in med samma nyckel som du använder i gränssnittet. Tjänsten är för koordinatorer och jobbcoacher.
login-token = API-nyckel
login-token-hint = Nyckeln börjar med kht_. Du får den av administrationen.
login-submit = Logga in
login-error-empty = Skriv API-nyckeln.
login-error-unknown = Nyckeln kändes inte igen. Kontrollera nyckeln.
login-error-unreadable = Formuläret kunde inte läsas. Skriv API-nyckeln på nytt.
login-error-role = Tjänsten är för koordinatorer och jobbcoacher.
login-error-too-many = För många misslyckade inloggningar. Försök igen om { $seconds } sekunder.

## Formats

week-short = v. { $week }
quarter-name = kvartal { $quarter } { $year }
not-available = –
unit-days = dygn
unit-hours-per-week = h/v.

## Stages

stage-referred = Hänvisad till tjänsten
stage-engaged = Engagerad i tjänsten
stage-profiling = Yrkesprofilering
stage-job_search = Snabb jobbsökning
stage-employer_contact = Arbetsgivarkontakt
stage-interview = Arbetsintervju
stage-employed = Har börjat ett arbete eller en period
stage-in_work_support = Stöd i arbetet
stage-job_ended = Arbetet eller perioden har upphört
stage-closed = Tjänsten avslutad

step-engaged = Började i tjänsten
step-job_search = Började söka jobb
step-employer_contact = En arbetsgivare kontaktades
step-interview = Var på arbetsintervju
step-competitive_job = Fick ett lönearbete på den öppna arbetsmarknaden

placement-competitive = Lönearbete på den öppna arbetsmarknaden
placement-wage_subsidised = Lönesubventionerat arbete
placement-work_trial = Arbetsprövning
placement-rehabilitative_work = Arbetsverksamhet i rehabiliteringssyfte
placement-open_work = Öppen arbetsverksamhet
placement-subcontracting_group = Underleveransarbete i grupp
placement-education = Studier
placement-of-which = varav: { $placement }

## Dashboard

dashboard-title = Uppföljning av sysselsättningen
dashboard-intro-coordinator = Siffror för alla klienter eller för en jobbcoachs klienter. Klienternas namn visas inte.
dashboard-intro-coach = Siffror för dina egna klienter.
period-legend = Period
period-from = Från och med
period-to = Till och med
period-hint = Format d.m.åååå eller åååå-mm-dd, till exempel 1.1.2026.
period-coach = Jobbcoach
period-all-coaches = Alla jobbcoacher
period-submit = Visa siffrorna
period-shown = Period { $from } – { $to }
period-error-from-date = Startdagen är inget datum. Skriv den i formatet 1.1.2026.
period-error-to-date = Slutdagen är inget datum. Skriv den i formatet 31.12.2026.
period-error-from-range = Startdagen måste ligga mellan åren 1900 och 2100.
period-error-to-range = Slutdagen måste ligga mellan åren 1900 och 2100.
period-error-order = Startdagen måste vara samma dag som slutdagen eller tidigare.
period-error-too-long = Perioden får vara högst tio år.
period-error-coach = Välj en jobbcoach i listan.
figure-clients = Klienter som började senast { $to }
figure-cohort = Kohort: klienter som började under perioden

export-label = Ladda ner tabellen
export-csv = { $table }, CSV-fil
export-xlsx = { $table }, Excel-fil
export-note = CSV-filen öppnas direkt i Excel med finländska inställningar (semikolon som avgränsare, decimalkomma).

table-empty = Inga uppgifter för den här perioden.
col-clients = Klienter
col-share-of-cohort = Andel av kohorten
col-from-previous = Från föregående steg
col-step = Steg
col-stage = Skede
col-placement = Arbete eller period
col-stays = Avslutade perioder
col-median-days = Median, dygn
col-measure = Mätare
col-value = Värde
col-n = Fall
col-quarter = Kvartal
col-out-of-work = Arbetslösa vid start
col-competitively-employed = I lönearbete på den öppna arbetsmarknaden
col-rate = Andel
col-drop-off = Föll bort före nästa steg
col-item = Mätare
col-meaning = Vad den visar
col-unit = Enhet
col-score = Poäng (1–5)
col-client = Klient
col-client-number = Klientnummer
col-coach = Jobbcoach
col-intake = Start
col-days = Dagar sedan start
col-level = Läge
col-active = Aktiva
col-cohort = I kohorten
col-competitive-jobs = Fick lönearbete
col-coach-figures = Siffror

table-cohort_funnel = Kohorttratt
table-cohort_funnel-note = Av dem som började under perioden: hur många som nådde varje steg före periodens slut. Den som nådde ett senare steg räknas också i de tidigare. Bara lönearbete på den öppna arbetsmarknaden är det sista steget: arbetsprövning eller lönesubventionerat arbete är det inte.
table-cohort_placements = Kohortens arbeten och perioder
table-cohort_placements-note = Av dem som började under perioden: hur många som började ett arbete eller en period av varje slag. Arbetsprövning, arbetsverksamhet i rehabiliteringssyfte, öppen arbetsverksamhet och underleveransarbete är ingen sysselsättning.
table-stages = Klienter per skede nu
table-stages-note = Alla som började före periodens slut och deras skede vid periodens slut.
table-time_in_stage = Tid i skedet
table-time_in_stage-note = Längden på skeden som började under perioden och redan avslutats, median i dygn.
table-outcomes = Resultat
table-outcomes-note = Lönearbeten på den öppna arbetsmarknaden.
table-quarters = I lönearbete per kvartal
table-quarters-note = Av dem som var arbetslösa vid start: hur många som under kvartalet hade lönearbete på den öppna arbetsmarknaden. Jämförelsevärden: 31 % miniminivå, 41 % medelnivå, 50 % utmärkt.
table-placement_path = Trappmodellen: arbetsprövning → lönesubvention → lönearbete
table-placement_path-note = Klienter i kohorten som gick trappan. I IPS-modellen kommer lönearbetet först: sista raden visar hur mångas första arbete var ett lönearbete på den öppna arbetsmarknaden.
table-fidelity = Hur IPS-modellen följs
table-fidelity-note = De punkter i IPS-25-skalan som kan räknas ut ur registreringarna. Poäng 1–5; 5 är bäst.
table-alerts = Väntar på arbetsgivarkontakt
table-alerts-note = Klienter som började för mer än 21 dagar sedan utan en arbetsgivarkontakt ansikte mot ansikte. I IPS-modellen sker den första kontakten inom 30 dagar.
table-coaches = Per jobbcoach
table-coaches-note = Välj en jobbcoach för att se hens siffror.
table-caseload = Mina klienter
table-caseload-note = Dina klienter och deras skede vid periodens slut.

outcome-median_days_to_first_job = Mediantid från start till första lönearbete, dygn
outcome-mean_days_to_first_job = Medeltid från start till första lönearbete, dygn
outcome-mean_hours = Veckotimmar i medeltal
outcome-share_20h = Andel som arbetar minst 20 timmar i veckan
outcome-tenure = Fortfarande i arbete { $days } dagar efter start

path-work_trial = Arbetsprövning
path-wage_subsidised = → därefter lönesubventionerat arbete
path-competitive = → därefter lönearbete på den öppna arbetsmarknaden
path-competitive_first = Första arbetet lönearbete på den öppna arbetsmarknaden (IPS)

alert-over_21_days = Över 21 dagar
alert-over_30_days = Över 30 dagar: IPS-gränsen överskriden

fidelity-mean = Medelpoäng: { $score } / 5
fidelity-score = { $score } / 5
fidelity-no-data = Kan inte räknas: inga uppgifter för perioden
fidelity-based-on = Bygger på { $n } fall.
fidelity-caseload_size = Klienter per jobbcoach
fidelity-caseload_size-meaning = Aktiva klienter per heltidsanställd jobbcoach. Få klienter ger tid för tätt stöd. 5 poäng: högst 20 klienter (21–25: 4, 26–30: 3, 31–40: 2).
fidelity-caseload_size-unit = klienter / coach
fidelity-rapid_job_search = Snabb jobbsökning
fidelity-rapid_job_search-meaning = Mediantid från start till första arbetsgivarkontakt ansikte mot ansikte. I IPS-modellen börjar jobbsökningen genast, inte efter en förberedande period. 5 poäng: högst 30 dagar (31–60: 4, 61–90: 3, 91–120: 2).
fidelity-rapid_job_search-unit = dygn
fidelity-employer_contacts = Arbetsgivarkontakter
fidelity-employer_contacts-meaning = Arbetsgivarkontakter ansikte mot ansikte per jobbcoach och vecka. Jobben hittas genom att träffa arbetsgivare. 5 poäng: minst 6 (5: 4, 4: 3, 3: 2).
fidelity-employer_contacts-unit = kontakter / coach / vecka
fidelity-diversity_of_job_types = Mångsidiga arbetsuppgifter
fidelity-diversity_of_job_types-meaning = Hur stor del av de påbörjade arbetena som är i olika yrken. Arbetena väljs efter klientens önskemål, inte bland samma färdiga platser. 5 poäng: minst 85 % (70–84: 4, 55–69: 3, 40–54: 2).
fidelity-diversity_of_job_types-unit = %
fidelity-diversity_of_employers = Mångsidiga arbetsgivare
fidelity-diversity_of_employers-meaning = Hur stor del av de påbörjade arbetena som är hos olika arbetsgivare. 5 poäng: minst 85 % (70–84: 4, 55–69: 3, 40–54: 2).
fidelity-diversity_of_employers-unit = %
fidelity-competitive_jobs = Lönearbete på den öppna arbetsmarknaden
fidelity-competitive_jobs-meaning = Hur stor del av de påbörjade arbetena och perioderna (utom studier) som är lönearbete på den öppna arbetsmarknaden. Arbetsprövning och lönesubventionerat arbete är det inte. 5 poäng: minst 95 % (85–94: 4, 75–84: 3, 65–74: 2).
fidelity-competitive_jobs-unit = %

coach-figures-link = Visa siffrorna: { $coach }
client-number = Klient { $id }

## Exports: file names

file-cohort_funnel = kohorttratt
file-cohort_placements = kohortens-arbeten-och-perioder
file-stages = klienter-per-skede
file-time_in_stage = tid-i-skedet
file-outcomes = resultat
file-quarters = i-lonearbete-per-kvartal
file-placement_path = trappmodellen
file-fidelity = hur-ips-modellen-foljs
file-alerts = vantar-pa-arbetsgivarkontakt
file-coaches = per-jobbcoach
file-caseload = mina-klienter
