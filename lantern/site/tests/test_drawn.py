"""Rows drawn in Python (lantern.site.drawn) are the markup of the templates they replaced,
character for character, whatever the row holds: no child, no link, no deadline, text that
must be escaped, text already safe, a lazy label."""

import itertools
from datetime import date
from types import SimpleNamespace

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from lantern import testing
from lantern.foundation.models import Area, Child, ChronologyEntry, Gender, User
from lantern.pathway.tests.test_drawn import OLD_CHILD_PATHWAY, page_context, pathway_children
from lantern.people import actions as people_actions
from lantern.sharing import actions as sharing_actions
from lantern.site import drawn, generate, queries

# The work tray's rows as site/work.html drew them before `drawn.work_rows`.
WORK_ROWS = """  {% for item in rows %}
    <tr class="govuk-table__row">
      <td class="govuk-table__cell">{% if item.child %}<a class="govuk-link" href="{{ item.child_url }}">{{ item.child.full_name }}</a>{% if item.category %}<br><span class="govuk-body-s">Category {{ item.category }} ({{ item.framework|upper }})</span>{% endif %}{% else %}No child{% endif %}</td>
      <td class="govuk-table__cell">{% if item.url %}<a class="govuk-link" href="{{ item.url }}">{{ item.title }}{% if item.child %}<span class="govuk-visually-hidden"> for {{ item.child.full_name }}</span>{% endif %}</a>{% else %}{{ item.title }}{% endif %}<br><span class="govuk-body-s">{{ item.kind_label }}</span></td>
      <td class="govuk-table__cell lantern-nowrap">{% if item.due_at is None %}When judged right (see why){% else %}<span class="{% if item.past_due %}lantern-overdue{% endif %}">{{ item.due_text }}<br>{{ item.due_words }}</span>{% endif %}</td>
      <td class="govuk-table__cell govuk-body-s">{{ item.basis|cited }}</td>
      <td class="govuk-table__cell">{{ item.owner_label }}</td>
    </tr>
  {% endfor %}"""  # noqa: E501


def _items():
    lazy_text = lazy(lambda: "Any <front door> worker", str)()
    children = [None, SimpleNamespace(full_name="Amy O'Neil & <Co>"),
                SimpleNamespace(full_name="Bo Example")]
    categories = [(None, None), (0, "sercf"), (3, "sercf"), (2, None)]
    dues = [(None, False), ("3 Mar 2026, 14:05", True), ("3 Mar 2026", False)]
    urls = ["", "/referrals/1/?a=1&b=\"2\""]
    titles = ["Decide <now>", mark_safe("<b>safe</b>")]
    owners = ["Ann Owner", lazy_text]
    for n, (child, (category, framework), (due, past), url, title, owner) in enumerate(
            itertools.product(children, categories, dues, urls, titles, owners)):
        yield SimpleNamespace(
            child=child, child_url=f"/children/{n}/" if child else "", category=category,
            framework=framework, url=url, title=title, kind_label="Front-door <decision>",
            due_at=None if due is None else object(), due_text=due or "",
            due_words="Overdue by 3 hours" if past else "Due in 2 days", past_due=past,
            basis="seed 001 \"MASH\" <24h>", owner_label=owner)


def test_the_work_rows_are_the_templates_markup():
    items = list(_items())
    template = engines["django"].from_string(WORK_ROWS)
    assert "  " + drawn.work_rows(items) == template.render({"rows": items})
    assert drawn.work_rows([]) == ""


