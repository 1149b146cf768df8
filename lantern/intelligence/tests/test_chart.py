"""The link chart: the list view (keyboard and screen reader), the JSON for the drawing, htmx
expansion, filters, and who is shown by name."""

import itertools

import pytest

from lantern import testing
from lantern.intelligence.models import IntelligenceReport, Subject, Vehicle

from .helpers import grade, person, report, vehicle


@pytest.fixture
def network(p, child):
    kayla = testing.make_child(p.alice, given_names="Kayla", family_name="Morrow")
    lola = testing.make_child(p.carol, given_names="Lola", family_name="East")
    first = report(p.alice, [child, kayla], person("Dean", "Ward"), vehicle("AB12 CDE"))
    second = report(p.priya, [lola], vehicle("ab12cde"))
    grade(first, p.priya, grade_="B")
    grade(second, p.priya, grade_="D")
    return {"kayla": kayla, "lola": lola, "vehicle": Vehicle.objects.get(),
            "dean": Subject.objects.get()}


def test_the_list_view_shows_the_neighbours_with_their_links(p, child, network, as_user):
    body = as_user(p.maria).get(f"/intelligence/chart/?focus=e{network['vehicle'].pk}")
    text = body.content.decode()
    assert body.status_code == 200
    assert "Jade Example" in text and "Kayla Morrow" in text
    assert "Used to contact or transport the child" in text
    assert 'id="links-list"' in text and 'id="link-chart"' in text


def test_another_areas_child_is_shown_only_as_a_child_in_that_area(p, child, network,
                                                                    as_user):
    text = as_user(p.maria).get(
        f"/intelligence/chart/?focus=e{network['vehicle'].pk}").content.decode()
    assert "Lola" not in text and "A child in Eastmoor" in text


def test_analysts_see_the_network_without_any_childs_name(p, child, network, as_user):
    text = as_user(p.ana).get(
        f"/intelligence/chart/?focus=e{network['vehicle'].pk}").content.decode()
    assert "Jade" not in text and "Kayla" not in text
    assert text.count("A child in Northbridge") >= 2
    assert "read the report" not in text


def test_the_drawing_gets_the_same_graph_as_json(p, child, network, as_user):
    data = as_user(p.maria).get(
        f"/intelligence/chart/data/?focus=e{network['vehicle'].pk}").json()
    assert data["focus"] == f"e{network['vehicle'].pk}"
    labels = {n["label"] for n in data["nodes"]}
    assert {"Jade Example", "Kayla Morrow", "A child in Eastmoor", "AB12 CDE"} <= labels
    assert all({"source", "target", "role", "date", "grading"} <= set(e) for e in data["edges"])


