"""The monitoring data set in the browser as a board member (issue 17): small numbers shown as
"fewer than 5" with a second figure withheld, each chart an image with its table, the filters,
the CSV download and the CSE leads directory; an analyst reading the places and networks without
a name; and the tasking chair (a CSE team manager)
recording a tasking meeting's decision with an action. axe runs on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lantern import testing
from lantern.pathway.models import Concern
from lantern.screening.models import Screening
from tests.browser.conftest import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_the_data_set(checked_page, username: str) -> None:
    sign_in(checked_page, username)
    checked_page.page.get_by_role("link", name="The monitoring data set").click()
    expect(checked_page.page.get_by_role("heading", name="Monitoring data set")).to_be_visible()
    checked_page.axe()


def _section(page, heading: str):
    return page.locator("section", has=page.get_by_role("heading", name=heading))


def test_a_board_member_reads_the_data_set_with_small_numbers_suppressed(checked_page):
    p = testing.build_partnership()
    for i in range(6):
        child = testing.make_child(p.alice, given_names=f"Riverside{i}", gender="female")
        testing.make_screening(child, p.alice)
        testing.make_referral(child, p.alice)
    for i in range(2):
        child = testing.make_child(p.bob, given_names=f"Hillcrest{i}", gender="male")
        testing.make_referral(child, p.bob)
    page = checked_page.page

    _open_the_data_set(checked_page, "bea")
    referrals = _section(page, "Referrals by the agency that made them")
    expect(referrals.get_by_role("img", name="Referrals by the agency that made them"))\
        .to_be_visible()
    expect(referrals.locator("table")).to_contain_text("fewer than 5")
    expect(referrals.locator("table")).to_contain_text("withheld")
    expect(referrals.locator("table")).to_contain_text("8")
    expect(page.locator("main")).not_to_contain_text("Riverside0")

    page.get_by_text("Filter the figures").click()
    page.select_option("#id_gender", "female")
    page.click("button:has-text('Apply filters')")
    checked_page.axe()
    # 6 of the 8 referrals were girls': shown beside the unfiltered total, that would give away
    # the 2 who were not, so the filtered count is withheld (suppression across filters).
    expect(referrals.locator("table tbody tr").first).to_contain_text("withheld")
    expect(referrals.locator("table")).not_to_contain_text("6")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download these figures (CSV)").click()
    assert download.value.suggested_filename == "lantern-data-set.csv"

    page.get_by_role("link", name="Completeness of children's records").click()
    expect(page.get_by_role("heading", name="Completeness of children's records: Northbridge"))\
        .to_be_visible()
    checked_page.axe()
    page.get_by_role("link", name="Monitoring data set").click()
    page.get_by_role("link", name="CSE leads").first.click()
    expect(page.get_by_role("heading", name="CSE leads")).to_be_visible()
    checked_page.axe()


def test_an_analyst_reads_the_places_and_networks_and_no_childs_name(checked_page):
    """An analyst sees what the board sees and the places and networks intelligence links
    children to (issue 17 item 2), never a child's name."""
    from lantern.intelligence.models import Location
    from lantern.intelligence.tests.helpers import grade, place, report

    p = testing.build_partnership()
    children = [testing.make_child(p.alice, given_names=f"Arcade{i}") for i in range(6)]
    for child in children:
        testing.make_referral(child, p.alice)
    grade(report(p.alice, children, place("The Arcade", postcode="NB1 1AA")), p.priya)
    # Premises, not an address (an address may be a child's home, and is never listed).
    Location.objects.filter(name="The Arcade").update(location_kind=Location.Kind.PREMISES)
    page = checked_page.page

    _open_the_data_set(checked_page, "ana")
    places = _section(page, "Premises and public places linked to most children")
    expect(places.locator("table")).to_contain_text("The Arcade")
    expect(places.locator("table")).to_contain_text("6")
    expect(page.get_by_role("heading", name="Networks the triggers found, by criterion"))\
        .to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Arcade0")
    expect(page.locator("main")).not_to_contain_text("Example")