# A page of the chronology as site/_chronology.html drew it before `chronology_entries`.
OLD_CHRONOLOGY = """{# (the file's comment) #}
<div class="moj-timeline">{% with level=title_level|default:"3" %}
  {% for entry in chronology %}
  <div class="moj-timeline__item">
    <div class="moj-timeline__header">
      <h{{ level }} class="moj-timeline__title">{% if entry.url %}<a class="govuk-link" href="{{ entry.url }}">{{ entry.title }}</a>{% else %}{{ entry.title }}{% endif %}</h{{ level }}>
      <p class="moj-timeline__byline">by {% if entry.recorded_by %}{{ entry.recorded_by.display_name }}{% else %}Lantern{% endif %}{% if entry.agency %}, {{ entry.agency.name }}{% endif %}</p>
    </div>
    <p class="moj-timeline__date"><time datetime="{{ entry.occurred_iso }}">{{ entry.occurred_text }}</time></p>
    {% if entry.detail %}<div class="moj-timeline__description">{% checked_text entry.detail %}</div>{% endif %}
  </div>
  {% endfor %}{% endwith %}
</div>
"""  # noqa: E501


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["alice", "maria"])  # maria sees wording marked
@pytest.mark.parametrize("level", [None, 2])
def test_the_chronology_is_the_old_templates_markup(p, rf, reader, level):
    generate.generate(4)
    child = testing.make_child(p.alice)
    p.alice.first_name = "Ann <O'Neil> &"
    p.alice.save()
    for title, url, detail, by in [
        ("Note <b>bold</b>", "", "", None),
        ("Linked", "/intelligence/1/?a=1&b=2", "Line one\nLine two <i>", p.alice),
        ("Wording", "", "She chose to go with them; a lifestyle choice.", p.alice),
    ]:
        ChronologyEntry.objects.create(child=child, kind="note", title=title, url=url,
                                       detail=detail, recorded_by=by, occurred_at=timezone.now(),
                                       agency=by.agency if by else None)
    request = rf.get("/")
    request.user = getattr(p, reader)
    old = engines["django"].from_string(OLD_CHRONOLOGY)
    new = engines["django"].get_template("site/_chronology.html")
    drawn = 0
    for each in Child.objects.all():
        entries = queries.chronology_page(each, limit=50)
        context = {"chronology": entries, "request": request}
        if level:
            context["title_level"] = level
        assert new.render(context) == old.render(context), each.pk
        drawn += len(entries)
    assert drawn > 40


# The child's record's referrals as site/child_record.html's loop drew them before
# `drawn.referral_items`.
OLD_REFERRALS = """    <ul class="govuk-list">
      {% for referral in referrals %}
      <li><a class="govuk-link" href="{{ referral.url }}">{{ referral.received_day }} from {{ referral.agency.name }}</a>: {% if referral.status == "decided" %}{{ referral.decision.get_outcome_display }}{% else %}awaiting decision{% endif %}</li>
      {% endfor %}
    </ul>"""  # noqa: E501
NEW_REFERRALS = """    <ul class="govuk-list">
      {{ referral_items }}
    </ul>"""


def _referrals():
    outcomes = [None, "Strategy <discussion> & S47", mark_safe("<b>safe</b>"),
                lazy(lambda: "Lazy \"advice\"", str)()]
    agencies = ["Riverside Academy", "O'Brien & <Sons>"]
    for n, (status, outcome, agency) in enumerate(
            itertools.product(["decided", "awaiting"], outcomes, agencies)):
        decision = (None if outcome is None
                    else SimpleNamespace(get_outcome_display=lambda o=outcome: o))
        yield SimpleNamespace(url=f"/referrals/{n}/?a=1&b=<2>", received_day=f"{n} Mar 2026",
                              agency=SimpleNamespace(name=agency), status=status,
                              decision=decision)


@pytest.mark.parametrize("count", [0, 1, 3, 16])
def test_the_referrals_are_the_old_loops_markup(count):
    referrals = list(_referrals())[:count]
    old = engines["django"].from_string(OLD_REFERRALS).render({"referrals": referrals})
    new = engines["django"].from_string(NEW_REFERRALS).render(
        {"referral_items": drawn.referral_items(referrals)})
    assert new == old


# The home page's children allocated to the worker as site/home.html's loop drew them before
# `drawn.allocated_items`.
OLD_ALLOCATED = """<ul class="govuk-list">
  {% for allocation in allocated %}<li><a class="govuk-link" href="{{ allocation.child_url }}">{{ allocation.child.full_name }}</a></li>{% endfor %}
</ul>"""  # noqa: E501
NEW_ALLOCATED = """<ul class="govuk-list">
  {{ allocated_html }}
</ul>"""


