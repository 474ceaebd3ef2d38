"""Settings: defaults, environment overrides, type errors, and the README table listing every key."""

import re
from pathlib import Path

import pytest

from config.settings import SETTINGS, ConfigError, es_url, load_settings, redacted, uses_local_node

README = Path(__file__).resolve().parents[2] / "README.md"


def test_defaults_without_environment():
    values = load_settings(env={})
    assert values["INDEX_PREFIX"] == "jobmatch-"
    assert values["ES_PORT"] == 9200
    assert values["STARTUP_CHECKS"] is True
    assert es_url(values) == "http://127.0.0.1:9200"
    assert uses_local_node(values)


def test_environment_overrides_and_types():
    values = load_settings(env={"ES_PORT": "9301", "STARTUP_CHECKS": "false", "ES_REQUEST_TIMEOUT": "2.5",
                                "ES_URL": "https://es.example:9200"})
    assert values["ES_PORT"] == 9301
    assert values["STARTUP_CHECKS"] is False
    assert values["ES_REQUEST_TIMEOUT"] == 2.5
    assert es_url(values) == "https://es.example:9200"
    assert not uses_local_node(values)


def test_overrides_beat_environment():
    assert load_settings(env={"ES_PORT": "9301"}, overrides={"ES_PORT": 9400})["ES_PORT"] == 9400


@pytest.mark.parametrize(("env", "fragment"), [
    ({"ES_PORT": "nine"}, "ES_PORT: expected int"),
    ({"STARTUP_CHECKS": "maybe"}, "STARTUP_CHECKS: expected true/false"),
    ({"ES_PASSWORD": "x"}, "ES_USERNAME is not"),
    ({"ES_API_KEY": "k", "ES_USERNAME": "u"}, "not both"),
])
def test_bad_values_name_the_setting(env, fragment):
    with pytest.raises(ConfigError, match=fragment):
        load_settings(env=env)


def test_unknown_override_is_refused():
    with pytest.raises(ConfigError, match="unknown settings: NOPE"):
        load_settings(env={}, overrides={"NOPE": 1})


def test_secrets_are_redacted():
    values = load_settings(env={"ES_API_KEY": "very-secret"})
    assert redacted(values)["ES_API_KEY"] == "***"
    assert "very-secret" not in repr(redacted(values))


def test_every_setting_has_a_reason_and_a_readme_row():
    table = README.read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `([A-Z_]+)` \|", table, flags=re.MULTILINE))
    names = {s.name for s in SETTINGS}
    assert all(s.reason for s in SETTINGS)
    assert names - rows == set(), "settings missing from the README table"
    assert rows - names == set(), "README lists settings that do not exist"


def test_labour_force_is_chosen_per_year_for_the_service_area_with_the_merged_city_beside_it():
    from config.labour_market import labour_force_for, load_labour_force

    config = load_labour_force(env={})
    may_2019 = labour_force_for(config, 2019)
    assert (may_2019["total"], may_2019["year"], may_2019["unit"]) == (657_900, 2019, "soc_trang")
    after_merger = labour_force_for(config, 2026)  # newest published year up to 2026 is 2021 (preliminary)
    assert after_merger["total"] == 614_100 and "preliminary" in after_merger["source"]
    assert after_merger["merged_unit"]["total"] == 584_300 + 614_100 + 394_100
    assert labour_force_for(config, 2010)["year"] == 2015  # before the series: its first year
    override = load_labour_force(env={"LABOUR_FORCE": '{"total": 600000, "year": 2025, "source": "x"}'})
    assert labour_force_for(override, 2019)["total"] == 600_000  # a province's own figure applies as given
