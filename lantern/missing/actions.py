"""Writes about missing episodes, return home interviews, missing-person profiles and
transition plans. Each writes its audit row, and the child's chronology entry where it is a
significant event, in the same transaction."""

from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lantern.domain import looked_after
from lantern.domain.labels import in_sentence
from lantern.foundation import audit, work
from lantern.foundation.chronology import add_chronology
from lantern.foundation.models import Agency, Child, Role, User, WorkItem
from lantern.people import queries as people_queries
from lantern.people.actions import StaleEdit
from lantern.sharing import actions as sharing_actions

from . import lists, queries
from . import settings as local
from .models import (
    HowBack,
    MissingEpisode,
    MissingFrom,
    MissingPersonProfile,
    ParentsDecision,
    PlacementReview,
    ProfileHandover,
    RestrictiveMeasure,
    ReturnInterview,
    TransitionPlan,
    care_act_may_be_met,
)

RHI_KIND = "return_interview"
RESCREEN_KIND = "rescreen"
STRATEGY_KIND = "strategy_discussion"
TRANSITION_KIND = "transition_plan"
PATTERN_KINDS = (RESCREEN_KIND, STRATEGY_KIND)
# A strategy discussion decides within 24 hours (seed 002 §5.8; SPEC §3.2).
STRATEGY_HOURS = 24

EPISODE_FIELDS = ("missing_from", "placement_agency_id", "went_missing_at", "reported_at",
                  "reported_by", "police_reference", "circumstances")
RETURN_FIELDS = ("returned_at", "found_where", "found_with", "how_back", "how_back_detail",
                 "police_protection", "harm", "harm_detail")
INTERVIEW_FIELDS = ("outcome", "held_at", "venue", "interviewer_name", "interviewer_agency_id",
                    "child_words", "declined_reason", "push_factors", "pull_factors",
                    "factors_notes", "people_mentioned", "places_mentioned",
                    "vehicles_mentioned", "actions")
PROFILE_FIELDS = ("description", "phone_numbers", "places", "people", "health_needs",
                  "photo_taken_on")
PLAN_FIELDS = ("care_act", "adult_safeguarding_notified", "notified_on", "notified_to",
               "not_notified_reason", "pathway_plan_applies", "pathway_plan_names_cse",
               "pathway_plan_note", "recovery_factors", "screening_continues_to", "outcomes",
               "outcome_detail")


class MissingError(ValueError):
    """A missing-episode record that cannot be saved as given; the message says why."""


def owner_for(child: Child) -> tuple[User | None, str]:
    """Who holds work about the child: the worker most recently allocated, or else the front
    door of the child's area (every front-door worker there sees it in their tray)."""
    allocation = (people_queries.open_allocations(child)
                  .order_by("-started_at", "-id").first())
    if allocation is not None:
        return allocation.user, ""
    return None, Role.FRONT_DOOR


def _when(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%-d %B %Y at %H:%M}"


# --- Episodes ----------------------------------------------------------------------------------

@transaction.atomic
def record_episode(
    child: Child,
    *,
    by: User,
    missing_from: str,
    went_missing_at: datetime,
    reported_at: datetime,
    reported_by: str,
    placement_agency: Agency | None = None,
    police_reference: str = "",
    circumstances: str = "",
) -> MissingEpisode:
    """Record that a child went missing. If the pattern of episodes now meets the area's
    trigger, a re-screening and a strategy discussion are prompted."""
    now = timezone.now()
    if went_missing_at > now or reported_at > now:
        raise MissingError("The times the child went missing and was reported must be in the "
                           "past")
    if reported_at < went_missing_at:
        raise MissingError("The time they were reported missing must be after they went missing")
    episode = MissingEpisode.objects.create(
        child=child, missing_from=missing_from, placement_agency=placement_agency,
        went_missing_at=went_missing_at, reported_at=reported_at, reported_by=reported_by,
        police_reference=police_reference, circumstances=circumstances, recorded_by=by,
        agency=by.working_agency,
    )
    audit.record(by, "create", episode, child=child, summary="Recorded a missing episode",
                 changes=audit.created(episode, EPISODE_FIELDS))
    add_chronology(
        child, kind="missing", occurred_at=went_missing_at, by=by,
        title=f"Went missing from {in_sentence(MissingFrom(missing_from).label)}",
        detail=f"Reported missing {_when(reported_at)} by {reported_by}",
        url=episode.get_absolute_url(),
    )
    if child.looked_after:
        screen_looked_after(child, episode, by=by, now=now)
    check_pattern(child, by=by, now=now)
    return episode


