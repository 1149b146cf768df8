from datetime import UTC, datetime, timedelta

import pytest

from lantern.domain import history

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_movements_go_both_ways():
    assert history.movements([1, 3, 3, 2, 1, 2]) == [
        "first", "up", "same", "down", "down", "up"]


def test_time_runs_left_to_right_in_proportion_and_higher_categories_sit_higher():
    chart = history.chart([(T0, 1), (T0 + timedelta(days=10), 3), (T0 + timedelta(days=20), 2)],
                          3)
    xs = [d.x for d in chart.dots]
    assert xs[0] == chart.left and xs[-1] == chart.right
    assert xs[1] == pytest.approx((chart.left + chart.right) / 2, abs=0.1)
    ys = {d.category: d.y for d in chart.dots}
    assert ys[3] < ys[2] < ys[1] == chart.bottom
    assert [t.category for t in chart.ticks] == [1, 2, 3]


def test_the_path_holds_each_category_until_the_next_screening():
    chart = history.chart([(T0, 1), (T0 + timedelta(days=1), 2)], 3)
    a, b = chart.dots
    assert chart.path == f"M {a.x} {a.y} H {b.x} V {b.y}"


def test_screenings_close_together_stay_apart_and_inside_the_plot():
    points = [(T0, 1)] + [(T0 + timedelta(days=100, minutes=i), 2) for i in range(30)]
    chart = history.chart(points, 4)
    xs = [d.x for d in chart.dots]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert xs[-1] <= chart.right


def test_screenings_at_the_same_moment_are_spread_evenly():
    chart = history.chart([(T0, 1), (T0, 2), (T0, 3)], 3)
    assert [d.x for d in chart.dots] == [chart.left, (chart.left + chart.right) / 2,
                                         chart.right]


def test_a_single_screening_is_a_dot():
    chart = history.chart([(T0, 2)], 4)
    (dot,) = chart.dots
    assert chart.path == f"M {dot.x} {dot.y}" and dot.x == chart.left


def test_no_screenings_is_not_a_chart():
    with pytest.raises(ValueError, match="at least one"):
        history.chart([], 3)