@pytest.mark.parametrize("count", [0, 1, 3, 12])
def test_the_allocated_children_are_the_old_loops_markup(count):
    names = ["Amy O'Neil & <Co>", mark_safe("<b>safe</b>"), "Bo", lazy(lambda: "Lazy", str)()]
    allocations = [SimpleNamespace(child_url=f"/children/{n}/?a=1&b=<2>",
                                   child=SimpleNamespace(full_name=names[n % len(names)]))
                   for n in range(count)]
    old = engines["django"].from_string(OLD_ALLOCATED).render({"allocated": allocations})
    new = engines["django"].from_string(NEW_ALLOCATED).render(
        {"allocated_html": drawn.allocated_items(allocations)})
    assert new == old


# The child's record's "About" column as site/child_record.html drew it before
# `drawn.about_html`.
OLD_ABOUT = """  <div class="govuk-grid-column-one-half">
    <h2 class="govuk-heading-m">About {{ child.known_as|default:child.given_names }}</h2>
    {% if can_change and not emergency %}<p class="govuk-body"><a class="govuk-link" href="{{ links.people_correct }}">Correct details<span class="govuk-visually-hidden"> of {{ child.full_name }}</span></a></p>{% endif %}
    <dl class="govuk-summary-list">
      <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Legal name</dt><dd class="govuk-summary-list__value">{{ child.full_name }}</dd></div>
      {% if child.known_as %}<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Known as</dt><dd class="govuk-summary-list__value">{{ child.known_as }}</dd></div>{% endif %}
      {% if child.aliases %}<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Other names</dt><dd class="govuk-summary-list__value">{{ child.aliases|join:", " }}</dd></div>{% endif %}
      <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Date of birth</dt><dd class="govuk-summary-list__value">{% if child.date_of_birth %}{{ child.date_of_birth|date:"j F Y" }}{% else %}Not known{% if child.estimated_age is not None %}: estimated {{ child.estimated_age }} on {{ child.estimated_on|date:"j F Y" }}{% endif %}{% endif %}</dd></div>
      {% if child.turns_18_on %}<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Turns 18 on</dt><dd class="govuk-summary-list__value">{{ child.turns_18_on|date:"j F Y" }}{% if child.age_is_estimated %} (estimated){% endif %}</dd></div>{% endif %}
      <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Gender</dt><dd class="govuk-summary-list__value">{{ child.get_gender_display }}{% if why_not_known.gender %}: {{ why_not_known.gender|lower }}{% endif %}</dd></div>
      <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Ethnic group</dt><dd class="govuk-summary-list__value">{{ ethnicity_label|default:"Not recorded" }}{% if why_not_known.ethnicity %}{% if not ethnicity_label %}Not known{% endif %}: {{ why_not_known.ethnicity|lower }}{% endif %}</dd></div>
      {% if child.nationality or why_not_known.nationality %}<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Nationality</dt><dd class="govuk-summary-list__value">{% if child.nationality %}{{ child.nationality }}{% else %}Not known: {{ why_not_known.nationality|lower }}{% endif %}</dd></div>{% endif %}
      {% if child.disability_status %}<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Disability</dt><dd class="govuk-summary-list__value">{{ disability_label }}{% if why_not_known.disability %}: {{ why_not_known.disability|lower }}{% endif %}</dd></div>{% endif %}
      {% if child.first_language %}<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">First language</dt><dd class="govuk-summary-list__value">{{ child.first_language }}</dd></div>{% endif %}
      <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Circumstances</dt><dd class="govuk-summary-list__value">
        {% if child.looked_after %}<strong class="govuk-tag govuk-tag--blue">Looked after</strong> {% endif %}
        {% if child.care_leaver %}<strong class="govuk-tag govuk-tag--blue">Care leaver</strong> {% endif %}
        {% if child.unaccompanied_asylum_seeking %}<strong class="govuk-tag govuk-tag--blue">Unaccompanied asylum-seeking</strong> {% endif %}
        {% if child.disability %}<strong class="govuk-tag govuk-tag--purple">Disability</strong> {% endif %}
        {% if child.learning_disability %}<strong class="govuk-tag govuk-tag--purple">Learning disability</strong> {% endif %}
        {% if not child.looked_after and not child.care_leaver and not child.unaccompanied_asylum_seeking and not child.disability and not child.learning_disability %}None recorded{% endif %}
      </dd></div>
      {% if child.address or child.postcode %}<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Address</dt><dd class="govuk-summary-list__value">{{ child.address|linebreaksbr }}{% if child.postcode %}<br>{{ child.postcode }}{% endif %}</dd></div>{% endif %}
      {% if child.school %}<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">School or college</dt><dd class="govuk-summary-list__value">{{ child.school }}</dd></div>{% endif %}
      {% if child.nhs_number %}<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">NHS number</dt><dd class="govuk-summary-list__value">{{ child.nhs_number }}</dd></div>{% endif %}
      {% for system, value in child.local_ids.items %}<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{% if system == "social_care" %}Social care ID{% elif system == "police" %}Police reference{% else %}{{ system }}{% endif %}</dt><dd class="govuk-summary-list__value">{{ value }}</dd></div>{% endfor %}
      <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Area</dt><dd class="govuk-summary-list__value">{{ child.area.name }}</dd></div>
      <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Allocated worker</dt><dd class="govuk-summary-list__value">{% for allocation in allocations %}{{ allocation.user.display_name }} ({{ allocation.user.agency.name }}){% if not forloop.last %}<br>{% endif %}{% empty %}None{% endfor %}</dd></div>
    </dl>
  </div>"""  # noqa: E501

