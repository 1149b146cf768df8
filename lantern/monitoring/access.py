"""Who may open the dip-sample audit's pages (issue 17 item 4). The samples, their grades and
actions name no child, so the area's monitoring roles and its auditors read them. The sampled
record itself (the screening or risk assessment) is read only by the auditor it was given to,
and only through their live, read-only dip-sample grant for the child, which ends when they
complete the audit (lantern.foundation.grants): the board and auditor role sees no child
routinely (SPEC §1), so the grant opens that one record, not the child's whole record."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from lantern.foundation.access import NO_IDENTITY_ROLES, is_active_user
from lantern.foundation.models import Grant, GrantBasis, Role

from . import queries
from .models import DipSample, DipSampleItem

# Who draws a month's sample: the auditors, and administrators.
DRAWERS = frozenset({Role.BOARD, Role.ADMIN})


def is_auditor(user) -> bool:
    return is_active_user(user) and (user.role == Role.BOARD
                                     or user.has_perm(queries.AUDIT_PERMISSION))


def may_see_dip_samples(user) -> bool:
    """The area's monitoring roles (analysts, board members and auditors, administrators) and
    anyone given the quality-assurance permission."""
    return is_active_user(user) and (user.role in NO_IDENTITY_ROLES or is_auditor(user))


def may_draw(user) -> bool:
    return is_active_user(user) and (user.role in DRAWERS or is_auditor(user))


def require_dip_samples(user) -> None:
    if not may_see_dip_samples(user):
        raise PermissionDenied("Dip-sample audits are for auditors and the monitoring roles")


def get_dip_sample_for_user(user, sample_id: int, for_change: bool = False
                            ) -> tuple[DipSample, bool]:
    """One of the user's area's samples: 403 for a role that does not see samples, 404 for
    another area's."""
    require_dip_samples(user)
    try:
        sample = queries.dip_sample(sample_id, area_id=user.agency.area_id)
    except DipSample.DoesNotExist:
        raise Http404("No such dip sample") from None
    return sample, False


def get_dip_sample_item_for_user(user, item_id: int, for_change: bool = False
                                 ) -> tuple[DipSampleItem, bool]:
    """A sampled record's audit: its auditor may change it until they complete it; the
    owners of its actions and the area's monitoring roles read its grades and actions. 404
    for anyone else; 403 for a change by anyone but its auditor, or after it is completed."""
    item = queries.dip_sample_item(item_id) if is_active_user(user) else None
    if item is None:
        raise Http404("No such record in a dip sample")
    is_its_auditor = item.auditor_id == user.pk
    if not is_its_auditor:
        same_area = item.sample.area_id == user.agency.area_id
        if not ((same_area and may_see_dip_samples(user))
                or queries.owns_dip_sample_action(user, item.pk)):
            raise Http404("No such record in a dip sample")
    can_change = is_its_auditor and not item.is_completed
    if for_change and not can_change:
        raise PermissionDenied("Only its auditor may change this audit, until it is completed")
    return item, can_change


def may_read_record(user, item: DipSampleItem) -> bool:
    """Whether the user holds the live dip-sample grant this item gave them."""
    return (item.auditor_id == user.pk
            and Grant.objects.live().held_by(user).filter(
                child_id=item.child_id, basis=GrantBasis.DIP_SAMPLE_AUDIT,
                source_type=DipSampleItem._meta.label_lower, source_id=str(item.pk)).exists())
