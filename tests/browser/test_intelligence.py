"""Issue 7 in the browser: a teacher shares intelligence, police grade it, a possible match is
merged, the CSE team manager reads the trigger, opens the link chart (drawing and list view)
and dismisses the trigger with a reason. axe runs on every page; any CSP violation fails."""

import pytest
from playwright.sync_api import expect

from lantern import testing
from lantern.intelligence.models import IntelligenceReport, MergeProposal
from lantern.intelligence.tests.helpers import person, report
from tests.browser.conftest import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_intelligence_from_sharing_to_trigger_and_link_chart(checked_page):
    p = testing.build_partnership()
    jade = testing.make_child(p.alice, given_names="Jade", family_name="Example")
    kayla = testing.make_child(p.alice, given_names="Kayla", family_name="Morrow")
    page = checked_page.page

    # A teacher shares what she knows about two children.
    sign_in(checked_page, "alice")
    page.click("a.govuk-service-navigation__link:has-text('Intelligence')")
    checked_page.axe()
    page.click("text=Share intelligence")
    checked_page.axe()
    page.click("button:has-text('Share intelligence')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what you know")
    checked_page.axe()
    page.fill("#id_text", "An older man called Mo collects both girls after school.")
    page.check(f"input[name=children][value='{jade.pk}']")
    page.check(f"input[name=children][value='{kayla.pk}']")
    page.fill("#id_person_1_nickname", "Mo")
    page.fill("#id_person_1_phone", "07700 900461")
    page.check("input[name=person_1_role][value=suspect]")
    page.click("button:has-text('Share intelligence')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Intelligence shared")
    checked_page.axe()
    sign_out(checked_page)

    # Police write down the same man differently; Lantern proposes a match.
    report(p.priya, [jade], person("Mohammed", "K", phone="+44 7700 900461"))
    sign_in(checked_page, "priya")
    page.goto(checked_page.base_url + IntelligenceReport.objects.order_by("pk")
              .first().get_absolute_url())
    checked_page.axe()
    page.check("input[name=source_grade][value='2']")
    page.check("input[name=intelligence_grade][value=B]")
    page.check("input[name=handling][value=P]")
    page.fill("#id_sanitised_text", "An adult collects both children after school.")
    page.click("button:has-text('Save grading')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Grading saved")
    checked_page.axe()
    page.goto(checked_page.base_url + "/intelligence/resolution/")
    checked_page.axe()
    page.click("text=Known as Mo and Mohammed K")
    expect(page.locator("table")).to_contain_text("is a usual short form of")
    checked_page.axe()
    page.check("input[name=action][value=merge]")
    page.click("button:has-text('Record decision')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Decision recorded")
    proposal = MergeProposal.objects.get()
    assert proposal.status == "merged"

    # Police record what they know of his violence and convictions, from the link chart.
    page.goto(f"{checked_page.base_url}/intelligence/chart/?focus=e{proposal.left_id}")
    checked_page.axe()
    page.check("input[name=violence][value=yes]")
    page.fill("#id_previous_convictions", "2")
    page.click("button:has-text('Save police record')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("convictions recorded")
    checked_page.axe()
    sign_out(checked_page)

    # The CSE team manager reads the trigger and opens the link chart around the suspect.
    sign_in(checked_page, "maria")
    page.goto(checked_page.base_url + "/intelligence/triggers/")
    checked_page.axe()
    page.click("text=Several children linked to the same alleged perpetrator")
    expect(page.locator("main")).to_contain_text("Convene a complex strategy meeting")
    checked_page.axe()
    page.locator("main a", has_text="Known as Mo").first.click()
    expect(page.locator("#link-chart canvas").first).to_be_attached()
    expect(page.locator("#links-list")).to_be_visible()
    checked_page.axe()
    page.click("button:has-text('Show the links of Jade Example')")
    expect(page.locator(f"#n-c{jade.pk}")).to_contain_text("Known as Mo")
    checked_page.axe()

    # The disruption priorities show every factor.
    page.goto(checked_page.base_url + "/intelligence/subjects/")
    expect(page.locator("main")).to_contain_text("Children linked")
    checked_page.axe()

    # Dismissing needs a reason.
    page.goto(checked_page.base_url + "/intelligence/triggers/")
    page.click("text=Several children linked to the same alleged perpetrator")
    page.click("button:has-text('Dismiss this trigger')")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why you are dismissing this trigger")
    checked_page.axe()
    page.fill("#id_reason", "Already in one complex strategy convened yesterday.")
    page.click("button:has-text('Dismiss this trigger')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Trigger dismissed")
    checked_page.axe()


def _share_about(checked_page, child, *, given="", family="", nickname="", phone=""):
    page = checked_page.page
    page.goto(checked_page.base_url + "/intelligence/")
    page.click("text=Share intelligence")
    page.fill("#id_text", "Seen getting into a car after school; he calls her most nights.")
    page.check(f"input[name=children][value='{child.pk}']")
    for field, value in (("given", given), ("family", family), ("nickname", nickname),
                         ("phone", phone)):
        if value:
            page.fill(f"#id_person_1_{field}", value)
    page.check("input[name=person_1_role][value=suspect]")
    page.click("button:has-text('Share intelligence')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Intelligence shared")


def test_two_names_on_one_phone_join_two_children_in_a_complex_strategy_trigger(checked_page):
    """Issue 16: "Jay, 07700 900123" about Olivia and "Jason Reid, 07700900123" about Leah."""
    p = testing.build_partnership()
    olivia = testing.make_child(p.alice, given_names="Olivia", family_name="Griffiths")
    leah = testing.make_child(p.alice, given_names="Leah", family_name="Brennan")
    page = checked_page.page

    sign_in(checked_page, "alice")
    _share_about(checked_page, olivia, nickname="Jay", phone="07700 900123")
    _share_about(checked_page, leah, given="Jason", family="Reid", phone="07700900123")
    sign_out(checked_page)

    sign_in(checked_page, "maria")
    page.goto(checked_page.base_url + "/intelligence/triggers/")
    checked_page.axe()
    page.click("text=Several children joined through a shared phone, vehicle, place or person")
    main = page.locator("main")
    expect(main).to_contain_text("Convene a complex strategy meeting")
    expect(main).to_contain_text("Olivia Griffiths")
    expect(main).to_contain_text("Leah Brennan")
    checked_page.axe()
    sign_out(checked_page)

    # Police see the two names proposed as possibly one man, the shared phone as the evidence.
    sign_in(checked_page, "priya")
    page.goto(checked_page.base_url + "/intelligence/resolution/")
    page.locator("main a", has_text="Jason Reid").first.click()
    expect(page.locator("table")).to_contain_text("+447700900123")
    checked_page.axe()
