"""NHS Staff Survey organisation results: one row per organisation and survey year.

Scores (0–10) are stored as score × respondents so they add up across organisations; the share
satisfied with flexible working (q4d, %) as a count of respondents.
"""

from .base import Adapter, Column

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
    query="stage_staff_survey",
    columns=(
        Column("org_code", ("org_code", "organisation_code", "trust_code", "org_id")),
        Column("year", ("year", "survey_year")),
        Column("respondents", ("respondents", "responses", "number_of_responses", "completed_questionnaires",
                               "n_respondents")),
        Column("period", ("month",), required=False),
        Column("eligible", ("eligible", "eligible_staff", "staff_eligible", "sample_size"), required=False),
        Column("engagement", ("staff_engagement", "engagement", "staff_engagement_score"), required=False),
        Column("flexible_pct", ("q4d_satisfied_pct", "q4d", "q4d_pct", "flexible_working_satisfied_pct"),
               required=False),
        *(Column(name, aliases, required=False) for name, aliases in ELEMENTS),
    ),
    sources={"period": "year"},
    summary="engagement and People Promise scores with respondents, by organisation and survey year",
)
