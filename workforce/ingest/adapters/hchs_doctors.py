"""HCHS workforce statistics Core 3: medical staff by grade and specialty, with no all-grades row.

`SPECIALTY_GROUP, SPECIALTY, STAFF_GROUP_1 ('HCHS doctors - Consultant'), GRADE, FTE, HEADCOUNT`:
every row is a part of the organisation's HCHS doctors, so FTE is the sum of the rows. Headcount
is not added up (a doctor in two specialties would count twice) and is skipped with that reason.
"""

from .base import GEOGRAPHY_ALIASES, METADATA_COLUMNS, Adapter, Column, Melt

ADAPTER = Adapter(
    name="hchs_doctors",
    label="HCHS workforce statistics, doctors by grade and specialty (Core 3)",
    columns=(
        Column("org_code", ("org_code", "organisation_code")),
        Column("period", ("data_month", "date", "month", "period")),
        Column("specialty", ("specialty",)),
        Column("grade", ("grade",)),
        Column("fte", ("fte", "total_fte"), required=False),
        Column("headcount", ("headcount", "hc"), required=False),
        Column("specialty_group", ("specialty_group",), required=False),
        Column("grade_group", ("staff_group_1",), required=False),
        Column("geography", GEOGRAPHY_ALIASES, required=False),
        *METADATA_COLUMNS,
    ),
    melts=(Melt("fte", "fte"), Melt("headcount", "headcount")),
    one_of=(("fte", "headcount"),),
    detail=("specialty_group", "specialty", "grade_group", "grade"),
    staff_group="HCHS doctors",
    national=True,
    summary="doctors' FTE by organisation and month, added up over grades and specialties",
)
