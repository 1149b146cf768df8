"""Re-screening history on the child's record (issue 3): every screening kept, the category
over time as a chart with a table equivalent, movement both ways, and a prompt to re-screen
when a new concern arrives."""

import re
from datetime import timedelta

import time_machine
from django.utils import timezone

from lantern import testing


def _screen_over_time(child, by, categories):
    """Screenings a week apart with the given decided categories (wm: 1 cat-1 indicator, and a
    rationale where the decision differs)."""
    start = timezone.now() - timedelta(days=7 * len(categories))
    for i, category in enumerate(categories):
        with time_machine.travel(start + timedelta(days=7 * i), tick=False):
            testing.make_screening(child, by, indicators=("wm1.despair",),
                                   final_category=category,
                                   rationale="" if category == 1 else "Police intelligence.")


def test_the_record_draws_the_category_over_time_with_a_table(p, child, as_user):
    _screen_over_time(child, p.alice, [1, 3, 2])
    body = as_user(p.alice).get(child.get_absolute_url()).content.decode()
    svg = re.search(r"<svg[^>]*lantern-history-chart.*?</svg>", body, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg
    assert svg.count("<circle") == 3
    assert "style=" not in svg and "<script" not in svg
    table = re.search(r'<table class="govuk-table" id="history-wm-table">.*?</table>', body,
                      re.S).group(0)
    assert [m for m in re.findall(r"First screening|Risk rose|Risk fell|No change", table)] == [
        "First screening", "Risk rose", "Risk fell"]
    assert "rose to 3 on" in body and "fell to 2 on" in body


def test_every_screening_is_kept(p, child, as_user):
    _screen_over_time(child, p.alice, [2, 2, 1, 3])
    body = as_user(p.alice).get(child.get_absolute_url()).content.decode()
    assert "4 screenings in all" in body
    assert body.count("No change") == 1


def _later():
    """Ten minutes on (within the session): the fixture's concern came before the screening."""
    return time_machine.travel(timezone.now() + timedelta(minutes=10), tick=False)


def test_a_new_concern_after_the_screening_prompts_a_rescreen(p, child, as_user):
    testing.make_screening(child, p.alice)
    client = as_user(p.alice)
    assert 'id="rescreen-prompt"' not in client.get(child.get_absolute_url()).content.decode()
    with _later():
        testing.make_concern(child, p.alice, urgent=True)
        body = client.get(child.get_absolute_url()).content.decode()
    assert "1 concern, including an urgent one, recorded since the last screening" in body
    assert "Screen Jade again" in body


def test_the_screening_page_after_recording_a_concern_says_it_is_a_rescreen(p, child,
                                                                           as_user):
    testing.make_screening(child, p.alice)
    today = timezone.localdate()
    with _later():
        response = as_user(p.alice).post(f"/children/{child.pk}/concerns/new/", {
            "observed_on_day": today.day, "observed_on_month": today.month,
            "observed_on_year": today.year, "narrative": "Seen with two adult men again.",
            "urgent": "no"}, follow=True)
    body = response.content.decode()
    assert "Screen again for risk of sexual exploitation" in body
    assert "1 concern recorded since the last screening" in body


def test_screening_again_clears_the_prompt(p, child, as_user):
    testing.make_screening(child, p.alice)
    with _later():
        testing.make_concern(child, p.alice)
    with time_machine.travel(timezone.now() + timedelta(minutes=20), tick=False):
        testing.make_screening(child, p.alice)
    assert 'id="rescreen-prompt"' not in as_user(p.alice).get(
        child.get_absolute_url()).content.decode()


def test_a_child_never_screened_with_a_concern_is_prompted_to_be_screened(p, child, as_user):
    body = as_user(p.alice).get(child.get_absolute_url()).content.decode()
    assert "has not been screened yet" in body
