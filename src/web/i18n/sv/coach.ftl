# The coach's workspace (caseload, client, wishes form, shortlist, search), in Swedish.

nav-caseload = Klienter
nav-search = Sök
coach-only-text = Den här sidan är för jobbcoacher.
client-not-found-title = Klienten hittades inte
client-not-found-text = Klienten finns inte bland dina klienter. Gå tillbaka till klientlistan.
cancel = Avbryt
back = Tillbaka
not-given = inte angivet
place-unknown = ort okänd

## Caseload

caseload-title = Klienter
caseload-needs-action = Väntar på åtgärd
caseload-nothing-due = Ingen har åtgärder som väntar just nu.
caseload-everyone = Alla klienter
caseload-empty = Du har inga klienter ännu.
col-last-activity = Senast antecknat
stage-none = Inget skede ännu
attention-first_contact_overdue = { $days } dagar sedan start utan möte med en arbetsgivare: över gränsen på 30 dagar
attention-first_contact_soon = { $days } dagar sedan start utan möte med en arbetsgivare: målet är 30 dagar
attention-job_ended = Arbetet eller perioden upphörde { $date }: kom överens om fortsättningen
attention-follow_up_due = I arbete, men { $days } dagar utan anteckning: dags att höra hur det går
attention-benefits_counselling_due = Förmånsrådgivning saknas innan arbetet börjar
attention-new_matches = { $count } nya arbetsförslag
attention-new_matches-one = Ett nytt arbetsförslag

## Client form

client-new-title = Ny klient
client-edit-title = Redigera: { $name }
client-form-intro = Skriv önskemålen med klientens egna ord. Skriv inga hälsouppgifter.
client-form-who = Klient
client-form-wishes = Önskemål
client-form-create = Spara klienten
client-form-save = Spara ändringarna
field-display_name = Namn eller signatur
hint-display_name = Ett namn du känner igen. Ingen personbeteckning.
field-home_municipality = Hemkommun
field-intake_date = Startdatum
hint-intake_date = Klockan för arbetssökandet startar här. Till exempel 1.12.2026.
field-treatment_team_contact = Kontaktperson i vårdteamet
hint-treatment_team_contact = Namn och roll, inga vårduppgifter.
field-desired_work = Vilket slags arbete vill klienten ha?
hint-desired_work = Med klientens egna ord, till exempel ”lagerarbete, helst morgonskift”.
field-avoid = Vad vill klienten undvika?
hint-avoid = Till exempel ”nattarbete” eller ”kundtjänst i telefon”. Sådana förslag kommer senare, de tas inte bort.
field-municipalities = Andra kommuner där klienten kan arbeta
hint-municipalities = Skilj åt med kommatecken.
field-max_commute_km = Längsta arbetsresa (km)
hint-number = Ett tal, till exempel 12 eller 12,5.
field-hours_min = Timmar per vecka minst
field-hours_max = Timmar per vecka högst
field-adjustments = Arrangemang på arbetsplatsen som klienten vill berätta om
hint-adjustments = Ett per rad, till exempel ”skriftliga instruktioner”.
field-languages = Arbetsspråk
hint-languages = Språkkoder åtskilda med kommatecken, till exempel fi, sv, en.
field-occupations = Yrkeskoder (frivilligt)
hint-occupations = ISCO- eller ESCO-koder åtskilda med kommatecken.
client-error-display_name = Skriv ett namn eller en signatur (högst 100 tecken).
client-error-home_municipality = Skriv hemkommunen (högst 100 tecken).
client-error-intake_date = Ange startdatum som 1.12.2026. Det kan inte ligga i framtiden.
client-error-treatment_team_contact = Kontaktpersonen är för lång (högst 200 tecken).
client-error-desired_work = Önskemålet är för långt (högst 2 000 tecken).
client-error-avoid = Texten är för lång (högst 2 000 tecken).
client-error-municipalities = Kontrollera kommunerna: högst 50, var och en högst 100 tecken.
client-error-max_commute_km = Ange arbetsresan i kilometer som ett tal 0–1000.
client-error-hours_per_week-min = Ange timmarna som ett tal 0–168. Minimum kan inte vara större än maximum.
client-error-hours_per_week-max = Ange timmarna som ett tal 0–168.
client-error-languages = Ange språken som koder med två bokstäver, till exempel fi, sv, en.
client-error-adjustments = Kontrollera arrangemangen: högst 30 rader, var och en högst 200 tecken.
client-error-occupations = Kontrollera yrkeskoderna: en ISCO-kod (t.ex. 9321) eller ESCO-kod.

## Client page

