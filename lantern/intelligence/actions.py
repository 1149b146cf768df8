"""Every write to intelligence. Each audits in the same transaction (lantern.foundation.audit);
reports write the chronology of the children they concern; triggers open work items for the
CSE team managers of the areas involved and email them.

    submit_report(by=..., text=..., children=[...], mentions=[MentionInput(...)])
    grade_report(report, by=..., source_grade="2", intelligence_grade="B", handling="P", ...)
    decide_proposal(proposal, "merge" | "reject", by=..., reason=...)
    undo_merge(proposal, by=..., reason=...)
    dismiss_trigger(trigger, by=..., reason=...)    accept_trigger(trigger, by=..., note=...)
    detect_triggers(entities=..., children=..., by=...)    resolve_all(by=...)
    refresh_rankings()  (lantern work: the disruption rankings kept ahead)
"""

import contextvars
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from lantern.domain import disruption, merge_safety, normalise, resolution, triggers
from lantern.foundation import audit, notify, work
from lantern.foundation.chronology import add_chronology
from lantern.foundation.models import Area, Child, Role, User
from lantern.meetings import queries as meetings_queries

from . import graph, queries, resolve
from .models import (
    Association,
    BlockingKey,
    Entity,
    EntityKind,
    IntelligenceReport,
    Link,
    LinkRole,
    Location,
    Mention,
    MergeProposal,
    OnlineIdentity,
    Organisation,
    Phone,
    RankingSnapshot,
    ResolutionDecision,
    Subject,
    Trigger,
    Vehicle,
)

# Days a CSE team manager has to review a trigger, unless the area sets its own
# (Area.local_settings["trigger_review_days"]). The seeds set no timescale.
TRIGGER_REVIEW_DAYS = 5
# Loading invented data (`lantern demo`) raises triggers and opens work items but emails nobody.
email_alerts: contextvars.ContextVar[bool] = contextvars.ContextVar("email_alerts", default=True)


@dataclass(kw_only=True)
class MentionInput(resolution.PersonDetails):
    """An entity as the person submitting wrote it. `kind` is an EntityKind value; the person
    fields (given, family, nickname, dates of birth, phone) come from PersonDetails."""

    kind: str
    raw_text: str
    role: str = "associated"
    description: str = ""
    is_child: bool = False
    name: str = ""
    address: str = ""
    postcode: str = ""
    location_kind: str = "address"
    registration: str = ""
    make: str = ""
    colour: str = ""
    licence: str = ""  # Vehicle.Licence: taxi, private_hire, or ""
    licence_number: str = ""
    licensing_authority: str = ""
    number: str = ""
    platform: str = ""
    handle: str = ""
    business: str = ""


class InvalidMention(ValueError):
    pass


def _existing(kind: str, key: str) -> Entity | None:
    return Entity.objects.filter(kind=kind, key=key).order_by("pk").first() if key else None


def _phone_entity(number: str, *, area, by) -> Phone:
    e164 = normalise.phone(number)
    if e164 is None:
        raise InvalidMention(f"{number!r} is not a phone number")
    found = _existing(EntityKind.PHONE, e164)
    if found is not None:
        return found.phone
    return Phone.objects.create(kind=EntityKind.PHONE, key=e164, number=e164, area=area,
                                created_by=by, label=normalise.phone_display(e164))


def _subject(m: MentionInput, *, area, by) -> Subject:
    phones = []
    if m.phone:
        e164 = normalise.phone(m.phone)
        if e164 is None:
            raise InvalidMention(f"{m.phone!r} is not a phone number")
        phones.append(e164)
    subject = Subject(kind=EntityKind.SUBJECT, area=area, created_by=by,
                      given_names=m.given.strip(), family_name=m.family.strip(),
                      nicknames=[m.nickname.strip()] if m.nickname.strip() else [],
                      date_of_birth=m.date_of_birth, birth_year=m.birth_year,
                      birth_month=m.birth_month, description=m.description,
                      phones=phones, is_child=m.is_child)
    subject.label = subject.name_text()[:200]
    subject.save()
    BlockingKey.objects.bulk_create(
        BlockingKey(entity=subject, key=key[:80])
        for key in resolve.person_record(subject).blocking_keys())
    return subject


