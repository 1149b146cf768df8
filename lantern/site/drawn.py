"""Rows of the long lists drawn in Python: the work tray draws 50 rows of five cells, and the
template language spent more on them (some 25 variable look-ups and conditions a row) than the
rest of the page (issue 18). The markup is the template's, character for character; a test
holds each function to the template it replaced (lantern/site/tests/test_drawn.py)."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from lantern.domain import labels
from lantern.domain.sources import cited
from lantern.foundation.drawn import display, esc
from lantern.foundation.drawn import summary_row as _row
from lantern.foundation.templatetags.govuk import chronology_entries
from lantern.foundation.when import due_phrase, long_date, long_datetime, short_datetime
from lantern.pathway import drawn as pathway_drawn


def work_rows(items) -> SafeString:
    """The work tray's rows (`queries.work_items`, after `_drawn`), escaped as `{{ }}` does."""
    drawn = []
    for item in items:
        child = item.child
        if child is not None:
            name = esc(child.full_name)
            cell = f'<a class="govuk-link" href="{esc(item.child_url)}">{name}</a>'
            if item.category:
                cell += (f'<br><span class="govuk-body-s">Category {esc(item.category)} '
                         f'({esc(str(item.framework).upper())})</span>')
        else:
            cell = "No child"
        title = esc(item.title)
        if item.url:
            what = f'<a class="govuk-link" href="{esc(item.url)}">{title}'
            if child is not None:
                what += f'<span class="govuk-visually-hidden"> for {name}</span>'
            what += "</a>"
        else:
            what = title
        if item.due_at is None:
            when = "When judged right (see why)"
        else:
            when = (f'<span class="{"lantern-overdue" if item.past_due else ""}">'
                    f"{esc(item.due_text)}<br>{esc(item.due_words)}</span>")
        drawn.append(
            '\n    <tr class="govuk-table__row">\n'
            f'      <td class="govuk-table__cell">{cell}</td>\n'
            f'      <td class="govuk-table__cell">{what}<br><span class="govuk-body-s">'
            f"{esc(item.kind_label)}</span></td>\n"
            f'      <td class="govuk-table__cell lantern-nowrap">{when}</td>\n'
            f'      <td class="govuk-table__cell govuk-body-s">{esc(cited(item.basis))}</td>\n'
            f'      <td class="govuk-table__cell">{esc(item.owner_label)}</td>\n'
            "    </tr>\n  "
        )
    return SafeString("".join(drawn))


def referral_items(referrals) -> SafeString:
    """The child's record's list of referrals (`pathway.queries.child_referrals`), each
    linked, from whom and the decision, as the loop in site/child_record.html drew them."""
    drawn = []
    for referral in referrals:
        if referral.status == "decided":
            decision = referral.decision
            outcome = esc(decision.get_outcome_display()) if decision is not None else ""
        else:
            outcome = "awaiting decision"
        drawn.append(f'\n      <li><a class="govuk-link" href="{esc(referral.url)}">'
                     f"{esc(referral.received_day)} from {esc(referral.agency.name)}</a>: "
                     f"{outcome}</li>\n      ")
    return SafeString("".join(drawn))


def allocated_items(allocations) -> SafeString:
    """The home page's children allocated to the worker (`people.queries.allocated_to`), each
    linked to their record, as the loop in site/home.html drew them (a social worker's lists
    50)."""
    return SafeString("".join(
        f'<li><a class="govuk-link" href="{esc(allocation.child_url)}">'
        f"{esc(allocation.child.full_name)}</a></li>" for allocation in allocations))


# --- The child's record: about the child -----------------------------------------------------

_TAGS = (
    ("looked_after", "blue", "Looked after"),
    ("care_leaver", "blue", "Care leaver"),
    ("unaccompanied_asylum_seeking", "blue", "Unaccompanied asylum-seeking"),
    ("disability", "purple", "Disability"),
    ("learning_disability", "purple", "Learning disability"),
)
_LOCAL_ID_LABELS = {"social_care": "Social care ID", "police": "Police reference"}


