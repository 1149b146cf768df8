"""Issue 14, item 2, end to end: a CSE team manager convenes a MASE chaired by a social worker,
which the Coventry procedure does not name to chair it. Lantern asks why; once given, the
meeting waits for another manager's acceptance before it can be held, and the acceptance is
shown on the meeting and in the child's chronology. An allocated social worker convenes a MASE
the same way (seed 001, Figure 4): with a reason a manager accepts. axe runs on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lantern import testing
from lantern.foundation.models import Role
from lantern.meetings.models import Meeting
from lantern.meetings.tests.helpers import refer_and_decide
from lantern.people import actions as people_actions
from tests.browser.conftest import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_chair_the_procedure_does_not_name_waits_for_a_manager(checked_page):
    p = testing.build_partnership()
    testing.UserFactory.create(username="nadia", role=Role.CSE_MANAGER, agency=p.north_csc)
    child = testing.make_child(p.alice, given_names="Kayla", family_name="Morrow")
    testing.make_concern(child, p.alice)
    refer_and_decide(p, child)
    page = checked_page.page
    day = timezone.localdate() + timedelta(days=3)

    sign_in(checked_page, "maria")
    checked_page.goto(f"/children/{child.pk}/meetings/new/?kind=mase_initial")
    page.fill("#id_scheduled_on_day", str(day.day))
    page.fill("#id_scheduled_on_month", str(day.month))
    page.fill("#id_scheduled_on_year", str(day.year))
    page.fill("#id_scheduled_time", "10:00")
    page.check("input[name=format][value=in_person]")
    page.select_option("#id_chair", str(p.sam.pk))
    page.click("button:has-text('Convene the meeting')")
    # No reason: the page says who chairs it and asks why, keeping what was typed.
    expect(page.locator(".govuk-error-summary")).to_contain_text("chaired by: CSE team manager")
    expect(page.locator("#id_scheduled_time")).to_have_value("10:00")
    checked_page.axe()
    page.fill("#id_chair_reason", "Maria is on leave that week; Sam knows Kayla best.")
    page.click("button:has-text('Convene the meeting')")
    expect(page.locator(".govuk-notification-banner").first).to_contain_text("convened")
    expect(page.locator("main")).to_contain_text("Awaiting a manager's acceptance")
    expect(page.locator("main")).to_contain_text("A manager accepts Sam Tester as chair")
    checked_page.axe()
    meeting = Meeting.objects.get()
    sign_out(checked_page)

    # Another CSE team manager accepts the chair from the meeting's page.
    sign_in(checked_page, "nadia")
    checked_page.goto(meeting.get_absolute_url())
    expect(page.get_by_role("heading", name="Accept the chair")).to_be_visible()
    page.click("button:has-text('Record your decision')")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select yes if you accept them as chair")
    checked_page.axe()
    page.check("input[name=accept][value=yes]")
    page.click("button:has-text('Record your decision')")
    expect(page.locator(".govuk-notification-banner").first).to_contain_text(
        "The chair is accepted")
    expect(page.locator("main")).to_contain_text("Accepted by a manager")
    expect(page.get_by_role("heading", name="Accept the chair")).to_have_count(0)
    checked_page.axe()
    meeting.refresh_from_db()
    assert meeting.chair_acceptance == "accepted"

    # The child's record shows it in the chronology.
    checked_page.goto(f"/children/{child.pk}/")
    expect(page.locator(".moj-timeline")).to_contain_text(
        "a manager accepted Sam Tester as chair")
    checked_page.axe()


def test_an_allocated_social_worker_convenes_a_mase_with_a_reason_a_manager_accepts(
        checked_page):
    p = testing.build_partnership()
    child = testing.make_child(p.alice, given_names="Kayla", family_name="Morrow")
    testing.make_concern(child, p.alice)
    refer_and_decide(p, child)
    people_actions.allocate(child, p.sam, by=p.fiona)
    page = checked_page.page
    day = timezone.localdate() + timedelta(days=3)

    sign_in(checked_page, "sam")
    checked_page.goto(f"/children/{child.pk}/meetings/new/?kind=mase_initial")
    page.fill("#id_scheduled_on_day", str(day.day))
    page.fill("#id_scheduled_on_month", str(day.month))
    page.fill("#id_scheduled_on_year", str(day.year))
    page.fill("#id_scheduled_time", "10:00")
    page.check("input[name=format][value=in_person]")
    page.select_option("#id_chair", str(p.maria.pk))
    page.click("button:has-text('Convene the meeting')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why you convene it")
    expect(page.locator("#id_scheduled_time")).to_have_value("10:00")
    checked_page.axe()
    page.fill("#id_convenor_reason", "Kayla is open to us: her social worker convenes.")
    page.click("button:has-text('Convene the meeting')")
    expect(page.locator(".govuk-notification-banner").first).to_contain_text("convened")
    expect(page.locator("main")).to_contain_text("A manager accepts Sam Tester as convenor")
    meeting = Meeting.objects.get()
    sign_out(checked_page)

    sign_in(checked_page, "maria")
    checked_page.goto(meeting.get_absolute_url())
    expect(page.get_by_role("heading", name="Accept the convenor")).to_be_visible()
    checked_page.axe()
    page.locator("#convenor ~ form input[name=accept][value=yes]").check()
    page.locator("form[action$='/convenor/'] button:has-text('Record your decision')").click()
    expect(page.locator(".govuk-notification-banner").first).to_contain_text(
        "The convenor is accepted")
    expect(page.get_by_role("heading", name="Accept the convenor")).to_have_count(0)
    checked_page.axe()
    meeting.refresh_from_db()
    assert meeting.convenor_acceptance == "accepted" and meeting.convenor_decided_by == p.maria
