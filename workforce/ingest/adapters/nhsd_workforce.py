"""NHS Digital monthly workforce statistics (HCHS staff in post): FTE and headcount.

Core 1 (`DATA_LEVEL`, `MAIN_STAFF_GROUP`, `STAFF_GROUP_1`, FTE, HEADCOUNT: England, region and ICS
aggregate rows skipped), Core 5 (non-medical staff by `STAFF_GROUP_2`, `CARE_SETTING`, `LEVEL`,
`GRADE`: the rows are added up to the staff group) and older files ('Date', 'Org code', 'Staff
Group 1', 'Total FTE', 'AfC Band' …). Headcount is not added over finer rows (a person with two
roles would count twice): it is loaded only from files with one row per staff group.
"""

from .base import GEOGRAPHY_ALIASES, METADATA_COLUMNS, Adapter, Column, Melt

DETAIL = ("staff_group_2", "care_setting", "seniority_level", "afc_band", "grade", "job_role", "area_of_work")

ADAPTER = Adapter(
    name="nhsd_workforce",
    label="NHS Digital monthly workforce statistics (organisation level)",
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
        Column("grade", ("grade",), required=False),
        Column("job_role", ("job_role",), required=False),
        Column("area_of_work", ("area_of_work",), required=False),
        *METADATA_COLUMNS,
    ),
    melts=(Melt("fte", "fte"), Melt("headcount", "headcount")),
    one_of=(("fte", "headcount"),),
    detail=DETAIL,
    national=True,
    summary="staff in post FTE and headcount by organisation, staff group and month",
)


def has_detail(present: list[str]) -> bool:
    return ADAPTER.has_detail(present)
