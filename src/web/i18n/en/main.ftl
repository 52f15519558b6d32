# kohtaamo web app: English.

## Layout

service-name = kohtaamo
service-tagline = Employment support
skip-to-content = Skip to main content
nav-label = Main menu
nav-dashboard = Follow-up
nav-home = Home
signed-in-as = Signed in
sign-out = Sign out
language-label = Language
language-fi = Suomeksi
language-sv = På svenska
language-en = In English
footer-about = kohtaamo helps job coaches find open-market jobs by the IPS model. It stores no health information.
footer-privacy = Every use of client data is written to an access log.
title-suffix = kohtaamo
error-title-prefix = Error
error-summary-title = There is a problem
error-page-title = Something went wrong
error-page-text = The page could not be shown. Try again in a moment. If the problem goes on, contact the administrators.
forbidden-title = No access
forbidden-text = This page is for coordinators and job coaches. Sign in with another account or go back to the home page.
not-available-title = No pages yet
not-available-text = There are no pages for your role in the web app yet. You can use the API.
not-found-title = Page not found
not-found-text = There is no page or table at this address. Check the address or go back to the follow-up.

## Roles

role-admin = administrator
role-coordinator = coordinator
role-coach = job coach
role-employer = employer
role-auditor = data protection auditor

## Sign-in with an API key

login-title = Sign in
login-intro = Sign in with the key you use for the API. The service is for coordinators and job coaches.
login-token = API key
login-token-hint = The key starts with kht_. The administrators give it to you.
login-submit = Sign in
login-error-empty = Enter your API key.
login-error-unknown = The key was not recognised. Check the key.
login-error-unreadable = The form could not be read. Enter your API key again.
login-error-role = The service is for coordinators and job coaches.
login-error-too-many = Too many failed sign-ins. Try again in { $seconds } seconds.

## Formats

week-short = week { $week }
quarter-name = Q{ $quarter } { $year }
not-available = –
unit-days = days
unit-hours-per-week = h/week

## Stages

stage-referred = Referred to the service
stage-engaged = Engaged in the service
stage-profiling = Vocational profiling
stage-job_search = Rapid job search
stage-employer_contact = Employer contact
stage-interview = Job interview
stage-employed = Started a job or placement
stage-in_work_support = Support at work
stage-job_ended = Job or placement ended
stage-closed = Service ended

step-engaged = Entered the service
step-job_search = Started job search
step-employer_contact = An employer was contacted
step-interview = Went to a job interview
step-competitive_job = Got an open-market paid job

placement-competitive = Open-market paid job
placement-wage_subsidised = Wage-subsidised job
placement-work_trial = Work trial
placement-rehabilitative_work = Rehabilitative work activity
placement-open_work = Work activity (avotyö)
placement-subcontracting_group = Group subcontracting work
placement-education = Studies
placement-of-which = of which: { $placement }

## Dashboard

dashboard-title = Employment follow-up
dashboard-intro-coordinator = Figures for all clients or for one job coach's clients. Client names are not shown.
dashboard-intro-coach = Figures for your own clients.
period-legend = Period
period-from = From
period-to = To
period-hint = Format d.m.yyyy or yyyy-mm-dd, for example 1.1.2026.
period-coach = Job coach
period-all-coaches = All job coaches
period-submit = Show figures
period-shown = Period { $from } – { $to }
period-error-from-date = The first day is not a date. Enter it like 1.1.2026.
period-error-to-date = The last day is not a date. Enter it like 31.12.2026.
period-error-from-range = The first day must be between the years 1900 and 2100.
period-error-to-range = The last day must be between the years 1900 and 2100.
period-error-order = The first day must be the same as or before the last day.
period-error-too-long = A period can be at most ten years long.
period-error-coach = Choose a job coach from the list.
figure-clients = Clients who started by { $to }
figure-cohort = Cohort: clients who started in the period

export-label = Download the table
export-csv = { $table }, CSV file
export-xlsx = { $table }, Excel file
export-note = The CSV file opens directly in Excel with Finnish settings (semicolon separators, decimal comma).

table-empty = No figures for this period.
col-clients = Clients
col-share-of-cohort = Share of cohort
col-from-previous = From previous step
col-step = Step
col-stage = Stage
col-placement = Job or placement
col-stays = Finished stays
col-median-days = Median, days
col-measure = Measure
col-value = Value
col-n = Cases
col-quarter = Quarter
col-out-of-work = Out of work at entry
col-competitively-employed = In open-market paid work
col-rate = Rate
col-drop-off = Did not reach the next step
col-item = Measure
col-meaning = What it tells
col-unit = Unit
col-score = Score (1–5)
col-client = Client
col-client-number = Client number
col-coach = Job coach
col-intake = Start
col-days = Days since start
col-level = Status
col-active = Active
col-cohort = In cohort
col-competitive-jobs = Got a paid job
col-coach-figures = Figures

