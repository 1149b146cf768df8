"""Issue 8: police record a missing episode and the child's return; the return home interview
clock starts; an independent interviewer records the interview, which stops it. axe runs on
every page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lantern import testing
from lantern.foundation.models import AgencyKind, WorkItem
from lantern.missing.models import ReturnInterview
from lantern.missing.testing import image_bytes, make_episode
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_moment(page, prefix: str, when) -> None:
    local = timezone.localtime(when)
    page.fill(f"#id_{prefix}_on_day", str(local.day))
    page.fill(f"#id_{prefix}_on_month", str(local.month))
    page.fill(f"#id_{prefix}_on_year", str(local.year))
    page.fill(f"#id_{prefix}_time", local.strftime("%H:%M"))


def test_police_record_an_episode_and_the_interview_follows(checked_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    p = testing.build_partnership()
    testing.AgencyFactory(name="Safe Steps Project", area=p.north, kind=AgencyKind.VOLUNTARY)
    child = testing.make_child(p.alice, given_names="Kayla", family_name="Morrow",
                               looked_after=True)
    testing.make_concern(child, p.alice)
    page = checked_page.page
    went = timezone.now() - timedelta(hours=30)

    sign_in(checked_page, "priya")
    checked_page.goto(child.get_absolute_url())
    page.click("text=Record a missing episode")
    expect(page.get_by_role("heading", name="Record a missing episode")).to_be_visible()
    checked_page.axe()

    # A first try with nothing filled in shows GOV.UK errors.
    page.click("button:has-text('Save missing episode')")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select where the child went missing from")
    checked_page.axe()

    page.check("input[name=missing_from][value=foster_care]")
    page.select_option("#id_placement_agency", label="Northbridge Children's Services")
    fill_moment(page, "went_missing", went)
    fill_moment(page, "reported", went + timedelta(hours=1))
    page.fill("#id_reported_by", "Foster carer, Ms Ade")
    page.fill("#id_police_reference", "NB-2207")
    page.check("#id_still_missing_1")  # no: she has been found
    page.click("button:has-text('Save missing episode')")

    expect(page.get_by_role("heading", name="Record that the child is back")).to_be_visible()
    checked_page.axe()
    fill_moment(page, "returned", went + timedelta(hours=14))
    page.fill("#id_found_where", "Flat above the takeaway, Mill Road")
    page.fill("#id_found_with", "Two adult men")
    page.check("input[name=how_back][value=found_by_police]")
    page.check("#id_police_protection_1")
    page.check("#id_harm_1")
    page.click("button:has-text('Save and start the interview clock')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The return home interview is due by")
    expect(page.locator("#rhi-due")).to_contain_text("due in")
    checked_page.axe()
    item = WorkItem.objects.get(kind="return_interview")
    assert item.status == WorkItem.Status.OPEN

    # The interviewer must be independent of the placement.
    page.click("text=Record the return home interview")
    expect(page.get_by_role("heading", name="Record the return home interview")).to_be_visible()
    checked_page.axe()
    page.check("input[name=outcome][value=held]")
    fill_moment(page, "held", went + timedelta(hours=28))
    page.fill("#id_interviewer_name", "Robin Vale")
    page.select_option("#id_interviewer_agency",
                       label="Northbridge Children's Services (children's social care)")
    page.check("#id_independent")
    page.fill("#id_child_words", "\"Dee said I could stay at his. He gave me a phone.\"")
    page.check("input[name=pull_factors][value='bristol.pull.somewhere_to_stay']")
    page.check("input[name=pull_factors][value='bristol.pull.gifts']")
    page.fill("#id_people_mentioned", "Dee, about 25")
    page.fill("#id_vehicles_mentioned", "Silver Astra")
    page.fill("#id_actions", "Share Dee's details with police; MASE referral.")
    page.click("button:has-text('Save interview')")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The interviewer must be independent of the child's placement")
    checked_page.axe()
    page.select_option("#id_interviewer_agency", label="Safe Steps Project (third sector)")
    page.click("button:has-text('Save interview')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Return home interview recorded")
    expect(page.locator("main")).to_contain_text("Dee said I could stay at his")
    expect(page.locator("#interviewer-sector")).to_have_text("Third sector")
    checked_page.axe()
    item.refresh_from_db()
    assert item.status == WorkItem.Status.DONE
    assert ReturnInterview.objects.get().pull_factors == ["bristol.pull.gifts",
                                                          "bristol.pull.somewhere_to_stay"]

    # The child's record shows the episode on a timeline with its pattern.
    checked_page.goto(child.get_absolute_url())
    expect(page.locator("#missing-pattern")).to_contain_text(
        "Flat above the takeaway, Mill Road")
    expect(page.locator("#missing-timeline")).to_contain_text("Missing from foster care")
    checked_page.goto(f"/children/{child.pk}/missing/")
    assert len(checked_page.checked) >= 11


def test_a_profile_is_held_printed_and_the_screening_suggests_from_the_pattern(
    checked_page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    p = testing.build_partnership()
    child = testing.make_child(p.alice, given_names="Mia", family_name="Lowe",
                               looked_after=True)
    for days in (20, 10, 4):
        make_episode(child, p.priya, went_missing_at=timezone.now() - timedelta(days=days),
                     back_after=timedelta(hours=30), found_where="Canal Street")
    photo = tmp_path / "mia.png"
    photo.write_bytes(image_bytes(size=(60, 80)))
    page = checked_page.page

    sign_in(checked_page, "fiona")
    checked_page.goto(f"/children/{child.pk}/missing-profile/")
    page.click("text=Create the profile")
    checked_page.axe()
    page.set_input_files("#id_photo", str(photo))
    page.fill("#id_description", "Slim, long dark hair, grey hoodie.")
    page.fill("#id_places", "Canal Street")
    page.click("button:has-text('Save profile')")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("profile saved")
    expect(page.get_by_alt_text("Photo of Mia Lowe")).to_be_visible()
    checked_page.axe()

    page.click("text=Print for police")
    expect(page.get_by_role("heading", name="Missing-person profile: Mia Lowe")).to_be_visible()
    expect(page.locator("#print-button")).to_be_visible()
    checked_page.axe()

    # The pattern met the trigger: the episodes page shows the prompts, and the screening
    # page ticks the suggested indicators for the practitioner to confirm.
    checked_page.goto(f"/children/{child.pk}/missing/")
    expect(page.locator("main")).to_contain_text("Re-screen: a pattern of going missing")
    page.click("text=Screen for risk")
    expect(page.locator("#missing-suggestions")).to_be_visible()
    expect(page.locator("#ind-wm1\\.missing_or_late")).to_be_checked()
    expect(page.locator("#ind-wm1\\.overnight_unexplained")).to_be_checked()
    checked_page.axe()
    page.uncheck("#ind-wm1\\.overnight_unexplained")
    expect(page.locator("#suggested-category")).to_have_text("Category 1")
    checked_page.axe()