def test_the_tasking_chair_records_a_decision_with_an_action(checked_page):
    p = testing.build_partnership()
    # Eleven urgent concerns: the list shows the ten newest, the section's own page all.
    for hours in range(10, 0, -1):
        older = testing.make_child(p.alice, given_names="Oldest" if hours == 10 else
                                   f"Earlier{hours}")
        concern = testing.make_concern(older, p.alice, urgent=True)
        Concern.objects.filter(pk=concern.pk).update(
            recorded_at=timezone.now() - timedelta(hours=hours))
    child = testing.make_child(p.alice, given_names="Urgent")
    testing.make_concern(child, p.alice, urgent=True)
    page = checked_page.page

    sign_in(checked_page, "maria")
    page.get_by_role("link", name="Tasking", exact=True).click()
    expect(page.get_by_role("heading", name="Daily tasking")).to_be_visible()
    checked_page.axe()
    expect(page.locator("main")).to_contain_text("Urgent Example")
    page.get_by_role("link", name="Record the decision").first.click()
    expect(page.get_by_role("heading", name="Record the decision")).to_be_visible()
    checked_page.axe()
    page.fill("#id_decision", "Joint visit with police today.")
    page.select_option("#id_owner", label="Sam Tester, Northbridge Children's Services")
    page.click("button:has-text('Record the decision')")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the date the action is due")
    checked_page.axe()
    expect(page.locator("#id_decision")).to_have_value("Joint visit with police today.")
    page.fill("#id_due_on_day", "1")
    page.fill("#id_due_on_month", "1")
    page.fill("#id_due_on_year", "2099")
    page.click("button:has-text('Record the decision')")
    expect(page.locator("main")).to_contain_text("Joint visit with police today.")
    expect(page.locator("main")).to_contain_text("Action: Sam Tester, by 1 January 2099")
    checked_page.axe()
    expect(page.locator("main")).not_to_contain_text("Oldest Example")
    page.get_by_role("link", name="See all new urgent concerns").click()
    expect(page.get_by_role("heading", name="New urgent concerns")).to_be_visible()
    checked_page.axe()
    expect(page.locator("main")).to_contain_text("Joint visit with police today.")
    page.get_by_role("link", name="Record the decision on Urgent concern recorded by "
                                  "Riverside Academy for Oldest Example").click()
    expect(page.get_by_role("heading", name="Record the decision")).to_be_visible()
    page.click("button:has-text('Record the decision')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what the meeting decided")
    page.fill("#id_decision", "Ask the school to keep her in at lunchtime.")
    page.click("button:has-text('Record the decision')")
    expect(page.get_by_role("heading", name="New urgent concerns")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Ask the school to keep her in at lunchtime.")
    checked_page.axe()
    page.get_by_role("link", name="Daily tasking").click()
    page.get_by_role("link", name="Weekly").click()
    expect(page.get_by_role("heading", name="Priority subjects for disruption")).to_be_visible()
    checked_page.axe()


def test_a_board_member_writes_and_issues_the_six_monthly_review(checked_page):
    p = testing.build_partnership()
    for i in range(6):
        child = testing.make_child(p.alice, given_names=f"Reviewed{i}")
        testing.make_referral(child, p.alice)
    today = timezone.localdate()
    page = checked_page.page

    sign_in(checked_page, "bea")
    page.get_by_role("link", name="The monitoring data set").click()
    page.get_by_role("link", name="Six-monthly reviews").click()
    expect(page.get_by_role("heading", name="Six-monthly reviews: Northbridge")).to_be_visible()
    checked_page.axe()
    page.get_by_role("link", name="Start a review").click()
    page.fill("#id_start_day", "1")
    page.fill("#id_start_month", "1")
    page.fill("#id_start_year", str(today.year))
    page.fill("#id_end_day", "31")
    page.fill("#id_end_month", "12")
    page.fill("#id_end_year", str(today.year - 1))
    page.click("button:has-text('Start the review')")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The end of the period must be the same as or after the start")
    checked_page.axe()
    expect(page.locator("#id_end_day")).to_have_value("31")
    page.fill("#id_end_day", str(today.day))
    page.fill("#id_end_month", str(today.month))
    page.fill("#id_end_year", str(today.year))
    page.click("button:has-text('Start the review')")
    expect(page.get_by_role("heading", name="The board's narrative")).to_be_visible()
    checked_page.axe()
    expect(page.locator("main")).to_contain_text("Referrals by the agency that made them")
    expect(page.locator("main")).not_to_contain_text("Reviewed0")
    page.fill("#id_summary", "Referrals from schools rose after the training.")
    page.click("button:has-text('Save the narrative')")
    expect(page.locator("#id_summary")).to_have_value(
        "Referrals from schools rose after the training.")
    page.click("button:has-text('Issue the review')")
    expect(page.locator(".govuk-inset-text")).to_contain_text("can no longer be changed")
    expect(page.locator("#id_summary")).to_have_count(0)
    checked_page.axe()
    # Drawing the PDF (WeasyPrint) is the slowest thing a page does: it gets the time a
    # navigation gets, not the ten seconds of a check (it took longer with two browser workers
    # on the busy 2-core machine).
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("link", name="Download the review (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")


def test_the_dip_sample_auditor_draws_grades_and_sets_an_action_that_reaches_its_owner(
        checked_page):
    p = testing.build_partnership()
    child = testing.make_child(p.alice, given_names="Audited")
    screening = testing.make_screening(child, p.alice,
                                       analysis="Lifts from older men; gifts of a phone.")
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    Screening.objects.filter(pk=screening.pk).update(
        screened_at=timezone.now().replace(year=last_month.year, month=last_month.month,
                                           day=15))
    page = checked_page.page

    sign_in(checked_page, "bea")
    page.get_by_role("link", name="The monitoring data set").click()
    page.get_by_role("link", name="Dip-sample audits").click()
    expect(page.get_by_role("heading", name="Dip-sample audits")).to_be_visible()
    checked_page.axe()
    page.click("button:has-text('Draw the sample')")
    expect(page.get_by_role("heading", name=f"Dip sample: {last_month:%B %Y}")).to_be_visible()
    checked_page.axe()
    expect(page.locator("main")).not_to_contain_text("Audited Example")
    page.get_by_role("link", name="Screening, record").click()
    expect(page.locator("main")).to_contain_text("Lifts from older men; gifts of a phone.")
    expect(page.locator("main")).not_to_contain_text("Audited Example")
    checked_page.axe()

    page.click("button:has-text('Save and complete the audit')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a grade for analysis")
    checked_page.axe()
    for code in ("analysis", "childs_voice", "timeliness", "management_oversight", "language"):
        page.check(f"input[name='{code}_grade'][value='requires_improvement']")
        page.fill(f"#id_{code}_comment", f"Comment on {code}.")
    page.click("button:has-text('Save')  >> nth=0")
    expect(page.locator("#id_analysis_comment")).to_have_value("Comment on analysis.")

    page.get_by_role("link", name="Record a finding and action").click()
    expect(page.get_by_role("heading", name="Record a finding and action")).to_be_visible()
    checked_page.axe()
    page.fill("#id_finding", "The child's own words are not recorded.")
    page.fill("#id_action", "Record the child's views at the next visit")
    page.select_option("#id_owner", label="Maria Tester, Northbridge Children's Services")
    page.fill("#id_due_on_day", "1")
    page.fill("#id_due_on_month", "1")
    page.fill("#id_due_on_year", "2099")
    page.click("button:has-text('Record the action')")
    expect(page.locator("main")).to_contain_text("The child's own words are not recorded.")
    page.click("button:has-text('Save and complete the audit')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "your access to the record has ended")
    expect(page.locator("main")).not_to_contain_text("Lifts from older men")
    checked_page.axe()

    sign_out(checked_page)
    sign_in(checked_page, "maria")
    checked_page.goto("/work/?tray=mine")
    page.get_by_role("link", name="Dip-sample audit action: Record the child's views").click()
    expect(page.locator("main")).to_contain_text("The child's own words are not recorded.")
    expect(page.locator("main")).not_to_contain_text("Lifts from older men")
    checked_page.axe()
    page.click("button:has-text('Mark as done')")
    expect(page.locator("main")).to_contain_text("Done")
