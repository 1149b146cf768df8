from django.utils.functional import SimpleLazyObject

from lantern.sharing.access import can_contribute

from . import queries


def overdue_work(request):
    """How much of the user's (and their team's) work is overdue, for the banner on every page.
    One query, run only when a page draws the banner."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not can_contribute(user):
        return {}
    return {"overdue_work": SimpleLazyObject(lambda: queries.overdue_counts(user))}