_texts = st.text(alphabet="ab <>&\"'\r\nÉ", max_size=12)
_dates = st.one_of(st.none(), st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)))


@st.composite
def _about(draw):
    """A child's details as the record's view passes them, any of them empty or needing
    escaping."""
    child = Child(
        area=Area(name=draw(_texts)), given_names=draw(_texts), family_name=draw(_texts),
        known_as=draw(_texts), aliases=draw(st.lists(_texts, max_size=3)),
        date_of_birth=draw(_dates), estimated_age=draw(st.one_of(st.none(), st.integers(0, 25))),
        estimated_on=draw(_dates), gender=draw(st.sampled_from(Gender.values)),
        nationality=draw(_texts), disability_status=draw(st.sampled_from(["", "yes", "no"])),
        first_language=draw(_texts), address=draw(_texts), postcode=draw(_texts),
        school=draw(_texts), nhs_number=draw(_texts),
        local_ids=draw(st.dictionaries(st.sampled_from(["social_care", "police", "<x>"]),
                                       _texts, max_size=3)),
        **{name: draw(st.booleans()) for name in (
            "looked_after", "care_leaver", "unaccompanied_asylum_seeking", "disability",
            "learning_disability")})
    agencies = st.one_of(st.none(), st.builds(SimpleNamespace, name=_texts))
    allocations = draw(st.lists(st.builds(
        lambda name, agency: SimpleNamespace(user=SimpleNamespace(display_name=name,
                                                                  agency=agency)),
        _texts, agencies), max_size=3))
    return {
        "child": child, "can_change": draw(st.booleans()),
        "emergency": draw(st.sampled_from([None, SimpleNamespace(reason="urgent")])),
        "ethnicity_label": draw(_texts),
        "why_not_known": draw(st.dictionaries(
            st.sampled_from(["gender", "ethnicity", "nationality", "disability"]), _texts)),
        "disability_label": draw(_texts), "allocations": allocations,
        "links": {"people_correct": "/children/1/correct/?a=1&b=<2>"},
    }


@settings(deadline=None, max_examples=300)
@given(_about())
def test_about_the_child_is_the_old_templates_markup(context):
    old = engines["django"].from_string(OLD_ABOUT).render(context)
    assert "  " + drawn.about_html(**context) == old


# The notice of emergency access as site/_emergency_banner.html drew it before
# `drawn.emergency_banner` (the record and its chronology included it).
OLD_EMERGENCY = """{# Reading a child's pages under emergency (break-glass) access: the record and its chronology. #}
{% if emergency %}
<div class="govuk-notification-banner" role="region" aria-labelledby="emergency-title" data-module="govuk-notification-banner">
  <div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="emergency-title">Emergency access</h2></div>
  <div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">You are reading this record under emergency access until {{ emergency.expires_at|time:"H:i" }}. Everything you open is logged with your reason.</p></div>
</div>
{% endif %}
"""  # noqa: E501


