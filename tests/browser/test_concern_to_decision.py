"""The foundation journey (issue 2): a teacher finds or adds a child, records a concern,
screens, refers; the front door sees the referral with its deadline and decides; the child's
record shows it all as a chronology. axe runs on every page."""

import re

import pytest
from playwright.sync_api import expect

from lantern import testing
from tests.browser.conftest import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_concern_walks_to_a_front_door_decision(checked_page):
    testing.build_partnership()
    page = checked_page.page

    # The teacher looks for the child from her home page and does not find her.
    sign_in(checked_page, "alice")
    page.fill("#id_name", "Kayla Morrow")
    page.click("button:has-text('Find the child')")
    expect(page.get_by_role("heading", name="No children found")).to_be_visible()
    checked_page.axe()

    # So she adds her, with the name she searched for already typed; a first attempt with
    # the last name taken out shows GOV.UK errors.
    page.click("#add-searched-child")
    checked_page.axe()
    expect(page.locator("#id_given_names")).to_have_value("Kayla")
    page.fill("#id_family_name", "")
    page.fill("#id_date_of_birth_day", "14")
    page.fill("#id_date_of_birth_month", "2")
    page.fill("#id_date_of_birth_year", "2012")
    page.check("input[name=gender][value=female]")
    page.click("button:has-text('Add child')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the child's last name")
    expect(page.locator("#id_date_of_birth_year")).to_have_value("2012")
    checked_page.axe()
    page.fill("#id_family_name", "Morrow")
    page.click("button:has-text('Add child')")

    # She set out to record a concern, so that is the page she is taken to.
    expect(page.get_by_role("heading", name="Record a concern")).to_be_visible()
    expect(page.locator(".govuk-caption-l")).to_have_text("Kayla Morrow")
    checked_page.axe()
    page.fill("#id_observed_on_day", "2")
    page.fill("#id_observed_on_month", "11")
    page.fill("#id_observed_on_year", "2026")
    page.fill("#id_narrative", "Seen getting into a silver car with two adult men.")
    page.check("#id_urgent_1")
    page.click("button:has-text('Save concern')")

    # She screens: the suggestion updates live and explains itself.
    expect(page.get_by_role("heading", name=re.compile("Screen for risk"))).to_be_visible()
    checked_page.axe()
    page.check("#ind-wm2\\.vehicles")
    expect(page.locator("#suggested-category")).to_have_text("Category 2")
    expect(page.locator("#suggestion")).to_contain_text("Refer the child to children's social care")
    checked_page.axe()
    page.fill("#id_analysis", "Adults are offering lifts to build control over her.")
    page.check("input[name=final_category][value='2']")
    page.click("button:has-text('Save screening')")
    expect(page.get_by_role("heading", name=re.compile("Screening: category 2"))).to_be_visible()
    checked_page.axe()

    # And refers her to the front door.
    page.click("text=Refer to the front door")
    checked_page.axe()
    page.fill("#id_reason", "Screened at category 2; adults are targeting her.")
    page.check("#id_urgent_1")
    page.check("input[name=consent][value=not_sought]")
    page.fill("#id_consent_detail", "Asking her mother could alert the adults involved.")
    page.click("button:has-text('Send referral')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Referral sent")
    checked_page.axe()
    sign_out(checked_page)

    # The front door sees it in the tray with its 24-hour deadline, and decides.
    sign_in(checked_page, "fiona")
    page.click("a.govuk-service-navigation__link:has-text('Referrals')")
    checked_page.axe()
    row = page.locator("tr", has_text="Kayla Morrow")
    expect(row).to_contain_text("Due in 24 hours")
    row.get_by_role("link", name="Kayla Morrow").click()
    checked_page.axe()
    page.check("input[name=outcome][value=assessment]")
    page.fill("#id_rationale", "Category 2 with adults targeting her: assessment needed.")
    page.click("button:has-text('Record decision')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Decision recorded")
    checked_page.axe()

    # The child's record tells the story as a chronology.
    page.click("a.govuk-service-navigation__link:has-text('Children')")
    page.fill("#id_name", "Kaila Moro")
    page.click("button:has-text('Search')")
    page.click("text=Kayla Morrow")
    timeline = page.locator(".moj-timeline")
    for title in ["Record created in Lantern", "Concern recorded by Riverside Academy",
                  "Screened: category 2", "Referred to the front door by Riverside Academy",
                  "Front door decision: Assessment"]:
        expect(timeline).to_contain_text(title)
    checked_page.axe()
    assert len(checked_page.checked) >= 19


def test_the_axe_check_fails_on_a_real_violation(checked_page, db):
    """Guards the guard: an image without a text alternative must fail the check."""
    checked_page.goto("/sign-in/")
    checked_page.page.evaluate(
        "() => document.querySelector('main').appendChild(document.createElement('img'))"
    )
    with pytest.raises(AssertionError, match="image-alt"):
        checked_page.axe()
