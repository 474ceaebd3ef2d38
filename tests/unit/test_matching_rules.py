"""Hard constraints and ranking features of the matcher (pure functions, no server)."""

from datetime import date

import pytest

from config.matching import DEFAULT_WEIGHTS, load_matching_config
from jobmatch.matching import constraints, scoring

TODAY = date(2026, 11, 22)
SOC_TRANG = {"lat": 9.6025, "lon": 105.9739}
NEAR = {"lat": 9.61, "lon": 105.98}      # about 1 km away
FAR = {"lat": 9.30, "lon": 106.10}       # about 36 km away


def job(**overrides):
    base = {"status": "open", "occupation_code": "7212", "occupation": {"title_vi": "Thợ hàn",
                                                                         "title_en": "Welders and flamecutters"},
            "workplace": {"commune_code": "phuong-soc-trang", "location": SOC_TRANG}, "work_mode": "on_site",
            "certificates": ["Chứng chỉ hàn"], "essential_skills": ["hàn hồ quang", "đọc bản vẽ"],
            "optional_skills": ["hàn MIG"], "min_training_level": "so_cap", "min_experience_years": 2,
            "salary_min": 8_000_000, "salary_max": 10_000_000, "physical_demands": {"lifting": "moderate"},
            "accommodations": [], "posted_at": "2026-11-01"}
    base.update(overrides)
    return base


def worker(**overrides):
    base = {"employment_status": "unemployed", "residence": {"commune_code": "phuong-soc-trang", "location": NEAR},
            "max_commute_km": 15, "certificates": [{"name": "Chứng chỉ hàn"}], "skills": ["Hàn hồ quang"],
            "desired_occupations": ["7212"], "training_level": "trung_cap", "experience_years": 3,
            "desired_salary_min": 9_000_000, "registered_at": "2026-11-20"}
    base.update(overrides)
    return base


def test_eligible_pair_has_no_violations():
    assert constraints.violations(job(), worker()) == []


@pytest.mark.parametrize(("j", "w", "problem"), [
    ({"status": "filled"}, {}, "vacancy_not_open"),
    ({}, {"employment_status": "placed"}, "person_not_available"),
    ({}, {"residence": {"commune_code": "x", "location": FAR}}, "commute"),
    ({}, {"certificates": []}, "certificate"),
    ({}, {"disability": {"accommodations_needed": ["step_free_access"]}}, "accommodation"),
    ({"physical_demands": {"lifting": "moderate"}}, {"disability": {"functional_limitations": ["lifting"]}},
     "task_demand"),
])
def test_each_hard_constraint_excludes(j, w, problem):
    assert problem in constraints.violations(job(**j), worker(**w))


def test_remote_work_always_fits_and_offered_accommodation_admits():
    far = worker(residence={"commune_code": "x", "location": FAR})
    assert "commute" not in constraints.violations(job(work_mode="remote"), far)
    needs = worker(disability={"accommodations_needed": ["step_free_access"]})
    assert constraints.violations(job(accommodations=["step_free_access", "transport"]), needs) == []


def test_higher_driving_licence_covers_lower_class():
    driver = worker(certificates=[{"name": "Giấy phép lái xe hạng C"}])
    assert constraints.missing_certificate(job(occupation_code="8322"), driver) is None
    assert constraints.missing_certificate(job(occupation_code="8331"), driver) == "Giấy phép lái xe hạng D"


def test_without_coordinates_commune_or_province_scale_commute():
    j = job(workplace={"commune_code": "a"})
    assert constraints.commute_fits(j, worker(residence={"commune_code": "a"}, max_commute_km=2))
    assert not constraints.commute_fits(j, worker(residence={"commune_code": "b"}, max_commute_km=5))
    assert constraints.commute_fits(j, worker(residence={"commune_code": "b"}, max_commute_km=40))


def test_es_filters_mirror_the_rules():
    filters, must_not = constraints.worker_filters(job(physical_demands={"lifting": "heavy"}), today="2026-11-22",
                                                   max_km=20)
    assert {"terms": {"certificates.name": ["Chứng chỉ hàn"]}} in filters
    assert any("geo_distance" in str(f) for f in filters)
    ruled_out = next(m for m in must_not if "disability.functional_limitations" in str(m))
    assert ruled_out["terms"]["disability.functional_limitations"] == ["lifting", "mobility", "stamina"]
    filters, must_not = constraints.job_filters(worker(certificates=[], disability={
        "accommodations_needed": ["sign_language"], "functional_limitations": ["vision"]}), today="2026-11-22")
    assert {"term": {"accommodations": "sign_language"}} in filters
    assert {"terms": {"physical_demands.vision": ["heavy"]}} in must_not
    lacking = next(m for m in must_not if "occupation_code" in str(m))["terms"]["occupation_code"]
    assert "7212" in lacking and "8332" in lacking


