"""The pathway page: each step with its due and actual dates, the area's timescales, and the
next step recorded by those who may change the child's record."""

from datetime import timedelta

from django.utils import timezone
from django.utils.html import escape

from lantern import testing
from lantern.pathway import actions
from lantern.pathway.models import MeetingRequirement, Outcome, Pathway, Step


def _assessing(p, child):
    referral = testing.make_referral(child, p.alice)
    actions.decide_referral(referral, Outcome.STRATEGY_DISCUSSION, by=p.fiona,
                            rationale="Share what is known.")
    return referral


def test_the_page_shows_steps_timescales_and_chairs(p, child, as_user):
    _assessing(p, child)
    body = as_user(p.fiona).get(f"/children/{child.pk}/pathway/").content.decode()
    for text in ("Concern", "Referral", "Front-door decision", "Strategy discussion",
                 "MASE meeting", "Within 15 working days", "CSE team manager",
                 "procedure sets no timescale: when it is"):
        assert text in body, text


def test_the_next_step_is_recorded(p, child, as_user):
    _assessing(p, child)
    response = as_user(p.maria).post(f"/children/{child.pk}/pathway/", {
        "to": "meeting", "note": "A MASE will bring everyone's information together.",
    })
    assert response.status_code == 302
    assert Pathway.objects.get(child=child).state == Step.MEETING


def test_a_plan_without_a_review_date_is_sent_back_with_the_error(p, child, as_user):
    _assessing(p, child)
    response = as_user(p.maria).post(f"/children/{child.pk}/pathway/", {
        "to": "plan", "note": "Plan agreed.",
    })
    assert response.status_code == 200
    assert "Enter the review date" in response.content.decode()


def test_an_exit_needs_a_route(p, child, as_user):
    _assessing(p, child)
    body = as_user(p.maria).post(f"/children/{child.pk}/pathway/", {
        "to": "exit", "note": "No longer at risk.",
    }).content.decode()
    assert "Select where the child&#x27;s pathway goes next" in body


def test_an_exit_with_its_route_and_reason(p, child, as_user):
    _assessing(p, child)
    as_user(p.maria).post(f"/children/{child.pk}/pathway/", {
        "to": "exit", "note": "Support continues through the team around the child.",
        "exit_route": "team_around_child",
    })
    assert Pathway.objects.get(child=child).exit_route == "team_around_child"


def test_the_review_date_sets_the_plans_deadline(p, child, as_user):
    _assessing(p, child)
    review_on = timezone.localdate() + timedelta(days=30)
    as_user(p.maria).post(f"/children/{child.pk}/pathway/", {
        "to": "plan", "note": "Plan agreed.", "review_on_day": review_on.day,
        "review_on_month": review_on.month, "review_on_year": review_on.year,
    })
    body = as_user(p.maria).get(f"/children/{child.pk}/").content.decode()
    assert f"{review_on:%-d %b %Y}" in body


def test_the_urgent_route(p, child, as_user):
    response = as_user(p.maria).post(f"/children/{child.pk}/pathway/urgent/",
                                     {"reason": "Child found with adults known to police."})
    assert response.status_code == 302
    pathway = Pathway.objects.get(child=child)
    assert pathway.section_47 and pathway.state == Step.STRATEGY_DISCUSSION


def test_the_urgent_route_needs_a_reason(p, child, as_user):
    body = as_user(p.maria).post(f"/children/{child.pk}/pathway/urgent/",
                                 {"reason": ""}).content.decode()
    assert "Enter why the child needs the urgent route" in body


def test_someone_who_may_only_read_cannot_move_the_pathway(p, child, as_user):
    _assessing(p, child)
    client = as_user(p.alice)  # her school recorded the concern: she sees, cannot change
    page = client.get(f"/children/{child.pk}/pathway/").content.decode()
    assert "Record the next step" not in page
    assert client.post(f"/children/{child.pk}/pathway/",
                       {"to": "meeting", "note": "x"}).status_code == 403
    assert client.post(f"/children/{child.pk}/pathway/urgent/",
                       {"reason": "x"}).status_code == 403


def test_outsiders_get_404(p, child, as_user):
    assert as_user(p.carol).get(f"/children/{child.pk}/pathway/").status_code == 404
    assert as_user(p.eve).post(f"/children/{child.pk}/pathway/urgent/",
                               {"reason": "x"}).status_code == 404


