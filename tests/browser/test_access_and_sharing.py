"""Issue 5 journeys in the browser, axe-checked: setting up an authenticator on first sign-in,
emergency access and its review, who has looked at a record, recording a sharing decision."""

import re

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from lantern import testing
from tests.browser.conftest import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_sign_in_sets_up_an_authenticator_app(checked_page):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    p = testing.build_partnership()
    TOTPDevice.objects.filter(user=p.bob).delete()
    page = checked_page.page
    checked_page.goto("/sign-in/")
    page.fill("#id_username", "bob")
    page.fill("#id_password", testing.PASSWORD)
    page.click("button:has-text('Sign in')")
    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    checked_page.axe()
    page.fill("#id_code", "000000")
    page.click("button:has-text('Continue')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    checked_page.axe()
    page.wait_for_timeout(1500)  # django-otp makes you wait a second after a wrong code
    device = TOTPDevice.objects.get(user=p.bob)
    page.fill("#id_code", f"{TOTP(device.bin_key).token():06d}")
    page.click("button:has-text('Continue')")
    expect(page.get_by_role("heading", name="Your work")).to_be_visible()
    checked_page.axe()


def test_emergency_access_is_reviewed_and_visible_in_the_access_log(checked_page):
    p = testing.build_partnership()
    child = testing.make_child(p.alice, given_names="Nia", family_name="Castell")
    page = checked_page.page

    sign_in(checked_page, "bob")
    checked_page.goto(f"/children/{child.pk}/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    page.click("text=emergency access")
    checked_page.axe()
    page.fill("#id_given_names", "Nia")
    page.fill("#id_family_name", "Castell")
    dob = child.date_of_birth
    page.fill("#id_date_of_birth_day", str(dob.day))
    page.fill("#id_date_of_birth_month", str(dob.month))
    page.fill("#id_date_of_birth_year", str(dob.year))
    page.fill("#id_reason", "Found at 2am with an adult; police need to know who she is.")
    page.click("button:has-text('Open the record')")
    expect(page.locator("#emergency-title")).to_be_visible()
    checked_page.axe()
    sign_out(checked_page)

    sign_in(checked_page, "maria")
    checked_page.goto("/emergency-access/reviews/")
    expect(page.locator("main")).to_contain_text("Found at 2am with an adult")
    page.check("input[value=appropriate]")
    page.click("button:has-text('Record review')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Review recorded")
    checked_page.axe()
    checked_page.goto(f"/children/{child.pk}/access-log/")
    expect(page.locator("table")).to_contain_text("Emergency access")
    checked_page.axe()


def test_recording_an_information_sharing_decision(checked_page):
    p = testing.build_partnership()
    child = testing.make_child(p.alice, given_names="Ola", family_name="Brant")
    page = checked_page.page
    sign_in(checked_page, "alice")
    checked_page.goto(f"/children/{child.pk}/")
    page.click("text=Record an information-sharing decision")
    checked_page.axe()
    page.check("input[name=outcome][value=shared]")
    page.fill("#id_what", "The concern recorded today.")
    page.fill("#id_recipient", "Northbridge Police CSE team")
    page.fill("#id_purpose", "To protect her from adults targeting her.")
    page.check("input[name=lawful_basis][value=public_task]")
    page.check("input[name=consent][value=refused]")
    page.click("button:has-text('Record decision')")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select the grounds for sharing without consent")
    checked_page.axe()
    page.check("input[name=override][value=significant_harm]")
    page.fill("#id_override_reason", "She is being abused now.")
    page.fill("#id_decided_by_name", "Dev Sandhu, DSL")
    page.click("button:has-text('Record decision')")
    expect(page.locator(".moj-timeline")).to_contain_text(
        re.compile("Shared information with Northbridge Police CSE team"))
    checked_page.axe()
