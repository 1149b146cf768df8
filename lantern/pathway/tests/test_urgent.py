"""Urgent (issue 14, item 8): immediate risk in a concern, or a section 47 concern in a
screening, alerts the front door at once (home page, tray, email) and takes the urgent route;
no further action on a category 3 child needs a manager's approval with reasons."""

import pytest
from django.core import mail
from django.utils import timezone

from lantern import testing
from lantern.domain.screening import ScreeningInput, evaluate
from lantern.foundation import trays
from lantern.foundation.models import WorkItem
from lantern.pathway import actions
from lantern.pathway.models import ExitRoute, MeetingRequirement, Outcome, Pathway, Step
from lantern.screening import actions as screening_actions
from lantern.screening import registry


def _urgent_concern(p, child):
    return actions.record_concern(child, by=p.alice, observed_on=timezone.localdate(), urgent=True,
                                  narrative="She disclosed a rape last night by an adult.")


def test_an_urgent_concern_alerts_the_front_door_at_once(p):
    child = testing.make_child(p.alice)
    _urgent_concern(p, child)
    alert = WorkItem.objects.get(child=child, kind=actions.URGENT_ALERT)
    assert alert.owner_role == "front_door" and alert.status == "open"
    assert [i.pk for i in trays.urgent_alerts(p.fiona)] == [alert.pk]
    assert trays.rows(trays.tray_items(p.fiona, "mine"))[0].pk == alert.pk
    assert not trays.urgent_alerts(p.alice)


def test_an_urgent_concern_takes_the_urgent_route(p):
    child = testing.make_child(p.alice)
    _urgent_concern(p, child)
    pathway = Pathway.objects.get(child=child)
    assert pathway.urgent and pathway.section_47 and pathway.state == Step.STRATEGY_DISCUSSION
    item = pathway.steps.get(step=Step.STRATEGY_DISCUSSION).work_item
    assert item.title.endswith("with the police (section 47 enquiry)")


def test_the_front_door_is_emailed_when_email_is_configured(p, django_capture_on_commit_callbacks):
    p.fiona.email = "frontdoor@northbridge.example"
    p.fiona.save()
    child = testing.make_child(p.alice)
    with django_capture_on_commit_callbacks(execute=True):
        _urgent_concern(p, child)
    assert [m.to for m in mail.outbox] == [["frontdoor@northbridge.example"]]
    assert child.family_name not in mail.outbox[0].body


def test_the_front_door_home_page_shows_the_alert_at_the_top(p, as_user):
    child = testing.make_child(p.alice)
    _urgent_concern(p, child)
    body = as_user(p.fiona).get("/").content.decode()
    assert body.index('id="urgent-alerts"') < body.index("Your work</h1>")
    assert child.full_name in body


def test_a_screening_recording_a_section_47_enquiry_alerts_the_front_door(p):
    child = testing.make_child(p.alice)
    given = ScreeningInput(age=child.age().years, indicators=frozenset({"wm2.vehicles"}),
                           s47_cse=True, screener_role="social_worker")
    suggestion = evaluate(registry.get("wm"), given)
    screening_actions.record_screening(child, by=p.sam, given=given, suggestion=suggestion,
                                       final_category=3, analysis="Section 47 enquiry open.")
    assert WorkItem.objects.filter(child=child, kind=actions.URGENT_ALERT).exists()
    assert Pathway.objects.get(child=child).urgent


def test_a_decision_by_the_front_door_answers_the_alert(p):
    child = testing.make_child(p.alice)
    _urgent_concern(p, child)
    referral = testing.make_referral(child, p.alice)
    actions.decide_referral(referral, Outcome.SECTION_47, by=p.fiona, rationale="s47 now.")
    assert not WorkItem.objects.filter(child=child, kind=actions.URGENT_ALERT,
                                       status="open").exists()


def _category_3(p, child):
    testing.make_screening(child, p.sam, indicators=("wm3.rape",),
                           final_category=3, rationale="Entrenched: coerced into selling sex.")


def test_no_further_action_at_category_3_needs_a_manager(p, child):
    _category_3(p, child)
    referral = testing.make_referral(child, p.alice)
    with pytest.raises(actions.ManagerApprovalNeeded, match="needs a manager's approval"):
        actions.decide_referral(referral, Outcome.NO_FURTHER_ACTION, by=p.fiona,
                                rationale="Not CSE.")
    # The MASE category 3 calls for is excepted first (item 1), then the manager decides.
    actions.record_meeting_exception(MeetingRequirement.objects.get(child=child), by=p.maria,
                                     reason="The adult was her brother; no exploitation.")
    actions.decide_referral(referral, Outcome.NO_FURTHER_ACTION, by=p.maria,
                            rationale="Police found the adult was her brother; no exploitation.")
    assert Pathway.objects.get(child=child).exit_route == ExitRoute.CLOSE


def test_closing_a_category_3_pathway_needs_a_manager(p, child):
    _category_3(p, child)
    referral = testing.make_referral(child, p.alice)
    actions.decide_referral(referral, Outcome.ASSESSMENT, by=p.fiona, rationale="Assess.")
    with pytest.raises(actions.ManagerApprovalNeeded):
        actions.exit_pathway(child, route=ExitRoute.CLOSE, reason="Done.", by=p.sam)


def test_the_decision_page_says_a_manager_must_decide(p, child, as_user):
    _category_3(p, child)
    referral = testing.make_referral(child, p.alice)
    response = as_user(p.fiona).post(referral.get_absolute_url(), {
        "outcome": "nfa", "rationale": "Not CSE."})
    assert response.status_code == 200
    body = response.content.decode()
    assert "needs a manager&#x27;s approval" in body and "Not CSE." in body


def test_the_home_page_draws_its_urgent_alerts_from_their_one_query(p, django_assert_num_queries):
    # urgent_alerts reads only the columns the home page draws (trays.URGENT_FIELDS): drawing
    # an alert asks nothing more of the database.
    child = testing.make_child(p.alice)
    _urgent_concern(p, child)
    trays.urgent_alerts(p.fiona)
    with django_assert_num_queries(1):
        alerts = trays.urgent_alerts(p.fiona)
        drawn = [(a.child.full_name, a.child_id, a.title, a.url, a.opened_at, a.basis,
                  a.kind_label, a.owner_label) for a in alerts]
    assert drawn[0][0] == child.full_name and drawn[0][3]
