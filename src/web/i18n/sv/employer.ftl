## Arbetsgivarens sidor: egna annonser och respons på arbetsprövningar.

emp-nav-postings = Annonser
emp-nav-feedback = Respons

emp-forbidden-title = Ingen behörighet
emp-forbidden-text = De här sidorna är för arbetsgivarnas användare.
emp-no-employer-text = Ditt konto företräder ingen arbetsgivare. Kontakta tjänstens administratör.
emp-not-found-title = Sidan hittades inte
emp-not-found-text = Annonsen eller blanketten hittades inte. Adressen kan vara fel, eller så hör den till en annan arbetsgivare.

emp-notice-created = Annonsen är publicerad. Jobbcoacherna hittar den i sökningen genast.
emp-notice-updated = Ändringarna är sparade.
emp-notice-closed = Annonsen är stängd. Den syns inte längre i sökningen eller i förslagen.
emp-notice-sent = Tack! Responsen är sparad, och jobbcoachen ser den.

emp-home-title = Egna annonser
emp-home-intro = { $employer }: lediga jobb och underleveransarbeten som ni har publicerat. Jobbcoacherna hittar öppna annonser genast, och stängda försvinner ur sökningen.
emp-new-vacancy = Ny jobbannons
emp-new-task = Nytt underleveransarbete
emp-feedback-pending = { $count ->
    [one] En responsblankett väntar på ert svar.
   *[other] { $count } responsblanketter väntar på ert svar.
}
emp-feedback-pending-link = Svara på responsen
emp-vacancies-title = Lediga jobb
emp-tasks-title = Underleveransarbeten
emp-count = { $count ->
    [one] En annons
   *[other] { $count } annonser
}
emp-none-vacancies = Inga jobbannonser ännu.
emp-none-tasks = Inga underleveransarbeten ännu.
emp-col-title = Rubrik
emp-col-municipality = Kommun
emp-col-work = Arbetstid
emp-col-group = Grupp
emp-col-status = Status
emp-col-valid-through = Ansökan slutar
emp-col-dates = Tidpunkt
emp-status-open = Öppen
emp-status-closed = Stängd
emp-valid-through-none = Inget slutdatum
emp-dates-range = { $from } – { $to }
emp-dates-from = från { $from }
emp-dates-until = till { $to }
emp-dates-none = Inga datum
emp-hours-range = { $min }–{ $max } h/v.
emp-hours-exactly = { $hours } h/v.
emp-hours-min = minst { $hours } h/v.
emp-hours-max = högst { $hours } h/v.
emp-group-of = { $count ->
    [one] 1 person
   *[other] { $count } personer
}
emp-page-of = Sida { $page }/{ $pages }
emp-page-prev = Föregående
emp-page-next = Nästa
emp-pages-label = sidor

emp-kind-vacancy = Jobbannons
emp-kind-task = Underleveransarbete
emp-back = Tillbaka
emp-back-to-list = Tillbaka till egna annonser
emp-edit = Redigera annonsen
emp-close = Stäng annonsen
emp-closed-note = Annonsen är stängd. En stängd annons kan inte redigeras eller öppnas igen; ni kan publicera en ny.
emp-not-given = Inte angivet
emp-posted-on = Publicerad
emp-yes = Ja
emp-no = Nej
emp-not-said = Inte angivet
emp-not-chosen = Inte valt
emp-cancel = Avbryt
emp-submit-create = Publicera annonsen
emp-submit-update = Spara ändringarna

emp-vacancy-new-title = Ny jobbannons
emp-vacancy-edit-title = Redigera jobbannonsen
emp-vacancy-intro = Berätta tydligt om arbetet: vad det är, var och när det görs. Rubrik, beskrivning och kommun är obligatoriska.
emp-task-new-title = Nytt underleveransarbete
emp-task-edit-title = Redigera underleveransarbetet
emp-task-intro = Ett underleveransarbete är arbete som ett företag köper av en grupp i stött arbete, till exempel packning, montering eller gårdsarbete. Rubrik, beskrivning och kommun är obligatoriska.

