"""Who reads which intelligence, named person by named person (lantern/intelligence/access.py).

Jade is in Northbridge; alice's school added her and shared the report."""

import pytest
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantern.foundation.tests.test_visibility_equivalence import grant_rows, make_grants
from lantern.intelligence import access
from lantern.intelligence.models import IntelligenceReport

from .helpers import grade, person, report


@pytest.fixture
def shared(p, child):
    return report(p.alice, [child], person("Dean", "Ward", phone="07700 900321"),
                  text="Dean Ward collects her from school in a silver car.",
                  source_details="Her friend Amy told me at lunch.")


def _status(as_user, user, report_):
    return as_user(user).get(report_.get_absolute_url()).status_code


@pytest.mark.parametrize("name", ["alice", "priya"])
def test_ungraded_intelligence_is_read_in_full_by_police_and_the_author(p, shared, as_user,
                                                                        name):
    body = as_user(getattr(p, name)).get(shared.get_absolute_url()).content.decode()
    assert "Her friend Amy told me at lunch." in body
    assert "Dean Ward collects her" in body


@pytest.mark.parametrize("name", ["bob", "carol", "fiona", "eve", "sam", "maria", "ana", "bea",
                                  "ade"])
def test_ungraded_intelligence_is_hidden_from_everyone_else(p, shared, as_user, name):
    assert _status(as_user, getattr(p, name), shared) == 404


@pytest.mark.parametrize("name", ["fiona", "maria"])
def test_p_graded_intelligence_is_read_sanitised_by_those_who_see_the_child(p, shared,
                                                                            as_user, name):
    grade(shared, p.priya, handling="P")
    body = as_user(getattr(p, name)).get(shared.get_absolute_url()).content.decode()
    assert "An adult is giving the child lifts." in body
    assert "Amy" not in body and "collects her from school" not in body
    assert "sanitised version" in body


@pytest.mark.parametrize("name", ["bob", "carol", "eve", "sam", "ana", "bea", "ade"])
def test_p_graded_intelligence_is_hidden_from_those_who_cannot_see_the_child(p, shared,
                                                                            as_user, name):
    grade(shared, p.priya, handling="P")
    assert _status(as_user, getattr(p, name), shared) == 404


def test_c_graded_intelligence_is_read_only_by_the_roles_its_conditions_name(p, shared,
                                                                             as_user):
    grade(shared, p.priya, handling="C", roles=["cse_manager"])
    assert _status(as_user, p.maria, shared) == 200
    assert _status(as_user, p.fiona, shared) == 404
    assert "Share only with CSE team managers." in as_user(p.maria).get(
        shared.get_absolute_url()).content.decode()


def test_police_always_read_the_full_report(p, shared, as_user):
    grade(shared, p.priya, handling="C", roles=["cse_manager"])
    assert "Her friend Amy" in as_user(p.priya).get(shared.get_absolute_url()).content.decode()


def test_police_of_another_area_do_not_see_it(p, shared):
    from lantern import testing
    from lantern.foundation.models import Role

    other = testing.UserFactory(username="olu", role=Role.POLICE,
                                agency=testing.AgencyFactory(name="Eastmoor Police",
                                                             area=p.east))
    assert not access.visible_reports(other).exists()


def test_police_of_another_area_see_a_report_about_a_child_of_theirs(p, child, as_user):
    """Bob's school is in Northbridge; the report concerns Jade and a child of Eastmoor, so
    Eastmoor's police read it in full too, and find it in their list."""
    from lantern import testing
    from lantern.foundation.models import Role

    eastern = testing.make_child(p.eve, given_names="Eastern")
    both = report(p.bob, [child, eastern], person("Both", "Areas"))
    other = testing.UserFactory(username="olu", role=Role.POLICE,
                                agency=testing.AgencyFactory(name="Eastmoor Police",
                                                             area=p.east))
    assert list(access.visible_reports(other)) == [both]
    assert both.get_absolute_url() in as_user(other).get(reverse("intelligence:index")).text


def test_a_submitted_report_keeps_the_areas_of_the_children_it_concerns(p, child):
    from lantern import testing

    eastern = testing.make_child(p.eve, given_names="Eastern")
    both = report(p.bob, [child, eastern], person("Both", "Areas"))
    assert set(both.child_areas.all()) == {p.north, p.east}


def test_analysts_see_the_links_of_p_graded_reports_but_never_the_text(p, shared, as_user):
    assert not access.visible_links(p.ana).exists()
    grade(shared, p.priya, handling="P")
    assert access.visible_links(p.ana).exists()
    assert _status(as_user, p.ana, shared) == 404


