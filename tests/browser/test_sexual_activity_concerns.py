"""The Bichard questions in the browser, axe-checked (SPEC §3.3; seed 000 appendix 2)."""

import pytest
from playwright.sync_api import expect

from lantern import testing
from lantern.screening import bichard
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_recording_concerns_about_sexual_activity_leads_to_the_referral(checked_page):
    p = testing.build_partnership()
    child = testing.make_child(p.alice, given_names="Maya", family_name="Orchard")
    page = checked_page.page
    sign_in(checked_page, "alice")
    checked_page.goto(f"/children/{child.pk}/")
    page.click("text=Record concerns about sexual activity")
    checked_page.axe()
    page.click("button:has-text('Save assessment')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Answer:")
    checked_page.axe()
    for question in bichard.load().questions:
        if question.answer == "yes_no":
            page.check(f"input[name=q_{question.code}][value=not_known]")
    page.check("input[name=q_imbalance][value=yes]")
    page.fill("#id_other_person_age", "26")
    page.fill("#id_discussed_with", "Dev Sandhu, designated safeguarding lead")
    page.check("input[name=refer_to_social_care][value=yes]")
    page.fill("#id_reasons", "An adult of 26 with a 14-year-old: an imbalance of age and power.")
    page.check("input[name=consent][value=given]")
    page.click("button:has-text('Save assessment')")
    expect(page.get_by_role("heading", name="Refer to the front door")).to_be_visible()
    checked_page.axe()
