"""Screening in the browser (issue 3): the suggestion updates live and explains itself, the
hard floor is stated with its rule and cannot be gone under, ranges appear where the source is
ambiguous, and the child's record draws the category over time. axe runs on every page."""

import re

import pytest
from playwright.sync_api import expect

from lantern import testing
from lantern.foundation.models import Area
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_live_suggestion_and_the_floor_message(checked_page):
    p = testing.build_partnership()
    child = testing.make_child(p.alice, given_names="Mia", family_name="Rowe",
                               date_of_birth=testing.birthday_years_ago(12))
    testing.make_concern(child, p.alice)
    page = checked_page.page
    sign_in(checked_page, "alice")
    checked_page.goto(f"/children/{child.pk}/screenings/new/")
    expect(page.locator("#suggested-category")).to_have_text("Category 1")

    # One category 1 indicator for a child of 12: the floor lifts the suggestion to 2, live.
    page.check("#ind-wm1\\.despair")
    expect(page.locator("#suggested-category")).to_have_text("Category 2")
    floor = page.locator("#suggestion-floor")
    expect(floor).to_contain_text("cannot be lower than 2 for this child")
    expect(floor).to_contain_text("under 13")
    expect(page.locator("#suggestion")).to_contain_text("Expressions of despair")
    checked_page.axe()

    # Going under the floor is refused, naming the rule, even with a rationale.
    page.fill("#id_analysis", "An adult is messaging her late at night.")
    page.check("input[name=final_category][value='1']")
    page.fill("#id_rationale", "She seems fine.")
    page.click("button:has-text('Save screening')")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(
        "Category 1 is below the lowest category allowed for this child (category 2)")
    expect(summary).to_contain_text("under 13")
    checked_page.axe()

    page.check("input[name=final_category][value='2']")
    page.fill("#id_rationale", "")
    page.click("button:has-text('Save screening')")
    expect(page.get_by_role("heading", name=re.compile("Screening: category 2"))).to_be_visible()
    expect(page.locator("#rescreen-status")).to_contain_text("with the front door")
    checked_page.axe()


def test_a_range_live_then_the_history_chart(checked_page):
    p = testing.build_partnership()
    Area.objects.filter(pk=p.north.pk).update(policy_profile="stockport")
    child = testing.make_child(p.alice, given_names="Tia", family_name="Marsh")
    testing.make_concern(child, p.alice)
    testing.make_screening(child, p.alice, framework="sera", indicators=(
        "sera3.known_perpetrators", "sera2.hotspots"))
    page = checked_page.page
    sign_in(checked_page, "alice")
    checked_page.goto(f"/children/{child.pk}/screenings/new/")
    expect(page.get_by_role("heading", name="Screen again for risk of sexual exploitation")
           ).to_be_visible()

    # One level 2 signal, and only that: levels 1 to 2.
    page.check("#ind-sera2\\.regularly_missing")
    expect(page.locator("#suggested-category")).to_have_text("Level 1 to 2")
    expect(page.locator("#suggestion")).to_contain_text("The tool gives a range")
    page.fill("#id_partner_age", "22")
    page.locator("#id_partner_age").blur()
    expect(page.locator("#suggestion")).to_contain_text("8 years older than the child")
    checked_page.axe()

    page.fill("#id_analysis", "Going missing with older peers; less contact with the men.")
    page.check("input[name=final_category][value='1']")
    page.click("button:has-text('Save screening')")
    expect(page.get_by_role("heading", name=re.compile("Screening: level 1"))).to_be_visible()
    checked_page.axe()

    # The record shows the level falling, as a chart and a table.
    page.click("text=Back to Tia Marsh")
    expect(page.locator("svg.lantern-history-chart circle")).to_have_count(2)
    expect(page.locator("#history-sera-table")).to_contain_text("Risk fell")
    checked_page.axe()
