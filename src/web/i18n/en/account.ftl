# The person's own account and password (en).

account-title = Your account
account-name = Name
account-role = Role
account-email = E-mail address
account-password-changed = Your password has been changed.
account-sessions = Sessions
account-sessions-caption = Browsers where you are signed in
account-col-began = Began
account-col-last-used = Last used
account-col-ends = Ends at the latest
account-col-browser = Browser
account-this-one = this one
account-sign-out-everywhere = Sign out everywhere
account-change-password = Change your password
password-title = Set your password
password-intro = { $name }: choose the password you will sign in with from now on, with your e-mail address.
password-current = Current password
password-new = New password
password-new-hint = At least { $min } characters.
password-confirm = New password again
password-save = Save the password
password-error-differ = The two new passwords differ.
password-error-short = The new password needs at least { $min } characters.
password-error-wrong = The current password is wrong.
