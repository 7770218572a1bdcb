"""The summary screen's wording: better/worse against target in the KPI's own direction, short readings,
notes and the attention list, on the small fixture whose figures are worked out by hand in test_kpi.py."""

from workforce.base.db import Database
from workforce.ingest.loader import load_files
from workforce.measures.selection import Selection
from workforce.views.summary import board_summary
from workforce.views.summary_view import difference_words, needs_attention, notes, short_reading, verdict_of

from tests.conftest import NURSES, months, write_csv
from tests.meetings_fixtures import build_exception_db


def rows_by_id(db_path, config):
    _, rows = board_summary(Database(db_path), config, Selection(ics="QM7"))
    return {r.kpi.id: r for r in rows}


def test_differences_say_better_or_worse_in_the_kpis_direction(small_db_path, config):
    rows = rows_by_id(small_db_path, config)
    # turnover 19.6% against an 11.0% target: lower is better, so 8.6 points above is worse
    assert verdict_of(rows["turnover_rate_12m"]) == "worse"
    assert difference_words(rows["turnover_rate_12m"]) == "+8.6 pts worse"
    # sickness 150 / 4,000 = 3.75% against 4.5%: lower is better, so 0.75 points below is better
    words = difference_words(rows["sickness_absence_rate"])
    assert words.startswith("−0.") and words.endswith(" pts better")


def test_a_difference_that_rounds_to_nothing_reads_on_target(small_db_path, config):
    """Turnover 19.6% against a target of 19.62%: both show as 19.6%, so the summary, its export and the
    pack read 'on target' (no '±0.0 pts', no '+0.0 pts better'); the bare difference is '0.0 pts'."""
    from dataclasses import replace

    from workforce.base.formatting import format_difference
    from workforce.views.summary import summary_frame

    row = rows_by_id(small_db_path, config)["turnover_rate_12m"]
    latest = replace(row.latest, target=row.latest.value + 0.02, difference=-0.02)
    on_target = replace(row, latest=latest)
    assert latest.difference_text == "0.0 pts" and format_difference(0.3, "gbp") == "£0"
    assert format_difference(-0.04, "percent2") == "−0.04 pts" and format_difference(0.0, "percent1") == "0.0 pts"
    assert (verdict_of(on_target), difference_words(on_target)) == ("on target", "on target")
    assert summary_frame([on_target])["Difference"].tolist() == ["on target"]


def test_short_reading_is_the_first_sentence(small_db_path, config):
    reading = rows_by_id(small_db_path, config)["turnover_rate_12m"].reading
    short = short_reading(reading)
    assert short.startswith("Staff turnover (12-month leaver rate) was 19.6%") and short.endswith(".")
    assert len(short) < len(reading) and reading.startswith(short)
    assert short_reading("Rate was 9.6% in May. It rose.") == "Rate was 9.6% in May."  # a decimal point is no end


def test_notes_name_stale_data_and_commentary(tmp_path, small_db_path, config):
    # the small fixture ends in December 2024 for every KPI: nothing lags its as-at month, whatever today is
    assert "stale data" not in notes(rows_by_id(small_db_path, config)["sickness_absence_rate"])
    # four more months of staff in post and leavers (Jan–Apr 2025), no sickness: the as-at month becomes
    # April 2025 and sickness's December lags it by 30 Apr − 31 Dec = 120 days, past the KPI's 75
    later = tmp_path / "later.duckdb"
    later.write_bytes(small_db_path.read_bytes())
    rows = [[p, org, NURSES, "", "", m, v] for p in months("2025-01", 4)
            for org, m, v in [("RWH", "headcount", 123), ("RWH", "leavers", 2), ("RWG", "headcount", 200),
                              ("RWG", "leavers", 3), ("RN7", "headcount", 80), ("RN7", "leavers", 1)]]
    load_files([write_csv(tmp_path / "later.csv", rows)], config, db_path=later)
    rows = rows_by_id(later, config)
    assert "stale data" in notes(rows["sickness_absence_rate"])
    assert "stale data" not in notes(rows["turnover_rate_12m"])
    row = rows_by_id(small_db_path, config)["sickness_absence_rate"]
    assert notes(row, "current").startswith("commentary")
    assert notes(row, "carried").startswith("open actions")


def test_attention_lists_the_exception_first(tmp_path, small_db_path, config):
    # RWH's nurses lose 90 days a month from May 2024: (90 + 100) / 4,000 = 4.75% against 4.5%
    rows = rows_by_id(build_exception_db(tmp_path, small_db_path, config), config)
    items = needs_attention(list(rows.values()))
    assert [a.kpi_id for a in items] == ["sickness_absence_rate"]
    assert items[0].figure.startswith("4.8% against a 4.5% target (") and items[0].figure.endswith(" worse)")
    assert "special-cause concern" in items[0].reason
    assert needs_attention(list(rows_by_id(small_db_path, config).values())) == []
