"""Parts of intelligence pages drawn in Python rather than by a template's loop (issue 18) are
the markup of the templates they replaced, character for character, whatever they hold:
text that must be escaped, text already safe, lazy labels, links or none."""

import itertools

import pytest
from django.template import engines
from django.utils.functional import lazy
from django.utils.safestring import mark_safe

from lantern.domain import disruption
from lantern.intelligence import views

# The chart's list items as intelligence/_neighbours.html drew them before `views._list_items`.
NEIGHBOURS = """{% for node in nodes %}
<li class="lantern-graph-list__item">
  <p class="govuk-body govuk-!-margin-bottom-1"><strong>{{ node.kind_label|default:"Child" }}:</strong> {% if node.url %}<a class="govuk-link" href="{{ node.url }}">{{ node.label }}</a>{% else %}{{ node.label }}{% endif %}{% if node.kind != "child" %} ({{ node.area }}){% endif %}</p>
  <ul class="govuk-list govuk-list--bullet govuk-body-s">
    {% for edge in node.edges %}<li>{{ edge.role_label }}; {{ edge.date }}; graded {{ edge.grading }}{% if edge.report_url %}; <a class="govuk-link" href="{{ edge.report_url }}">read the report<span class="govuk-visually-hidden"> of {{ edge.date }}</span></a>{% endif %}</li>{% endfor %}
  </ul>
  <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-2" data-module="govuk-button" hx-get="{{ neighbours_url }}?focus={{ node.id }}&amp;path={{ path }}-{{ node.id }}{% if filter_query %}&amp;{{ filter_query }}{% endif %}" hx-target="#n{{ path }}-{{ node.id }}" hx-swap="innerHTML">Show the links of {{ node.label }}</button>
  <ul id="n{{ path }}-{{ node.id }}" class="govuk-list lantern-graph-list" aria-live="polite"></ul>
</li>
{% endfor %}
"""  # noqa: E501

# A subject's factor rows as intelligence/subjects.html drew them before `views._FACTOR_ROW`.
FACTORS = """  {% for label, value, weight, points in lines %}
    <tr class="govuk-table__row">
      <th scope="row" class="govuk-table__header">{{ label }}</th>
      <td class="govuk-table__cell govuk-table__cell--numeric">{{ value }}</td>
      <td class="govuk-table__cell govuk-table__cell--numeric">{{ weight }}</td>
      <td class="govuk-table__cell govuk-table__cell--numeric">{{ points }}</td>
    </tr>
  {% endfor %}"""

lazy_text = lazy(lambda: "Seen <with> the child", str)


def _edges():
    roles = ["Suspected of \"targeting\" & <exploiting>", lazy_text()]
    urls = ["", "/intelligence/reports/7/?a=1&b=2"]
    for n, (role, url) in enumerate(itertools.product(roles, urls)):
        yield {"id": f"l{n}", "role_label": role, "date": "2026-03-0" + str(n + 1),
               "grading": "B2P" if n % 2 else "Not graded", "report_url": url}


def _nodes():
    edges = list(_edges())
    kinds = [("child", None), ("subject", "Person"), ("location", lazy(lambda: "Place", str)())]
    labels = ["Amy O'Neil & <Co>", mark_safe("<b>safe</b>"), "A child in North & East"]
    urls = ["", "/children/3/?x=<1>"]
    for n, ((kind, kind_label), label, url) in enumerate(
            itertools.product(kinds, labels, urls)):
        node = {"id": f"{'c' if kind == 'child' else 'e'}{n}", "kind": kind, "label": label,
                "area": "Northbridge & <Co>", "named": bool(url), "url": url,
                "edges": edges[:n % (len(edges) + 1)]}
        if kind_label is not None:
            node["kind_label"] = kind_label
        yield node


def test_the_charts_list_items_are_the_templates_markup():
    nodes = list(_nodes())
    template = engines["django"].from_string(NEIGHBOURS)
    for filter_query, path in [("", ""), ("date_from_year=2020&grades=B&grades=U", "-e1-c2")]:
        drawn = views._list_items(nodes, filter_query=filter_query, path=path) + "\n"
        assert drawn == template.render({
            "nodes": nodes, "filter_query": filter_query, "path": path,
            "neighbours_url": "/intelligence/chart/neighbours/"})
    assert views._list_items([], filter_query="", path="") == ""


