"""Category 3 and trafficking responses as tracked actions (issue 14, item 6): the responses the
area's profile lists under [[responses]] (seed 001, Figure 2: the National Referral Mechanism,
consulting the national trafficking and border bodies, risk alerts, evidence, CMOG review) open
as work with an owner and a due date, or the judgement that sets one, when a category calls for
them or a screening records the trigger indicators. Each is done with what was done; each write
is audited and written to the child's chronology in the same transaction."""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lantern.domain.profiles import Profile, ResponseOutcome
from lantern.domain.profiles import TrackedResponse as ResponseRule
from lantern.foundation import audit, work
from lantern.foundation.chronology import add_chronology
from lantern.foundation.models import Child, Role, User, WorkItem

from .. import deadlines
from ..models import TrackedResponse
from .state import PathwayError, _owner, may_except, open_pathway, stamp_exception

# The kind of work item a response opens (lantern.foundation.work moves it to a social worker
# when one is allocated).
RESPONSE_WORK = "tracked_response"


def _url(response: TrackedResponse) -> str:
    return reverse("pathway:pathway", args=[response.child_id]) + f"#response-{response.pk}"


def _rule(response: TrackedResponse, profile: Profile | None = None) -> ResponseRule:
    profile = profile or deadlines.profile_for(response.area)
    rule = profile.response(response.code)
    if rule is None:
        raise PathwayError(f"The area's policy profile no longer lists {response.label.lower()}")
    return rule


def _open_work(response: TrackedResponse, rule: ResponseRule, profile: Profile, *, title: str,
               basis: str = "", by: User | None, at: datetime) -> WorkItem:
    """The allocated social worker's work, or the tray the profile names while none is; due
    by the response's timescale, or saying whose judgement sets when it is done."""
    owner, owner_role = _owner(response.child, Role.SOCIAL_WORKER)
    if owner is None:
        owner_role = rule.owner_role
    due_at, all_day = None, False
    if basis:  # the work that follows an outcome says why it has no deadline
        basis = f"{basis} ({rule.citation})"
    elif rule.timescale is not None:
        due = rule.timescale.due(at, response.area.nation)
        due_at, all_day, basis = due.at, due.all_day, due.basis
    else:
        basis = (f"The {profile.name} procedure sets no timescale: when it is done is the "
                 f"judgement of {rule.judgement} ({rule.citation})")
    return work.open_item(
        area=response.area, child=response.child, kind=RESPONSE_WORK, by=by, title=title,
        due_at=due_at, all_day=all_day, basis=basis, owner=owner, owner_role=owner_role,
        source=response, url=_url(response))


def _why(rule: ResponseRule, framework: str, category: int | None, indicated: bool) -> str:
    if indicated:
        return (f"The screening records that the child may have been trafficked "
                f"({rule.indicators_citation}); {rule.citation}.")
    return f"{framework.upper()} category {category} calls for it ({rule.citation})."


@transaction.atomic
def open_responses(child: Child, *, framework: str, category: int | None,
                   indicators: Iterable[str] = (), by: User,
                   at: datetime | None = None) -> list[TrackedResponse]:
    """Open, as work on the child's pathway, each response the decided category or the
    indicators recorded call for under the area's profile. Called when a screening is recorded
    and when a meeting sets the level of risk. A response already opened on this pathway is not
    opened again; indicators found later make it one that waits for a decision."""
    at = at or timezone.now()
    pathway = open_pathway(child)
    if pathway is None:
        return []
    profile = deadlines.profile_for(pathway.area)
    opened: list[TrackedResponse] = []
    for rule, indicated in profile.responses_called_for(framework, category,
                                                        frozenset(indicators)):
        existing = (TrackedResponse.objects.select_for_update()
                    .filter(pathway=pathway, code=rule.code).first())
        if existing is not None:
            if indicated and not existing.indicated:
                _now_indicated(existing, rule, profile, by=by, at=at)
            continue
        response = TrackedResponse.objects.create(
            pathway=pathway, child=child, area=pathway.area, code=rule.code,
            label=rule.label[:200], citation=rule.citation[:300], framework=framework,
            category=category, indicated=indicated,
            blocks_exit=rule.exit_until_decided and indicated, opened_at=at)
        response.work_item = _open_work(response, rule, profile, title=rule.label, by=by, at=at)
        response.save(update_fields=["work_item"])
        audit.record(by, "create", response, child=child, summary=f"To do: {rule.label}",
                     changes=audit.created(response, ("code", "framework", "category",
                                                      "indicated", "blocks_exit", "citation",
                                                      "work_item_id")))
        add_chronology(child, kind="response_opened", title=f"To do: {rule.label}",
                       occurred_at=at, by=by, detail=_why(rule, framework, category, indicated),
                       url=_url(response))
        opened.append(response)
    return opened