def test_analysts_see_c_graded_links_only_when_the_conditions_name_them(p, shared):
    grade(shared, p.priya, handling="C", roles=["cse_manager"])
    assert not access.visible_links(p.ana).exists()
    grade(shared, p.priya, handling="C", roles=["cse_manager", "analyst"])
    assert access.visible_links(p.ana).exists()


def test_only_police_may_grade(p, shared, as_user):
    grade(shared, p.priya, handling="P")
    response = as_user(p.maria).post(shared.get_absolute_url(), {"source_grade": "1"})
    assert response.status_code == 403


def test_police_grade_through_the_page(p, shared, as_user):
    response = as_user(p.priya).post(shared.get_absolute_url(), {
        "source_grade": "1", "intelligence_grade": "A", "handling": "C",
        "handling_conditions": "Not to be shared with the family.",
        "condition_roles": ["cse_manager", "social_worker"],
        "sanitised_text": "An adult collects the child."})
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.grading == "1AC" and shared.condition_role_list == ["cse_manager",
                                                                      "social_worker"]


def test_handling_c_needs_its_conditions(p, shared, as_user):
    body = as_user(p.priya).post(shared.get_absolute_url(), {
        "source_grade": "1", "intelligence_grade": "A", "handling": "C",
        "sanitised_text": "x"}).content.decode()
    assert "Enter the handling conditions" in body


def test_a_legacy_5x5x5_grading_is_kept(p, shared, as_user):
    as_user(p.priya).post(shared.get_absolute_url(), {
        "source_grade": "2", "intelligence_grade": "B", "handling": "P",
        "sanitised_text": "x", "legacy_source": "B", "legacy_intelligence": "2",
        "legacy_handling": "1"})
    shared.refresh_from_db()
    assert (shared.legacy_source, shared.legacy_intelligence, shared.legacy_handling) == (
        "B", "2", "1")


def test_every_read_is_audited(p, shared, as_user):
    from lantern.foundation.models import AuditEvent

    as_user(p.priya).get(shared.get_absolute_url())
    event = AuditEvent.objects.filter(action="view").latest("seq")
    assert event.actor == p.priya and event.summary == "Read intelligence (full)"


def test_a_subject_who_is_a_child_is_not_named_to_those_who_cannot_see_them(p, child):
    from lantern import testing
    from lantern.intelligence.models import Subject

    young = testing.make_child(p.carol, given_names="Tyler", family_name="Young")
    subject = Subject.objects.create(kind="subject", area=p.north, label="Tyler Young",
                                     given_names="Tyler", family_name="Young", is_child=True,
                                     child=young)
    assert "Tyler" not in access.subject_label(p.maria, subject, {})
    assert "Tyler" in access.subject_label(p.carol, subject, {young.pk: young})
    assert "Tyler" in access.subject_label(p.priya, subject, {})


def test_the_childs_record_links_to_a_report_only_for_those_who_may_open_it(p, child, shared,
                                                                          as_user):
    link = f'href="{shared.get_absolute_url()}"'
    front_door = as_user(p.fiona).get(child.get_absolute_url()).content.decode()
    police = as_user(p.priya).get(child.get_absolute_url()).content.decode()
    assert "Intelligence shared by Riverside Academy" in front_door and link not in front_door
    assert link in police
    assert _status(as_user, p.fiona, shared) == 404


EVERYONE = ("alice", "bob", "carol", "fiona", "eve", "sam", "maria", "priya", "ana", "bea",
            "ade")


@pytest.fixture
def across_areas(p, child):
    """Reports graded and not, for everyone or for CSE team managers, in one area or two."""
    from lantern import testing

    eastern = testing.make_child(p.eve, given_names="Eastern")
    return [
        grade(report(p.alice, [child], person("Dean", "Ward")), p.priya),
        grade(report(p.alice, [child], person("Kyle", "Morgan")), p.priya, handling="C",
              roles=["cse_manager"]),
        report(p.alice, [child], person("Una", "Graded")),
        grade(report(p.eve, [eastern], person("Eddie", "East")), p.priya),
        grade(report(p.bob, [child, eastern], person("Both", "Areas")), p.priya),
    ]


def _found_by_everyone(p, rows) -> set[int]:
    """What `rows(user)` and `rows(user, by_row=True)` find, the same for each person (a
    failure names whom), all together."""
    seen = set()
    for name in EVERYONE:
        user = getattr(p, name)
        listed = set(rows(user).values_list("pk", flat=True))
        assert set(rows(user, by_row=True).values_list("pk", flat=True)) == listed, name
        seen |= listed
    return seen


