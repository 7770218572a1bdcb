"""Board-paper formats: one money style at every size, plurals, UK dates; the comparison heatmap keeps
whole organisation names and shows the SPC signal as a glyph (readable on a projector and in print)."""

import datetime as dt
import re

import pandas as pd
import pytest

from workforce.views.charts import heatmap
from workforce.base.formatting import as_displayed, format_gbp, plural, uk_date, uk_datetime


@pytest.mark.parametrize("value, text", [
    (0, "£0"), (840, "£840"), (999.4, "£999"), (999.6, "£1.0k"), (8_440, "£8.4k"), (9_960, "£10k"),
    (125_400, "£125k"), (999_960, "£1.0m"), (1_234_567, "£1.2m"), (2_500_000_000, "£2.5bn"), (-8_440, "-£8.4k"),
])
def test_money_has_one_style_at_every_size(value, text):
    assert format_gbp(value) == text
    # the value as displayed reads back to the same text (target comparisons agree with the screen)
    assert format_gbp(as_displayed(value, "gbp")) == text


def test_plurals_and_dates():
    assert plural(1, "file") == "1 file" and plural(3, "file") == "3 files"
    assert plural(1_149_438, "row") == "1,149,438 rows"
    assert plural(2, "entry", "entries") == "2 entries"
    assert uk_date(dt.date(2026, 11, 5)) == "5 Nov 2026"
    assert uk_datetime(dt.datetime(2026, 11, 5, 14, 5)) == "5 Nov 2026, 14:05"


def test_heatmap_keeps_whole_names_and_draws_the_signal():
    name = "Hertfordshire Partnership University NHS Foundation Trust"
    frame = pd.DataFrame({"short_label": ["Sickness", "Sickness"], "label": ["Sickness absence rate"] * 2,
                          "organisation": [name, "Short Trust"], "value_text": ["6.1%", "3.0%"],
                          "performance": ["misses target", "meets target"], "variation": ["", ""],
                          "assurance": ["", ""], "variation_icon": ["concern_high", "common_cause"]})
    spec = heatmap(frame, ["Sickness"], [name, "Short Trust"]).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert [r["org_label"].replace("\n", " ").strip() for r in rows] == [name, "Short Trust"]  # wrapped, not cut
    assert [(r["glyph"], r["glyph_colour"]) for r in rows] == [("H", "#B34A00"), ("", "")]  # concern: dark orange H
    assert spec["layer"][0]["encoding"]["y"]["axis"]["labelLimit"] == 0


def test_heatmap_says_meets_or_misses_in_a_mark_not_colour_alone():
    import vl_convert as vlc

    frame = pd.DataFrame({"short_label": ["Sickness"] * 3, "label": ["Sickness absence rate"] * 3,
                          "organisation": ["A Trust", "B Trust", "C Trust"], "value_text": ["6.1%", "3.0%", "4.0%"],
                          "performance": ["misses target", "meets target", "no target"], "variation": [""] * 3,
                          "assurance": [""] * 3, "variation_icon": ["concern_high", None, None]})
    svg = vlc.vegalite_to_svg(heatmap(frame, ["Sickness"], ["A Trust", "B Trust", "C Trust"]).properties(
        width=300).to_dict())
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert {"6.1% ✗", "3.0% ✓", "4.0%"} <= set(texts)  # in black: 6.5:1 on MDC orange, 8.5:1 on MDC blue
    assert {"meets target ✓", "misses target ✗", "no target"} <= set(texts)  # the legend says the same


