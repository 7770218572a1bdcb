"""Statistics that read a series: Making Data Count SPC (spc/: engine, rule profiles, icons,
narrative, charts), funnel plot limits (funnel), year-end forecasts (forecast) and relative
likelihood between groups (likelihood). Pure arithmetic on numbers handed in; no database.

May import: base.
"""