@pytest.mark.django_db
def test_police_and_analysts_of_a_childs_other_area_the_rule_and_its_sql_agree(p, child):
    """A Northbridge report about a child of Eastmoor (graded P, and C naming analysts):
    Eastmoor's police and analyst find it, by the rule and by its SQL (`child_areas`)."""
    from lantern import testing
    from lantern.foundation.models import Role

    eastern = testing.make_child(p.eve, given_names="Eastern")
    about_east = [grade(report(p.alice, [eastern], person("Eddie", "East")), p.priya),
                  grade(report(p.alice, [eastern], person("Carl", "East")), p.priya,
                        handling="C", roles=["analyst"])]
    grade(report(p.alice, [child], person("Nora", "North")), p.priya)  # Northbridge's alone
    for role in (Role.POLICE, Role.ANALYST):
        user = testing.UserFactory(
            username=f"east-{role}", role=role,
            agency=testing.AgencyFactory(name=f"Eastmoor {role}", area=p.east))
        condition, params = access.visible_reports_sql(user, "intelligence_intelligencereport")
        written = IntelligenceReport.objects.filter(
            RawSQL(condition, params, output_field=BooleanField()))  # noqa: S611
        assert set(written) == set(access.visible_reports(user)) == set(about_east), role


@pytest.mark.django_db
def test_asking_each_reports_children_by_key_finds_the_same_reports(p, across_areas):
    """`visible_reports(by_row=True)` (a check of a few reports, the tasking list's priority
    subjects) is the same rule as the list's `visible_reports`, for everyone."""
    assert _found_by_everyone(p, access.visible_reports) == {r.pk for r in across_areas}


@pytest.mark.django_db
def test_visible_reports_written_in_sql_finds_the_same_reports(p, across_areas):
    """`visible_reports_sql` (the tasking list's priority subjects, issue 17) is the same rule
    as `visible_reports`, for everyone."""
    for name in EVERYONE:
        user = getattr(p, name)
        condition, params = access.visible_reports_sql(user, "intelligence_intelligencereport")
        written = IntelligenceReport.objects.filter(
            RawSQL(condition, params, output_field=BooleanField()))  # noqa: S611
        assert set(written) == set(access.visible_reports(user)), name


@pytest.mark.django_db
def test_asking_each_links_report_by_key_finds_the_same_chart_links(p, across_areas):
    """`chart_links(by_row=True)` (the links of one record, the chart) is the same rule as
    `chart_links`, for everyone."""
    assert _found_by_everyone(p, access.chart_links)


@pytest.mark.django_db
def test_a_charts_link_flags_are_the_rules_for_opening_reports_and_naming_children(
        p, across_areas):
    """`link_flags` (each link asked by key in the chart's query) says what `openable_reports`
    and `named_children` say of the links' reports and children, for everyone."""
    from lantern.intelligence.models import Link

    links = Link.objects.filter(report__in=across_areas)
    report_ids = {r.pk for r in across_areas}
    child_ids = set(links.values_list("child_id", flat=True))
    partly = {"readable": 0, "named": 0}  # people who may open or name some, not all
    for name in EVERYONE:
        user = getattr(p, name)
        rows = list(links.annotate(**access.link_flags(user)).values_list(
            "pk", "report_id", "child_id", "readable", "named"))
        openable = access.openable_reports(user, report_ids)
        named = access.named_children(user, child_ids)
        assert {pk for pk, _r, _c, readable, _n in rows if readable} == {
            pk for pk, report_id, *_rest in rows if report_id in openable}, name
        assert {pk for pk, _r, _c, _readable, is_named in rows if is_named} == {
            pk for pk, _r, child_id, *_rest in rows if child_id in named}, name
        partly["readable"] += 0 < len(openable) < len(report_ids)
        partly["named"] += 0 < len(named) < len(child_ids)
    assert partly["readable"] and partly["named"]


def test_police_grade_only_the_reports_they_may_see(p, shared, as_user):
    # The grading form comes with the report found among those the officer may see (issue 18:
    # no second visibility query): another area's police neither open nor grade it.
    from lantern import testing
    from lantern.foundation.models import AgencyKind, Role

    east_police = testing.AgencyFactory.create(name="Eastmoor Police", kind=AgencyKind.POLICE,
                                               area=p.east)
    dana = testing.UserFactory.create(username="dana", role=Role.POLICE, agency=east_police)
    client = as_user(dana)
    assert client.get(shared.get_absolute_url()).status_code == 404
    assert client.post(shared.get_absolute_url(), {"source_grade": "1"}).status_code == 404
    assert "Save grading" in as_user(p.priya).get(shared.get_absolute_url()).text
    grade(shared, p.priya, handling="P")
    assert "Save grading" not in as_user(p.maria).get(shared.get_absolute_url()).text


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=st.lists(grant_rows, max_size=10))
def test_named_children_in_sql(p, rows):
    """`named_children`, written in SQL (issue 18), names the children the user may see
    (visible_children), for everyone and random grants (live, not yet started, ended,
    revoked; to people and agencies), for no one in a role that never sees identities."""
    from django.db import transaction

    from lantern import testing
    from lantern.foundation.access import NO_IDENTITY_ROLES, visible_children

    with transaction.atomic():
        children = [testing.make_child(p.alice, given_names=f"Child{i}") for i in range(2)]
        children += [testing.make_child(p.carol, given_names=f"Child{i}") for i in range(2)]
        make_grants(p, children, rows)
        ids = [c.pk for c in children]
        for name, user in p.all_users().items():
            seen = set(visible_children(user).filter(pk__in=ids).values_list("pk", flat=True))
            expected = set() if user.role in NO_IDENTITY_ROLES else seen
            assert access.named_children(user, ids) == expected, name
            assert access.named_children(user, [str(ids[0]), ids[0], ids[1]]) == (
                expected & set(ids[:2])), name
            assert access.named_children(user, []) == set()
        transaction.set_rollback(True)


