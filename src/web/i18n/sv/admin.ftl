# The auditor's and the admin's pages: the access log and users (sv).

nav-users = Användare
nav-access-log = Åtkomstlogg
admin-pages-label = Sidor
admin-page-prev = Föregående sida
admin-page-next = Nästa sida
admin-page-of = Sida { $page } av { $pages }

## Access log

access-log-title = Åtkomstlogg
access-log-forbidden = Åtkomstloggen läses bara av dataskyddsgranskaren. Logga in med ett annat konto eller gå tillbaka till startsidan.
access-log-intro = Varje läsning och ändring av klientuppgifter och varje nekat försök: vem, när, vad och vems uppgifter. Nyaste först. Tider i finsk tid.
access-log-filters = Avgränsa loggen
access-log-filters-hint = Alla fält är frivilliga. Datum i formen 1.12.2026.
access-log-client-id = Klientens nummer
access-log-user-id = Användarens nummer
access-log-submit = Visa
access-log-clear = Töm avgränsningarna
access-log-rows = Händelser
access-log-total = { $count ->
    [one] En händelse
   *[other] { $count } händelser
}
access-log-empty = Inga händelser motsvarar avgränsningarna.
access-log-col-when = När
access-log-col-who = Vem
access-log-col-action = Vad
access-log-col-target = Vems uppgifter
access-log-col-outcome = Resultat
access-log-error-client_id = Klientens nummer är ett positivt heltal, till exempel 12.
access-log-error-user_id = Användarens nummer är ett positivt heltal, till exempel 3.
access-log-error-date = Skriv datumet i formen 1.12.2026.
access-log-error-range = Datumet ska ligga mellan åren 1900 och 2100.
access-log-error-order = Startdagen kan inte vara efter slutdagen.
access-log-client = Klient { $id }
access-log-list = { $count ->
    [one] Lista { $list }, en klient
   *[other] Lista { $list }, { $count } klienter
}
access-log-allowed = Tillåten
access-log-denied-role = Nekad: rollen får inte läsa klientuppgifter
access-log-denied-not_on_caseload = Nekad: en annan coachs klient
access-log-denied-no_such_client = Nekad: klienten finns inte
access-log-denied-erased = Nekad: klientens uppgifter har raderats
access-action-create = Lade till en klient
access-action-read = Läste klientens uppgifter
access-action-update = Ändrade klientens uppgifter
access-action-list = Läste en klientlista
access-action-matches = Såg arbetsförslagen
access-action-read_events = Läste händelser och respons
access-action-record_event = Registrerade en händelse
access-action-record_contact = Registrerade en arbetsgivarkontakt
access-action-request_feedback = Bad arbetsgivaren om respons
access-action-employer_contacts = Läste arbetsgivarens kontakter
access-action-fidelity = Läste siffrorna för modelltrohet
access-action-dashboard = Öppnade uppföljningen
access-action-dashboard_export = Laddade ner en tabell ur uppföljningen
access-action-export = Exporterade alla uppgifter om klienten
access-action-erase = Raderade klientens uppgifter

## Users

users-title = Användare
users-forbidden = Användare hanteras bara av administratören. Logga in med ett annat konto eller gå tillbaka till startsidan.
users-intro = Användarna, deras giltiga API-nycklar och webbläsarsessioner. En användare som inaktiveras förlorar genast alla nycklar och sessioner.
users-list = Alla användare
users-col-name = Namn
users-col-role = Roll
users-col-email = E-postadress
users-col-status = Status
users-col-tokens = Nycklar
users-col-sessions = Sessioner
users-col-actions = Åtgärder
users-you = du
users-status-active = Aktiv
users-status-disabled = Inaktiverad
users-action-link = Skapa inloggningslänk
users-action-revoke = Återkalla nycklar och sessioner
users-action-disable = Inaktivera
users-action-enable = Aktivera
users-notice-disabled = Användaren inaktiverades. Alla hens nycklar och sessioner upphörde.
users-notice-enabled = Användaren aktiverades. Hen behöver en ny inloggningslänk eller nyckel.
users-notice-revoked = Alla användarens nycklar och sessioner återkallades.
users-notice-added = Användaren { $name } lades till.
users-link-title = Inloggningslänk: { $name }
users-link-once = Länken fungerar en gång i 24 timmar. Den visas bara nu: ge den till användaren på ett säkert sätt.
users-add-title = Lägg till en användare
users-add-intro = En ny användare loggar in första gången med en engångslänk och väljer sedan ett lösenord.
users-add-submit = Lägg till användaren
users-role-choose = Välj roll
users-employer-id = Arbetsgivarens nummer
users-employer-id-hint = Bara för arbetsgivaranvändare: numret i arbetsgivarregistret för den arbetsgivare hen annonserar för.
users-error-role = Välj en roll.
users-error-name = Skriv ett namn (högst 100 tecken).
users-error-email = Skriv en e-postadress, till exempel namn@example.fi.
users-error-email-taken = E-postadressen används redan av en annan användare.
users-error-employer_id = En arbetsgivaranvändare behöver numret på en arbetsgivare i registret.
users-error-employer_id-other = Arbetsgivarens nummer anges bara för arbetsgivaranvändare. Lämna fältet tomt.
users-error-self-disable = Du kan inte inaktivera ditt eget konto. En annan administratör kan göra det.
users-error-disabled = En inaktiverad användare kan inte få en inloggningslänk. Aktivera hen först.
users-error-not-found = Användaren hittades inte.