def _add_licence(vehicle: Vehicle, m: MentionInput, *, by) -> None:
    """A later report may know the taxi or private-hire licence of a vehicle already known: it
    fills what the record lacks and never overwrites what another report said."""
    new = {name: getattr(m, name) for name in ("licence", "licence_number",
                                                "licensing_authority")
           if getattr(m, name) and not getattr(vehicle, name)}
    if not new:
        return
    changes = audit.diff(vehicle, new, changed_only=True)
    for name, value in new.items():
        setattr(vehicle, name, value)
    vehicle.save(update_fields=list(new))
    audit.record(by, "update", vehicle, summary="Recorded the vehicle's licence",
                 changes=changes)


def _entity_for(m: MentionInput, *, area, by) -> Entity:
    """The entity a mention names: an existing one when its canonical key is the same (one
    phone number, one registration), otherwise a new one. People are always new records:
    entity resolution proposes whether they are someone already known, and a person decides."""
    if m.kind == EntityKind.SUBJECT:
        return _subject(m, area=area, by=by)
    if m.kind == EntityKind.PHONE:
        return _phone_entity(m.number, area=area, by=by)
    if m.kind == EntityKind.VEHICLE:
        reg = normalise.registration(m.registration)
        if reg is None:
            raise InvalidMention("A vehicle needs its registration")
        found = _existing(EntityKind.VEHICLE, reg)
        if found is not None:
            if m.licence or m.licence_number or m.licensing_authority:
                known = Vehicle.objects.filter(pk=found.pk).first()
                if known is not None:
                    _add_licence(known, m, by=by)
            return found
        return Vehicle.objects.create(
            kind=EntityKind.VEHICLE, key=reg, registration=reg, make=m.make, colour=m.colour,
            licence=m.licence, licence_number=m.licence_number,
            licensing_authority=m.licensing_authority, area=area, created_by=by,
            label=" ".join(x for x in (normalise.registration_display(reg), m.colour, m.make)
                           if x)[:200])
    if m.kind == EntityKind.ONLINE:
        handle = normalise.handle(m.handle)
        if handle is None:
            raise InvalidMention("An online identity needs its username")
        key = f"{normalise.name(m.platform)}:{handle}"
        return _existing(EntityKind.ONLINE, key) or OnlineIdentity.objects.create(
            kind=EntityKind.ONLINE, key=key, platform=m.platform, handle=handle, area=area,
            created_by=by, label=f"{handle} on {m.platform}" if m.platform else handle)
    if m.kind == EntityKind.ORGANISATION:
        key = normalise.name(m.name)
        if not key:
            raise InvalidMention("An organisation needs its name")
        return _existing(EntityKind.ORGANISATION, key) or Organisation.objects.create(
            kind=EntityKind.ORGANISATION, key=key, name=m.name, business=m.business,
            area=area, created_by=by, label=m.name[:200])
    if m.kind == EntityKind.LOCATION:
        postcode = normalise.postcode(m.postcode) or ""
        place = normalise.address(m.name or m.address)
        if not (place or postcode):
            raise InvalidMention("A place needs its name, address or postcode")
        key = f"{postcode}|{place}"
        label = ", ".join(x for x in (m.name, m.address.replace("\n", ", "), postcode) if x)
        return _existing(EntityKind.LOCATION, key) or Location.objects.create(
            kind=EntityKind.LOCATION, key=key, name=m.name, address=m.address,
            postcode=postcode, location_kind=m.location_kind, area=area, created_by=by,
            label=label[:200])
    raise InvalidMention(f"unknown kind {m.kind!r}")


