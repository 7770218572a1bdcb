"""Page furniture shared by the pages: header, labels, KPI table, summary matrix."""

from __future__ import annotations

import datetime as dt
import html
import os

import pandas as pd
import streamlit as st

from workforce.base.config import Config
from workforce.base.db import Database
from workforce.base.formatting import month_name
from workforce.measures.selection import Selection, selection_label
from workforce.views.summary import board_summary
from workforce.base.text import escape

from . import access, state


def plain(text: str, limit: int | None = None) -> str:
    """User, URL or file text shown as text inside markdown (workforce.base.text.escape)."""
    return escape(text, limit=limit)


@st.cache_resource(show_spinner="Working out the KPIs…", max_entries=64)
def _summary(_db: Database, generation: tuple, _config: Config, config_key: str, scope, rebase: tuple = ()):
    return board_summary(_db, _config, scope, rebase=dict(rebase))


def _list(allowed: tuple | None) -> list[str] | None:
    return None if allowed is None else list(allowed)


def cached_summary(db: Database, config: Config, scope):
    """The board summary of the page's Scope, with SPC limits recalculated at the register's change points."""
    from .meetings import chart_annotations

    notes = chart_annotations(config, scope)
    rebase = tuple((k, a.rebase_dates) for k, a in notes.items() if a.rebase_dates)
    return _summary(db, db.generation, config, str(config.source_path), scope, rebase)


# WCAG 2.2 AA on every page (docs/accessibility.md): Streamlit's captions, shortcut hints and chart labels
# are a faded grey (3.8–4.0:1 on white, 3.9:1 on the sidebar): NHS secondary text is 6.4:1 and 5.8:1; a focus
# outline on every control (Streamlit's is a faint background or none; a data grid's toolbar stays hidden
# while it has the focus); date fields' day and month at least 24 px
A11Y_CSS = """<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p, kbd {color: #4C6272 !important; opacity: 1 !important}
[data-testid="stCaptionContainer"] a {color: #005EB8 !important}
a:focus-visible, button:focus-visible, summary:focus-visible, [role="tab"]:focus-visible, [role="slider"]:focus-visible,
[data-testid="stCheckbox"]:has(input:focus-visible), [data-testid="stRadio"] label:has(input:focus-visible)
    {outline: 3px solid #212B32 !important; outline-offset: 2px}
[data-testid="stElementToolbar"]:focus-within {opacity: 1 !important}
[data-testid="stVegaLiteChart"] text[fill="#808495"] {fill: #4C6272}
[data-testid="stDataFrame"]:focus-within {outline: 3px solid #212B32; outline-offset: 2px}
[data-testid="stDateInputField"] [role="spinbutton"] {display: inline-block; min-width: 24px; min-height: 24px;
    line-height: 24px; text-align: center}
</style>"""
PAGE_CSS = """<style>
.block-container {padding: 3.9rem 1.5rem 3rem; max-width: 1500px}
.block-container h1 {font-size: 2.1rem; padding-top: 0.4rem}
</style>""" + A11Y_CSS


SYNTHETIC_BAR = ('<div class="synthetic-bar" role="note"><b>Synthetic demo data</b> — generated for demonstration, '
                 'not real NHS workforce statistics.{switch}</div><style>.synthetic-bar{{background:#FFF4CC;'
                 'border-left:6px solid #FFB81C;color:#212B32;padding:4px 12px;font-size:0.9rem;margin-bottom:0.4rem}}'
                 '</style>')
REAL_BAR = ('<div class="real-bar" role="note"><b>Real data</b> — the figures loaded into this dashboard{latest}, '
            'not the synthetic demo.{switch}</div><style>.real-bar{{background:#E8F1FA;'
            'border-left:6px solid #005EB8;color:#212B32;padding:4px 12px;font-size:0.9rem;margin-bottom:0.4rem}}'
            '</style>')


def is_synthetic(db: Database) -> bool:
    return state.meta(db).get("synthetic") == "true"


def page_top(db: Database | None, selection: Selection | None = None) -> None:
    """Every page but the meeting view (app.py): the page style, and which data the page shows — the
    synthetic demo's label (so no route can miss it) or the real data's — with the other one a click away."""
    st.html(PAGE_CSS)
    if db is None:
        return
    from . import filters

    params = filters.link_params(selection) if selection else ""
    if is_synthetic(db):
        if state.real_database_exists():
            back = "&".join(p for p in params.split("&") if p and not p.startswith("data="))
            switch = f' <a href="?{html.escape(back)}" target="_self">Show the real data</a>'
        else:
            switch = (" For real figures, load the NHS publications: <code>python -m workforce load "
                      "FOLDER/</code>.")
        st.html(SYNTHETIC_BAR.format(switch=switch))
    else:
        demo = "&".join(p for p in (params, f"data={state.DEMO}") if p)
        switch = "" if os.environ.get("WORKFORCE_DB") else \
            f' <a href="?{html.escape(demo)}" target="_self">Show the synthetic demo</a>'
        latest = db.query("measures/as_at_month")["period"].iloc[0]
        st.html(REAL_BAR.format(latest="" if pd.isna(latest) else f", to {month_name(pd.Timestamp(latest).date())}",
                                switch=switch))


