"""ICS Workforce Dashboard core (never imports Streamlit), in packages by capability.

Dependencies run one way (tests/test_architecture.py holds the rules as data; docs/architecture.md
draws them): base ← signals, ingest, measures ← store ← protect ← views ← meetings; demo and cli sit
on top. The raw KPI engine (measures.kpi) is reached from views, meetings, ui and pages only
through protect (the figures a viewer may see).
"""
