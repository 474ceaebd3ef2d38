"""Indicators against a small hand-computed dataset on the real node, then small-cell hiding on a second one.

Own index prefix (a separate app), so the other tests' records do not enter the counts. Dataset (local time,
Asia/Ho_Chi_Minh), read with MIN_CELL_SIZE=1 so that the exact arithmetic shows:

  W1 registered 2026-09-05, unemployed, trung_cap, urban, female, disability (consented)
  W2 registered 2026-09-20, unemployed, none, rural, male
  W3 registered 2026-10-02, employed_looking, so_cap, urban, female
  W4 registered 2026-10-15, unemployed, none, rural, male
  W5 registered 2026-11-03, unemployed, cao_dang, urban, male
  J1 posted 2026-09-01, 1 opening, occupation 8153 (major 8), industry C
  J2 posted 2026-10-01, 2 openings, occupation 5223 (major 5), industry G

  P1 W1→J1 referred 09-10, hired 2026-10-31 23:30 (+07)  → October; fills J1 (60 days); 56 days to placement
  P2 W2→J2 referred 10-05, hired 2026-11-01 00:30 (+07)  → November although still 31 October in UTC; 42 days
  P3 W3→J2 referred 10-20, withdrawn 10-25
  J1 reopened on 11-04 with 2 openings          → 1 new opening in November; September keeps its 1
  P4 W4→J1 referred 11-05, hired 11-10 → fills J1 again (70 days); 26 days to placement
"""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from jobmatch.extensions import state
from jobmatch.http import XLSX_MIMETYPE as XLSX
from jobmatch.reports.build import generate
from jobmatch.reports.render import CSV_SECTIONS
from jobmatch.reports.views import TREND_KEYS
from tests import factories
from tests.conftest import auth, isolated_app, issue_tokens

URBAN, RURAL = "31498", "31570"  # pre-reform wards: Phường 5 (TP Sóc Trăng), Xã Hồ Đắc Kiện (Châu Thành)
LABOUR_FORCE = {"total": 1000, "urban": 400, "rural": 600, "year": 2025, "source": "test"}


@pytest.fixture(scope="module")
def metrics_app(es, embedder):
    with isolated_app(es, embedder, "metrics") as (app, prefix):
        state(app).labour_force = LABOUR_FORCE
        # Five people, hand-computed: small-cell hiding off here; the k=5 dataset at the end tests hiding.
        state(app).settings["MIN_CELL_SIZE"] = 1
        app.config["TEST_PREFIX"] = prefix
        yield app


def poster(client, headers):
    """Return post(url, body, etag=None) that asserts the write was accepted."""
    def post(url, body, etag=None):
        response = client.post(url, json=body, headers={**headers, **({"If-Match": etag} if etag else {})})
        assert response.status_code in (200, 201), (url, response.get_json())
        return response
    return post


