"""Relative likelihood with its direction and a 95% Katz interval, worked by hand."""

from __future__ import annotations

import math

import pytest

from workforce.protect.breakdowns import by_equality_group
from workforce.views.detail import breakdown_display, kpi_view, likelihood_sentences
from workforce.signals.likelihood import katz_interval, sentence, staff_words
from workforce.measures.selection import Selection


def test_katz_interval_by_hand():
    """30 of 200 against 40 of 600: RR = 0.15 / 0.0667 = 2.25; SE(ln RR) = √(1/30 − 1/200 + 1/40
    − 1/600) = √0.0516667 = 0.227303; e^(±1.96 × 0.227303) = 1.561272 / 0.640503 →
    1.4411 to 3.5129."""
    ratio, low, high = katz_interval(30, 200, 40, 600)
    assert ratio == pytest.approx(2.25)
    assert low == pytest.approx(1.4411, abs=1e-3) and high == pytest.approx(3.5129, abs=1e-3)


def test_no_interval_without_events():
    assert katz_interval(0, 100, 5, 100) is None and katz_interval(5, 100, 0, 100) is None


def test_sentence_states_the_direction():
    text = sentence("BME (all minority ethnic groups)", "White", "ethnicity", 1.9, (1.52, 2.37),
                    "leavers", "Staff turnover rate (12 months)")
    assert text == "BME staff were 1.90 times as likely to leave as White staff (95% CI 1.52 to 2.37)."
    assert sentence("Male", "Female", "sex", 0.8, None, "fte_days_lost", "Sickness absence rate",
                    "no interval: not counts of people") == (
        "The sickness absence rate for Male staff was 0.80 times that for Female staff "
        "(no interval: not counts of people).")
    assert staff_words("Under 25", "age_band") == "staff aged under 25"
    assert staff_words("Not disabled", "disability") == "non-disabled staff"
    assert staff_words("Not stated", "ethnicity") == "staff whose ethnicity is not stated"


def test_equality_breakdown_carries_interval_and_sentence(small_db, config):
    """RWH nurses at December 2024 (tests/conftest.py): Asian or Asian British 12 leavers over a mean
    headcount of 30, White 12 over (81 + 93)/2 = 87. A breakdown cell is published from its counts as
    shown (rounded to 5: workforce.protect.precision), so Asian 10 of 30, White 10 of 85:
    RR = (10/30) / (10/85) = 2.8333; SE = √(1/10 − 1/30 + 1/10 − 1/85) = 0.393576;
    e^(1.959964 × SE) = 2.162669 → 1.310 to 6.128."""
    turnover = config.kpi_by_id["turnover_rate_12m"]
    selection = Selection(ics="QM7", orgs=("RWH",))
    view = kpi_view(small_db, config, turnover, selection)
    eth = by_equality_group(small_db, config, turnover, view.scope, view.month, "ethnicity")
    asian = eth.set_index("group").loc["Asian or Asian British"]
    assert asian["relative_likelihood"] == 2.83  # published at two decimals
    assert asian["rl_lower95"] == 1.31 and asian["rl_upper95"] == 6.13
    assert asian["rl_text"] == ("Asian or Asian British staff were 2.83 times as likely to leave as White staff "
                                "(95% CI 1.31 to 6.13).")
    eth["label"], eth["value_text"] = eth["group"], ""
    screen = breakdown_display(eth, turnover, config, "ethnicity").set_index("Ethnicity")
    cell = screen.loc["Asian or Asian British", "Relative likelihood vs White (95% CI)"]
    assert cell == "2.83 (1.31–6.13)"
    assert all("times as likely to leave as White staff" in t for t in likelihood_sentences(eth, turnover, config))
    assert not math.isnan(eth.set_index("group").loc["White", "relative_likelihood"])
