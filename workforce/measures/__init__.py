"""KPIs from summed components: kpi is the RAW engine (kpi_frame and the latest figure of a
series: every rate a ratio of sums, for any organisations and months asked, with no regard to who
is looking); selection is what a view asks for (ICS, organisations, type, staff group, month) and
its URL form.

May import: base. The raw engine (measures.kpi) may be imported only by measures, protect, cli
(until it goes through protect too), demo and tests: everything shown to a person gets its figures
from protect.
"""
