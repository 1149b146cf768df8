# Nothing is registered in the Django admin: missing episodes, interviews, profiles and
# transition plans name children, and the admin is for staff who see no identities
# (lantern/people/admin.py). Every change goes through the pages, with access and audit.
