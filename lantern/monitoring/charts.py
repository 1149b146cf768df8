"""Bar charts drawn on the server as SVG (templates/monitoring/_bar_chart.svg.html): the
geometry is worked out here, the markup is the template's. Each chart has a title and a
description naming every figure, and the page shows the same figures as a table beside it."""

from dataclasses import dataclass

from lantern.domain.suppression import Cell

WIDTH = 680
LABEL_WIDTH = 300
BAR_SPACE = 270
ROW = 28
BAR = 18
LABEL_CHARS = 40


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    y: int
    width: int
    hidden: bool

    @property
    def text_y(self) -> int:
        return self.y + BAR - 4

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + self.width + 6

    @property
    def short_label(self) -> str:
        if len(self.label) <= LABEL_CHARS:
            return self.label
        return self.label[: LABEL_CHARS - 1].rstrip() + "…"


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    desc: str
    bars: tuple[Bar, ...]

    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    label_x: int = LABEL_WIDTH - 8

    @property
    def height(self) -> int:
        return max(len(self.bars), 1) * ROW + 8


def bar_chart(key: str, title: str, labels: list[str], cells: list[Cell]) -> Chart:
    """A horizontal bar per figure; a hidden figure (small-number suppression) has no bar,
    only its words ("fewer than 5")."""
    largest = max((c.value for c in cells if c.shown), default=0) or 1
    bars = tuple(
        Bar(label=label, text=cell.text, y=4 + i * ROW, hidden=bool(cell.hidden),
            width=0 if cell.hidden else round(BAR_SPACE * cell.value / largest))
        for i, (label, cell) in enumerate(zip(labels, cells, strict=True))
    )
    desc = "; ".join(f"{bar.label}: {bar.text}" for bar in bars) or "No figures"
    return Chart(key=key, title=title, desc=f"Bar chart. {desc}.", bars=bars)
