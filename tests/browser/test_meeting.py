"""Issue 6, end to end: a CSE team manager convenes a MASE for a child, runs it (attendance,
the family's participation, minutes, a closed section, the risk assessment with police input
and both oversights, outcomes and the review date), updates the child's one plan in the same
sitting and records the meeting as held. The family's copy of the minutes has no closed
section. axe runs on every page."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from lantern import testing
from lantern.meetings.models import Meeting
from lantern.meetings.tests.helpers import refer_and_decide
from tests.browser.conftest import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "The adult is under investigation for offences against two other children."


def _banner(page, text):
    expect(page.locator(".govuk-notification-banner").first).to_contain_text(text)


def test_a_meeting_is_held_end_to_end_and_produces_the_plan(checked_page):
    p = testing.build_partnership()
    child = testing.make_child(p.alice, given_names="Kayla", family_name="Morrow")
    concern = testing.make_concern(child, p.alice,
                                   narrative="Kayla is sexually active with older men.")
    refer_and_decide(p, child)
    page = checked_page.page
    day = timezone.localdate() + timedelta(days=3)

    # maria, the CSE team manager, reads the concern before convening: the saved wording to
    # check is marked with the suggestion (SPEC §12), and the page passes axe with the mark.
    sign_in(checked_page, "maria")
    checked_page.goto(f"/concerns/{concern.pk}/")
    expect(page.locator("mark.lantern-wording")).to_contain_text("sexually active")
    expect(page.locator(".lantern-wording-notes")).to_contain_text("Describe what happened")

    # maria convenes the MASE the Coventry profile names, chaired by the CSE team manager.
    checked_page.goto(f"/children/{child.pk}/")
    page.click("text=Meetings about Kayla")
    checked_page.axe()
    page.click("text=Convene a meeting")
    checked_page.axe()
    page.check("input[name=kind][value=mase_initial]")
    page.click("button:has-text('Continue')")
    expect(page.get_by_role("heading", name="Convene a MASE meeting (new referral)")
           ).to_be_visible()
    checked_page.axe()
    page.fill("#id_scheduled_on_day", str(day.day))
    page.fill("#id_scheduled_on_month", str(day.month))
    page.fill("#id_scheduled_on_year", str(day.year))
    page.fill("#id_scheduled_time", "10:00")
    page.check("input[name=format][value=in_person]")
    page.select_option("#id_chair", str(p.maria.pk))
    page.click("button:has-text('Convene the meeting')")
    _banner(page, "MASE meeting (new referral) convened")
    checked_page.axe()
    meeting = Meeting.objects.get()

    # The child's mother is invited by name; everyone attends.
    page.click("text=Invite someone else, or the child and family")
    page.select_option("#id_invitee", "parents")
    page.fill("#id_name", "Dawn Morrow")
    page.fill("#id_agency_name", "Mother")
    page.click("button:has-text('Invite')")
    _banner(page, "Invitation added")
    checked_page.axe()
    for select in page.locator("#attendance-form select").all():
        select.select_option("attended")
    page.click("button:has-text('Save attendance')")
    _banner(page, "Attendance recorded")
    expect(page.locator(".govuk-warning-text")).to_have_count(0)
    checked_page.axe()

    # The family's participation, decided with the social work manager.
    page.click("text=Record the decision")
    checked_page.axe()
    page.check("input[name=child_participation][value=views]")
    page.check("input[name=family_participation][value=whole]")
    page.fill("#id_reason", "Kayla asked her mum to speak for her; her views are written down.")
    page.fill("#id_decided_with", "Sam's team manager")
    page.click("button:has-text('Save the decision')")
    _banner(page, "participation is recorded")

    # Minutes are saved in place (htmx) on the agenda.
    item = meeting.agenda.get(code="child_views")
    box = page.locator(f"#agenda-{item.pk}")
    box.locator("textarea").fill("Kayla wants to go back to netball and feel safe at home.")
    box.locator("button:has-text('Save minutes')").click()
    expect(page.locator(f"#agenda-{item.pk}")).to_contain_text("Saved.")
    checked_page.axe()

    # A closed section: asked for, granted by the chair with the explanation given to the
    # family, and minuted.
    page.click("text=Ask for part of the meeting to be closed")
    page.fill("#id_reason", "Third-party information about a suspect")
    page.click("button:has-text('Ask the chair')")
    _banner(page, "Closed section requested")
    page.click("text=Closed section 1")
    checked_page.axe()
    page.check("#id_grant_0")
    page.fill("#id_explanation_to_family",
              "The police need to talk about other people, which they cannot share.")
    page.click("button:has-text('Save the decision')")
    _banner(page, "Decision recorded")
    page.fill("#id_minutes", SECRET)
    page.click("button:has-text('Save the minutes')")
    _banner(page, "Closed section minutes saved")
    checked_page.axe()
    page.click("text=Back to the meeting")

    # Kayla's own record: the risk assessment with police input, outcomes, review date.
    page.locator("#children ~ .lantern-table-scroll table").get_by_role(
        "link", name="Kayla Morrow", exact=True).click()
    checked_page.axe()
    page.check("input[name=risk_category][value='2']")
    page.fill("#id_risk_analysis", "Adults are grooming Kayla with lifts and gifts.")
    page.fill("#id_csc_input", "Open to children's services since March.")
    page.fill("#id_police_input", "Two adults known to police for exploitation offences.")
    page.fill("#id_police_input_by", "DS Priya Tester")
    page.fill("#id_health_input", "Seen twice at the sexual health clinic.")
    page.check("input[name=outcomes][value=multi_agency_support]")
    page.check("#id_section_47_1")
    review = timezone.localdate() + timedelta(days=42)
    page.fill("#id_next_review_on_day", str(review.day))
    page.fill("#id_next_review_on_month", str(review.month))
    page.fill("#id_next_review_on_year", str(review.year))
    page.click("button:has-text('Save')")
    _banner(page, "record of the meeting is saved")
    checked_page.goto(f"/meetings/{meeting.pk}/children/{child.pk}/")
    page.fill("#id_comment", "Agree category 2: intensive direct work needed.")
    page.click("button:has-text('Record your oversight')")
    _banner(page, "Oversight recorded")
    checked_page.axe()

    # The police officer adds her oversight and a disruption-free safety action is agreed.
    sign_out(checked_page)
    sign_in(checked_page, "priya")
    checked_page.goto(f"/meetings/{meeting.pk}/children/{child.pk}/")
    page.fill("#id_comment", "Level of risk recorded on police systems.")
    page.check("#id_recorded_on_police_systems")
    page.click("button:has-text('Record your oversight')")
    _banner(page, "Oversight recorded")
    checked_page.axe()
    sign_out(checked_page)

    # Back to maria: the plan in the same sitting, then the meeting is recorded as held.
    sign_in(checked_page, "maria")
    checked_page.goto(f"/children/{child.pk}/plan/")
    checked_page.axe()
    page.click("button:has-text('Start the plan now')")
    _banner(page, "Plan started")
    page.click("text=Add an action")
    checked_page.axe()
    page.check("input[name=kind][value=safety]")
    page.fill("#id_description", "Dawn reports Kayla missing after 30 minutes.")
    page.fill("#id_risk", "Going missing with adults at night")
    page.select_option("#id_owner", str(p.sam.pk))
    due = timezone.localdate() + timedelta(days=14)
    page.fill("#id_due_on_day", str(due.day))
    page.fill("#id_due_on_month", str(due.month))
    page.fill("#id_due_on_year", str(due.year))
    page.check("input[name=status][value=not_started]")
    page.click("button:has-text('Add the action')")
    _banner(page, "Action added to the plan")
    expect(page.locator("main")).to_contain_text("Sam Tester, Northbridge Children")
    checked_page.axe()

    # The meeting has started by now (it cannot be recorded as held before it starts).
    Meeting.objects.filter(pk=meeting.pk).update(
        scheduled_for=timezone.now() - timedelta(hours=1))
    checked_page.goto(meeting.get_absolute_url())
    expect(page.locator("#held ~ p").first).to_contain_text("Everything needed is recorded")
    page.click("button:has-text('Record the meeting as held')")
    _banner(page, "recorded as held")
    checked_page.axe()
    meeting.refresh_from_db()
    assert meeting.status == "held"

    # The family's copy of the minutes has the explanation but never the closed section.
    family = page.request.get(
        f"{checked_page.base_url}/meetings/{meeting.pk}/minutes.pdf?version=family")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(
        io.BytesIO(family.body())).pages).split())
    assert "cannot share" in text and SECRET not in text
    assert "Kayla wants to go back to netball" in text

    # The child's record shows the plan and the meeting in the chronology.
    checked_page.goto(f"/children/{child.pk}/")
    expect(page.locator("#plan ~ p").first).to_contain_text(re.compile(r"1 open action"))
    expect(page.locator(".moj-timeline")).to_contain_text("MASE meeting (new referral) held")
    checked_page.axe()
