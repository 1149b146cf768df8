"""Nothing typed is lost (issue 15): a session that ends mid-form loses nothing, the idle
timeout warns first and "Stay signed in" keeps the session, and a draft is offered back after
signing in again. The sessions here last seconds (SESSION_IDLE_SECONDS set for the test).
Run singly: `.venv/bin/pytest tests/browser/test_no_lost_work.py`."""

import re

import pytest
from playwright.sync_api import expect

from lantern import testing
from lantern.foundation.models import Draft, User
from lantern.pathway.models import Concern
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# About 2,400 characters, as in the issue.
NARRATIVE = ("Seen getting into a silver car with two adult men outside the station after "
             "school; she had a new phone and said they were friends from the shop. ") * 16


def _sign_in_again(checked, username: str) -> None:
    """Sign in from the sign-in page the browser is on, keeping its `next`."""
    page = checked.page
    page.fill("#id_username", username)
    page.fill("#id_password", testing.PASSWORD)
    page.click("button:has-text('Sign in')")
    expect(page.get_by_role("heading", name="Enter the code from your authenticator app"))\
        .to_be_visible()
    page.fill("#id_code", testing.current_code(User.objects.get(username=username)))
    page.click("button:has-text('Continue')")


def _a_concern_typed_by_alice(checked, narrative: str):
    """Alice signed in, on a new concern about a child of hers, its date and what happened
    typed; the page."""
    p = testing.build_partnership()
    child = testing.make_child(p.alice)
    page = checked.page
    sign_in(checked, "alice")
    checked.goto(f"/children/{child.pk}/concerns/new/")
    page.fill("#id_observed_on_day", "2")
    page.fill("#id_observed_on_month", "11")
    page.fill("#id_observed_on_year", "2026")
    page.fill("#id_narrative", narrative)
    return page


def test_a_form_sent_after_the_session_ended_loses_nothing(checked_page, settings):
    settings.SESSION_COOKIE_AGE = 10
    settings.SESSION_WARNING_SECONDS = 0  # no warning: the user walked away and came back
    page = _a_concern_typed_by_alice(checked_page, NARRATIVE)
    page.check("#id_urgent_1")
    expect(page.locator(".lantern-draft-status")).to_contain_text("Draft saved at")

    # Idle past the session's end, then Save.
    page.wait_for_timeout(12_000)
    page.click("button:has-text('Save concern')")
    expect(page.get_by_role("heading", name="Sign in to Lantern")).to_be_visible()
    expect(page.locator("main")).to_contain_text("What you typed has been kept")
    checked_page.axe()
    assert not Concern.objects.exists()

    # After both factors she is back on the form with everything she typed.
    _sign_in_again(checked_page, "alice")
    expect(page.get_by_role("region", name="Important")).to_contain_text(
        "You were signed out before this form was sent")
    expect(page.locator("#id_narrative")).to_have_value(NARRATIVE)
    expect(page.locator("#id_observed_on_month")).to_have_value("11")
    expect(page.locator("#id_urgent_1")).to_be_checked()
    checked_page.axe()

    # Sending it again is her choice; the concern is recorded and the draft is gone.
    page.click("button:has-text('Save concern')")
    expect(page.get_by_role("heading", name=re.compile("Screen for risk"))).to_be_visible()
    assert Concern.objects.get().narrative == NARRATIVE.strip()
    assert not Draft.objects.exists()


def test_the_timeout_warns_and_a_draft_is_offered_after_signing_in_again(checked_page,
                                                                         settings):
    p = testing.build_partnership()
    child = testing.make_child(p.alice)
    page = checked_page.page
    sign_in(checked_page, "alice")
    settings.SESSION_COOKIE_AGE = 14
    settings.SESSION_WARNING_SECONDS = 10

    checked_page.goto(f"/children/{child.pk}/concerns/new/")
    page.fill("#id_narrative", NARRATIVE)
    expect(page.locator(".lantern-draft-status")).to_contain_text("Draft saved at")

    # The warning opens as a modal dialog with the focus on "Stay signed in".
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    expect(dialog).to_be_visible(timeout=15_000)
    expect(page.locator("[data-timeout-stay]")).to_be_focused()
    checked_page.axe()
    page.click("[data-timeout-stay]")
    expect(dialog).to_be_hidden()
    expect(page.locator("#id_narrative")).to_be_focused()

    # Left alone, the session ends and the dialog says so.
    expect(page.get_by_role("dialog", name="You have been signed out"))\
        .to_be_visible(timeout=30_000)
    checked_page.axe()
    page.get_by_role("link", name="Sign in again").click()
    expect(page.get_by_role("heading", name="Sign in to Lantern")).to_be_visible()
    settings.SESSION_COOKIE_AGE = 30 * 60
    _sign_in_again(checked_page, "alice")

    # The draft is offered back, only restored when she chooses.
    banner = page.get_by_role("region", name="Draft saved")
    expect(banner).to_contain_text("You have a draft of this form saved at")
    expect(page.locator("#id_narrative")).to_have_value("")
    checked_page.axe()
    banner.get_by_role("button", name="Restore draft").click()
    expect(page.locator("#id_narrative")).to_have_value(NARRATIVE)


def test_tables_scroll_inside_their_region_at_320_pixels(checked_page):
    p = testing.build_partnership()
    for name in ("Kayla", "Jade", "Amira"):
        child = testing.make_child(p.alice, given_names=name)
        testing.make_concern(child, p.alice)
        testing.make_referral(child, p.alice)
    page = checked_page.page
    sign_in(checked_page, "fiona")
    page.set_viewport_size({"width": 320, "height": 720})
    for path in ("/", "/referrals/", "/work/"):
        checked_page.goto(path)
        region = page.locator(".lantern-table-scroll").first
        expect(region).to_have_attribute("tabindex", "0")
        # WCAG 1.4.10: the page itself never scrolls sideways; a wide table scrolls in place.
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width}px wide at 320px"


def test_wording_sent_before_the_check_answered_is_shown_before_saving(checked_page):
    """Typed and sent at once (the check while typing waits for a pause): the concern is not
    saved unseen; the page says so, lists the words and keeps the text; sent again, it saves."""
    page = _a_concern_typed_by_alice(checked_page, "She keeps putting herself at risk.")
    page.check("#id_urgent_1")
    page.click("button:has-text('Save concern')")
    expect(page.get_by_role("alert")).to_contain_text(
        "The concern has not been saved yet: check its wording")
    expect(page.locator("#language-findings")).to_contain_text("putting herself at risk")
    expect(page.locator("#id_narrative")).to_have_value("She keeps putting herself at risk.")
    checked_page.axe()
    assert not Concern.objects.exists()
    page.click("button:has-text('Save concern')")
    expect(page.get_by_role("heading", name="Screen for risk")).to_be_visible()
    assert Concern.objects.get().narrative == "She keeps putting herself at risk."
