"""NHS Staff Survey organisation results: one row per organisation and survey year.

Scores (0–10) are stored as score × respondents so they add up across organisations; the share
satisfied with flexible working (q4d, %) as a count of respondents; response rate is respondents
÷ eligible staff. The trust-level CSV (`ODS code`) and a sheet of the "detailed spreadsheets"
workbook (headers on row 5) are read by the same description.
"""

from .base import Adapter, Column, Melt

ELEMENTS = (
    ("compassionate_inclusive", ("we_are_compassionate_and_inclusive", "compassionate_and_inclusive")),
    ("recognised_rewarded", ("we_are_recognised_and_rewarded", "recognised_and_rewarded")),
    ("voice_counts", ("we_each_have_a_voice_that_counts", "voice_that_counts")),
    ("safe_healthy", ("we_are_safe_and_healthy", "safe_and_healthy")),
    ("always_learning", ("we_are_always_learning", "always_learning")),
    ("work_flexibly", ("we_work_flexibly", "work_flexibly")),
    ("team", ("we_are_a_team", "team")),
    ("morale", ("morale",)),
)

ADAPTER = Adapter(
    name="staff_survey",
    label="NHS Staff Survey organisation results",
    columns=(
        Column("org_code", ("org_code", "organisation_code", "trust_code", "ods_code", "org_id")),
        Column("year", ("year", "survey_year")),
        Column("respondents", ("respondents", "responses", "number_of_responses", "completed_questionnaires",
                               "n_respondents", "number_of_respondents", "completed")),
        Column("period", ("month",), required=False),
        Column("eligible", ("eligible", "eligible_staff", "staff_eligible", "sample_size", "number_eligible",
                            "eligible_sample"), required=False),
        Column("engagement", ("staff_engagement", "engagement", "staff_engagement_score",
                              "staff_engagement_theme_score"), required=False),
        Column("flexible_pct", ("q4d_satisfied_pct", "q4d", "q4d_pct", "flexible_working_satisfied_pct"),
               required=False),
        *(Column(name, aliases, required=False) for name, aliases in ELEMENTS),
        Column("org_name", ("org_name", "organisation_name", "trust_name"), required=False),
        Column("org_type", ("org_type", "organisation_type", "trust_type", "benchmarking_group"), required=False),
    ),
    melts=(
        Melt("respondents", "survey_respondents"), Melt("eligible", "survey_eligible"),
        Melt("engagement", "survey_engagement_sum", kind="score"),
        Melt("flexible_pct", "survey_flexible_satisfied", kind="percent"),
        *(Melt(name, f"survey_{name}_sum", kind="score") for name, _ in ELEMENTS),
    ),
    period="survey_year",
    national=True,  # results for every organisation: the others are national peers, not errors
    sources={"period": "year"},
    summary="engagement and People Promise scores with respondents, by organisation and survey year",
)
