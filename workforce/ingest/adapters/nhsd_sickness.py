"""NHS Digital sickness absence rates: organisation level, and the benchmarking files by staff group.

Every layout published since 2014 (docs/formats.md §3): 2022-08 onwards `DATE, …, ICS_CODE, ORG_CODE,
…, FTE_DAYS_LOST, FTE_DAYS_AVAILABLE, SICKNESS_ABSENCE_RATE_PERCENT`; 2014-era `Date (2014-APR),
HEE_region_code, Org Code, FTE Days Sick, FTE Days Available, SA Rate (%)`; the 2018–22 benchmarking
archive `Month, Tm End Date, Org code, …, Staff group, FTE days lost, …`; 2022-04 to 2022-07
benchmarking `DATE, …, CLUSTER_GROUP, BENCHMARK_GROUP, STAFF_GROUP, …`. The published rate is not
stored: the dashboard recomputes it from the days. Blanked (suppressed) days are stored as missing.
"""

from .base import GEOGRAPHY_ALIASES, METADATA_COLUMNS, Adapter, Column, Melt

ADAPTER = Adapter(
    name="nhsd_sickness",
    label="NHS Digital sickness absence rates (organisation level)",
    columns=(
        Column("org_code", ("org_code", "organisation_code")),
        Column("period", ("date", "month", "period", "data_month", "tm_end_date")),
        Column("fte_days_lost", ("fte_days_lost", "fte_days_sick", "fte_days_lost_to_sickness")),
        Column("fte_days_available", ("fte_days_available", "fte_days_avail")),
        Column("staff_group", ("staff_group", "staff_group_1"), required=False),
        Column("geography", GEOGRAPHY_ALIASES, required=False),
        *METADATA_COLUMNS,
    ),
    melts=(Melt("fte_days_lost", "fte_days_lost"), Melt("fte_days_available", "fte_days_available")),
    national=True,
    summary="FTE days lost to sickness and FTE days available by organisation and month",
)