@transaction.atomic
def submit_report(*, by: User, text: str, children: list[Child], mentions: list[MentionInput],
                  occurred_on: date | None = None, source_details: str = "") -> IntelligenceReport:
    report = IntelligenceReport.objects.create(
        area=by.working_agency.area, submitted_by=by, agency=by.working_agency, text=text,
        source_details=source_details, occurred_on=occurred_on)
    report.children.set(children)
    report.child_areas.set({child.area_id for child in children})
    entities: list[Entity] = []
    new_subjects: list[Subject] = []
    for m in mentions:
        entity = _entity_for(m, area=by.working_agency.area, by=by)
        Mention.objects.create(report=report, entity=entity, raw_text=m.raw_text[:300],
                               role=m.role)
        entities.append(entity)
        if isinstance(entity, Subject) and entity.kind == EntityKind.SUBJECT:
            new_subjects.append(entity)
            for e164 in entity.phones:
                phone = _phone_entity(e164, area=by.working_agency.area, by=by)
                Association.objects.create(subject=entity, entity=phone, report=report)
                entities.append(phone)
        for child in children:
            Link.objects.get_or_create(child=child, entity=entity, report=report, role=m.role,
                                       defaults={"occurred_on": occurred_on})
    changes = audit.created(report, ("text", "source_details", "occurred_on", "agency_id"))
    changes |= audit.diff(None, {"children": [c.pk for c in children],
                                 "mentions": [[m.kind, m.raw_text, m.role] for m in mentions]})
    audit.record(by, "create", report, summary="Shared intelligence", changes=changes)
    occurred = timezone.make_aware(datetime.combine(occurred_on, time(0, 0))) if occurred_on \
        else report.submitted_at
    for child in children:
        audit.record(by, "link", report, child=child,
                     summary="Intelligence about this child shared")
        add_chronology(child, kind="intelligence",
                       title=f"Intelligence shared by {by.working_agency.name}",
                       occurred_at=occurred, by=by, url=report.get_absolute_url())
    _tell_of_suspects(report, by=by)
    for subject in new_subjects:
        propose_for(subject, by=by)
        if subject.treated_as_child():
            _young_person_needs(subject, report, by=by)
    roots = {e.canonical_pk for e in entities}
    detect_triggers(entities=roots, children={c.pk for c in children}, by=by)
    return report


def _tell_of_suspects(report: IntelligenceReport, *, by: User) -> None:
    """The CSE team is told of every adult considered a risk (seed 001): once for a report that
    creates a subject named as a suspect who is not treated as a child."""
    suspects = Mention.objects.filter(report=report, role=LinkRole.SUSPECT).values("entity_id")
    new = Subject.objects.filter(pk__in=suspects, kind=EntityKind.SUBJECT,
                                 created_at__gte=report.submitted_at)
    if any(not subject.treated_as_child() for subject in new):
        notify.tell_by_rules("adult_risk", area=report.area, url=report.get_absolute_url(),
                             source=report, by=by, email=email_alerts.get())


def _young_person_needs(subject: Subject, report: IntelligenceReport, *, by: User) -> None:
    """A child who may be exploiting others is a child first (seeds 000 §3, 001): their own
    needs and safety are considered separately, by the CSE team, not only their conduct."""
    days = int((report.area.local_settings or {}).get("trigger_review_days",
                                                       TRIGGER_REVIEW_DAYS))
    work.open_item(
        area=report.area, kind="young_person_needs",
        title="Consider the needs and safety of a young person named in intelligence as "
        "possibly exploiting others",
        due_at=timezone.now() + timedelta(days=days),
        basis=f"Within {days} days (Lantern's default; an area may set its own)",
        owner_role=Role.CSE_MANAGER, source=report, by=by)


@transaction.atomic
def grade_report(report: IntelligenceReport, *, by: User, source_grade: str,
                 intelligence_grade: str, handling: str, sanitised_text: str,
                 handling_conditions: str = "", condition_roles: list[str] | None = None,
                 legacy: tuple[str, str, str] | None = None) -> IntelligenceReport:
    """Police grade a report (3x5x2) and write the sanitised version others may read."""
    roles = "," + ",".join(sorted(condition_roles or [])) + "," if condition_roles else ""
    values = {"source_grade": source_grade, "intelligence_grade": intelligence_grade,
              "handling": handling, "sanitised_text": sanitised_text,
              "handling_conditions": handling_conditions if handling == "C" else "",
              "condition_roles": roles if handling == "C" else "",
              "graded_by": by, "graded_at": timezone.now(),
              "review_on": disruption.review_due(timezone.localdate(), intelligence_grade)}
    if legacy:
        values.update(legacy_source=legacy[0], legacy_intelligence=legacy[1],
                      legacy_handling=legacy[2])
    locked = IntelligenceReport.objects.select_for_update().get(pk=report.pk)
    changes = audit.diff(locked, {k: v for k, v in values.items()
                                  if k not in ("graded_at", "review_on")},
                         changed_only=True)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save()
    audit.record(by, "grade", locked, summary=f"Graded {locked.grading}", changes=changes)
    return locked