table-cohort_funnel = Cohort funnel
table-cohort_funnel-note = Of those who started in the period: how many reached each step by the end of the period. Someone who reached a later step counts in the earlier ones too. Only an open-market paid job is the last step: a work trial or a wage-subsidised job is not.
table-cohort_placements = Jobs and placements of the cohort
table-cohort_placements-note = Of those who started in the period: how many started a job or placement of each kind. Work trials, rehabilitative work activity, avotyö and subcontracting work are not employment.
table-stages = Clients by stage now
table-stages-note = Everyone who started by the end of the period, and their stage at its end.
table-time_in_stage = Time in stage
table-time_in_stage-note = Length of stages that began in the period and have ended, median in days.
table-outcomes = Outcomes
table-outcomes-note = Open-market paid jobs.
table-quarters = In paid work by quarter
table-quarters-note = Of those out of work at entry: how many held an open-market paid job during the quarter. Benchmarks: 31 % minimal, 41 % average, 50 % excellent.
table-placement_path = Staircase: work trial → wage subsidy → paid job
table-placement_path-note = Clients of the cohort who went up the staircase. In IPS the paid job comes first: the last row tells how many had an open-market paid job as their first.
table-fidelity = IPS fidelity
table-fidelity-note = The IPS-25 items that can be computed from the records. Scores 1–5; 5 is best.
table-alerts = Waiting for an employer contact
table-alerts-note = Clients who started over 21 days ago with no face-to-face employer contact. In IPS the first contact happens within 30 days.
table-coaches = By job coach
table-coaches-note = Choose a job coach to see their figures.
table-caseload = My clients
table-caseload-note = Your clients and their stage at the end of the period.

outcome-median_days_to_first_job = Median days from start to the first paid job
outcome-mean_days_to_first_job = Mean days from start to the first paid job
outcome-mean_hours = Mean hours per week
outcome-share_20h = Share working 20 hours a week or more
outcome-tenure = Still in work { $days } days after starting

path-work_trial = Work trial
path-wage_subsidised = → then a wage-subsidised job
path-competitive = → then an open-market paid job
path-competitive_first = First job an open-market paid job (IPS)

alert-over_21_days = Over 21 days
alert-over_30_days = Over 30 days: past the IPS limit

fidelity-mean = Mean score: { $score } / 5
fidelity-score = { $score } / 5
fidelity-no-data = Cannot be computed: no records for the period
fidelity-based-on = Based on { $n } cases.
fidelity-caseload_size = Caseload size
fidelity-caseload_size-meaning = Active clients per full-time job coach. A small caseload leaves time for close support. 5 points: 20 clients or fewer (21–25: 4, 26–30: 3, 31–40: 2).
fidelity-caseload_size-unit = clients per coach
fidelity-rapid_job_search = Rapid job search
fidelity-rapid_job_search-meaning = Median days from start to the first face-to-face employer contact. In IPS the job search starts at once, not after a preparation period. 5 points: 30 days or fewer (31–60: 4, 61–90: 3, 91–120: 2).
fidelity-rapid_job_search-unit = days
fidelity-employer_contacts = Employer contacts
fidelity-employer_contacts-meaning = Face-to-face employer contacts per job coach per week. Jobs are found by meeting employers. 5 points: 6 or more (5: 4, 4: 3, 3: 2).
fidelity-employer_contacts-unit = contacts per coach per week
fidelity-diversity_of_job_types = Diversity of job types
fidelity-diversity_of_job_types-meaning = The share of jobs started that are in different occupations. Jobs follow the client's wishes, not a set of ready places. 5 points: 85 % or more (70–84: 4, 55–69: 3, 40–54: 2).
fidelity-diversity_of_job_types-unit = %
fidelity-diversity_of_employers = Diversity of employers
fidelity-diversity_of_employers-meaning = The share of jobs started that are with different employers. 5 points: 85 % or more (70–84: 4, 55–69: 3, 40–54: 2).
fidelity-diversity_of_employers-unit = %
fidelity-competitive_jobs = Open-market paid jobs
fidelity-competitive_jobs-meaning = The share of jobs and placements started (other than studies) that are open-market paid jobs. Work trials and wage-subsidised jobs are not. 5 points: 95 % or more (85–94: 4, 75–84: 3, 65–74: 2).
fidelity-competitive_jobs-unit = %

coach-figures-link = Show figures: { $coach }
client-number = Client { $id }

## Exports: file names

file-cohort_funnel = cohort-funnel
file-cohort_placements = cohort-jobs-and-placements
file-stages = clients-by-stage
file-time_in_stage = time-in-stage
file-outcomes = outcomes
file-quarters = in-paid-work-by-quarter
file-placement_path = staircase
file-fidelity = ips-fidelity
file-alerts = waiting-for-employer-contact
file-coaches = by-job-coach
file-caseload = my-clients
