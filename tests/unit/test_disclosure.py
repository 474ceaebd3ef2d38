"""The small-cell rule (jobmatch.metrics.disclosure) and where it is applied: pure functions, no server."""

from __future__ import annotations

from datetime import date

import pytest

from config.settings import ConfigError, load_settings
from jobmatch.metrics import disclosure
from jobmatch.metrics.definitions import INDICATORS
from jobmatch.metrics.disclosure import (
    INPUTS,
    MARKER,
    hide,
    is_small,
    partner,
    small_cells,
    suppress_groups,
    suppress_rows,
    with_complements,
)
from jobmatch.metrics.service import Period, job_counts, placement_counts, published, worker_counts

K = 5


def test_the_threshold_is_configured_once_with_a_default_of_five():
    assert load_settings(env={})["MIN_CELL_SIZE"] == 5 == disclosure.DEFAULT_MIN_CELL_SIZE
    assert load_settings(env={"MIN_CELL_SIZE": "10"})["MIN_CELL_SIZE"] == 10
    with pytest.raises(ConfigError, match="MIN_CELL_SIZE: expected 1 or more"):
        load_settings(env={"MIN_CELL_SIZE": "0"})


@pytest.mark.parametrize(("value", "small"), [
    (0, False), (1, True), (4, True), (5, False), (500, False), (None, False), (True, False), (2.0, False),
    ({3: 1}, False),
])
def test_only_counts_of_one_to_k_minus_one_are_small(value, small):
    assert is_small(value, K) is small


def test_one_turns_hiding_off():
    assert small_cells({"a": 1, "b": 0, "c": 2}, 1) == set()


def test_one_small_cell_gets_the_smallest_non_zero_group_as_partner():
    groups = {"a": {"placements": 3}, "b": {"placements": 40}, "c": {"placements": 7}, "d": {"placements": 0},
              "e": {"placements": 9}}
    hidden = suppress_groups(groups, K)
    assert hidden == {"a": {"placements"}, "b": set(), "c": {"placements"}, "d": set(), "e": set()}


def test_ties_for_the_partner_go_to_the_first_key():
    hidden = suppress_groups({"x": {"n": 2}, "m": {"n": 6}, "b": {"n": 6}}, K)
    assert hidden == {"x": {"n"}, "m": set(), "b": {"n"}}


def test_two_small_cells_protect_each_other():
    groups = {"a": {"n": 1}, "b": {"n": 4}, "c": {"n": 6}, "d": {"n": 50}}
    assert suppress_groups(groups, K) == {"a": {"n"}, "b": {"n"}, "c": set(), "d": set()}


def test_the_only_group_has_no_partner():
    assert suppress_groups({"only": {"n": 3}}, K) == {"only": {"n"}}
    assert partner({"only": 3}, {"only"}) is None


def test_zero_stays_shown_and_is_never_a_partner():
    assert suppress_groups({"a": {"n": 0}, "b": {"n": 0}, "c": {"n": 12}}, K) == {"a": set(), "b": set(), "c": set()}
    assert suppress_groups({"a": {"n": 2}, "b": {"n": 0}, "c": {"n": 8}}, K)["c"] == {"n"}
    # Nobody else has anyone: either the total is small too, or the groups do not add up to it (people outside
    # every age band), and subtracting gives nothing away.
    assert suppress_groups({"a": {"n": 2}, "b": {"n": 0}}, K) == {"a": {"n"}, "b": set()}
    assert partner({"a": 2, "b": 0}, {"a"}) is None


def test_partners_are_chosen_count_by_count():
    groups = {"a": {"placements": 2, "referrals": 30}, "b": {"placements": 8, "referrals": 3},
              "c": {"placements": 20, "referrals": 6}}
    assert suppress_groups(groups, K) == {"a": {"placements"}, "b": {"placements", "referrals"}, "c": {"referrals"}}


def test_without_a_shown_total_only_small_cells_are_hidden():
    groups = {"a": {"n": 2, "m": 1}, "b": {"n": 8, "m": 9}}
    assert suppress_groups(groups, K, shown_totals={"m"}) == {"a": {"n", "m"}, "b": {"m"}}
    assert suppress_groups(groups, K, shown_totals=()) == {"a": {"n", "m"}, "b": set()}