@transaction.atomic
def record_subject_risk(subject: Subject, *, by: User, violence: bool,
                        previous_convictions: int) -> Subject:
    """Police record what they know of a subject's violence and convictions: two factors of
    the disruption score (seed 003 §13)."""
    locked = Subject.objects.select_for_update().get(pk=subject.pk)
    changes = audit.diff(locked, {"violence": violence,
                                  "previous_convictions": previous_convictions}, changed_only=True)
    locked.violence = violence
    locked.previous_convictions = previous_convictions
    locked.save(update_fields=["violence", "previous_convictions"])
    audit.record(by, "update", locked, summary="Recorded violence and convictions",
                 changes=changes)
    return locked


SUBJECT_DETAILS = ("sex", "ethnicity", "nationality", "disability_status", "unknown_reasons")


@transaction.atomic
def record_subject_details(subject: Subject, *, by: User, **details) -> Subject:
    """Police record who a subject is: sex, ethnic group, nationality and disability, each
    known or "not known" with the reason (lantern.domain.demographics; issue 16 item 5)."""
    unknown = set(details) - set(SUBJECT_DETAILS)
    if unknown:
        raise TypeError(f"unknown subject details: {sorted(unknown)}")
    locked = Subject.objects.select_for_update().get(pk=subject.pk)
    changes = audit.diff(locked, details, changed_only=True)
    for name, value in details.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(details))
    audit.record(by, "update", locked, summary="Recorded who the person is",
                 changes=changes)
    return locked


@transaction.atomic
def record_group_based(trigger: Trigger, *, by: User, group_based: bool,
                       reason: str) -> Trigger:
    """A CSE team manager records whether the network a trigger found is group-based
    exploitation, and why (issue 16 item 5): who and when are kept with it and audited, and
    monitoring counts it."""
    if not reason.strip():
        raise ValueError("recording group-based exploitation needs a reason")
    locked = Trigger.objects.select_for_update().get(pk=trigger.pk)
    values = {"group_based": group_based, "group_based_reason": reason.strip(),
              "group_based_by": by, "group_based_at": timezone.now()}
    changes = audit.diff(locked, {"group_based": group_based,
                                  "group_based_reason": reason.strip()}, changed_only=True)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(values))
    audit.record(by, "update", locked,
                 summary=("Recorded the network as group-based exploitation" if group_based
                          else "Recorded the network as not group-based exploitation"),
                 changes=changes, reason=reason.strip())
    return locked


# --- Entity resolution --------------------------------------------------------------------

def _store_proposal(left: Entity, right: Entity, comparison) -> MergeProposal | None:
    if left.canonical_pk == right.canonical_pk:
        return None
    a, b = sorted((left, right), key=lambda e: e.pk)
    existing = MergeProposal.objects.filter(left=a, right=b).first()
    if existing is not None:
        return None
    evidence = comparison.as_evidence()
    if a is not left:
        # The proposal names the older record first: each field's values follow their record,
        # so the review page shows each record's evidence in its own column.
        evidence["fields"] = [{**f, "left": f["right"], "right": f["left"]}
                              for f in evidence["fields"]]
    return MergeProposal.objects.create(
        left=a, right=b, kind=a.kind, score=comparison.weight,
        probability=comparison.probability, engine=comparison.engine, evidence=evidence)


def merge_concerns(proposal: MergeProposal) -> list[str]:
    """Why this merge needs a second reviewer (lantern.domain.merge_safety), if it does."""
    def is_child(entity_id: int) -> bool:
        subject = Subject.objects.filter(pk=entity_id).first()
        return subject is not None and subject.treated_as_child()

    pairs = MergeProposal.objects.filter(
        kind=proposal.kind, status__in=(MergeProposal.Status.OPEN, MergeProposal.Status.SECOND,
                                        MergeProposal.Status.MERGED),
    ).exclude(pk=proposal.pk).values_list("left_id", "right_id")
    return merge_safety.concerns(
        left_is_child=is_child(proposal.left_id), right_is_child=is_child(proposal.right_id),
        bridge=merge_safety.is_bridge(list(pairs), (proposal.left_id, proposal.right_id)))


class SecondReviewerNeeded(Exception):
    pass


