"""Adult safeguarding is always told of a young person aged 18 or over at risk (issue 14, item
10; seed 001, Young people aged 18 years and over; seed 002 §6.5 in Wales): the route the
area's profile names under [adult_safeguarding] opens as work on the child's pathway, for the
allocated social worker or the tray the profile names, done by recording the referral (when,
to whom, their reference) or by a manager's exception with the reason. Each write is audited
and written to the child's chronology in the same transaction."""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from lantern.domain import ages
from lantern.domain.transitions import ADULT_AGE
from lantern.foundation import audit, notify, work
from lantern.foundation.chronology import add_chronology
from lantern.foundation.models import Child, Role, User, WorkItem
from lantern.people import queries as people_queries

from .. import deadlines
from ..models import AdultReferral, Pathway
from .state import PathwayError, _owner, may_except, open_pathway, stamp_exception

# The kind of work item it opens (lantern.foundation.work moves it to a social worker when one
# is allocated).
ADULT_WORK = "adult_safeguarding"


@transaction.atomic
def open_adult_referral(child: Child, *, age: int | None, by: User | None, trigger: str,
                        framework: str = "", category: int | None = None,
                        at: datetime | None = None) -> AdultReferral | None:
    """Open, once per pathway, the work of telling adult safeguarding about a young person
    aged 18 or over: on a referral (no framework given), or on a screening whose decided
    category the profile counts as at risk. None when nothing opens."""
    at = at or timezone.now()
    if age is None or age < ADULT_AGE:
        return None
    pathway = open_pathway(child)  # locked: two writes cannot both open one
    if pathway is None:
        return None
    profile = deadlines.profile_for(pathway.area)
    rule = profile.adult_safeguarding
    if rule is None or (framework and not rule.calls_for(framework, category)):
        return None
    if AdultReferral.objects.filter(pathway=pathway).exists():
        return None
    referral = AdultReferral.objects.create(
        pathway=pathway, child=child, area=pathway.area, route=rule.route[:200],
        citation=rule.citation[:300], trigger=trigger[:300], opened_at=at)
    owner, owner_role = _owner(child, Role.SOCIAL_WORKER)
    if owner is None:
        owner_role = rule.owner_role
    due_at, all_day = None, False
    if rule.timescale is not None:
        due = rule.timescale.due(at, pathway.area.nation)
        due_at, all_day, basis = due.at, due.all_day, due.basis
    else:
        source = rule.citation + (f"; {rule.adopted}" if rule.adopted else "")
        basis = (f"The {profile.name} procedure sets no timescale: when it is done is the "
                 f"judgement of {rule.judgement} ({source})")
    referral.work_item = work.open_item(
        area=pathway.area, child=child, kind=ADULT_WORK, by=by,
        title=f"Tell adult safeguarding: {rule.route}", due_at=due_at, all_day=all_day,
        basis=basis, owner=owner, owner_role=owner_role, source=referral,
        url=referral.get_absolute_url())
    referral.save(update_fields=["work_item"])
    audit.record(by, "create", referral, child=child,
                 summary="To do: tell adult safeguarding",
                 changes=audit.created(referral, ("route", "citation", "trigger",
                                                  "work_item_id")))
    add_chronology(child, kind="adult_referral_opened",
                   title="To do: tell adult safeguarding (aged 18 or over)", occurred_at=at,
                   by=by, detail=f"{trigger}. {rule.route}, told of every concern "
                                 f"({rule.citation}).", url=referral.get_absolute_url())
    workers = [a.user for a in people_queries.open_allocations(child, role=Role.SOCIAL_WORKER)]
    notify.tell_by_rules("young_adult_at_risk", area=pathway.area,
                         url=referral.get_absolute_url(), source=referral, by=by, child=child,
                         profile=profile.code, base=profile.base,
                         people={"allocated_social_worker": workers})
    return referral