def page_header(config: Config, selection: Selection, scope, month: dt.date | None, title: str) -> None:
    """Title, the selection as chosen and its month, and what the page's Scope removed or refused."""
    st.title(title)
    as_at = f"Data as at **{month_name(month)}**" if month else "No data for this selection"
    st.markdown(f"{plain(selection_label(config, selection))} · {as_at}")
    scope_messages(config, scope)


@st.cache_resource(show_spinner=False, max_entries=64)
def _scope(_db: Database, generation: tuple, _config: Config, config_key: str, selection: Selection,
           allowed: tuple | None):
    from workforce.protect.scope import resolve

    return resolve(_db, _config, selection, _list(allowed))


def cached_scope(config: Config, db: Database, selection: Selection):
    """The view's Scope (workforce.protect.scope): what it covers and what this user may see of it.
    A page resolves it once, at the top, and passes it to everything it shows."""
    return _scope(db, db.generation, config, str(config.source_path), selection, access.scope(config))


def scope_messages(config: Config, scope) -> None:
    """Say what the user's scope removed or refused, and why (never silently)."""
    for text in dict.fromkeys(scope.notes + ((scope.refusal,) if scope.refusal else ())):
        st.info(plain(text), icon=":material/lock:")
    if scope.history:  # a new footprint's months before it began count its members at its start
        st.caption(f":material/history: {plain(scope.history)}")
    if scope.scoped and not set(scope.orgs) <= set(scope.allowed):
        k = config.access.min_other_organisations
        st.caption(f"You see your own organisations' figures, and totals only where at least {k} other "
                   "organisations contribute: a figure shown as – may be withheld to protect another "
                   "organisation. Counts are rounded to the nearest 5 and small numbers hidden.")


def kpi_table(rows, selection: Selection, commentary: dict[str, str], caption: str = "") -> None:
    """One priority's KPI table: figures, better/worse against target in words and colour, icons,
    sparkline, notes and a link to the chart; one short line per reading, the rest on demand.
    Drawn once per (summary, selection, commentary) and replayed to every other session: a meeting opens
    the same view 30 times at once."""
    ids = {r.kpi.id for r in rows}
    _kpi_table_replayed(tuple(id(r) for r in rows), selection,
                        tuple(sorted((k, v) for k, v in commentary.items() if k in ids)), caption, _rows=tuple(rows))


@st.cache_resource(show_spinner=False, max_entries=256)
def _kpi_table_replayed(row_ids: tuple, selection: Selection, commentary: tuple, caption: str, _rows: tuple) -> tuple:
    # Keyed on the rows' identities: they come from the cached summary, and the entry keeps them alive,
    # so no other summary's rows can take those identities while the entry exists.
    _kpi_table_elements(list(_rows), selection, dict(commentary), caption)
    return _rows


def _kpi_table_elements(rows, selection: Selection, commentary: dict[str, str], caption: str) -> None:
    """An HTML table (every cell wraps and is shown in full, icons with text alternatives, the KPI's name the
    link to its chart: WCAG 2.2 AA), the short readings, and on demand the readings in full and the same
    figures as data to sort and download."""
    from workforce.views.summary import summary_frame
    from workforce.views.summary_view import difference_words, notes, short_reading

    from .filters import link_params
    from .kpi_table import kpi_table_html

    periods = [period_text(r.kpi, r.latest.period) if r.latest.period else "–" for r in rows]
    links = [f"kpi?{link_params(selection, kpi=r.kpi.id)}" for r in rows]
    # st.html, not st.markdown: the browser does not run its markdown parser over the whole table (about a
    # third of the summary's script time in Chromium); links without a target open in the same tab
    st.html(kpi_table_html(rows, periods, links, commentary, caption))
    st.markdown("\n".join(f"- {plain(short_reading(r.reading))}" for r in rows))
    with st.expander("Readings in full, and the table as data to sort or download"):
        st.markdown("\n".join(f"- {plain(r.reading)}" for r in rows))
        frame = summary_frame(rows).assign(
            Period=periods, Difference=[difference_words(r) for r in rows],
            Notes=[notes(r, commentary.get(r.kpi.id, "")) for r in rows], Open=links)
        st.dataframe(frame[["KPI", "Period", "Value", "Target", "Difference", "Variation (text)", "Assurance (text)",
                            "Chance of meeting target", "Notes", "Open"]], hide_index=True, width="stretch",
                     column_config={"Difference": st.column_config.TextColumn("vs target"),
                                    "Variation (text)": st.column_config.TextColumn("Variation"),
                                    "Assurance (text)": st.column_config.TextColumn("Assurance"),
                                    "Open": st.column_config.LinkColumn("Chart", display_text="Open ›")})


