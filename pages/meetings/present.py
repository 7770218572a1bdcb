"""Meeting view: one KPI per screen in large type for a projector, with the data frozen when the
view opens. Opening screen: the Making Data Count matrix. ← → (or the buttons) move between
screens; Esc leaves. The selection comes from the link (ics, org, type, staff_group, period) and
?exceptions=1 shows only KPIs with special-cause concern or failing their target.
"""


import datetime as dt

import streamlit as st

from ui import filters, layout, meetings, state
from workforce.views.board import exception_reason, styled_chart
from ui.layout import A11Y_CSS
from workforce.base.db import DataUnavailable
from workforce.base.formatting import month_label, month_name
from workforce.store.records import Commentary
from workforce.measures.selection import to_query_params
from workforce.signals.spc.chart import summary_matrix
from workforce.views.charts import wrap_titles
from workforce.views.summary import chance_on_the_board
from workforce.views.summary_view import difference_words, target_words
from workforce.base.text import escape
from workforce.signals.spc.icons import assurance_svg, data_uri, variation_svg

CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stSidebarNav"],
[data-testid="stExpandSidebarButton"] {display: none !important;}
/* Sized to the viewport (vh), so one screen fits a 1280×800 projector and a 1920×1080 screen without
   scrolling; the navigation bar is fixed to the bottom edge, always visible. */
[data-testid="stMainBlockContainer"], .block-container {padding: 0.5rem 2.2rem 62px !important;
    max-width: 100% !important;}