def about_html(child, *, can_change: bool, emergency, ethnicity_label: str,
               why_not_known: dict, disability_label: str, allocations, links: dict
               ) -> SafeString:
    """The record's "About" column as site/child_record.html drew it (some 40 look-ups and
    conditions of the child's details: a tenth of the record's time, issue 18), from its
    `<div>` to its `</div>`. lantern/site/tests/test_drawn.py holds it to the template."""
    why = why_not_known
    full_name = esc(child.full_name)
    correct = ""
    if can_change and not emergency:
        correct = (f'<p class="govuk-body"><a class="govuk-link" '
                   f'href="{esc(links["people_correct"])}">Correct details'
                   f'<span class="govuk-visually-hidden"> of {full_name}</span></a></p>')
    lines = [
        '<div class="govuk-grid-column-one-half">',
        f'    <h2 class="govuk-heading-m">About {esc(child.known_as or child.given_names)}</h2>',
        "    " + correct,
        '    <dl class="govuk-summary-list">',
        "      " + _row("Legal name", full_name),
        "      " + (_row("Known as", esc(child.known_as)) if child.known_as else ""),
        "      " + (_row("Other names", ", ".join(esc(a) for a in child.aliases))
                    if child.aliases else ""),
    ]
    if child.date_of_birth:
        born = long_date(child.date_of_birth)
    else:
        born = "Not known"
        if child.estimated_age is not None:
            born += (f": estimated {esc(child.estimated_age)} on "
                     f"{long_date(child.estimated_on)}")
    lines.append("      " + _row("Date of birth", born))
    turns = child.turns_18_on
    lines.append("      " + (_row("Turns 18 on", long_date(turns) + (
        " (estimated)" if child.age_is_estimated else "")) if turns else ""))
    gender = esc(display(child, "gender"))
    if why.get("gender"):
        gender += f": {esc(str(why['gender']).lower())}"
    lines.append("      " + _row("Gender", gender))
    ethnicity = esc(ethnicity_label or "Not recorded")
    if why.get("ethnicity"):
        ethnicity += ("" if ethnicity_label else "Not known") + (
            f": {esc(str(why['ethnicity']).lower())}")
    lines.append("      " + _row("Ethnic group", ethnicity))
    nationality = ""
    if child.nationality or why.get("nationality"):
        nationality = _row("Nationality", esc(child.nationality) if child.nationality else
                           f"Not known: {esc(str(why['nationality']).lower())}")
    lines.append("      " + nationality)
    disability = ""
    if child.disability_status:
        disability = _row("Disability", esc(disability_label) + (
            f": {esc(str(why['disability']).lower())}" if why.get("disability") else ""))
    lines.append("      " + disability)
    lines.append("      " + (_row("First language", esc(child.first_language))
                             if child.first_language else ""))
    lines.append('      <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">'
                 'Circumstances</dt><dd class="govuk-summary-list__value">')
    for name, colour, label in _TAGS:
        tag = f'<strong class="govuk-tag govuk-tag--{colour}">{label}</strong> '
        lines.append("        " + (tag if getattr(child, name) else ""))
    lines.append("        " + ("" if any(getattr(child, name) for name, _, _ in _TAGS)
                               else "None recorded"))
    lines.append("      </dd></div>")
    address = ""
    if child.address or child.postcode:
        text = esc(child.address.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")
        address = _row("Address", text + (f"<br>{esc(child.postcode)}" if child.postcode else ""))
    lines.append("      " + address)
    lines.append("      " + (_row("School or college", esc(child.school)) if child.school else ""))
    lines.append("      " + (_row("NHS number", esc(child.nhs_number)) if child.nhs_number else ""))
    lines.append("      " + "".join(
        _row(_LOCAL_ID_LABELS.get(system) or esc(system), esc(value))
        for system, value in child.local_ids.items()))
    lines.append("      " + _row("Area", esc(child.area.name)))
    workers = "<br>".join(
        f"{esc(a.user.display_name)} ({esc(a.user.agency.name if a.user.agency else '')})"
        for a in allocations) or "None"
    lines.append("      " + _row("Allocated worker", workers))
    lines.append("    </dl>")
    lines.append("  </div>")
    return SafeString("\n".join(lines))


# --- The child's record --------------------------------------------------------------------

_EMERGENCY = (
    "\n"
    '<div class="govuk-notification-banner" role="region" aria-labelledby="emergency-title" data-module="govuk-notification-banner">\n'  # noqa: E501
    '  <div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="emergency-title">Emergency access</h2></div>\n'  # noqa: E501
    '  <div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">You are reading this record under emergency access until {until}. Everything you open is logged with your reason.</p></div>\n'  # noqa: E501
    "</div>\n")
_BUTTONS = (
    '<div class="govuk-button-group">\n'
    '  <a href="{pathway_record_concern}" class="govuk-button" data-module="govuk-button">Record a concern</a>\n'  # noqa: E501
    '  <a href="{screening_new}" class="govuk-button govuk-button--secondary" data-module="govuk-button">Screen for risk</a>\n'  # noqa: E501
    '  <a href="{pathway_refer}" class="govuk-button govuk-button--secondary" data-module="govuk-button">Refer to the front door</a>\n'  # noqa: E501
    '  <a href="{sharing_record_decision}" class="govuk-button govuk-button--secondary" data-module="govuk-button">Record an information-sharing decision</a>\n'  # noqa: E501
    '  <a href="{share_intelligence}" class="govuk-button govuk-button--secondary" data-module="govuk-button">Share intelligence</a>\n'  # noqa: E501
    "</div>\n")


def emergency_banner(emergency) -> SafeString:
    """The notice that the record is read under emergency (break-glass) access, until when: on
    the record and its chronology, as site/_emergency_banner.html drew it when included."""
    if not emergency:
        return SafeString("\n\n")
    return SafeString("\n" + _EMERGENCY.format(
        until=esc(f"{timezone.localtime(emergency.expires_at):%H:%M}")) + "\n")


def record_html(request, context: dict) -> SafeString:
    """The child's record below its layout (the content block of site/child_record.html, the
    record's parts already drawn: `about_html`, `rescreen_html`, `history_html`, ...), as the
    template drew it: its look-ups, conditions and includes cost the record 1.5 ms (issue 18).
    lantern/site/tests/test_drawn.py holds it to the template it replaced."""
    child, links, age = context["child"], context["links"], context["age"]
    latest = context["latest_screening"]
    esc_links = {name: esc(link) for name, link in links.items()}
    drawn = ["\n", emergency_banner(context["emergency"]), "\n"]
    if age:
        told = esc(age) + (" (estimated)" if child.age_is_estimated else "")
    else:
        told = "Age not known"
    screened = ""
    if latest:
        screened = (f" · Screened {esc(latest.final_category_name)}: "
                    f"{esc(labels.in_sentence(str(latest.final_category_label)))}")
    drawn.append(
        '<span class="govuk-caption-l">Child\'s record</span>\n'
        f'<h1 class="govuk-heading-l">{esc(child.display_name)}</h1>\n'
        '<p class="govuk-body-l">\n'
        f"  {told}\n"
        f"  {screened}\n"
        "</p>\n"
        f"{context['rescreen_html']}\n")
    open_referrals = context["open_referrals"]
    if open_referrals:
        now = timezone.now()
        drawn.append('\n<div class="govuk-inset-text">\n  ')
        for referral in open_referrals:
            due = referral.decision_due_at
            overdue = "lantern-overdue" if due is not None and due < now else ""
            when = esc(long_datetime(timezone.localtime(due))) if due is not None else ""
            drawn.append(
                '\n  <p class="govuk-body">Referral to the front door awaiting decision: '
                f'<span class="{overdue}">decision due by {when} '
                f"({esc(labels.in_sentence(str(due_phrase(due, now))))})</span>. "
                f'<a class="govuk-link" href="{esc(referral.url)}">View referral</a></p>\n  ')
        drawn.append("\n</div>\n")
    drawn.append("\n\n")
    drawn.append(_BUTTONS.format(**esc_links))
    if age and age.years < 18:
        drawn.append(f'<p class="govuk-body"><a class="govuk-link" '
                     f'href="{esc_links["screening_bichard_new"]}">Record concerns about sexual '
                     "activity (initial risk assessment)</a></p>")
    drawn.append("\n")
    if context.get("may_merge"):
        drawn.append(f'<p class="govuk-body"><a class="govuk-link" '
                     f'href="{esc_links["people_merge"]}">Merge with another record of this '
                     "child</a></p>\n")
        undo = context["undo_merge"]  # the address of a merge's undoing, for its id
        for merge in context["merges"]:
            merged = merge.merged.pk
            drawn.append(
                f'<p class="govuk-body">Record {esc(merged)} ({esc(merge.merged.full_name)}) was '
                f"merged into this record by {esc(merge.merged_by.display_name)} on "
                f"{long_date(timezone.localtime(merge.merged_at))}. "
                f'<a class="govuk-link" href="{esc(undo(merge.pk))}">Undo the merge'
                f'<span class="govuk-visually-hidden"> of record {esc(merged)}</span></a></p>')
    drawn.append("\n")
    if context.get("can_read_access_log"):
        drawn.append(f'<p class="govuk-body"><a class="govuk-link" '
                     f'href="{esc_links["sharing_access_log"]}">Who has looked at this record'
                     "</a></p>")
    drawn.append("\n\n")
    if latest:
        count = len(context["screenings"])
        screenings = (
            f'\n    <p class="govuk-body">Latest: {esc(latest.final_category_name)} '
            f"({esc(labels.in_sentence(str(latest.final_category_label)))}) on "
            f"{short_datetime(latest.screened_at, all_day=True)}. {count} screening"
            f'{"" if count == 1 else "s"} in all: <a class="govuk-link" '
            'href="#risk-over-time">risk over time</a>.</p>\n    ')
    else:
        screenings = '\n    <p class="govuk-body">No screenings yet.</p>\n    '
    if context["referrals"]:
        referrals = (f'\n    <ul class="govuk-list">\n      {context["referral_items"]}\n'
                     "    </ul>\n    ")
    else:
        referrals = '\n    <p class="govuk-body">No referrals yet.</p>\n    '
    drawn.append(
        '<div class="govuk-grid-row">\n'
        f"  {context['about_html']}\n"
        '  <div class="govuk-grid-column-one-half">\n'
        '    <h2 class="govuk-heading-m">Screenings</h2>\n'
        f"    {screenings}\n"
        '    <h2 class="govuk-heading-m">Referrals</h2>\n'
        f"    {referrals}\n"
        "  </div>\n"
        "</div>\n"
        "\n"
        f"{context['history_html']}\n"
        "\n"
        '<h2 class="govuk-heading-m" id="pathway">Pathway</h2>\n')
    drawn.append(pathway_drawn.child_pathway_html(
        context["pathways"], context["current_pathway"], context["other_work"], context["now"],
        lambda pathway: render_to_string("pathway/_pathway_parts.html", {
            "child": child, "pathway": pathway, "now": context["now"]}, request)))
    drawn.append(
        "\n"
        f'<p class="govuk-body"><a class="govuk-link" href="{esc_links["pathway_pathway"]}">'
        "Pathway, timescales and next step</a></p>\n"
        f"{context['missing_html']}\n"
        "\n"
        f"{context['plan_html']}\n"
        "\n"
        '<h2 class="govuk-heading-m" id="chronology">Chronology</h2>\n')
    chronology = context["chronology"]
    if chronology:
        whole = (f'<a class="govuk-link" href="{esc_links["child_chronology"]}">Read the whole '
                 f'chronology<span class="govuk-visually-hidden"> of {esc(child.full_name)}'
                 "</span></a>")
        more = context["chronology_more"]
        drawn.append(
            "\n"
            + (f'<p class="govuk-body">The latest {len(chronology)} entries, newest first. '
               f"{whole}, a page at a time.</p>" if more else "")
            + '\n\n<div class="moj-timeline">'
            + chronology_entries({"request": request}, chronology, "3")
            + "\n</div>\n\n"
            + (f'<p class="govuk-body">{whole}, with the older entries.</p>' if more else "")
            + "\n")
    else:
        drawn.append('\n<p class="govuk-body">Nothing recorded yet.</p>\n')
    drawn.append("\n")
    return SafeString("".join(drawn))
