"""queries/ stays readable: foldered by capability, at most 25 files a folder, no numbered siblings."""

import re

from tests.conftest import ROOT

QUERIES = ROOT / "queries"
MOST_FILES = 25
TOP_FOLDERS = {"schema", "macros", "base", "measures", "protect", "views", "ingest", "store", "benchmarks"}
# these run in file order (the schema, then macros that use each other): an ordering prefix is their point
ORDERED = {QUERIES / "schema", QUERIES / "macros", QUERIES / "store" / "schema"}
ORDER_PREFIX = re.compile(r"^\d+_")
TRAILING_NUMBER = re.compile(r"^(.*?)_?\d+$")


def folders():
    return [QUERIES, *sorted(p for p in QUERIES.rglob("*") if p.is_dir())]


def test_every_query_sits_in_a_folder_of_its_capability():
    assert not list(QUERIES.glob("*.sql")), "put the query in the folder of the package that runs it"
    assert {p.name for p in QUERIES.iterdir() if p.is_dir()} <= TOP_FOLDERS


def test_no_folder_holds_more_than_25_files():
    crowded = {str(f.relative_to(ROOT)): n for f in folders() if (n := sum(p.is_file() for p in f.iterdir())) > MOST_FILES}
    assert crowded == {}, "split these folders by what their queries do"


def test_no_numbered_siblings():
    """A sequence of steps is named steps (or one statement), not name_1 … name_5; folders whose files
    run in order keep an ordering prefix."""
    numbered = []
    for folder in folders():
        for path in sorted(folder.glob("*.sql")):
            stem = path.stem
            if folder in ORDERED:
                assert ORDER_PREFIX.match(stem), f"{path.relative_to(ROOT)}: files here run in order: NN_name"
                stem = ORDER_PREFIX.sub("", stem)
            if TRAILING_NUMBER.match(stem) or ORDER_PREFIX.match(stem):
                numbered.append(str(path.relative_to(ROOT)))
    assert numbered == []


def test_a_query_header_names_it_as_it_is_called():
    """The header starts with the name Database.query takes: the path in queries/, e.g. 'views/quality_latest:'."""
    wrong = [str(p.relative_to(ROOT)) for p in QUERIES.rglob("*.sql")
             if not p.read_text(encoding="utf-8").startswith(f"-- {p.relative_to(QUERIES).with_suffix('').as_posix()}:")]
    assert wrong == []