def attention_panel(rows, selection: Selection) -> None:
    """What needs the board's attention, before any detail: the exceptions, each linked to its chart."""
    from workforce.views.summary import chance_on_the_board
    from workforce.views.summary_view import needs_attention

    from . import state

    from .filters import link_params

    items = needs_attention(rows)
    chance = chance_on_the_board(state.config(), rows)
    with st.container(border=True):
        st.markdown("#### Needs the board's attention")
        if chance.charts:
            st.caption(plain(chance.text))
        if not items:
            st.write("No KPI shows special-cause concern or consistently fails its target.")
            return
        st.markdown("<ul class='attention'>" + "".join(
            f'<li><a href="kpi?{html.escape(link_params(selection, kpi=a.kpi_id))}" target="_self">'
            f"<b>{html.escape(a.label)}</b></a>: {html.escape(a.figure)} — {html.escape(a.reason)}</li>"
            for a in items) + "</ul>", unsafe_allow_html=True)


def summary_matrix(rows, selection: Selection) -> None:
    from workforce.signals.spc.chart import summary_matrix as matrix_frame

    from .filters import link_params

    # ids stand in for labels in the grid's cells, so each can become a link
    items = [{"kpi": r.kpi.id, "label": r.kpi.id, "variation_icon": r.variation_icon,
              "assurance_icon": r.matrix_assurance} for r in rows]
    grid = matrix_frame(items).map(lambda cell: [k for k in cell.split(", ") if k])
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


def wrapped_rows(frame: pd.DataFrame) -> None:
    """A small table whose cells wrap and are shown in full (st.dataframe cuts long text), every cell
    escaped as text: file contents and names can never become markup."""
    from workforce.base.text import escape

    head = "".join(f"<th>{escape(c, into='html')}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{escape('' if pd.isna(v) else v, into='html')}</td>" for v in row)
                   + "</tr>" for row in frame.itertuples(index=False))
    st.html(f'<table class="wrapped-rows"><tr>{head}</tr>{body}</table><style>.wrapped-rows{{border-collapse:'
            'collapse;width:100%;font-size:0.9rem}.wrapped-rows th,.wrapped-rows td{border:1px solid #D8DDE0;'
            'padding:4px 8px;text-align:left;vertical-align:top}.wrapped-rows th{background:#F0F4F5}</style>')


def format_kpi(kpi, value) -> str:
    from workforce.base.formatting import format_value

    return format_value(value, kpi.format)


@st.cache_resource(show_spinner="Comparing organisations…", max_entries=32)
def _comparison(_db: Database, generation: tuple, _config: Config, config_key: str, scope):
    from workforce.views.compare import organisation_kpis

    month, orgs = scope.month, scope.own(scope.orgs)  # one row per organisation: own scope only
    if month is None or not orgs:
        return month, orgs, pd.DataFrame()
    return month, orgs, organisation_kpis(_db, _config, scope)


def cached_comparison(db: Database, config: Config, scope):
    return _comparison(db, db.generation, config, str(config.source_path), scope)


