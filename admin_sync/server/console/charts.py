"""Chart geometry as plain data; the templates draw it as inline SVG (no JavaScript).

Each chart also carries its rows, which the page shows as a data table (the text alternative
for screen readers and for anyone who prefers numbers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

BAR_HEIGHT = 26
BAR_GAP = 8
LABEL_WIDTH = 150
BAR_AREA = 300
VALUE_WIDTH = 70

LINE_WIDTH = 640
LINE_HEIGHT = 240
PAD_LEFT = 48
PAD_BOTTOM = 36
PAD_TOP = 12
PAD_RIGHT = 12
SERIES_CLASSES = ("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7")


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    bar_area: int = BAR_AREA
    bar_height: int = BAR_HEIGHT

    @property
    def empty(self) -> bool:
        return not self.bars


def nice_max(value: int) -> int:
    """A round axis maximum >= value (1, 2, 5 x 10^n)."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def axis(max_value: int) -> tuple[int, int]:
    """(top, step) of a value axis: a round step (1, 2, 5 x 10^n), about five ticks."""
    if max_value <= 0:
        return 1, 1
    step = nice_max(-(-max_value // 5))
    return -(-max_value // step) * step, step


def bar_chart(title: str, rows: list[tuple[str, int]]) -> BarChart:
    top = nice_max(max((v for _, v in rows), default=0))
    bars = [
        Bar(
            label=label,
            value=value,
            y=i * (BAR_HEIGHT + BAR_GAP),
            width=max(1, round(BAR_AREA * value / top)) if value else 0,
        )
        for i, (label, value) in enumerate(rows)
    ]
    height = max(1, len(rows)) * (BAR_HEIGHT + BAR_GAP)
    return BarChart(title, bars, LABEL_WIDTH + BAR_AREA + VALUE_WIDTH, height)


@dataclass(frozen=True)
class Series:
    name: str
    css_class: str
    points: str  # "x,y x,y ..." for <polyline>
    dots: list[tuple[float, float, str, int]]  # x, y, day, value


@dataclass(frozen=True)
class LineChart:
    title: str
    width: int
    height: int
    series: list[Series]
    x_labels: list[tuple[float, str]]
    y_ticks: list[tuple[float, int]]
    days: list[str]
    table: list[tuple[str, list[int]]] = field(default_factory=list)  # day, value per series

    @property
    def empty(self) -> bool:
        return not self.series


def day_range(first: date, last: date) -> list[str]:
    count = (last - first).days + 1
    return [(first + timedelta(days=i)).isoformat() for i in range(max(0, count))]


def line_chart(title: str, rows: list[tuple[str, str, int]], days: list[str]) -> LineChart:
    """rows: (day, series name, value); one line per series over `days` (missing days = 0)."""
    names = sorted({name for _, name, _ in rows})
    values = {(day, name): v for day, name, v in rows}
    top, tick_step = axis(max((v for _, _, v in rows), default=0))
    plot_w = LINE_WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = LINE_HEIGHT - PAD_TOP - PAD_BOTTOM
    step = plot_w / max(1, len(days) - 1)

    def x(i: int) -> float:
        return round(PAD_LEFT + (i * step if len(days) > 1 else plot_w / 2), 1)

    def y(v: int) -> float:
        return round(PAD_TOP + plot_h - plot_h * v / top, 1)

    series = []
    for n, name in enumerate(names):
        dots = [
            (x(i), y(values.get((d, name), 0)), d, values.get((d, name), 0))
            for i, d in enumerate(days)
        ]
        series.append(
            Series(
                name=name,
                css_class=SERIES_CLASSES[n % len(SERIES_CLASSES)],
                points=" ".join(f"{px},{py}" for px, py, _, _ in dots),
                dots=dots,
            )
        )
    label_every = max(1, len(days) // 6)
    x_labels = [(x(i), d[5:]) for i, d in enumerate(days) if i % label_every == 0]
    y_ticks = [(y(v), v) for v in range(0, top + 1, tick_step)]
    table = [(d, [values.get((d, name), 0) for name in names]) for d in days]
    return LineChart(title, LINE_WIDTH, LINE_HEIGHT, series, x_labels, y_ticks, days, table)
