"""Disclosure control on breakdowns: worked by hand, applied identically on screen and in downloads."""

import pandas as pd
import pytest

from workforce.protect import disclosure
from workforce.protect.breakdowns import by_equality_group, published
from workforce.views.detail import breakdown_display, export_tables, kpi_view
from workforce.measures.selection import Selection


def frame(rows):
    return pd.DataFrame(rows, columns=["label", "numerator", "denominator", "value"]).assign(
        group=lambda f: f["label"], value_text=lambda f: [f"{v:.1f}%" for v in f["value"]])


def test_small_counts_and_small_denominators_are_hidden(config):
    turnover = config.kpi_by_id["turnover_rate_12m"]
    out = disclosure.apply(frame([["A", 3, 50, 6.0], ["B", 40, 200, 20.0], ["C", 12, 100, 12.0],
                                  ["D", 20, 15, 133.3]]), turnover, config.disclosure)
    assert out["suppressed"].tolist() == [True, False, False, True]
    assert out["suppression_reason"].tolist()[0] == "fewer than 8 people"
    assert out["suppression_reason"].tolist()[3] == "denominator too small"
    shown = published(out, config, turnover)
    assert shown["numerator"].tolist()[1:3] == [40, 10]   # 12 rounds to 10
    assert shown["denominator"].tolist()[1:3] == [200, 100]
    assert shown["value"].isna().tolist() == [True, False, False, True]


def test_a_lone_hidden_cell_takes_the_next_smallest_with_it(config):
    turnover = config.kpi_by_id["turnover_rate_12m"]
    out = disclosure.apply(frame([["A", 3, 50, 6.0], ["B", 40, 200, 20.0], ["C", 12, 100, 12.0]]),
                           turnover, config.disclosure)
    assert out["suppressed"].tolist() == [True, False, True]
    assert "cannot be worked out from the total" in out["suppression_reason"].iloc[2]


def test_sickness_uses_the_330_days_rule(config):
    sickness = config.kpi_by_id["sickness_absence_rate"]
    out = disclosure.apply(frame([["A", 20, 330, 6.1], ["B", 20, 331, 6.0], ["C", 50, 1000, 5.0]]), sickness,
                           config.disclosure, counts_are_people=False)
    assert out["suppression_reason"].iloc[0] == "denominator too small"   # 330 days: hidden
    assert "worked out from the total" in out["suppression_reason"].iloc[1]  # 331 days: only protects A
    assert not out["suppressed"].iloc[2]


def test_counts_shown_as_boards_see_them(config):
    rules = config.disclosure
    assert [disclosure.shown_count(v, rules) for v in (0, 1, 7, 8, 12, 13, 1234)] == \
        ["0", "*", "*", "10", "10", "15", "1,235"]


def test_equality_breakdown_screen_and_download_agree(small_db, config):
    turnover = config.kpi_by_id["turnover_rate_12m"]
    selection = Selection(ics="QM7", orgs=("RWH",))
    view = kpi_view(small_db, config, turnover, selection)
    eth = by_equality_group(small_db, config, turnover, view.scope, view.month, "ethnicity")
    eth["label"] = eth["group"]
    eth["value_text"] = [f"{v:.1f}%" for v in eth["value"]]
    rows = eth.set_index("group")
    # from the counts as shown (workforce.protect.precision): Asian 10 of 30, White 10 of 85
    assert rows.loc["Asian or Asian British", "relative_likelihood"] == round((10 / 30) / (10 / 85), 2)
    screen = breakdown_display(eth, turnover, config, "ethnicity").set_index("Ethnicity")
    assert screen.loc["White", "Leavers from the organisation"] == "10"          # 12 → 10
    assert screen.loc["White", "Headcount (staff in post)"] == "85"              # 87 → 85
    download = export_tables(turnover, view, {"ethnicity": eth}, config)["By ethnicity"].set_index("ethnicity")
    assert download.loc["White", "numerator"] == 10 and download.loc["White", "denominator"] == 85