def test_groups_without_a_count_are_not_partners():
    # Vacancies have no gender: those counts are None in gender groups and must not be picked.
    hidden = suppress_groups({"female": {"n": 2, "open_vacancies": None}, "male": {"n": 9, "open_vacancies": None},
                              "unknown": {"n": None}}, K)
    assert hidden == {"female": {"n"}, "male": {"n"}, "unknown": set()}


def test_complements_of_shares_are_counted():
    extended = with_complements({"active_jobseekers": 50, "active_trained": 48, "placements": 3})
    assert extended["active_untrained"] == 2 and "placements_untrained" not in extended
    assert "active_untrained" in small_cells(extended, K)


def test_every_indicator_depends_on_counts_the_service_computes():
    period = Period(date(2026, 10, 1), date(2026, 10, 31), "Asia/Ho_Chi_Minh")
    raw = {*worker_counts(period), *job_counts(period), *placement_counts(period), "new_openings", "open_openings",
           "placements_by_vacancy",
           *disclosure.COMPLEMENTS}
    assert set(INPUTS) == {i.key for i in INDICATORS}
    for key, names in INPUTS.items():
        assert set(names) <= raw, (key, set(names) - raw)


def test_a_rate_is_hidden_with_its_numerator_or_denominator():
    values = {"placements": 3, "active_jobseekers": 40, "placement_rate": 0.075, "vacancy_fill_rate": 0.3,
              "median_days_to_placement": 20.0, "new_jobseekers": 12}
    shown, suppressed = hide(values, {"placements"})
    assert suppressed == ["placements", "placement_rate", "vacancy_fill_rate", "median_days_to_placement"]
    assert shown["new_jobseekers"] == 12 and shown["active_jobseekers"] == 40 and shown["placement_rate"] is None
    shown, suppressed = hide(values, {"active_jobseekers"})
    assert suppressed == ["active_jobseekers", "placement_rate"] and shown["placements"] == 3


def test_a_value_that_is_none_anyway_is_not_listed():
    shown, suppressed = hide({"placements": 2, "vacancy_fill_rate": None}, {"placements"})
    assert shown == {"placements": None, "vacancy_fill_rate": None} and suppressed == ["placements"]


def test_hidden_counts_nobody_sees_still_hide_their_rate():
    shown, suppressed = hide({"trained_share_jobseekers": 0.96, "active_jobseekers": 50}, {"active_untrained"})
    assert suppressed == ["trained_share_jobseekers"] and shown["active_jobseekers"] == 50


def _counts(**values):
    base = dict.fromkeys(("new_jobseekers", "active_jobseekers", "registered_unemployed", "registered_unemployed_urban",
                          "active_trained", "pwd_registered", "pwd_base", "pwd_employed", "new_vacancies",
                          "open_vacancies", "new_openings", "open_openings", "referrals", "placements",
                          "placements_trained", "pwd_placements", "vacancies_filled"), 0)
    return {**base, "days_to_placement": {}, "days_to_fill": {}, **values}


def test_published_metrics_hide_small_groups_their_partners_and_their_rates():
    grouped = {
        "hoa": _counts(active_jobseekers=2, active_trained=1, placements=1, days_to_placement={30: 1}),
        "khmer": _counts(active_jobseekers=6, active_trained=6, placements=5, days_to_placement={10: 5}),
        "kinh": _counts(active_jobseekers=9, active_trained=4, placements=6, days_to_placement={20: 6}),
    }
    total = _counts(active_jobseekers=17, active_trained=11, placements=12, days_to_placement={10: 5, 20: 6, 30: 1})
    out = published(total, grouped, labour_force={"total": 1000}, group_by="ethnicity", min_cell_size=K)
    groups = {g["key"]: g for g in out["groups"]}
    hoa, khmer, kinh = groups["hoa"], groups["khmer"], groups["kinh"]
    assert hoa["values"]["active_jobseekers"] is None and hoa["values"]["placements"] is None
    assert {"active_jobseekers", "placements", "placement_rate", "median_days_to_placement",
            "trained_share_jobseekers"} <= set(hoa["suppressed"])
    # Complementary: khmer is the smallest other group for both counts.
    assert khmer["values"]["active_jobseekers"] is None and khmer["values"]["placements"] is None
    assert khmer["values"]["placement_rate"] is None and "active_jobseekers" in khmer["suppressed"]
    # kinh: 9 active of whom 4 trained and 5 not; the 4 trained are a small (hidden) count, so the share is hidden.
    assert kinh["values"]["active_jobseekers"] == 9 and kinh["values"]["placements"] == 6
    assert kinh["values"]["placement_rate"] == pytest.approx(6 / 9) and kinh["values"]["median_days_to_placement"] == 20
    assert kinh["values"]["trained_share_jobseekers"] is None and "trained_share_jobseekers" in kinh["suppressed"]
    assert kinh["values"]["new_jobseekers"] == 0 and "new_jobseekers" not in kinh["suppressed"]  # zero is shown
    # The province total is large enough: shown, and never hidden to protect a group.
    assert (out["total"]["active_jobseekers"], out["total"]["placements"], out["total_suppressed"]) == (17, 12, [])
    assert out["disclosure"]["min_cell_size"] == K and out["disclosure"]["marker"] == MARKER


