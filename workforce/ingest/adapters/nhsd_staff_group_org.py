"""NHS Digital monthly workforce statistics, the older "Staff Group and Organisation" CSV.

`Date, NHSE_Region_Code, …, Org Code, Org Name, Cluster Group, Benchmark Group, Staff Group Sort
Order, Staff Group, Data Type, Total`: long by `Data Type` (FTE, HC) with the figure in `Total`; one
file holds the whole monthly history. `Staff Group` holds `Total` (the organisation: loaded as 'All
staff groups', its headcount counting a person with two roles once), the main staff groups
(skipped: subtotals), the staff groups, and doctors' grades (skipped: part of HCHS doctors).
"""

from .base import METADATA_COLUMNS, Adapter, Column, Melt

ADAPTER = Adapter(
    name="nhsd_staff_group_org",
    label="NHS Digital workforce statistics, Staff Group and Organisation (long by Data Type)",
    columns=(
        Column("org_code", ("org_code", "organisation_code")),
        Column("period", ("date", "month", "period")),
        Column("staff_group", ("staff_group", "staff_group_1")),
        Column("type", ("data_type",), help="FTE or HC"),
        Column("total", ("total", "value")),
        *METADATA_COLUMNS,
    ),
    melts=(Melt("total", "fte", type="fte"), Melt("total", "headcount", type="hc")),
    national=True,
    summary="staff in post FTE and headcount by organisation, staff group and month (long by data type)",
)
