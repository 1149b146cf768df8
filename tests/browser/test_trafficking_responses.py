"""Issue 14, item 6, end to end: a child whose screening records that she may have been
trafficked cannot leave the pathway until the National Referral Mechanism decides, or a manager
records an exception; the referral itself is recorded on the pathway page. axe runs on every
page."""

import pytest
from playwright.sync_api import expect

from lantern import testing
from lantern.pathway import actions, queries
from lantern.pathway.models import MeetingRequirement, TrackedResponse
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _try_to_exit(page) -> None:
    page.check("input[name=to][value=exit]")
    page.fill("#id_note", "Child protection plan agreed at conference.")
    page.check("input[name=exit_route][value=child_protection]")
    page.click("button:has-text('Record the next step')")


def test_exit_is_refused_until_the_nrm_decides_or_a_manager_records_an_exception(checked_page):
    p = testing.build_partnership()
    child = testing.make_child(p.alice, given_names="Mira", family_name="Ostrova")
    testing.make_concern(child, p.alice)
    testing.make_screening(child, p.alice, indicators=("wm3.trafficked",))
    actions.record_meeting_exception(MeetingRequirement.objects.get(child=child), by=p.maria,
                                     reason="Her brother's MASE this week covered the adults.")
    nrm = TrackedResponse.objects.get(child=child, code="nrm_referral")
    page = checked_page.page
    sign_in(checked_page, "maria")
    checked_page.goto(f"/children/{child.pk}/pathway/")
    row = page.locator(f"#response-{nrm.pk}")
    expect(row).to_contain_text("Refer the child to the National Referral Mechanism")
    expect(row).to_contain_text("May have been trafficked")
    expect(row).to_contain_text("Any CSE team manager in the area")

    _try_to_exit(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Record the decision on the child's referral to the National Referral Mechanism "
        "before the pathway ends")
    expect(page.locator("#id_note")).to_have_value("Child protection plan agreed at conference.")
    checked_page.axe()

    page.check(f"input[name='response-{nrm.pk}-outcome'][value=referred]")
    page.fill(f"#id_response-{nrm.pk}-note", "Referred through the NRM portal, reference 4471.")
    page.click(f"#response-{nrm.pk} button:has-text('Record what was done')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Recorded")
    expect(page.locator(f"#response-{nrm.pk}")).to_contain_text(
        "Record the National Referral Mechanism's decision")
    checked_page.axe()

    _try_to_exit(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("National Referral Mechanism")

    page.fill(f"#id_response-exception-{nrm.pk}-reason",
              "She is moving to her aunt in Scotland; their authority takes the NRM case on.")
    page.click(f"#response-{nrm.pk} button:has-text('Record an exception')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Exception recorded")
    expect(page.locator(f"#response-{nrm.pk}")).to_contain_text(
        "The pathway may end before the decision")
    checked_page.axe()

    _try_to_exit(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("pathway is updated")
    checked_page.axe()
    assert queries.open_pathway(child) is None