def _now_indicated(response: TrackedResponse, rule: ResponseRule, profile: Profile, *,
                   by: User, at: datetime) -> None:
    """Trafficking indicators recorded after the response opened: it now waits for a decision
    where its rule says so, and an outcome the indicators rule out is undone (the work opens
    again)."""
    before = {"indicated": False, "blocks_exit": response.blocks_exit,
              "outcome": response.outcome}
    response.indicated = True
    response.blocks_exit = rule.exit_until_decided
    current = rule.outcome(response.outcome) if response.outcome else None
    reopened = current is not None and current.not_when_indicated
    fields = ["indicated", "blocks_exit"]
    if current is not None and reopened:
        response.history = [*response.history, {
            "outcome": "", "label": "Opened again: the child may have been trafficked",
            "note": f"{current.label} no longer stands", "at": at.isoformat(),
            "by": by.display_name}]
        response.outcome = response.outcome_label = ""
        response.done_at = None
        response.work_item = _open_work(response, rule, profile, title=rule.label, by=by, at=at)
        fields += ["history", "outcome", "outcome_label", "done_at", "work_item"]
    response.save(update_fields=fields)
    audit.record(by, "update", response, child=response.child,
                 summary=f"Trafficking indicators recorded: {rule.label}",
                 changes=audit.diff(before, {"indicated": True,
                                             "blocks_exit": response.blocks_exit,
                                             "outcome": response.outcome}))
    if reopened:
        add_chronology(response.child, kind="response_opened",
                       title=f"To do again: {rule.label}", occurred_at=at, by=by,
                       detail=_why(rule, response.framework, response.category, True),
                       url=_url(response))


def allowed_outcomes(response: TrackedResponse,
                     profile: Profile | None = None) -> tuple[ResponseOutcome, ...]:
    """What may be recorded next about the response, in the profile's order."""
    rule = (profile or deadlines.profile_for(response.area)).response(response.code)
    if rule is None:
        return ()
    return rule.allowed_outcomes(response.outcome, indicated=response.indicated)