.mv {color: #212B32; font-family: Arial, "Liberation Sans", Helvetica, sans-serif;}
.mv-top {display: flex; justify-content: space-between; align-items: flex-start; gap: 2rem;
         border-bottom: 4px solid #005EB8; padding-bottom: 0.3rem;}
.mv-title {font-size: clamp(24px, 4.6vh, 50px); font-weight: 700; color: #005EB8; line-height: 1.1;}
.mv-asat {font-size: clamp(14px, 2.1vh, 24px); color: #425563; text-align: right; white-space: nowrap;
          line-height: 1.3;}
.mv-synthetic {display: inline-block; background: #FFF4CC; border-left: 5px solid #FFB81C; color: #212B32;
               padding: 0 0.4rem; font-weight: 700;}
.mv-figures {font-size: clamp(16px, 2.7vh, 30px); color: #425563; margin: 0;}
.mv-figures b {font-size: clamp(28px, 5.2vh, 58px); color: #212B32; margin-right: 0.6rem;}
.mv-icons {display: flex; flex-direction: column; gap: 0.4rem; margin-bottom: 0.5rem;}
.mv-icon {display: flex; align-items: center; gap: 0.8rem; font-size: clamp(14px, 2.2vh, 24px);}
.mv-icon img {width: clamp(44px, 7.5vh, 88px); height: clamp(44px, 7.5vh, 88px);}
.mv-flag {font-size: clamp(14px, 2.2vh, 24px); font-weight: 700; color: #B34A00; margin: 0.2rem 0 0.4rem;}
.mv-chance {font-size: clamp(14px, 2.2vh, 24px); font-weight: 600; color: #003087; margin: 0.2rem 0 0.4rem;}
.mv-reading {font-size: clamp(14px, 2.4vh, 27px); line-height: 1.3; margin-bottom: 0.5rem;}
.mv-comment {font-size: clamp(13px, 1.9vh, 22px); line-height: 1.3; max-height: 24vh; overflow-y: auto;
             border-left: 6px solid #005EB8; padding: 0.2rem 0 0.2rem 0.9rem; background: #F0F4F5;}
.mv-comment h3 {font-size: 1em; margin: 0 0 0.3rem; color: #003087; padding: 0;}
.mv-comment p {margin: 0 0 0.3rem; font-size: 1em; line-height: 1.3;}
.mv-comment p.mv-meta, .mv-meta {color: #425563; font-size: 0.9em;}
.mv-matrix {border-collapse: collapse; width: 100%; font-size: clamp(13px, 1.95vh, 25px); line-height: 1.25;
            margin-top: 0.2rem; table-layout: fixed;}
.mv-matrix th, .mv-matrix td {border: 2px solid #D8DDE0; padding: 0.45vh 0.7vw; vertical-align: top;
                              text-align: left;}
.mv-matrix tr:first-child th {background: #005EB8; color: #fff;}
.mv-matrix tr th:first-child {width: 14%;}
.mv-matrix .mv-exc {color: #B34A00; font-weight: 700;}
.mv-lead {font-size: clamp(14px, 2.2vh, 26px); color: #425563; margin: 0.2rem 0 0.2rem;}
.mv-foot {font-size: clamp(12px, 1.8vh, 20px); color: #425563;}
.st-key-mv_chart {height: calc(100vh - 17vh - 150px) !important; flex: none !important; min-height: 220px;}
.st-key-mv_nav {position: fixed; left: 0; right: 0; bottom: 0; z-index: 1000; background: #fff;
                border-top: 2px solid #D8DDE0; padding: 6px 2.2rem;}
div[data-testid="stButton"] button p {font-size: clamp(15px, 2vh, 22px);}
</style>"""


def icon_img(svg: str, kind: str) -> str:
    """Our own SVG icon as an image (st.html drops inline SVG); its meaning is in the text beside it."""
    return f'<img src="{data_uri(svg)}" width="88" height="88" alt="" class="mv-{kind}">'


def esc(text: object) -> str:
    """User and file text as plain text inside our HTML (markup is shown, never applied)."""
    return escape(text, into="html")


config = state.config()
db = state.database(config)
# the sidebar's filters, hidden here but still in the URL; the view's Scope resolved once
scope = layout.cached_scope(config, db, filters.current(config, db))
selection = scope.selection
selection_key = tuple(sorted(to_query_params(selection).items()))

exceptions_only = st.query_params.get("exceptions") == "1"
snapshot = st.session_state.get("meeting_snapshot")  # (selection, board, opened at): this session's frozen view
if snapshot is None or snapshot[0] != selection_key:
    try:
        with st.spinner("Preparing the meeting view…"):  # shared: built once for everyone who sees the same
            snapshot = (selection_key, meetings.meeting_board(db, config, scope), dt.datetime.now())
    except DataUnavailable as exc:
        st.error(escape(exc))
        st.stop()
    st.session_state["meeting_snapshot"] = snapshot
_, board, opened_at = snapshot
items = board.chosen(exceptions_only)
screens = 1 + len(items)


requested = st.query_params.get("screen", "0")
screen = max(0, min(screens - 1, int(requested) if requested.isdigit() else 0))


def go(step: int) -> None:
    st.query_params["screen"] = str(max(0, min(screens - 1, screen + step)))


def reopen() -> None:
    st.session_state.pop("meeting_snapshot", None)
    st.query_params["screen"] = "0"


def switch_exceptions() -> None:
    # a button, not a toggle: Streamlit ignores shortcut keys while a checkbox has the focus, so ← and →
    # stopped working after a click on a toggle until the user clicked elsewhere
    st.query_params["exceptions"] = "0" if exceptions_only else "1"
    st.query_params["screen"] = "0"


frozen = f"{board.as_at_text} — frozen when the meeting view opened at {opened_at:%H:%M}"
history_text = f" {board.history}" if board.history else ""  # a new footprint's earlier months, said
st.html(CSS + A11Y_CSS)
for note in board.notes:  # what the user's scope removed or refused, and why
    st.info(escape(note), icon=":material/lock:")


synthetic = state.meta(db).get("synthetic") == "true"


def top(title: str) -> None:
    mark = '<span class="mv-synthetic">Synthetic demo data</span> · ' if synthetic else ""
    st.html(f'<div class="mv mv-top"><div class="mv-title">{esc(title)}</div>'
            f'<div class="mv-asat">{esc(board.as_at_text)} · Screen {screen + 1} of {screens}<br>'
            f'{mark}{esc(board.selection_text)}</div></div>')


def commentary_html(view) -> str:
    def entry_html(entry: Commentary, carried: bool) -> str:
        lead = f"<p><b>Carried forward from {esc(month_label(entry.month))}</b></p>" if carried else ""
        body = "".join(f"<p><b>{label}:</b> {esc(text)}</p>"
                       for label, text in (("What happened", entry.what_happened), ("Why", entry.why),
                                           ("Actions", entry.actions)) if text)
        meta = [f"Owner: {esc(entry.owner)}"] if entry.owner else []
        if entry.due_date:
            meta.append(f"Due: {entry.due_date.day} {entry.due_date:%b %Y}")
        meta.append(f"Status: {esc(entry.status_text())}")
        return lead + body + f'<p class="mv-meta">{" · ".join(meta)}</p>'

    parts = [entry_html(view.current, False)] if view.current else [
        f"<p class='mv-meta'>No commentary has been written for {esc(month_name(board.month))}.</p>"
        if board.month else ""]
    parts += [entry_html(e, True) for e in view.carried]
    return (f'<div class="mv mv-comment"><h3>Commentary — {esc(board.scope_text)}</h3>{"".join(parts)}</div>')


if screen == 0:
    top(config.plan.name)
    exceptions = [i for i in board.items if i.exception]
    st.html(f'<div class="mv mv-lead">Making Data Count summary: each KPI by its latest variation (rows) and '
            f'assurance against target (columns). <b>{len(exceptions)} exception'
            f'{"s" if len(exceptions) != 1 else ""}</b> (special-cause concern or consistently failing), '
            f'shown in bold. {esc(chance_on_the_board(config, board.rows).short_text)}</div>')
    grid = summary_matrix([{"kpi": r.kpi.id, "label": r.kpi.id, "variation_icon": r.variation_icon,
                            "assurance_icon": r.matrix_assurance} for r in board.rows])
    # short labels keep the matrix inside one screen at 1280×800; the full name shows on hover
    labels = {i.kpi.id: (i.kpi.short_label or i.kpi.label, i.exception, i.kpi.label) for i in board.items}
    head = "".join(f"<th>{esc(c)}</th>" for c in grid.columns)
    body = []
    for variation, cells in grid.iterrows():
        tds = "".join(
            "<td>" + "<br>".join(f'<span class="{"mv-exc" if labels[k][1] else ""}" title="{esc(labels[k][2])}">'
                                 f'{esc(labels[k][0])}</span>'
                                 for k in cell.split(", ") if k) + "</td>" for cell in cells)
        body.append(f"<tr><th>{esc(variation)}</th>{tds}</tr>")
    st.html(f'<table class="mv mv-matrix"><tr><th></th>{head}</tr>{"".join(body)}</table>')
    if exceptions_only and not items:
        st.html('<div class="mv mv-lead">No KPI shows special-cause concern or consistently fails its target.</div>')
else:
    item = items[screen - 1]
    summary = item.summary
    latest = summary.latest
    top(item.kpi.label)
    left, right = st.columns([66, 34], gap="medium")
    with left:
        versus = f' · vs target {esc(difference_words(summary))}' if latest.target is not None else ''
        st.html(f'<div class="mv mv-figures"><b>{esc(latest.value_text)}</b>{esc(target_words(summary))}'
                f'{versus} · {esc(item.period_text)}</div>')
        if item.view.has_chart:
            def draw_chart(view=item.view) -> None:
                chart = styled_chart(view.chart, width="container", height="container", font=1.5)
                st.altair_chart(wrap_titles(chart, 72), width="stretch", height="stretch", theme=None)

            with st.container(key="mv_chart"):  # its height follows the viewport (CSS above)
                layout.replayed("meeting chart", (id(item.view),), draw_chart, item.view)  # drawn once, shared
    with right:
        flag = (f'<div class="mv mv-flag">Exception: {esc(exception_reason(summary))}</div>'
                if item.exception else "")
        chance = (f'<div class="mv mv-chance">{esc(summary.outlook_text)}'
                  f'{" (year-end forecast)" if summary.outlook else ""}</div>' if summary.outlook_text else "")
        st.html(
            '<div class="mv mv-icons">'
            f'<div class="mv-icon">{icon_img(variation_svg(summary.variation_icon, 88), "variation")}'
            f'<span>{esc(summary.variation_words)}</span></div>'
            f'<div class="mv-icon">{icon_img(assurance_svg(summary.assurance_icon, 88), "assurance")}'
            f'<span>{esc(summary.assurance_words)}</span></div></div>'
            f'{chance}{flag}<div class="mv mv-reading">{esc(summary.reading)}</div>')
        st.html(commentary_html(item.commentary))

try:
    newer = db.generation != board.generation
except DataUnavailable:
    newer = False
newer_text = " Newer data have been loaded since; reopen the view to show them." if newer else ""
with st.container(key="mv_nav"):  # fixed to the bottom of the screen (CSS above)
    nav = st.columns([1, 1, 1.3, 4, 1], vertical_alignment="center")
    nav[0].button("← Previous", key="present_previous", on_click=go, args=(-1,), shortcut="Left",
                  disabled=screen == 0, width="stretch")
    nav[1].button("Next →", key="present_next", on_click=go, args=(1,), shortcut="Right",
                  disabled=screen >= screens - 1, width="stretch", type="primary")
    if screen == 0:
        nav[2].button("Show every KPI" if exceptions_only else "Exceptions only", key="present_exceptions",
                      on_click=switch_exceptions, width="stretch")
    nav[3].html(f'<div class="mv mv-foot">{esc(frozen)}.{esc(history_text)}{esc(newer_text)}</div>')
    if newer and screen == 0:
        nav[3].button("Reopen with the latest data", key="present_reopen", on_click=reopen, type="tertiary")
    if nav[4].button("Leave", key="present_leave", shortcut="Esc", width="stretch"):
        st.switch_page("pages/board/summary.py", query_params=to_query_params(selection))
