"""Finding 12 (issue 19): commentary lost update. Two editors open the same KPI's commentary; the
first saves; the second's save silently replaced the first's text and actions (only the audit kept
them). A save is refused when the entry changed since it was opened, and both texts are shown."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from workforce.store.records import Store

KPI = "turnover_rate_12m"
SUFFIX = f"{KPI}_ics:QM7_202412"


@pytest.fixture()
def editors(monkeypatch, tmp_path, small_db_path):
    store = tmp_path / "store.sqlite"
    monkeypatch.setenv("WORKFORCE_DB", str(small_db_path))
    monkeypatch.setenv("WORKFORCE_STORE", str(store))
    return store


def opened() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    for key, value in {"kpi": KPI, "ics": "QM7", "period": "2024-12"}.items():
        at.query_params[key] = value
    at.switch_page("pages/board/kpi.py")
    return at.run()


def write(at: AppTest, who: str, text: str, actions: str) -> AppTest:
    at.text_area(key=f"c_what_{SUFFIX}").input(text)
    at.text_area(key=f"c_actions_{SUFFIX}").input(actions)
    at.text_input(key=f"c_who_{SUFFIX}").input(who)
    return at.button(key=f"c_save_{SUFFIX}").click().run()


def shown(at: AppTest) -> str:
    """The page's text as a person reads it (escaping's word joiners and backslashes taken out)."""
    text = "\n".join(str(e.value) for e in list(at.error) + list(at.warning) + list(at.markdown) + list(at.info))
    return text.replace("\u2060", "").replace("\\", "")


def test_12_a_second_editors_save_does_not_silently_replace_the_first(editors):
    first, second = opened(), opened()  # both open the form before either saves
    assert not first.exception and not second.exception
    write(first, "Alice", "Alice: agency spend fell after the rota change", "Alice: review in March")
    assert not first.exception
    after = write(second, "Bob", "Bob: sickness peaked in December", "Bob: wellbeing check-ins")
    assert not after.exception
    stored = Store(editors).commentary_for(KPI, "ics:QM7", dt.date(2024, 12, 1)).current
    assert stored.what_happened.startswith("Alice"), "the first editor's text was replaced"
    assert stored.actions.startswith("Alice")
    said = shown(after)
    assert "Alice: agency spend fell" in said and "Bob: sickness peaked" in said  # both shown to Bob


def test_12_the_store_refuses_a_save_based_on_an_entry_that_has_changed(tmp_path):
    from workforce.store.records import CommentaryConflict

    store, month = Store(tmp_path / "store.sqlite"), dt.date(2024, 12, 1)
    first = store.save_commentary(KPI, "ics:QM7", month, who="Alice", what_happened="Alice's", opened=None)
    with pytest.raises(CommentaryConflict) as refused:  # Bob opened the form before Alice saved
        store.save_commentary(KPI, "ics:QM7", month, who="Bob", what_happened="Bob's", opened=None)
    assert refused.value.current.what_happened == "Alice's"
    second = store.save_commentary(KPI, "ics:QM7", month, who="Bob", what_happened="Bob's, having read Alice's",
                                   opened=first)  # seen, then saved: allowed
    with pytest.raises(CommentaryConflict):
        store.save_commentary(KPI, "ics:QM7", month, who="Alice", what_happened="again", opened=first)
    assert store.commentary_for(KPI, "ics:QM7", month).current == second
    assert len([a for a in store.audit() if a["entity"] == "commentary"]) == 2  # refused saves write nothing


def register_opened() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["ics"] = "QM7"
    at.switch_page("pages/meetings/register.py")
    return at.run()


def change_intervention(at: AppTest, key: str, who: str, **fields) -> AppTest:
    for name, value in fields.items():
        at.text_input(key=f"{key}_{name}").input(value) if name == "label" else \
            at.text_area(key=f"{key}_{name}").input(value)
    at.text_input(key=f"{key}_who").input(who)
    return at.button(key=f"{key}_save").click().run()


def test_a_second_editors_intervention_change_does_not_silently_replace_the_first(editors):
    """The same lost update in the intervention register: Bob's change, made on the intervention as it was
    before Alice saved hers, is refused and said; Alice's stands; Bob saving again then replaces it knowingly."""
    import datetime as dt

    store = Store(editors)
    entry = store.add_intervention(who="Ann", date=dt.date(2024, 10, 1), label="Rota change", description="",
                                   ics="QM7", orgs=[], kpis=[], change_point=False)
    key = f"iv_edit_{entry.id}"
    first, second = register_opened(), register_opened()
    assert not first.exception and not second.exception
    first = change_intervention(first, key, "Alice", label="Rota change (all wards)")
    assert not first.exception and store.get_intervention(entry.id).label == "Rota change (all wards)"
    after = change_intervention(second, key, "Bob", description="Bank staff first")
    assert not after.exception
    assert store.get_intervention(entry.id).label == "Rota change (all wards)", "Alice's change was replaced"
    assert "was changed by Alice" in shown(after)
    again = after.button(key=f"{key}_save").click().run()
    assert not again.exception and store.get_intervention(entry.id).description == "Bank staff first"
