"""Issue 14, end to end: every "must" enforced, owned by someone and on a clock. A required
meeting holds the pathway until a manager's exception (item 1); a meeting is recorded as held
only after it starts, with attendance, and absent police acknowledged (item 3); the front
door's allocation moves the strategy discussion and re-screen to the social worker (item 7);
an urgent concern reaches the front door at once (item 8); adult safeguarding is told of a
young person aged 18 or over at risk (item 10). axe runs on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lantern import testing
from lantern.meetings import actions as meeting_actions
from lantern.meetings.models import Attendance, Meeting
from lantern.meetings.tests import helpers as meeting_helpers
from lantern.pathway import actions
from lantern.pathway.models import AdultReferral, MeetingRequirement, Outcome
from tests.browser.conftest import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _category_2_child(p):
    child = testing.make_child(p.alice, given_names="Kayla", family_name="Morrow")
    testing.make_concern(child, p.alice)
    testing.make_screening(child, p.alice, indicators=("wm2.vehicles",))  # category 2
    return child


def test_a_required_meeting_holds_the_plan_until_a_manager_records_an_exception(checked_page):
    p = testing.build_partnership()
    child = _category_2_child(p)
    actions.decide_referral(testing.make_referral(child, p.alice), Outcome.STRATEGY_DISCUSSION,
                            by=p.fiona, rationale="Adults are targeting her.")
    requirement = MeetingRequirement.objects.get(child=child)
    page = checked_page.page
    sign_in(checked_page, "maria")
    checked_page.goto(f"/children/{child.pk}/pathway/")
    required = page.locator(f"#required-{requirement.pk}")
    expect(required).to_contain_text("MASE meeting (new referral)")
    expect(required).to_contain_text("To be held")

    page.check("input[name=to][value=plan]")
    page.fill("#id_note", "Safety plan agreed with her mother.")
    review = timezone.localdate() + timedelta(days=28)
    page.fill("#id_review_on_day", str(review.day))
    page.fill("#id_review_on_month", str(review.month))
    page.fill("#id_review_on_year", str(review.year))
    page.click("button:has-text('Record the next step')")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Hold the required meeting (MASE meeting (new referral)) before a plan is agreed")
    expect(page.locator("#id_note")).to_have_value("Safety plan agreed with her mother.")
    checked_page.axe()

    page.fill(f"#id_reason_{requirement.pk}", "Her sister's MASE covered the same adults.")
    page.click(f"#required-{requirement.pk} button:has-text('Record an exception')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Exception recorded")
    expect(page.locator(f"#required-{requirement.pk}")).to_contain_text("Exception")
    checked_page.axe()
    requirement.refresh_from_db()
    assert requirement.excepted_by == p.maria


def test_a_meeting_is_held_only_after_it_starts_and_absent_police_are_acknowledged(
        checked_page):
    p = testing.build_partnership()
    child = _category_2_child(p)
    meeting_helpers.refer_and_decide(p, child)
    meeting = meeting_helpers.convene(p, [child])
    meeting_helpers.fill_record(p, meeting, child)
    meeting_actions.record_attendance(meeting, {
        i.pk: Attendance.ABSENT if i.agency_kind == "police" else Attendance.ATTENDED
        for i in meeting.invitations.all()}, by=p.maria)
    page = checked_page.page
    sign_in(checked_page, "maria")
    checked_page.goto(meeting.get_absolute_url())
    page.check("#id_absence_acknowledged")
    page.click("button:has-text('Record the meeting as held')")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "cannot be recorded as held before it starts")
    expect(page.locator("#id_absence_acknowledged")).to_be_checked()  # the form is kept
    checked_page.axe()

    # The meeting has now started.
    Meeting.objects.filter(pk=meeting.pk).update(
        scheduled_for=timezone.now() - timedelta(hours=1))
    checked_page.goto(meeting.get_absolute_url())
    page.click("button:has-text('Record the meeting as held')")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Confirm that you understand the meeting was held without them")
    checked_page.axe()
    page.check("#id_absence_acknowledged")
    page.click("button:has-text('Record the meeting as held')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("recorded as held")
    checked_page.axe()
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.HELD


def test_the_front_door_allocates_and_the_work_moves_to_the_social_worker(checked_page):
    p = testing.build_partnership()
    child = _category_2_child(p)  # the teacher's screening: a re-screen for a social worker
    referral = testing.make_referral(child, p.alice)
    page = checked_page.page
    sign_in(checked_page, "fiona")
    checked_page.goto(referral.get_absolute_url())
    page.check("input[name=outcome][value=strategy_discussion]")
    page.fill("#id_rationale", "Adults are targeting her: a strategy discussion is needed.")
    page.select_option("#id_allocate_to", str(p.sam.pk))
    page.click("button:has-text('Record decision')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Decision recorded")
    sign_out(checked_page)

    sign_in(checked_page, "sam")
    checked_page.goto("/work/")
    table = page.locator("main table")
    expect(table).to_contain_text("Re-screen Kayla Morrow")
    expect(table).to_contain_text("Hold the strategy discussion")
    expect(table).to_contain_text("When judged right")
    expect(table).to_contain_text("judgement of children's social care with the police")
    expect(page.locator("main")).not_to_contain_text("No timescale")


def test_an_urgent_concern_reaches_the_front_door_at_once(checked_page):
    p = testing.build_partnership()
    child = testing.make_child(p.alice, given_names="Leah", family_name="Brook")
    page = checked_page.page
    sign_in(checked_page, "alice")
    checked_page.goto(f"/children/{child.pk}/concerns/new/")
    today = timezone.localdate()
    page.fill("#id_observed_on_day", str(today.day))
    page.fill("#id_observed_on_month", str(today.month))
    page.fill("#id_observed_on_year", str(today.year))
    page.fill("#id_narrative", "She told me an adult raped her last night.")
    page.check("#id_urgent_0")
    page.click("button:has-text('Save concern')")
    expect(page.locator("main h1")).to_be_visible()
    sign_out(checked_page)

    sign_in(checked_page, "fiona")
    alert = page.locator("#urgent-alerts")
    expect(alert).to_contain_text("Urgent: immediate risk")
    expect(alert).to_contain_text("Leah Brook")
    checked_page.axe()
    checked_page.goto("/work/")
    expect(page.locator("main table tbody tr").first).to_contain_text("Urgent")
    checked_page.goto(f"/children/{child.pk}/pathway/")
    expect(page.locator("main")).to_contain_text("Urgent route: section 47")


def test_adult_safeguarding_is_told_of_a_young_person_aged_19_at_risk(checked_page):
    p = testing.build_partnership()
    child = testing.make_child(p.alice, given_names="Kim", family_name="Hollis",
                               care_leaver=True, learning_disability=True,
                               date_of_birth=testing.birthday_years_ago(19, days_after=40))
    testing.make_screening(child, p.alice, indicators=("wm2.vehicles",))  # category 2
    adult = AdultReferral.objects.get(child=child)
    page = checked_page.page
    sign_in(checked_page, "fiona")
    checked_page.goto("/work/")
    expect(page.locator("main table")).to_contain_text("Tell adult safeguarding")
    checked_page.goto(f"/children/{child.pk}/pathway/")
    row = page.locator(f"#adult-referral-{adult.pk}")
    expect(row).to_contain_text("Adult safeguarding (Care Act 2014)")
    expect(row).to_contain_text("To do")
    expect(row).to_contain_text("judgement of the allocated social worker")

    prefix = f"#id_adult-{adult.pk}"
    page.fill(f"{prefix}-referred_to", "Northbridge adult safeguarding hub")
    row.locator("button:has-text('Record that adult safeguarding was told')").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the date adult safeguarding was told")
    expect(page.locator(f"{prefix}-referred_to")).to_have_value(
        "Northbridge adult safeguarding hub")
    checked_page.axe()

    today = timezone.localdate()
    page.fill(f"{prefix}-referred_on_day", str(today.day))
    page.fill(f"{prefix}-referred_on_month", str(today.month))
    page.fill(f"{prefix}-referred_on_year", str(today.year))
    page.fill(f"{prefix}-reference", "AS-4471")
    page.locator(f"#adult-referral-{adult.pk} button:has-text('Record that adult "
                 "safeguarding was told')").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "adult safeguarding has been told")
    expect(page.locator(f"#adult-referral-{adult.pk}")).to_contain_text("AS-4471")
    checked_page.axe()
    adult.refresh_from_db()
    assert adult.recorded_by == p.fiona and adult.reference == "AS-4471"