# The child's record below its layout as site/child_record.html drew it before
# `drawn.record_html` (the pathway's include as it was: `OLD_CHILD_PATHWAY`).
OLD_RECORD = """
{% include "site/_emergency_banner.html" %}
<span class="govuk-caption-l">Child's record</span>
<h1 class="govuk-heading-l">{{ child.display_name }}</h1>
<p class="govuk-body-l">
  {% if age %}{{ age }}{% if child.age_is_estimated %} (estimated){% endif %}{% else %}Age not known{% endif %}
  {% if latest_screening %} · Screened {{ latest_screening.final_category_name }}: {{ latest_screening.final_category_label|sentence }}{% endif %}
</p>
{{ rescreen_html }}
{% if open_referrals %}
<div class="govuk-inset-text">
  {% for referral in open_referrals %}
  <p class="govuk-body">Referral to the front door awaiting decision: <span class="{% if referral.decision_due_at|is_past %}lantern-overdue{% endif %}">decision due by {{ referral.decision_due_at|date:"j F Y, H:i" }} ({{ referral.decision_due_at|due_phrase|sentence }})</span>. <a class="govuk-link" href="{{ referral.url }}">View referral</a></p>
  {% endfor %}
</div>
{% endif %}

<div class="govuk-button-group">
  <a href="{{ links.pathway_record_concern }}" class="govuk-button" data-module="govuk-button">Record a concern</a>
  <a href="{{ links.screening_new }}" class="govuk-button govuk-button--secondary" data-module="govuk-button">Screen for risk</a>
  <a href="{{ links.pathway_refer }}" class="govuk-button govuk-button--secondary" data-module="govuk-button">Refer to the front door</a>
  <a href="{{ links.sharing_record_decision }}" class="govuk-button govuk-button--secondary" data-module="govuk-button">Record an information-sharing decision</a>
  <a href="{% url 'intelligence:submit' %}?child={{ child.pk }}" class="govuk-button govuk-button--secondary" data-module="govuk-button">Share intelligence</a>
</div>
{% if age and age.years < 18 %}<p class="govuk-body"><a class="govuk-link" href="{{ links.screening_bichard_new }}">Record concerns about sexual activity (initial risk assessment)</a></p>{% endif %}
{% if may_merge %}<p class="govuk-body"><a class="govuk-link" href="{{ links.people_merge }}">Merge with another record of this child</a></p>
{% for merge in merges %}<p class="govuk-body">Record {{ merge.merged.pk }} ({{ merge.merged.full_name }}) was merged into this record by {{ merge.merged_by.display_name }} on {{ merge.merged_at|date:"j F Y" }}. <a class="govuk-link" href="{% url 'people:merge_undo' merge.pk %}">Undo the merge<span class="govuk-visually-hidden"> of record {{ merge.merged.pk }}</span></a></p>{% endfor %}{% endif %}
{% if can_read_access_log %}<p class="govuk-body"><a class="govuk-link" href="{{ links.sharing_access_log }}">Who has looked at this record</a></p>{% endif %}

<div class="govuk-grid-row">
  {{ about_html }}
  <div class="govuk-grid-column-one-half">
    <h2 class="govuk-heading-m">Screenings</h2>
    {% if latest_screening %}
    <p class="govuk-body">Latest: {{ latest_screening.final_category_name }} ({{ latest_screening.final_category_label|sentence }}) on {{ latest_screening.screened_at|date:"j M Y" }}. {{ screenings|length }} screening{{ screenings|length|pluralize }} in all: <a class="govuk-link" href="#risk-over-time">risk over time</a>.</p>
    {% else %}
    <p class="govuk-body">No screenings yet.</p>
    {% endif %}
    <h2 class="govuk-heading-m">Referrals</h2>
    {% if referrals %}
    <ul class="govuk-list">
      {{ referral_items }}
    </ul>
    {% else %}
    <p class="govuk-body">No referrals yet.</p>
    {% endif %}
  </div>
</div>

{{ history_html }}

<h2 class="govuk-heading-m" id="pathway">Pathway</h2>
{% include "pathway/_child_pathway.html" %}
<p class="govuk-body"><a class="govuk-link" href="{{ links.pathway_pathway }}">Pathway, timescales and next step</a></p>
{{ missing_html }}

{{ plan_html }}

<h2 class="govuk-heading-m" id="chronology">Chronology</h2>
{% if chronology %}
{% if chronology_more %}<p class="govuk-body">The latest {{ chronology|length }} entries, newest first. <a class="govuk-link" href="{{ links.child_chronology }}">Read the whole chronology<span class="govuk-visually-hidden"> of {{ child.full_name }}</span></a>, a page at a time.</p>{% endif %}
{% include "site/_chronology.html" %}
{% if chronology_more %}<p class="govuk-body"><a class="govuk-link" href="{{ links.child_chronology }}">Read the whole chronology<span class="govuk-visually-hidden"> of {{ child.full_name }}</span></a>, with the older entries.</p>{% endif %}
{% else %}
<p class="govuk-body">Nothing recorded yet.</p>
{% endif %}
"""  # noqa: E501