@transaction.atomic
def record_response(response: TrackedResponse, *, outcome: str, note: str, by: User,
                    at: datetime | None = None, meeting_url: str = "") -> TrackedResponse:
    """Record what was done about a response (with the profile's words for it, and the
    person's own): its work closes, and, when the outcome is not the last, the work that
    follows opens (e.g. record the National Referral Mechanism's decision)."""
    at = at or timezone.now()
    if not note.strip():
        raise PathwayError("Enter what was done")
    locked = TrackedResponse.objects.select_for_update().get(pk=response.pk)
    profile = deadlines.profile_for(locked.area)
    rule = _rule(locked, profile)
    if locked.done_at is not None:
        raise PathwayError(f"{rule.label} is already recorded as done")
    chosen = rule.outcome(outcome)
    allowed = rule.allowed_outcomes(locked.outcome, indicated=locked.indicated)
    if chosen is None or chosen not in allowed:
        if chosen is not None and chosen.not_when_indicated and locked.indicated:
            raise PathwayError(f"“{chosen.label}” cannot be recorded: the child's screening "
                               f"records that they may have been trafficked")
        raise PathwayError("Select what was done from the choices given")
    before = {"outcome": locked.outcome, "decided_at": locked.decided_at,
              "done_at": locked.done_at}
    locked.outcome = chosen.code
    locked.outcome_label = chosen.label[:200]
    locked.history = [*locked.history, {"outcome": chosen.code, "label": chosen.label,
                                        "note": note.strip(), "at": at.isoformat(),
                                        "by": by.display_name, "meeting": meeting_url}]
    if chosen.decided and locked.decided_at is None:
        locked.decided_at = at
    if chosen.final:
        locked.done_at = at
    old_item = locked.work_item
    if old_item is not None:
        work.close_item(old_item, by=by)
    if not chosen.final:
        locked.work_item = _open_work(locked, rule, profile, title=chosen.next,
                                      basis=chosen.next_basis or "", by=by, at=at)
    locked.save(update_fields=["outcome", "outcome_label", "history", "decided_at", "done_at",
                               "work_item"])
    audit.record(by, "update", locked, child=locked.child,
                 summary=f"{rule.label}: {chosen.label}",
                 changes=audit.diff(before, {"outcome": locked.outcome,
                                             "decided_at": locked.decided_at,
                                             "done_at": locked.done_at, "note": note.strip()}))
    add_chronology(locked.child, kind="response_recorded", title=f"{chosen.label}",
                   occurred_at=at, by=by, detail=f"{rule.label}: {note.strip()}",
                   url=meeting_url or _url(locked))
    return locked


@transaction.atomic
def record_response_exception(response: TrackedResponse, *, by: User,
                              reason: str) -> TrackedResponse:
    """A manager lets a child with trafficking indicators leave the pathway before the decision
    the response waits for, and says why: audited, shown on the child's record, and kept on
    the response so monitoring counts it. The response itself stays open: the decision is
    still recorded when it comes."""
    if not may_except(by):
        raise PathwayError("Only a manager may record an exception")
    if not reason.strip():
        raise PathwayError("Enter why the child may leave the pathway before the decision")
    locked = TrackedResponse.objects.select_for_update().get(pk=response.pk)
    if not locked.holds_exit:
        raise PathwayError("Nothing to except: the decision is recorded, or an exception is "
                           "already")
    now = stamp_exception(
        locked, by=by, reason=reason,
        summary=f"Exception: the pathway may end before the decision ({locked.label})")
    add_chronology(locked.child, kind="response_exception",
                   title="Exception recorded: the pathway may end before the National Referral "
                         "Mechanism's decision" if locked.code == "nrm_referral" else
                         f"Exception recorded: the pathway may end before {locked.label.lower()}",
                   occurred_at=now, by=by,
                   detail=f"{reason.strip()} (the child's screening records that they may have "
                          f"been trafficked: {locked.citation})",
                   url=_url(locked))
    return locked


@transaction.atomic
def responses_met_by_meeting(child: Child, *, kind: str, by: User, at: datetime,
                             url: str) -> int:
    """A meeting was held about the child: the open responses a meeting of its kind does (a
    CMOG review) are recorded as done, with the meeting."""
    pathway = open_pathway(child)
    if pathway is None:
        return 0
    profile = deadlines.profile_for(pathway.area)
    met = 0
    for response in TrackedResponse.objects.filter(pathway=pathway, done_at=None):
        rule = profile.response(response.code)
        if rule is None or kind not in rule.meetings:
            continue
        chosen = next((o for o in rule.allowed_outcomes(response.outcome,
                                                        indicated=response.indicated)
                       if o.final), None)
        if chosen is None:
            continue
        record_response(response, outcome=chosen.code, note="Discussed at the meeting", by=by,
                        at=at, meeting_url=url)
        met += 1
    return met
