"""Compare organisations: every KPI by organisation for the month, and funnel plots for fair comparison."""


import streamlit as st

from ui import layout, state
from ui import filters
from workforce.views.charts import funnel_chart, heatmap
from workforce.views.compare import (OWN_MARK, comparison_words, funnel_from_table, funnel_kpis,
                                     funnel_outliers_text, funnel_table, narrowed, own_first, peer_group)
from workforce.views.summary_view import needs_attention
from workforce.measures.figure import chosen_types
from workforce.views.peers import kpis_with_peers, national_peers, peers_chart, peers_text
from workforce.measures.selection import ALL_ENGLAND

FIND_FROM = 12  # more organisations than this: a search box and a benchmark-group filter above the table

config = state.config()
db = state.database(config)
selection = filters.current(config, db)
scope = layout.cached_scope(config, db, selection)  # resolved once for this run, passed to all below
month, orgs, table = layout.cached_comparison(db, config, scope)
layout.page_header(config, selection, scope, month, title="Compare organisations")
if month is None or table.empty:
    st.info("There are no figures for this selection. Choose another ICS, organisation type or month.")
    st.stop()

st.caption("Use **Organisation type** in the sidebar to compare like with like (for example acute trusts "
           "with acute trusts).")
st.subheader("Every KPI by organisation")
st.write("Each cell shows the organisation's latest figure: **✓** and blue, it meets the target; **✗** and "
         "orange, it misses it; grey, the KPI has no target. **H** or **L** in a white disc marks a special-cause "
         "signal (high or low) on the organisation's SPC chart: blue letter improvement, orange concern; no disc is "
         "common-cause variation or too few points. The assurance of each is in the tables below the charts. ICB, "
         "primary care and social care organisations report only some KPIs.")
own_ics = filters.default_ics(config, db)  # the plan's ICS: its organisations first, marked
own = set(config.area_members(own_ics, month))
shown = table
if table["org_code"].nunique() > FIND_FROM:  # a region or England: find and filter the rows
    find, group = st.columns([2, 3])
    search = find.text_input("Find organisations", key="compare_find", placeholder="Name or code, e.g. Leeds or RR8")
    groups = sorted({peer_group(config.org_by_code[c]) for c in table["org_code"]})
    chosen_groups = group.multiselect("Benchmark group", groups, key="compare_groups",
                                      placeholder="Every benchmark group")
    shown = narrowed(table, config, search, chosen_groups)
    st.caption(f"{shown['org_code'].nunique()} of {table['org_code'].nunique()} organisations shown. "
               f"{OWN_MARK.strip()} marks {layout.plain(config.area_name(own_ics))}'s organisations (the plan's ICS), "
               "listed first.")
names = own_first(list(shown["org_code"]), config, own)  # code → row name, in row order
shown = shown.assign(organisation=shown["org_code"].map(names))
org_order = list(names.values())
for priority in config.plan.priorities:
    kpis = [k for k in config.kpis_for(priority.id) if k.id in set(shown["kpi"])]
    if kpis:
        st.markdown(f"**{layout.plain(priority.label)}**")
        cells = shown[shown["kpi"].isin([k.id for k in kpis])]
        chart = heatmap(cells, [k.short_label or k.label for k in kpis], org_order).properties(
            description=f"{priority.label} KPIs by organisation: each figure with a mark for meeting or missing "
                        "its target; the tables below the charts give them in words.")
        st.altair_chart(chart, width="stretch")
        shortened = [k for k in kpis if k.short_label and k.short_label != k.label]
        if shortened:  # the columns' short names in full
            st.caption("Columns: " + "; ".join(f"**{layout.plain(k.short_label)}** — {layout.plain(k.label)}"
                                               for k in shortened) + ".")

with st.expander("Sortable table of the same figures"):
    st.dataframe(layout.comparison_table(shown, config), width="stretch")
with st.expander("The same in words: against target, variation and assurance"):
    st.dataframe(comparison_words(shown), hide_index=True, width="stretch")