def test_no_partner_when_the_total_of_that_count_is_hidden_itself():
    grouped = {"a": _counts(active_jobseekers=10, placements=1), "b": _counts(active_jobseekers=9, placements=0),
               "c": _counts(active_jobseekers=2, placements=0)}
    total = _counts(active_jobseekers=21, placements=1)
    out = published(total, grouped, labour_force={}, group_by="gender", min_cell_size=K)
    groups = {g["key"]: g for g in out["groups"]}
    assert out["total"]["placements"] is None and groups["a"]["values"]["placements"] is None
    assert groups["b"]["values"]["placements"] == 0 and groups["c"]["values"]["placements"] == 0
    # active_jobseekers: total 21 shown, c alone is small, so b (9, smaller than a's 10) is its partner.
    assert groups["c"]["values"]["active_jobseekers"] is None and groups["b"]["values"]["active_jobseekers"] is None
    assert groups["a"]["values"]["active_jobseekers"] == 10


def test_a_small_province_total_is_hidden_itself():
    total = _counts(active_jobseekers=40, placements=3, days_to_placement={12: 3}, pwd_base=2, pwd_employed=1)
    out = published(total, {}, labour_force={"total": 1000}, group_by=None, min_cell_size=K)
    assert out["total"]["placements"] is None and out["total"]["placement_rate"] is None
    assert out["total"]["median_days_to_placement"] is None and out["total"]["pwd_employment_rate"] is None
    assert out["total"]["active_jobseekers"] == 40 and out["groups"] == []
    assert {"placements", "placement_rate", "median_days_to_placement", "pwd_employment_rate"} <= set(
        out["total_suppressed"])


def test_hiding_off_publishes_the_exact_figures():
    grouped = {"a": _counts(placements=1, active_jobseekers=2)}
    out = published(_counts(placements=1, active_jobseekers=2), grouped, labour_force={}, group_by="gender",
                    min_cell_size=1)
    assert out["total_suppressed"] == [] and out["groups"][0]["suppressed"] == []
    assert out["groups"][0]["values"]["placement_rate"] == 0.5


def test_table_rows_with_and_without_complementary_columns():
    rows = [{"occupation_code": "7212", "demand": 3, "supply": 2}, {"occupation_code": "8153", "demand": 7,
                                                                     "supply": 12},
            {"occupation_code": "5223", "demand": 20, "supply": 9}]
    out = {r["occupation_code"]: r for r in suppress_rows(rows, ("demand", "supply"), K, key="occupation_code",
                                                           complementary=("demand",))}
    assert out["7212"] == {"occupation_code": "7212", "demand": None, "supply": None,
                           "suppressed": ["demand", "supply"]}
    assert out["8153"]["demand"] is None and out["8153"]["suppressed"] == ["demand"]  # demand's partner
    assert out["8153"]["supply"] == 12 and out["5223"]["suppressed"] == []  # supply: no complementary cells
    assert rows[0]["demand"] == 3  # the input is left alone


def test_legend_names_the_marker_and_the_threshold():
    text = disclosure.legend(5)
    assert text.startswith(MARKER) and "1–4" in text and "fewer than 5" in text and "Zero is shown" in text