def test_the_subjects_factor_rows_are_the_templates_markup():
    from django.utils.html import format_html_join

    lines = [("Children <linked>", "3", "10", "30"), (lazy_text(), "0", "5", "0"),
             (mark_safe("<i>Violence</i>"), "1", "20", "20")]
    template = engines["django"].from_string(FACTORS)
    assert "  " + format_html_join("", views._FACTOR_ROW, lines) == template.render(
        {"lines": lines})


# The subjects ranked as intelligence/subjects.html drew them before `views._SUBJECT`.
HEAD = 'scope="col" class="govuk-table__header govuk-table__header--numeric"'
SUBJECTS = (
    "{% for row, total, lines in ranked %}\n"
    '<h2 class="govuk-heading-m">{{ forloop.counter }}. <a class="govuk-link" href="'
    '{{ chart_url }}?focus=e{{ row.subject.pk }}">{{ row.label }}</a>: {{ total }} points</h2>'
    '\n<div class="lantern-table-scroll" role="region" aria-label="Score of {{ row.label }}, '
    'factor by factor" tabindex="0">\n<table class="govuk-table">\n  <caption class='
    '"govuk-table__caption govuk-visually-hidden">Score of {{ row.label }}, factor by factor'
    '</caption>\n  <thead class="govuk-table__head"><tr class="govuk-table__row">\n    <th '
    f'scope="col" class="govuk-table__header">Factor</th>\n    <th {HEAD}>Value</th>\n    <th '
    f'{HEAD}>Weight</th>\n    <th {HEAD}>Points</th>\n  </tr></thead>\n  <tbody class='
    f'"govuk-table__body">\n{FACTORS}\n  </tbody>\n</table>\n</div>\n{{% endfor %}}')


def _ranked(pk, label, lines):
    from types import SimpleNamespace

    return SimpleNamespace(subject=SimpleNamespace(pk=pk), label=label, score=disruption.Score(
        tuple(disruption.Line("code", line_label, "", value, weight)
              for line_label, value, weight in lines)))


LINES = [("Children <linked>", 2.5, 10), (lazy_text(), 0.49999, 5.0),
         (mark_safe("<i>Violence</i>"), -0.5, 20), ("Reports", 3.4999, 1)]
RANKED = [(1, "Dean 'Dee' <Ward> & co", LINES[:1]), (12, lazy_text(), LINES[1:3]),
          (1234, mark_safe("<b>safe</b>"), LINES[2:3]), (7, "", LINES[:2]),
          (8, "<b>safe</b>", LINES[2:3]), (9, "Kyle", [])]


def _as_the_template_drew(ranked, chart_url: str) -> str:
    return engines["django"].from_string(SUBJECTS).render({
        "chart_url": chart_url,
        "ranked": [(r, views.whole_number(r.score.total), [
            (x.label, views.whole_number(x.value), views.whole_number(x.weight),
             views.whole_number(x.points)) for x in r.score.lines]) for r in ranked]})


@pytest.mark.parametrize("kept", [False, True], ids=["drawn", "kept"])
def test_the_subjects_ranked_are_the_templates_markup(kept):
    views._drawn_subjects.clear()
    ranked = [_ranked(*args) for args in RANKED]
    if kept:  # each subject drawn before, at another place in another ranking
        views._ranked_html(ranked[::-1], "/intelligence/chart/?x=<1>")
    assert views._ranked_html(ranked, "/intelligence/chart/?x=<1>") == _as_the_template_drew(
        ranked, "/intelligence/chart/?x=<1>")
    assert views._ranked_html([], "/") == ""


def test_a_subject_is_drawn_again_when_their_name_or_score_changes():
    views._drawn_subjects.clear()
    before = _ranked(1, "Dean <Ward>", LINES[:1])
    views._ranked_html([before], "/chart/")
    for after in (_ranked(1, "Dean Ward", LINES[:1]), _ranked(1, "Dean <Ward>", LINES[:2]),
                  _ranked(1, mark_safe("Dean <Ward>"), LINES[:1]),
                  _ranked(1, "Dean <Ward>", [(mark_safe(LINES[0][0]), *LINES[0][1:])])):  # noqa: S308
        assert views._ranked_html([after], "/chart/") == _as_the_template_drew([after],
                                                                                "/chart/")
    assert views._ranked_html([before], "/elsewhere/") == _as_the_template_drew(
        [before], "/elsewhere/")