def propose_for(subject: Subject, *, by: User | None) -> list[MergeProposal]:
    """Incremental resolution when a report arrives: score the new subject against the few
    known subjects it shares a key with, and store proposals for a person to review."""
    record = resolve.person_record(subject)
    others = resolve.blocked_with(record, exclude=subject.pk)
    by_key = {str(o.pk): o for o in others}
    made = []
    for comparison in resolution.candidates(record, [resolve.person_record(o) for o in others]):
        proposal = _store_proposal(subject, by_key[comparison.right], comparison)
        if proposal is not None:
            audit.record(by, "propose_merge", proposal,
                         summary=f"Proposed: {proposal.left.label} and {proposal.right.label} "
                         f"may be one person ({proposal.probability:.0%})",
                         changes=audit.diff(None, proposal, ("evidence",)))
            made.append(proposal)
    return made


@transaction.atomic
def resolve_all(*, by: User | None = None) -> list[MergeProposal]:
    """Batch resolution (`lantern link`): every subject against every other."""
    records = resolve.all_records()
    subjects = {str(s.pk): s for s in Subject.objects.all()}
    made = []
    for comparison in resolution.link(records, backend=settings.LINKING_BACKEND):
        proposal = _store_proposal(subjects[comparison.left], subjects[comparison.right],
                                   comparison)
        if proposal is not None:
            audit.record(by, "propose_merge", proposal, summary="Proposed by batch linking",
                         changes=audit.diff(None, proposal, ("evidence",)))
            made.append(proposal)
    return made


class ProposalClosed(Exception):
    pass


@transaction.atomic
def decide_proposal(proposal: MergeProposal, action: str, *, by: User,
                    reason: str = "") -> ResolutionDecision:
    locked = MergeProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status not in (MergeProposal.Status.OPEN, MergeProposal.Status.SECOND):
        raise ProposalClosed(proposal.pk)
    moved: dict[str, int | None] = {}
    if action == ResolutionDecision.Action.MERGE and locked.first_approved_by_id is None and (
            concerns := merge_concerns(locked)):
        # A risky merge: this reviewer's yes is the first of two (domain.merge_safety).
        locked.status = MergeProposal.Status.SECOND
        locked.first_approved_by = by
        locked.save(update_fields=["status", "first_approved_by"])
        decision = ResolutionDecision.objects.create(
            proposal=locked, action=ResolutionDecision.Action.FIRST, reason=reason,
            score=locked.score, evidence={**locked.evidence, "concerns": concerns},
            decided_by=by)
        audit.record(by, "first_approval", locked, reason=reason,
                     summary="Agreed to a merge that needs a second reviewer",
                     changes=audit.diff({"status": MergeProposal.Status.OPEN},
                                        {"status": locked.status}))
        return decision
    if action == ResolutionDecision.Action.MERGE and locked.first_approved_by_id == by.pk:
        raise SecondReviewerNeeded("A second reviewer, not you, must confirm this merge")
    if action == ResolutionDecision.Action.MERGE:
        left = Entity.objects.select_for_update().get(pk=locked.left_id)
        right = Entity.objects.select_for_update().get(pk=locked.right_id)
        keep, absorb = left.canonical_pk, right.canonical_pk
        if keep != absorb:
            group = Entity.objects.select_for_update().filter(Q(pk=absorb) |
                                                              Q(canonical_id=absorb))
            for entity in group:
                moved[str(entity.pk)] = entity.canonical_id
            group.update(canonical_id=keep)
        locked.status = MergeProposal.Status.MERGED
    elif action == ResolutionDecision.Action.REJECT:
        locked.status = MergeProposal.Status.REJECTED
    else:
        raise ValueError(f"unknown action {action!r}")
    locked.save(update_fields=["status"])
    decision = ResolutionDecision.objects.create(
        proposal=locked, action=action, reason=reason, score=locked.score,
        evidence=locked.evidence, moved=moved, decided_by=by)
    audit.record(by, action, locked,
                 summary=f"{decision.get_action_display()}: {locked.left.label} and "
                 f"{locked.right.label}", reason=reason,
                 changes=audit.diff(
                     {"status": MergeProposal.Status.OPEN, "canonical": moved},
                     {"status": locked.status,
                      "canonical": locked.left.canonical_pk if moved else None}))
    if moved:
        detect_triggers(entities={Entity.objects.get(pk=locked.left_id).canonical_pk},
                        children=set(), by=by)
    return decision


