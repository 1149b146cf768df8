"""Issue 15 items 2 and 4 in the browser, axe-checked: adding "Olivia Griffith" while "Olivia
Griffiths" with the same date of birth exists warns before a second record is added; a child's
details are corrected with a reason and the chronology shows it."""

from datetime import date

import pytest
from playwright.sync_api import expect

from lantern import testing
from lantern.foundation.models import Child
from lantern.people.actions import correct_child
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_adding_olivia_griffith_warns_of_olivia_griffiths(checked_page):
    p = testing.build_partnership()
    testing.make_child(p.alice, given_names="Olivia", family_name="Griffiths",
                       date_of_birth=date(2010, 6, 27))
    page = checked_page.page
    sign_in(checked_page, "alice")
    checked_page.goto("/children/add/")
    page.fill("#id_given_names", "Olivia")
    page.fill("#id_family_name", "Griffith")
    page.fill("#id_date_of_birth_day", "27")
    page.fill("#id_date_of_birth_month", "6")
    page.fill("#id_date_of_birth_year", "2010")
    page.check("text=Female")
    page.click("button:has-text('Add child')")
    expect(page.get_by_role("heading", name="Records that may be the same child")).to_be_visible()
    expect(page.locator("#main-content")).to_contain_text("Similar name, Same date of birth")
    checked_page.axe()
    assert Child.objects.count() == 1
    page.click("button:has-text('This is a different child')")
    expect(page.get_by_role("heading", name="Olivia Griffith")).to_be_visible()
    assert Child.objects.count() == 2


def test_the_front_door_corrects_a_date_of_birth(checked_page):
    p = testing.build_partnership()
    child = testing.make_child(p.alice, given_names="Leah", family_name="Brennan",
                               date_of_birth=date(2011, 2, 3))
    page = checked_page.page
    sign_in(checked_page, "fiona")
    checked_page.goto(child.get_absolute_url())
    page.click("text=Correct details")
    expect(page.get_by_role("heading", name="Correct details")).to_be_visible()
    checked_page.axe()
    page.fill("#id_date_of_birth_day", "4")
    page.click("button:has-text('Save corrections')")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why you are correcting the details")
    checked_page.axe()
    expect(page.locator("#id_date_of_birth_day")).to_have_value("4")
    page.fill("#id_reason", "Her GP confirmed the date of birth")
    page.click("button:has-text('Save corrections')")
    expect(page.locator("#chronology ~ .moj-timeline")).to_contain_text(
        "Details corrected: date of birth")
    expect(page.locator("#main-content")).to_contain_text("4 February 2011")
    checked_page.axe()


def test_a_restored_draft_never_overwrites_a_correction_made_since(checked_page):
    """A draft comes back with the version it was typed against: if someone corrected the
    record meanwhile, saving it is refused with the reason, never a silent overwrite."""
    p = testing.build_partnership()
    child = testing.make_child(p.alice, given_names="Leah", family_name="Brennan",
                               date_of_birth=date(2011, 2, 3))
    page = checked_page.page
    sign_in(checked_page, "fiona")
    checked_page.goto(f"/children/{child.pk}/details/")
    page.fill("#id_date_of_birth_day", "4")
    page.fill("#id_reason", "Her GP confirmed the date of birth")
    expect(page.locator(".lantern-draft-status")).to_contain_text("Draft saved at")

    # Meanwhile the CSE team manager corrects the record.
    correct_child(Child.objects.get(pk=child.pk), by=p.maria, reason="School records",
                  version=Child.objects.get(pk=child.pk).version, school="Riverside Academy")

    checked_page.goto(f"/children/{child.pk}/details/")
    banner = page.get_by_role("region", name="Draft saved")
    banner.get_by_role("button", name="Restore draft").click()
    page.click("button:has-text('Save corrections')")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Someone else changed this record while you were correcting it")
    assert Child.objects.get(pk=child.pk).date_of_birth == date(2011, 2, 3)


def test_what_is_not_known_about_a_child_is_recorded_with_its_reason(checked_page):
    """Issue 16 item 5: each "not known" reveals its reason (GOV.UK conditional reveal); a
    missing reason gets the GOV.UK error and everything typed is kept."""
    testing.build_partnership()
    page = checked_page.page
    sign_in(checked_page, "alice")
    checked_page.goto("/children/add/")
    page.fill("#id_given_names", "Tia")
    page.fill("#id_family_name", "Okafor")
    page.fill("#id_date_of_birth_day", "9")
    page.fill("#id_date_of_birth_month", "3")
    page.fill("#id_date_of_birth_year", "2012")
    page.check("#id_gender_0")  # Female
    # The reasons and answers stay hidden until their radio is chosen.
    expect(page.locator("#id_ethnicity_reason")).to_be_hidden()
    expect(page.locator("#id_gender_reason")).to_be_hidden()
    page.check("#id_ethnicity_status_1")  # Not known
    expect(page.locator("#id_ethnicity_reason")).to_be_visible()
    expect(page.locator("#id_ethnicity")).to_be_hidden()
    page.check("#id_nationality_status_0")  # Recorded
    page.fill("#id_nationality", "Nigerian")
    page.check("#id_disability_status_2")  # Not known
    page.select_option("#id_disability_reason", "not_asked")
    checked_page.axe()

    page.click("button:has-text('Add child')")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select why the child's ethnic group is not known")
    checked_page.axe()
    expect(page.locator("#id_ethnicity_status_1")).to_be_checked()
    expect(page.locator("#id_ethnicity_reason")).to_be_visible()
    expect(page.locator("#id_nationality")).to_have_value("Nigerian")
    expect(page.locator("#id_disability_reason")).to_have_value("not_asked")
    assert not Child.objects.filter(family_name="Okafor").exists()

    page.select_option("#id_ethnicity_reason", "declined")
    page.click("button:has-text('Add child')")
    expect(page.get_by_role("heading", name="Tia Okafor")).to_be_visible()
    expect(page.locator("#main-content")).to_contain_text(
        "Not known: they chose not to say (or their family did)")
    checked_page.axe()
    child = Child.objects.get(family_name="Okafor")
    assert child.nationality == "Nigerian"
    assert child.unknown_reasons == {"ethnicity": "declined", "disability": "not_asked"}
