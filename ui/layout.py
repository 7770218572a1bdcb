"""Page furniture shared by the pages: header, labels, KPI table, summary matrix."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import streamlit as st

from workforce.config import Config
from workforce.db import Database
from workforce.formatting import month_name
from workforce.selection import Selection, selection_label
from workforce.summary import board_summary

from . import state


def plain(text: str) -> str:
    """User or file text shown as text: markdown and HTML characters escaped."""
    escaped = html.escape(str(text), quote=False)
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!|~<>$" else c for c in escaped)


@st.cache_resource(show_spinner="Working out the KPIs…", max_entries=64)
def _summary(_db: Database, generation: tuple, _config: Config, config_key: str, selection: Selection):
    return board_summary(_db, _config, selection)


def cached_summary(db: Database, config: Config, selection: Selection):
    return _summary(db, db.generation, config, str(config.source_path), selection)


def page_header(config: Config, db: Database, selection: Selection, month: dt.date | None, title: str) -> None:
    st.title(title)
    as_at = f"Data as at **{month_name(month)}**" if month else "No data for this selection"
    st.markdown(f"{plain(selection_label(config, selection, month or dt.date.today()))} · {as_at}")
    if state.meta(db).get("synthetic") == "true":
        st.warning("**Synthetic demo data.** These figures are generated for demonstration and are not "
                   "real NHS workforce statistics.", icon=":material/science:")


def kpi_table(frame: pd.DataFrame) -> None:
    """The per-priority KPI table: figures, icons, sparkline, reading and a link to the chart."""
    shown = frame[["KPI", "Period", "Value", "Target", "Difference", "Variation", "Assurance",
                   "Last 24 months", "Reading", "Open"]]
    st.dataframe(
        shown, hide_index=True, width="stretch", row_height=48,
        column_config={
            "KPI": st.column_config.TextColumn(width="medium"),
            "Period": st.column_config.TextColumn(width="small"),
            "Value": st.column_config.TextColumn(width="small"),
            "Target": st.column_config.TextColumn(width="small"),
            "Difference": st.column_config.TextColumn("Difference from target", width="small"),
            "Variation": st.column_config.ImageColumn(width="small", help="Making Data Count variation icon"),
            "Assurance": st.column_config.ImageColumn(width="small", help="Making Data Count assurance icon"),
            "Last 24 months": st.column_config.LineChartColumn(width="small"),
            "Reading": st.column_config.TextColumn(width="large"),
            "Open": st.column_config.LinkColumn("Chart", display_text="Open chart", width="small"),
        })
    with st.expander("Icons in words"):
        st.dataframe(frame[["KPI", "Variation (text)", "Assurance (text)"]], hide_index=True, width="stretch")


def summary_matrix(rows, selection: Selection) -> None:
    from workforce.spc.chart import summary_matrix as matrix_frame

    from .filters import link_params

    items = [{"kpi": r.kpi.id, "label": r.kpi.label, "variation_icon": r.variation_icon,
              "assurance_icon": r.assurance_icon} for r in rows]
    grid = matrix_frame(items)
    labels = {r.kpi.id: r.kpi.label for r in rows}
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in grid.columns)
    body = []
    for variation, cells in grid.iterrows():
        tds = []
        for ids in cells:
            links = "<br>".join(
                f'<a href="kpi?{html.escape(link_params(selection, kpi=k))}" target="_self">'
                f"{html.escape(labels.get(k, k))}</a>" for k in (ids or []))
            tds.append(f"<td>{links}</td>")
        body.append(f"<tr><th>{html.escape(str(variation))}</th>{''.join(tds)}</tr>")
    st.markdown(
        f'<table class="mdc-matrix"><tr><th></th>{head}</tr>{"".join(body)}</table>'
        "<style>.mdc-matrix{border-collapse:collapse;width:100%;font-size:0.9rem}"
        ".mdc-matrix th,.mdc-matrix td{border:1px solid #D8DDE0;padding:6px;vertical-align:top;text-align:left}"
        ".mdc-matrix tr:first-child th{background:#005EB8;color:#fff}</style>",
        unsafe_allow_html=True)
