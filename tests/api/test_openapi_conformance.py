"""The OpenAPI document equals the API's behaviour: schemathesis drives every documented operation through the
WSGI app (real Elasticsearch node, own index prefix) and checks each answer against the document.

The run is schemathesis' own engine, what `schemathesis run` does (probing, then the coverage, fuzzing and
stateful phases; the examples phase has nothing to run, the document has no examples), not its pytest plugin:
the plugin's fixture-loaded schemas rename pytest nodes through an attribute pytest 9.2 removed. Bounded and
repeatable: a fixed seed, derandomized generation, no example database, MAX_EXAMPLES fuzzed examples per
operation. The test fails on any check failure or engine error, and when any operation in the document went
untested, so it cannot pass by testing nothing.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis.engine import events

from tests import factories
from tests.conftest import auth, isolated_app, issue_tokens

SEED = 20_260_119
MAX_EXAMPLES = 30  # fuzzed examples per operation and mode; the coverage phase adds its boundary and negative cases
SEEDED_MONTH = "2026-11"
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


# Valid input to these operations must also name records or codes that exist (an employer_id, a job_id, a commune
# or occupation code that is in the reference tables, an employer token's employer): a document cannot list them,
# so a schema-valid request is rightly refused there with 422 naming the field. positive_data_acceptance is off
# for these operations only; every other check runs on them.
REFERENCES_REQUIRED = [
    "POST /api/v1/employers",  # address.commune_code / legacy_ward_code: one of 3,000+ communes
    "POST /api/v1/jobs",  # employer_id, workplace commune, occupation code
    "POST /api/v1/workers",  # residence commune, occupation codes
    "POST /api/v1/exchange-sessions",  # employer_ids, job_ids
    "POST /api/v1/placements",  # job_id, worker_id, session_id
    "POST /api/v1/matches/search",  # occupation_code, commune_code
    "POST /api/v1/tokens",  # employer_id: an existing employer, and only with role employer
    "PUT /api/v1/exchange-sessions/{session_id}/attendance",  # employers taking part, registered jobseekers
    # rules across parameters, which OpenAPI 3.0 cannot state (the descriptions do): `to` not before `from`
    "GET /api/v1/metrics",
    # `cursor` must be a next_cursor this API issued for the same listing: an opaque value, 400 otherwise
    "GET /api/v1/employers", "GET /api/v1/jobs", "GET /api/v1/workers", "GET /api/v1/placements",
    "GET /api/v1/exchange-sessions", "GET /api/v1/audit",
    # the changes are merged into the stored record and the whole is validated again: valid changes are still
    # refused when the record has meanwhile been closed or erased, or they clash with its other fields
    "PATCH /api/v1/employers/{employer_id}", "PATCH /api/v1/jobs/{job_id}", "PATCH /api/v1/workers/{worker_id}",
    "PATCH /api/v1/exchange-sessions/{session_id}",
]


def _config(token: str) -> schemathesis.Config:
    return schemathesis.Config.from_dict({
        "seed": SEED,
        "workers": 1,
        # No state kept between runs (it would steer the next run's inputs) and no files left in the work tree.
        "cache": {"enabled": False},
        "headers": {"Authorization": f"Bearer {token}"},
        "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "checks": {
            # Off because of a schemathesis 4.32.5 bug with WSGI apps: its probe without credentials passes
            # requests-only arguments (max_redirects, verify) to werkzeug, which raises TypeError on every
            # operation. test_every_operation_refuses_a_missing_or_wrong_token below checks the same thing.
            "ignored_auth": {"enabled": False},
            # 412 added: a schema-valid If-Match that is not the record's current ETag is stale state, refused as
            # 409 (already accepted here) refuses a state conflict. 414 added to both: the whole URL is limited
            # to MAX_URL_LENGTH bytes (jobmatch.http), which no parameter's schema can say; long values in several
            # parameters (a percent-encoded character takes up to 12 bytes) can pass it together.
            "positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", 401, 403, 404, 409, 412, 414, 429,
                                                               "5xx"]},
            "negative_data_rejection": {"expected-statuses": [400, 401, 403, 404, 405, 406, 409, 414, 415, 422, 428,
                                                              429, "5xx"]},
            # 428 added: RFC 6585 §3 defines 428 Precondition Required for exactly this, a missing If-Match.
            "missing_required_header": {"expected-statuses": [400, 401, 403, 406, 415, 422, 428]},
        },
        "operations": [{"include-name": REFERENCES_REQUIRED,
                        "checks": {"positive_data_acceptance": {"enabled": False}}}],
    })


@pytest.fixture(scope="module")
def conformance_app(es, embedder, indices):
    # Own prefix: the run creates and closes many records, which other modules' counts must not see.
    with isolated_app(es, embedder, "openapi") as (application, prefix):
        application.config["TEST_PREFIX"] = prefix
        yield application


@pytest.fixture(scope="module")
def conformance_tokens(es, conformance_app):
    return issue_tokens(es, conformance_app.config["TEST_PREFIX"])


@pytest.fixture(scope="module")
def seeded(conformance_app, conformance_tokens) -> dict[str, list[str]]:
    """Real records, so that generated path parameters also name ids that exist."""
    client = conformance_app.test_client()
    headers = auth(conformance_tokens["admin"])

    def post(path: str, body: dict[str, Any], key: str) -> str:
        response = client.post(path, json=body, headers=headers)
        assert response.status_code == 201, (path, response.get_json())
        return response.get_json()[key]

    employer_id = post("/api/v1/employers", factories.employer(), "employer_id")
    # A vacancy the seeded jobseeker fits (no certificate asked), so that the referral is allowed.
    job_id = post("/api/v1/jobs", factories.job(employer_id, title="Công nhân may", occupation_code="8153",
                                                certificates=[], min_training_level="none", physical_demands={},
                                                essential_skills=["may công nghiệp"], optional_skills=[]), "job_id")
    worker_id = post("/api/v1/workers", factories.worker(), "worker_id")
    placement_id = post("/api/v1/placements", {"job_id": job_id, "worker_id": worker_id}, "placement_id")
    session_id = post("/api/v1/exchange-sessions",
                      {"title": "Phiên giao dịch việc làm", "date": "2026-12-05", "mode": "onsite",
                       "venue": {"commune_code": factories.COMMUNE}, "employer_ids": [employer_id],
                       "job_ids": [job_id]}, "session_id")
    # A token nobody uses, so that revoking hits a real one without locking the run out.
    spare = post("/api/v1/tokens", {"role": "analyst", "label": "spare"}, "token_id")
    result = conformance_app.test_cli_runner().invoke(args=["jobmatch", "report", "--month", SEEDED_MONTH])
    assert result.exit_code == 0, result.output
    return {"employer_id": [employer_id], "job_id": [job_id], "worker_id": [worker_id],
            "placement_id": [placement_id], "session_id": [session_id], "token_id": [spare],
            "month": [SEEDED_MONTH]}


@pytest.fixture(scope="module")
def api_schema(conformance_app, conformance_tokens, seeded):
    """The document the app serves, loaded through schemathesis' WSGI support."""
    schema = schemathesis.openapi.from_wsgi("/openapi.json", conformance_app,
                                            config=_config(conformance_tokens["admin"]))

    @schema.hook
    def before_generate_path_parameters(context: Any, strategy: st.SearchStrategy) -> st.SearchStrategy:
        # Some cases name the seeded records, so that the 200 answers are checked too, not only the 404s.
        names = [p.name for p in context.operation.path_parameters] if context.operation else []
        known = {name: st.sampled_from(seeded[name]) for name in names if name in seeded}
        if not known:
            return strategy
        return st.one_of(strategy, st.fixed_dictionaries(known))

    arrays = {f"{method.upper()} {path}": {p["name"] for p in op.get("parameters", [])
                                             if p.get("in") == "query" and p["schema"].get("type") == "array"}
              for path, item in schema.raw_schema["paths"].items() for method, op in item.items()
              if method in HTTP_METHODS}

    @schema.hook
    def filter_query(context: Any, query: dict[str, Any] | None) -> bool:
        # A query string carries only strings. schemathesis 4.32.5's WSGI transport sends an object (or a list for
        # a single-valued parameter) generated as negative data as its Python repr, e.g. q={'': 0.0}, which is a
        # valid string; it then reports the API for accepting it, judging by a URL it recorded but did not send.
        # Such values cannot be put in a URL faithfully, so they are not generated.
        lists_allowed = arrays.get(context.operation.label, set()) if context.operation else set()
        return not any(isinstance(value, dict) or (isinstance(value, list) and name not in lists_allowed)
                       for name, value in (query or {}).items())

    return schema


