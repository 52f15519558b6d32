# The coach's workspace (caseload, client, wishes form, shortlist, search), in English.

nav-caseload = Clients
nav-search = Search
coach-only-text = This page is for job coaches.
client-not-found-title = Client not found
client-not-found-text = This client is not on your caseload. Go back to your clients.
cancel = Cancel
back = Back
not-given = not given
place-unknown = place unknown

## Caseload

caseload-title = Clients
caseload-needs-action = Needing action
caseload-nothing-due = Nobody needs an action right now.
caseload-everyone = All clients
caseload-empty = You have no clients yet.
col-last-activity = Last recorded
stage-none = No stage yet
attention-first_contact_overdue = { $days } days since intake without meeting an employer: past the 30-day limit
attention-first_contact_soon = { $days } days since intake without meeting an employer: the goal is 30 days
attention-job_ended = The job or placement ended on { $date }: agree on what next
attention-follow_up_due = In work, but { $days } days without a note: time to check in
attention-benefits_counselling_due = Benefits counselling missing before the job starts
attention-new_matches = { $count } new suggestions
attention-new_matches-one = One new suggestion

## Client form

client-new-title = New client
client-edit-title = Edit: { $name }
client-form-intro = Write the wishes in the client's own words. Do not record health information.
client-form-who = Client
client-form-wishes = Wishes
client-form-create = Save client
client-form-save = Save changes
field-display_name = Name or nickname
hint-display_name = A name you recognise. No personal identity code.
field-home_municipality = Home municipality
field-intake_date = Intake date
hint-intake_date = The job-search clock starts here. For example 1.12.2026.
field-treatment_team_contact = Treatment team contact
hint-treatment_team_contact = Name and role, no clinical details.
field-desired_work = What work does the client want?
hint-desired_work = In the client's own words, for example "warehouse work, mornings preferred".
field-avoid = What does the client want to avoid?
hint-avoid = For example "night work" or "phone customer service". Such suggestions come later; none are removed.
field-municipalities = Other municipalities the client can work in
hint-municipalities = Separate with commas.
field-max_commute_km = Longest commute (km)
hint-number = A number, for example 12 or 12.5.
field-hours_min = Hours per week, at least
field-hours_max = Hours per week, at most
field-adjustments = Workplace adjustments the client wants to share
hint-adjustments = One per line, for example "written instructions".
field-languages = Working languages
hint-languages = Language codes separated by commas, for example fi, sv, en.
field-occupations = Occupation codes (optional)
hint-occupations = ISCO or ESCO codes separated by commas.
client-error-display_name = Enter a name or nickname (at most 100 characters).
client-error-home_municipality = Enter the home municipality (at most 100 characters).
client-error-intake_date = Enter the intake date as 1.12.2026. It cannot be in the future.
client-error-treatment_team_contact = The contact is too long (at most 200 characters).
client-error-desired_work = The wish is too long (at most 2,000 characters).
client-error-avoid = The text is too long (at most 2,000 characters).
client-error-municipalities = Check the municipalities: at most 50, each at most 100 characters.
client-error-max_commute_km = Enter the commute in kilometres as a number from 0 to 1000.
client-error-hours_per_week-min = Enter the hours as a number from 0 to 168. The least cannot be more than the most.
client-error-hours_per_week-max = Enter the hours as a number from 0 to 168.
client-error-languages = Enter the languages as two-letter codes, for example fi, sv, en.
client-error-adjustments = Check the adjustments: at most 30 lines, each at most 200 characters.
client-error-occupations = Check the occupation codes: an ISCO code (e.g. 9321) or an ESCO code.

## Client page

