# The auditor's and the admin's pages: the access log and users (en).

nav-users = Users
nav-access-log = Access log
admin-pages-label = Pages
admin-page-prev = Previous page
admin-page-next = Next page
admin-page-of = Page { $page } of { $pages }

## Access log

access-log-title = Access log
access-log-forbidden = Only the data protection auditor reads the access log. Sign in with another account or go back to the start page.
access-log-intro = Every read and change of client data and every refused attempt: who, when, what and whose data. Newest first. Times in Finnish time.
access-log-filters = Narrow the log
access-log-filters-hint = Every field is optional. Dates as 1.12.2026.
access-log-client-id = Client number
access-log-user-id = User number
access-log-submit = Show
access-log-clear = Clear the filters
access-log-rows = Entries
access-log-total = { $count ->
    [one] One entry
   *[other] { $count } entries
}
access-log-empty = No entries match the filters.
access-log-col-when = When
access-log-col-who = Who
access-log-col-action = What
access-log-col-target = Whose data
access-log-col-outcome = Outcome
access-log-error-client_id = A client number is a positive whole number, such as 12.
access-log-error-user_id = A user number is a positive whole number, such as 3.
access-log-error-date = Write the date as 1.12.2026.
access-log-error-range = The date must be between the years 1900 and 2100.
access-log-error-order = The start day cannot be after the end day.
access-log-client = Client { $id }
access-log-list = { $count ->
    [one] List { $list }, one client
   *[other] List { $list }, { $count } clients
}
access-log-allowed = Allowed
access-log-denied-role = Refused: the role reads no client data
access-log-denied-not_on_caseload = Refused: another coach's client
access-log-denied-no_such_client = Refused: no such client
access-log-denied-erased = Refused: the client's data has been erased
access-action-create = Added a client
access-action-read = Read a client's data
access-action-update = Changed a client's data
access-action-list = Read a list of clients
access-action-matches = Looked at the suggested jobs
access-action-read_events = Read events and feedback
access-action-record_event = Recorded an event
access-action-record_contact = Logged an employer contact
access-action-request_feedback = Asked an employer for feedback
access-action-employer_contacts = Read an employer's contacts
access-action-fidelity = Read the fidelity figures
access-action-dashboard = Opened the follow-up
access-action-dashboard_export = Downloaded a follow-up table
access-action-export = Exported everything held on a client
access-action-erase = Erased a client's data

## Users

users-title = Users
users-forbidden = Only an administrator manages users. Sign in with another account or go back to the start page.
users-intro = The users, their live API keys and browser sessions. A user who is disabled loses every key and session at once.
users-list = All users
users-col-name = Name
users-col-role = Role
users-col-email = E-mail address
users-col-status = Status
users-col-tokens = Keys
users-col-sessions = Sessions
users-col-actions = Actions
users-you = you
users-status-active = Active
users-status-disabled = Disabled
users-action-link = Make a sign-in link
users-action-revoke = Revoke keys and sessions
users-action-disable = Disable
users-action-enable = Enable
users-notice-disabled = The user was disabled. Every key and session of theirs has ended.
users-notice-enabled = The user was enabled. They need a new sign-in link or key.
users-notice-revoked = Every key and session of the user was revoked.
users-notice-added = { $name } was added.
users-link-title = Sign-in link: { $name }
users-link-once = The link works once, for 24 hours. It is shown only now: give it to the user by a safe route.
users-add-title = Add a user
users-add-intro = A new user signs in the first time with a one-time link and then chooses a password.
users-add-submit = Add the user
users-role-choose = Choose a role
users-employer-id = Employer number
users-employer-id-hint = For employer users only: the number, in the employer register, of the employer they post for.
users-error-role = Choose a role.
users-error-name = Write a name (at most 100 characters).
users-error-email = Write an e-mail address, such as name@example.fi.
users-error-email-taken = Another user already has this e-mail address.
users-error-employer_id = An employer user needs the number of an employer in the register.
users-error-employer_id-other = Only employer users have an employer number. Leave the field empty.
users-error-self-disable = You cannot disable your own account. Another administrator can.
users-error-disabled = A disabled user cannot get a sign-in link. Enable them first.
users-error-not-found = No such user.
