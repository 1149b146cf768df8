"""Telling people: in-app notifications, and email from Lantern. `tell` writes one notification
per person, audits each one and, when email alerts are on (the NOTIFY_BY_EMAIL setting), emails
those with an address once the write that caused it is saved; `tell_by_rules` finds who a rule of
lantern/domain/data/notifications.toml tells (issue 14 item 9). Emails never name a child: they
say what happened and link to Lantern, where access is checked. (Overdue work is emailed by
lantern.foundation.escalation, which sends inside its own claim so a failure leaves the item for
the next pass.)"""

import contextlib
import contextvars
import logging
from collections.abc import Iterable, Iterator, Mapping

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from lantern.domain import notifications as rules

from . import audit
from .models import AgencyKind, Area, Notification, Role, User

logger = logging.getLogger(__name__)


def cse_manager_addresses(areas: Iterable) -> list[str]:
    """The email addresses of the active CSE team managers of these areas."""
    return list(User.objects.filter(role=Role.CSE_MANAGER, is_active=True,
                                    agency__area__in=list(areas))
                .exclude(email="").values_list("email", flat=True))


def role_addresses(role: str, areas: Iterable) -> list[str]:
    """The email addresses of the active users of a role in these areas (e.g. the front door)."""
    return list(User.objects.filter(role=role, is_active=True, agency__area__in=list(areas))
                .exclude(email="").values_list("email", flat=True))


def after_commit(subject: str, message: str, recipients: list[str]) -> None:
    """Send once the current transaction is saved. A failure to send is logged and never undoes
    or blocks what was saved (the work item that goes with every alert stands regardless)."""
    if not recipients:
        return

    def send() -> None:
        try:
            send_mail(subject, message, settings.DEFAULT_FROM_EMAIL, recipients)
        except Exception:
            logger.exception("Could not send the email %r", subject)

    transaction.on_commit(send)


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).count()


def _recount(user: User) -> None:
    User.objects.filter(pk=user.pk).update(unread_notifications=unread_count(user))


def mark_read(user: User, notification_id: int | None = None) -> int:
    """Mark one of the user's own notifications read (another's is not found: Http404 from the
    view), or all of them when no id is given. Returns how many changed."""
    mine = Notification.objects.filter(recipient=user, read_at=None)
    if notification_id is not None:
        mine = mine.filter(pk=notification_id)
    changed = mine.update(read_at=timezone.now())
    _recount(user)
    if changed:
        audit.record(user, "update", summary=f"Marked {changed} notification"
                     f"{'' if changed == 1 else 's'} read",
                     changes={"notification": {"old": None, "new": notification_id or "all"}})
    return changed


# Turned off while invented data is loaded (the demo), so it emails nobody.
_emails: contextvars.ContextVar[bool] = contextvars.ContextVar("notify_emails", default=True)


@contextlib.contextmanager
def without_email() -> Iterator[None]:
    token = _emails.set(False)
    try:
        yield
    finally:
        _emails.reset(token)


def email_on() -> bool:
    """Whether notifications are also emailed (LANTERN_NOTIFY_BY_EMAIL; on unless turned off)."""
    return bool(getattr(settings, "NOTIFY_BY_EMAIL", True)) and _emails.get()


def tell(users: Iterable[User], *, title: str, url: str, basis: str,
         source: models.Model | None = None, by: User | None = None, child=None,
         email: bool = True) -> list[Notification]:
    """Tell each active user once (never `by`, who did it): a notification in Lantern, an audit
    row for each ("each one recorded"), and an email to those with an address when email
    alerts are on and `email` is not turned off by the caller. `title` must not name a child:
    it is what the email says."""
    source_type, source_id = ("", "") if source is None else (source._meta.label_lower,
                                                              str(source.pk))
    told: list[Notification] = []
    seen: set[int] = set()
    for user in users:
        if user.pk in seen or not user.is_active or (by is not None and user.pk == by.pk):
            continue
        seen.add(user.pk)
        note = Notification.objects.create(recipient=user, title=title[:200], url=url[:200],
                                           basis=basis[:300], source_type=source_type,
                                           source_id=source_id)
        audit.record(by, "notify", note, child=child, summary=f"Told {user.display_name}: "
                     f"{title}", changes={"recipient": {"old": None, "new": user.pk},
                                          "basis": {"old": None, "new": basis}})
        told.append(note)
    User.objects.filter(pk__in=[n.recipient_id for n in told]).update(
        unread_notifications=F("unread_notifications") + 1)
    addresses = [n.recipient.email for n in told if n.recipient.email]
    if email and email_on() and addresses:
        after_commit(f"Lantern: {title}",
                     f"{title}.\n\nRead it in Lantern: {settings.BASE_URL}{url}\n", addresses)
    return told


def cse_lead_officers(area: Area) -> list[User]:
    """The social services CSE lead officer of an area (seed 002 §5.5): the people the CSE
    leads directory names for the area's children's social care who use Lantern there (matched
    by email address), and the area's CSE team managers."""
    # The directory (monitoring's CseLead) is reached through the agency's `cse_leads`, so the
    # foundation names no feature app.
    # Only an account of the area's own children's social care can be the lead officer (a
    # directory entry naming anyone else's address tells nobody new), and the area's CSE team
    # managers are always told as well: a wrong entry can never take the alert away from them.
    emails = [e for e in _directory_emails(area) if e]
    named = list(User.objects.filter(
        is_active=True, agency__area=area, agency__kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
    ).filter(_any_email(emails))) if emails else []
    managers = cse_managers(area)
    return named + [m for m in managers if m.pk not in {n.pk for n in named}]


def _directory_emails(area: Area) -> list[str]:
    return list(area.agencies.filter(kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
                                     cse_leads__removed_at=None)
                .values_list("cse_leads__email", flat=True))


def _any_email(emails: list[str]) -> Q:
    query = Q(pk__in=[])
    for address in emails:
        query |= Q(email__iexact=address)
    return query


def cse_managers(area: Area) -> list[User]:
    return list(User.objects.filter(role=Role.CSE_MANAGER, is_active=True, agency__area=area))


def tell_by_rules(event: str, *, area: Area, url: str, source: models.Model | None = None,
                  by: User | None = None, child=None, profile: str = "", base: str = "",
                  people: Mapping[str, Iterable[User]] | None = None,
                  keep=lambda rule: True, email: bool = True) -> list[Notification]:
    """Tell whoever each rule for the event (in the area's policy profile) names. The caller
    passes the people only it knows (`allocated_social_worker`, `referrer`); the CSE team and
    the lead officer are found here. `keep` filters the rules (e.g. by a screening's threshold)."""
    people = people or {}
    told: list[Notification] = []
    for rule in rules.rules_for(event, profile or area.policy_profile, base):
        if not keep(rule):
            continue
        users: list[User] = []
        for who in rule.tell:
            if who == "cse_team":
                users += cse_managers(area)
            elif who == "cse_lead_officer":
                users += cse_lead_officers(area)
            else:
                users += list(people.get(who, ()))
        told += tell(users, title=rule.title, url=url, source=source, by=by, child=child,
                     basis=f"{rule.reason} ({rule.citation})", email=email)
    return told