def test_the_subjects_kept_drawn_are_bounded():
    views._drawn_subjects.clear()
    views._ranked_html([_ranked(pk, "Dean", LINES[:1]) for pk in range(1_990)], "/")
    ranked = [_ranked(pk, "Kyle", LINES[:1]) for pk in range(20)]
    assert views._ranked_html(ranked, "/") == _as_the_template_drew(ranked, "/")
    assert len(views._drawn_subjects) == 20


# The intelligence list's rows as intelligence/index.html drew them before `views._REPORT_ROW`.
REPORT_ROWS = (
    "  {% for report, summary, url, shared, happened in reports %}\n"
    '    <tr class="govuk-table__row">\n      <td class="govuk-table__cell"><a class="govuk-link" '
    'href="{{ url }}">{% if summary %}{% checked_text summary|truncatewords:25 brief=True %}'
    "{% else %}Intelligence report {{ report.pk }} (no sanitised text yet){% endif %}</a></td>"
    '\n      <td class="govuk-table__cell">Shared {{ shared }} by {{ report.agency.name }}'
    '{% if happened %}<br><span class="govuk-body-s">Happened {{ happened }}</span>{% endif %}'
    '</td>\n      <td class="govuk-table__cell">{% if report.graded %}{{ report.grading }}'
    '{% if report.due_for_regrading %} <strong class="govuk-tag govuk-tag--orange">Due for '
    're-grading</strong>{% endif %}{% else %}<strong class="govuk-tag govuk-tag--yellow">Not '
    'graded</strong>{% endif %}</td>\n      <td class="govuk-table__cell">'
    "{{ report.child_count }}</td>\n    </tr>\n  {% endfor %}")


def test_the_intelligence_lists_rows_are_the_templates_markup():
    from types import SimpleNamespace

    from django.template import Context

    from lantern.foundation.models import Role

    summaries = ["", "She is putting herself at risk & <goes> with him.\nAgain.",
                 " ".join(f"word{n}" for n in range(40)), lazy_text(),
                 mark_safe("<i>already safe</i>")]
    rows = [(SimpleNamespace(pk=pk, agency=SimpleNamespace(name=agency),
                             graded=bool(grading), grading=grading, due_for_regrading=due,
                             child_count=pk % 3), summary, f"/intelligence/reports/{pk}/?a=<1>",
             "1 March 2026, 9:05am", happened)
            for pk, (summary, agency, grading, due, happened) in enumerate(itertools.product(
                summaries, ["Police & <Co>"], ["", "B2P", "C<3>"], [False, True],
                ["", "2 March 2026"]))]
    template = engines["django"].from_string(REPORT_ROWS)
    for role in (Role.CSE_MANAGER, Role.POLICE):
        request = SimpleNamespace(user=SimpleNamespace(is_authenticated=True, role=role))
        assert "  " + views._report_rows(request, rows) == template.template.render(
            Context({"reports": rows, "request": request}))
    assert views._report_rows(request, []) == ""


# The triggers list's rows as intelligence/triggers.html drew them before
# `views._TRIGGER_ROW`.
TRIGGER_ROWS = (
    "  {% for row in rows %}{% with trigger=row.trigger %}\n    <tr class=\"govuk-table__row\">"
    '\n      <td class="govuk-table__cell"><a class="govuk-link" href="{{ row.url }}">'
    '{{ trigger.evidence.label }}</a><br><span class="govuk-body-s">'
    "{{ trigger.get_kind_display }}{% if trigger.joint %} <strong class=\"govuk-tag "
    'govuk-tag--purple">Joint</strong>{% endif %}{% if row.linked_by %}. Linked by '
    '{{ row.linked_by|join:"; " }}{% endif %}</span></td>\n      <td class="govuk-table__cell '
    'lantern-nowrap">Raised {{ row.raised }}{% if row.updated %}<br><span class="govuk-body-s">'
    'Updated {{ row.updated }}</span>{% endif %}</td>\n      <td class="govuk-table__cell">'
    '{% if row.gradings %}{{ row.gradings|join:", " }}{% endif %}{% if row.unopenable %}'
    '{% if row.gradings %}<br>{% endif %}<span class="govuk-body-s">{{ row.unopenable }} '
    "report{{ row.unopenable|pluralize }} you cannot open</span>{% endif %}</td>\n"
    '      <td class="govuk-table__cell">{{ trigger.child_count }}</td>\n      <td class='
    '"govuk-table__cell">{{ row.areas }}</td>\n    </tr>\n  {% endwith %}{% endfor %}')