def test_occupation_proximity_follows_isco_hierarchy():
    assert scoring.occupation_proximity("7212", ["7212"]) == 1.0
    assert scoring.occupation_proximity("7212", ["7213"]) == 0.75
    assert scoring.occupation_proximity("7212", ["7233"]) == 0.5
    assert scoring.occupation_proximity("7212", ["7411"]) == 0.25
    assert scoring.occupation_proximity("7212", ["8332", "5223"]) == 0.0


def test_skills_match_ignoring_diacritics_and_case():
    share, matched = scoring.skill_coverage(["hàn hồ quang", "đọc bản vẽ"], ["HAN HO QUANG"])
    assert share == 0.5 and matched == ["hàn hồ quang"]


def test_score_has_breakdown_and_bilingual_reasons():
    config = load_matching_config(env={})
    result = scoring.score_pair(job(), worker(), similarity=0.8, weights=config["weights"], boosts={}, today=TODAY)
    assert 0 < result.score <= 1
    assert set(result.features) == set(DEFAULT_WEIGHTS)
    texts = " | ".join(r.vi for r in result.reasons)
    assert "có chứng chỉ hàn, trình độ trung cấp — yêu cầu: sơ cấp" in texts
    assert any("holds Chứng chỉ hàn" in r.en for r in result.reasons)
    breakdown = result.breakdown(config["weights"])
    assert abs(sum(f["contribution"] for f in breakdown["features"].values()) - result.score) < 1e-3


@pytest.mark.parametrize("attribute", [
    {"gender": "female"}, {"ethnicity": "khmer"}, {"birth_year": 1960},
    {"disability": {"functional_limitations": ["hearing"], "accommodations_needed": []}},
])
def test_protected_attributes_never_change_the_score(attribute):
    weights = load_matching_config(env={})["weights"]
    base = scoring.score_pair(job(), worker(), similarity=0.7, weights=weights, boosts={}, today=TODAY)
    other = scoring.score_pair(job(), worker(**attribute), similarity=0.7, weights=weights, boosts={}, today=TODAY)
    assert other.score == base.score


def test_priority_boost_is_configured_and_shown():
    weights = load_matching_config(env={})["weights"]
    person = worker(priority_groups=["poor_household", "youth"])
    plain = scoring.score_pair(job(), person, similarity=0.7, weights=weights, boosts={}, today=TODAY)
    boosted = scoring.score_pair(job(), person, similarity=0.7, weights=weights, boosts={"poor_household": 0.05},
                                 today=TODAY)
    assert boosted.score == pytest.approx(plain.score + 0.05)
    assert boosted.boosts == {"poor_household": 0.05}
    assert any(r.sensitive and "poor_household" in r.en for r in boosted.reasons)


def test_matching_config_overrides_and_rejects_unknown_features():
    assert load_matching_config(env={"MATCH_WEIGHTS": '{"semantic": 5}'})["weights"]["semantic"] == 5.0
    with pytest.raises(ValueError):
        load_matching_config(env={"MATCH_WEIGHTS": '{"beauty": 1}'})


def test_reciprocal_rank_fusion_rewards_agreement():
    from jobmatch.matching.service import rrf, weighted_fusion

    fused = rrf([("a", 3.0), ("b", 2.0), ("c", 1.0)], [("b", 9.0), ("d", 1.0)])
    assert max(fused, key=fused.get) == "b"
    assert fused["a"] == pytest.approx(1 / 61) and fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    tied = rrf([("x", 0.5), ("y", 0.5), ("z", 0.1)])
    assert tied["x"] == tied["y"] == pytest.approx(1 / 61) and tied["z"] == pytest.approx(1 / 63)
    mixed = weighted_fusion({"a": 0.9, "b": 0.5}, {"b": 10.0, "c": 5.0}, vector_weight=0.5)
    assert mixed == pytest.approx({"a": 0.45, "b": 0.75, "c": 0.25})
