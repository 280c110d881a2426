"""The results-over-time bar chart, laid out for a server-rendered SVG."""

from __future__ import annotations

from dataclasses import dataclass

from search.facets import TimelineBar

from .state import PageState

__all__ = ["Chart", "bar_chart"]

WIDTH, HEIGHT, LABELS_HEIGHT = 640, 90, 18
GAP = 2
# Label every bar when they are few; otherwise every n-th, so labels never collide.
MAX_LABELS = 12


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
    labelled: bool
    edge: bool  # the first or last bar: still labelled on a phone


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


def bar_chart(timeline: list[TimelineBar], state: PageState) -> Chart | None:
    """Lay out the bars (None when there is nothing to draw: fewer than two periods)."""
    if len(timeline) < 2:
        return None
    peak = max(bar.count for bar in timeline) or 1
    slot = WIDTH / len(timeline)
    every = max(1, -(-len(timeline) // MAX_LABELS))
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
                labelled=index % every == 0 or index == len(timeline) - 1,
                edge=index in (0, len(timeline) - 1),
            )
        )
    return Chart(WIDTH, HEIGHT + LABELS_HEIGHT, HEIGHT, bars, peak)
