## The employer's pages: its own postings and feedback on work trials.

emp-nav-postings = Postings
emp-nav-feedback = Feedback

emp-forbidden-title = No access
emp-forbidden-text = These pages are for employers' users.
emp-no-employer-text = Your account acts for no employer. Contact the service's administrator.
emp-not-found-title = Page not found
emp-not-found-text = The posting or form was not found. The address may be wrong, or it belongs to another employer.

emp-notice-created = The posting is published. Job coaches find it in search at once.
emp-notice-updated = Your changes are saved.
emp-notice-closed = The posting is closed. It no longer shows in search or in suggestions.
emp-notice-sent = Thank you! Your feedback is saved, and the job coach can read it.

emp-home-title = Your postings
emp-home-intro = { $employer }: the vacancies and subcontracting tasks you have published. Job coaches find open postings at once; closed ones leave search.
emp-new-vacancy = New vacancy
emp-new-task = New subcontracting task
emp-feedback-pending = { $count ->
    [one] One feedback form is waiting for your answer.
   *[other] { $count } feedback forms are waiting for your answer.
}
emp-feedback-pending-link = Answer feedback forms
emp-vacancies-title = Vacancies
emp-tasks-title = Subcontracting tasks
emp-count = { $count ->
    [one] One posting
   *[other] { $count } postings
}
emp-none-vacancies = No vacancies yet.
emp-none-tasks = No subcontracting tasks yet.
emp-col-title = Title
emp-col-municipality = Municipality
emp-col-work = Working time
emp-col-group = Group
emp-col-status = Status
emp-col-valid-through = Apply by
emp-col-dates = Dates
emp-status-open = Open
emp-status-closed = Closed
emp-valid-through-none = No closing date
emp-dates-range = { $from } – { $to }
emp-dates-from = from { $from }
emp-dates-until = until { $to }
emp-dates-none = No dates
emp-hours-range = { $min }–{ $max } h/week
emp-hours-exactly = { $hours } h/week
emp-hours-min = at least { $hours } h/week
emp-hours-max = at most { $hours } h/week
emp-group-of = { $count ->
    [one] 1 person
   *[other] { $count } people
}
emp-page-of = Page { $page } of { $pages }
emp-page-prev = Previous
emp-page-next = Next
emp-pages-label = pages

emp-kind-vacancy = Vacancy
emp-kind-task = Subcontracting task
emp-back = Back
emp-back-to-list = Back to your postings
emp-edit = Edit posting
emp-close = Close posting
emp-closed-note = The posting is closed. A closed posting cannot be edited or reopened; you can publish a new one.
emp-not-given = Not given
emp-posted-on = Published
emp-yes = Yes
emp-no = No
emp-not-said = Not stated
emp-not-chosen = Not chosen
emp-cancel = Cancel
emp-submit-create = Publish posting
emp-submit-update = Save changes

emp-vacancy-new-title = New vacancy
emp-vacancy-edit-title = Edit vacancy
emp-vacancy-intro = Say plainly what the work is, where and when it is done. Title, description and municipality are required.
emp-task-new-title = New subcontracting task
emp-task-edit-title = Edit subcontracting task
emp-task-intro = A subcontracting task is work a company buys from a supported work group, such as packing, assembly or yard work. Title, description and municipality are required.

emp-f-title = Title
emp-f-title-hint-vacancy = The job's name, for example Warehouse worker.
emp-f-title-hint-task = The work's name, for example Packing.
emp-f-description = Description
emp-f-description-hint-vacancy = What the work is, the working hours, and how you train newcomers.
emp-f-description-hint-task = What the work is, which tools or protective equipment it needs, and how it is priced.
emp-f-municipality = Municipality
emp-f-municipality-hint = Where the work is done, for example Lahti.
emp-f-occupation_code = Occupation code (optional)
emp-f-occupation_code-hint = An ISCO-08 code such as 9321 or an ESCO code such as 9321.1. Left empty, the occupation is read from the text.
emp-f-hours = Hours per week
emp-f-hours-hint = At least and at most, for example 20 and 30. You can leave either or both empty.
emp-f-hours-min = At least
emp-f-hours-max = At most
emp-f-employment_type = Type of employment
emp-f-language = Language of the posting
emp-f-language-hint = Left empty, the language is read from the text.
emp-f-valid_through = Apply by (optional)
emp-f-valid_through-hint = The last day to apply, for example 31.12.2026. The posting closes by itself after it.
emp-f-wage_subsidy_ok = Can the job be filled with a wage subsidy?
emp-f-wage_subsidy_ok-hint = A wage subsidy (palkkatuki) is public support towards the wage costs.
emp-f-work_trial_ok = Can the job start with a work trial?
emp-f-work_trial_ok-hint = In a work trial (työkokeilu) the person tries the work before employment.
emp-f-adjustments_offered = Adjustments you can offer (optional)
emp-f-adjustments_offered-hint = One per line, for example written instructions or a quiet workspace.
emp-f-site = Where is the work done?
emp-f-dates = Dates
emp-f-dates-hint = Dates as 31.12.2026. You can leave either or both empty.
emp-f-starts_on = Starts
emp-f-ends_on = Ends
emp-f-estimated_hours = Amount of work in hours (estimate)
emp-f-estimated_hours-hint = All hours of the whole task, for example 120.
emp-f-group_size = Group size
emp-f-group_size-hint = How many people the work needs.