def test_expanding_a_node_lists_its_own_neighbours(p, child, network, as_user):
    response = as_user(p.maria).get(
        f"/intelligence/chart/neighbours/?focus=c{child.pk}&path=-e1", HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "Dean Ward" in text and "AB12 CDE" in text
    assert "<html" not in text


def test_filtering_by_grading_drops_links_from_other_gradings(p, child, network, as_user):
    url = f"/intelligence/chart/data/?focus=e{network['vehicle'].pk}&grades=D"
    labels = {n["label"] for n in as_user(p.maria).get(url).json()["nodes"]}
    assert "A child in Eastmoor" in labels and "Jade Example" not in labels


def test_filtering_by_date_drops_older_links(p, child, network, as_user):
    url = (f"/intelligence/chart/data/?focus=e{network['vehicle'].pk}"
           "&date_from_day=1&date_from_month=1&date_from_year=2100")
    assert as_user(p.maria).get(url).json()["edges"] == []


def test_teachers_do_not_open_the_link_chart(p, child, network, as_user):
    url = f"/intelligence/chart/?focus=e{network['vehicle'].pk}"
    assert as_user(p.alice).get(url).status_code == 403


def test_an_entity_only_in_ungraded_intelligence_gives_404_to_another_area(p, child,
                                                                            network, as_user):
    from .helpers import eastmoor_manager

    report(p.alice, [child], person("Gary", "Wills"))
    gary = Subject.objects.get(given_names="Gary")
    esme = eastmoor_manager(p)
    assert as_user(esme).get(f"/intelligence/chart/?focus=e{gary.pk}").status_code == 404


def test_another_areas_manager_sees_graded_links_across_areas_without_names(p, child,
                                                                           network, as_user):
    from .helpers import eastmoor_manager

    esme = eastmoor_manager(p)
    data = as_user(esme).get(f"/intelligence/chart/data/?focus=e{network['dean'].pk}").json()
    labels = {n["label"] for n in data["nodes"]}
    assert labels == {"Dean Ward", "A child in Northbridge"}
    assert all(e["report_url"] == "" for e in data["edges"])


def test_the_chart_query_count_stays_flat_as_links_grow(p, child, as_user,
                                                        django_assert_num_queries):
    # session, user, role checks, entity access, links with child/area/entity/report (and
    # whether each report may be opened and each child named), roots, audit (lock, insert,
    # head), savepoints: not one per link.
    def count(n_children):
        for i in range(n_children):
            kid = testing.make_child(p.alice, given_names=f"Kid{i}")
            grade(report(p.alice, [kid], vehicle("XY12 ZZZ")), p.priya)
        v = Vehicle.objects.get(key="XY12ZZZ")
        client = as_user(p.maria)
        client.get(f"/intelligence/chart/?focus=e{v.pk}")
        # 20th: the children it named, for their logs. (The user's agency comes with the
        # user since issue 18: one query fewer.) The session is saved only when it changes or
        # is a minute old since issue 18: three fewer. The reports it may open and the
        # children it may name are asked with the links since issue 18: two fewer. Whether
        # the user may open the chart is answered by the links it draws, and the record's
        # group read once, since issue 18: two fewer. The group's root is read with the
        # links (when there are any), since issue 18: one fewer.
        with django_assert_num_queries(12):
            client.get(f"/intelligence/chart/?focus=e{v.pk}")

    count(2)
    count(8)


def test_the_chart_opens_around_a_child_from_the_report(p, child, network, as_user):
    from lantern.intelligence.models import IntelligenceReport

    first = IntelligenceReport.objects.order_by("pk").first()
    body = as_user(p.priya).get(first.get_absolute_url()).content.decode()
    assert f"/intelligence/chart/?focus=c{child.pk}" in body
    text = as_user(p.priya).get(f"/intelligence/chart/?focus=c{child.pk}").content.decode()
    assert "Dean Ward" in text and "AB12 CDE" in text


def test_a_phone_drawn_beside_a_person_opens_its_own_chart(p, child, as_user):
    from lantern.intelligence.models import Phone

    from .helpers import eastmoor_manager

    grade(report(p.alice, [child], person("Dean", "Ward", phone="07700 900123")), p.priya)
    dean, phone_ = Subject.objects.get(), Phone.objects.get()
    client = as_user(eastmoor_manager(p))
    drawn = client.get(f"/intelligence/chart/data/?focus=e{dean.pk}").json()
    assert f"e{phone_.pk}" in {n["id"] for n in drawn["nodes"]}
    data = client.get(f"/intelligence/chart/data/?focus=e{phone_.pk}").json()
    assert {n["label"] for n in data["nodes"]} >= {"Dean Ward"}


def test_a_phone_in_intelligence_the_user_may_not_chart_gives_404(p, child, as_user):
    from lantern.intelligence.models import Phone

    from .helpers import eastmoor_manager

    report(p.alice, [child], person("Dean", "Ward", phone="07700 900123"))
    phone_ = Phone.objects.get()
    url = f"/intelligence/chart/?focus=e{phone_.pk}"
    assert as_user(eastmoor_manager(p)).get(url).status_code == 404


def test_the_charts_links_lead_where_reverse_would(p, child, network, as_user):
    # Each kind of link is reversed once a chart (issue 18): the same addresses.
    from django.urls import reverse

    from lantern.intelligence.models import IntelligenceReport

    client = as_user(p.maria)
    data = client.get(f"/intelligence/chart/data/?focus=e{network['vehicle'].pk}").json()
    urls = {n["id"]: n["url"] for n in data["nodes"]}
    assert urls[f"c{child.pk}"] == child.get_absolute_url()
    vehicle = network["vehicle"].pk
    assert urls[f"e{vehicle}"] == f"{reverse('intelligence:chart')}?focus=e{vehicle}"
    reports = {e["report_url"] for e in data["edges"]} - {""}
    assert reports and reports <= {r.get_absolute_url()
                                   for r in IntelligenceReport.objects.all()}
    text = client.get(f"/intelligence/chart/?focus=e{network['vehicle'].pk}").text
    assert f'hx-get="{reverse("intelligence:chart_neighbours")}?focus=c{child.pk}' in text


def test_the_charts_links_kept_once_a_process_follow_the_script_prefix(p, child, network,
                                                                       as_user):
    # The links are reversed once a process for each prefix (queries.chart_urls): served
    # under another prefix, the chart's links are under it, and back again they are not.
    from django.urls import reverse, set_script_prefix

    client = as_user(p.maria)
    vehicle = network["vehicle"].pk
    try:
        for prefix in ("", "/lantern", ""):
            # As the WSGI handler sets it for a request (the test client does not).
            set_script_prefix(f"{prefix}/")
            data = client.get(f"/intelligence/chart/data/?focus=e{vehicle}").json()
            text = client.get(f"/intelligence/chart/?focus=e{vehicle}").text
            urls = {n["id"]: n["url"] for n in data["nodes"]}
            assert urls[f"c{child.pk}"] == reverse("child", args=[child.pk])
            assert urls[f"e{vehicle}"] == f"{reverse('intelligence:chart')}?focus=e{vehicle}"
            assert {e["report_url"] for e in data["edges"]} - {""} <= {
                reverse("intelligence:report", args=[pk]) for pk in
                IntelligenceReport.objects.values_list("pk", flat=True)}
            assert any(e["report_url"].startswith(f"{prefix}/") for e in data["edges"])
            assert (f'hx-get="{reverse("intelligence:chart_neighbours")}?focus=c{child.pk}'
                    in text)
    finally:
        set_script_prefix("/")


def test_the_list_shows_fifty_neighbours_a_page_and_audits_those_shown(p, child, as_user):
    from lantern.foundation.models import AuditEvent

    for i in range(52):
        kid = testing.make_child(p.alice, given_names=f"Kid{i:02d}")
        grade(report(p.alice, [kid], vehicle("XY12 ZZZ")), p.priya)
    v = Vehicle.objects.get(key="XY12ZZZ")
    client = as_user(p.maria)
    first = client.get(f"/intelligence/chart/?focus=e{v.pk}").content.decode()
    assert "52 linked to" in first and "1 to 50 below" in first
    assert "Kid00 Example" in first and "Kid49 Example" in first
    assert "Kid50 Example" not in first
    opened = AuditEvent.objects.filter(actor=p.maria, summary__startswith="Opened the link "
                                       "chart").last()
    assert len(opened.changes["children"]) == 50
    second = client.get(f"/intelligence/chart/?focus=e{v.pk}&page=2").content.decode()
    assert "Kid50 Example" in second and "Kid51 Example" in second
    assert "Kid00 Example" not in second


def test_the_chart_drawn_again_with_a_police_forms_errors_is_audited(p, child, as_user):
    from lantern.foundation.models import AuditEvent

    grade(report(p.alice, [child], person("Dean", "Ward")), p.priya)
    dean = Subject.objects.get()
    body = as_user(p.priya).post(f"/intelligence/subjects/{dean.pk}/risk/",
                                 {"violence": "yes", "previous_convictions": "lots"})
    assert "Jade Example" in body.content.decode()
    assert AuditEvent.objects.filter(actor=p.priya, child_id=None,
                                     summary__startswith="Opened the link chart",
                                     changes__children=[child.pk]).exists()


def test_who_opens_a_chart_is_the_rule_for_every_record_person_and_filter(p, child, as_user):
    """The chart asks whether the user may open it of the links it drew, and only without
    any asks the whole rule (issue 18): the same answer as the rule (access.chart_entity_allowed,
    a child's chart links), for everyone who charts, around every record and child, with the
    filters keeping every link, some, or none."""
    from django.db.models import Q

    from lantern.foundation.models import Child
    from lantern.intelligence import access
    from lantern.intelligence.models import Association, Entity

    from .helpers import eastmoor_manager, phone

    eastern = testing.make_child(p.eve, given_names="Eastern")
    grade(report(p.alice, [child], person("Dean", "Ward", phone="07700 900123")), p.priya)
    grade(report(p.alice, [child], person("Kyle", "Morgan"), vehicle("KY11 KKK")), p.priya,
          handling="C", roles=["cse_manager"], grade_="D")
    report(p.alice, [child], person("Una", "Graded"), phone("07700 900999"))
    # Not graded: its person uses the phone above, its association drawn to police only.
    report(p.alice, [child], person("Xavier", "Ray", phone="07700 900123"))
    grade(report(p.eve, [eastern], person("Eddie", "East")), p.priya, grade_="A")
    grade(report(p.bob, [child, eastern], person("Both", "Areas")), p.priya)
    nodes = [f"e{pk}" for pk in Entity.objects.values_list("pk", flat=True)] + [
        f"c{pk}" for pk in Child.objects.values_list("pk", flat=True)] + ["e999999"]
    filters = ["", "&grades=D", "&date_from_day=1&date_from_month=1&date_from_year=2100"]
    answers, associated = set(), set()
    for user in (p.maria, p.priya, p.ana, eastmoor_manager(p)):
        client = as_user(user)
        for node in nodes:
            kind, ident = node[0], int(node[1:])
            allowed = (access.chart_entity_allowed(user, ident) if kind == "e"
                       else access.chart_links(user).filter(child_id=ident).exists())
            for extra in filters:
                response = client.get(f"/intelligence/chart/data/?focus={node}{extra}")
                assert response.status_code == (200 if allowed else 404), (
                    user.username, node, extra)
                answers.add((allowed, extra))
                if allowed and kind == "e":
                    # The associations drawn: those of reports the user's chart may draw.
                    drawn_ = {e["id"] for e in response.json()["edges"] if e["id"][0] == "a"}
                    root = int(response.json()["focus"][1:])
                    assert drawn_ == {f"a{pk}" for pk in Association.objects.filter(
                        Q(subject_id=root) | Q(subject__canonical_id=root) | Q(entity_id=root)
                        | Q(entity__canonical_id=root),
                        report__in=access.chart_links(user).values("report_id")).values_list(
                        "pk", flat=True)}, (user.username, node, extra)
                    associated.add(bool(drawn_))
    # Each filter met records the user may chart and records they may not.
    assert answers == {(a, f) for a in (True, False) for f in filters}
    assert associated == {True, False}


# The chart's forms as chart.html drew them before their questions were kept once a process
# (views._kept): from the line break before them to the button after them.
OLD_FILTERS = """
  <div class="govuk-grid-row">
    <div class="govuk-grid-column-one-third">{% field filters.date_from %}</div>
    <div class="govuk-grid-column-one-third">{% field filters.date_to %}</div>
    <div class="govuk-grid-column-one-third">{% field filters.grades %}</div>
  </div>
  <button type="submit\""""
OLD_RISK = """
  {% field risk_form.violence label_size="s" inline=True %}
  {% field risk_form.previous_convictions classes="govuk-input--width-3" %}
  <button type="submit\""""
OLD_DETAILS = """
  {% field details_form.sex label_size="s" %}
  {% field details_form.ethnicity_status label_size="s" %}
  {% field details_form.nationality_status label_size="s" %}
  {% field details_form.disability_status label_size="s" %}
  <button type="submit\""""


def test_the_charts_forms_drawn_once_are_drawn_as_new(p, child, as_user):
    """The filters and the police forms, kept once a process for the values they start from,
    are what the page's old template drew of new forms, person after person and again (each
    set of values its own drawing), and again with a police form's errors."""
    from django.template import engines

    from lantern.intelligence.forms import ChartFilterForm, SubjectRiskForm
    from lantern.intelligence.views import _details_form

    grade(report(p.alice, [child], person("Dean", "Ward"), person("Kyle", "Morgan")), p.priya)
    dean, kyle = Subject.objects.order_by("pk")
    template = {text: engines["django"].from_string(text)
                for text in (OLD_FILTERS, OLD_RISK, OLD_DETAILS)}
    values = [
        {},
        {"violence": True, "previous_convictions": 3, "sex": "female",
         "ethnicity": "asian_indian", "nationality": "Irish & <British>",
         "disability_status": "yes"},
        {"previous_convictions": 1, "sex": "not_known", "ethnicity": "not_known",
         "nationality": "not_known", "disability_status": "not_known",
         "unknown_reasons": {"sex": "declined", "ethnicity": "not_asked",
                             "nationality": "not_recorded_by_source", "disability": "declined"}},
    ]
    client = as_user(p.priya)
    for _ in range(2):
        for subject, changes in itertools.product((dean, kyle), values):
            Subject.objects.filter(pk=subject.pk).update(**{
                "violence": False, "previous_convictions": 0, "sex": "", "ethnicity": "",
                "nationality": "", "disability_status": "", "unknown_reasons": {}, **changes})
            subject.refresh_from_db()
            page = client.get(f"/intelligence/chart/?focus=e{subject.pk}").content.decode()
            risk = SubjectRiskForm(initial={"violence": subject.violence,
                                            "previous_convictions": subject.previous_convictions})
            for text, form in ((OLD_FILTERS, {"filters": ChartFilterForm()}),
                               (OLD_RISK, {"risk_form": risk}),
                               (OLD_DETAILS, {"details_form": _details_form(subject)})):
                drawn = template[text].render(form)
                assert drawn in page, (text, changes)
            if not changes:
                continue
            # Drawn again with the errors of the form sent, the other as the person is.
            page = client.post(f"/intelligence/subjects/{subject.pk}/risk/", {
                "violence": "yes", "previous_convictions": "lots"}).content.decode()
            sent = SubjectRiskForm({"violence": "yes", "previous_convictions": "lots"})
            assert template[OLD_RISK].render({"risk_form": sent}) in page
            assert template[OLD_DETAILS].render(
                {"details_form": _details_form(subject)}) in page
            page = client.post(f"/intelligence/subjects/{subject.pk}/details/", {
                "sex_status": "not_known"}).content.decode()
            assert template[OLD_DETAILS].render({"details_form": _details_form(
                subject, {"sex_status": "not_known"})}) in page
            assert template[OLD_RISK].render({"risk_form": risk}) in page


def test_a_chart_asked_around_a_merged_record_is_its_groups(p, child, as_user):
    # The group's root is read with the links (queries.chart_link_rows' `group`), or asked on
    # its own when the filters leave none: either way the chart is the group's.
    from lantern.intelligence.models import Entity

    grade(report(p.alice, [child], person("Dean", "Ward")), p.priya)
    grade(report(p.alice, [child], person("Kyle", "Morgan"), vehicle("KY11 KKK")), p.priya)
    dean, kyle = (Entity.objects.get(subject__given_names=n) for n in ("Dean", "Kyle"))
    Entity.objects.filter(pk=kyle.pk).update(canonical=dean)
    client = as_user(p.maria)
    for extra in ("", "&grades=A"):
        around_kyle = client.get(f"/intelligence/chart/data/?focus=e{kyle.pk}{extra}")
        around_dean = client.get(f"/intelligence/chart/data/?focus=e{dean.pk}{extra}")
        assert around_kyle.status_code == around_dean.status_code == 200
        assert around_kyle.json() == around_dean.json()
        assert around_kyle.json()["focus"] == f"e{dean.pk}"
        assert bool(around_kyle.json()["edges"]) == (extra == "")
