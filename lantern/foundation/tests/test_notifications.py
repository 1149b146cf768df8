"""Notifications (issue 14 item 9): who each rule tells and who it does not, one audit row per
notification, no child's name in email, and each person's own notifications page."""

import pytest
from django.core import mail

from lantern import testing
from lantern.foundation import notify
from lantern.foundation.models import AuditEvent, Notification, Role
from lantern.intelligence import actions as intelligence_actions
from lantern.meetings.tests import helpers as meetings
from lantern.monitoring.models import CseLead
from lantern.people.models import Allocation

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(p):
    return testing.make_child(p.alice, given_names="Jade", family_name="Quill")


@pytest.fixture
def wales(p):
    p.north.policy_profile = "wales"
    p.north.save()
    return p.north


def told(*, kind: str = "") -> set[str]:
    rows = Notification.objects.all()
    if kind:
        rows = rows.filter(source_type=kind)
    return set(rows.values_list("recipient__username", flat=True))


def allocate(child, user, by):
    Allocation.objects.create(child=child, user=user, allocated_by=by)


def suspect(given="Dean", family="Ward", *, role="suspect", **more):
    return intelligence_actions.MentionInput(kind="subject", raw_text=f"{given} {family}",
                                             role=role, given=given, family=family, **more)


# --- tell ---------------------------------------------------------------------------------

def test_tell_writes_one_notification_and_one_audit_row_per_person(p, child):
    notes = notify.tell([p.maria, p.sam, p.maria], title="Something happened", url="/work/",
                        basis="A rule (West Midlands CSE toolkit)", by=p.alice, child=child)
    assert [n.recipient for n in notes] == [p.maria, p.sam]
    rows = AuditEvent.objects.filter(action="notify")
    assert {(r.object_id, r.child_id) for r in rows} == {(str(n.pk), child.pk) for n in notes}


def test_tell_never_tells_whoever_did_it(p):
    assert notify.tell([p.maria], title="T", url="/", basis="B", by=p.maria) == []


def test_tell_emails_those_with_an_address_without_the_childs_name(
        p, child, django_capture_on_commit_callbacks):
    p.maria.email = "maria@northbridge.example"
    p.maria.save()
    with django_capture_on_commit_callbacks(execute=True):
        testing.make_screening(child, p.alice, final_category=2,
                           rationale="Judged with the school")
    assert mail.outbox[-1].to == ["maria@northbridge.example"]
    assert "Jade" not in mail.outbox[-1].body + mail.outbox[-1].subject
    assert "Quill" not in mail.outbox[-1].body + mail.outbox[-1].subject


def test_no_email_when_email_alerts_are_off(p, child, settings,
                                            django_capture_on_commit_callbacks):
    settings.NOTIFY_BY_EMAIL = False
    p.maria.email = "maria@northbridge.example"
    p.maria.save()
    with django_capture_on_commit_callbacks(execute=True):
        testing.make_screening(child, p.alice, final_category=2,
                           rationale="Judged with the school")
    assert told() == {"maria"} and mail.outbox == []


# --- Referrals (Wales, seed 002 §5.5) -------------------------------------------------------

def test_wales_tells_the_cse_manager_and_allocated_social_worker_of_a_referral(p, wales, child):
    allocate(child, p.sam, p.maria)
    Notification.objects.all().delete()
    testing.make_referral(child, p.alice)
    assert told(kind="pathway.referral") == {"maria", "sam"}


def test_wales_tells_the_named_council_lead_as_well_as_the_managers(p, wales, child):
    p.sam.email = "lead@northbridge.example"
    p.sam.save()
    CseLead.objects.create(agency=p.north_csc, name="Sam Tester", email="LEAD@northbridge.example",
                           added_by=p.ade)
    testing.make_referral(child, p.alice)
    assert told(kind="pathway.referral") == {"sam", "maria"}


def test_a_directory_entry_naming_someone_outside_childrens_social_care_tells_them_nothing(
        p, wales, child):
    """A wrong entry in the leads directory can neither send the alert elsewhere nor take it
    away from the CSE team managers."""
    p.ana.email = "analyst@northbridge.example"
    p.ana.save()
    CseLead.objects.create(agency=p.north_csc, name="Not a lead",
                           email="analyst@northbridge.example", added_by=p.ade)
    testing.make_referral(child, p.alice)
    assert told(kind="pathway.referral") == {"maria"}


def test_a_lead_removed_from_the_directory_is_not_told(p, wales, child):
    p.sam.email = "lead@northbridge.example"
    p.sam.save()
    CseLead.objects.create(agency=p.north_csc, name="Sam", email="lead@northbridge.example",
                           added_by=p.ade, removed_by=p.ade, removed_at=child.created_at)
    testing.make_referral(child, p.alice)
    assert told(kind="pathway.referral") == {"maria"}


def test_other_profiles_tell_no_one_of_a_referral(p, child):
    allocate(child, p.sam, p.maria)
    testing.make_referral(child, p.alice)
    assert told(kind="pathway.referral") == set()


# --- Strategy discussion outcome (Wales, seed 002 §5.8) ------------------------------------

def test_wales_tells_the_referrer_when_the_strategy_discussion_is_held(p, wales, child):
    meetings.refer_and_decide(p, child)
    meeting = meetings.convene(p, [child], kind="strategy_discussion",
                               late_reason="The police officer is on leave until then")
    meetings.hold(p, meeting, [child], risk_framework="seraf", risk_category=3)
    assert told(kind="meetings.meeting") == {"alice"}