def screen_looked_after(child: Child, episode: MissingEpisode, *, by: User,
                        now: datetime) -> WorkItem | None:
    """A looked-after child who goes missing is screened for exploitation, from the first
    episode on (seed 001, Children Looked After): a re-screening, due at once, for the
    allocated social worker, or waiting with the front door until one is allocated (it
    follows the allocation, lantern.foundation.work.WAITS_FOR_ALLOCATION). None when a
    re-screening is already open for the child, whatever opened it."""
    if WorkItem.objects.filter(child=child, kind=RESCREEN_KIND,
                               status=WorkItem.Status.OPEN).exists():
        return None
    rule = lists.looked_after_rules().first_episode
    worker = (people_queries.open_allocations(child, role=Role.SOCIAL_WORKER)
              .order_by("-started_at", "-id").first())
    item = work.open_item(
        area=child.area, child=child, kind=RESCREEN_KIND, title=rule.title, due_at=now,
        basis=f"{rule.basis} ({rule.citation})",
        owner=worker.user if worker is not None else None,
        owner_role=Role.SOCIAL_WORKER if worker is not None else Role.FRONT_DOOR,
        source=child, url=reverse("screening:new", args=[child.pk]), by=by,
    )
    add_chronology(child, kind="missing_pattern", occurred_at=now, by=by,
                   title="Screening prompted: a looked-after child went missing",
                   detail=f"{rule.citation}. With "
                          + (worker.user.display_name if worker is not None
                             else "the front door until a social worker is allocated"),
                   url=episode.get_absolute_url())
    return item


@transaction.atomic
def record_return(
    episode: MissingEpisode,
    *,
    by: User,
    returned_at: datetime,
    found_where: str,
    how_back: str,
    police_protection: bool,
    harm: bool,
    found_with: str = "",
    how_back_detail: str = "",
    harm_detail: str = "",
) -> MissingEpisode:
    """Record that the child is back, and start the return home interview clock: due the
    area's RHI hours after the return (72 by default), counted in hours, so it runs through
    nights and weekends alike."""
    locked = (MissingEpisode.objects.select_for_update(of=("self",))
              .select_related("child__area").get(pk=episode.pk))
    if locked.returned_at is not None:
        raise MissingError("The child's return from this episode is already recorded")
    if returned_at <= locked.went_missing_at:
        raise MissingError("The time they were found must be after they went missing")
    if returned_at > timezone.now():
        raise MissingError("The time they were found must be in the past")
    if harm and not harm_detail.strip():
        raise MissingError("Say what harm occurred")
    values = {"returned_at": returned_at, "found_where": found_where, "found_with": found_with,
              "how_back": how_back, "how_back_detail": how_back_detail,
              "police_protection": police_protection, "harm": harm,
              "harm_detail": harm_detail}
    changes = audit.diff(locked, values, changed_only=True)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.return_recorded_by = by
    locked.return_recorded_at = timezone.now()
    locked.save()
    child = locked.child
    audit.record(by, "update", locked, child=child,
                 summary="Recorded the return from a missing episode", changes=changes)
    owner, owner_role = owner_for(child)
    due = local.rhi_due(child.area, returned_at)
    work.open_item(
        area=child.area, child=child, kind=RHI_KIND, title="Return home interview",
        due_at=due, basis=local.rhi_basis(child.area), owner=owner, owner_role=owner_role,
        source=locked, url=reverse("missing:interview", args=[locked.pk]), by=by,
    )
    detail = [f"Found at {found_where}" + (f" with {found_with}" if found_with else ""),
              f"Missing for {locked.duration_text}",
              f"Return home interview due by {_when(due)}"]
    if police_protection:
        # seed 003 §11: a child in police protection (s46) needs a section 47 enquiry. The
        # front door takes the urgent route (the pathway page), so it is theirs to do now.
        detail.append("Police protection (s46) was used: a section 47 enquiry is required")
        work.open_item(
            area=child.area, child=child, kind="section_47", by=by,
            title="Police protection used: start a section 47 enquiry",
            due_at=timezone.now(),
            basis="A child in police protection (s46) needs a section 47 enquiry and an urgent "
                  "strategy discussion, without delay (Bristol CSE practice guidance §11)",
            owner_role=Role.FRONT_DOOR, source=locked,
            url=reverse("pathway:pathway", args=[child.pk]),
        )
    if harm:
        detail.append(f"Harm: {harm_detail}")
    add_chronology(child, kind="missing_return", occurred_at=returned_at, by=by,
                   title=f"Back from a missing episode ({in_sentence(HowBack(how_back).label)})",
                   detail="\n".join(detail), url=locked.get_absolute_url())
    return locked