@pytest.fixture(scope="module")
def api(metrics_app, es):
    issued = issue_tokens(es, metrics_app.config["TEST_PREFIX"])
    token, analyst = issued["counsellor"], issued["analyst"]
    client = metrics_app.test_client()
    headers = auth(token)

    post = poster(client, headers)

    employer = post("/api/v1/employers", factories.employer()).get_json()["employer_id"]
    common = {"certificates": [], "min_training_level": "none", "physical_demands": {}, "accommodations": [],
              "optional_skills": [], "workplace": {"legacy_ward_code": URBAN}}
    j1 = post("/api/v1/jobs", factories.job(employer, title="Công nhân may", occupation_code="8153", openings=1,
                                            industry="C", posted_at="2026-09-01", essential_skills=["may"],
                                            **common)).get_json()["job_id"]
    j2 = post("/api/v1/jobs", factories.job(employer, title="Nhân viên bán hàng", occupation_code="5223",
                                            openings=2, industry="G", posted_at="2026-10-01",
                                            essential_skills=["bán hàng"], **common)).get_json()["job_id"]

    def person(day, status, level, ward, gender, **extra):
        return post("/api/v1/workers", factories.worker(
            registered_at=day, employment_status=status, training_level=level, gender=gender,
            residence={"legacy_ward_code": ward}, max_commute_km=50, certificates=[], **extra)).get_json()["worker_id"]

    w1 = person("2026-09-05", "unemployed", "trung_cap", URBAN, "female",
                disability={"functional_limitations": ["hearing"]},
                consent={"store_disability": True, "show_to_employers": True})
    w2 = person("2026-09-20", "unemployed", "none", RURAL, "male", ethnicity="kinh")
    w3 = person("2026-10-02", "employed_looking", "so_cap", URBAN, "female")
    w4 = person("2026-10-15", "unemployed", "none", RURAL, "male", ethnicity="kinh")
    person("2026-11-03", "unemployed", "cao_dang", URBAN, "male", ethnicity="kinh")

    def placement(job, worker, referred, *steps):
        response = post("/api/v1/placements", {"job_id": job, "worker_id": worker, "at": referred})
        body, etag = response.get_json(), response.headers["ETag"]
        for to, at in steps:
            response = post(f"/api/v1/placements/{body['placement_id']}/transitions", {"to": to, "at": at}, etag)
            body, etag = response.get_json(), response.headers["ETag"]
        return body

    hire = (("interviewed", "2026-09-15"), ("offered", "2026-09-20"), ("hired", "2026-10-31T23:30:00"))
    p1 = placement(j1, w1, "2026-09-10", *hire)
    p2 = placement(j2, w2, "2026-10-05", ("interviewed", "2026-10-10"), ("offered", "2026-10-20"),
                   ("hired", "2026-11-01T00:30:00+07:00"))
    placement(j2, w3, "2026-10-20", ("withdrawn", "2026-10-25"))
    current = client.get(f"/api/v1/jobs/{j1}", headers=headers)
    assert current.get_json()["status"] == "filled"
    post(f"/api/v1/jobs/{j1}/reopen", {"openings": 2, "reason": "mở rộng sản xuất", "at": "2026-11-04"},
         current.headers["ETag"])
    p4 = placement(j1, w4, "2026-11-05", ("interviewed", "2026-11-06"), ("offered", "2026-11-07"),
                   ("hired", "2026-11-10"))
    assert (p1["days_to_fill"], p4["days_to_fill"], p2.get("filled_vacancy")) == (60, 70, False)

    def get(first, last, group_by=None, token=None):
        query = {"from": first, "to": last, **({"group_by": group_by} if group_by else {})}
        return client.get("/api/v1/metrics", query_string=query, headers=auth(token) if token else headers)

    get.analyst = analyst
    return get


def test_october(api):
    body = api("2026-10-01", "2026-10-31").get_json()
    t = body["total"]
    assert (t["new_jobseekers"], t["active_jobseekers"], t["registered_unemployed"]) == (2, 4, 2)
    # J1 had 1 opening on 31 October: the 2 it was reopened with on 4 November do not reach back into October
    assert (t["new_vacancies"], t["new_openings"], t["open_vacancies"], t["open_openings"]) == (1, 2, 2, 3)
    assert (t["referrals"], t["placements"], t["vacancies_filled"]) == (2, 1, 1)
    assert t["placement_rate"] == pytest.approx(0.25) and t["vacancy_fill_rate"] == pytest.approx(1 / 3)
    assert (t["median_days_to_placement"], t["median_days_to_fill"]) == (56, 60)
    assert t["trained_share_jobseekers"] == pytest.approx(0.5) and t["trained_share_placements"] == 1.0
    assert (t["pwd_registered"], t["pwd_placements"], t["pwd_employment_rate"]) == (1, 1, 1.0)
    assert t["registered_unemployment_rate"] == pytest.approx(2 / 1000)
    assert t["registered_unemployment_rate_urban"] == 0.0  # both registered unemployed live in a rural commune
    assert "survey" in body["indicators"]["registered_unemployment_rate"]["definition"]


def test_november_counts_the_hire_made_after_local_midnight(api):
    t = api("2026-11-01", "2026-11-30").get_json()["total"]
    assert (t["new_jobseekers"], t["active_jobseekers"], t["registered_unemployed"]) == (1, 4, 1)
    # J1's reopening added one opening in November; no vacancy was posted in November
    assert (t["new_vacancies"], t["new_openings"], t["open_vacancies"], t["open_openings"]) == (0, 1, 2, 4)
    assert (t["referrals"], t["placements"], t["vacancies_filled"]) == (1, 2, 1)  # the reopened J1 filled again
    assert t["placement_rate"] == pytest.approx(0.5) and t["vacancy_fill_rate"] == pytest.approx(0.5)
    assert (t["median_days_to_placement"], t["median_days_to_fill"]) == (34, 70)  # median of 42 and 26
    assert t["trained_share_jobseekers"] == pytest.approx(0.5) and t["trained_share_placements"] == 0.0
    assert (t["pwd_registered"], t["pwd_placements"], t["pwd_employment_rate"]) == (0, 0, 1.0)
    assert t["registered_unemployment_rate_urban"] == pytest.approx(1 / 400)