emp-f-title = Rubrik
emp-f-title-hint-vacancy = Uppgiftens namn, till exempel Lagerarbetare.
emp-f-title-hint-task = Arbetets namn, till exempel Packningsarbete.
emp-f-description = Beskrivning
emp-f-description-hint-vacancy = Vad arbetet går ut på, vilka arbetstiderna är och hur ni introducerar.
emp-f-description-hint-task = Vad arbetet går ut på, vilka verktyg eller skyddsutrustning som behövs och hur arbetet prissätts.
emp-f-municipality = Kommun
emp-f-municipality-hint = Kommunen där arbetet görs, till exempel Lahtis.
emp-f-occupation_code = Yrkesklassificering (frivillig)
emp-f-occupation_code-hint = ISCO-08-kod, till exempel 9321, eller ESCO-kod, till exempel 9321.1. Lämnas fältet tomt tolkas yrket ur texten.
emp-f-hours = Arbetstimmar per vecka
emp-f-hours-hint = Minst och högst, till exempel 20 och 30. Ni kan lämna det ena eller båda tomma.
emp-f-hours-min = Minst
emp-f-hours-max = Högst
emp-f-employment_type = Typ av anställning
emp-f-language = Annonsens språk
emp-f-language-hint = Lämnas fältet tomt tolkas språket ur texten.
emp-f-valid_through = Ansökan slutar (frivillig)
emp-f-valid_through-hint = Sista ansökningsdag, till exempel 31.12.2026. Annonsen stängs av sig själv efter den.
emp-f-wage_subsidy_ok = Kan arbetet anställas med lönesubvention?
emp-f-wage_subsidy_ok-hint = Lönesubvention är TE-tjänsternas stöd för lönekostnader.
emp-f-work_trial_ok = Kan arbetet börja med arbetsprövning?
emp-f-work_trial_ok-hint = Vid arbetsprövning prövar personen arbetet före en anställning.
emp-f-adjustments_offered = Anpassningar som ni kan erbjuda (frivilligt)
emp-f-adjustments_offered-hint = En per rad, till exempel skriftliga instruktioner eller lugn arbetsplats.
emp-f-site = Var görs arbetet?
emp-f-dates = Tidpunkt
emp-f-dates-hint = Datum i formen 31.12.2026. Ni kan lämna det ena eller båda tomma.
emp-f-starts_on = Börjar
emp-f-ends_on = Slutar
emp-f-estimated_hours = Arbetsmängd i timmar (uppskattning)
emp-f-estimated_hours-hint = Hela arbetets timmar sammanlagt, till exempel 120.
emp-f-group_size = Gruppens storlek
emp-f-group_size-hint = Hur många personer arbetet behöver.

emp-s-occupation_code = Yrkesklassificering
emp-s-valid_through = Ansökan slutar
emp-s-wage_subsidy_ok = Lönesubvention möjlig
emp-s-work_trial_ok = Arbetsprövning möjlig
emp-s-adjustments_offered = Anpassningar
emp-s-site = Arbetsplats
emp-fb-s-comment = Annan respons
emp-fb-questions = Frågor

emp-employment-FULL_TIME = Heltid
emp-employment-PART_TIME = Deltid
emp-employment-TEMPORARY = Visstid
emp-employment-PER_DIEM = Gigjobb
emp-employment-CONTRACTOR = Uppdrag
emp-employment-INTERN = Praktik
emp-employment-VOLUNTEER = Frivilligarbete
emp-employment-OTHER = Annat
emp-language-detect = Tolkas ur texten
emp-language-fi = finska
emp-language-sv = svenska
emp-language-en = engelska
emp-site-buyer = I våra lokaler
emp-site-provider = I arbetscentrets lokaler

