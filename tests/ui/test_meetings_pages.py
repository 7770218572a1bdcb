"""Meetings pages under AppTest: the commentary and intervention forms (markup and very long text),
the summary's commentary marker, and the meeting view's navigation and frozen data."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import NURSES, ROOT, write_csv
from tests.meetings_fixtures import build_exception_db
from workforce.store.records import MAX_TEXT, Store

APP = str(ROOT / "app.py")
MARKUP = "<script>alert(1)</script> <b>bold</b> **stars** [link](https://example.org)"


@pytest.fixture(autouse=True)
def app_env(monkeypatch, small_db_path, tmp_path):
    monkeypatch.setenv("WORKFORCE_DB", str(small_db_path))
    monkeypatch.setenv("WORKFORCE_STORE", str(tmp_path / "store.sqlite"))
    return tmp_path / "store.sqlite"


def run(page: str, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    return at.run()


def html_bodies(at: AppTest) -> list[str]:
    return [h.proto.body for h in at.html]


def no_markup_rendered(at: AppTest) -> None:
    """Markdown that allows HTML never carries user markup unescaped."""
    for m in at.markdown:
        if m.proto.allow_html:
            assert "<script>" not in m.value and "<b>bold</b>" not in m.value
    for body in html_bodies(at):
        assert "<script>" not in body and "<b>bold</b>" not in body


def fill_commentary(at: AppTest, **fields) -> AppTest:
    for name, value in fields.items():
        element = next(e for e in list(at.text_area) + list(at.text_input) if e.key.startswith(f"c_{name}_"))
        element.input(value)
    next(b for b in at.button if b.key.startswith("c_save_")).click()
    return at.run()


def test_commentary_form_keeps_markup_as_plain_text(app_env):
    at = run("pages/board/kpi.py", kpi="turnover_rate_12m")
    assert not at.exception
    assert any("No commentary has been written for December 2024" in t.value for t in at.markdown)
    at = fill_commentary(at, what=MARKUP, why="Pay and conditions", actions="Retention clinics", owner="Chief Nurse",
                         who="Ann Smith")
    assert not at.exception
    assert any(s.value == "Commentary saved." for s in at.success)
    text = " ".join(m.value for m in at.markdown)
    assert "&lt;script&gt;alert\\(1\\)&lt;/script&gt;" in text and "\\*\\*stars\\*\\*" in text
    no_markup_rendered(at)
    saved = Store(app_env).commentary_for("turnover_rate_12m", "ics:QM7", dt.date(2024, 12, 1)).current
    assert saved.what_happened == MARKUP and saved.created_by == "Ann Smith" and saved.owner == "Chief Nurse"
    # the summary marks the KPI, and only that one
    summary = run("pages/board/summary.py")
    retain = next(d.value for d in summary.dataframe if "Stability index" in set(d.value["KPI"]))
    notes = retain.set_index("KPI")["Notes"]
    assert notes["Staff turnover (12-month leaver rate)"].startswith("commentary")
    assert "commentary" not in notes["Stability index"]
    # the board pack is offered for the current filters, built only when clicked
    labels = [b.proto.label for b in summary.get("download_button")]
    assert labels == ["Download board pack (PowerPoint)", "Download board pack (PDF)"]
    link = next(p for p in summary.get("page_link") if p.proto.label == "Open the meeting view")
    assert "ics=QM7" in link.proto.query_string and "exceptions=0" in link.proto.query_string


def test_commentary_form_takes_very_long_text_and_needs_a_name(app_env):
    at = run("pages/board/kpi.py", kpi="agency_spend_pct")
    at = fill_commentary(at, what="Agency spend fell. " * 200)  # no name given
    assert any("who" in e.value for e in at.error)
    assert Store(app_env).version() == 0
    longest = ("A long paragraph of commentary. " * 200)[:MAX_TEXT]
    at = fill_commentary(at, what=longest, who="Ann Smith")
    assert not at.exception and not at.error
    saved = Store(app_env).commentary_for("agency_spend_pct", "ics:QM7", dt.date(2024, 12, 1)).current
    assert len(saved.what_happened) == len(longest.strip())
    area = next(e for e in at.text_area if e.key.startswith("c_what_"))
    assert area.proto.max_chars == MAX_TEXT  # the form itself stops longer text


def test_commentary_typed_while_the_store_is_down_is_kept_for_the_retry(app_env, monkeypatch):
    """PostgreSQL stopped (a cluster): the save's run fails at the page's first read of the store, before the
    form is drawn. The page says so and offers to try again, and the text typed is still in the form when
    the store is back (a run that ends without drawing a widget forgets what was typed in it)."""
    from workforce.base.store_backend import SQLiteBackend, StoreUnavailable

    down = False

    def refused(method):
        def call(self, *args, **kwargs):
            if down:
                raise StoreUnavailable("the store is not answering; nothing was saved or changed. Try again.")
            return method(self, *args, **kwargs)
        return call

    monkeypatch.setattr(SQLiteBackend, "rows", refused(SQLiteBackend.rows))
    monkeypatch.setattr(SQLiteBackend, "transaction", refused(SQLiteBackend.transaction))
    at = run("pages/board/kpi.py", kpi="turnover_rate_12m")
    down = True
    at = fill_commentary(at, what="Typed during the outage", owner="Chief Nurse", who="Ann Smith")
    assert not at.exception and len(at.error) == 1 and "the store is not answering" in at.error[0].value
    assert not [e for e in at.text_area if e.key.startswith("c_what_")]   # the page stopped before the form
    down = False
    at.button(key="store_retry").click().run()
    assert not at.exception and not at.error
    kept = {e.key.split("_")[1]: e.value for e in list(at.text_area) + list(at.text_input) if e.key.startswith("c_")}
    assert (kept["what"], kept["owner"], kept["who"]) == ("Typed during the outage", "Chief Nurse", "Ann Smith")
    next(b for b in at.button if b.key.startswith("c_save_")).click()
    at.run()
    assert any(s.value == "Commentary saved." for s in at.success)
    saved = Store(app_env).commentary_for("turnover_rate_12m", "ics:QM7", dt.date(2024, 12, 1)).current
    assert (saved.what_happened, saved.owner, saved.created_by) == ("Typed during the outage", "Chief Nurse",
                                                                    "Ann Smith")
    assert Store(app_env).version() == 1


def test_intervention_form_draws_the_event_and_rebases(app_env):
    at = run("pages/meetings/register.py")
    assert not at.exception
    at.date_input(key="iv_new_date").set_value(dt.date(2023, 12, 1))
    at.text_input(key="iv_new_label").input("Flexible working <b>bold</b> programme")
    at.text_area(key="iv_new_description").input(MARKUP + " " + "x" * 3000)
    at.multiselect(key="iv_new_kpis").set_value(["sickness_absence_rate"])
    at.checkbox(key="iv_new_change").check()
    at.text_input(key="iv_new_who").input("Ann Smith")
    at.button(key="iv_new_save").click().run()
    assert not at.exception
    assert any(s.value == "Added to the register." for s in at.success)
    register = at.dataframe[0].value
    assert list(register["Label"]) == ["Flexible working <b>bold</b> programme"]  # a dataframe shows text as text
    no_markup_rendered(at)
    kpi = run("pages/board/kpi.py", kpi="sickness_absence_rate")
    text = " ".join(m.value for m in kpi.markdown)
    assert "Flexible working &lt;b&gt;bold&lt;/b&gt; programme" in text
    assert "limits recalculated from Dec 2023" in text
    no_markup_rendered(kpi)
    other = run("pages/board/kpi.py", kpi="agency_spend_pct")
    assert "No interventions or events recorded" in " ".join(c.value for c in other.caption)
    intervention = Store(app_env).interventions()[0]
    assert intervention.created_by == "Ann Smith" and intervention.change_point


def test_meeting_view_moves_between_screens_and_filters_exceptions():
    at = run("pages/meetings/present.py")
    assert not at.exception
    bodies = html_bodies(at)
    assert any("Making Data Count summary" in b for b in bodies)
    assert any("Data as at December 2024" in b and "Screen 1 of 15" in b for b in bodies)
    assert any("frozen when the meeting view opened at" in b for b in bodies)
    at.button(key="present_next").click().run()
    assert any('mv-title">Applications to clinical education<' in b for b in html_bodies(at))
    at.button(key="present_next").click().run()
    at.button(key="present_next").click().run()
    assert at.query_params["screen"] in ("3", ["3"])
    at.button(key="present_previous").click().run()
    assert any('mv-title">Apprenticeship levy utilisation<' in b for b in html_bodies(at))


def test_meeting_view_exceptions_only(monkeypatch, tmp_path, small_db_path, config):
    monkeypatch.setenv("WORKFORCE_DB", str(build_exception_db(tmp_path, small_db_path, config)))
    at = run("pages/meetings/present.py")
    assert any("Screen 1 of 15" in b for b in html_bodies(at))
    assert any('<span class="mv-exc" title="Sickness absence rate">Sickness</span>' in b for b in html_bodies(at))
    at.button(key="present_exceptions").click().run()
    assert any("Screen 1 of 2" in b for b in html_bodies(at))
    assert at.query_params["exceptions"] in ("1", ["1"])
    at.button(key="present_next").click().run()
    bodies = html_bodies(at)
    assert any('mv-title">Sickness absence rate<' in b for b in bodies)
    assert any("Exception: special-cause concern" in b for b in bodies)
    assert any("<b>4.8%</b>target 4.5%" in b for b in bodies)
    assert at.button(key="present_next").disabled
    linked = run("pages/meetings/present.py", exceptions="1")  # the link from the summary page
    assert any("Screen 1 of 2" in b for b in html_bodies(linked))


def test_meeting_view_keeps_its_numbers_when_data_are_loaded(monkeypatch, fresh_db_path, tmp_path, config):
    from workforce.ingest.loader import load_files

    monkeypatch.setenv("WORKFORCE_DB", str(fresh_db_path))
    at = run("pages/meetings/present.py", screen="6")
    figures = next(b for b in html_bodies(at) if "mv-figures" in b)
    assert "Staff turnover" in next(b for b in html_bodies(at) if "mv-title" in b)
    assert "<b>19.6%</b>" in figures
    # a load during the meeting: RWH nurses' December leavers 2 → 40
    change = write_csv(tmp_path / "change.csv", [["2024-12", "RWH", NURSES, "", "", "leavers", 40]])
    load_files([change], config, db_path=fresh_db_path)
    summary = run("pages/board/summary.py")
    retain = next(d.value for d in summary.dataframe if "Stability index" in set(d.value["KPI"]))
    assert retain.set_index("KPI").loc["Staff turnover (12-month leaver rate)", "Value"] != "19.6%"
    at.run()  # the same session, after the load
    assert "<b>19.6%</b>" in next(b for b in html_bodies(at) if "mv-figures" in b)
    assert any("Newer data have been loaded since" in b for b in html_bodies(at))


def test_the_pack_is_built_for_the_viewer_of_the_page_run(app_env, monkeypatch, small_db_path, config):
    """A download button calls its builder after the page's run, where there is no session to ask who is
    viewing — asked there, the answer was the loopback local admin, even for a cluster's network viewer
    (and Streamlit logged 'missing ScriptRunContext'). The builder uses the viewer resolved in the run."""
    import workforce.meetings.pack_file as pack_file
    from ui import meetings
    from workforce.base.db import open_database
    from workforce.meetings.snapshots import SHARED
    from workforce.protect.access import User

    def asked(cfg):
        raise AssertionError("asked who is viewing outside the page's run")

    keys = []
    monkeypatch.setattr(meetings, "current_user", asked)
    monkeypatch.setattr(SHARED, "get", lambda key, build: keys.append(key) or "board")
    monkeypatch.setattr(pack_file, "board_pack", lambda db, cfg, selection, **options: options["board"].encode())
    viewer = User(name="network user", email=None, role="viewer", organisations=("RWH",), signed_in=False)
    build = meetings.pack_builder(open_database(small_db_path), config, None, "scope", False, viewer)
    assert build("pptx") == b"board"
    assert [(k.scope, k.role, k.organisations) for k in keys] == [("scope", "viewer", ("RWH",))]