def open_for_those_turned_18(now: datetime | None = None, *,
                             by: User | None = None) -> list[AdultReferral]:
    """The background loop's pass (`lantern work`): a child who turns 18 while their pathway
    is open is a young person aged 18 or over at risk, so adult safeguarding is told then, not
    only at their next referral or screening. Idempotent: one piece of work per pathway."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    # A generous date range narrowed in Python (18 years of 365 days is a few days short of
    # 18 years); estimated ages have no stored birth date.
    born_by = today - timedelta(days=ADULT_AGE * 365)
    told = AdultReferral.objects.filter(pathway=OuterRef("pk"))
    candidates = (
        Pathway.objects.filter(exited_at__isnull=True)
        .filter(Q(child__date_of_birth__lte=born_by)
                | Q(child__date_of_birth__isnull=True, child__estimated_age__isnull=False))
        .exclude(Exists(told))
        .select_related("child")
    )
    opened = []
    for pathway in candidates:
        child = pathway.child
        birth = child.birth_date_for_age
        if birth is None or ages.age_on(birth, today).years < ADULT_AGE:
            continue
        turned = child.turns_18_on
        referral = open_adult_referral(
            child, age=ages.age_on(birth, today).years, by=by, at=now,
            trigger=f"Turned 18 on {turned:%-d %B %Y} while on the pathway"
                    + (" (estimated)" if child.age_is_estimated else ""))
        if referral is not None:
            opened.append(referral)
    return opened


def _lock_outstanding(referral: AdultReferral) -> AdultReferral:
    locked = AdultReferral.objects.select_for_update().get(pk=referral.pk)
    if not locked.outstanding:
        raise PathwayError("Adult safeguarding has already been told, or a manager has "
                           "recorded an exception")
    return locked


def _close_work(locked: AdultReferral, *, by: User, status: str) -> None:
    if locked.work_item_id is not None:
        item = WorkItem.objects.get(pk=locked.work_item_id)
        work.close_item(item, by=by, status=status)


@transaction.atomic
def record_adult_referral(referral: AdultReferral, *, by: User, referred_on: date | None,
                          referred_to: str, reference: str) -> AdultReferral:
    """Record that adult safeguarding was told: when, to whom (the team or person), and the
    reference they gave. Closes the work."""
    if referred_on is None:
        raise PathwayError("Enter the date adult safeguarding was told")
    if referred_on > timezone.localdate():
        raise PathwayError("The date adult safeguarding was told must be today or in the past")
    if not referred_to.strip():
        raise PathwayError("Enter who in adult safeguarding was told")
    if not reference.strip():
        raise PathwayError("Enter the reference adult safeguarding gave, or say that they "
                           "gave none")
    locked = _lock_outstanding(referral)
    now = timezone.now()
    locked.referred_on = referred_on
    locked.referred_to = referred_to.strip()[:200]
    locked.reference = reference.strip()[:100]
    locked.recorded_at = now
    locked.recorded_by = by
    locked.save(update_fields=["referred_on", "referred_to", "reference", "recorded_at",
                               "recorded_by"])
    audit.record(by, "update", locked, child=locked.child,
                 summary="Adult safeguarding told",
                 changes=audit.diff({"referred_on": None, "referred_to": "", "reference": ""},
                                    locked, ("referred_on", "referred_to", "reference")))
    add_chronology(locked.child, kind="adult_referral_made", title="Adult safeguarding told",
                   occurred_at=now, by=by,
                   detail=f"{locked.route}: {locked.referred_to} on "
                          f"{referred_on:%-d %B %Y}, reference {locked.reference}",
                   url=locked.get_absolute_url())
    _close_work(locked, by=by, status=WorkItem.Status.DONE)
    return locked


@transaction.atomic
def record_adult_exception(referral: AdultReferral, *, by: User, reason: str) -> AdultReferral:
    """A manager decides adult safeguarding will not be told, and says why: audited, shown on
    the child's record, and kept on the referral so monitoring counts it."""
    if not may_except(by):
        raise PathwayError("Only a manager may record an exception")
    if not reason.strip():
        raise PathwayError("Enter why adult safeguarding will not be told")
    locked = _lock_outstanding(referral)
    now = stamp_exception(locked, by=by, reason=reason,
                          summary="Exception: adult safeguarding not told")
    add_chronology(locked.child, kind="adult_referral_exception",
                   title="Exception recorded: adult safeguarding not told", occurred_at=now,
                   by=by, detail=f"{reason.strip()} (adult safeguarding is told of every "
                                 f"concern: {locked.citation})",
                   url=locked.get_absolute_url())
    _close_work(locked, by=by, status=WorkItem.Status.CANCELLED)
    return locked
