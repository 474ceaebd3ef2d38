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
            "desired_salary_min": 9_000_000, "registered_at": "2026-11-20", "desired_work_modes": ["on_site"],
            "work_history": [{"title": "Thợ hàn", "occupation_code": "7212", "from_year": 2023, "to_year": 2026}]}
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


def test_commune_only_places_are_measured_from_commune_points():
    """A place given only as a commune code is measured from the commune's point: the limit always applies."""
    vinh_chau = job(workplace={"commune_code": "phuong-vinh-chau"})
    ke_sach = worker(residence={"commune_code": "xa-ke-sach"}, max_commute_km=30)
    distance = constraints.distance_km(vinh_chau, ke_sach)
    assert distance is not None and distance > 30
    assert not constraints.commute_fits(vinh_chau, ke_sach)
    assert constraints.commute_fits(vinh_chau, worker(residence={"commune_code": "phuong-vinh-chau"},
                                                      max_commute_km=2))
    # the pre-2025 commune's own point is finer than the merged commune's centroid
    ward = worker(residence={"commune_code": "phuong-soc-trang", "legacy": {"ward_code": "31498"}})
    assert constraints.distance_km(job(workplace={"commune_code": "phuong-soc-trang", "location": {
        "lat": 9.622996, "lon": 105.983718}}), ward) == pytest.approx(0.0, abs=0.01)
    # a search that named no place is not measured at all
    assert constraints.distance_km(job(workplace={}), ke_sach) is None


def test_commute_bands_filter_each_persons_limit_without_scripts():
    bands = constraints.commute_bands({"lat": 9.6, "lon": 105.97}, None)["bool"]["should"]
    ten = next(b for b in bands if '"lte": 10.0' in str(b).replace("'", '"'))
    assert {"geo_distance": {"distance": "10.0km", "residence.location": {"lat": 9.6, "lon": 105.97}}} in \
        ten["bool"]["filter"]
    capped = constraints.commute_bands({"lat": 9.6, "lon": 105.97}, 7.0)["bool"]["should"]
    assert all("7.0km" in str(b) or "2.0km" in str(b) or "5.0km" in str(b) for b in capped[:-1])


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
    by_text = {r.vi: r.status for r in result.reasons}
    assert by_text["trình độ trung cấp — đạt yêu cầu sơ cấp"] == "met"
    assert by_text["có Chứng chỉ hàn"] == "met"
    assert any("holds Chứng chỉ hàn" in r.en for r in result.reasons)
    breakdown = result.breakdown(config["weights"])
    assert abs(sum(f["contribution"] for f in breakdown["features"].values()) - result.score) < 1e-3


def test_unmet_requirements_read_as_unmet():
    weights = load_matching_config(env={})["weights"]
    result = scoring.score_pair(job(min_training_level="cao_dang", salary_min=5_000_000, salary_max=6_000_000),
                                worker(desired_salary_min=8_000_000), similarity=0.5, weights=weights, boosts={},
                                today=TODAY)
    by_feature = {r.feature: r for r in result.reasons}
    assert by_feature["training"].status == "not_met"
    assert by_feature["training"].vi == "trình độ trung cấp — chưa đạt yêu cầu cao đẳng"
    assert by_feature["salary"].status == "not_met"
    assert by_feature["salary"].vi == "lương tối đa 6 triệu/tháng, thấp hơn mong muốn 8 triệu"


def test_experience_is_cited_only_in_a_related_occupation():
    weights = load_matching_config(env={})["weights"]
    welder = worker(work_history=[{"title": "Thợ hàn", "occupation_code": "7212", "from_year": 2014,
                                   "to_year": 2026}])
    cited = scoring.score_pair(job(), welder, similarity=0.5, weights=weights, boosts={}, today=TODAY)
    assert any(r.vi == "12 năm kinh nghiệm nghề thợ hàn" for r in cited.reasons)
    waiter = scoring.score_pair(job(occupation_code="5131", occupation={"title_vi": "Nhân viên phục vụ bàn"},
                                    min_experience_years=1), welder, similarity=0.5, weights=weights, boosts={},
                                today=TODAY)
    experience = [r for r in waiter.reasons if r.feature == "experience"]
    assert [r.status for r in experience] == ["not_met"] and "12" not in experience[0].vi
    uncoded = worker(work_history=[{"title": "thợ hàn", "from_year": 2014, "to_year": 2026}])
    silent = scoring.score_pair(job(), uncoded, similarity=0.5, weights=weights, boosts={}, today=TODAY)
    assert "experience" not in silent.features and not [r for r in silent.reasons if r.feature == "experience"]


def test_unknown_features_are_left_out_not_scored_zero():
    weights = load_matching_config(env={})["weights"]
    walk_in = {"residence": {}, "skills": [], "certificates": [], "work_history": []}  # free text said nothing
    result = scoring.score_pair(job(), walk_in, similarity=0.6, weights=weights, boosts={}, today=TODAY)
    assert {"training", "experience", "salary", "skills", "distance", "occupation"}.isdisjoint(result.features)
    assert result.breakdown(weights)["unknown"] == ["distance", "experience", "occupation", "salary", "skills",
                                                    "training", "work_mode"]
    untrained, trained = (scoring.score_pair(job(), {**walk_in, "training_level": level}, similarity=0.6,
                                             weights=weights, boosts={}, today=TODAY)
                          for level in ("none", "trung_cap"))
    assert untrained.features["training"] < trained.features["training"] == 1.0
    assert untrained.score < trained.score


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
