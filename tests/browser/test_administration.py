"""Issue 13 (item 3) in the browser, axe-checked: an administrator adds a police account, which
cannot sign in until a second administrator approves it."""

import pytest
from playwright.sync_api import expect

from lantern import testing
from lantern.foundation.models import Role
from tests.browser.conftest import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_police_account_waits_for_a_second_administrator(checked_page):
    p = testing.build_partnership()
    zoe = testing.UserFactory(username="zoe", role=Role.ADMIN, agency=p.north_partnership,
                              is_staff=True, is_superuser=True)
    for user in (p.ade, zoe):
        testing.add_authenticator(user)
    page = checked_page.page

    sign_in(checked_page, "ade")
    page.click("text=People")
    expect(page.get_by_role("heading", name="People who use Lantern")).to_be_visible()
    checked_page.axe()
    page.click("text=Add an account")
    checked_page.axe()
    page.fill("#id_username", "nadia")
    page.fill("#id_first_name", "Nadia")
    page.fill("#id_last_name", "Okafor")
    page.get_by_label("Police", exact=True).check()
    page.select_option("#id_agency", label="Northbridge Police (Northbridge)")
    page.fill("#id_password", "a-long-first-password")
    page.click("button:has-text('Add account')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason")
    checked_page.axe()
    page.fill("#id_reason", "Joined the police CSE team")
    page.click("button:has-text('Add account')")
    expect(page.locator("main")).to_contain_text("waits for a second administrator")
    checked_page.axe()
    sign_out(checked_page)

    sign_in(checked_page, "zoe")
    checked_page.goto("/administration/changes/")
    expect(page.locator("main")).to_contain_text("Joined the police CSE team")
    page.get_by_label("Approve").check()
    page.click("button:has-text('Record decision')")
    expect(page.locator("main")).to_contain_text("Decision recorded")
    checked_page.axe()
    checked_page.goto("/administration/people/")
    expect(page.locator("main")).to_contain_text("Nadia Okafor")
