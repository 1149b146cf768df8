"""Issue 15 item 2 in the browser, axe-checked: the front door compares Olivia's two records
side by side with why they match, merges them with a reason, and undoes the merge."""

from datetime import date

import pytest
from playwright.sync_api import expect

from lantern import testing
from lantern.foundation.models import Child
from lantern.pathway.models import Concern
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_front_door_merges_two_records_and_undoes_it(checked_page):
    p = testing.build_partnership()
    kept = testing.make_child(p.alice, given_names="Olivia", family_name="Griffiths",
                              date_of_birth=date(2010, 6, 27))
    testing.make_concern(kept, p.alice)
    other = testing.make_child(p.bob, given_names="Olivia", family_name="Griffith",
                               date_of_birth=date(2010, 6, 27))
    testing.make_concern(other, p.bob, narrative="Missing from school twice this week.")
    page = checked_page.page
    sign_in(checked_page, "fiona")
    checked_page.goto(kept.get_absolute_url())
    page.click("text=Merge with another record of this child")
    expect(page.get_by_role("heading", name="Merge with another record")).to_be_visible()
    checked_page.axe()
    page.click(f"text=Compare with record {other.pk}")
    table = page.locator("table")
    expect(table).to_contain_text("Similar name")
    expect(table).to_contain_text("Same date of birth")
    checked_page.axe()
    page.click("button:has-text('Merge the records')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select which record to keep")
    checked_page.axe()
    page.check(f"text=Keep record {kept.pk}")
    page.fill("#id_reason", "Both schools confirmed her date of birth and address")
    page.click("button:has-text('Merge the records')")
    expect(page.locator("#main-content")).to_contain_text("Concern recorded by Hillcrest School")
    assert Concern.objects.filter(child=kept).count() == 2
    # The kept record was created once: the other record's creation is in the merge's entry.
    expect(page.locator("#main-content").get_by_text("Record created in Lantern")
           ).to_have_count(1)
    checked_page.axe()

    # The other record's pages lead to the kept record's (its pathway, here).
    checked_page.goto(f"/children/{other.pk}/pathway/")
    expect(page).to_have_url(f"{checked_page.base_url}/children/{kept.pk}/pathway/")
    checked_page.goto(other.get_absolute_url())  # the old address leads to the kept record
    expect(page).to_have_url(f"{checked_page.base_url}{kept.get_absolute_url()}")
    page.click("text=Undo the merge")
    expect(page.get_by_role("heading", name="Undo the merge")).to_be_visible()
    checked_page.axe()
    page.fill("#id_reason", "They are cousins with the same birthday")
    page.click("button:has-text('Undo the merge')")
    expect(page.get_by_role("heading", name="Olivia Griffith")).to_be_visible()
    assert Child.objects.get(pk=other.pk).merged_into_id is None
    assert Concern.objects.filter(child=other).count() == 1
    checked_page.axe()