def test_downloads_are_labelled_for_people(small_db_path, config):
    from workforce.base.db import Database
    from workforce.views.detail import breakdowns, export_tables, kpi_view
    from workforce.views.export import for_people
    from workforce.base.formatting import code_words
    from workforce.measures.selection import Selection

    kpi = config.kpi_by_id["sickness_absence_rate"]
    selection = Selection(ics="QM7", orgs=("RWH",))
    db = Database(small_db_path)
    view = kpi_view(db, config, kpi, selection)
    sheets = for_people(export_tables(kpi, view, breakdowns(db, config, kpi, view), config), kpi,
                        config, "Hertfordshire and West Essex — East and North Hertfordshire Teaching NHS Trust")
    series = sheets["Series"]
    assert list(series.columns[:8]) == [
        "KPI", "Where", "Month", "Sickness absence rate (%)", "Exact value", "Target",
        "Numerator: FTE days lost to sickness (FTE days)", "Denominator: FTE days available (FTE days)"]
    last = series.iloc[-1]
    # RWH's nurses: 50 FTE days lost of 1,000 available in December 2024 = 5.0%, against the 4.5% target
    assert (last["Month"], last["Sickness absence rate (%)"], last["Target"]) == ("Dec 2024", 5.0, 4.5)
    assert (last["Numerator: FTE days lost to sickness (FTE days)"],
            last["Denominator: FTE days available (FTE days)"]) == (50.0, 1000.0)
    assert not any("_" in column for sheet in sheets.values() for column in sheet.columns)
    assert set(series["SPC signal"]) <= {"Common cause", "Special cause: improvement", "Special cause: concern",
                                         "Special cause: neutral high", "Special cause: neutral low", ""}
    assert code_words("special_cause_improvement") == "Special cause: improvement"


def test_audit_details_read_as_words_not_json():
    from workforce.views.audit import audit_table, readable_details

    added = '{"id": 1, "event_date": "2023-10-01", "kpis": "levy_expired", "label": "Levy pooling", "change_point": 1}'
    assert readable_details(None, added) == "Date: 1 Oct 2023; KPIs: levy_expired; Label: Levy pooling; Change point: yes"
    assert readable_details(added, added.replace("Levy pooling", "ICS levy pooling")) == \
        "Label: Levy pooling → ICS levy pooling"
    # lists of codes read with a space after each comma; text people wrote stays exactly as written
    written = '{"orgs": "RWH,RWG", "description": "Recruited 1,200 nurses, mostly local"}'
    assert readable_details(None, written) == \
        "Organisations: RWH, RWG; Description: Recruited 1,200 nurses, mostly local"
    log = pd.DataFrame({"when": [pd.Timestamp("2026-11-05 14:05")], "who": ["ann@nhs.net"], "action": ["add"],
                        "what": ["intervention 1"], "details": [readable_details(None, added)]})
    table = audit_table(log, {"levy_expired": "Levy funds expired"})
    assert table.columns.tolist() == ["When", "Who", "Action", "What", "Details"]
    assert table.iloc[0].tolist() == ["5 Nov 2026, 14:05", "ann@nhs.net", "Intervention added", "Intervention 1",
                                      "Date: 1 Oct 2023; KPIs: Levy funds expired; Label: Levy pooling; Change point: yes"]


def test_heatmap_names_sit_level_with_their_rows():
    """38-px rows: the one-line name's middle at its row's middle (19); the two-line name (14-px lines) lifted
    by half a line so the pair straddles its row's middle (57): baselines about 4 px below each line's middle."""
    import vl_convert as vlc

    name = "Hertfordshire Partnership University NHS Foundation Trust"
    frame = pd.DataFrame({"short_label": ["Sickness"] * 2, "label": ["Sickness absence rate"] * 2,
                          "organisation": ["Short Trust", name], "value_text": ["3.0%", "6.1%"],
                          "performance": ["meets target", "misses target"], "variation": [""] * 2,
                          "assurance": [""] * 2, "variation_icon": [None, None]})
    svg = vlc.vegalite_to_svg(heatmap(frame, ["Sickness"], ["Short Trust", name]).properties(width=300).to_dict())
    axis = svg[svg.index('aria-label="Y-axis'):]
    baselines = [float(y) for y in re.findall(r'<text text-anchor="end" transform="translate\(-?[\d.]+,([\d.]+)\)',
                                              axis)]
    assert len(baselines) == 2
    assert 19 <= baselines[0] <= 19 + 5  # one line: its middle on the row's
    assert 57 - 7 <= baselines[1] <= 57 - 7 + 5  # the first of two lines half a line above the row's middle