def interviewer_is_independent(interviewer_agency: Agency | None,
                               placement_agency: Agency | None) -> bool:
    """Independent of the placement: not from the agency that provides the child's care."""
    if interviewer_agency is None or placement_agency is None:
        return True
    return interviewer_agency.pk != placement_agency.pk


def independence_error(placement_agency: Agency) -> str:
    return (f"The interviewer must be independent of the child's placement: choose someone who "
            f"does not work for {placement_agency.name}")


@transaction.atomic
def record_interview(
    episode: MissingEpisode,
    *,
    by: User,
    outcome: str,
    held_at: datetime,
    interviewer_name: str,
    interviewer_agency: Agency,
    actions: str,
    venue: str = "",
    child_words: str = "",
    declined_reason: str = "",
    push_factors: list[str] | None = None,
    pull_factors: list[str] | None = None,
    factors_notes: str = "",
    people_mentioned: str = "",
    places_mentioned: str = "",
    vehicles_mentioned: str = "",
) -> ReturnInterview:
    """Record the return home interview (held, or offered and declined) and stop its clock."""
    locked = MissingEpisode.objects.select_for_update(of=("self",)).select_related(
        "child__area", "placement_agency").get(pk=episode.pk)
    if locked.returned_at is None:
        raise MissingError("Record that the child is back before the return home interview")
    if ReturnInterview.objects.filter(episode=locked).exists():
        raise MissingError("The return home interview for this episode is already recorded")
    if locked.placement_agency is not None and not interviewer_is_independent(
            interviewer_agency, locked.placement_agency):
        raise MissingError(independence_error(locked.placement_agency))
    if not locked.returned_at <= held_at <= timezone.now():
        raise MissingError("The interview must be after the child came back, and in the past")
    if outcome == ReturnInterview.Outcome.HELD and not child_words.strip():
        raise MissingError("Enter what the child said, in their own words")
    if outcome == ReturnInterview.Outcome.DECLINED and not declined_reason.strip():
        raise MissingError("Enter why the child did not want the interview")
    known_push = {code for code, _ in lists.push_factors()}
    known_pull = {code for code, _ in lists.pull_factors()}
    if not set(push_factors or []) <= known_push or not set(pull_factors or []) <= known_pull:
        raise MissingError("Unknown push or pull factor")
    interview = ReturnInterview.objects.create(
        episode=locked, outcome=outcome, held_at=held_at, venue=venue,
        interviewer_name=interviewer_name, interviewer_agency=interviewer_agency,
        child_words=child_words, declined_reason=declined_reason,
        push_factors=sorted(push_factors or []), pull_factors=sorted(pull_factors or []),
        factors_notes=factors_notes, people_mentioned=people_mentioned,
        places_mentioned=places_mentioned, vehicles_mentioned=vehicles_mentioned,
        actions=actions, recorded_by=by, agency=by.working_agency,
    )
    child = locked.child
    audit.record(by, "create", interview, child=child,
                 summary="Recorded a return home interview",
                 changes=audit.created(interview, INTERVIEW_FIELDS))
    work.close_items(source=locked, kind=RHI_KIND, by=by)
    due = local.rhi_due(child.area, locked.returned_at)
    timing = "within the timescale" if held_at <= due else "after the timescale"
    title = ("Return home interview held" if outcome == ReturnInterview.Outcome.HELD
             else "Return home interview offered; the child did not want it")
    add_chronology(child, kind="return_interview", occurred_at=held_at, by=by,
                   title=f"{title} ({timing})",
                   detail=f"By {interviewer_name}, {interviewer_agency.name} "
                          f"({interview.sector_label.lower()})",
                   url=locked.get_absolute_url())
    return interview