emp-s-occupation_code = Occupation code
emp-s-valid_through = Apply by
emp-s-wage_subsidy_ok = Wage subsidy possible
emp-s-work_trial_ok = Work trial possible
emp-s-adjustments_offered = Adjustments offered
emp-s-site = Where the work is done
emp-fb-s-comment = Other feedback
emp-fb-questions = Questions

emp-employment-FULL_TIME = Full time
emp-employment-PART_TIME = Part time
emp-employment-TEMPORARY = Fixed term
emp-employment-PER_DIEM = Gig work
emp-employment-CONTRACTOR = Contract
emp-employment-INTERN = Internship
emp-employment-VOLUNTEER = Volunteer work
emp-employment-OTHER = Other
emp-language-detect = Read from the text
emp-language-fi = Finnish
emp-language-sv = Swedish
emp-language-en = English
emp-site-buyer = On our premises
emp-site-provider = At the work centre

emp-error-title-empty = Enter a title.
emp-error-title = The title is too long: at most 200 characters.
emp-error-description-empty = Describe the work.
emp-error-description = The description is too long, or it has characters that cannot be saved.
emp-error-municipality-empty = Enter the municipality where the work is done.
emp-error-municipality = The municipality's name is too long: at most 200 characters.
emp-error-occupation_code = The occupation code is an ISCO-08 code (1–4 digits, for example 9321) or an ESCO code (for example 9321.1).
emp-error-hours_per_week-min = The least hours must be 0–80 and not more than the most hours.
emp-error-hours_per_week-max = The most hours must be 0–80.
emp-error-hours_per_week-min-number = Enter the least hours as a number, for example 20 or 7.5.
emp-error-hours_per_week-max-number = Enter the most hours as a number, for example 30 or 37.5.
emp-error-employment_type = Choose the type of employment from the list.
emp-error-language = Choose the posting's language from the list.
emp-error-valid_through-format = Enter the last day to apply as 31.12.2026.
emp-error-valid_through = The last day to apply must be between the years 1900 and 2100.
emp-error-wage_subsidy_ok = Choose yes, no or not stated.
emp-error-work_trial_ok = Choose yes, no or not stated.
emp-error-adjustments_offered = Enter at most 30 adjustments, each at most 200 characters.
emp-error-site = Choose whether the work is done on your premises or at the work centre.
emp-error-starts_on-format = Enter the first day as 31.12.2026.
emp-error-starts_on = The first day must be between the years 1900 and 2100.
emp-error-ends_on-format = Enter the last day as 31.12.2026.
emp-error-ends_on = The last day must be between the years 1900 and 2100.
emp-error-ends_on-order = The last day cannot be before the first day.
emp-error-estimated_hours = The amount of work must be 0–100,000 hours.
emp-error-estimated_hours-number = Enter the amount of work in hours as a number, for example 120.
emp-error-group_size = The group size must be 1–500 people.
emp-error-group_size-number = Enter the group size as a whole number, for example 4.

emp-close-title = Close the posting?
emp-close-text = When you close the posting “{ $title }”, it leaves search and the job coaches' suggestions at once. A closed posting cannot be reopened.
emp-close-confirm = Yes, close the posting
emp-close-cancel = Do not close

emp-feedback-title = Feedback on work trials
emp-feedback-intro = A job coach asks for feedback on a work trial or a job at your workplace. The form says which period it is about but does not name the person or say anything else about them. Each form is answered once.
emp-fb-pending-title = Waiting for your answer
emp-fb-answered-title = Answered
emp-fb-none-pending = No forms waiting for an answer.
emp-fb-none-answered = No forms answered yet.
emp-fb-about = { $placement }, started { $started }
emp-fb-posting-line = Posting: { $title }
emp-fb-asked-on = Asked on { $date }
emp-fb-answered-on = answered on { $date }
emp-fb-back = Back to feedback forms
emp-fb-form-title = Feedback: { $about }
emp-fb-which = Which period this is about
emp-fb-placement = Period
emp-fb-started = Started
emp-fb-posting = Posting
emp-fb-no-posting = No posting
emp-fb-asked = Feedback asked on
emp-fb-answered = Answered on
emp-fb-privacy = The form does not name the person or say anything else about them. Do not write health information in your answer.
emp-fb-tasks_managed = How well were the tasks managed?
emp-fb-tasks_managed-hint = 1 = not at all, 5 = fully.
emp-fb-tasks-1 = 1 – not at all
emp-fb-tasks-2 = 2 – poorly
emp-fb-tasks-3 = 3 – partly
emp-fb-tasks-4 = 4 – well
emp-fb-tasks-5 = 5 – fully
emp-fb-support_needed = How much guidance did the person need?
emp-fb-support-none = No guidance
emp-fb-support-some = Some
emp-fb-support-a_lot = A lot
emp-fb-would_hire = Would you hire the person, or keep them on?
emp-fb-comment = Other feedback (optional)
emp-fb-comment-hint = What went well, and where the person could grow.
emp-fb-once = Feedback can be sent only once and cannot be changed afterwards.
emp-fb-submit = Send feedback
emp-fb-answers-title = Your answers
emp-fb-no-comment = No comment
emp-fb-read-only = The feedback is sent. The answers can no longer be changed.
emp-fb-already = This form has been answered already. The answers cannot be changed; the answers sent are below.
emp-error-tasks_managed = Choose how well the tasks were managed, from 1 to 5.
emp-error-support_needed = Choose how much guidance the person needed.
emp-error-would_hire = Choose yes or no.
emp-error-comment = The feedback is too long: at most 2,000 characters.
