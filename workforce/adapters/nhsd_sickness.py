"""NHS Digital sickness absence rates, organisation level (and the benchmarking file by staff group).

2023 onwards: DATE, ORG_CODE, FTE_DAYS_LOST, FTE_DAYS_AVAILABLE, SICKNESS_ABSENCE_RATE_PERCENT
(the benchmarking file adds STAFF_GROUP); older files 'FTE Days Sick', 'FTE Days Available'.
Cells with 330 FTE days available or fewer are blanked by NHS Digital: they are stored as missing.
"""

from .base import GEOGRAPHY_ALIASES, Adapter, Column

ADAPTER = Adapter(
    name="nhsd_sickness",
    label="NHS Digital sickness absence rates (organisation level)",
    query="stage_nhsd_sickness",
    columns=(
        Column("org_code", ("org_code", "organisation_code")),
        Column("period", ("date", "month", "period", "data_month")),
        Column("fte_days_lost", ("fte_days_lost", "fte_days_sick", "fte_days_lost_to_sickness")),
        Column("fte_days_available", ("fte_days_available", "fte_days_avail")),
        Column("staff_group", ("staff_group", "staff_group_1"), required=False),
        Column("geography", GEOGRAPHY_ALIASES, required=False),
    ),
    national=True,
    summary="FTE days lost to sickness and FTE days available by organisation and month",
)