def test_the_posting_month_keeps_its_openings_after_a_reopening(api):
    t = api("2026-09-01", "2026-09-30").get_json()["total"]
    assert (t["new_vacancies"], t["new_openings"]) == (1, 1)  # J1 as posted, not as reopened with 2


def test_a_month_without_data_gives_zeros_and_no_rates(api):
    t = api("2026-08-01", "2026-08-31").get_json()["total"]
    assert t["new_jobseekers"] == t["placements"] == t["open_vacancies"] == t["referrals"] == 0
    assert t["placement_rate"] is None and t["median_days_to_placement"] is None and t["vacancy_fill_rate"] is None


def test_two_months_together(api):
    t = api("2026-10-01", "2026-11-30").get_json()["total"]
    assert (t["placements"], t["vacancies_filled"], t["median_days_to_placement"], t["median_days_to_fill"]) == (
        3, 2, 42, 65)  # days 56, 42, 26 → 42; fills 60, 70 → 65


def test_groups(api):
    urban_rural = {g["key"]: g["values"] for g in api("2026-11-01", "2026-11-30", "urban_rural").get_json()["groups"]}
    assert urban_rural["urban"]["active_jobseekers"] == 2 and urban_rural["urban"]["placements"] == 0
    # Fill rates by the vacancy's area: both November hires went into urban vacancies (J1, J2), though the people
    # hired live in rural communes; dividing by the person's area would give the urban vacancies 0 of 4.
    assert urban_rural["urban"]["open_openings"] == 4 and urban_rural["urban"]["vacancy_fill_rate"] == 0.5
    assert urban_rural["rural"]["open_openings"] == 0 and urban_rural["rural"]["vacancy_fill_rate"] is None
    assert urban_rural["rural"]["placements"] == 2 and urban_rural["rural"]["placement_rate"] == 1.0
    assert urban_rural["rural"]["registered_unemployment_rate"] == 0.0  # 0 of the rural labour force of 600
    assert urban_rural["urban"]["registered_unemployment_rate"] == pytest.approx(1 / 400)
    gender = {g["key"]: g["values"] for g in api("2026-11-01", "2026-11-30", "gender").get_json()["groups"]}
    assert (gender["female"]["active_jobseekers"], gender["male"]["active_jobseekers"]) == (1, 3)
    assert gender["male"]["placements"] == 2 and gender["male"]["open_vacancies"] is None  # no gender on vacancies
    majors = {g["key"]: g["values"] for g in api("2026-10-01", "2026-11-30", "occupation_major").get_json()["groups"]}
    assert (majors["8"]["placements"], majors["5"]["placements"]) == (2, 1)
    # placements by occupation are counted by the vacancy, jobseekers by what they want: no rate across the two
    assert majors["8"]["placement_rate"] is None and majors["8"]["vacancy_fill_rate"] is not None
    assert (majors["8"]["new_vacancies"], majors["5"]["new_vacancies"]) == (0, 1)
    ages = {g["key"]: g["values"] for g in api("2026-11-01", "2026-11-30", "age_band").get_json()["groups"]}
    assert ages["25-34"]["active_jobseekers"] == 4  # every test person was born in 1995
    districts = {g["key"]: g["values"] for g in api("2026-10-01", "2026-10-31", "district").get_json()["groups"]}
    assert districts["941"]["active_jobseekers"] == 2 and districts["942"]["active_jobseekers"] == 2


def test_every_group_of_a_known_dimension_is_listed_with_zero(api):
    levels = {g["key"]: (g["values"], g["suppressed"])
              for g in api("2026-11-01", "2026-11-30", "training_level").get_json()["groups"]}
    assert {"none", "so_cap", "trung_cap", "cao_dang", "dai_hoc", "sau_dai_hoc"} <= set(levels)
    nobody, hidden = levels["sau_dai_hoc"]
    assert not hidden and nobody["active_jobseekers"] == 0 and nobody["new_vacancies"] == 0
    assert nobody["placements"] == 0 and nobody["placement_rate"] is None  # 0, and nothing to divide
    gender = {g["key"]: g["values"] for g in api("2026-11-01", "2026-11-30", "gender").get_json()["groups"]}
    assert gender["other"]["active_jobseekers"] == 0 and gender["other"]["new_vacancies"] is None