def _describe(label: str, recorder: Any, case_id: str, failure: Any) -> str:
    interaction = recorder.interactions.get(case_id)
    sent = f"{interaction.request.method} {interaction.request.uri}" if interaction else "(no request)"
    response = interaction.response if interaction else None
    answer = f"{response.status_code} {response.content[:300]!r}" if response is not None else "-"
    body = interaction.request.body[:300] if interaction and interaction.request.body else b""
    return f"[{label}] {failure.title} — {sent} {body!r} → {answer}\n{failure.message}"


def test_every_operation_answers_as_documented(api_schema):
    documented = {f"{method.upper()} {path}" for path, item in api_schema.raw_schema["paths"].items()
                  for method in item if method in HTTP_METHODS}
    assert len(documented) >= 40, sorted(documented)  # the document itself is not empty or cut short

    started = time.monotonic()
    tested: Counter[str] = Counter()  # requests per operation
    failures: list[str] = []
    errors: list[str] = []
    stop_reason = None
    phases: dict[str, str] = {}
    for event in schemathesis.engine.from_schema(api_schema).execute():
        if isinstance(event, events.ScenarioFinished | events.FuzzScenarioFinished):
            # Stateful scenarios chain several operations and carry no label: count each request by its case.
            recorder = event.recorder
            for case_id in recorder.interactions:
                tested[recorder.cases[case_id].value.operation.label] += 1
            for case_id, nodes in recorder.checks.items():
                label = recorder.cases[case_id].value.operation.label if case_id in recorder.cases else "?"
                failures.extend(_describe(label, recorder, case_id, node.failure_info.failure)
                                for node in nodes if node.failure_info is not None)
        elif isinstance(event, events.PhaseFinished):
            phases[event.phase.name.value] = f"{event.status.value}{'' if event.phase.is_enabled else ' (off)'}"
        elif isinstance(event, events.NonFatalError):
            errors.append(f"[{event.label}] {event.phase}: {event.info.title}: {event.info.message}\n"
                          f"{event.info.traceback}")
        elif isinstance(event, events.FatalError):
            errors.append(f"fatal: {event.exception!r}")
        elif isinstance(event, events.EngineFinished):
            stop_reason = event.stop_reason
            failures.extend(str(failure) for failure in event.failures)
    elapsed = time.monotonic() - started
    print(f"\nopenapi conformance: {len(tested)} of {len(documented)} operations, {sum(tested.values())} requests, "
          f"{elapsed:.0f}s, stop reason {stop_reason}, phases {phases}")

    unique = sorted(set(failures))
    assert not errors, "\n\n".join(errors)
    assert not unique, f"{len(unique)} mismatches between the document and the API:\n\n" + "\n\n".join(unique)
    assert stop_reason == "completed", stop_reason
    # A safety net for failures this loop did not find where it looks: every phase must have passed or been skipped.
    assert all(status in ("success", "skip") for status in phases.values()), phases
    missing = sorted(label for label in documented if tested[label] == 0)
    assert not missing, f"operations never exercised: {missing}"


