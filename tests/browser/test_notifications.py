"""Notifications in the browser (issue 14 item 9): a CSE team manager is told of a child at
risk, sees the count in the header, opens the Notifications page, reads why she was told and
marks it read. axe runs on the page."""

import pytest
from playwright.sync_api import expect

from lantern import testing
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_cse_manager_reads_and_marks_a_notification(checked_page):
    p = testing.build_partnership()
    child = testing.make_child(p.alice, given_names="Zara", family_name="Notified")
    testing.make_screening(child, p.alice, final_category=2, rationale="Judged with the school")
    page = checked_page.page

    sign_in(checked_page, "maria")
    page.get_by_role("link", name="Notifications (1 new)").click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    checked_page.axe()
    expect(page.locator("main")).to_contain_text("The CSE team is told of every child at risk")
    page.get_by_role("button", name="Mark as read").click()
    expect(page.locator("main")).to_contain_text("Read ")
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    checked_page.axe()
