"""Minutes and plans as PDF (WeasyPrint): the family version never carries a closed section;
every page carries the record's protective marking; the PDF is tagged, with real text, its
language and its title. The text is read back out of the PDF to check."""

import io

import pytest
from pypdf import PdfReader

from lantern.intelligence.models import Subject
from lantern.intelligence.tests.helpers import person, report
from lantern.meetings import actions
from lantern.meetings.tests import helpers as h
from lantern.plans import actions as plans

SECRET = "The suspect is under investigation for two other children."
EXPLAINED = "The police need to share information about other people."
MINUTES = "Jade told her teacher she wants to go back to netball."


def _pdf(response) -> PdfReader:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def _text(reader: PdfReader) -> str:
    """The text of every page, with line breaks and runs of spaces made single spaces."""
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def meeting(p, child):
    meeting = h.convene(p, [child])
    section = actions.request_closed_section(meeting, by=p.priya, reason="Suspect information")
    actions.decide_closed_section(section, by=p.maria, grant=True,
                                  explanation_to_family=EXPLAINED)
    actions.save_closed_minutes(section, minutes=SECRET, by=p.maria)
    item = meeting.agenda.get(code="child_views")
    actions.save_minutes(item, minutes=MINUTES, version=item.version, by=p.maria)
    actions.record_decision(meeting, children=[child], text="Arrest for a drugs offence",
                            by=p.maria, closed_section=section)
    return meeting


def test_the_family_version_has_no_closed_section(p, meeting, as_user):
    text = _text(_pdf(as_user(p.maria).get(
        f"/meetings/{meeting.pk}/minutes.pdf?version=family")))
    assert MINUTES in text
    assert EXPLAINED in text
    assert SECRET not in text
    assert "Suspect information" not in text
    assert "Arrest for a drugs offence" not in text
    assert "Two adults known to police" not in text


def test_the_professional_version_for_the_invited_has_the_closed_section(p, meeting, as_user):
    text = _text(_pdf(as_user(p.priya).get(f"/meetings/{meeting.pk}/minutes.pdf")))
    assert SECRET in text and MINUTES in text and "Arrest for a drugs offence" in text


def test_the_professional_version_for_someone_not_invited_leaves_it_out(p, meeting, as_user):
    text = _text(_pdf(as_user(p.fiona).get(f"/meetings/{meeting.pk}/minutes.pdf")))
    assert SECRET not in text and "Arrest for a drugs offence" not in text
    assert "read only by the professionals invited" in text


def test_every_page_carries_the_protective_marking(p, meeting, as_user):
    for item in meeting.agenda.all():
        actions.save_minutes(item, minutes="Discussed at length. " * 60,
                             version=item.version, by=p.maria)
    reader = _pdf(as_user(p.maria).get(f"/meetings/{meeting.pk}/minutes.pdf?version=family"))
    assert len(reader.pages) > 2
    for page in reader.pages:
        assert page.extract_text().count("OFFICIAL-SENSITIVE") >= 2  # top and foot


def test_the_pdf_is_tagged_with_its_language_and_title(p, meeting, as_user):
    reader = _pdf(as_user(p.maria).get(f"/meetings/{meeting.pk}/minutes.pdf"))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert reader.metadata.title.startswith("MASE meeting (new referral)")
    roles = set()

    def walk(node):
        node = node.get_object()
        if "/S" in node:
            roles.add(str(node["/S"]))
        kids = node.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict):
                walk(kid)

    walk(root["/StructTreeRoot"])
    assert {"/H1", "/H2", "/Table"} <= roles


def test_a_family_version_of_a_meeting_about_several_children_is_for_one_child(p, child,
                                                                             as_user):
    from lantern import testing

    other = testing.make_child(p.alice, given_names="Kayla", family_name="Morrow")
    meeting = h.convene(p, [child, other], kind="complex_strategy")
    client = as_user(p.maria)
    assert client.get(f"/meetings/{meeting.pk}/minutes.pdf?version=family").status_code == 404
    text = _text(_pdf(client.get(
        f"/meetings/{meeting.pk}/minutes.pdf?version=family&child={child.pk}")))
    assert "Jade Example" in text and "Kayla Morrow" not in text


def test_the_plan_pdf_family_version_leaves_out_action_against_named_people(p, child,
                                                                          as_user):
    report(p.priya, [child], person("Dean", "Ward", role="suspect"))
    plan = plans.start_plan(child, by=p.maria)
    plans.add_action(plan, version=plan.version, by=p.maria, kind="safety",
                     description="Mum reports her missing at once", risk="Going missing",
                     owner_name="Her mother", owner_agency_name="Family")
    plan.refresh_from_db()
    plans.add_action(plan, version=plan.version, by=p.priya, kind="disruption",
                     disruption_type="cawn", subject=Subject.objects.get(),
                     parent_statement=True, description="Serve a warning notice",
                     risk="Dean Ward meets her after school", owner=p.priya)
    client = as_user(p.maria)
    professional = _text(_pdf(client.get(f"/children/{child.pk}/plan.pdf")))
    family = _text(_pdf(client.get(f"/children/{child.pk}/plan.pdf?version=family")))
    assert "Dean Ward" in professional and "Serve a warning notice" in professional
    assert "Dean Ward" not in family and "Serve a warning notice" not in family
    assert "Mum reports her missing at once" in family
    assert family.count("OFFICIAL-SENSITIVE") >= 2


def test_the_managers_minutes_mark_wording_to_check_in_print_not_by_colour(p, meeting,
                                                                          as_user):
    item = meeting.agenda.get(code="child_views")
    item.refresh_from_db()
    actions.save_minutes(item, minutes="She says it was her choice to go.",
                         version=item.version, by=p.maria)
    professional = _text(_pdf(as_user(p.maria).get(f"/meetings/{meeting.pk}/minutes.pdf")))
    assert "her choice [wording to check: note 1]" in professional
    assert "Wording to check: the child is a victim, never the problem." in professional
    family = _text(_pdf(as_user(p.maria).get(
        f"/meetings/{meeting.pk}/minutes.pdf?version=family")))
    assert "She says it was her choice to go." in family
    assert "wording to check" not in family.lower()


def test_the_managers_plan_pdf_marks_wording_to_check(p, child, as_user):
    plan = plans.start_plan(child, by=p.maria)
    plans.add_action(plan, version=plan.version, by=p.maria, kind="safety",
                     description="Stop her putting herself at risk", risk="Going missing",
                     owner_name="Her mother", owner_agency_name="Family")
    client = as_user(p.maria)
    professional = _text(_pdf(client.get(f"/children/{child.pk}/plan.pdf")))
    assert "putting herself at risk [wording to check: note 1]" in professional
    family = _text(_pdf(client.get(f"/children/{child.pk}/plan.pdf?version=family")))
    assert "Stop her putting herself at risk" in family
    assert "wording to check" not in family.lower()