# --- The pattern and what it prompts -----------------------------------------------------------

def check_pattern(child: Child, *, by: User | None, now: datetime) -> list[WorkItem]:
    """When the child's episodes meet the area's trigger (exactly at the threshold or above),
    prompt a re-screening and a strategy discussion, each never twice while one is open."""
    pattern = queries.pattern_for(child, now=now)
    if not pattern.trigger_met:
        return []
    seen = f"{pattern.in_trigger_window} missing episodes in {pattern.trigger.days} days"
    trigger = f"the area's trigger ({pattern.trigger}, a local setting)"
    owner, owner_role = owner_for(child)
    prompts = {
        RESCREEN_KIND: (
            "Re-screen: a pattern of going missing", now,
            f"Re-screen without delay: {seen} meets {trigger} (SPEC §2: a new incident "
            "triggers an immediate re-screening; West Midlands CSE toolkit: children in care who "
            "go missing are screened)",
        ),
        STRATEGY_KIND: (
            "Strategy discussion: a pattern of going missing",
            now + timedelta(hours=STRATEGY_HOURS),
            f"Strategy discussion within {STRATEGY_HOURS} hours: {seen} meets {trigger} "
            "(Stockport CSE procedure §14: repeatedly missing supports a strategy meeting; All "
            "Wales CSE protocol §5.8: "
            "decide within 24 hours)",
        ),
    }
    opened = []
    for kind, (title, due_at, basis) in prompts.items():
        if WorkItem.objects.filter(child=child, kind=kind,
                                   status=WorkItem.Status.OPEN).exists():
            continue
        opened.append(work.open_item(
            area=child.area, child=child, kind=kind, title=title, due_at=due_at, basis=basis,
            owner=owner, owner_role=owner_role, source=child,
            url=reverse("missing:episodes", args=[child.pk]), by=by,
        ))
    if opened:
        add_chronology(
            child, kind="missing_pattern", occurred_at=now, by=by,
            title=f"Pattern of going missing: {seen}",
            detail="Prompted: " + " and ".join(i.title.split(":")[0].lower() for i in opened),
            url=reverse("missing:episodes", args=[child.pk]),
        )
    return opened


