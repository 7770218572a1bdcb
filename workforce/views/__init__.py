"""What each screen, download and the board shows, built from protected figures: summary and
summary_view (the board summary and its words), detail (one KPI: chart, breakdowns, forecast),
compare and peers (organisations side by side, funnel plots), quality (data quality), board (the
board for the meeting view and pack), charts, export (CSV/Excel/PNG/SVG), audit (the audit log).

May import: base, signals, ingest, store, protect, measures.selection, measures.figure — not measures.kpi (figures
come through protect).
"""