def comparison_table(table: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Organisations × KPIs as numbers that sort, each KPI's column headed with its unit and rounded
    as the screen shows it (money in £ to the pound)."""
    from workforce.base.formatting import axis_title
    from workforce.protect.precision import DECIMALS

    wide = table.pivot_table(index="organisation", columns="kpi", values="value", aggfunc="first")
    kpis = [k for k in config.kpis if k.id in wide.columns]
    return pd.DataFrame({axis_title(k.label, k.format): wide[k.id].round(DECIMALS.get(k.format, 2)) for k in kpis},
                        index=wide.index.rename("Organisation"))


def period_text(kpi, period) -> str:
    if kpi.window == "annual":
        return str(period.year)
    from workforce.base.formatting import month_label

    if kpi.window == "fytd":  # an annual ceiling judged on the financial year to date
        return f"Apr–{month_label(period)}"
    return month_label(period)


def icon_pair(variation_svg: str, assurance_svg: str) -> str:
    """Two project-drawn SVG icons side by side (the SVG is ours, never user text)."""
    return f'<div style="display:flex;gap:12px;align-items:center">{variation_svg}{assurance_svg}</div>'


@st.cache_resource(show_spinner="Drawing the chart…", max_entries=64)
def _kpi_view(_db: Database, generation: tuple, _config: Config, config_key: str, kpi_id: str,
              scope, events: tuple = (), rebase_dates: tuple = ()):
    from workforce.views.board import stagger_events
    from workforce.views.detail import kpi_view

    view = kpi_view(_db, _config, _config.kpi_by_id[kpi_id], scope, events=list(events), rebase_dates=rebase_dates)
    return view.restyled(stagger_events) if events else view  # labels of nearby events on separate lines


def cached_kpi_view(db: Database, config: Config, kpi, scope):
    """The KPI view of the page's Scope, with the register's events drawn and its change points applied."""
    from .meetings import chart_annotations

    note = chart_annotations(config, scope)[kpi.id]
    return _kpi_view(db, db.generation, config, str(config.source_path), kpi.id, scope, note.events,
                     note.rebase_dates)


@st.cache_resource(show_spinner="Breaking it down…", max_entries=64)
def _breakdowns(_db: Database, generation: tuple, _config: Config, config_key: str, kpi_id: str, scope, _view):
    from workforce.views.detail import breakdowns

    return breakdowns(_db, _config, _config.kpi_by_id[kpi_id], _view)


def cached_breakdowns(db: Database, config: Config, kpi, view):
    """Every breakdown of the view, remembered per Scope (the viewer's organisations are in it)."""
    return _breakdowns(db, db.generation, config, str(config.source_path), kpi.id, view.scope, view)


def replayed(site: str, key: tuple, draw, keep) -> None:
    """Run ``draw`` (st.* calls) once for ``key`` and replay its elements to every later session:
    building a chart's specification or a styled table costs more than the figures behind it, and
    a meeting opens the same view many times at once. ``key`` holds the identities of the objects
    drawn (they come from process-wide caches; the entry keeps ``keep`` alive, so no other object
    can take their identities while it exists) and everything else ``draw`` depends on."""
    _replayed((site, *key), _draw=draw, _keep=keep)


@st.cache_resource(show_spinner=False, max_entries=512)
def _replayed(key: tuple, _draw, _keep):
    _draw()
    return _keep


def spc_chart(view) -> None:
    """The KPI view's SPC chart (drawn once per view, replayed to other sessions)."""
    replayed("spc chart", (id(view),), lambda: st.altair_chart(view.chart, width="stretch"), view)


SMALL_TABLE_ROWS = 30  # a breakdown this short is shown whole, as a plain table (an ICS's trusts, staff groups)


def breakdown_section(kpi, frame: pd.DataFrame, view, name: str) -> None:
    """One breakdown's chart and table (drawn once per breakdown, replayed to other sessions)."""
    config = state.config()
    replayed("breakdown", (id(frame), id(view), kpi.id, name, str(config.source_path)),
             lambda: _breakdown_elements(kpi, frame, view, name, config), (frame, view))


def _breakdown_elements(kpi, frame: pd.DataFrame, view, name: str, config: Config) -> None:
    from workforce.views.charts import breakdown_bars
    from workforce.views.detail import breakdown_display

    if frame is None or frame.empty:
        st.info(f"No {kpi.label.lower()} figures by {name.replace('_', ' ')} for this selection.")
        return
    target = kpi.target_at(view.latest["period"]) if view.latest is not None else None
    reference = float(view.latest["value"]) if view.latest is not None else None
    st.altair_chart(breakdown_bars(frame, kpi.label, target, reference).properties(
        description=f"Bar chart of {kpi.label.lower()} by {name.replace('_', ' ')}; the table below lists "
                    "every figure."), width="stretch")
    st.caption("Red dashed line: target. Black dashed line: the figure for the whole selection.")
    table = breakdown_display(frame, kpi, config, name)
    if len(table) <= SMALL_TABLE_ROWS:  # a plain table: the browser loads no data-grid code for it
        wrapped_rows(table)
    else:
        st.dataframe(table, hide_index=True, width="stretch")
    if "suppressed" in frame.columns and config.disclosure.enabled:
        st.caption("Counts of people are rounded to the nearest 5. * Small numbers are hidden to protect staff: "
                   "counts of 1–7, rates on small denominators, and any figure that would let a hidden one be "
                   "worked out.")


def export_sheets(kpi, view, parts, selection: Selection):
    """The download tables, labelled for people (workforce.views.export.for_people)."""
    from workforce.views.detail import export_tables
    from workforce.views.export import for_people

    config = state.config()
    where = selection_label(config, selection)
    return for_people(export_tables(kpi, view, parts, config), kpi, config, where)
