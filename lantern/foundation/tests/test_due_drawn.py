"""`{{ item|due:now }}` (foundation.drawn.due_html) is the markup pathway/_due.html gave when
included, character for character, for every kind of due date (issue 18)."""

import datetime
import itertools
from types import SimpleNamespace

from django.template import engines

from lantern.foundation.drawn import due_html

# pathway/_due.html as it was, with its comment and last line break.
OLD_DUE = (
    "{# The due date of a work item: the date alone for a day-based deadline, with how long is "
    "left. #}{% if item.due_at is None %}When judged right (see why){% elif item.status == "
    '"open" %}<span class="{% if item.due_at < now %}lantern-overdue{% endif %}">{% if '
    'item.all_day %}{{ item.due_at|date:"j M Y" }}{% else %}{{ item.due_at|date:"j M Y, H:i" }}'
    '{% endif %}<br>{{ item.due_at|due_phrase:now }}</span>{% else %}{% if item.all_day %}'
    '{{ item.due_at|date:"j M Y" }}{% else %}{{ item.due_at|date:"j M Y, H:i" }}{% endif %}'
    "{% endif %}\n")

NOW = datetime.datetime(2026, 7, 1, 9, 30, tzinfo=datetime.UTC)  # summer time: 10:30 in London
DUES = [None, NOW - datetime.timedelta(hours=3), NOW + datetime.timedelta(minutes=20),
        NOW + datetime.timedelta(days=4, hours=2),
        datetime.datetime(2026, 1, 5, 0, 0, tzinfo=datetime.UTC)]


def test_the_due_date_is_the_old_includes_markup():
    template = engines["django"].from_string(
        "{% load govuk %}" + OLD_DUE.replace("{# The due", "{# (the file's) The due"))
    cases = list(itertools.product(DUES, ["open", "done", "cancelled"], [True, False],
                                   [NOW, None]))
    for due_at, status, all_day, now in cases:
        item = SimpleNamespace(due_at=due_at, status=status, all_day=all_day)
        assert due_html(item, now) == template.render({"item": item, "now": now}), (
            due_at, status, all_day, now)
