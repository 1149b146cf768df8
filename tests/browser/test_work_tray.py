"""Work trays in the browser (issue 4): the front door's tray sorted by what is due first, with
the rule behind each deadline, the overdue banner and filter, a manager's team tray, and the
child's pathway page. axe runs on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lantern import testing
from lantern.pathway import actions
from lantern.pathway.models import Outcome
from tests.browser.conftest import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_work_trays_show_what_is_due_when_and_why(checked_page):
    p = testing.build_partnership()
    actions.adopt_profile(p.north, "stockport", by=p.ade)
    late = testing.make_child(p.alice, given_names="Late")
    testing.make_referral(late, p.alice, received_at=timezone.now() - timedelta(hours=30))
    soon = testing.make_child(p.alice, given_names="Soon")
    testing.make_referral(soon, p.alice, received_at=timezone.now() - timedelta(hours=2))
    assessed = testing.make_child(p.alice, given_names="Assessed")
    referral = testing.make_referral(assessed, p.alice)
    actions.decide_referral(referral, Outcome.ASSESSMENT, by=p.fiona,
                            rationale="Assess with the family.", allocate_to=p.sam)
    page = checked_page.page

    sign_in(checked_page, "fiona")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("overdue")
    page.get_by_role("link", name="Work", exact=True).click()
    expect(page.get_by_role("heading", name="Your work")).to_be_visible()
    checked_page.axe()
    rows = page.locator("tbody tr")
    # The soonest due first: Late's decision before Soon's.
    expect(rows.first).to_contain_text("Decide on the referral")
    expect(rows.first).to_contain_text("Late Example")
    expect(rows.first).to_contain_text("Overdue by")
    expect(rows.first).to_contain_text("Stockport CSE procedure §13")

    page.check("#id_overdue")
    page.click("button:has-text('Apply filters')")
    checked_page.axe()
    expect(page.locator("tbody")).not_to_contain_text("Soon Example")
    expect(page.locator("tbody")).to_contain_text("Late Example")

    page.get_by_role("link", name="Your area's work").click()
    checked_page.axe()
    page.select_option("#id_kind", "assessment")
    page.uncheck("#id_overdue")
    page.click("button:has-text('Apply filters')")
    checked_page.axe()
    expect(page.locator("tbody")).to_contain_text("Complete the assessment")
    expect(page.locator("tbody")).to_contain_text("Assessed Example")
    expect(page.locator("tbody")).to_contain_text("7 working days")

    # Stockport's flowchart: the police referral decision, reasons recorded either way.
    page.select_option("#id_kind", "police_referral_decision")
    page.click("button:has-text('Apply filters')")
    checked_page.axe()
    page.get_by_role("link", name="Decide whether to refer to the police for Late Example").click()
    checked_page.axe()
    page.click("button:has-text('Record the police referral decision')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select yes if you will refer")
    checked_page.axe()
    page.check("#id_refer_to_police_0")
    page.fill("#id_reasons", "Adults named by the child: offences against her to investigate.")
    page.click("button:has-text('Record the police referral decision')")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("recorded")
    checked_page.axe()
    sign_out(checked_page)

    # The manager sees the team's overdue work, then the child's pathway.
    sign_in(checked_page, "maria")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your team has")
    page.click("text=See your team's overdue work")
    checked_page.axe()
    expect(page.locator("tbody")).to_contain_text("Late Example")
    page.get_by_role("link", name="Late Example", exact=True).first.click()
    checked_page.axe()
    page.click("text=Pathway, timescales and next step")
    expect(page.get_by_role("heading", name="Pathway", exact=True)).to_be_visible()
    checked_page.axe()
    expect(page.locator("main")).to_contain_text("CSE strategy meeting")