@transaction.atomic
def resolve_prompt(item: WorkItem, *, by: User, note: str) -> WorkItem:
    """Record that a prompted re-screening or strategy discussion has been dealt with."""
    if item.kind not in PATTERN_KINDS or item.status != WorkItem.Status.OPEN:
        raise MissingError("This prompt is already closed")
    assert item.child is not None  # a pattern prompt is always about a child
    work.close_items(source=item.child, kind=item.kind, by=by)
    audit.record(by, "resolve_prompt", item, child=item.child,
                 summary=f"Recorded as done: {item.get_kind_label()} (work item {item.pk})",
                 changes=audit.diff({"note": ""}, {"note": note}))
    add_chronology(item.child, kind="missing_pattern", occurred_at=timezone.now(), by=by,
                   title=f"Done: {item.title.split(':')[0].lower()} about going missing",
                   detail=note, url=reverse("missing:episodes", args=[item.child_id]))
    return item


def _create_or_change(model, child: Child, version: int | None, values: dict, fields,
                      *, new: dict):
    """The child's one row of `model`, locked: built afresh when `version` is None, else
    changed from the version the editor started from. StaleEdit (nothing saved) when someone
    saved in between, so no edit is lost. Returns the unsaved row, its audit changes and the
    action ("create" or "update")."""
    current = model.objects.select_for_update().filter(child=child).first()
    if current is None:
        if version is not None:
            raise StaleEdit(child.pk)
        current = model(child=child, **new, **values)
        return current, audit.created(current, fields), "create"
    if version != current.version:
        raise StaleEdit(child.pk)
    changes = audit.diff(current, values, changed_only=True)
    for name, value in values.items():
        setattr(current, name, value)
    current.version += 1
    return current, changes, "update"


# --- Missing-person profiles ---------------------------------------------------------------------

@transaction.atomic
def save_profile(
    child: Child,
    *,
    by: User,
    version: int | None,
    description: str,
    phone_numbers: str = "",
    places: str = "",
    people: str = "",
    health_needs: str = "",
    photo_taken_on=None,
    photo: bytes | None = None,
    remove_photo: bool = False,
) -> MissingPersonProfile:
    """Create the profile (version None) or change it. `version` is the version the editor
    started from: if someone saved since, nothing is saved and StaleEdit is raised. `photo` is
    an already checked JPEG (lantern.missing.photos.prepare)."""
    values = {"description": description, "phone_numbers": phone_numbers, "places": places,
              "people": people, "health_needs": health_needs,
              "photo_taken_on": photo_taken_on}
    if version is None and not child.looked_after:
        raise MissingError("A missing-person profile is held for looked-after children")
    current, changes, action = _create_or_change(
        MissingPersonProfile, child, version, values, PROFILE_FIELDS,
        new={"created_by": by, "agency": by.agency})
    title = f"Missing-person profile {'created' if action == 'create' else 'updated'}"
    old_photo = current.photo.name if current.photo else ""
    if photo is not None:
        current.photo.save("photo.jpg", ContentFile(photo), save=False)
        changes |= audit.diff({"photo": bool(old_photo)}, {"photo": "new photo"})
    elif remove_photo and old_photo:
        current.photo = ""
        changes |= audit.diff({"photo": True}, {"photo": False})
    current.updated_by = by
    current.updated_at = timezone.now()
    current.save()
    if old_photo and current.photo.name != old_photo:
        storage = current.photo.storage
        transaction.on_commit(lambda: storage.delete(old_photo))
    audit.record(by, action, current, child=child, summary=title, changes=changes)
    add_chronology(child, kind="missing_profile", occurred_at=current.updated_at, by=by,
                   title=title, url=current.get_absolute_url())
    return current


HANDOVER_WHAT = ("Missing-person profile: photo, description, phone numbers, and the places "
                 "and people the child may go to")
HANDOVER_PURPOSE = "The child is reported missing: to help police find them and keep them safe"