def test_bad_arguments_name_the_field(api):
    backwards = api("2026-10-31", "2026-10-01")
    assert backwards.status_code == 422 and "to" in backwards.get_json()["errors"]["query"]
    bad_group = api("2026-10-01", "2026-10-31", "shoe_size")
    assert bad_group.status_code == 422 and "group_by" in bad_group.get_json()["errors"]["query"]
    assert api("2026-10-01", "2026-10-31", token=api.analyst).status_code == 200


@pytest.fixture(scope="module")
def november_report(api, metrics_app):
    # An official figure for one target (the survey rate); the others stay without, so "no data".
    entered = metrics_app.test_cli_runner().invoke(args=[
        "jobmatch", "figures", "set", "unemployment_rate", "0.021", "--year", "2025",
        "--source", "GSO, Điều tra lao động việc làm 2025"])
    assert entered.exit_code == 0, entered.output
    result = metrics_app.test_cli_runner().invoke(args=["jobmatch", "report", "--month", "2026-11"])
    assert result.exit_code == 0, result.output
    assert "report 2026-11 stored: 2 placements" in result.output
    return metrics_app


def test_monthly_report_json_against_hand_computed_values(api, november_report):
    client = november_report.test_client()
    report = client.get("/api/v1/reports/monthly/2026-11", headers=auth(api.analyst)).get_json()
    indicators = {i["key"]: i for i in report["indicators"]}
    placements = indicators["placements"]
    assert (placements["value"], placements["previous_month"], placements["year_ago"]) == (2, 1, 0)
    assert placements["month_on_month"] == {"absolute": 1, "relative": 1.0}
    assert placements["year_on_year"] == {"absolute": 2, "relative": None}
    assert indicators["median_days_to_placement"]["value"] == 34
    assert indicators["trained_share_jobseekers"]["definition"].startswith("Active registered jobseekers whose")
    assert report["trends"]["months"][0] == "2025-12" and report["trends"]["months"][-1] == "2026-11"
    assert report["trends"]["series"]["placements"][-3:] == [0, 1, 2]  # Sep, Oct, Nov
    assert report["trends"]["series"]["new_jobseekers"][-3:] == [2, 2, 1]
    targets = {t["key"]: t for t in report["targets"]}
    # Register figures stand beside the targets, never judged: no official figure entered yet, so no verdict.
    general = targets.pop("unemployment_general")
    assert general["status"] == "met" and general["figure"]["value"] == 0.021 and general["figure"]["year"] == 2025
    assert {t["status"] for t in targets.values()} == {"no_data"}
    assert targets["disability_employment"]["register"]["value"] == 1.0
    assert targets["trained_with_qualification"]["register"]["value"] == 0.5
    assert general["register"]["value"] == pytest.approx(1 / 1000) and general["register"]["comparable"] is False
    demand = {o["occupation_code"]: o for o in report["occupations"]["all"]}
    assert demand["8153"]["demand"] == 2 and demand["5223"]["demand"] == 2  # open openings in November
    assert {s["skill"] for s in report["skills"]} == {"may", "bán hàng"}
    assert any("GSO" in note for note in report["notes"])