client-edit-link = Edit details and wishes
shortlist-link = Printable shortlist
client-wishes = Wishes
field-places = Places
field-hours = Working hours
hours-range = { $min }–{ $max } hours a week
hours-at-least = at least { $hours } hours a week
hours-at-most = at most { $hours } hours a week
hours-per-week = { $hours } hours a week
km = { $km } km
understood-title = How the wish was understood
understood-occupations = Occupations
understood-wanted = Words searched for
understood-refused = To avoid
matches-title = Suggestions
matches-note = The suggestions follow the client's wishes. The client decides what to apply for.
matches-empty = No suggestions found. Refine the wishes or add places.
kind-vacancy = Vacancy
kind-task = Subcontracting task
kind-employer = Employer
answer-legend = The client's answer
answer-interested = Interested
answer-applied = Applied
answer-contacted = Employer contacted
answer-declined = Not interested
answer-face-to-face = met face to face
answer-error-unknown = The answer could not be recorded. Choose the answer at the suggestion.
answer-error-refused = The answer was not recorded: { $reason }
notice-saved = Saved. The suggestions were updated.
notice-answer-interested = Recorded: the client is interested.
notice-answer-applied = Recorded: the client applied.
notice-answer-contacted = Recorded: employer contacted.
notice-answer-declined = Recorded: not interested.
timeline-title = History
timeline-empty = Nothing recorded yet.
timeline-corrected = corrected later
contact-face-to-face = met face to face
contact-remote = by phone or remotely
event-referred = Referred to the service
event-engaged = Started in the service
event-profiling = Vocational profiling
event-job_search = Job search started
event-employer_contact = Employer contact
event-interview = Job interview
event-employed = Started a job or placement
event-in_work_support = Support in work
event-job_ended = The job or placement ended
event-closed = Service ended by the client's choice
event-match_interested = Interested in a suggestion
event-match_declined = Not interested in a suggestion
event-match_applied = Applied for a suggested job
event-benefits_counselling = Benefits counselling
feedback-asked = Feedback asked of the employer
feedback-answered = The employer's feedback
feedback-waiting = Waiting for an answer
feedback-tasks-managed = Managed the tasks: { $score }/5
feedback-support-none = Worked independently
feedback-support-some = Needed some guidance
feedback-support-a_lot = Needed a lot of guidance
feedback-would-hire = The employer would hire
feedback-would-not-hire = The employer would not hire now
feedback-comment = Comment: { $comment }

## Shortlist

shortlist-title = Shortlist: { $name }
shortlist-heading = Jobs that could suit you
shortlist-intro = These suggestions were chosen from your wishes, { $name }.
shortlist-empty = There are no suggestions right now. We will look again together.
shortlist-why = Why this one:
shortlist-you-decide = You decide what to apply for. Let's talk these through together.

## Search

search-title = Search vacancies and subcontracting tasks
field-q = Search words
hint-q = For example "warehouse" or "cleaning Lahti".
field-kind = What to search
search-kind-all = All
field-municipality = Municipality
field-limit = Results at most
hint-limit = 1–100, 20 if empty.
search-submit = Search
search-total = { $count } results
search-total-one = { $count } result
search-total-more = More than { $count } results
search-error-kind = Choose vacancies, subcontracting tasks or all.
search-error-q = Too many search words (at most 500 characters).
search-error-limit = Enter the number of results as a number from 1 to 100.

## Employer register

nav-employers = Employers
register-title = Employer register
register-intro = Every coach's contacts show here, so that nobody calls the same employer twice in a week.
register-list-title = Employers and this week's contacts
register-empty = The register has no employers yet.
register-none-this-week = no contacts in 7 days
register-next = Next page
register-previous = Previous page
register-back = Back to the employer register
col-employer = Employer
col-place = Place
col-this-week = Contacts in the last 7 days
col-date = Day
col-how = How
col-about = Client
employer-facts-title = Details
field-business_id = Business ID
field-industry = Industry
contact-form-title = Log a contact
field-contact-at = Day
hint-contact-at = For example 1.12.2026.
field-contact-face_to_face = Met face to face
field-contact-client = Was the contact about one of your clients?
contact-no-client = No client (job development)
field-purpose = Purpose
field-outcome = Outcome
contact-form-submit = Log the contact
contact-log-title = All contacts
contact-log-empty = Nobody has contacted this employer yet.
contact-about-other-client = another coach's client
notice-contact-logged = Contact logged.
contact-error-at = Enter the day as 1.12.2026. It cannot be in the future.
contact-error-client_id = Choose one of your clients, or no client.
contact-error-purpose = The purpose is too long.
contact-error-outcome = The outcome is too long.