@transaction.atomic
def hand_over_profile(
    profile: MissingPersonProfile,
    *,
    by: User,
    recipient: str,
    lawful_basis: str,
    consent: str,
    decided_by_name: str,
    what: str = HANDOVER_WHAT,
    purpose: str = HANDOVER_PURPOSE,
    consent_detail: str = "",
    override: str = "",
    override_reason: str = "",
    episode: MissingEpisode | None = None,
) -> ProfileHandover:
    """Record that the profile was handed to police, as an information-sharing decision (the
    seven golden rules: what, with whom, why, on what basis, consent; seed 000 appendix 3)."""
    child = profile.child
    decision = sharing_actions.record_sharing_decision(
        child, by=by, outcome=sharing_actions.SHARED, what=what, recipient=recipient,
        purpose=purpose, lawful_basis=lawful_basis, consent=consent,
        consent_detail=consent_detail, override=override, override_reason=override_reason,
        decided_by_name=decided_by_name,
    )
    handover = ProfileHandover.objects.create(profile=profile, decision=decision,
                                              episode=episode,
                                              profile_version=profile.version)
    audit.record(by, "hand_over", profile, child=child,
                 summary="Handed the missing-person profile to police",
                 changes=audit.diff(None, {"profile_version": profile.version,
                                           "sharing_decision": decision.pk,
                                           "episode": episode.pk if episode else None}))
    return handover


# --- Transitions ---------------------------------------------------------------------------------

@transaction.atomic
def save_transition_plan(child: Child, *, by: User, version: int | None,
                         **values) -> TransitionPlan:
    """Record or change the young person's transition plan; closes the reminder to plan it.
    The professional decides; where they depart from what the seeds ask, they say why."""
    unknown = set(values) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"unknown transition plan fields: {sorted(unknown)}")
    _check_plan(values)
    current, changes, action = _create_or_change(TransitionPlan, child, version, values,
                                                 PLAN_FIELDS, new={})
    current.recorded_by = by
    title = f"Transition plan {'recorded' if action == 'create' else 'updated'}"
    current.updated_at = timezone.now()
    current.save()
    audit.record(by, action, current, child=child, summary=title, changes=changes)
    work.close_items(source=child, kind=TRANSITION_KIND, by=by)
    outcomes = "; ".join(lists.wording(lists.transition_outcomes(), c) for c in values["outcomes"])
    add_chronology(child, kind="transition", occurred_at=current.updated_at, by=by, title=title,
                   detail=outcomes, url=current.get_absolute_url())
    return current


def _check_plan(values: dict) -> None:
    criteria = {code for code, _ in lists.care_act_criteria()}
    if set(values["care_act"]) != criteria:
        raise MissingError("Answer each of the Care Act criteria")
    if care_act_may_be_met(values["care_act"]) and values["adult_safeguarding_notified"] is None:
        raise MissingError("Say whether adult safeguarding has been notified")
    if values["adult_safeguarding_notified"] is False and care_act_may_be_met(
            values["care_act"]) and not values["not_notified_reason"].strip():
        raise MissingError("Say why adult safeguarding has not been notified")
    if values["pathway_plan_applies"] and values["pathway_plan_names_cse"] is False and not (
            values["pathway_plan_note"].strip()):
        raise MissingError("Say why the pathway plan does not name the risk of exploitation")
    known = {code for code, _ in lists.transition_outcomes()}
    if not values["outcomes"] or not set(values["outcomes"]) <= known:
        raise MissingError("Select the outcome of the transition planning")
    if not set(values["recovery_factors"]) <= {code for code, _ in lists.recovery_factors()}:
        raise MissingError("Unknown recovery factor")



# --- Looked-after children (SPEC §13; seed 001, Children Looked After) ----------------------

class ManagerAgreementNeeded(MissingError):
    """Only the team or service manager responsible for the child's case may decide this."""


def _looked_after(child: Child) -> None:
    if not child.looked_after or not child.legal_status:
        raise MissingError("Record that the child is looked after, and their legal status, "
                           "first")