@pytest.mark.parametrize("credentials", [None, "Bearer jm_not-a-token", "Basic YWRtaW46YWRtaW4="])
def test_every_operation_refuses_a_missing_or_wrong_token(api_schema, conformance_app, seeded, credentials):
    """What schemathesis' ignored_auth check would do (see _config): every operation the document secures
    answers 401 in the error shape without a valid bearer token, and the open ones do not."""
    client = conformance_app.test_client()
    spec = api_schema.raw_schema
    checked = 0
    for path, item in spec["paths"].items():
        url = path
        for name, values in seeded.items():
            url = url.replace("{" + name + "}", values[0])
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            headers = {"Authorization": credentials} if credentials else {}
            response = client.open(url, method=method.upper(), json={} if "requestBody" in operation else None,
                                   headers=headers)
            secured = operation.get("security", spec.get("security")) != []
            if secured:
                assert response.status_code == 401, (method, url, response.get_json())
                body = response.get_json()
                assert (body["status"], body["code"]) == (401, "unauthorized") and body["message"]
                assert response.headers["WWW-Authenticate"] == "Bearer"
            else:
                assert response.status_code != 401, (method, url)
            checked += 1
    assert checked == sum(1 for item in spec["paths"].values() for method in item if method in HTTP_METHODS)
