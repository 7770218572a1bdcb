"""KPI detail: the SPC chart, definition, forecast, breakdowns and downloads for one KPI."""

import streamlit as st

from ui import layout, meetings, state
from ui import filters
from workforce.views import detail, export
from workforce.base.formatting import month_name
from workforce.measures.selection import default_kpi as default_kpi_of, selection_label
from workforce.views.summary import spc_basis_text
from workforce.signals.spc.icons import assurance_svg, variation_svg

config = state.config()
db = state.database(config)
kpi_ids = [k.id for k in config.kpis]
default_kpi = default_kpi_of(config).id
requested = st.query_params.get("kpi")
if requested is not None and requested not in kpi_ids:
    st.warning(f"The link's KPI '{layout.plain(requested[:40])}' is not recognised, so "
               f"{layout.plain(config.kpi_by_id[default_kpi].label)} is shown.")
named = requested if requested in kpi_ids else default_kpi  # the KPI this URL stands for
if st.session_state.get("kpi_choice") not in kpi_ids or st.session_state.get("_kpi_url") != named:
    st.session_state["kpi_choice"] = named  # a link, Back/Forward or a pasted address chose it
kpi_id = st.selectbox("KPI", kpi_ids, key="kpi_choice", format_func=lambda k: config.kpi_by_id[k].label)
if kpi_id != named:  # the user picked another KPI: one new history entry
    st.query_params["kpi"] = kpi_id
st.session_state["_kpi_url"] = kpi_id
kpi = config.kpi_by_id[kpi_id]
selection = filters.current(config, db)
scope = layout.cached_scope(config, db, selection)  # resolved once for this run, passed to all below
view = layout.cached_kpi_view(db, config, kpi, scope)
layout.page_header(config, selection, scope, view.month, title=kpi.label)
if view.latest is None:
    st.info(layout.plain(view.withheld_text) or f"There are no {kpi.label.lower()} figures for this selection "
            "(some KPIs are reported only for whole organisations, not by staff group).")
    st.stop()

value, icons = st.columns([3, 2])
with value:
    latest = view.latest
    target = kpi.target_at(latest["period"], list(selection.orgs) or None)
    cols = st.columns(3)
    cols[0].metric("Latest", layout.format_kpi(kpi, latest["value"]))
    cols[1].metric("Target", layout.format_kpi(kpi, target) if target is not None else "None")
    cols[2].metric("Period", layout.period_text(kpi, latest["period"]),
                   help="Rolling KPIs cover the 12 months to this month" if kpi.window == "rolling_12m" else None)
with icons:
    spc = view.spc
    if spc is not None:  # None: no monthly figures to chart (hidden where counts are small)
        st.markdown(layout.icon_pair(variation_svg(spc.variation_icon, 56), assurance_svg(spc.assurance_icon, 56)),
                    unsafe_allow_html=True)
        withheld = spc.assurance_icon is None and view.assurance_note
        words = view.summary
        st.caption(f"{words.variation_words}. "
                   f"{'Assurance icon withheld (why: below)' if withheld else words.assurance_words}.")
        if words.outlook:
            st.markdown(f"**{layout.plain(words.outlook_text)}** (year-end forecast)")
        elif words.outlook_text:  # a KPI with a target but no chance stated says why
            st.caption(layout.plain(words.outlook_text))
    if view.assurance_note:  # an icon withheld, or differing from the figure, always says why
        st.caption(layout.plain(view.assurance_note))
    st.caption(spc_basis_text(kpi))
if view.coverage_text:
    st.warning(f"Incomplete: {view.coverage_text} for this month; the figure adds up only those "
               "that reported every month of its window.")

st.markdown(f"**{layout.plain(view.reading)}**")
if view.has_chart:
    layout.spc_chart(view)
if view.spc is not None and view.spc.limits_shown:  # a run chart already says why it has no limits
    for warning in view.spc.warnings:
        st.caption(layout.plain(warning))
meetings.change_point_offer(config, kpi, selection, view)
meetings.events_caption(config, kpi, scope)
meetings.commentary_panel(config, kpi, selection, view.month)

left, right = st.columns(2, gap="large")
with left:
    st.subheader("Definition")
    d = view.definition
    st.write(d.formula)
    st.markdown(f"- **Numerator:** {layout.plain(d.numerator_label)} — {d.numerator_value}")
    if d.denominator_label:
        st.markdown(f"- **Denominator:** {layout.plain(d.denominator_label)} — {d.denominator_value}")
    st.markdown(f"- **Source:** {layout.plain(d.source)}")
    st.markdown(f"- **Organisations:** {layout.plain(d.scope)}")
    if d.caveats:
        st.markdown(f"- **Caveats:** {layout.plain(d.caveats)}")
with right:
    st.subheader("Year-end forecast")
    if view.forecast is None:
        st.write("No forecast: too little history to know how far a forecast tends to be off "
                 "(annual KPIs are not forecast).")
    else:
        st.write(view.forecast.verdict)
        st.caption(view.forecast.method_text)

st.subheader("Breakdowns")
# only the open tab is drawn (choosing another reruns the page): each holds a chart and tables, and the
# browser drew all four on every visit
tabs = st.tabs(["By organisation", "By staff group", "By equality group", "Data and downloads"], key="kpi_tab",
               on_change="rerun")
breakdowns = layout.cached_breakdowns(db, config, kpi, view)
if tabs[0].open:
    with tabs[0]:
        layout.breakdown_section(kpi, breakdowns["organisation"], view, "organisation")
if tabs[1].open:
    with tabs[1]:
        layout.breakdown_section(kpi, breakdowns["staff group"], view, "staff group")
if tabs[2].open:
    with tabs[2]:
        chosen = st.radio("Equality group", [b.id for b in config.breakdowns], horizontal=True,
                          format_func=lambda b: next(x.label for x in config.breakdowns if x.id == b), key="eq_group")
        layout.breakdown_section(kpi, breakdowns[chosen], view, chosen)
        for sentence in detail.likelihood_sentences(breakdowns[chosen], kpi, config):
            st.markdown(f"- {layout.plain(sentence)}")
if tabs[3].open:
    with tabs[3]:
        stem = export.file_stem(kpi.id, selection.ics or "", "-".join(selection.orgs),
                                view.month.strftime("%Y-%m"))
        sheets = layout.export_sheets(kpi, view, breakdowns, selection)
        st.dataframe(sheets["Series"], hide_index=True, width="stretch")
        synthetic = state.meta(db).get("synthetic") == "true"  # every download says so
        c1, c2, c3, c4 = st.columns(4)
        c1.download_button("Download CSV", export.csv_bytes(sheets["Series"], synthetic), f"{stem}.csv", "text/csv",
                           on_click="ignore")
        c2.download_button("Download Excel", lambda: export.excel_bytes(sheets, synthetic), f"{stem}.xlsx",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")
        place = f"{selection_label(config, selection)}, {month_name(view.month)}"  # the image's title says it
        c3.download_button("Chart as PNG", lambda: export.chart_png(view.chart, synthetic, place=place),
                           f"{stem}.png", "image/png", on_click="ignore")
        c4.download_button("Chart as SVG", lambda: export.chart_svg(view.chart, synthetic, place=place),
                           f"{stem}.svg", "image/svg+xml", on_click="ignore")
