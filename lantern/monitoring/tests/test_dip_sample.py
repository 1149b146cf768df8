"""The monthly dip-sample audit (issue 17 item 4; seed 001: "Monthly audits to dip sample CSE
Risk Assessments"): a reproducible random sample given to auditors, who read each record
through a read-only grant until they complete its quality form; findings and actions go into
their owners' work; the grades reach the data set, suppressed."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lantern import testing
from lantern.domain import dipsample
from lantern.foundation.models import AuditEvent, Grant, GrantBasis, Role, WorkItem
from lantern.meetings.tests import helpers
from lantern.monitoring import actions, queries
from lantern.monitoring.models import DipSample, DipSampleItem

LIST = reverse("monitoring:dip_samples")
QUALITY = ["analysis", "childs_voice", "timeliness", "management_oversight", "language"]


def _screened(p, n: int) -> list:
    made = []
    for i in range(n):
        child = testing.make_child(p.alice, given_names=f"Sampled{i}")
        made.append(testing.make_screening(child, p.alice,
                                           analysis=f"Analysis of record {i}."))
    return made


def _draw(p, size=3, seed=11) -> DipSample:
    return actions.draw_dip_sample(area=p.alice.agency.area, month=timezone.localdate(),
                                   size=size, by=p.bea, seed=seed)


def _complete_form(grade="good") -> dict:
    data = {"complete": "1", "summary": "Sound work."}
    for code in QUALITY:
        data[f"{code}_grade"] = grade
        data[f"{code}_comment"] = f"Comment on {code}."
    return data



def _last_month():
    """The first day of last month, the latest month a sample can be drawn for."""
    month = timezone.localdate().replace(day=1)
    return (month.replace(year=month.year - 1, month=12) if month.month == 1
            else month.replace(month=month.month - 1))

@pytest.mark.django_db
def test_the_sample_is_the_seeded_draw_of_the_months_records(p):
    screenings = _screened(p, 8)
    sample = _draw(p, size=3, seed=11)
    expected = dipsample.choose([f"screening-{s.pk}" for s in screenings], 3, 11)
    assert sorted(f"screening-{i.record_id}" for i in sample.items.all()) == sorted(expected)
    assert sample.candidates == 8 and sample.seed == 11


@pytest.mark.django_db
def test_each_auditor_is_granted_read_only_access_to_their_record(p):
    _screened(p, 2)
    sample = _draw(p, size=2)
    for item in sample.items.all():
        assert item.auditor == p.bea  # the area's only auditor; alice made the screenings
        grant = Grant.objects.live().get(user=p.bea, child=item.child)
        assert grant.basis == GrantBasis.DIP_SAMPLE_AUDIT and grant.read_only
        assert not grant.changes


@pytest.mark.django_db
def test_nobody_is_given_a_record_they_made(p):
    Permission.objects.get(codename="audit_dip_sample")
    p.bea.is_active = False
    p.bea.save()
    _screened(p, 1)  # alice made it; she is the only one with the permission
    p.alice.user_permissions.add(Permission.objects.get(codename="audit_dip_sample"))
    item = _draw(p, size=1).items.get()
    assert item.auditor is None
    assert not Grant.objects.filter(basis=GrantBasis.DIP_SAMPLE_AUDIT).exists()


@pytest.mark.django_db
def test_someone_with_the_quality_assurance_permission_is_an_auditor(p):
    assert p.maria not in queries.dip_sample_auditors(p.maria.agency.area_id)
    p.maria.user_permissions.add(Permission.objects.get(codename="audit_dip_sample"))
    assert p.maria in queries.dip_sample_auditors(p.maria.agency.area_id)
    assert p.bea in queries.dip_sample_auditors(p.maria.agency.area_id)


@pytest.mark.django_db
def test_drawing_from_the_page_uses_the_size_setting(p, as_user, settings):
    settings.DIP_SAMPLE_SIZE = 2
    _screened(p, 5)
    last = _last_month()
    DipSample.objects.all().delete()
    # The records were made this month; the page offers the months that have ended, so the
    # draw is of last month, which has none: the sample is drawn, empty.
    response = as_user(p.bea).post(LIST, {"month": f"{last:%Y-%m}"})
    sample = DipSample.objects.get()
    assert response["Location"] == sample.get_absolute_url()
    assert sample.size == 2 and sample.month == last


@pytest.mark.django_db
def test_a_month_is_drawn_once(p, as_user):
    last = _last_month()
    client = as_user(p.bea)
    client.post(LIST, {"month": f"{last:%Y-%m}"})
    response = client.post(LIST, {"month": f"{last:%Y-%m}"})
    assert response.status_code == 200
    assert f"The sample for {last:%B %Y} has already been drawn" in response.text
    assert DipSample.objects.count() == 1


@pytest.mark.django_db
def test_the_page_lists_the_samples_with_their_counts_and_the_auditors_own_records(p, as_user):
    _screened(p, 3)
    sample = _draw(p, size=3)
    first, *rest = sample.items.order_by("pk")
    client = as_user(p.bea)
    client.post(first.get_absolute_url(), _complete_form())
    response = client.get(LIST)
    assert [(s.pk, s.item_count, s.completed_count, s.drawn_by.display_name)
            for s in response.context["samples"]] == [(sample.pk, 3, 1, p.bea.display_name)]
    assert f"{sample.month:%B %Y}</a>" in response.text
    assert f"{p.bea.display_name}, {sample.drawn_at:%-d %B %Y}" in response.text
    mine = response.context["mine"]
    assert [i.pk for i in mine] == [i.pk for i in rest]
    assert all(i.sample.month == sample.month for i in mine)
    assert f"record {rest[0].pk}</a> ({sample.month:%B %Y} sample)" in response.text
    assert (f'<a class="govuk-link" href="{rest[0].get_absolute_url()}">'
            f'{rest[0].get_kind_display()}, record {rest[0].pk}</a>') in response.text
    # The records to audit are each auditor's own.
    assert as_user(p.ana).get(LIST).context["mine"] == []


@pytest.mark.django_db
def test_an_analyst_may_not_draw_a_sample(p, as_user):
    assert as_user(p.ana).post(LIST, {"month": "2026-01"}).status_code == 403


@pytest.mark.django_db
def test_the_auditor_reads_the_record_through_the_grant_and_the_read_is_audited(p, as_user):
    _screened(p, 1)
    item = _draw(p, size=1).items.get()
    response = as_user(p.bea).get(item.get_absolute_url())
    assert "Analysis of record 0." in response.text
    assert "Sampled0" not in response.text  # by reference, not by name
    assert AuditEvent.objects.filter(actor=p.bea, child=item.child, action="view").exists()


@pytest.mark.django_db
def test_the_analyst_sees_the_grades_but_not_the_record(p, as_user):
    _screened(p, 1)
    item = _draw(p, size=1).items.get()
    response = as_user(p.ana).get(item.get_absolute_url())
    assert response.status_code == 200
    assert "Analysis of record 0." not in response.text


@pytest.mark.django_db
def test_another_areas_auditor_is_told_nothing(p, as_user):
    _screened(p, 1)
    item = _draw(p, size=1).items.get()
    eastmoor = testing.UserFactory.create(username="eastboard", role=Role.BOARD,
                                          agency=p.carol.agency)
    assert as_user(eastmoor).get(item.get_absolute_url()).status_code == 404
    assert as_user(eastmoor).get(item.sample.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_completing_needs_every_area_graded_with_a_comment(p, as_user):
    _screened(p, 1)
    item = _draw(p, size=1).items.get()
    data = _complete_form()
    del data["language_grade"]
    data["timeliness_comment"] = " "
    response = as_user(p.bea).post(item.get_absolute_url(), data)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Select a grade for language" in response.text
    assert "Enter a comment on timeliness" in response.text
    assert "Comment on analysis." in response.text  # nothing typed is lost
    item.refresh_from_db()
    assert not item.is_completed


@pytest.mark.django_db
def test_saving_keeps_the_grades_without_completing(p, as_user):
    _screened(p, 1)
    item = _draw(p, size=1).items.get()
    as_user(p.bea).post(item.get_absolute_url(), {"analysis_grade": "inadequate",
                                                  "analysis_comment": "Lists, no analysis."})
    item.refresh_from_db()
    assert [(g.area, g.grade) for g in item.grades.all()] == [("analysis", "inadequate")]
    assert not item.is_completed
    assert Grant.objects.live().filter(user=p.bea, child=item.child).exists()


@pytest.mark.django_db
def test_completing_the_audit_ends_the_auditors_access(p, as_user):
    _screened(p, 1)
    item = _draw(p, size=1).items.get()
    client = as_user(p.bea)
    response = client.post(item.get_absolute_url(), _complete_form())
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.is_completed
    assert not Grant.objects.live().filter(user=p.bea, child=item.child).exists()
    assert AuditEvent.objects.filter(action="grant_end", child=item.child).exists()
    page = client.get(item.get_absolute_url()).text
    assert "Analysis of record 0." not in page
    assert "Comment on analysis." in page


@pytest.mark.django_db
def test_a_completed_audit_cannot_be_changed(p, as_user):
    _screened(p, 1)
    item = _draw(p, size=1).items.get()
    client = as_user(p.bea)
    client.post(item.get_absolute_url(), _complete_form())
    assert client.post(item.get_absolute_url(), _complete_form("inadequate")).status_code == 403
    assert set(item.grades.values_list("grade", flat=True)) == {"good"}


@pytest.mark.django_db
def test_each_record_given_to_an_auditor_is_in_their_work_tray_naming_no_child(p, as_user):
    _screened(p, 2)
    sample = _draw(p, size=2)
    items = WorkItem.objects.filter(kind="dip_sample_audit", status=WorkItem.Status.OPEN)
    assert {w.source_id for w in items} == {str(i.pk) for i in sample.items.all()}
    assert all(w.owner == p.bea and w.child is None for w in items)
    # Due by the end of the month after the month sampled.
    last_day = (sample.month.replace(day=28) + timedelta(days=40)).replace(day=1) \
        - timedelta(days=1)
    assert {timezone.localtime(w.due_at).date() for w in items} == {last_day}
    # A board member's work is on their home page (their role has no work tray page).
    home = as_user(p.bea).get("/").text
    assert f"Audit a screening for the {sample.month:%B %Y} dip sample" in home
    assert "Sampled0" not in home and "Sampled1" not in home


@pytest.mark.django_db
def test_a_practitioner_auditor_finds_the_audit_in_their_work_tray(p, as_user):
    """Someone given the quality-assurance permission (here Sam, a social worker) audits too."""
    p.sam.user_permissions.add(Permission.objects.get(codename="audit_dip_sample"))
    p.bea.is_active = False
    p.bea.save()
    _screened(p, 1)
    sample = _draw(p, size=1)
    assert sample.items.get().auditor == p.sam
    tray = as_user(p.sam).get(reverse("work"), {"tray": "mine"}).text
    assert f"Audit a screening for the {sample.month:%B %Y} dip sample" in tray
    assert "Sampled0" not in tray


@pytest.mark.django_db
def test_completing_the_audit_closes_its_work(p, as_user):
    _screened(p, 1)
    item = _draw(p, size=1).items.get()
    as_user(p.bea).post(item.get_absolute_url(), _complete_form())
    work = WorkItem.objects.get(kind="dip_sample_audit")
    assert work.status == WorkItem.Status.DONE and work.closed_by == p.bea


@pytest.mark.django_db
def test_an_action_goes_into_its_owners_work_tray(p, as_user):
    _screened(p, 1)
    item = _draw(p, size=1).items.get()
    due = timezone.localdate() + timedelta(days=14)
    response = as_user(p.bea).post(reverse("monitoring:dip_sample_action", args=[item.pk]), {
        "finding": "The child's views are not recorded.",
        "action": "Record the child's views in the screening",
        "owner": str(p.maria.pk),
        "due_on_day": str(due.day), "due_on_month": str(due.month),
        "due_on_year": str(due.year)})
    assert response.status_code == 302
    work = WorkItem.objects.get(kind="dip_sample_action")
    assert work.owner == p.maria and work.child is None
    assert work.due_at.date() == due
    tray = as_user(p.maria).get(reverse("work"), {"tray": "mine"}).text
    assert "Dip-sample audit action: Record the child&#x27;s views in the screening" in tray
    # The owner opens the audit from their tray: the finding, not the record.
    page = as_user(p.maria).get(item.get_absolute_url()).text
    assert "The child&#x27;s views are not recorded." in page
    assert "Analysis of record 0." not in page


@pytest.mark.django_db
def test_an_action_due_before_today_is_refused_and_what_was_typed_comes_back(p, as_user):
    _screened(p, 1)
    item = _draw(p, size=1).items.get()
    due = timezone.localdate() - timedelta(days=365)
    response = as_user(p.bea).post(reverse("monitoring:dip_sample_action", args=[item.pk]), {
        "finding": "The child's views are not recorded.", "action": "Record them",
        "owner": str(p.maria.pk), "due_on_day": str(due.day), "due_on_month": str(due.month),
        "due_on_year": str(due.year)})
    assert response.status_code == 200
    assert "Date the action is due must be today or in the future" in response.text
    assert "The child&#x27;s views are not recorded." in response.text
    assert not WorkItem.objects.filter(kind="dip_sample_action").exists()


@pytest.mark.django_db
def test_the_owner_marks_the_action_done(p, as_user):
    _screened(p, 1)
    item = _draw(p, size=1).items.get()
    row = actions.add_dip_sample_action(item, finding="F", action="A", owner=p.maria,
                                        due_on=timezone.localdate(), by=p.bea)
    done = reverse("monitoring:dip_sample_action_done", args=[row.pk])
    assert as_user(p.fiona).post(done).status_code == 404
    assert as_user(p.maria).post(done).status_code == 302
    row.work_item.refresh_from_db()
    assert row.work_item.status == WorkItem.Status.DONE


@pytest.mark.django_db
def test_the_data_set_counts_the_grades_with_suppression(p, as_user):
    _screened(p, 6)
    sample = _draw(p, size=6)
    for n, item in enumerate(sample.items.all()):
        grade = "good" if n < 5 else "inadequate"
        actions.grade_dip_sample_item(
            item, grades={code: (grade, "c") for code in QUALITY}, summary="", by=p.bea,
            complete=True)
    figures = as_user(p.bea).get(reverse("monitoring:data_set")).context["figures"]
    fig = next(f for f in figures if f.key == "dip_sample")
    rows = {label: ([c.text for c in cells], total.text) for label, cells, total in fig.lines}
    # One inadequate among six: "fewer than 5", and the good count withheld, since the row's
    # total would reveal it.
    assert rows["Analysis"] == (["withheld", "0", "fewer than 5"], "6")
    assert fig.rows == ["Analysis", "The child's voice", "Timeliness", "Management oversight",
                        "Language"]


@pytest.mark.django_db
def test_the_sample_page_names_no_child(p, as_user):
    _screened(p, 2)
    sample = _draw(p, size=2)
    for who in (p.bea, p.ana, p.ade):
        text = as_user(who).get(sample.get_absolute_url()).text
        assert "Sampled" not in text and "Example" not in text


@pytest.mark.django_db
def test_a_risk_assessment_of_a_held_meeting_is_sampled_and_read_with_its_oversight(
        p, as_user, child):
    helpers.refer_and_decide(p, child)
    meeting = helpers.hold(p, helpers.convene(p, [child], days=-1), [child])
    month = timezone.localtime(meeting.held_at).date()
    sample = actions.draw_dip_sample(area=child.area, month=month, size=5, by=p.bea, seed=3)
    item = sample.items.get(kind=DipSampleItem.Kind.RISK_ASSESSMENT)
    assert item.child == child
    text = as_user(p.bea).get(item.get_absolute_url()).text
    assert "Adults are grooming her with lifts and gifts." in text
    assert "Agree category 2." in text  # the manager's oversight, which the form grades


@pytest.mark.django_db
def test_a_practitioner_auditor_reads_the_childs_record_only_until_the_audit_is_completed(
        p, as_user):
    p.bea.is_active = False
    p.bea.save()
    p.sam.user_permissions.add(Permission.objects.get(codename="audit_dip_sample"))
    _screened(p, 1)
    item = _draw(p, size=1).items.get()
    assert item.auditor == p.sam
    client = as_user(p.sam)
    assert "Analysis of record 0." in client.get(item.get_absolute_url()).text
    child_page = reverse("child", args=[item.child_id])
    assert client.get(child_page).status_code == 200
    # Read-only: the grant never lets the auditor add to the record.
    new_concern = reverse("pathway:record_concern", args=[item.child_id])
    assert client.post(new_concern, {}).status_code == 403
    client.post(item.get_absolute_url(), _complete_form())
    assert client.get(child_page).status_code == 404


@pytest.mark.django_db
def test_the_sample_page_runs_as_many_queries_with_more_records(p, as_user):
    eastboard = testing.UserFactory.create(username="eastboard", role=Role.BOARD,
                                           agency=p.carol.agency)
    east_child = testing.make_child(p.carol, given_names="East")
    testing.make_screening(east_child, p.carol)
    few = actions.draw_dip_sample(area=p.carol.agency.area, month=timezone.localdate(),
                                  size=5, by=eastboard, seed=1)
    _screened(p, 6)
    many = _draw(p, size=6)
    for item in many.items.all()[:3]:
        actions.grade_dip_sample_item(item, grades={c: ("good", "c") for c in QUALITY},
                                      summary="", by=p.bea, complete=True)
        actions.add_dip_sample_action(item, finding="F", action="A", owner=p.maria,
                                      due_on=timezone.localdate(), by=p.bea)
    assert (few.items.count(), many.items.count()) == (1, 6)
    counts = []
    for user, sample in ((eastboard, few), (p.bea, many)):
        client = as_user(user)
        client.get(sample.get_absolute_url())
        with CaptureQueriesContext(connection) as run:
            assert client.get(sample.get_absolute_url()).status_code == 200
        counts.append(len(run))
    # Session, user, agency; the sample; its records with their auditors, their grades, their
    # actions with owners and work; the audit row: the same for 1 record as for 6.
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_a_month_with_nothing_to_sample_says_so_rather_than_an_empty_table(p, as_user):
    last = _last_month()
    client = as_user(p.bea)
    response = client.post(LIST, {"month": f"{last:%Y-%m}"}, follow=True)
    text = " ".join(response.text.split())
    assert "Sample drawn: 0 records" not in text
    assert (f"There were no screenings or risk assessments in {last:%B %Y}, so there is "
            "nothing to audit") in text
    assert "<caption class=\"govuk-table__caption govuk-table__caption--m\">Records" not in text
