"""The results-over-time bar chart, laid out for a server-rendered SVG."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from search.facets import TimelineBar

from .state import PageState

__all__ = ["Chart", "bar_chart"]

WIDTH, HEIGHT, LABELS_HEIGHT = 640, 90, 18
GAP = 2
# Font sizes of the labels in the chart's own units. The SVG scales with the
# page, its labels with it, so labels that do not overlap at one width overlap
# at none: only the two sizes of style.css differ, on a wide screen and on a
# phone (below 40rem), where the chart shrinks and its labels must not.
LABEL_SIZES = {"wide": 11, "narrow": 22}
# Room kept between two labels, in font sizes.
LABEL_SPACING = 0.6
EDGE_INSET = 3
# Character widths in font sizes, taken from DejaVu Sans (the widest of the
# system fonts the page asks for) and rounded up, so that estimates err wide.
_THIN = dict.fromkeys("fijlrt.,:; '", 0.42)
_WIDE = dict.fromkeys("mwMW", 1.0)


@dataclass
class Bar:
    """One drawn bar: its box, its link, and what it says."""

    x: float
    y: float
    width: float
    height: float
    url: str
    label: str
    short: str
    count: int
    selected: bool
    label_on: tuple[str, ...] = ()  # the screens it is labelled on: "wide", "narrow"
    anchor: str = "middle"  # of its label: "start" for the first bar, "end" for the last

    @property
    def label_x(self) -> float:
        """Where its label is anchored (at the edges, inset by the overhang of a glyph such as ``j``)."""
        inset = EDGE_INSET
        return {"start": self.x + inset, "end": self.x + self.width - inset}.get(self.anchor, self.x + self.width / 2)


@dataclass
class Chart:
    """Everything the template needs to draw the chart."""

    width: int
    height: int
    plot_height: int
    bars: list[Bar]
    peak: int


def _with_year(item: TimelineBar) -> str:
    """``mars 25`` for a month, so that two Marches tell their years apart."""
    if item.short == item.label:
        return item.short
    start = item.period.start
    return f"{item.short} {start.year % 100:02d}" if start else item.short


def text_width(text: str, size: float) -> float:
    """An upper estimate of the width of ``text`` at font ``size``.

    >>> text_width("mai 26", 10) < text_width("sept. 26", 10)
    True
    """
    return size * sum(_THIN.get(c, _WIDE.get(c, 0.66)) for c in text)


def _extent(bar: Bar, size: float) -> tuple[float, float]:
    width = text_width(bar.short, size)
    left = {"start": bar.label_x, "end": bar.label_x - width}.get(bar.anchor, bar.label_x - width / 2)
    return left, left + width


def labelled(bars: list[Bar], size: float) -> list[int]:
    """The bars to label at font ``size``: evenly spaced, as many as fit, first and last always.

    A label every ``step`` bars, the smallest step whose labels leave room
    between them. The first and last labels, drawn inward from the edges, are
    always kept: the labels next to them that they would touch are dropped.
    """
    extents = [_extent(bar, size) for bar in bars]
    room = LABEL_SPACING * size

    def fit(first: int, second: int) -> bool:
        return extents[first][1] + room <= extents[second][0]

    last = len(bars) - 1
    for step in range(1, len(bars)):
        inner = [i for i in range(step, last, step) if fit(0, i) and fit(i, last)]
        chosen = [0, *inner, last]
        if all(fit(a, b) for a, b in pairwise(chosen)):
            return chosen
    return [0]


def bar_chart(timeline: list[TimelineBar], state: PageState) -> Chart | None:
    """Lay out the bars (None when there is nothing to draw: fewer than two periods)."""
    if len(timeline) < 2:
        return None
    peak = max(bar.count for bar in timeline) or 1
    slot = WIDTH / len(timeline)
    bars = []
    for index, item in enumerate(timeline):
        height = (HEIGHT - 4) * item.count / peak
        bars.append(
            Bar(
                x=round(index * slot + GAP / 2, 2),
                y=round(HEIGHT - height, 2),
                width=round(max(slot - GAP, 1), 2),
                height=round(height, 2),
                url=state.toggle_period(item.period),
                label=item.label,
                short=_with_year(item),
                count=item.count,
                selected=item.selected,
                anchor="start" if index == 0 else "end" if index == len(timeline) - 1 else "middle",
            )
        )
    shown = {screen: set(labelled(bars, size)) for screen, size in LABEL_SIZES.items()}
    for index, bar in enumerate(bars):
        bar.label_on = tuple(screen for screen in LABEL_SIZES if index in shown[screen])
    return Chart(WIDTH, HEIGHT + LABELS_HEIGHT, HEIGHT, bars, peak)
