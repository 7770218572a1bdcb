"""The scope and differencing rules on the new levels (issue 17): England as every organisation in the
database, NHS England regions, and ICSs config.yaml does not name. Each attack is made through a
public interface by the RWH viewer (config.yaml: ann@nhs.net, limited to RWH) and must fail.

Two databases: the real files in ../shared/data/nhs (every ICS in England, as published), and a small
sickness file made by this project in the real layout (below), where a published ICS of one trust
(R0A) sits in the same region as the plan's: East of England − Central East = RQW and R0A."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

from tests.conftest import ROOT
from tests.security.scope_fixtures import OWN, VIEWER
from workforce.base.config import load_config
from workforce.base.db import Database
from workforce.base.universe import with_reference
from workforce.cli import main as cli
from workforce.ingest.loader import load_files
from workforce.protect.access import refused_aggregates

REAL = ROOT.parent / "shared" / "data" / "nhs"
K = 3  # access.min_other_organisations in config.yaml
HEAD = ("DATE,NHSE_REGION_CODE,NHSE_REGION_NAME,ICS_CODE,ICS_NAME,ORG_CODE,ORG_NAME,ORG_TYPE,FTE_DAYS_LOST,"
        "FTE_DAYS_AVAILABLE,SICKNESS_ABSENCE_RATE_PERCENT\n")
# made by this project in the sickness layout (December 2024): QM7's trusts as config.yaml places them,
# and a one-trust ICS (QXX, "Small ICS") in the same region; each loses 50 of 1,000 FTE days, R0A 60.
# In 2024 the viewer is shown Central East as constituted (QM7 without RQW), not QM7 itself.
SMALL = [("RWH", "QM7"), ("RWG", "QM7"), ("RQW", "QM7"), ("RWR", "QM7"), ("RY4", "QM7"), ("RYC", "QM7"),
         ("R0A", "QXX")]
CENTRAL_EAST = "E54000065"


def cli_json(capsys, *args: str) -> tuple[int, list, str]:
    """Exit status, records and standard error (the scope's notes are written to sys.stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(args), out=out, err=err)
    return code, json.loads(out.getvalue()) if code == 0 else [], err.getvalue() + capsys.readouterr().err


def atoms(sets: dict[str, frozenset], own: set[str]) -> list[set[str]]:
    """The finest groups of organisations (outside `own`) any sum or difference of `sets` can reach,
    worked out here, independently of the project's code."""
    universe = set().union(*sets.values()) - own
    groups: dict[tuple, set[str]] = {}
    for org in universe:
        groups.setdefault(tuple(org in sets[c] for c in sorted(sets)), set()).add(org)
    return list(groups.values())


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("areas")
    rows = "".join(f"31/12/2024,Y61,East of England,{ics},{'Small ICS' if ics == 'QXX' else 'Herts'},{org},"
                   f"Trust {org},Acute,{60 if org == 'R0A' else 50},1000,5.00\n" for org, ics in SMALL)
    source = folder / "sickness.csv"
    source.write_text(HEAD + rows, encoding="utf-8")
    db_path = folder / "small.duckdb"
    load_files([source], load_config(ROOT / "config.yaml"), db_path=db_path)
    return db_path


def test_an_unconfigured_ics_of_one_trust_is_refused(small, capsys):
    code, records, err = cli_json(capsys, "kpis", "--as-user", VIEWER, "--ics", "QXX", "--db", str(small), "--format", "json")
    assert code == 0, err
    assert all(r["value"] is None and r["numerator"] is None for r in records)
    assert "Small ICS is not shown to you" in err


def test_the_region_is_refused_where_it_minus_the_plans_ics_is_two_trusts(small, capsys):
    """East of England − Central East = RQW + R0A: the region, the new level, is refused."""
    code, region, err = cli_json(capsys, "kpis", "--as-user", VIEWER, "--region", "Y61", "--db", str(small),
                                 "--format", "json")
    assert code == 0 and all(r["value"] is None for r in region) and "East of England is not shown to you" in err
    code, ics, _ = cli_json(capsys, "kpis", "--as-user", VIEWER, "--ics", CENTRAL_EAST, "--db", str(small),
                            "--format", "json")
    sickness = {r["kpi"]: r for r in ics}["sickness_absence_rate"]
    assert sickness["value"] == pytest.approx(250 / 5000 * 100)  # the plan's footprint stays visible
    # an administrator sees the region: the attack had something to find
    code, admin, _ = cli_json(capsys, "kpis", "--region", "Y61", "--db", str(small), "--format", "json")
    assert {r["kpi"]: r for r in admin}["sickness_absence_rate"]["value"] == pytest.approx(360 / 7000 * 100)


def test_england_minus_everything_visible_isolates_no_one_in_the_small_database(small):
    config = with_reference(load_config(ROOT / "config.yaml"), Database(small))
    month = dt.date(2024, 12, 1)
    refused = refused_aggregates(config, tuple(OWN), month)
    visible = {c: frozenset(m) for c, m in config.areas_at(month).items() if c not in refused}
    assert all(len(group) >= K for group in atoms(visible, set(OWN)))


@pytest.mark.slow
@pytest.mark.skipif(not (REAL / "sickness").is_dir(), reason="the real NHS files (../shared/data/nhs) are not here")
def test_no_combination_of_the_totals_shown_isolates_fewer_than_k_organisations_on_the_real_files(tmp_path):
    """Every month of the real universe (England, 7 regions, every ICS as published): the totals the
    RWH viewer is shown cut England into groups of at least k organisations besides RWH."""
    config = load_config(ROOT / "config.yaml")
    db_path = tmp_path / "real.duckdb"
    load_files(sorted((REAL / "sickness").glob("*.csv")), config, db_path=db_path)
    universe = with_reference(config, Database(db_path))
    assert len(universe.icss) > 40 and len(universe.regions) == 7
    for month in [dt.date(2024, m, 1) for m in range(4, 13)] + [dt.date(2026, 10, 1)]:
        refused = refused_aggregates(universe, tuple(OWN), month)
        visible = {c: frozenset(m) for c, m in universe.areas_at(month).items() if c not in refused}
        assert "ENG" in visible and len(visible) > 40, month  # the rules refuse little on a national universe
        small = [g for g in atoms(visible, set(OWN)) if len(g) < K]
        assert not small, (month, small)


@pytest.mark.skipif(not (REAL / "sickness").is_dir(), reason="the real NHS files (../shared/data/nhs) are not here")
def test_a_crafted_link_to_an_organisation_outside_config_and_scope_shows_nothing_of_it(tmp_path):
    from workforce.protect.figures import latest_values
    from workforce.protect.scope import resolve
    from workforce.measures.selection import Selection, from_query_params

    config = load_config(ROOT / "config.yaml")
    db_path = tmp_path / "real.duckdb"
    load_files([REAL / "sickness" / "nhs_sickness_absence_2024-12.csv"], config, db_path=db_path)
    db = Database(db_path)
    universe = with_reference(config, db)
    selection, notes = from_query_params({"ics": "QKK", "org": "RJ1"}, universe)
    assert selection.orgs == ("RJ1",) and not notes  # a known organisation: the link is read
    scope = resolve(db, universe, selection, OWN)
    assert "Guy's and St Thomas' NHS Foundation Trust's own figures" in " ".join(scope.notes)
    _, values = latest_values(db, universe, scope)
    rj1 = [r for r in (REAL / "sickness" / "nhs_sickness_absence_2024-12.csv").read_text().splitlines()
           if ",RJ1," in r][0].split(",")
    assert all(v.numerator != pytest.approx(float(rj1[8])) for v in values if v.numerator is not None)
    assert not any(v.denominator == pytest.approx(float(rj1[9])) for v in values if v.denominator is not None)


def test_unknown_area_codes_in_a_link_are_dropped_with_a_note(small):
    from workforce.measures.selection import from_query_params

    config = with_reference(load_config(ROOT / "config.yaml"), Database(small))
    selection, notes = from_query_params({"region": "Y99"}, config)
    assert selection.ics == config.plan.ics and "region 'Y99' is not recognised" in notes[0]


@pytest.fixture(scope="module")
def sparse(tmp_path_factory):
    """The small file with a published ICS of three trusts (QXY) of which only R0D gave figures: R0E
    and R0F are listed with their cells empty, as a publication suppresses them."""
    folder = tmp_path_factory.mktemp("sparse")
    rows = "".join(f"31/12/2024,Y61,East of England,QM7,Herts,{org},Trust {org},Acute,50,1000,5.00\n"
                   for org, ics in SMALL if ics == "QM7")
    rows += "31/12/2024,Y61,East of England,QXY,Sparse ICS,R0D,Trust R0D,Acute,70,1000,7.00\n"
    rows += "".join(f"31/12/2024,Y61,East of England,QXY,Sparse ICS,{org},Trust {org},Acute,,,\n"
                    for org in ("R0E", "R0F"))
    source = folder / "sickness.csv"
    source.write_text(HEAD + rows, encoding="utf-8")
    db_path = folder / "sparse.duckdb"
    load_files([source], load_config(ROOT / "config.yaml"), db_path=db_path)
    return db_path


def test_an_unconfigured_ics_where_one_trust_adds_anything_is_refused_by_what_contributes(sparse, capsys):
    """Sparse ICS has three trusts besides the viewer's (k = 3), so membership alone lets it through;
    but only R0D adds to its sickness figure, which is then R0D's own (70 of 1,000 FTE days). The
    differencing check, on the organisations that actually contribute, must refuse it (without it the
    viewer is shown 7.0%, R0D's own rate); East of England stays refused (by membership)."""
    universe = with_reference(load_config(ROOT / "config.yaml"), Database(sparse))
    month = dt.date(2024, 12, 1)
    assert set(universe.area_members("QXY", month)) == {"R0D", "R0E", "R0F"}
    assert "QXY" not in refused_aggregates(universe, tuple(OWN), month)  # membership passes it
    code, admin, _ = cli_json(capsys, "kpis", "--ics", "QXY", "--db", str(sparse), "--format", "json")
    assert code == 0 and {r["kpi"]: r for r in admin}["sickness_absence_rate"]["value"] == pytest.approx(7.0)
    for area in (("--ics", "QXY"), ("--region", "Y61")):
        code, records, err = cli_json(capsys, "kpis", "--as-user", VIEWER, *area, "--db", str(sparse), "--format",
                                      "json")
        assert code == 0, err
        sickness = {r["kpi"]: r for r in records}["sickness_absence_rate"]
        assert sickness["value"] is None and sickness["numerator"] is None, (area, sickness)


def test_the_differencing_check_on_cells_a_database_has_no_figures_for(small):
    """A real database of sickness files has no staff-group or equality rows: a scoped user's breakdown
    cells are checked against nothing and nothing is refused (this crashed: KeyError in _read_cells)."""
    from workforce.protect.differencing import figures_refused

    db = Database(small)
    universe = with_reference(load_config(ROOT / "config.yaml"), db)
    breakdown = universe.breakdowns[0]
    assert figures_refused(db, universe, tuple(OWN), (None, breakdown.id, breakdown.values[0])) == {}
    assert figures_refused(db, universe, tuple(OWN), (universe.staff_group_names[0], "", "")) == {}
