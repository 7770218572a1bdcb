"""The first start builds the demo database and says so: the status box's body holds the words and the
build's progress from the start (it was empty while the build held the interpreter)."""

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def test_first_run_builds_the_demo_and_the_status_box_says_what_is_happening(monkeypatch, tmp_path):
    db_path = tmp_path / "first" / "workforce.duckdb"
    db_path.parent.mkdir()
    monkeypatch.setenv("WORKFORCE_DB", str(db_path))
    monkeypatch.setenv("WORKFORCE_STORE", str(tmp_path / "first" / "store.sqlite"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    assert not at.exception and db_path.exists()
    box = next(e for e in at.get("status") if e.label == "Demo database built")
    words = [m.value for m in box.markdown]
    assert words and words[0].startswith("Generating five years of synthetic workforce data")
    assert at.title[0].value.startswith("ICS Workforce Transformation Plan")  # then the summary opens
