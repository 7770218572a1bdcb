"""NHS Digital turnover, annual organisation workbook (sheet `Grade`): 12-month joiners, leavers and
denominators by organisation, `Period` '202203 to 202303', `Type` HC / FTE, selectors (care
setting, AfC band …) whose 'All …' rows are loaded; '.' where a figure is not available.
"""

from .base import METADATA_COLUMNS, Adapter, Column, Melt

ADAPTER = Adapter(
    name="nhsd_turnover",
    label="NHS Digital organisation turnover (12-month joiners, leavers, denominators)",
    columns=(
        Column("org_code", ("org_code", "organisation_code")),
        Column("period", ("period",), help="e.g. 202403 to 202503"),
        Column("leavers", ("leaver", "leavers")),
        Column("joiners", ("joiner", "joiners"), required=False),
        Column("headcount_start", ("denominator_at_start_of_period", "denominator_start"), required=False),
        Column("headcount_end", ("denominator_at_end_of_period", "denominator_end"), required=False),
        Column("type", ("type", "measure_type"), required=False),
        Column("staff_group", ("staff_group", "staff_group_1"), required=False),
        Column("care_setting", ("care_setting",), required=False),
        Column("afc_band", ("afc_band",), required=False),
        Column("grade", ("grade",), required=False),
        Column("age_band", ("age_band", "age_group"), required=False),
        Column("nationality", ("nationality",), required=False),
        *METADATA_COLUMNS,
    ),
    melts=(
        Melt("headcount_start", "headcount", type="hc", place="start"),
        Melt("headcount_end", "headcount", type="hc", place="end"),
        Melt("leavers", "leavers", type="hc", place="spread"),
        Melt("joiners", "joiners", type="hc", place="spread"),
    ),
    period="range", period_months=12,
    selectors=("care_setting", "afc_band", "grade", "age_band", "nationality"),
    type_skips={"fte": "FTE figures (the leaver rate uses headcount: the HC rows are loaded)"},
    national=True,
    summary="12-month joiners and leavers with headcount at the start and end of the period",
)
