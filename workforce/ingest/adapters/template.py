"""The project's long template: one row per additive component (CSV or XLSX)."""

from .base import Adapter, Column

ADAPTER = Adapter(
    name="template",
    label="the dashboard's long template",
    query="ingest/stage/stage_csv",
    columns=(
        Column("period", ("period",), help="month, YYYY-MM"),
        Column("org_code", ("org_code",), help="ODS code, e.g. RWH"),
        Column("staff_group", ("staff_group",), help="a staff group in config.yaml, or 'All staff groups'"),
        Column("breakdown", ("breakdown",), required=False, help="'' for totals, or ethnicity / sex / age_band / disability"),
        Column("breakdown_value", ("breakdown_value",), required=False, help="a value of the breakdown"),
        Column("measure", ("measure",), help="a measure id in config.yaml"),
        Column("value", ("value",), help="a number; blank, *, . for missing"),
    ),
    summary="one row per month, organisation, staff group, breakdown and measure",
)
