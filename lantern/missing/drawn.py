"""The child's record's missing-episode pattern drawn in Python: the template language drew
its dozen values in about as long as the record's own queries took (issue 18). The markup is
missing/_pattern.html's, character for character, which the other pages still include;
lantern/missing/tests/test_drawn.py holds this to that template."""

from django.utils import timezone
from django.utils.safestring import SafeString

from lantern.domain.missing import Pattern
from lantern.foundation.drawn import display, esc, summary_row
from lantern.foundation.when import long_date, long_datetime


def pattern_html(pattern: Pattern) -> SafeString:
    """missing/_pattern.html for `pattern`, as included (with the line its comment was on)."""
    if pattern.currently_missing:
        since = ""
        if pattern.missing_since is not None:
            since = long_datetime(timezone.localtime(pattern.missing_since))
        now = f'<strong class="govuk-tag govuk-tag--red">Missing</strong> since {esc(since)}'
    else:
        now = "No"
    if pattern.longest is not None:
        longest = esc(pattern.longest_text) + (" so far" if pattern.longest_is_ongoing else "")
    else:
        longest = "None"
    found = "<br>".join(f"{esc(place)}{f' ({esc(count)} times)' if count > 1 else ''}"
                        for place, count in pattern.where_found) or "Not recorded"
    window = f"({esc(pattern.in_trigger_window)} in {esc(pattern.trigger.days)} days)"
    met = (f'<strong class="govuk-tag govuk-tag--red">met</strong> {window}'
           if pattern.trigger_met else f"not met {window}")
    rows = [("Missing now", now), ("Episodes in the last 30 days", esc(pattern.last_30)),
            ("Episodes in the last 90 days", esc(pattern.last_90)),
            ("Episodes recorded", esc(pattern.total)), ("Longest", longest),
            ("Where found", found), ("Area's trigger", f"{esc(pattern.trigger)}: {met}")]
    drawn = "".join(f"  {summary_row(key, value)}\n" for key, value in rows)
    return SafeString(f'\n<dl class="govuk-summary-list" id="missing-pattern">\n{drawn}</dl>\n')


def record_missing_html(child, *, missing_episodes, missing_pattern_html, has_missing_profile,
                        transition_plan, timeline_html, links: dict) -> SafeString:
    """The record's missing episodes and transition planning as
    missing/_child_record_missing.html drew them when included (the child's record included
    it on every opening, issue 18); `timeline_html` is the episodes' timeline as drawn
    (`{% missing_timeline %}`); `links`, the record's addresses by URL name ("missing_profile"
    for "missing:profile"). lantern/missing/tests/test_drawn.py holds this to that template."""
    link = '<a class="govuk-link" href="{}">{}</a>'.format
    if missing_episodes:
        episodes = (
            f"\n{missing_pattern_html}\n\n"
            '<div class="moj-timeline" id="missing-timeline">\n'
            f"  {timeline_html}\n</div>\n\n"
            '<p class="govuk-body">'
            f"{link(links['missing_episodes'], 'All missing episodes and what they prompt')}"
            "</p>\n")
    else:
        episodes = '\n<p class="govuk-body">No missing episodes recorded.</p>\n'
    if child.looked_after:
        status = esc(display(child, "legal_status") or "legal status not recorded")
        looked_after = f" ({status})"
    else:
        looked_after = " (not looked after)"
    profile = ""
    if child.looked_after or has_missing_profile:
        held = "" if has_missing_profile else " (none held yet)"
        profile = f"<li>{link(links['missing_profile'], 'Missing-person profile')}{held}</li>"
    transition = ""
    if transition_plan or child.turns_18_on:
        recorded = ""
        if transition_plan:
            on = long_date(timezone.localtime(transition_plan.updated_at))
            recorded = f" (plan recorded {on})"
        transition = (f"<li>{link(links['missing_transition'], 'Transition to adulthood')}"
                      f"{recorded}</li>")
    return SafeString(
        '\n<h2 class="govuk-heading-m" id="missing">Missing episodes</h2>\n'
        f"{episodes}\n"
        '<ul class="govuk-list">\n'
        f"  <li>{link(links['missing_record_episode'], 'Record a missing episode')}</li>\n"
        f"  <li>{link(links['missing_looked_after'], 'Looked after')}{looked_after}</li>\n"
        f"  {profile}\n"
        f"  {transition}\n"
        "</ul>\n")