def _record_children(p) -> list:
    """Children at each point the record draws differently, beside the pathway's: a referral
    awaiting the front door, a record merged into another, emergency access, a child of
    unknown age with nothing recorded."""
    children = pathway_children(p)
    testing.make_referral(children[0], p.alice)
    kept = testing.make_child(p.alice, given_names="Olivia", family_name="Griffiths <&>")
    merged = testing.make_child(p.alice, given_names="Olivia", family_name="Griffith")
    testing.make_concern(merged, p.alice, narrative="Seen with adults <again>.")
    people_actions.merge_children(kept, merged, by=p.fiona, reason="Same date of birth")
    sharing_actions.break_glass(children[1], by=p.bob, reason="Found at 2am")
    unknown = testing.make_child(p.alice, given_names="Zoe", date_of_birth=None)
    return [*children, kept, merged, unknown]


def _assert_drawn_as_before(client, children) -> list[str]:
    """Each child's record `client` may open drawn as the old template drew it; those drawn."""
    old = engines["django"].from_string(
        OLD_RECORD.replace('{% include "pathway/_child_pathway.html" %}', OLD_CHILD_PATHWAY)
        .replace('{% include "site/_emergency_banner.html" %}', OLD_EMERGENCY))
    compared = []
    for child in children:
        response = client.get(reverse("child", args=[child.pk]))
        if response.status_code != 200:
            continue
        context = page_context(response, "record_html")
        assert context["record_html"] == old.render(context, response.wsgi_request), child.pk
        compared.append(context["record_html"])
    return compared


@pytest.mark.django_db
def test_the_record_draws_the_old_templates_markup(p, as_user):
    children = _record_children(p)
    compared = [html for viewer in (p.fiona, p.maria, p.alice, p.bob)
                for html in _assert_drawn_as_before(as_user(viewer), children)]
    assert len(compared) >= 20
    drawn_all = "".join(compared)
    for shown in ("Emergency access", "was merged into this record", "awaiting decision:",
                  "Meetings the child", "Responses the child", "Adult safeguarding",
                  "Urgent route", "No pathway yet", "No screenings yet", "Age not known",
                  "Record concerns about sexual activity", "Who has looked at this record"):
        assert shown in drawn_all, shown


@pytest.mark.django_db
def test_the_record_of_a_generated_child_draws_the_old_templates_markup(client):
    generate.generate(6)
    children = list(Child.objects.filter(area__slug=f"{generate.PREFIX}area-1"))
    compared = []
    for role in ("frontdoor-1", "csemanager"):
        user = User.objects.get(username=f"{generate.PREFIX}1-{role}")
        compared += _assert_drawn_as_before(testing.sign_in_client(client, user), children)
    assert len(compared) >= 10
    drawn_all = "".join(compared)
    for shown in ("Read the whole chronology", "Other work due", "Pathway since",
                  "in all: <a", "View referral"):
        assert shown in drawn_all, shown