def test_a_child_protection_conference_held_tells_the_referrer_nothing(p, wales, child):
    meetings.refer_and_decide(p, child)
    meeting = meetings.convene(p, [child], kind="cp_conference",
                               late_reason="The police officer is on leave until then")
    meetings.hold(p, meeting, [child], risk_framework="seraf", risk_category=3)
    assert told(kind="meetings.meeting") == set()


def test_outside_wales_the_referrer_is_not_told_by_this_rule(p, child):
    meetings.refer_and_decide(p, child)
    meeting = meetings.convene(p, [child], kind="strategy_discussion",
                               late_reason="The police officer is on leave until then")
    meetings.hold(p, meeting, [child])
    assert told(kind="meetings.meeting") == set()


# --- Children at risk (every profile, seed 001) --------------------------------------------

def test_a_child_at_risk_is_told_to_the_cse_team_of_the_area(p, child):
    testing.make_screening(child, p.alice, final_category=1,
                           rationale="Judged with the school")
    assert told(kind="screening.screening") == {"maria"}


def test_seraf_category_1_is_not_at_risk_and_tells_no_one(p, wales, child):
    testing.make_screening(child, p.alice, framework="seraf", indicators=(), final_category=1,
                           rationale="Judged with the school")
    assert told(kind="screening.screening") == set()


def test_seraf_category_2_tells_the_cse_team(p, wales, child):
    testing.make_screening(child, p.alice, framework="seraf", indicators=(), final_category=2,
                           rationale="Judged with the school")
    assert told(kind="screening.screening") == {"maria"}


def test_another_areas_cse_manager_is_not_told(p, child):
    testing.UserFactory.create(username="esme", role=Role.CSE_MANAGER, agency=p.east_csc)
    testing.make_screening(child, p.alice, final_category=2,
                           rationale="Judged with the school")
    assert "esme" not in told(kind="screening.screening")


# --- Adults considered a risk (every profile, seed 001) ------------------------------------

def test_a_new_adult_suspect_is_told_to_the_cse_team(p, child):
    intelligence_actions.submit_report(by=p.alice, text="Seen with Dean.", children=[child],
                                       mentions=[suspect()])
    assert told(kind="intelligence.intelligencereport") == {"maria"}


def test_an_associate_is_not_an_adult_considered_a_risk(p, child):
    intelligence_actions.submit_report(by=p.alice, text="Seen with Dean.", children=[child],
                                       mentions=[suspect(role="associated")])
    assert told(kind="intelligence.intelligencereport") == set()


def test_a_vehicle_named_as_suspect_is_not_an_adult_considered_a_risk(p, child):
    car = intelligence_actions.MentionInput(kind="vehicle", raw_text="AB12 CDE", role="suspect",
                                            registration="AB12 CDE")
    intelligence_actions.submit_report(by=p.alice, text="The car again.", children=[child],
                                       mentions=[car])
    assert told(kind="intelligence.intelligencereport") == set()


def test_a_child_named_as_a_suspect_is_not_an_adult_considered_a_risk(p, child):
    intelligence_actions.submit_report(by=p.alice, text="Another child.", children=[child],
                                       mentions=[suspect(is_child=True)])
    assert told(kind="intelligence.intelligencereport") == set()


# --- The page -------------------------------------------------------------------------------

def test_the_page_lists_only_ones_own_notifications_and_the_header_counts_them(p, client):
    notify.tell([p.maria], title="For maria", url="/work/", basis="Rule (seed 001)")
    notify.tell([p.sam], title="For sam", url="/work/", basis="Rule (seed 001)")
    testing.sign_in_client(client, p.maria)
    page = client.get("/notifications/").content.decode()
    assert "For maria" in page and "For sam" not in page
    assert "Notifications (1 new)" in page


def test_a_page_past_the_last_says_none_on_this_page_not_none_at_all(p, client):
    notify.tell([p.maria], title="For maria", url="/work/", basis="Rule (seed 001)")
    testing.sign_in_client(client, p.maria)
    page = client.get("/notifications/", {"page": "9"}).content.decode()
    assert "None on this page" in page and "You have no notifications." not in page


def test_marking_one_read(p, client):
    note, = notify.tell([p.maria], title="For maria", url="/work/", basis="Rule (West Midlands CSE "
                                                                          "toolkit)")
    testing.sign_in_client(client, p.maria)
    assert client.post("/notifications/", {"notification": note.pk}).status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None


def test_marking_read_is_audited(p, client):
    note, = notify.tell([p.maria], title="For maria", url="/work/", basis="Rule (West Midlands CSE "
                                                                          "toolkit)")
    testing.sign_in_client(client, p.maria)
    client.post("/notifications/", {"notification": note.pk})
    assert AuditEvent.objects.filter(actor=p.maria, summary="Marked 1 notification read").exists()


def test_another_persons_notification_cannot_be_marked_read(p, client):
    note, = notify.tell([p.sam], title="For sam", url="/work/", basis="Rule (West Midlands CSE "
                                                                      "toolkit)")
    testing.sign_in_client(client, p.maria)
    assert client.post("/notifications/", {"notification": note.pk}).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_marking_all_read_leaves_others_unread(p, client):
    notify.tell([p.maria, p.sam], title="For both", url="/work/", basis="Rule (West Midlands CSE "
                                                                        "toolkit)")
    testing.sign_in_client(client, p.maria)
    client.post("/notifications/")
    assert (notify.unread_count(p.maria), notify.unread_count(p.sam)) == (0, 1)


def test_without_email_tells_in_lantern_only(p, child, django_capture_on_commit_callbacks):
    p.maria.email = "maria@northbridge.example"
    p.maria.save()
    with django_capture_on_commit_callbacks(execute=True), notify.without_email():
        notify.tell([p.maria], title="T", url="/", basis="B")
    assert told() == {"maria"} and mail.outbox == []
