"""The board's papers for a selection: the summary, every KPI's view and chart, its commentary
and the interventions drawn on it — built once and shown in the meeting view or printed in the
board pack, so the screen and the paper cannot disagree.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field

import altair as alt
import pandas as pd

from ..base.config import Config, Kpi
from ..base.db import Database
from .detail import KpiView, kpi_view
from ..base.formatting import month_label, month_name
from ..protect.access import may_read
from ..protect.scope import Scope, resolve
from ..store.records import Annotations, CommentaryView, Store, annotations, commentary_scope, scope_label
from ..measures.selection import Selection, selection_label
from .summary import KpiSummary, board_summary

CONCERN_ICONS = ("concern_high", "concern_low")


def is_exception(row: KpiSummary) -> bool:
    """Special-cause concern on the latest point, or failing its target consistently."""
    return row.variation_icon in CONCERN_ICONS or row.assurance_icon == "consistent_fail"


def exception_reason(row: KpiSummary) -> str:
    reasons = []
    if row.variation_icon in CONCERN_ICONS:
        reasons.append("special-cause concern")
    if row.assurance_icon == "consistent_fail":
        reasons.append("consistently failing its target")
    return " and ".join(reasons)


@dataclass
class BoardItem:
    summary: KpiSummary
    view: KpiView
    commentary: CommentaryView
    annotations: Annotations

    @property
    def kpi(self) -> Kpi:
        return self.summary.kpi

    @property
    def exception(self) -> bool:
        return is_exception(self.summary)

    @property
    def period_text(self) -> str:
        period = self.summary.latest.period
        if period is None:
            return "–"
        if self.kpi.window == "annual":
            return str(period.year)
        if self.kpi.window == "fytd":
            text = f"Apr–{month_label(period)} (year to date)"
        else:
            text = month_label(period) + (" (12 months to)" if self.kpi.window == "rolling_12m" else "")
        coverage = self.summary.latest.coverage_text
        return text + (f" · {coverage}" if coverage else "")


@dataclass
class Board:
    config: Config
    selection: Selection
    month: dt.date | None
    orgs: list[str]
    scope: str
    items: list[BoardItem]
    built_at: dt.datetime
    generation: tuple | None = None
    store_version: int = 0
    synthetic: bool = False
    notes: list[str] = field(default_factory=list)
    history: str | None = None  # a new footprint's earlier months: its members at its start (Scope.history)

    @property
    def rows(self) -> list[KpiSummary]:
        return [i.summary for i in self.items]

    @property
    def selection_text(self) -> str:
        return selection_label(self.config, self.selection)

    @property
    def scope_text(self) -> str:
        return scope_label(self.config, self.scope)

    @property
    def as_at_text(self) -> str:
        return f"Data as at {month_name(self.month)}" if self.month else "No data for this selection"

    def chosen(self, exceptions_only: bool = False) -> list[BoardItem]:
        return [i for i in self.items if i.exception or not exceptions_only]


def build_board(db: Database, config: Config, selection: Selection, store: Store | None = None,
                allowed: list[str] | None = None, now: dt.datetime | None = None) -> Board:
    """Everything the meeting view and the pack show, for one selection, at one moment."""
    generation = db.generation
    resolved = selection if isinstance(selection, Scope) else resolve(db, config, selection, allowed)
    selection, month, orgs = resolved.selection, resolved.month, resolved.orgs  # the user's view of it
    store_version = store.version() if store else 0
    notes = annotations(store, config, orgs, readable=lambda i: may_read(i.orgs, resolved.allowed)) if store \
        else {k.id: Annotations() for k in config.kpis}
    _, rows = board_summary(db, config, resolved, rebase={k: a.rebase_dates for k, a in notes.items()})
    scope = commentary_scope(selection)
    items = []
    for row in rows:
        note = notes[row.kpi.id]
        view = kpi_view(db, config, row.kpi, resolved, events=list(note.events),
                        rebase_dates=note.rebase_dates)
        commentary = store.commentary_for(row.kpi.id, scope, month) if store else CommentaryView(month)
        items.append(BoardItem(row, view, commentary, note))
    try:
        synthetic = db.meta().get("synthetic") == "true"
    except Exception:  # noqa: BLE001 - an old database without the meta table
        synthetic = False
    return Board(config, selection, month, orgs, scope, items, now or dt.datetime.now(), generation,
                 store_version, synthetic,
                 notes=list(dict.fromkeys(resolved.notes + ((resolved.refusal,) if resolved.refusal else ()))),
                 history=resolved.history)


EVENT_LEVELS = 3
EVENT_LABEL_PX = 230


def stagger_events(chart: alt.TopLevelMixin, font: float = 1.0) -> alt.TopLevelMixin:
    """A copy of an SPC chart whose event labels sit on up to three lines (in date order), so
    labels of events close together do not print over each other."""
    chart = copy.deepcopy(chart)
    _stagger(chart)
    return chart


def _stagger(chart: alt.TopLevelMixin) -> None:
    """stagger_events, on the chart itself."""
    for layer in getattr(chart, "layer", []):
        mark = getattr(layer, "mark", None)
        data = getattr(layer, "data", None)
        if not (isinstance(mark, alt.MarkDef) and mark.type == "text" and isinstance(data, pd.DataFrame)
                and "event" in data.columns):
            continue
        size = mark.fontSize if isinstance(mark.fontSize, (int, float)) else 11
        order = data["date"].rank(method="first").astype(int) - 1
        layer.data = data.assign(event_y=[2 + (i % EVENT_LEVELS) * size * 1.25 for i in order])
        layer.encoding.y = alt.Y("event_y:Q", scale=None, axis=None)


def styled_chart(chart: alt.TopLevelMixin, *, width: int | str, height: int, font: float = 1.0) -> alt.TopLevelMixin:
    """A copy of a view's chart, sized, on white, with type and points scaled by ``font`` and
    event labels staggered (for the projector and the paper). The view's own chart is not changed.
    One copy, changed in place (Altair's .properties() and .configure() copy the chart again each)."""
    chart = copy.deepcopy(chart)
    for layer in getattr(chart, "layer", []):
        mark = getattr(layer, "mark", None)
        if not isinstance(mark, alt.MarkDef):
            continue
        if mark.type == "text" and isinstance(mark.fontSize, (int, float)):
            mark.fontSize = round(mark.fontSize * font, 1)
            mark.limit = round(EVENT_LABEL_PX * font)  # a long label is cut with "…", not pushed off the plot
        if mark.type in ("circle", "point") and isinstance(mark.size, (int, float)):
            mark.size = round(mark.size * font * font)
    _stagger(chart)
    size = lambda base: round(base * font)  # noqa: E731
    chart.width, chart.height = width, height
    chart.config = alt.Config(
        background="white",
        axis={"labelFontSize": size(11), "titleFontSize": size(11), "labelOverlap": "greedy",
              "labelSeparation": 8},
        title={"fontSize": size(13), "subtitleFontSize": size(11)},
        legend={"labelFontSize": size(11), "symbolSize": size(100), "labelLimit": 0})
    return chart
