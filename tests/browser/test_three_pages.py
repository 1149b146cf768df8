"""Three pages from the home page to a submitted screening for a known child (issue 15,
item 3): the home page's search finds the child in place and leads straight to "record a
concern"; the screening is the concern's next page, prefilled from it. The test counts the
pages the browser loads (main-frame navigations) after the home page and asserts there are at
most three: the concern, the screening and the saved screening. Then the school's designated
safeguarding lead finds the concern in their queue and records the discussion. axe runs on
every page."""

import re

import pytest
from playwright.sync_api import expect

from lantern import testing
from lantern.foundation.models import ChronologyEntry
from lantern.pathway.models import ConcernDiscussion
from lantern.screening.models import Screening
from tests.browser.conftest import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _count_pages(page) -> list[str]:
    """The address of every page the browser loads from now on (htmx swaps are not pages)."""
    loaded: list[str] = []
    page.on("framenavigated",
            lambda frame: loaded.append(frame.url) if frame == page.main_frame else None)
    return loaded


def test_a_known_child_is_screened_in_three_pages_and_the_lead_discusses_it(checked_page):
    p = testing.build_partnership()
    child = testing.make_child(p.alice, given_names="Kayla", family_name="Morrow")
    page = checked_page.page
    sign_in(checked_page, "alice")
    expect(page.get_by_role("heading", name="Your work")).to_be_visible()
    pages = _count_pages(page)

    # The home page: a misspelt name finds her in place, with "record a concern" as the link.
    page.fill("#id_name", "Kaila Moro")
    page.click("button:has-text('Find the child')")
    concern_link = page.get_by_role("link", name=re.compile("Record a concern.*Kayla Morrow"))
    expect(concern_link).to_be_visible()
    checked_page.axe()
    assert pages == [], "finding the child loaded a page"
    concern_link.click()

    # Page 1: the concern.
    expect(page.get_by_role("heading", name=re.compile("concern", re.I)).first).to_be_visible()
    checked_page.axe()
    page.fill("#id_observed_on_day", "2")
    page.fill("#id_observed_on_month", "11")
    page.fill("#id_observed_on_year", "2026")
    page.fill("#id_narrative", "Seen getting into a silver car with two adult men.")
    page.fill("#id_child_words", "They are my friends, they buy me things.")
    page.check("input[name=urgent][value=no]")
    page.click("button:has-text('Save concern')")

    # Page 2: the screening, prefilled from the concern.
    expect(page.get_by_role("heading", name=re.compile("Screen for risk"))).to_be_visible()
    expect(page.locator("#concern-screened")).to_contain_text("silver car")
    expect(page.locator("#id_child_views")).to_have_value(
        "They are my friends, they buy me things.")
    checked_page.axe()
    page.check("#ind-wm2\\.vehicles")
    expect(page.locator("#suggested-category")).to_have_text("Category 2")
    page.fill("#id_analysis", "Adults are offering lifts and gifts to build control over her.")
    page.check("input[name=final_category][value='2']")
    page.click("button:has-text('Save screening')")

    # Page 3: the screening saved.
    expect(page.get_by_role("heading", name=re.compile("Screening: category 2"))).to_be_visible()
    checked_page.axe()
    paths = [re.sub(r"^https?://[^/]+", "", url) for url in pages]
    assert len(paths) <= 3, f"{len(paths)} pages from home to a submitted screening: {paths}"
    assert paths[0] == f"/children/{child.pk}/concerns/new/"
    assert paths[1].startswith(f"/children/{child.pk}/screenings/new/?concern=")
    screening = Screening.objects.get(child=child)
    assert paths[2] == f"/screenings/{screening.pk}/"
    assert screening.concern is not None
    assert screening.child_views == "They are my friends, they buy me things."
    sign_out(checked_page)

    # The school's designated safeguarding lead sees it waiting, discusses it and confirms.
    sign_in(checked_page, "dev")
    expect(page.locator("main")).to_contain_text(
        "1 concern from Riverside Academy is waiting for you to discuss")
    page.get_by_role("link", name="Concerns to discuss").click()
    checked_page.axe()
    page.get_by_role("link", name=re.compile("Discuss.*Kayla Morrow")).click()
    expect(page.get_by_role("heading", name="Discuss the concern")).to_be_visible()
    expect(page.locator("#id_discussed_with")).to_have_value(re.compile("Alice"))
    checked_page.axe()
    page.click("button:has-text('Record the discussion')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what you discussed")
    checked_page.axe()
    page.fill("#id_notes", "Alice saw the car twice this week; the screening is right.")
    page.check("input[name=outcome][value=screening_confirmed]")
    page.click("button:has-text('Record the discussion')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Discussion recorded")
    expect(page.locator("main")).to_contain_text("There are no concerns waiting for you")
    checked_page.axe()
    assert ConcernDiscussion.objects.get().screening == screening
    assert ChronologyEntry.objects.filter(child=child, kind="concern_discussion").exists()


def test_a_new_child_is_added_from_the_search_with_what_was_typed(checked_page):
    testing.build_partnership()
    page = checked_page.page
    sign_in(checked_page, "alice")
    pages = _count_pages(page)
    page.fill("#id_name", "Leah Brennan")
    page.fill("#id_date_of_birth_day", "3")
    page.fill("#id_date_of_birth_month", "9")
    page.fill("#id_date_of_birth_year", "2011")
    page.click("button:has-text('Find the child')")
    expect(page.get_by_role("heading", name="No children found")).to_be_visible()
    checked_page.axe()
    page.click("#add-searched-child")

    # "Add a child" has the name and date of birth searched for, and the intent.
    expect(page.locator("#id_given_names")).to_have_value("Leah")
    expect(page.locator("#id_family_name")).to_have_value("Brennan")
    expect(page.locator("#id_date_of_birth_day")).to_have_value("3")
    expect(page.locator("#id_date_of_birth_month")).to_have_value("9")
    expect(page.locator("#id_date_of_birth_year")).to_have_value("2011")
    checked_page.axe()
    page.check("input[name=gender][value=female]")
    page.click("button:has-text('Add child')")

    # Straight on to the concern about her.
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Record added for Leah Brennan")
    expect(page.locator("#id_narrative")).to_be_visible()
    checked_page.axe()
    paths = [re.sub(r"^https?://[^/]+", "", url) for url in pages]
    assert len(paths) == 2 and re.fullmatch(r"/children/\d+/concerns/new/", paths[1]), paths