@transaction.atomic
def undo_merge(proposal: MergeProposal, *, by: User, reason: str) -> ResolutionDecision:
    """Put every record the merge moved back where it was."""
    locked = MergeProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != MergeProposal.Status.MERGED:
        raise ProposalClosed(proposal.pk)
    merge = locked.decisions.filter(action=ResolutionDecision.Action.MERGE).first()
    moved = merge.moved if merge else {}
    roots = set()
    for entity_id, previous in moved.items():
        Entity.objects.filter(pk=int(entity_id)).update(canonical_id=previous)
        roots.add(previous or int(entity_id))
    roots.add(Entity.objects.get(pk=locked.left_id).canonical_pk)
    locked.status = MergeProposal.Status.UNDONE
    locked.save(update_fields=["status"])
    decision = ResolutionDecision.objects.create(
        proposal=locked, action=ResolutionDecision.Action.UNDO, reason=reason,
        score=locked.score, evidence=locked.evidence, moved=moved, decided_by=by)
    audit.record(by, "undo", locked, reason=reason,
                 summary=f"Undid the merge of {locked.left.label} and {locked.right.label}",
                 changes=audit.diff(
                     {"status": MergeProposal.Status.MERGED,
                      "canonical": locked.left.canonical_pk},
                     {"status": MergeProposal.Status.UNDONE, "canonical": moved}))
    detect_triggers(entities=roots, children=set(), by=by)
    return decision


# --- Triggers -----------------------------------------------------------------------------

def _evidence(finding: triggers.Finding, held: dict[int, datetime]) -> dict:
    rules = triggers.rules()
    criterion = next(c for c in rules.criteria if c.kind == finding.kind
                     and c.code == finding.criterion)
    kind = rules.kinds[finding.kind]
    evidence: dict[str, object] = {
        "label": criterion.label,
        "citation": kind["citation"],
        "proposal": kind["proposal"],
        "rules_version": rules.version,
        "children": sorted(finding.children),
        "entities": sorted(finding.entities),
        "links": sorted(finding.links),
        "reports": sorted(finding.reports),
        "areas": sorted(finding.areas),
    }
    if finding.kind == "complex_strategy" and finding.joint:
        evidence["joint_proposal"] = kind["joint_proposal"]
    if finding.kind == "network_referral":
        evidence["precondition"] = {
            "text": kind["precondition"],
            "met": finding.precondition_met,
            "held": {str(c): timezone.localtime(when).date().isoformat()
                     for c, when in held.items() if c in finding.children},
            "missing": sorted(finding.children_without_strategy),
            "basis": "Judged from the meetings recorded in Lantern: a strategy discussion, "
                     "strategy meeting, MASE or complex strategy meeting held, and the child's "
                     "plan agreed.",
        }
    return evidence


def _alert(trigger: Trigger, areas: list[Area], *, by: User | None) -> None:
    title = f"{trigger.get_kind_display()} trigger: {trigger.evidence['label'].lower()}"
    for area in areas:
        days = int((area.local_settings or {}).get("trigger_review_days", TRIGGER_REVIEW_DAYS))
        work.open_item(area=area, kind=f"trigger_{trigger.kind}", title=title,
                       due_at=timezone.now() + timedelta(days=days),
                       basis=f"Review within {days} days (Lantern's default; the procedures set "
                       "no timescale, an area may set its own)",
                       owner_role=Role.CSE_MANAGER, source=trigger, by=by)
    recipients = notify.cse_manager_addresses(areas)
    if recipients and email_alerts.get():
        url = reverse("intelligence:trigger", args=[trigger.pk])
        # No names in email: the evidence is read in Lantern, where access is checked.
        body = (f"Lantern has found a pattern in intelligence that calls for a "
                f"{trigger.get_kind_display().lower()}: {trigger.evidence['label'].lower()}.\n"
                f"Children involved: {len(trigger.evidence['children'])}. "
                f"Areas involved: {len(areas)}.\n\nReview the evidence in Lantern: {url}\n")
        notify.after_commit(f"Lantern: {title}", body, recipients)