with st.expander("National peers: the same benchmark group across England"):
    not_trusts = ("ICB", "primary care", "adult social care")  # trusts first: the national files' peers
    trusts_first = sorted(set(table["org_code"]), key=lambda c: (config.org_by_code[c].type in not_trusts,
                                                                config.org_by_code[c].name))
    peer_org = st.selectbox("Organisation", trusts_first, key="peers_org",
                            format_func=lambda c: config.org_by_code[c].name if c in config.org_by_code else c)
    shown_kpis = [k for k in config.kpis if k.id in set(table["kpi"])]
    peer_kpis = [k for k in kpis_with_peers(db, config, month) if k in shown_kpis] or shown_kpis
    peer_kpi = st.selectbox("KPI", peer_kpis, key="peers_kpi", format_func=lambda k: k.label)
    peer_ics = None if selection.ics in (None, ALL_ENGLAND) else selection.ics
    compared = national_peers(db, config, peer_org, peer_kpi, scope, peer_ics)
    if not compared.empty:
        st.altair_chart(peers_chart(compared, peer_kpi.label).properties(description=peers_text(compared)),
                        width="stretch")
    st.write(layout.plain(peers_text(compared)))

st.subheader("Funnel plot")
rate_kpis = funnel_kpis(config, table)
if not rate_kpis:
    st.info("No KPI here has figures for three organisations or more, so there is no funnel plot to draw "
            "(a 12-month rate needs a year of monthly data).")
    st.stop()
_, rows = layout.cached_summary(db, config, scope)  # opens on the KPI that needs the board's attention
attention = [a.kpi_id for a in needs_attention(rows)]
first = next((i for a in attention for i, k in enumerate(rate_kpis) if k.id == a), 0)
left, right = st.columns(2)
chosen = left.selectbox("KPI", rate_kpis, index=first, format_func=lambda k: k.label, key="funnel_kpi")
kpi_rows = table[table["kpi"] == chosen.id]
by_type = funnel_from_table(kpi_rows, config, chosen, chosen_types(selection), "type")
# Like with like by default; where no type has three organisations here, the page opens on all types
grouping = right.radio("Compare each organisation with", ["type", "all"], horizontal=True, key="funnel_groups",
                       index=0 if by_type.drawable else 1,
                       format_func=lambda g: {"type": "its own organisation type", "all": "all types together"}[g],
                       help="Like with like by default: ambulance trusts' sickness, for example, is structurally "
                            "higher than acute trusts', so each type has its own centre and limits.")
comparison = by_type if grouping == "type" else funnel_from_table(kpi_rows, config, chosen,
                                                                  chosen_types(selection), grouping)
groups = comparison.drawable
if not groups:
    st.info("A funnel plot needs at least three organisations of the same type with figures for this KPI "
            "(choose 'all types together', or England, to compare more)." if grouping == "type" else
            "A funnel plot needs at least three organisations with figures for this KPI for the same month.")
    st.stop()
if grouping == "all" and not by_type.drawable:
    st.caption("No organisation type has three organisations with figures here, so every type is compared "
               "together. Types differ in structure (ambulance trusts' sickness runs higher than acute "
               "trusts'), so read a type's distance from the line with that in mind; choose England to "
               "compare each type with its peers.")
name = st.selectbox("Organisation type", list(groups), key="funnel_group") if len(groups) > 1 else next(iter(groups))
result = groups[name]
centre, flagged, curves = result.centre, result.points, result.curves
denominator = " + ".join(config.measure_by_id[m].label for m in chosen.denominator.measures)
outliers = funnel_outliers_text(flagged, chosen, result.adjusted)
st.altair_chart(funnel_chart(flagged, curves, chosen, f"{chosen.label} ({name})", denominator).properties(
    description=f"Funnel plot of {chosen.label.lower()} by organisation ({name}). {outliers}"), width="stretch")
st.write(f"The line is the rate for the {len(flagged)} organisations of this group together "
         f"({layout.format_kpi(chosen, centre)}); the funnels are the 95% and 99.8% limits, which widen "
         f"as organisations get smaller. {layout.plain(outliers)}")
small = comparison.too_small
left_out = comparison.left_out
st.write(result.plain_text
         + (f" Too few to compare as a group here: {', '.join(small)}." if small else "")
         + (f" Not compared (no figure for {flagged['period'].iloc[0]:%B %Y} yet): {', '.join(left_out)}."
            if left_out else ""))
with st.expander("Every organisation's position, and the method for analysts"):
    st.dataframe(funnel_table(flagged, chosen, denominator), hide_index=True, width="stretch",
                 column_config={denominator: st.column_config.NumberColumn(format="localized")})
    st.caption(result.adjustment_text + " In simulated national months where trusts differ only by chance and "
               "their type's usual spread, about 6% fall outside the 95% limits (docs/methods.md).")