def _more_while_bob_may_see_eastern(p, check) -> None:
    """What `check` counts grows once Bob is given the eastern child, and is as before once
    the grant is revoked."""
    from lantern import testing
    from lantern.foundation import grants
    from lantern.foundation.models import Child

    before = check()
    grant = testing.give_access(Child.objects.get(given_names="Eastern"), p.bob)
    assert check() > before
    grants.revoke(grant, by=None, reason="Ended")
    assert check() == before


@pytest.mark.django_db
def test_the_intelligence_list_compiled_once_a_role_is_the_rules(p, across_areas):
    """`reports_for`, compiled once a role and page (issue 18), lists what the rule lists
    (`visible_reports`, newest first), page by page, for everyone; a grant given or revoked
    since changes what it lists."""
    from lantern.intelligence import queries

    def shown(reports):
        return [(r.pk, r.child_count, r.agency.name) for r in reports]

    def check() -> int:
        listed = 0
        for name in EVERYONE:
            user = getattr(p, name)
            for offset, limit in ((0, 200), (0, 2), (2, 2), (4, 2)):
                expected = list(queries._newest_reports(access.visible_reports(user), offset,
                                                        limit))
                found = queries.reports_for(user, offset=offset, limit=limit)
                assert shown(found) == shown(expected), (name, offset)
                listed += len(found)
        return listed

    _more_while_bob_may_see_eastern(p, check)


@pytest.mark.django_db
def test_the_compiled_report_is_the_one_each_person_may_open(p, across_areas, shared):
    """`get_report_for_user`, compiled once a role and prepared (issue 18), opens exactly the
    reports the rule finds (`visible_reports(...).first()`, read in full or sanitised), for
    everyone and every report and one that does not exist, with what its page shows beside it;
    a grant given or revoked since changes what it opens."""
    from django.http import Http404

    ids = [r.pk for r in [*across_areas, shared]]
    ids.append(max(ids) + 1)

    def check() -> int:
        opened = 0
        for name in EVERYONE:
            user = getattr(p, name)
            for report_id in ids:
                old = (access.visible_reports(user)
                       .select_related("agency", "submitted_by", "graded_by", "area")
                       .filter(pk=report_id).first())
                if old is not None and access.report_mode(user, old) == access.LINKS_ONLY:
                    old = None
                new: IntelligenceReport | None
                may_grade: bool | None
                try:
                    new, may_grade = access.get_report_for_user(user, report_id)
                except Http404:
                    new = may_grade = None
                assert new == old, (name, report_id)
                if new is not None:
                    assert old is not None
                    fields = [f.attname for f in IntelligenceReport._meta.concrete_fields]
                    assert [getattr(new, f) for f in fields] == [
                        getattr(old, f) for f in fields], (name, report_id)
                    assert (new.agency.name, new.submitted_by.username, new.area.name,
                            new.graded_by and new.graded_by.username) == (
                        old.agency.name, old.submitted_by.username, old.area.name,
                        old.graded_by and old.graded_by.username), (name, report_id)
                    assert may_grade == (user.role == "police")
                    opened += 1
        return opened

    assert check() > 0
    _more_while_bob_may_see_eastern(p, check)


@pytest.mark.django_db
def test_how_each_person_reads_each_report(p, across_areas, shared):
    """`report_modes` (a list's, who reads asked once) reads each report as the rule says: in
    full by police and by the person who shared it, as links by analysts, sanitised by the
    others; `report_mode` the same."""
    for name in EVERYONE:
        user = getattr(p, name)
        mode = access.report_modes(user)
        for r in [*across_areas, shared]:
            expected = (access.FULL if r.submitted_by_id == user.pk or user.role == "police"
                        else access.LINKS_ONLY if user.role == "analyst" else access.SANITISED)
            assert mode(r) == access.report_mode(user, r) == expected, (name, r.pk)
