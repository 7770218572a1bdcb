"""Tools for the issue 19 attacks: open a page of the real app as a signed-in user on the demo, read
everything it sends to the browser (tables, metrics, text and the data behind every chart), and the
attacker's arithmetic on what was shown (whole-number pairs behind a rate, differences of windows).

Nothing here computes a figure the way the product does: the attacks read what was shown, and the
secrets they look for come from the raw per-organisation components (`workforce.kpi.kpi_frame`)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable

import pandas as pd
import pyarrow as pa
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

VIEWER_CLAIMS = {"is_logged_in": True, "email": "ann@nhs.net", "name": "Ann Viewer"}   # viewer, scoped to RWH
ADMIN_CLAIMS = {"is_logged_in": True, "email": "workforce.analytics@example.nhs.uk", "name": "Analyst"}


def signed_in_app(monkeypatch, tmp_path, db_path):
    """Point the app at `db_path` with sign-in on (config.yaml's role rules) and a store of its own
    (its path is returned)."""
    data = yaml.safe_load((ROOT / "config.yaml").read_text())
    data["access"]["sign_in"] = True
    store = tmp_path / "store.sqlite"
    data["database"]["store_path"] = str(store)
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    monkeypatch.setenv("WORKFORCE_CONFIG", str(path))
    monkeypatch.setenv("WORKFORCE_DB", str(db_path))
    monkeypatch.setenv("WORKFORCE_STORE", str(store))
    return store


@pytest.fixture()
def demo_app(monkeypatch, tmp_path, demo_db_path):
    """The app on the demo database with sign-in on (config.yaml's role rules) and its own store."""
    return signed_in_app(monkeypatch, tmp_path, demo_db_path)


def open_page(page: str, user: dict, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.user = user
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    return at.run()


# ---------------------------------------------------------------- what reached the browser
def chart_data(at: AppTest) -> list[tuple[dict, pd.DataFrame]]:
    """(spec, rows) for every dataset of every chart on the page: what the browser receives."""
    out = []
    for element in at.get("vega_lite_chart") + at.get("arrow_vega_lite_chart"):
        proto = element.proto
        spec = json.loads(proto.spec) if proto.spec else {}
        for name, rows in (spec.get("datasets") or {}).items():
            out.append((spec, pd.DataFrame(rows)))
        for dataset in proto.datasets:
            out.append((spec, _arrow(dataset.data.data)))
        if proto.HasField("data") and proto.data.data:
            out.append((spec, _arrow(proto.data.data)))
    return out


def _arrow(raw: bytes) -> pd.DataFrame:
    return pa.ipc.open_stream(pa.py_buffer(raw)).read_pandas()


def tables(at: AppTest) -> list[pd.DataFrame]:
    return [df.value.reset_index() if not isinstance(df.value.index, pd.RangeIndex) else df.value
            for df in at.dataframe]


def page_text(at: AppTest) -> str:
    parts = [str(getattr(e, "value", "")) for e in at.main]
    parts += [str(e.proto) for e in at.get("html")]
    parts += [str(m.value) for m in at.metric]
    return "\n".join(parts)


# ---------------------------------------------------------------- which numbers are counts of people
def people_measures(config) -> set[str]:
    return {m.id for m in config.measures if m.unit == "people"}


def counts_people(config, kpi_id: str, part: str = "numerator") -> bool:
    kpi = config.kpi_by_id[kpi_id]
    component = kpi.numerator if part == "numerator" else kpi.denominator
    return component is not None and config.measure_by_id[component.measures[0]].unit == "people"


def small_counts(values: Iterable) -> list[float]:
    """Counts of 1 to 7 among the values (what disclosure control never shows)."""
    out = []
    for v in values:
        try:
            number = float(v)
        except (TypeError, ValueError):
            continue
        if not math.isnan(number) and 0 < number <= 7:
            out.append(number)
    return out


def decimals_of(value: float) -> int:
    """How many decimals a shown number carries (a full-precision float: about 15)."""
    for places in range(0, 16):
        if abs(round(value, places) - value) <= 1e-9 * max(1.0, abs(value)):
            return places
    return 16


# ---------------------------------------------------------------- the attacker's arithmetic
def pairs_behind(shown_n: float, shown_d: float, rate: float, scale: float, round_to: int = 5,
                 monthly_factor: float = 1.0) -> list[tuple[int, float]]:
    """Every whole-number numerator and half-unit denominator that rounds to the counts shown and
    gives the rate shown at the precision it was shown with (finding 5: a full-precision rate beside
    counts rounded to 5 leaves one pair)."""
    places = decimals_of(rate)
    tolerance = 1e-7 * max(1.0, abs(rate)) if places > 8 else 0.5 * 10 ** -places + 1e-9
    half = round_to / 2
    out = []
    for n in range(max(0, math.ceil(shown_n - half)), math.floor(shown_n + half) + 1):
        d = shown_d - half
        while d <= shown_d + half + 1e-9:
            if d > 0 and abs(n / d * scale * monthly_factor - rate) <= tolerance:
                out.append((n, d))
            d += 0.5
    return out
