"""config.yaml is validated at start-up; a mistake is reported with the key and the problem."""

import datetime as dt

import pytest
import yaml

from tests.conftest import ROOT
from workforce.base.config import ConfigError, load_config

DEMO_KPIS = {
    "train": ["applications_clinical_education", "levy_utilisation", "levy_expired",
              "apprenticeship_starts_pct", "local_pipeline_joiners_pct"],
    "retain": ["turnover_rate_12m", "first_year_leaver_rate", "stability_index", "sickness_absence_rate",
               "vacancy_rate", "agency_spend_pct", "staff_engagement", "survey_response_rate",
               "flexible_working_satisfaction"],
}


def write(tmp_path, change):
    data = yaml.safe_load((ROOT / "config.yaml").read_text())
    change(data)
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_demo_config_has_every_kpi(config):
    for priority, ids in DEMO_KPIS.items():
        assert [k.id for k in config.kpis_for(priority)] == ids
    assert {p.label for p in config.plan.priorities} == {"Train", "Retain"}


def test_trajectory_and_membership(config):
    turnover = config.kpi_by_id["turnover_rate_12m"]
    assert turnover.target_at(dt.date(2024, 3, 1)) is None
    assert turnover.target_at(dt.date(2024, 4, 1)) == 11.0
    assert turnover.target_at(dt.date(2026, 3, 1)) == 10.0
    assert turnover.target_at(dt.date(2026, 4, 1)) == 9.5
    assert "RWH" in config.ics_members("QM7", dt.date(2026, 3, 1))
    assert "RWH" not in config.ics_members("QM7", dt.date(2026, 4, 1))
    assert "RWH" in config.ics_members("E54000065", dt.date(2026, 4, 1))
    assert "RQW" in config.ics_members("E54000066", dt.date(2026, 4, 1))


def test_unknown_measure_is_named_with_a_suggestion(tmp_path):
    def change(data):
        data["kpis"][5]["numerator"]["measures"] = ["leaverz"]
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, change))
    assert "turnover_rate_12m" in str(err.value)
    assert "unknown measure 'leaverz'" in str(err.value)
    assert "did you mean 'leavers'" in str(err.value)


def test_bad_value_names_the_key(tmp_path):
    def change(data):
        data["kpis"][8]["improvement_direction"] = "upwards"
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, change))
    assert "kpis[8] (sickness_absence_rate) → improvement_direction" in str(err.value)


@pytest.mark.parametrize("change, words", [
    (lambda d: d["plan"].pop("name"), "plan → name: Field required"),
    (lambda d: d["organisations"][0].update(type="hospital"), "organisations[0] → type"),
    (lambda d: d["organisations"][0]["membership"][0].__setitem__(0, "QZZ"), "unknown ICS 'QZZ'"),
    (lambda d: d["kpis"][0].update(priority="grow"), "unknown priority 'grow'"),
    (lambda d: d["kpis"][1].update(target={"trajectory": [{"from": "2025-04", "value": 1},
                                                           {"from": "2024-04", "value": 2}]}), "date order"),
    (lambda d: d["measures"].append(d["measures"][0]), "'headcount' appears more than once"),
])
def test_other_mistakes(tmp_path, change, words):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, change))
    assert words in str(err.value)


def test_not_yaml_and_missing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("plan: [unclosed")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(bad)
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.yaml")