client-edit-link = Redigera uppgifter och önskemål
shortlist-link = Förslagslista att skriva ut
client-wishes = Önskemål
field-places = Orter
field-hours = Arbetstid
hours-range = { $min }–{ $max } timmar per vecka
hours-at-least = minst { $hours } timmar per vecka
hours-at-most = högst { $hours } timmar per vecka
hours-per-week = { $hours } timmar per vecka
km = { $km } km
understood-title = Så här förstods önskemålet
understood-occupations = Yrken
understood-wanted = Sökta ord
understood-refused = Att undvika
matches-title = Arbetsförslag
matches-note = Förslagen bygger på klientens önskemål. Klienten bestämmer vad hen söker.
matches-empty = Inga förslag hittades. Precisera önskemålen eller lägg till orter.
kind-vacancy = Arbetsplats
kind-task = Underleverans
kind-employer = Arbetsgivare
answer-legend = Klientens svar
answer-interested = Intresserad
answer-applied = Sökte
answer-contacted = Kontakt med arbetsgivaren
answer-declined = Inte intresserad
answer-face-to-face = träffades personligen
answer-error-unknown = Svaret kunde inte antecknas. Välj svaret vid förslaget.
answer-error-refused = Svaret antecknades inte: { $reason }
notice-saved = Uppgifterna sparades. Förslagen uppdaterades.
notice-answer-interested = Antecknat: klienten är intresserad.
notice-answer-applied = Antecknat: klienten sökte.
notice-answer-contacted = Antecknat: kontakt med arbetsgivaren.
notice-answer-declined = Antecknat: inte intresserad.
timeline-title = Händelser
timeline-empty = Inga anteckningar ännu.
timeline-corrected = rättat senare
contact-face-to-face = träffades personligen
contact-remote = per telefon eller på distans
event-referred = Hänvisades till tjänsten
event-engaged = Började i tjänsten
event-profiling = Yrkesprofilering
event-job_search = Arbetssökandet började
event-employer_contact = Kontakt med arbetsgivare
event-interview = Arbetsintervju
event-employed = Började arbetet eller perioden
event-in_work_support = Stöd i arbetet
event-job_ended = Arbetet eller perioden upphörde
event-closed = Tjänsten avslutades på klientens begäran
event-match_interested = Intresserad av ett förslag
event-match_declined = Inte intresserad av ett förslag
event-match_applied = Sökte ett föreslaget arbete
event-benefits_counselling = Förmånsrådgivning
feedback-asked = Respons begärd av arbetsgivaren
feedback-answered = Arbetsgivarens respons
feedback-waiting = Väntar på svar
feedback-tasks-managed = Klarade uppgifterna: { $score }/5
feedback-support-none = Arbetade självständigt
feedback-support-some = Behövde en del handledning
feedback-support-a_lot = Behövde mycket handledning
feedback-would-hire = Arbetsgivaren skulle anställa
feedback-would-not-hire = Arbetsgivaren skulle inte anställa nu
feedback-comment = Kommentar: { $comment }

## Shortlist

shortlist-title = Förslagslista: { $name }
shortlist-heading = Arbeten som kunde passa dig
shortlist-intro = Förslagen har valts utifrån dina önskemål, { $name }.
shortlist-empty = Det finns inga förslag just nu. Vi tittar på saken tillsammans igen.
shortlist-why = Varför detta:
shortlist-you-decide = Du bestämmer vad du söker. Vi pratar om förslagen tillsammans.

## Search

search-title = Sök arbetsplatser och underleveranser
field-q = Sökord
hint-q = Till exempel ”lager” eller ”städning Lahtis”.
field-kind = Vad söks
search-kind-all = Alla
field-municipality = Kommun
field-limit = Högst antal resultat
hint-limit = 1–100, standard 20.
search-submit = Sök
search-total = { $count } träffar
search-total-one = { $count } träff
search-total-more = Över { $count } träffar
search-error-kind = Välj arbetsplats, underleverans eller alla.
search-error-q = För många sökord (högst 500 tecken).
search-error-limit = Ange antalet resultat som ett tal 1–100.

## Employer register

nav-employers = Arbetsgivare
register-title = Arbetsgivarregister
register-intro = Alla coachers kontakter syns här, så att ingen ringer samma arbetsgivare två gånger samma vecka.
register-list-title = Arbetsgivare och veckans kontakter
register-empty = Registret har inga arbetsgivare ännu.
register-none-this-week = inga kontakter på 7 dagar
register-next = Nästa sida
register-previous = Föregående sida
register-back = Tillbaka till arbetsgivarregistret
col-employer = Arbetsgivare
col-place = Ort
col-this-week = Kontakter under 7 dagar
col-date = Dag
col-how = Hur
col-about = Klient
employer-facts-title = Uppgifter
field-business_id = FO-nummer
field-industry = Bransch
contact-form-title = Anteckna en kontakt
field-contact-at = Dag
hint-contact-at = Till exempel 1.12.2026.
field-contact-face_to_face = Träffades personligen
field-contact-client = Gällde kontakten en av dina klienter?
contact-no-client = Ingen klient (arbetsplatsutveckling)
field-purpose = Syfte
field-outcome = Resultat
contact-form-submit = Anteckna kontakten
contact-log-title = Alla kontakter
contact-log-empty = Ingen har kontaktat arbetsgivaren ännu.
contact-about-other-client = en annan coachs klient
notice-contact-logged = Kontakten antecknades.
contact-error-at = Ange dagen som 1.12.2026. Den kan inte ligga i framtiden.
contact-error-client_id = Välj en av dina klienter eller ingen klient.
contact-error-purpose = Syftet är för långt.
contact-error-outcome = Resultatet är för långt.
