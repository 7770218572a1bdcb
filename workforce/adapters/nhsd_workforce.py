"""NHS Digital monthly workforce statistics, organisation level: staff in post FTE and headcount.

Older files: 'Date', 'Org code', 'Main Staff Group', 'Staff Group 1' (values such as
'005_Nurses & health visitors'), 'Total FTE', often with finer columns (Staff Group 2, Care
Setting, Level, AfC Band) whose FTE is added up to the staff group. 2025 CSV pack: ORG_CODE,
MAIN_STAFF_GROUP, STAFF_GROUP_1, DATA_MONTH, FTE.
"""

from .base import GEOGRAPHY_ALIASES, Adapter, Column

DETAIL = ("staff_group_2", "care_setting", "seniority_level", "afc_band", "job_role", "area_of_work")

ADAPTER = Adapter(
    name="nhsd_workforce",
    label="NHS Digital monthly workforce statistics (organisation level)",
    query="stage_nhsd_workforce",
    columns=(
        Column("org_code", ("org_code", "organisation_code")),
        Column("staff_group", ("staff_group_1", "staff_group")),
        Column("period", ("date", "data_month", "month", "period", "effective_snapshot_date", "snapshot_date")),
        Column("fte", ("total_fte", "fte", "fte_total", "staff_in_post_fte"), required=False),
        Column("headcount", ("headcount", "total_headcount", "hc", "headcount_total", "staff_in_post_headcount"),
               required=False),
        Column("geography", GEOGRAPHY_ALIASES, required=False),
        Column("staff_group_2", ("staff_group_2",), required=False),
        Column("care_setting", ("care_setting",), required=False),
        Column("seniority_level", ("level",), required=False),
        Column("afc_band", ("afc_band", "agenda_for_change_band"), required=False),
        Column("job_role", ("job_role",), required=False),
        Column("area_of_work", ("area_of_work",), required=False),
    ),
    one_of=(("fte", "headcount"),),
    national=True,
    summary="staff in post FTE and headcount by organisation, staff group and month",
)


def has_detail(present: list[str]) -> bool:
    return any(c in present for c in DETAIL)
