"""Work trays: mine, my team's, my area's; filters by step, category and overdue; each row says
what is due, when and why; the query count stays flat as rows grow."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lantern import testing
from lantern.foundation import rows, trays, work
from lantern.foundation.models import User, WorkItem
from lantern.pathway import actions
from lantern.pathway.models import Outcome


def _referral(p, name, hours_ago=1):
    child = testing.make_child(p.alice, given_names=name)
    return testing.make_referral(child, p.alice,
                                 received_at=timezone.now() - timedelta(hours=hours_ago))


def _assessment(p, name, *, owner=None):
    """A child with an assessment due (a stockport area sets 7 working days)."""
    actions.adopt_profile(p.north, "stockport", by=p.ade)
    referral = _referral(p, name)
    actions.decide_referral(referral, Outcome.ASSESSMENT, by=p.fiona,
                            rationale="Assess what is happening.", allocate_to=owner)
    return referral.child


def _page(client, query=""):
    response = client.get(f"/work/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_my_tray_holds_work_of_my_role_in_my_area(p, as_user):
    _referral(p, "Northbridge")
    body = _page(as_user(p.fiona))
    assert "Decide on the referral" in body and "Northbridge Example" in body
    assert "Northbridge" not in _page(as_user(p.eve))


def test_my_tray_holds_work_named_for_me(p, as_user):
    _assessment(p, "Allocated", owner=p.sam)
    body = _page(as_user(p.sam))
    assert "Complete the assessment" in body and "Allocated Example" in body
    assert "Decide on the referral" not in body


def test_each_row_says_what_when_and_why(p, as_user):
    referral = _referral(p, "Row", hours_ago=2)
    body = _page(as_user(p.fiona))
    due = timezone.localtime(referral.decision_due_at)
    assert f"{due:%-d %b %Y, %H:%M}" in body
    assert "Due in 22 hours" in body
    assert "West Midlands CSE toolkit sets no timescale for the MASH decision" in body  # the basis
    assert "Any front door worker in the area" in body


def test_a_manager_sees_their_teams_work(p, as_user):
    _assessment(p, "Teamwork", owner=p.sam)
    body = _page(as_user(p.maria), "?tray=team")
    assert "Complete the assessment" in body and "Teamwork Example" in body  # sam's
    assert "Decide on the referral" not in body  # decided
    _referral(p, "FrontDoor")
    body = _page(as_user(p.maria), "?tray=team")
    assert "Decide on the referral" in body and "FrontDoor Example" in body


def test_someone_who_manages_nobody_has_no_team_tray(p, as_user):
    body = _page(as_user(p.sam), "?tray=team")
    assert "Your work" in body and "Your team" not in body


def test_the_area_tray_is_for_those_who_see_the_whole_area(p, as_user):
    _assessment(p, "Area", owner=p.sam)
    body = _page(as_user(p.fiona), "?tray=area")
    assert "Complete the assessment" in body and "Area Example" in body
    # A teacher's tray stays their own.
    body = _page(as_user(p.alice), "?tray=area")
    assert "Your area" not in body and "Complete the assessment" not in body


def test_overdue_only(p, as_user):
    _referral(p, "Overdue", hours_ago=30)
    _referral(p, "Fresh", hours_ago=1)
    body = _page(as_user(p.fiona), "?overdue=on")
    assert "Overdue Example" in body and "Fresh Example" not in body
    assert "Overdue by 6 hours" in body


def test_overdue_is_judged_against_the_clock(p, as_user):
    referral = _referral(p, "Clock", hours_ago=0)
    with time_machine.travel(referral.decision_due_at + timedelta(minutes=30), tick=False):
        assert "Clock" in _page(as_user(p.fiona), "?overdue=on")


def test_filter_by_step(p, as_user):
    _assessment(p, "Assessed", owner=p.sam)
    _referral(p, "Waiting")
    body = _page(as_user(p.fiona), "?tray=area&kind=assessment")
    assert "Assessed" in body and "Waiting" not in body


def test_filter_by_category(p, as_user):
    high = testing.make_child(p.alice, given_names="Serious")
    testing.make_screening(high, p.alice, indicators=("wm3.rape",))
    testing.make_referral(high, p.alice)
    low = testing.make_child(p.alice, given_names="Lower")
    testing.make_screening(low, p.alice, indicators=("wm1.hotspots",))
    testing.make_referral(low, p.alice)
    body = _page(as_user(p.fiona), "?category=3")
    assert "Serious" in body and "Lower" not in body
    assert "Category 3 (WM)" in body


def test_the_filters_kept_once_drawn_are_the_filters_the_page_would_draw(p, as_user):
    """Unfiltered, the filters are drawn once and kept (views._filters_html): the same markup
    as drawing them for this request; a filter set is drawn for the request, selected."""
    from django.template.loader import render_to_string

    from lantern.site.forms import WorkFilterForm

    client = as_user(p.fiona)
    kinds = [(k, trays.kind_label(k)) for k in trays.kinds_in_area(p.fiona)]
    for query in ("", "?tray=area", "?page=2"):
        body = _page(client, query)
        drawn = render_to_string("site/_work_filters.html", {"form": WorkFilterForm(
            client.get(f"/work/{query}").wsgi_request.GET, kinds=kinds)})
        assert drawn in body
    body = _page(client, "?kind=rescreen&overdue=on")
    assert '<option value="rescreen" selected>' in body
    assert 'name="overdue" type="checkbox" value="on" checked' in body
    assert '<option value="rescreen" selected>' not in _page(client)


def test_work_about_children_i_may_not_see_stays_out(p, as_user):
    child = testing.make_child(p.alice, given_names="Private")
    work.open_item(area=p.north, child=child, kind="rescreen", title="Re-screen Private",
                   due_at=timezone.now() + timedelta(days=2), basis="West Midlands CSE toolkit",
                   owner_role="social_worker", by=p.alice)
    assert "Re-screen Private" not in _page(as_user(p.sam))  # not allocated to sam
    assert "Re-screen Private" in _page(as_user(p.maria), "?tray=area")


def test_opening_a_tray_is_audited(p, as_user):
    referral = _referral(p, "Audited")
    as_user(p.fiona).get("/work/")
    from lantern.foundation.models import AuditEvent

    event = AuditEvent.objects.filter(action="list", actor=p.fiona).latest("seq")
    assert referral.child_id in event.changes["children"]


def test_board_members_have_no_tray(p, as_user):
    assert as_user(p.bea).get("/work/").status_code == 403


# Per tray: session, user, whether the user manages anyone, the kinds in the area, the rows
# (children, owners and the latest screening category joined in), the audit row (chain head
# lock, insert, head update, savepoints), the children it showed (one insert, none for a tray
# with no children), the overdue banner (one query): the same whatever the number of rows.
TRAY = 16


def _count(client, query, django_assert_num_queries) -> None:
    client.get(f"/work/{query}")
    with django_assert_num_queries(TRAY, exact=False):
        assert client.get(f"/work/{query}").status_code == 200


def test_tray_query_counts_stay_flat_as_rows_grow(p, as_user, django_assert_num_queries):
    actions.adopt_profile(p.north, "stockport", by=p.ade)
    for i in range(2):
        _assessment(p, f"First{i}", owner=p.sam)
        _referral(p, f"Wait{i}", hours_ago=30)
    trays = ("?tray=mine", "?tray=team", "?tray=area&overdue=on&category=2")
    for query in trays:
        _count(as_user(p.maria), query, django_assert_num_queries)
    for i in range(10):
        child = testing.make_child(p.alice, given_names=f"More{i}")
        testing.make_screening(child, p.alice)
        _assessment(p, f"Later{i}", owner=p.sam)
        _referral(p, f"Waiting{i}", hours_ago=30)
    assert WorkItem.objects.filter(status="open").count() > 30
    for query in trays:
        _count(as_user(p.maria), query, django_assert_num_queries)


def test_the_referrals_tray_still_works_and_shows_the_basis(p, as_user):
    _referral(p, "Front")
    body = as_user(p.fiona).get("/referrals/").content.decode()
    assert "Front" in body and "West Midlands CSE toolkit sets no timescale" in body


def test_the_kinds_filter_reads_each_kind_once_not_every_open_item(p):
    # The model's ordering (due_at) must not join the DISTINCT: the database would return
    # every open item of the area (issue 18).
    _referral(p, "One")
    _referral(p, "Two")
    with CaptureQueriesContext(connection) as captured:
        kinds = trays.kinds_in_area(p.fiona)
    assert kinds.count("referral_decision") == 1
    assert "due_at" not in captured.captured_queries[0]["sql"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a pipeline is PostgreSQL's")
def test_every_read_a_tray_runs_ahead_is_one_it_makes(p):
    _referral(p, "Northbridge")
    for name in ("maria", "fiona"):  # a manager and someone who manages nobody
        user = User.objects.select_related("agency__area").get(username=name)  # as signed in
        with rows.ahead(trays.tray_reads(user)) as left:
            assert len(left) == 2
            trays.trays_for(user)
            trays.kinds_in_area(user)
        assert left == {}, name


def test_a_tray_runs_ahead_only_what_it_does_not_know(p):
    user = User.objects.select_related("agency__area").get(username="maria")
    trays.team_members(user)
    assert len(trays.tray_reads(user)) == 1  # the kinds of work: the team is known


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a pipeline is PostgreSQL's")
def test_the_tray_page_runs_its_first_reads_ahead(p, as_user, monkeypatch):
    sent = []
    run_together = rows.run_together
    monkeypatch.setattr(rows, "run_together", lambda statements: sent.append(statements)
                        or run_together(statements))
    _page(as_user(p.maria), "?tray=team")
    assert [statement for statement, _ in sent[0]] == [
        statement for statement, _ in trays.tray_reads(User.objects.select_related(
            "agency__area").get(username="maria"))]
