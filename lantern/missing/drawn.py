"""The child's record's missing-episode pattern drawn in Python: the template language drew
its dozen values in about as long as the record's own queries took (issue 18). The markup is
missing/_pattern.html's, character for character, which the other pages still include;
lantern/missing/tests/test_drawn.py holds this to that template."""

from django.utils import timezone
from django.utils.safestring import SafeString

from lantern.domain.missing import Pattern
from lantern.foundation.drawn import esc
from lantern.foundation.when import long_datetime

_ROW = ('  <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{}</dt>'
        '<dd class="govuk-summary-list__value">{}</dd></div>\n')


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
    return SafeString('\n<dl class="govuk-summary-list" id="missing-pattern">\n'
                      + "".join(_ROW.format(key, value) for key, value in rows) + "</dl>\n")