@transaction.atomic
def record_parents_decision(child: Child, *, by: User, matter: str, told: bool,
                            how_told: str = "", reason: str = "",
                            episode: MissingEpisode | None = None) -> ParentsDecision:
    """Record whether the child's parents were told of a significant matter, under the rule
    for the child's legal status (data/looked_after.toml): under section 20 they must be told,
    and not telling them is a manager's exception; under a care order (or another basis) they
    are told unless there is clear justification, recorded with the reasons."""
    _looked_after(child)
    rule = lists.looked_after_rules().legal_status(child.legal_status)
    assert rule is not None, f"no rule for legal status {child.legal_status!r}"
    if not matter.strip():
        raise MissingError("Enter the significant matter the parents were or were not told of")
    if told and not how_told.strip():
        raise MissingError("Enter who told the parents, when and how")
    manager = people_queries.manages_case(by, child)
    problem = looked_after.parents_decision_problem(rule, told=told, reason=reason,
                                                    manager_agrees=manager)
    if problem:
        raise (ManagerAgreementNeeded if reason.strip() else MissingError)(problem)
    decision = ParentsDecision.objects.create(
        child=child, episode=episode, matter=matter.strip(), legal_status=child.legal_status,
        told=told, how_told=how_told.strip() if told else "",
        reason="" if told else reason.strip(),
        manager_exception=not told and rule.not_telling_needs_manager,
        recorded_by=by, agency=by.working_agency,
    )
    audit.record(by, "except" if decision.manager_exception else "create", decision,
                 child=child, reason=decision.reason,
                 summary="Recorded whether the parents were told",
                 changes=audit.created(decision, ("matter", "legal_status", "told", "how_told",
                                                  "reason", "manager_exception")))
    add_chronology(
        child, kind="parents_decision", occurred_at=decision.recorded_at, by=by,
        title=(f"Parents told: {decision.matter}" if told
               else f"Parents not told: {decision.matter}"
               + (" (a manager's exception)" if decision.manager_exception else "")),
        detail=(decision.how_told if told else f"Reason: {decision.reason}. {rule.rule} "
                f"({rule.citation})"),
        url=decision.get_absolute_url(),
    )
    return decision


@transaction.atomic
def propose_measure(child: Child, *, by: User, kind: str, detail: str, reason: str,
                    order_in_place: str) -> RestrictiveMeasure:
    """Propose restricting the child's liberty or confiscating their property, with the reason
    and the order that allows it. Nothing is taken until the team or service manager
    responsible for the child's case agrees (seed 001, Children Looked After)."""
    _looked_after(child)
    rules = lists.looked_after_rules()
    measure = rules.measure(kind)
    if measure is None:
        raise MissingError("Select what is proposed")
    for value, message in ((detail, "Enter what exactly is proposed"),
                           (reason, "Enter why it is needed"),
                           (order_in_place, "Enter the order that allows it")):
        if not value.strip():
            raise MissingError(message)
    proposed = RestrictiveMeasure.objects.create(
        child=child, kind=kind, detail=detail.strip(), reason=reason.strip(),
        order_in_place=order_in_place.strip(), proposed_by=by, agency=by.working_agency,
    )
    audit.record(by, "create", proposed, child=child,
                 summary=f"Proposed: {measure.label.lower()}",
                 changes=audit.created(proposed, ("kind", "detail", "reason",
                                                  "order_in_place")))
    add_chronology(child, kind="restrictive_measure", occurred_at=proposed.proposed_at, by=by,
                   title=f"Proposed, for a manager's agreement: {measure.label.lower()}",
                   detail=f"{proposed.detail}. Order: {proposed.order_in_place}",
                   url=proposed.get_absolute_url())
    return proposed