def _store_finding(finding: triggers.Finding, held, *, by) -> Trigger | None:
    evidence = _evidence(finding, held)
    previous = list(Trigger.objects.select_for_update().filter(key=finding.key)
                    .order_by("-created_at"))
    current = next((t for t in previous if t.state == Trigger.State.OPEN), None)
    if current is not None:
        if current.evidence != evidence or current.precondition_met != finding.precondition_met:
            old = current.evidence
            current.evidence = evidence
            current.joint = finding.joint
            current.precondition_met = finding.precondition_met
            current.updated_at = timezone.now()
            current.save()
            current.children.set(finding.children)
            current.areas.set(finding.areas)
            audit.record(by, "update", current, summary="Trigger evidence grew",
                         changes=audit.diff({"evidence": old}, {"evidence": evidence}))
        return current
    # A trigger that was dismissed or accepted is raised again only when children not in its
    # evidence are now involved.
    decided = next((t for t in previous if t.state != Trigger.State.WITHDRAWN), None)
    if decided is not None and finding.children <= set(decided.evidence.get("children", [])):
        return None
    focus_entity = finding.focus_id if finding.focus_type == "entity" else None
    focus_child = finding.focus_id if finding.focus_type == "child" else None
    trigger = Trigger.objects.create(
        kind=finding.kind, criterion=finding.criterion, key=finding.key,
        focus_entity_id=focus_entity, focus_child_id=focus_child, joint=finding.joint,
        evidence=evidence, precondition_met=finding.precondition_met)
    trigger.children.set(finding.children)
    areas = list(Area.objects.filter(pk__in=finding.areas))
    trigger.areas.set(areas)
    audit.record(by, "raise", trigger, summary=f"Trigger raised: {evidence['label']}",
                 changes=audit.created(trigger, ("kind", "criterion", "joint", "evidence")))
    # No chronology entry: everyone who sees a child reads their chronology, while triggers
    # rest on intelligence with its own restrictions (SPEC §9). Each child's audit trail
    # records the trigger instead.
    for child in Child.objects.filter(pk__in=finding.children):
        audit.record(by, "raise", trigger, child=child,
                     summary=f"{trigger.get_kind_display()} trigger about this child")
    _alert(trigger, areas, by=by)
    return trigger


@transaction.atomic
def detect_triggers(*, entities: set[int], children: set[int], by: User | None,
                    whole: bool = False) -> list[Trigger]:
    """Run the trigger rules around what changed (or over everything) and store the result:
    new triggers alert the managers, open ones gain evidence, and open ones whose evidence
    no longer meets the criteria (after a merge is undone) are withdrawn."""
    link_graph = graph.whole() if whole else graph.around(entities, children)
    involved = {f.child for facts in link_graph.by_entity.values() for f in facts.values()}
    involved |= set(link_graph.by_child)
    # The network referral's precondition (seed 003 §4): a strategy discussion or meeting held
    # in Lantern and a multi-agency plan agreed, with when.
    held = meetings_queries.strategy_held(involved)
    kwargs: dict[str, Any] = {"strategy_held": frozenset(held)}
    findings = (triggers.detect_all(link_graph, **kwargs) if whole else
                triggers.detect(link_graph, entities=entities, children=children, **kwargs))
    stored = [t for f in findings if (t := _store_finding(f, held, by=by)) is not None]
    keys = {f.key for f in findings}
    stale = Trigger.objects.filter(state=Trigger.State.OPEN).exclude(key__in=keys)
    if not whole:
        focus, centres, judged_children = triggers.judged(link_graph, entities=entities,
                                                          children=children)
        stale = stale.filter(Q(focus_entity_id__in=focus | centres)
                             | Q(focus_child_id__in=judged_children))
    for trigger in stale:
        _set_state(trigger, Trigger.State.WITHDRAWN, by=by,
                   reason="The evidence no longer meets the criteria (for example, a merge "
                   "was undone).")
    return stored


def _set_state(trigger: Trigger, state: str, *, by, reason: str) -> Trigger:
    old = trigger.state
    trigger.state = state
    trigger.state_reason = reason
    trigger.state_by = by
    trigger.state_at = timezone.now()
    trigger.save(update_fields=["state", "state_reason", "state_by", "state_at"])
    work.close_items(source=trigger, by=by)
    audit.record(by, state, trigger, reason=reason,
                 summary=f"Trigger {trigger.get_state_display().lower()}",
                 changes=audit.diff({"state": old}, {"state": state}))
    return trigger


