"""NHS England turnover benchmarking, "Staff group and organisation, monthly": one month per file.

`PERIOD` '202509 to 202510'; long by `TYPE` (Denominator at start / end of period, Leavers,
Joiners) with the counts in `HC` and `FTE`; `STAFF_GROUP_1_NAME` includes 'All staff groups'.
Rows whose count is zero are left out: a type missing for a listed organisation and staff group is
stored as 0. Leavers of a staff group include moves to another staff group, so the organisation's
leavers are its 'All staff groups' row, never the sum of its staff groups. Headcount (HC) is
loaded; the FTE columns are not (the leaver rate uses headcount). Its doctors' group, 'HCHS Doctors
(exc. Resident doctors and equivalents)', is a staff group of its own (config.yaml), never HCHS doctors.
"""

from .base import METADATA_COLUMNS, Adapter, Column, Melt

TYPES = {"denominator at start of period": ("headcount", "start"), "denominator at end of period": ("headcount", "end"),
         "leavers": ("leavers", "spread"), "joiners": ("joiners", "spread")}

ADAPTER = Adapter(
    name="nhsd_turnover_monthly",
    label="NHS England turnover benchmarking, staff group and organisation, monthly",
    columns=(
        Column("org_code", ("reporting_org_code", "org_code", "organisation_code")),
        Column("period", ("period",), help="e.g. 202509 to 202510"),
        Column("type", ("type",), help="Denominator at start of period, Leavers, Joiners …"),
        Column("hc", ("hc", "headcount")),
        Column("fte", ("fte",), required=False),
        Column("staff_group", ("staff_group_1_name", "staff_group_1", "staff_group"), required=False),
        *METADATA_COLUMNS,
    ),
    melts=tuple(Melt("hc", measure, type=kind, place=place) for kind, (measure, place) in TYPES.items()),
    period="range", period_months=1,
    absent_is_zero=True,
    national=True,
    summary="monthly leavers, joiners and headcount at the start and end of the month, by organisation and staff group",
)
