"""Looked-after children (issue 14, item 5; SPEC §13; seed 001, Children Looked After): a
looked-after child who goes missing is screened from the first episode; their legal status is
recorded with an audited change; their parents are told according to it; restricting their
liberty or confiscating their property waits for the manager responsible for their case; the
placement questions are a checklist."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lantern import testing
from lantern.domain import looked_after
from lantern.foundation.models import AuditEvent, ChronologyEntry, LegalStatus, WorkItem
from lantern.missing import actions, lists
from lantern.missing.models import ParentsDecision, RestrictiveMeasure
from lantern.missing.testing import make_episode
from lantern.people import actions as people
from lantern.screening import actions as screening_actions


def in_care(child, by, status=LegalStatus.CARE_ORDER):
    return people.set_looked_after(child, by=by, version=child.version, looked_after=True,
                                   legal_status=status, reason="Care order made in court")


def screening_items(child):
    return list(WorkItem.objects.filter(child=child, kind="rescreen",
                                        status=WorkItem.Status.OPEN))


# --- Screening from the first episode ---------------------------------------------------------

def test_first_episode_of_a_looked_after_child_opens_a_screening_for_the_social_worker(
        p, child):
    child = in_care(child, p.fiona)
    people.allocate(child, p.sam, by=p.fiona)
    make_episode(child, p.priya)
    [item] = screening_items(child)
    assert item.owner == p.sam
    assert item.due_at is not None and item.due_at <= timezone.now()
    assert "children in care who go missing are screened" in item.basis
    assert child.full_name not in item.title


def test_a_child_not_looked_after_waits_for_the_pattern(p, child):
    make_episode(child, p.priya)
    assert screening_items(child) == []


def test_without_a_social_worker_the_screening_waits_with_the_front_door_then_follows(
        p, child):
    child = in_care(child, p.fiona)
    make_episode(child, p.priya)
    [item] = screening_items(child)
    assert item.owner is None and item.owner_role == "front_door"
    people.allocate(child, p.sam, by=p.fiona)
    item.refresh_from_db()
    assert item.owner == p.sam


def test_a_second_episode_does_not_open_a_second_screening(p, child):
    child = in_care(child, p.fiona)
    make_episode(child, p.priya, went_missing_at=timezone.now() - timedelta(days=3))
    make_episode(child, p.priya)
    assert len(screening_items(child)) == 1


def test_a_screening_closes_it(p, child):
    child = in_care(child, p.fiona)
    people.allocate(child, p.sam, by=p.fiona)
    make_episode(child, p.priya)
    testing.make_screening(child, p.sam)
    assert screening_items(child) == []
    assert screening_actions.RESCREEN == "rescreen"


# --- Legal status -------------------------------------------------------------------------------

def test_legal_status_change_is_audited_with_old_and_new_and_the_reason(p, child):
    child = in_care(child, p.fiona, LegalStatus.SECTION_20)
    child = people.set_looked_after(child, by=p.fiona, version=child.version,
                                    looked_after=True, legal_status=LegalStatus.CARE_ORDER,
                                    reason="Interim care order granted")
    event = AuditEvent.objects.filter(child=child, action="update").latest("seq")
    assert event.changes["legal_status"] == {"old": "s20", "new": "care_order"}
    assert event.reason == "Interim care order granted"
    assert ChronologyEntry.objects.filter(child=child, title__contains="care order").exists()


def test_a_looked_after_child_needs_a_legal_status(p, child):
    with pytest.raises(people.NotLookedAfter):
        people.set_looked_after(child, by=p.fiona, version=child.version, looked_after=True,
                                legal_status="", reason="In care")


def test_a_stale_change_of_status_is_refused(p, child):
    in_care(child, p.fiona)
    with pytest.raises(people.StaleEdit):
        people.set_looked_after(child, by=p.fiona, version=child.version, looked_after=False,
                                legal_status="", reason="Went home")


# --- Telling the parents ------------------------------------------------------------------------

def test_under_section_20_only_the_manager_of_the_case_may_decide_not_to_tell(p, child):
    child = in_care(child, p.fiona, LegalStatus.SECTION_20)
    people.allocate(child, p.sam, by=p.fiona)
    with pytest.raises(actions.ManagerAgreementNeeded):
        actions.record_parents_decision(child, by=p.sam, matter="Missing overnight",
                                        told=False, reason="Father is the risk")
    decision = actions.record_parents_decision(child, by=p.maria, matter="Missing overnight",
                                               told=False, reason="Father is the risk")
    assert decision.manager_exception
    assert AuditEvent.objects.filter(child=child, action="except").exists()


def test_under_a_care_order_the_worker_records_the_justification(p, child):
    child = in_care(child, p.fiona, LegalStatus.CARE_ORDER)
    people.allocate(child, p.sam, by=p.fiona)
    with pytest.raises(actions.MissingError):
        actions.record_parents_decision(child, by=p.sam, matter="Missing overnight",
                                        told=False, reason=" ")
    decision = actions.record_parents_decision(child, by=p.sam, matter="Missing overnight",
                                               told=False, reason="Mother is the risk")
    assert not decision.manager_exception and decision.legal_status == "care_order"


def test_telling_the_parents_needs_no_manager_but_says_how(p, child):
    child = in_care(child, p.fiona, LegalStatus.SECTION_20)
    with pytest.raises(actions.MissingError):
        actions.record_parents_decision(child, by=p.fiona, matter="Missing", told=True)
    decision = actions.record_parents_decision(child, by=p.fiona, matter="Missing", told=True,
                                               how_told="Phoned mother at 10:00")
    assert decision.told and ParentsDecision.objects.count() == 1


def test_nothing_about_parents_before_the_legal_status_is_known(p, child):
    with pytest.raises(actions.MissingError):
        actions.record_parents_decision(child, by=p.fiona, matter="Missing", told=True,
                                        how_told="Phone")


# --- Restricting liberty or confiscating property ----------------------------------------------

def proposed(child, by):
    return actions.propose_measure(child, by=by, kind="confiscate_property",
                                   detail="Take the second phone", reason="Used to groom",
                                   order_in_place="Care order (interim)")


def test_a_measure_cannot_be_recorded_as_taken_without_the_managers_agreement(p, child):
    child = in_care(child, p.fiona)
    people.allocate(child, p.sam, by=p.fiona)
    measure = proposed(child, p.sam)
    with pytest.raises(actions.ManagerAgreementNeeded):
        actions.record_measure_taken(measure, by=p.sam, taken_at=timezone.now())
    measure.refresh_from_db()
    assert measure.taken_at is None


def test_only_the_manager_responsible_for_the_case_agrees(p, child):
    child = in_care(child, p.fiona)
    measure = proposed(child, p.fiona)
    # Nobody is allocated: maria manages no worker on the case.
    with pytest.raises(actions.ManagerAgreementNeeded):
        actions.decide_measure(measure, by=p.maria, agreed=True, reason="Proportionate")
    people.allocate(child, p.sam, by=p.fiona)
    with pytest.raises(actions.ManagerAgreementNeeded):
        actions.decide_measure(measure, by=p.sam, agreed=True, reason="Proportionate")
    agreed = actions.decide_measure(measure, by=p.maria, agreed=True, reason="Proportionate")
    assert agreed.decision == RestrictiveMeasure.Decision.AGREED
    taken = actions.record_measure_taken(agreed, by=p.sam, taken_at=timezone.now())
    assert taken.taken_by == p.sam
    assert ChronologyEntry.objects.filter(child=child, title__startswith="Taken, with a "
                                          "manager's agreement").exists()


def test_a_refused_measure_cannot_be_taken(p, child):
    child = in_care(child, p.fiona)
    people.allocate(child, p.sam, by=p.fiona)
    measure = actions.decide_measure(proposed(child, p.sam), by=p.maria, agreed=False,
                                     reason="No order allows it")
    with pytest.raises(actions.ManagerAgreementNeeded):
        actions.record_measure_taken(measure, by=p.sam, taken_at=timezone.now())


def test_a_measure_needs_the_order_that_allows_it(p, child):
    child = in_care(child, p.fiona)
    with pytest.raises(actions.MissingError, match="order"):
        actions.propose_measure(child, by=p.fiona, kind="restrict_liberty", detail="Curfew",
                                reason="Safety", order_in_place="")


# --- The placement questions --------------------------------------------------------------------

def test_every_placement_question_is_answered(p, child):
    child = in_care(child, p.fiona)
    codes = [q.code for q in lists.looked_after_rules().placement_questions]
    with pytest.raises(actions.MissingError):
        actions.record_placement_review(child, by=p.fiona,
                                        answers={c: "Yes" for c in codes[:-1]})
    review = actions.record_placement_review(child, by=p.fiona,
                                             answers={c: f"Answer {c}" for c in codes})
    assert set(review.answers) == set(codes)


def test_the_rules_cite_the_seed():
    rules = lists.looked_after_rules()
    assert {s.code for s in rules.legal_statuses} == set(LegalStatus.values)
    assert {q.code for q in rules.placement_questions} >= {"other_children", "remain",
                                                           "movements"}
    for entry in (*rules.legal_statuses, *rules.measures, *rules.placement_questions):
        assert entry.citation.startswith("West Midlands CSE toolkit"), entry
    assert rules.legal_status("s20").not_telling_needs_manager
    assert not rules.legal_status("care_order").not_telling_needs_manager


def test_a_misspelt_key_in_the_data_file_is_refused():
    with pytest.raises(looked_after.LookedAfterError, match="legal_statuses"):
        looked_after.parse({"legal_statuses": [{"code": "s20", "label": "x", "parents": "must",
                                                "rule": "x", "citation": "x", "typo": 1}],
                            "measures": {"agreed_by": "x", "citation": "x", "kinds": [
                                {"code": "a", "label": "b", "citation": "c"}]},
                            "placement_questions": [{"code": "a", "wording": "b",
                                                     "citation": "c"}],
                            "first_episode": {"title": "t", "basis": "b", "citation": "c"}},
                           "test")


# --- The pages ----------------------------------------------------------------------------------

def test_the_looked_after_page_shows_the_rule_for_the_legal_status(p, child, client):
    child = in_care(child, p.fiona, LegalStatus.SECTION_20)
    body = testing.sign_in_client(client, p.fiona).get(
        f"/children/{child.pk}/looked-after/").content.decode()
    assert "Under section 20 the parents must be told of all significant matters" in body
    assert "Accommodated under section 20" in body


def test_a_worker_who_is_not_the_manager_is_not_offered_the_decision(p, child, client):
    child = in_care(child, p.fiona)
    people.allocate(child, p.sam, by=p.fiona)
    measure = proposed(child, p.sam)
    as_sam = testing.sign_in_client(client, p.sam)
    body = as_sam.get(measure.get_absolute_url()).content.decode()
    assert "Record the decision" not in body and "Record as taken" not in body
    response = as_sam.post(measure.get_absolute_url(),
                           {"do": "decide", "agreed": "yes", "reason": "Fine"})
    assert response.status_code == 200
    assert "Only the team or service manager responsible for the child&#x27;s case may " \
           "agree" in response.content.decode()
    measure.refresh_from_db()
    assert measure.decision == ""


def test_recording_it_taken_before_agreement_is_a_clear_error_not_a_500(p, child, client):
    child = in_care(child, p.fiona)
    people.allocate(child, p.sam, by=p.fiona)
    measure = proposed(child, p.sam)
    now = timezone.localtime()
    response = testing.sign_in_client(client, p.sam).post(measure.get_absolute_url(), {
        "do": "taken", "taken_on_day": now.day, "taken_on_month": now.month,
        "taken_on_year": now.year, "taken_time": "00:00"})
    assert response.status_code == 200
    assert "cannot be recorded as taken until" in response.content.decode()