class ReasonRequired(ValueError):
    pass


@transaction.atomic
def dismiss_trigger(trigger: Trigger, *, by: User, reason: str) -> Trigger:
    """A trigger is dismissed only with a reason, kept with it."""
    if not reason.strip():
        raise ReasonRequired("Enter why you are dismissing this trigger")
    locked = Trigger.objects.select_for_update().get(pk=trigger.pk)
    return _set_state(locked, Trigger.State.DISMISSED, by=by, reason=reason.strip())


@transaction.atomic
def accept_trigger(trigger: Trigger, *, by: User, note: str = "") -> Trigger:
    """The manager will convene the meeting or make the referral."""
    locked = Trigger.objects.select_for_update().get(pk=trigger.pk)
    return _set_state(locked, Trigger.State.ACCEPTED, by=by, reason=note.strip())


def refresh_rankings(*, now: datetime | None = None) -> int:
    """For `lantern work`: rank again each kept disruption ranking older than
    MONITORING_RECOUNT_SECONDS whose user is still active in a role that ranks
    (queries.KEPT_RANKING_ROLES); forget the others'. How many were ranked."""
    now = now or timezone.now()
    older = now - timedelta(seconds=settings.MONITORING_RECOUNT_SECONDS)
    RankingSnapshot.objects.exclude(user__is_active=True,
                                    user__role__in=queries.KEPT_RANKING_ROLES).delete()
    users = User.objects.filter(pk__in=RankingSnapshot.objects.filter(ranked_at__lt=older)
                                .values("user_id")).select_related("agency__area")
    ranked = 0
    for user in users:
        queries.rank_now(user)
        ranked += 1
    return ranked


# One copy of `lantern work` at a time puts reports' areas right (a PostgreSQL advisory lock,
# held by the transaction that reads and writes them).
_REPORT_AREAS_LOCK = 18_0007


def keep_report_areas(*, since: datetime | None = None) -> dict[str, list[list[int]]]:
    """For `lantern work`: each report's `child_areas` made the areas of the children it
    concerns, adding those missing and removing those no child of it is in (of reports
    submitted `since`, or every report). The code that changes a report's children keeps
    them true; this is the backstop for what it did not (a report submitted by older code
    while a deploy ran migration intelligence.0007, or children changed some other way). A
    missing area hides the report from its police and analysts; one too many shows it to
    another area's. What was put right, as [report, area] pairs ("added", "removed"), is
    audited as the system's change: a count above none means something wrote a report's
    children without its areas. Read and written in one transaction, by one copy at a time:
    another copy doing it already, this one does nothing."""
    concerns = IntelligenceReport.children.through
    areas = IntelligenceReport.child_areas.through
    recent = {} if since is None else {"intelligencereport__submitted_at__gte": since}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_REPORT_AREAS_LOCK])
                if not cursor.fetchone()[0]:
                    return {"added": [], "removed": []}
        added = [list(pair) for pair in concerns.objects.filter(~Exists(areas.objects.filter(
            intelligencereport_id=OuterRef("intelligencereport_id"),
            area_id=OuterRef("child__area_id"))), **recent).values_list(
            "intelligencereport_id", "child__area_id").distinct().order_by(
            "intelligencereport_id", "child__area_id")]
        stale = areas.objects.filter(~Exists(concerns.objects.filter(
            intelligencereport_id=OuterRef("intelligencereport_id"),
            child__area_id=OuterRef("area_id"))), **recent)
        removed = [list(pair) for pair in stale.values_list("intelligencereport_id", "area_id")
                   .order_by("intelligencereport_id", "area_id")]
        if not (added or removed):
            return {"added": [], "removed": []}
        areas.objects.bulk_create(
            [areas(intelligencereport_id=report, area_id=area) for report, area in added],
            batch_size=5000, ignore_conflicts=True)  # a report submitted meanwhile: as new
        stale.delete()
        put_right = {"added": added, "removed": removed}
        audit.record(None, "report_areas",
                     summary="Put right the areas kept with intelligence reports",
                     changes=put_right)
    return put_right