def test_monthly_report_csv_html_and_regeneration(api, november_report, es):
    client = november_report.test_client()
    csv_response = client.get("/api/v1/reports/monthly/2026-11", query_string={"format": "csv"},
                              headers=auth(api.analyst))
    text = csv_response.get_data(as_text=True)
    assert csv_response.mimetype == "text/csv" and text.startswith("\ufeffsection,key,")
    assert "indicator,placements,2026-11,Số người được tuyển,Placements,count,2,1,1,1.0,0,2,," in text
    assert "target_2030,disability_employment" in text
    # Every part of the report's JSON has rows in the CSV (render.CSV_SECTIONS maps each to its sections).
    report = client.get("/api/v1/reports/monthly/2026-11", headers=auth(api.analyst)).get_json()
    assert set(report) <= set(CSV_SECTIONS), "give every part of the report JSON rows in the CSV"
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert {r["section"] for r in rows} >= {"indicator", "trend", "target_2030", "target_2030_register",
                                            "occupation_all", "skill_demand", "labour_force", "note", "report"}
    assert sum(r["section"] == "trend" for r in rows) == len(report["trends"]["series"]) * 12
    placements = {r["month"]: r["value"] for r in rows if r["section"] == "trend" and r["key"] == "placements"}
    assert [placements[m] for m in ("2026-09", "2026-10", "2026-11")] == ["0", "1", "2"]
    general = next(r for r in rows if r["section"] == "target_2030" and r["key"] == "unemployment_general")
    assert (general["value"], general["source"], general["year"]) == (
        "0.021", "GSO, Điều tra lao động việc làm 2025", "2025")
    occupation = next(r for r in rows if r["section"] == "occupation_all" and r["key"] == "8153")
    assert occupation["demand"] == "2" and occupation["supply"] != ""
    force = next(r for r in rows if r["section"] == "labour_force" and r["key"] == "total")
    assert (force["value"], force["year"], force["source"]) == ("1000", "2025", "test")
    page = client.get("/reports/2026-11")  # public: province-level aggregates only
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "Báo cáo thị trường lao động tháng 2026-11" in html
    for key in TREND_KEYS:  # a chart per trend, with a title, a description and the figures as a table
        assert f'<svg class="trend" viewBox="0 0 480 250" width="480" height="250" role="img" ' \
               f'aria-labelledby="t-{key} d-{key}"' in html
    assert html.count("<desc id=") == html.count('<svg class="trend"') == html.count("Bảng số liệu / data table")
    assert "mục tiêu 2030 ≥ 40% — không so sánh trực tiếp" in html  # beside the disability register rate only
    assert "đạt / met" in html and "12-month" in html
    reports = f"{november_report.config['TEST_PREFIX']}reports"
    first = es.get(index=reports, id="2026-11")["_source"]["generated_at"]
    again = november_report.test_cli_runner().invoke(args=["jobmatch", "report", "--month", "2026-11"])
    assert again.exit_code == 0
    second = es.get(index=reports, id="2026-11")["_source"]["generated_at"]
    assert second > first and es.count(index=reports)["count"] == 1
    assert client.get("/api/v1/reports/monthly/2026-13", headers=auth(api.analyst)).status_code == 422
    assert client.get("/api/v1/reports/monthly/2025-01", headers=auth(api.analyst)).status_code == 404
    assert client.get("/api/v1/reports/monthly/2026-11").status_code == 401


# --- Small-cell hiding (MIN_CELL_SIZE=5, the default) on a dataset of its own --------------------------------------
#
#   14 jobseekers registered 2026-06-03, all unemployed, trung_cap: 7 kinh, 5 khmer, 2 hoa
#   J3 posted 2026-06-01, 6 openings, 8153, skill "may"; J4 posted 2026-06-01, 2 openings, 5223, skill "bán hàng"
#   one kinh jobseeker hired for J3 on 2026-06-20
#
# June by ethnicity: hoa (2) is small, so khmer (5, the smallest other group) is hidden with it; kinh (7) is
# shown. The province's single placement and its 2 vacancies are small totals, hidden themselves.

K5_MONTH = "2026-06"


