"""Email from Lantern: to whom an alert goes, and sending it once the write that caused it is
saved. Emails never name a child: they say what happened and link to Lantern, where access is
checked. (Overdue work is emailed by lantern.foundation.escalation, which sends inside its own
claim so a failure leaves the item for the next pass.)"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from .models import Role, User

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
