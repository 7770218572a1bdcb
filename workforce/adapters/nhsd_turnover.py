"""NHS Digital organisation-level turnover file (12-month joiners, leavers and denominators).

'Org code', 'Period' ('202403 to 202503'), optional 'Type' (HC / FTE), 'Staff group', AfC band /
care setting selectors, 'Joiner', 'Leaver', 'Denominator at start of period', 'Denominator at end
of period'; '.' where a figure is not available.
"""

from .base import Adapter, Column

ADAPTER = Adapter(
    name="nhsd_turnover",
    label="NHS Digital organisation turnover (12-month joiners, leavers, denominators)",
    query="stage_nhsd_turnover",
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
    ),
    national=True,
    summary="12-month joiners and leavers with headcount at the start and end of the period",
)