@pytest.fixture(scope="module")
def k5(es, embedder):
    with isolated_app(es, embedder, "metrics-k5") as (app, prefix):
        state(app).labour_force = LABOUR_FORCE
        assert state(app).settings["MIN_CELL_SIZE"] == 5  # the default, untouched
        tokens = issue_tokens(es, prefix)
        client = app.test_client()
        headers = auth(tokens["counsellor"])

        post = poster(client, headers)

        employer = post("/api/v1/employers", factories.employer()).get_json()["employer_id"]
        common = {"certificates": [], "min_training_level": "none", "physical_demands": {}, "accommodations": [],
                  "optional_skills": [], "workplace": {"legacy_ward_code": URBAN}, "posted_at": "2026-06-01"}
        j3 = post("/api/v1/jobs", factories.job(employer, title="Công nhân may", occupation_code="8153", openings=6,
                                                essential_skills=["may"], **common)).get_json()["job_id"]
        post("/api/v1/jobs", factories.job(employer, title="Nhân viên bán hàng", occupation_code="5223", openings=2,
                                           essential_skills=["bán hàng"], **common))
        people = {ethnicity: [post("/api/v1/workers", factories.worker(
            registered_at="2026-06-03", ethnicity=ethnicity, residence={"legacy_ward_code": URBAN},
            max_commute_km=50, certificates=[])).get_json()["worker_id"] for _ in range(count)]
            for ethnicity, count in (("kinh", 7), ("khmer", 5), ("hoa", 2))}
        response = post("/api/v1/placements", {"job_id": j3, "worker_id": people["kinh"][0], "at": "2026-06-10"})
        body, etag = response.get_json(), response.headers["ETag"]
        for to, at in (("interviewed", "2026-06-12"), ("offered", "2026-06-15"), ("hired", "2026-06-20")):
            response = post(f"/api/v1/placements/{body['placement_id']}/transitions", {"to": to, "at": at}, etag)
            body, etag = response.get_json(), response.headers["ETag"]
        built = app.test_cli_runner().invoke(args=["jobmatch", "report", "--month", K5_MONTH])
        assert built.exit_code == 0 and "stored: [c] placements" in built.output, built.output
        app.config["TEST_PREFIX"] = prefix
        yield app, auth(tokens["analyst"]), auth(tokens["admin"])


def test_a_small_group_is_hidden_with_its_complementary_partner(k5):
    app, analyst, admin = k5
    for headers in (analyst, admin):  # the same figures for every role
        response = app.test_client().get("/api/v1/metrics", headers=headers, query_string={
            "from": "2026-06-01", "to": "2026-06-30", "group_by": "ethnicity"})
        assert response.status_code == 200
        body = response.get_json()
        groups = {g["key"]: g for g in body["groups"]}
        hoa, khmer, kinh = groups["hoa"], groups["khmer"], groups["kinh"]
        assert hoa["values"]["active_jobseekers"] is None and hoa["values"]["registered_unemployed"] is None
        assert {"active_jobseekers", "new_jobseekers", "registered_unemployed",
                "trained_share_jobseekers"} <= set(hoa["suppressed"])
        # Complementary: 14 − 7 would give hoa's 2 back if khmer's 5 were shown.
        assert khmer["values"]["active_jobseekers"] is None and khmer["values"]["registered_unemployed"] is None
        assert {"active_jobseekers", "new_jobseekers", "registered_unemployed"} <= set(khmer["suppressed"])
        assert khmer["values"]["trained_share_jobseekers"] is None  # 5 of 5: its denominator is hidden
        assert khmer["values"]["pwd_registered"] == 0 and "pwd_registered" not in khmer["suppressed"]  # zero shown
        assert kinh["values"]["active_jobseekers"] == 7 and kinh["values"]["trained_share_jobseekers"] == 1.0
        # kinh's single placement is small, and so is everything computed from it.
        assert kinh["values"]["placements"] is None and kinh["values"]["placement_rate"] is None
        assert {"placements", "placement_rate", "median_days_to_placement"} <= set(kinh["suppressed"])
        total = body["total"]
        assert (total["active_jobseekers"], total["new_jobseekers"], total["open_openings"]) == (14, 14, 8)
        assert total["placements"] is None and total["new_vacancies"] is None and total["vacancy_fill_rate"] is None
        assert {"placements", "new_vacancies", "open_vacancies", "vacancy_fill_rate"} <= set(body["total_suppressed"])
        assert body["disclosure"]["min_cell_size"] == 5 and body["disclosure"]["marker"] == "[c]"


