"""The floor for browser benchmarks: a bare Streamlit page with a title and one Altair chart.

bench_browser.py serves it beside the dashboard (same Streamlit, same .streamlit/config.toml) and
reports every page's time to a settled page as a ratio to this one, measured in the same run.
"""

import altair as alt
import pandas as pd
import streamlit as st

st.title("Bare page")
frame = pd.DataFrame({"x": range(100), "y": [i % 7 for i in range(100)]})
st.altair_chart(alt.Chart(frame).mark_line().encode(x="x:Q", y="y:Q"), width="stretch")
