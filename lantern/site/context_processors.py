"""What the base template needs on every page: the navigation for the user's role, and how
much of their work is overdue (the banner)."""

from functools import lru_cache

from django.core.cache import cache
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from lantern.foundation import trays
from lantern.foundation.access import can_contribute
from lantern.foundation.models import Role


def lantern(request):
    """The header's navigation for the user's role."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        items.append(("Home", "/", "home"))
        if user.role not in {Role.ANALYST, Role.BOARD, Role.ADMIN}:
            items.append(("Children", "/children/", "children"))
            items.append(("Work", "/work/", "work"))
            items.append(("Meetings", "/meetings/", "meetings"))
        if user.role in {Role.FRONT_DOOR, Role.CSE_MANAGER}:
            items.append(("Referrals", "/referrals/", "referrals"))
        if user.role in {Role.FRONT_DOOR, Role.CSE_MANAGER, Role.POLICE}:
            items.append(("Tasking", "/tasking/", "tasking"))
        if user.role not in {Role.BOARD, Role.ADMIN}:
            items.append(("Intelligence", "/intelligence/", "intelligence"))
        if user.role in {Role.ANALYST, Role.BOARD, Role.ADMIN}:
            items.append(("Monitoring", "/monitoring/", "monitoring"))
        if user.role == Role.ADMIN:
            items.append(("People", "/administration/people/", "people"))
        if user.is_staff:
            items.append(("Administration", "/admin/", "admin"))
        unread = user.unread_notifications
        items.append((f"Notifications ({unread} new)" if unread else "Notifications",
                       "/notifications/", "notifications"))
    path = request.path
    current = "home"
    if path.startswith("/referrals"):
        current = "referrals"
    elif path.startswith("/work"):
        current = "work"
    elif path.startswith("/meetings"):
        current = "meetings"
    elif path.startswith(("/children", "/concerns", "/screenings")):
        current = "children"
    elif path.startswith("/intelligence"):
        current = "intelligence"
    elif path.startswith("/tasking"):
        current = "tasking"
    elif path.startswith("/monitoring"):
        current = "monitoring"
    elif path.startswith("/administration"):
        current = "people"
    elif path.startswith("/notifications"):
        current = "notifications"
    elif path.startswith("/admin"):
        current = "admin"
    return {"nav_items": items, "nav_current": current,
            "nav_html": _nav_html(tuple(items), current), "service_name": "Lantern"}


@lru_cache(maxsize=512)
def _nav_html(items: tuple[tuple[str, str, str], ...], current: str) -> SafeString:
    """The header's menu items, drawn once a process for each menu and page it is on (a
    template loop on every page took about 0.2 ms: issue 18)."""
    return format_html_join("\n", "{}", (
        (format_html(
            '<li class="govuk-service-navigation__item govuk-service-navigation__item--active">'
            '\n  <a class="govuk-service-navigation__link" href="{}" aria-current="page">\n'
            '    <strong class="govuk-service-navigation__active-fallback">{}</strong>\n'
            '  </a>\n</li>', href, label) if key == current else format_html(
            '<li class="govuk-service-navigation__item">\n'
            '  <a class="govuk-service-navigation__link" href="{}">\n    {}\n  </a>\n</li>',
            href, label),) for label, href, key in items))


# The banner's counts are kept this long for each signed-in session, so moving from page to
# page does not count again; work closed or opened shows within the minute.
BANNER_SECONDS = 60


def overdue_work(request):
    """How much of the user's (and their team's) work is overdue, for the banner on every page.
    One query, run only when a page draws the banner and the session has no recent count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not can_contribute(user):
        return {}
    session = getattr(request, "session", None)
    key = f"overdue-banner:{user.pk}:{session.session_key if session else ''}"

    def counts() -> dict[str, int]:
        found = cache.get(key)
        if found is None:
            found = trays.overdue_counts(user)
            cache.set(key, found, BANNER_SECONDS)
        return found

    return {"overdue_work": SimpleLazyObject(counts)}