def test_the_triggers_lists_rows_are_the_templates_markup():
    from types import SimpleNamespace

    from lantern.intelligence.queries import TriggerRow

    def trigger(n, evidence, joint):
        return SimpleNamespace(evidence=evidence, joint=joint, child_count=n,
                               get_kind_display=lambda: ["Complex <strategy>", lazy_text()][n % 2])

    rows = [TriggerRow(trigger=trigger(n, evidence, joint), linked_by=linked_by,
                       gradings=gradings, unopenable=unopenable, url=f"/t/{n}/?a=<1>&b",
                       raised="1 March 2026, 9:05am", updated=updated, areas="North & <East>")
            for n, (evidence, joint, linked_by, gradings, unopenable, updated) in enumerate(
                itertools.product(
                    [{"label": "Three children & <one> car"}, {}, {"label": lazy_text()}],
                    [False, True], [[], ["Dean <Ward>", mark_safe("<b>safe</b>")]],
                    [[], ["B2P", "C<3>"]], [0, 1, 2], ["", "2 March 2026"]))]
    template = engines["django"].from_string(TRIGGER_ROWS)
    assert "  " + views._trigger_rows(rows) == template.render({"rows": rows})
    assert views._trigger_rows([]) == ""


def _old_list_nodes(graph) -> list[dict]:
    """`views._list_nodes` before only the listed page's neighbours were given their links."""
    edges_of: dict[str, list[dict]] = {}
    for edge in graph.edges.values():
        edges_of.setdefault(edge["source"], []).append(edge)
        if edge["target"] != edge["source"]:
            edges_of.setdefault(edge["target"], []).append(edge)
    found = []
    for node_id, node in graph.nodes.items():
        if node_id == graph.focus:
            continue
        edges = edges_of.get(node_id, [])
        found.append({**node, "edges": sorted(edges, key=lambda e: e["date"], reverse=True)})
    return sorted(found, key=lambda n: (n["kind"] != "child", n["label"]))


def test_the_charts_neighbours_get_their_links_as_before_a_page_at_a_time():
    """Links on either end of a neighbour (a child's to a record, a record's to a person it
    is used by, one to itself), several on a day and on other days, labels alike: the list's
    neighbours and their links are what they were, whole or a page at a time."""
    from lantern.intelligence import queries

    nodes = {f"c{n}": {"id": f"c{n}", "kind": "child", "label": label}
             for n, label in enumerate(["A child in Northbridge", "Amy", "A child in Northbridge",
                                        "Zoe"])}
    nodes.update({f"e{n}": {"id": f"e{n}", "kind": kind, "label": label} for n, (kind, label)
                  in enumerate([("subject", "Dean"), ("vehicle", "AB12"), ("subject", "Dean"),
                                ("phone", "0770")])})
    edges = [(f"c{n % 4}", f"e{n % 3}", f"2026-0{1 + n % 3}-01") for n in range(14)]
    edges += [("e1", "e0", "2026-02-01"), ("e3", "e3", "2026-01-01"), ("e0", "e3", "2026-02-01")]
    for focus in ("e0", "c1", "e3", "c3"):
        graph = queries.Chart(focus=focus, nodes=nodes, made={
            f"l{n}": {"id": f"l{n}", "source": source, "target": target, "date": day}
            for n, (source, target, day) in enumerate(edges)})
        old = _old_list_nodes(graph)
        assert views._list_nodes(graph) == old
        listed = views._neighbours(graph)
        for start in range(len(listed)):
            assert views._with_links(graph, listed[start:start + 2]) == old[start:start + 2]