def test_the_monthly_report_hides_small_figures_in_json_csv_xlsx_and_html(k5):
    app, analyst, _ = k5
    client = app.test_client()
    report = client.get(f"/api/v1/reports/monthly/{K5_MONTH}", headers=analyst).get_json()
    indicators = {i["key"]: i for i in report["indicators"]}
    assert indicators["placements"]["value"] is None
    assert indicators["placements"]["suppressed"] == ["value", "month_on_month", "year_on_year"]
    assert indicators["placements"]["previous_month"] == 0 and indicators["active_jobseekers"]["value"] == 14
    assert report["trends"]["suppressed"]["placements"] == [K5_MONTH]
    demand = {o["occupation_code"]: o for o in report["occupations"]["all"]}
    assert demand["5223"]["demand"] is None and demand["8153"]["demand"] is None  # 2 openings, and its partner
    assert demand["8153"]["supply"] == 14 and demand["8153"]["suppressed"] == ["demand"]
    assert report["occupations"]["shortage"] == []  # hidden demand: not classified
    assert {s["skill"]: s["vacancies"] for s in report["skills"]} == {"may": None, "bán hàng": None}
    assert report["disclosure"]["min_cell_size"] == 5 and any("fewer than 5" in n for n in report["notes"])

    csv_response = client.get(f"/api/v1/reports/monthly/{K5_MONTH}", query_string={"format": "csv"}, headers=analyst)
    rows = list(csv.DictReader(io.StringIO(csv_response.get_data(as_text=True).lstrip("\ufeff"))))
    by_key = {(r["section"], r["key"]): r for r in rows}
    placements = by_key[("indicator", "placements")]
    assert (placements["value"], placements["previous_month"], placements["mom_absolute"]) == ("[c]", "0", "[c]")
    assert by_key[("indicator", "active_jobseekers")]["value"] == "14"
    assert by_key[("skill_demand", "may")]["value"] == "[c]"
    assert rows[-1]["section"] == "legend" and rows[-1]["value"] == "[c]" and "1–4" in rows[-1]["definition"]

    xlsx = client.get(f"/api/v1/reports/monthly/{K5_MONTH}", query_string={"format": "xlsx"}, headers=analyst)
    assert xlsx.status_code == 200 and xlsx.mimetype == XLSX
    assert xlsx.headers["Content-Disposition"] == f'attachment; filename="labour-market-{K5_MONTH}.xlsx"'
    assert xlsx.headers["Cache-Control"] == "no-store" and xlsx.headers["X-Content-Type-Options"] == "nosniff"
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.max_row == len(rows) + 1  # the header, then exactly the CSV's rows
    header = [c.value for c in sheet[1]]
    cells = {(row[0].value, row[1].value): dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)}
    assert cells[("indicator", "placements")]["value"].value == "[c]"
    active = cells[("indicator", "active_jobseekers")]["value"]
    assert (active.value, active.data_type) == (14, "n")
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)

    page = client.get(f"/reports/{K5_MONTH}")  # public
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "[c]" in html and "fewer than 5" in html
    assert f"/api/v1/reports/monthly/{K5_MONTH}?format=xlsx" in html


def test_a_report_built_with_a_lower_threshold_is_not_served(k5, es):
    app, analyst, _ = k5
    generate(es=es, prefix=app.config["TEST_PREFIX"], tz="Asia/Ho_Chi_Minh", labour_force=LABOUR_FORCE,
             month="2026-05", actor="test", min_cell_size=1)  # as if built before the threshold was raised
    for fmt in ("json", "csv", "xlsx"):
        refused = app.test_client().get("/api/v1/reports/monthly/2026-05", headers=analyst,
                                        query_string={"format": fmt})
        assert refused.status_code == 404 and "rebuild it" in refused.get_json()["message"]
    assert app.test_client().get("/reports/2026-05").status_code == 404


def test_two_trained_shares_count_certificates_and_short_courses(es, embedder):
    """GSO counts a recorded sơ cấp certificate even when the level says none; MOLISA also counts short courses."""
    with isolated_app(es, embedder, "trained") as (app, prefix):
        state(app).settings["MIN_CELL_SIZE"] = 1
        tokens = issue_tokens(es, prefix)
        client = app.test_client()
        post = poster(client, auth(tokens["counsellor"]))
        base = {"training_level": "none", "registered_at": "2026-10-02", "certificates": [], "work_history": []}
        post("/api/v1/workers", factories.worker(**base))
        post("/api/v1/workers", factories.worker(**{**base, "certificates": [
            {"name": "Chứng chỉ sơ cấp nghề hàn", "level": "so_cap"}]}))
        post("/api/v1/workers", factories.worker(**{**base, "certificates": [{"name": "Lớp may 1 tháng"}]}))
        total = client.get("/api/v1/metrics", query_string={"from": "2026-10-01", "to": "2026-10-31"},
                           headers=auth(tokens["analyst"])).get_json()["total"]
        assert total["active_jobseekers"] == 3
        assert total["trained_share_jobseekers"] == pytest.approx(1 / 3)
        assert total["trained_any_share_jobseekers"] == pytest.approx(2 / 3)