emp-error-title-empty = Skriv en rubrik.
emp-error-title = Rubriken är för lång: högst 200 tecken.
emp-error-description-empty = Skriv en beskrivning av arbetet.
emp-error-description = Beskrivningen är för lång, eller så innehåller den tecken som inte kan sparas.
emp-error-municipality-empty = Skriv kommunen där arbetet görs.
emp-error-municipality = Kommunens namn är för långt: högst 200 tecken.
emp-error-occupation_code = Yrkesklassificeringen är en ISCO-08-kod (1–4 siffror, till exempel 9321) eller en ESCO-kod (till exempel 9321.1).
emp-error-hours_per_week-min = Minsta antalet timmar ska vara 0–80 och får inte vara fler än högsta antalet.
emp-error-hours_per_week-max = Högsta antalet timmar ska vara 0–80.
emp-error-hours_per_week-min-number = Skriv minsta antalet timmar som ett tal, till exempel 20 eller 7,5.
emp-error-hours_per_week-max-number = Skriv högsta antalet timmar som ett tal, till exempel 30 eller 37,5.
emp-error-employment_type = Välj typ av anställning i listan.
emp-error-language = Välj annonsens språk i listan.
emp-error-valid_through-format = Skriv sista ansökningsdagen i formen 31.12.2026.
emp-error-valid_through = Sista ansökningsdagen ska ligga mellan åren 1900 och 2100.
emp-error-wage_subsidy_ok = Välj ja, nej eller inte angivet.
emp-error-work_trial_ok = Välj ja, nej eller inte angivet.
emp-error-adjustments_offered = Skriv högst 30 anpassningar, var och en högst 200 tecken.
emp-error-site = Välj om arbetet görs i era lokaler eller i arbetscentret.
emp-error-starts_on-format = Skriv startdagen i formen 31.12.2026.
emp-error-starts_on = Startdagen ska ligga mellan åren 1900 och 2100.
emp-error-ends_on-format = Skriv slutdagen i formen 31.12.2026.
emp-error-ends_on = Slutdagen ska ligga mellan åren 1900 och 2100.
emp-error-ends_on-order = Slutdagen kan inte vara före startdagen.
emp-error-estimated_hours = Arbetsmängden ska vara 0–100 000 timmar.
emp-error-estimated_hours-number = Skriv arbetsmängden i timmar som ett tal, till exempel 120.
emp-error-group_size = Gruppens storlek ska vara 1–500 personer.
emp-error-group_size-number = Skriv gruppens storlek som ett heltal, till exempel 4.

emp-close-title = Stänga annonsen?
emp-close-text = När ni stänger annonsen ”{ $title }” försvinner den genast ur sökningen och ur jobbcoachernas förslag. En stängd annons kan inte öppnas igen.
emp-close-confirm = Ja, stäng annonsen
emp-close-cancel = Stäng inte

emp-feedback-title = Respons på arbetsprövningar
emp-feedback-intro = Jobbcoachen ber om respons på en arbetsprövning eller ett arbete på er arbetsplats. Blanketten säger vilken period det gäller men nämner inte personen och säger inget annat om hen. Varje blankett besvaras en gång.
emp-fb-pending-title = Väntar på svar
emp-fb-answered-title = Besvarade
emp-fb-none-pending = Inga obesvarade blanketter.
emp-fb-none-answered = Inga besvarade blanketter ännu.
emp-fb-about = { $placement }, började { $started }
emp-fb-posting-line = Annons: { $title }
emp-fb-asked-on = Begärd { $date }
emp-fb-answered-on = besvarad { $date }
emp-fb-back = Tillbaka till responsen
emp-fb-form-title = Respons: { $about }
emp-fb-which = Vilken period det gäller
emp-fb-placement = Period
emp-fb-started = Började
emp-fb-posting = Annons
emp-fb-no-posting = Ingen annons
emp-fb-asked = Respons begärd
emp-fb-answered = Besvarad
emp-fb-privacy = Blanketten nämner inte personen och säger inget annat om hen. Skriv inga hälsouppgifter i svaret.
emp-fb-tasks_managed = Hur gick arbetsuppgifterna?
emp-fb-tasks_managed-hint = 1 = inte alls, 5 = helt.
emp-fb-tasks-1 = 1 – inte alls
emp-fb-tasks-2 = 2 – svagt
emp-fb-tasks-3 = 3 – delvis
emp-fb-tasks-4 = 4 – bra
emp-fb-tasks-5 = 5 – helt
emp-fb-support_needed = Hur mycket handledning behövde personen?
emp-fb-support-none = Ingen handledning
emp-fb-support-some = En del
emp-fb-support-a_lot = Mycket
emp-fb-would_hire = Skulle ni anställa personen eller fortsätta anställningen?
emp-fb-comment = Annan respons (frivillig)
emp-fb-comment-hint = Vad gick bra, och var kunde personen utvecklas.
emp-fb-once = Responsen kan skickas bara en gång och kan inte ändras i efterhand.
emp-fb-submit = Skicka responsen
emp-fb-answers-title = Era svar
emp-fb-no-comment = Ingen kommentar
emp-fb-read-only = Responsen är skickad. Svaren kan inte längre ändras.
emp-fb-already = Blanketten är redan besvarad. Svaren kan inte ändras; nedan finns de skickade svaren.
emp-error-tasks_managed = Välj hur arbetsuppgifterna gick, på skalan 1–5.
emp-error-support_needed = Välj hur mycket handledning personen behövde.
emp-error-would_hire = Välj ja eller nej.
emp-error-comment = Responsen är för lång: högst 2 000 tecken.