def test_the_police_referral_decision_is_recorded_on_the_referral(p, as_user):
    actions.adopt_profile(p.north, "stockport", by=p.ade)
    child = testing.make_child(p.alice)
    referral = testing.make_referral(child, p.alice)
    client = as_user(p.fiona)
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Will you refer to the police?" in page
    empty = client.post(f"/referrals/{referral.pk}/police-decision/", {})
    assert "Enter the reasons for your decision" in empty.content.decode()
    done = client.post(f"/referrals/{referral.pk}/police-decision/",
                       {"refer_to_police": "yes", "reasons": "Offences against the child."})
    assert done.status_code == 302
    assert "Will you refer" not in client.get(f"/referrals/{referral.pk}/").content.decode()
    assert as_user(p.alice).post(f"/referrals/{referral.pk}/police-decision/",
                                 {"refer_to_police": "no", "reasons": "x"}).status_code == 403


def _required(p, child):
    testing.make_screening(child, p.alice, indicators=("wm2.vehicles",))  # category 2: MASE
    _assessing(p, child)
    return MeetingRequirement.objects.get(child=child)


def test_the_page_lists_the_required_meeting_with_its_deadline(p, child, as_user):
    _required(p, child)
    body = as_user(p.fiona).get(f"/children/{child.pk}/pathway/").content.decode()
    assert "Meetings the child's category calls for" in body
    assert "To be held" in body and "15 working days" in body


def test_a_manager_records_an_exception_on_the_page(p, child, as_user):
    requirement = _required(p, child)
    response = as_user(p.maria).post(
        f"/children/{child.pk}/pathway/required/{requirement.pk}/exception/",
        {"reason": "Her needs were met at the strategy discussion."})
    assert response.status_code == 302
    requirement.refresh_from_db()
    assert requirement.exception_reason == "Her needs were met at the strategy discussion."
    record = as_user(p.fiona).get(f"/children/{child.pk}/").content.decode()
    assert "Exception" in record and "met at the strategy discussion" in record


def test_an_exception_without_a_reason_gets_the_govuk_error(p, child, as_user):
    requirement = _required(p, child)
    response = as_user(p.maria).post(
        f"/children/{child.pk}/pathway/required/{requirement.pk}/exception/", {"reason": ""})
    assert response.status_code == 200
    assert "Enter why the meeting will not be held" in response.content.decode()
    assert MeetingRequirement.objects.get(pk=requirement.pk).outstanding


def test_the_front_door_sees_no_exception_form_and_cannot_post_one(p, child, as_user):
    requirement = _required(p, child)
    body = as_user(p.fiona).get(f"/children/{child.pk}/pathway/").content.decode()
    assert "Record an exception" not in body
    response = as_user(p.fiona).post(
        f"/children/{child.pk}/pathway/required/{requirement.pk}/exception/",
        {"reason": "Not needed."})
    assert response.status_code == 403


def test_the_page_lists_the_meetings_each_category_calls_for(p, child, as_user):
    body = as_user(p.fiona).get(f"/children/{child.pk}/pathway/").content.decode()
    assert "Meetings each category calls for" in body
    assert ("WM categories 2 and 3: MASE meeting (new referral) (West Midlands CSE toolkit, "
            "Figure 2") in body


def test_a_required_meeting_s_work_is_shown_once_with_its_requirement(p, child, as_user):
    # Issue 14: the work a required meeting opens was listed under the requirement and again
    # under "Other work due".
    testing.make_screening(child, p.alice, indicators=("wm2.vehicles",))  # category 2: a MASE
    item = MeetingRequirement.objects.get(child=child).work_item
    body = as_user(p.maria).get(f"/children/{child.pk}/pathway/").content.decode()
    assert body.count(escape(item.basis)) == 1


def test_the_pages_headings_go_down_one_level_at_a_time(p, child, as_user):
    import re

    _required(p, child)
    body = as_user(p.fiona).get(f"/children/{child.pk}/pathway/").content.decode()
    main = body[body.index('<main'):body.index('</main>')]
    levels = [int(n) for n in re.findall(r"<h([1-6])[\s>]", main)]
    assert levels[0] == 1 and 3 in levels
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
