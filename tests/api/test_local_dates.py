"""Records created without a date get today's date in TIMEZONE; business times carry the local offset."""

from zoneinfo import ZoneInfo

from jobmatch.clock import local_today
from tests import factories
from tests.conftest import auth

VN = ZoneInfo("Asia/Ho_Chi_Minh")  # the TIMEZONE default the test app runs with


def test_records_without_a_date_get_todays_local_date(client, tokens):
    headers = auth(tokens["counsellor"])
    before = local_today(VN)
    worker = client.post("/api/v1/workers", json=factories.worker(), headers=headers)
    employer = client.post("/api/v1/employers", json=factories.employer(), headers=headers)
    job = client.post("/api/v1/jobs", json=factories.job(employer.get_json()["employer_id"]), headers=headers)
    after = local_today(VN)
    assert (worker.status_code, job.status_code) == (201, 201), (worker.get_json(), job.get_json())
    # Between 00:00 and 06:59 local time the UTC date is the day before: only the local one is accepted.
    assert worker.get_json()["registered_at"] in {before.isoformat(), after.isoformat()}
    assert job.get_json()["posted_at"] in {before.isoformat(), after.isoformat()}


def test_closing_and_reopening_are_stamped_in_local_time(client, tokens):
    headers = auth(tokens["counsellor"])
    employer = client.post("/api/v1/employers", json=factories.employer(), headers=headers).get_json()["employer_id"]
    job_id = client.post("/api/v1/jobs", json=factories.job(employer), headers=headers).get_json()["job_id"]
    closed = client.delete(f"/api/v1/jobs/{job_id}", json={"reason": "tạm dừng", "status": "closed"},
                           headers=headers)
    assert closed.status_code == 200, closed.get_json()
    assert closed.get_json()["closed_at"].endswith("+07:00")
    reopened = client.post(f"/api/v1/jobs/{job_id}/reopen", json={"openings": 2, "reason": "tuyển lại"},
                           headers={**headers, "If-Match": closed.headers["ETag"]})
    assert reopened.status_code == 200, reopened.get_json()
    body = reopened.get_json()
    assert body["reopened_at"].endswith("+07:00") and body["updated_at"].endswith("+00:00")  # bookkeeping: UTC
