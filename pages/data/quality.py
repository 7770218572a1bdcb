"""Data quality: stale KPIs, implausible jumps in the latest figures, and which organisations sent
which measures for which months (missing submissions stand out). Thin: workforce.views.quality does the work."""

import streamlit as st

from ui import access, filters, layout, state
from workforce.views import quality
from workforce.measures.figure import data_as_at
from workforce.base.formatting import code_words, month_label, plural
from workforce.measures.selection import scope_orgs, selection_label

config = state.config()
db = state.database(config)
user = access.current_user(config)

st.title("Data quality")
st.caption("Check the data before the board sees it: KPIs whose figures are out of date, organisations whose "
           "latest figures moved implausibly, and gaps in what each organisation has sent.")

selection = filters.current(config, db)  # the sidebar's filters, as on every page
left, right = st.columns(2)
months = left.slider("Months shown", 6, 60, 24, key="quality_months")
threshold = right.slider("Flag a change in the latest month above (%)", 5, 50, 20, step=5, key="quality_jump")
as_at = selection.period or data_as_at(db)  # the month the data reach, never today
if as_at is None:
    st.info("No figures have been loaded yet: load a file on the Load data page.")
    st.stop()
orgs = user.allowed_detail(scope_orgs(config, selection, as_at))
if not orgs:
    st.info("No organisations in this scope that you may see.")
    st.stop()

st.subheader("Stale KPIs")
stale = quality.stale_kpis(db, config, orgs, as_at)
late = stale[stale["stale"]]
st.caption(f"{len(late)} of {len(stale)} KPIs lag {month_label(as_at)}, the month these figures are as at, by more "
           "than their limit (stale_after_days in config.yaml, which allows for each publication's usual lag).")
st.dataframe(stale.drop(columns=["kpi"]).rename(columns=code_words), hide_index=True,
             width="stretch", column_config={"Stale": st.column_config.CheckboxColumn(help="Older than its limit")})

st.subheader("Implausible jumps in the latest month")
jumps = quality.jumps(db, config, orgs, threshold / 100)
if jumps.empty:
    st.caption(f"No organisation's latest headcount, FTE or establishment moved more than {threshold}% "
               "from the month before.")
else:
    shown = jumps.assign(change=[f"{c:+.1%}" for c in jumps["change"]])
    st.dataframe(shown.rename(columns=code_words), hide_index=True, width="stretch")

st.subheader("ICS membership: published files and config.yaml")
membership = quality.ics_membership(db, config, orgs)
if membership.empty:
    st.caption("The published files place every organisation in this scope in the ICS config.yaml gives it.")
else:
    for note in membership["note"]:
        st.warning(layout.plain(note))

st.subheader("Coverage: who sent what, when")
cover = quality.coverage(db, config, orgs, months=months, end=as_at)
measures = sorted(cover.cells["measure"].unique()) if not cover.cells.empty else []
if not measures:
    st.info("No figures in this period for this scope.")
    st.stop()
labels = {m.id: m.label for m in config.measures}
measure = st.selectbox("Measure", measures, format_func=lambda m: labels.get(m, m), key="quality_measure")
cells = cover.cells[cover.cells["measure"] == measure]
gaps = cover.gaps
chart = quality.coverage_chart(cells, labels.get(measure, measure), {o.code: o.name for o in config.organisations})
st.altair_chart(chart.properties(description=f"Which organisations sent {labels.get(measure, measure).lower()} "
                                             "figures each month; the gaps are listed in the table below."),
                width="stretch")
st.caption(f"{len(gaps)} organisation × measure pairs have months with no submission inside the measure's run "
           "(annual measures are expected once a year).")
if not gaps.empty:
    st.dataframe(gaps.drop(columns=["first_missing", "last_missing"]).rename(columns=code_words), hide_index=True,
                 width="stretch")
st.caption(layout.plain(f"Scope: {selection_label(config, selection)}, "
                        f"{plural(len(orgs), 'organisation')}."))
