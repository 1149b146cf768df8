"""Issue 14, item 5: a looked-after child goes missing for the first time. The front door
records her legal status; police record the episode; her allocated social worker finds the
screening in their tray at once (not only when a pattern forms), cannot decide alone that her
parents are not told under section 20, and cannot record her phone as taken until their
manager has agreed. axe runs on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lantern import testing
from lantern.foundation.models import WorkItem
from lantern.missing.models import RestrictiveMeasure
from lantern.people import actions as people
from tests.browser.conftest import sign_in, sign_out
from tests.browser.test_missing_episode import fill_moment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_episode_of_a_looked_after_child(checked_page):
    p = testing.build_partnership()
    child = testing.make_child(p.alice, given_names="Mira", family_name="Okafor")
    testing.make_concern(child, p.alice)
    people.allocate(child, p.sam, by=p.fiona)
    page = checked_page.page

    # The front door records that she is looked after, under section 20, with the reason.
    sign_in(checked_page, "fiona")
    checked_page.goto(child.get_absolute_url())
    page.get_by_role("link", name="Looked after", exact=True).click()
    expect(page.get_by_role("heading", name="Looked after", exact=True)).to_be_visible()
    checked_page.axe()
    page.click("#looked-after-status a:has-text('Change')")
    page.click("button:has-text('Save')")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why you are changing the child's looked-after status")
    checked_page.axe()
    page.check("#id_looked_after_0")
    page.check("input[name=legal_status][value=s20]")
    page.fill("#id_reason", "Mother asked for her to be accommodated")
    page.click("button:has-text('Save')")
    expect(page.locator("#looked-after-status")).to_contain_text("section 20")
    checked_page.axe()
    sign_out(checked_page)

    # Police record her first missing episode.
    went = timezone.now() - timedelta(hours=5)
    sign_in(checked_page, "priya")
    checked_page.goto(f"/children/{child.pk}/missing/new/")
    page.check("input[name=missing_from][value=foster_care]")
    fill_moment(page, "went_missing", went)
    fill_moment(page, "reported", went + timedelta(hours=1))
    page.fill("#id_reported_by", "Foster carer")
    page.check("#id_still_missing_0")
    page.click("button:has-text('Save missing episode')")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Missing episode recorded")
    checked_page.axe()
    sign_out(checked_page)

    # Her social worker has the screening at once, from the first episode.
    item = WorkItem.objects.get(child=child, kind="rescreen", status=WorkItem.Status.OPEN)
    assert item.owner == p.sam
    sign_in(checked_page, "sam")
    checked_page.goto("/work/")
    expect(page.locator("main")).to_contain_text(
        "Screen for exploitation: a looked-after child went missing")

    # Under section 20 her parents must be told: not telling them is the manager's decision.
    checked_page.goto(f"/children/{child.pk}/looked-after/parents/")
    expect(page.locator("#parents-rule")).to_contain_text("must be told")
    page.fill("#id_matter", "Missing from her foster home")
    page.check("#id_told_1")
    page.fill("#id_reason", "Her mother's partner may be involved")
    page.click("button:has-text('Save')")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "only the team or service manager responsible")
    checked_page.axe()

    # Confiscating her phone waits for the manager's agreement.
    checked_page.goto(f"/children/{child.pk}/looked-after/measures/new/")
    page.check("input[name=kind][value=confiscate_property]")
    page.fill("#id_detail", "The second phone, for a week")
    page.fill("#id_reason", "Adults contact her on it to arrange to meet")
    page.fill("#id_order_in_place", "Agreed under the s20 placement agreement")
    page.click("button:has-text('Send for a manager')")
    expect(page.locator("#measure")).to_contain_text("Waiting for the agreement")
    expect(page.locator("button:has-text('Record as taken')")).to_have_count(0)
    checked_page.axe()
    measure_url = page.url
    sign_out(checked_page)

    sign_in(checked_page, "maria")
    page.goto(measure_url)
    page.check("#id_agreed_0")
    page.fill("#id_reason", "Proportionate for a week; review at the LAC review")
    page.click("button:has-text('Record the decision')")
    expect(page.locator("#measure")).to_contain_text("Agreed by")
    checked_page.axe()
    assert RestrictiveMeasure.objects.get().agreed
