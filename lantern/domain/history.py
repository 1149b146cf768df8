"""A child's risk category over time: how it moved between screenings, and the geometry of the
chart drawn on the child's record (a server-rendered SVG with a table beside it). Risk moves
both ways (seed 000 §11, seed 001 screening tool guidance 4; SPEC §2). No Django here."""

from dataclasses import dataclass
from datetime import datetime

FIRST, UP, DOWN, SAME = "first", "up", "down", "same"


def movements(categories: list[int]) -> list[str]:
    """For each screening in time order, how its category moved from the one before."""
    moved = []
    for i, category in enumerate(categories):
        if i == 0:
            moved.append(FIRST)
        elif category > categories[i - 1]:
            moved.append(UP)
        elif category < categories[i - 1]:
            moved.append(DOWN)
        else:
            moved.append(SAME)
    return moved


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    category: int
    when: datetime


@dataclass(frozen=True)
class Tick:
    y: float
    category: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    dots: tuple[Dot, ...]
    ticks: tuple[Tick, ...]
    path: str  # an SVG path: the category holds until the next screening, then steps

    @property
    def first(self) -> Dot:
        return self.dots[0]

    @property
    def last(self) -> Dot:
        return self.dots[-1]


WIDTH, ROW, LEFT, RIGHT_MARGIN, TOP, BOTTOM_MARGIN, MIN_GAP = 660, 44, 124, 24, 20, 44, 14


def chart(points: list[tuple[datetime, int]], categories: int) -> Chart:
    """Chart geometry for screenings (time, category) in time order, on a scale of
    `categories`. Time runs left to right in proportion; screenings close together are kept
    at least MIN_GAP apart so each stays visible."""
    if not points:
        raise ValueError("a chart needs at least one screening")
    height = TOP + ROW * (categories - 1) + BOTTOM_MARGIN
    right = WIDTH - RIGHT_MARGIN
    bottom = TOP + ROW * (categories - 1)

    def y_of(category: int) -> float:
        return bottom - ROW * (category - 1)

    start, end = points[0][0], points[-1][0]
    span = (end - start).total_seconds()
    usable = right - LEFT
    xs = [
        LEFT + (usable * (when - start).total_seconds() / span if span else 0)
        for when, _category in points
    ]
    if not span and len(points) > 1:
        xs = [LEFT + usable * i / (len(points) - 1) for i in range(len(points))]
    for i in range(1, len(xs)):
        xs[i] = max(xs[i], xs[i - 1] + MIN_GAP)
    if xs[-1] > right:  # squeeze back into the plot, keeping the order and the gaps' shape
        scale = usable / (xs[-1] - LEFT)
        xs = [LEFT + (x - LEFT) * scale for x in xs]
    dots = tuple(
        Dot(x=round(x, 1), y=y_of(category), category=category, when=when)
        for x, (when, category) in zip(xs, points, strict=True)
    )
    path = f"M {dots[0].x} {dots[0].y}"
    for dot in dots[1:]:
        path += f" H {dot.x} V {dot.y}"
    ticks = tuple(Tick(y=y_of(n), category=n) for n in range(1, categories + 1))
    return Chart(width=WIDTH, height=height, left=LEFT, right=right, top=TOP, bottom=bottom,
                 dots=dots, ticks=ticks, path=path)