@transaction.atomic
def decide_measure(proposed: RestrictiveMeasure, *, by: User, agreed: bool,
                   reason: str) -> RestrictiveMeasure:
    """The team or service manager responsible for the child's case agrees to the measure or
    does not, with their reasons."""
    locked = RestrictiveMeasure.objects.select_for_update().select_related("child").get(
        pk=proposed.pk)
    child = locked.child
    rules = lists.looked_after_rules()
    if not people_queries.manages_case(by, child):
        raise ManagerAgreementNeeded(
            f"Only {rules.measures_agreed_by} may agree to this ({rules.measures_citation})")
    if locked.decision:
        raise MissingError("This has already been decided")
    if not reason.strip():
        raise MissingError("Enter the reasons for your decision")
    now = timezone.now()
    values = {"decision": (RestrictiveMeasure.Decision.AGREED if agreed
                           else RestrictiveMeasure.Decision.REFUSED),
              "decided_at": now, "decision_reason": reason.strip()}
    changes = audit.diff(locked, values)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.decided_by = by
    locked.save(update_fields=["decision", "decided_by", "decided_at", "decision_reason"])
    label = _measure_label(locked)
    audit.record(by, "decide", locked, child=child, reason=reason.strip(),
                 summary=f"{'Agreed' if agreed else 'Did not agree'}: {label.lower()}",
                 changes=changes)
    add_chronology(child, kind="restrictive_measure", occurred_at=now, by=by,
                   title=f"Manager {'agreed' if agreed else 'did not agree'}: {label.lower()}",
                   detail=f"Reasons: {reason.strip()}", url=locked.get_absolute_url())
    return locked


@transaction.atomic
def record_measure_taken(proposed: RestrictiveMeasure, *, by: User,
                         taken_at: datetime) -> RestrictiveMeasure:
    """Record that the measure was taken: refused unless the manager agreed first."""
    locked = RestrictiveMeasure.objects.select_for_update().select_related("child").get(
        pk=proposed.pk)
    rules = lists.looked_after_rules()
    if not locked.agreed:
        raise ManagerAgreementNeeded(
            f"This cannot be recorded as taken until {rules.measures_agreed_by} has agreed to "
            f"it ({rules.measures_citation})")
    if locked.taken_at is not None:
        raise MissingError("This has already been recorded as taken")
    assert locked.decided_at is not None  # an agreed measure has its decision's time
    if not locked.decided_at <= taken_at <= timezone.now():
        raise MissingError("The time it was taken must be after the manager agreed, and in "
                           "the past")
    locked.taken_at = taken_at
    locked.taken_by = by
    locked.save(update_fields=["taken_at", "taken_by"])
    label = _measure_label(locked)
    audit.record(by, "update", locked, child=locked.child, summary=f"Taken: {label.lower()}",
                 changes=audit.diff({"taken_at": None}, {"taken_at": taken_at}))
    add_chronology(locked.child, kind="restrictive_measure", occurred_at=taken_at, by=by,
                   title=f"Taken, with a manager's agreement: {label.lower()}",
                   detail=locked.detail, url=locked.get_absolute_url())
    return locked


def _measure_label(measure: RestrictiveMeasure) -> str:
    found = lists.looked_after_rules().measure(measure.kind)
    return found.label if found else measure.kind


@transaction.atomic
def record_placement_review(child: Child, *, by: User, answers: dict[str, str],
                            episode: MissingEpisode | None = None) -> PlacementReview:
    """Answer the placement questions (seed 001, Children Looked After): every question, in
    the practitioner's words."""
    _looked_after(child)
    codes = [q.code for q in lists.looked_after_rules().placement_questions]
    if set(answers) != set(codes) or not all(str(answers[c]).strip() for c in codes):
        raise MissingError("Answer each of the placement questions")
    review = PlacementReview.objects.create(
        child=child, episode=episode, answers={c: answers[c].strip() for c in codes},
        recorded_by=by, agency=by.working_agency,
    )
    audit.record(by, "create", review, child=child, summary="Answered the placement questions",
                 changes=audit.created(review, ("answers",)))
    add_chronology(child, kind="placement_review", occurred_at=review.recorded_at, by=by,
                   title="Placement questions answered",
                   detail=review.answers.get("remain", ""), url=review.get_absolute_url())
    return review
