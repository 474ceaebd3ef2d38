"""Employers learn nothing about a jobseeker's hidden attributes from any parameter they can send.

The issue: "Employers cannot filter, sort or match by any attribute they may not see [...] A test walks every
employer-reachable parameter and proves no result set depends on a hidden attribute." This is that test.

The world: an isolated app (its own indices) with one employer, two of its vacancies and *twins*: pairs of
consenting jobseekers identical in everything an employer may see (wanted occupation, skills, certificates,
training, work history, place, commute limit, pay wish, work modes, status) and different in everything
`HIDDEN_FROM_EMPLOYERS` lists: name, ID and phone, gender, ethnicity (kinh / khmer / hoa), birth year, languages
(["vi"] / ["vi", "km"] / ...), priority groups, unemployment-insurance status and disability details that need
no accommodation (so no hard constraint may lawfully tell them apart). Policy boosts are on for some priority
groups, as a province may configure them (`MATCH_BOOSTS`). One non-consenting person is there as well.

Which operations: every GET in the app's own /openapi.json, not a hand list, so a new route or parameter is
walked as soon as it is documented. Each is called with the employer token. The guard answers 403 before any
view runs when the role is not admitted, so 403 means "not employer-reachable" and anything else "reachable";
the answer is checked against the roles each view declares (`@roles`). When this was written that gave 15 of
the 24 documented GETs: /healthz, /readyz, /api/v1/me, employers (list, one), jobs (list, one), workers (list, one), a
vacancy's matches, placements (list, one) and the occupation, commune and skill type-ahead.

Which values: every query parameter of those operations, one at a time, with what its schema allows (each enum
value, both booleans, the bounds of numbers, dates), the world's places, codes and ids, a real cursor, and
values of hidden attributes ("khmer", "Khmer", "1972", "km", "ethnic_minority", a twin's name or ID, ...). The
names of hidden fields sent as undocumented parameters (`ethnicity=khmer`, `sort=birth_year`, ...) are walked
too.

What must hold:
- every 2xx answer: no jobseeker object in it carries a hidden field, no answer carries a field only
  jobseekers have (gender, birth_year, ...), and no twin's name, ID or phone (nor the non-consenting person's id)
  appears anywhere;
- twins appear together or not at all (pages are followed to the end; a match list cut by `size` may split
  twins only at a tie on its last score) and, where both appear, their items are equal but for ids and
  timestamps: same score, reasons, distance, breakdown;
- a request that names one twin (a path id, `worker_id=`) answers exactly as the same request naming the other;
- a 4xx caused by a parameter names that parameter, and a parameter that filters by a hidden attribute (by its
  name, or by values from a hidden vocabulary, or a sort key naming a hidden field) is refused;
- the operations and parameters walked are exactly those the OpenAPI document lists for the reachable
  operations, and twins were actually compared, so the test cannot pass by walking nothing.

Lawful exception: matching may use a requirement the vacancy itself states. The only such hidden attribute is
`languages` (a vacancy's `languages`, e.g. Khmer for a bilingual shop): twins who differ in a language the
vacancy lists may be told apart in that vacancy's matches, but never shown the list. Matching reads no language
today; the exemption is spelled out so that a lawful language feature does not fail this test, and every pair
that does not differ in a stated language stays fully checked on that vacancy. No vacancy field states an age,
so birth year has no exception.

What the walk found when it was written: policy boosts (`MATCH_BOOSTS`) were added to the scores employers
saw, so of two twins the one in a boosted priority group (ethnic minority, poor household) scored higher and
ranked first. Employers' match lists are now ranked without boosts (`Matcher`); counsellors keep them.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest

from jobmatch.auth.tokens import TokenStore
from jobmatch.employers.schemas import EmployerOut
from jobmatch.extensions import state
from jobmatch.jobs.schemas import JobOut
from jobmatch.placements.schemas import EventOut, PlacementOut
from jobmatch.records.access import HIDDEN_FROM_EMPLOYERS
from jobmatch.records.vocab import ETHNICITIES, FUNCTIONAL_LIMITATIONS, GENDERS, LANGUAGES, PRIORITY_GROUPS, UI_STATUSES
from tests import factories
from tests.conftest import auth, isolated_app

SITE = {"commune_code": "xa-tran-de", "lat": 9.5102, "lon": 106.2051}  # the welding shop
NEAR_SITE = {"commune_code": "xa-tran-de", "lat": 9.5150, "lon": 106.2000}
LIEU_TU = {"legacy_ward_code": "31675"}  # Xã Liêu Tú, about 10 km from the site
TOWN = {"legacy_ward_code": "31498"}  # Phường 5, now Phường Sóc Trăng: the shop
TOWN_EAST = {"legacy_ward_code": "31504"}  # Phường 8, same commune
WELD_CERT = [{"name": "Chứng chỉ hàn", "year": 2020, "level": "so_cap"}]
BOOSTS = {"ethnic_minority": 0.05, "poor_household": 0.05, "near_poor_household": 0.03, "youth": 0.03}


def person(name: str, national_id: str, phone: str, **hidden):
    """The hidden half of a jobseeker: everything an employer must not see (nor infer)."""
    disability = hidden.pop("disability", None)
    body = {"personal": {"full_name": name, "national_id": national_id, "phone": phone},
            "consent": {"show_to_employers": True, "store_disability": bool(disability)}, **hidden}
    if disability:
        body["disability"] = disability  # limitations that no task demand conflicts with, no accommodation
    return body


def welder(residence, training_level, since):
    """The visible half of a welder."""
    return {"residence": residence, "max_commute_km": 30, "training_level": training_level,
            "general_education": "upper_secondary", "certificates": WELD_CERT,
            "skills": ["hàn hồ quang", "đọc bản vẽ kỹ thuật", "hàn MIG"],
            "work_history": [{"title": "Thợ hàn", "occupation_code": "7212", "from_year": since, "to_year": 2024}],
            "desired_occupations": ["7212"], "desired_salary_min": 8_000_000, "desired_work_modes": ["on_site"],
            "employment_status": "unemployed"}


def seller(residence, training_level, since, status):
    """The visible half of a shop assistant."""
    return {"residence": residence, "max_commute_km": 15, "training_level": training_level,
            "general_education": "upper_secondary", "skills": ["bán hàng", "giao tiếp khách hàng", "tính tiền"],
            "work_history": [{"title": "Bán hàng tạp hóa", "occupation_code": "5223", "from_year": since}],
            "desired_occupations": ["5223"], "desired_salary_min": 6_000_000,
            "desired_work_modes": ["on_site", "hybrid"], "employment_status": status}


# name -> (visible profile, hidden half of twin a, hidden half of twin b); every hidden attribute differs.
PAIRS = {
    "welders": (welder(NEAR_SITE, "trung_cap", 2010),
                person("Nguyễn Văn Hùng", "094090001234", "0912000001", birth_year=1990, gender="male",
                       ethnicity="kinh", languages=["vi"], priority_groups=[], ui_status="none"),
                person("Thạch Thị Sa Rết", "094072005678", "0912000002", birth_year=1972, gender="female",
                       ethnicity="khmer", languages=["vi", "km"], priority_groups=["ethnic_minority", "poor_household"],
                       ui_status="receiving", disability={"functional_limitations": ["speech"]})),
    "welders_far": (welder(LIEU_TU, "so_cap", 2020),
                    person("Sơn Minh Tài", "094204001111", "0912000003", birth_year=2004, gender="male",
                           ethnicity="khmer", languages=["km", "vi", "en"],
                           priority_groups=["ethnic_minority", "youth"], ui_status="none",
                           disability={"functional_limitations": ["learning"]}),
                    person("Lý Mỹ Linh", "094180002222", "0912000004", birth_year=1980, gender="female",
                           ethnicity="hoa", languages=["vi", "zh", "km"], priority_groups=[], ui_status="applied")),
    "sellers": (seller(TOWN, "none", 2016, "unemployed"),
                person("Kim Thị Sóc Mây", "094185003333", "0912000005", birth_year=1985, gender="female",
                       ethnicity="khmer", languages=["vi", "km"], priority_groups=["near_poor_household"],
                       ui_status="ended", disability={"functional_limitations": ["speech", "learning"]}),
                person("Trần Quốc Bảo", "094201004444", "0912000006", birth_year=2001, gender="other",
                       ethnicity="kinh", languages=["vi", "km"], priority_groups=[], ui_status="none")),
    "sellers_lang": (seller(TOWN_EAST, "so_cap", 2012, "employed_looking"),
                     person("Lê Thị Hoa", "094195005555", "0912000007", birth_year=1995, gender="female",
                            ethnicity="kinh", languages=["vi"], priority_groups=[], ui_status="none"),
                     person("Danh Sa Ry", "094168006666", "0912000008", birth_year=1968, gender="unspecified",
                            ethnicity="other", languages=["vi", "km"],
                            priority_groups=["ethnic_minority", "meritorious_family"], ui_status="receiving",
                            disability={"functional_limitations": ["speech"]})),
}

# Fields only a jobseeker has: no employer-visible record type (vacancy, employer, placement) carries them, so
# they may appear nowhere in an employer's answer. The others (a vacancy's `languages`, `source`) only inside
# a jobseeker object.
EMPLOYER_VISIBLE_RECORDS = set(JobOut().fields) | set(EmployerOut().fields) | set(PlacementOut().fields) | set(
    EventOut().fields)
PERSON_ONLY = set(HIDDEN_FROM_EMPLOYERS) - EMPLOYER_VISIBLE_RECORDS
# Parameter names that would filter or sort by a hidden attribute, beyond the hidden fields' own names.
HIDDEN_SYNONYMS = {"age", "sex", "lang", "ethnic_group", "nationality", "disabled"}
BOOKKEEPING = {"source", "external_id", "created_by", "closed_by"}  # hidden, but no attribute of the person
GENERIC = {"other", "none", "unspecified"}  # vocabulary words that mean nothing on their own
HIDDEN_VOCABULARIES = [set(v) - GENERIC for v in (ETHNICITIES, GENDERS, PRIORITY_GROUPS, FUNCTIONAL_LIMITATIONS,
                                                   UI_STATUSES, LANGUAGES)]
# Values of hidden attributes an employer might try in any parameter.
HIDDEN_WORDS = [*ETHNICITIES, "Khmer", "KHMER", "Kinh", "Hoa", "dân tộc Khmer", "Khơ-me", *GENDERS, "nữ", "nam",
                *PRIORITY_GROUPS, "hộ nghèo", "dân tộc thiểu số", *LANGUAGES, "tiếng Khmer", "speech", "learning",
                "khuyết tật", "disability", "Thạch", "Sa Rết"]
# Hidden fields (and sort keys naming them) sent as parameters no operation documents.
UNDOCUMENTED = {"ethnicity": "khmer", "gender": "female", "birth_year": "1972", "age": "50", "languages": "km",
                "language": "km", "has_disability": "true", "disability": "speech",
                "priority_groups": "ethnic_minority", "priority_group": "poor_household", "ui_status": "receiving",
                "sort": "birth_year", "sort_by": "ethnicity", "order_by": "-birth_year", "order": "desc"}
IGNORED_IN_COMPARISON = {"worker_id", "placement_id", "at"}  # ids and times differ between twins by construction
MAX_PAGES = 50


@dataclass
class World:
    """What the walk needs to know about the isolated app's records."""

    app: Any
    headers: dict[str, str]
    counsellor: dict[str, str]
    employer_id: str
    jobs: dict[str, dict[str, Any]]  # job_id -> vacancy as stored
    pairs: dict[str, tuple[str, str]]  # pair name -> (worker id a, worker id b)
    payloads: dict[str, dict[str, Any]]  # worker id -> registration payload
    private_id: str
    placements: dict[str, str] = field(default_factory=dict)  # worker id -> placement id
    counterpart: dict[str, str] = field(default_factory=dict)  # twin's worker or placement id -> the other's

    def path_values(self, name: str) -> list[str] | None:
        """Return the values a path parameter is walked with, None for a parameter this world cannot fill."""
        return {"worker_id": [w for pair in self.pairs.values() for w in pair],
                "job_id": list(self.jobs), "employer_id": [self.employer_id],
                "placement_id": list(self.placements.values())}.get(name)

    def known_values(self, name: str) -> list[Any]:
        """Return values from this world for a query parameter of that name (places, codes, ids, words)."""
        twins = [w for pair in self.pairs.values() for w in pair]
        return {"q": ["hàn", "tho han", "Thợ hàn", "bán hàng", "ban hang", "song ngữ"],
                "commune_code": ["xa-tran-de", "xa-lieu-tu", "phuong-soc-trang"],
                "district_code": ["951", "941"], "occupation_code": ["7212", "72", "7", "5223", "52"],
                "job_id": list(self.jobs), "worker_id": twins, "employer_id": [self.employer_id, "emp-other"],
                "placement_id": list(self.placements.values()), "session_id": ["ses-none"]}.get(name, [])

    def secrets(self) -> list[str]:
        """Return strings that must appear in no employer answer: names, IDs, phones, the private person's id."""
        found = [self.private_id]
        for payload in self.payloads.values():
            found += [v for v in payload["personal"].values() if v]
        return found

    def exempt(self, job_id: str | None) -> set[str]:
        """Return the pairs whose twins may be told apart on this vacancy: they differ in a language it states."""
        stated = set((self.jobs.get(job_id) or {}).get("languages") or [])
        return {name for name, (a, b) in self.pairs.items()
                if stated & set(self.payloads[a]["languages"]) != stated & set(self.payloads[b]["languages"])}


def post(client, url, body, headers):
    response = client.post(url, json=body, headers=headers)
    assert response.status_code in (200, 201), (url, response.get_json())
    return response.get_json()


@pytest.fixture(scope="module")
def world(es, embedder) -> Iterator[World]:
    with isolated_app(es, embedder, "inference") as (app, prefix):
        app_state = state(app)
        app_state.matching = {**app_state.matching, "boosts": dict(BOOSTS)}
        store = TokenStore(es, prefix)
        counsellor = auth(store.create(role="counsellor", label="inference counsellor")[0])
        client = app.test_client()
        employer_id = post(client, "/api/v1/employers", factories.employer(name="Cơ khí và Thương mại Trần Đề"),
                           counsellor)["employer_id"]
        other_employer = post(client, "/api/v1/employers",
                              factories.employer(name="Công ty khác", tax_code="2200999999"), counsellor)["employer_id"]
        welding = post(client, "/api/v1/jobs", factories.job(
            employer_id, title="Thợ hàn khung nhà thép", workplace=SITE,
            essential_skills=["hàn hồ quang", "đọc bản vẽ kỹ thuật"], optional_skills=["hàn MIG"],
            physical_demands={"lifting": "moderate"}, accommodations=["flexible_hours"]), counsellor)
        shop = post(client, "/api/v1/jobs", factories.job(
            employer_id, title="Nhân viên bán hàng song ngữ Việt - Khmer", occupation_code="5223", workplace=TOWN,
            description="Bán hàng tại cửa hàng tạp hóa, giao tiếp với khách bằng tiếng Việt và tiếng Khmer.",
            salary_min=6_000_000, salary_max=7_000_000, min_training_level="none", certificates=[],
            essential_skills=["bán hàng", "giao tiếp khách hàng"], optional_skills=["tính tiền"],
            languages=["vi", "km"], physical_demands={}, accommodations=[]), counsellor)
        post(client, "/api/v1/jobs", factories.job(other_employer, title="Thợ hàn ống", workplace=SITE), counsellor)
        pairs, payloads = {}, {}
        for name, (visible, hidden_a, hidden_b) in PAIRS.items():
            ids = []
            for hidden in (hidden_a, hidden_b):
                payload = {**visible, **hidden}
                worker_id = post(client, "/api/v1/workers", payload, counsellor)["worker_id"]
                payloads[worker_id] = payload
                ids.append(worker_id)
            pairs[name] = (ids[0], ids[1])
        private = {**PAIRS["welders"][0], **person("Châu Văn Kiệt", "094088007777", "0912000009", birth_year=1988,
                                                   gender="male", ethnicity="khmer", languages=["vi", "km"])}
        private["consent"] = {"show_to_employers": False}
        private_id = post(client, "/api/v1/workers", private, counsellor)["worker_id"]
        employer_token, _ = store.create(role="employer", employer_id=employer_id, label="inference employer")
        built = World(app=app, headers=auth(employer_token), counsellor=counsellor, employer_id=employer_id,
                      jobs={welding["job_id"]: welding, shop["job_id"]: shop}, pairs=pairs, payloads=payloads,
                      private_id=private_id)
        referrals = {"welders": welding["job_id"], "welders_far": welding["job_id"], "sellers": shop["job_id"]}
        for name, job_id in referrals.items():
            for worker_id in pairs[name]:
                placed = post(client, "/api/v1/placements", {"job_id": job_id, "worker_id": worker_id}, counsellor)
                built.placements[worker_id] = placed["placement_id"]
        for a, b in pairs.values():
            built.counterpart.update({a: b, b: a})
            if a in built.placements:
                built.counterpart.update({built.placements[a]: built.placements[b],
                                          built.placements[b]: built.placements[a]})
        yield built


# --- reading the OpenAPI document -------------------------------------------------------------------------------

def documented_gets(client) -> dict[str, dict[str, Any]]:
    """Return every GET of /openapi.json: path template -> {"path": [names], "query": [parameter objects]}."""
    doc = client.get("/openapi.json").get_json()
    operations = {}
    for path, item in doc["paths"].items():
        if "get" not in item:
            continue
        params: dict[tuple[str, str], dict[str, Any]] = {}
        for param in [*item.get("parameters", []), *item["get"].get("parameters", [])]:
            params[(param["in"], param["name"])] = param
        operations[path] = {"path": [name for where, name in params if where == "path"],
                            "query": [p for (where, _), p in params.items() if where == "query"]}
    return operations


def enum_of(param: dict[str, Any]) -> list[Any]:
    schema = param.get("schema", {})
    schema = schema.get("items", schema) if schema.get("type") == "array" else schema
    return [value for value in schema.get("enum", []) if value is not None]


def is_hidden_filter(param: dict[str, Any]) -> bool:
    """Tell whether a parameter filters by a hidden attribute: by its name or by its vocabulary."""
    name = re.sub(r"^(min|max)_", "", param["name"].lower())
    names = {f.rstrip("s") for f in HIDDEN_FROM_EMPLOYERS if f not in BOOKKEEPING} | HIDDEN_SYNONYMS
    if name.rstrip("s") in names:
        return True
    values = set(enum_of(param)) - GENERIC
    return bool(values) and any(values <= vocabulary for vocabulary in HIDDEN_VOCABULARIES)


def names_hidden_field(value: Any) -> bool:
    """Tell whether an enum value (a sort key, say) names a hidden field."""
    return isinstance(value, str) and value.lstrip("-+").lower() in set(HIDDEN_FROM_EMPLOYERS) | {"age"}


def values_for(param: dict[str, Any], world: World) -> list[Any]:
    """Return the values a query parameter is walked with: its schema's, the world's and hidden attributes'."""
    schema = param.get("schema", {})
    kind = schema.get("type")
    if kind == "array":
        enum = enum_of(param)
        return [[v] for v in enum] + ([enum[:3]] if len(enum) > 1 else []) + [[w] for w in HIDDEN_WORDS]
    values: list[Any] = list(enum_of(param))
    if kind == "boolean":
        values += ["true", "false"]
    elif kind == "integer":
        low, high = schema.get("minimum", 0), schema.get("maximum", 100)
        values += sorted({low, low + 1, 5, high})
    elif kind == "number":
        low, high = schema.get("minimum", 0), schema.get("maximum", 100)
        values += sorted({low, 2.0, 12.0, 40.0, high})
    elif schema.get("format") == "date":
        today = date.today()
        values += [(today + timedelta(days=d)).isoformat() for d in (-400, 0, 200)]
    values += world.known_values(param["name"])
    birth_years = sorted({str(p["birth_year"]) for p in world.payloads.values()})
    # Every name, ID and phone where people are searched by text; a few elsewhere (they only meet validation).
    secrets = world.secrets() if param["name"] == "q" else world.secrets()[:4]
    values += [*HIDDEN_WORDS, *birth_years, *secrets]
    if param["name"] == "cursor":
        values.append(FIRST_PAGE)
    return values


FIRST_PAGE = object()  # stands for "the cursor of a one-item first page", which only exists at walk time


def required_defaults(query: list[dict[str, Any]]) -> dict[str, Any]:
    """Return a value for each required query parameter (the type-ahead's `q`)."""
    return {p["name"]: "hàn" if p.get("schema", {}).get("type", "string") == "string" else
            p.get("schema", {}).get("minimum", 1) for p in query if p.get("required")}


# --- checking answers -------------------------------------------------------------------------------------------

def dicts(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for inner in value.values():
            yield from dicts(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from dicts(inner)


def hidden_problems(body: Any, world: World) -> list[str]:
    """Return what an employer's answer shows that it must not: hidden fields, names, IDs, the private person."""
    problems = []
    text = json.dumps(body, ensure_ascii=False)
    problems += [f"shows {secret!r}" for secret in world.secrets() if secret in text]
    for obj in dicts(body):
        is_person = "worker_id" in obj and "job_id" not in obj and "placement_id" not in obj
        shown = set(obj) & (set(HIDDEN_FROM_EMPLOYERS) if is_person else PERSON_ONLY)
        if shown:
            problems.append(f"carries hidden fields {sorted(shown)} in {sorted(obj)[:8]}")
    return problems


def normalise(value: Any) -> Any:
    """Drop what differs between twins by construction: their ids and the times their records were written."""
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()
                if k not in IGNORED_IN_COMPARISON and not k.endswith("_at")}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


def difference(first: Any, second: Any) -> str:
    """Say where two normalised answers differ, briefly."""
    first, second = normalise(first), normalise(second)
    if isinstance(first, dict) and isinstance(second, dict):
        keys = sorted(k for k in set(first) | set(second) if first.get(k) != second.get(k))
        return "; ".join(f"{k}: {difference(first.get(k), second.get(k))}" for k in keys)
    if isinstance(first, list | tuple) and isinstance(second, list | tuple) and len(first) == len(second):
        return "; ".join(f"[{i}] {difference(a, b)}" for i, (a, b) in enumerate(zip(first, second, strict=True))
                         if a != b)
    return f"{str(first)[:200]} != {str(second)[:200]}"


def worker_items(body: Any) -> list[dict[str, Any]]:
    """Return the jobseeker-bearing items of an answer: list items, or the record itself."""
    if isinstance(body, dict) and isinstance(body.get("items"), list):
        return [item for item in body["items"] if isinstance(item, dict) and "worker_id" in item]
    return [body] if isinstance(body, dict) and "worker_id" in body else []


def twin_problems(items: list[dict[str, Any]], world: World, exempt: set[str], cut: int | None,
                  reference: dict[str, float] | None) -> tuple[list[str], int]:
    """Check that twins are listed together with equal items; return (problems, pairs compared).

    `cut`: the size a list was cut at (None when every page was read); `reference`: every candidate's score in
    the same list uncut, to tell a tie at the cut-off from a twin left out.
    """
    problems, compared = [], 0
    by_key = {(item["worker_id"], item.get("job_id")): item for item in items}
    for name, (a, b) in world.pairs.items():
        if name in exempt:
            continue
        for job in sorted({job for worker, job in by_key if worker in (a, b)}, key=str):
            first, second = by_key.get((a, job)), by_key.get((b, job))
            if first and second:
                compared += 1
                if normalise(first) != normalise(second):
                    problems.append(f"twins {name} are told apart: {difference(first, second)}")
                continue
            present, missing = (a, b) if first else (b, a)
            shown = first or second
            tie = (cut is not None and len(items) == cut and "score" in shown
                   and shown["score"] == min(i["score"] for i in items if "score" in i)
                   and reference is not None and reference.get(missing) == shown["score"])
            if not tie:
                problems.append(f"only one of the twins {name} is listed ({present}, not {missing})")
    return problems, compared


def names_parameter(body: Any, name: str) -> bool:
    return name in json.dumps(body, ensure_ascii=False)


# --- the walk -------------------------------------------------------------------------------------------------

@dataclass
class Walk:
    """What was walked and what went wrong."""

    reachable: dict[str, dict[str, Any]] = field(default_factory=dict)
    unreachable: list[str] = field(default_factory=list)
    walked: set[tuple[str, str]] = field(default_factory=set)
    undocumented: set[tuple[str, str]] = field(default_factory=set)
    requests: int = 0
    compared: int = 0
    compared_by_op: dict[str, int] = field(default_factory=dict)
    compared_by_url: dict[str, int] = field(default_factory=dict)
    refused: set[tuple[str, str]] = field(default_factory=set)  # (path, parameter) answered 4xx at least once
    answers: dict[tuple[Any, ...], tuple[int, Any]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def declared_roles(app, url: str) -> frozenset[str] | None:
    """Return the roles the view behind a GET url admits, None for routes outside the guard (health probes)."""
    endpoint, _ = app.url_map.bind("localhost").match(url, method="GET")
    view = app.view_functions[endpoint]
    return getattr(view, "allowed_roles", frozenset()) if url.startswith("/api/") else None


def fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


def freeze(params: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))


@dataclass
class Request:
    """One operation with its path filled in, and what its parameter-free answers told."""

    path: str
    url: str
    path_values: dict[str, str]
    required: dict[str, Any]
    paged: bool
    about_people: bool = False
    reference: dict[str, float] | None = None
    default_size: int | None = None


class Walker:
    """Calls operations as the employer, follows pages and checks every answer."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.client = world.app.test_client()
        self.walk = Walk()

    def get(self, url: str, params: dict[str, Any], *, paged: bool) -> tuple[int, Any, list[dict[str, Any]]]:
        """GET as the employer; with `paged`, follow `next_cursor` to the end. Return (status, first body,
        jobseeker items of all pages). Every 2xx body is checked for hidden data."""
        response = self.client.get(url, query_string=params, headers=self.world.headers)
        self.walk.requests += 1
        body = response.get_json(silent=True)
        status = response.status_code
        if status >= 500:
            self.walk.problems.append(f"GET {url} {params}: {status} {body}")
        if not 200 <= status < 300:
            return status, body, []
        pages, items, page = 1, worker_items(body), body
        self.walk.problems += [f"GET {url} {params}: {p}" for p in hidden_problems(body, self.world)]
        while paged and isinstance(page, dict) and page.get("next_cursor"):
            nxt = self.client.get(url, query_string={**params, "cursor": page["next_cursor"]},
                                  headers=self.world.headers)
            self.walk.requests += 1
            pages += 1
            assert nxt.status_code == 200 and pages <= MAX_PAGES, (url, params, nxt.get_json())
            page = nxt.get_json()
            items += worker_items(page)
            self.walk.problems += [f"GET {url} {params} (page {pages}): {p}" for p in hidden_problems(page, self.world)]
        return status, body, items

    def discover(self, operations: dict[str, dict[str, Any]]) -> None:
        """Sort the documented GETs into employer-reachable (anything but 403) and not, checked against @roles."""
        for path, op in operations.items():
            values = {name: (self.world.path_values(name) or ["unknown"])[0] for name in op["path"]}
            url = fill(path, values)
            status, body, _ = self.get(url, required_defaults(op["query"]), paged=False)
            roles = declared_roles(self.world.app, url)
            if status == 403:
                assert roles is not None and "employer" not in roles, f"{path}: 403 although the view admits {roles}"
                self.walk.unreachable.append(path)
                continue
            assert roles is None or "employer" in roles, f"{path}: {status} although the view admits only {roles}"
            unknown = [name for name in op["path"] if self.world.path_values(name) is None]
            assert not unknown, f"{path} is employer-reachable: give the world values for path parameters {unknown}"
            assert status == 200 or (roles is None and status < 500), (path, status, body)
            self.walk.reachable[path] = op

    def walk_operation(self, path: str, op: dict[str, Any]) -> None:
        """Call one reachable operation for every path value, with every query parameter set to every value."""
        names = op["path"]
        required = required_defaults(op["query"])
        documented = {p["name"] for p in op["query"]}
        paged = "cursor" in documented
        size_param = next((p for p in op["query"] if p["name"] == "size"), None)
        for combo in itertools.product(*(self.world.path_values(name) for name in names)):
            path_values = dict(zip(names, combo, strict=True))
            url = fill(path, path_values)
            request = Request(path, url, path_values, required, paged)
            _, _, everyone = self.get(url, required, paged=paged)
            # An operation that answers with jobseekers must refuse any filter on their hidden attributes.
            request.about_people = bool(everyone)
            if size_param is not None and not paged:  # a list cut by `size`: every score, uncut, to judge ties
                largest = size_param["schema"].get("maximum", 100)
                _, _, everyone = self.get(url, {**required, "size": largest}, paged=False)
                request.about_people = request.about_people or bool(everyone)
                request.reference = {item["worker_id"]: item.get("score") for item in everyone}
                request.default_size = size_param["schema"].get("default")
            self.check(request, None, None)
            for param in op["query"]:
                for value in values_for(param, self.world):
                    self.check(request, param, value)
                self.walk.walked.add((path, param["name"]))
            for name, value in UNDOCUMENTED.items():
                if name not in documented:
                    self.check(request, {"name": name, "schema": {"type": "string"}, "undocumented": True}, value)
                    self.walk.undocumented.add((path, name))

    def check(self, request: Request, param: dict[str, Any] | None, value: Any) -> None:
        """Make one request and check its answer (a parameter of None: the operation without parameters)."""
        params = dict(request.required)
        first_page: list[dict[str, Any]] = []
        if param is not None:
            if value is FIRST_PAGE:  # a real cursor: the rest of the list after a one-item first page
                status, body, first_page = self.get(request.url, {**params, "size": 1}, paged=False)
                if status != 200 or not body.get("next_cursor"):
                    return
                value = body["next_cursor"]
            params[param["name"]] = value
        status, body, items = self.get(request.url, params, paged=request.paged)
        items = first_page + items
        ok = 200 <= status < 300
        where = f"GET {request.url} {params}"
        if param is not None and not ok:
            self.walk.refused.add((request.path, param["name"]))
            if not names_parameter(body, param["name"]):
                self.walk.problems.append(f"{where}: {status} does not name {param['name']!r}: {body}")
        if param is not None and not param.get("undocumented") and ok and request.about_people and (
                is_hidden_filter(param) or (value in enum_of(param) and names_hidden_field(value))):
            self.walk.problems.append(f"{where}: a filter or sort on a hidden attribute was accepted ({status})")
        values = [*request.path_values.values(), *(value if isinstance(value, list) else [value])]
        named = [v for v in values if isinstance(v, str) and v in self.world.counterpart]
        self.walk.answers[(request.path, freeze(request.path_values), freeze(params))] = (status, normalise(body))
        if named or not ok:
            return  # about one twin: compared with the same request about the other (`compare_counterparts`)
        cut = None
        if not request.paged and isinstance(body, dict) and "items" in body:
            cut = params.get("size", request.default_size)
        exempt = self.world.exempt(request.path_values.get("job_id"))
        problems, compared = twin_problems(items, self.world, exempt, cut, request.reference)
        self.walk.problems += [f"{where}: {p}" for p in problems]
        self.walk.compared += compared
        self.walk.compared_by_op[request.path] = self.walk.compared_by_op.get(request.path, 0) + compared
        self.walk.compared_by_url[request.url] = self.walk.compared_by_url.get(request.url, 0) + compared

    def compare_counterparts(self) -> None:
        """A request naming one twin (path or query) must answer as the same request naming the other."""
        swap = self.world.counterpart
        for (path, path_values, params), answer in self.walk.answers.items():
            if not any(v in swap for _, v in path_values) and not any(
                    v in swap or (isinstance(v, tuple) and any(x in swap for x in v)) for _, v in params):
                continue
            other = (path, tuple((k, swap.get(v, v)) for k, v in path_values),
                     tuple((k, tuple(swap.get(x, x) for x in v) if isinstance(v, tuple) else swap.get(v, v))
                           for k, v in params))
            if other not in self.walk.answers:
                self.walk.problems.append(f"{path} {path_values} {params}: the other twin's request was not walked")
                continue
            job_id = dict(path_values).get("job_id")
            pair = next((name for name, ids in self.world.pairs.items()
                         if any(v in ids or swap.get(v) in ids for _, v in path_values)), None)
            if pair in self.world.exempt(job_id):
                continue
            self.walk.compared += 1
            self.walk.compared_by_op[path] = self.walk.compared_by_op.get(path, 0) + 1
            if answer != self.walk.answers[other]:
                self.walk.problems.append(f"{path} {dict(path_values)} {dict(params)}: answers differ between "
                                          f"twins: {difference(answer, self.walk.answers[other])}")


# --- the tests ------------------------------------------------------------------------------------------------

def test_no_employer_parameter_tells_twins_apart(world):
    """Walk every employer-reachable GET and every query parameter of the OpenAPI document."""
    walker = Walker(world)
    operations = documented_gets(walker.client)
    walker.discover(operations)
    walk = walker.walk
    for path, op in walk.reachable.items():
        walker.walk_operation(path, op)
    walker.compare_counterparts()

    expected_params = {(path, p["name"]) for path, op in walk.reachable.items() for p in op["query"]}
    print(f"\nemployer-reachable GETs: {len(walk.reachable)} of {len(operations)} "
          f"({sorted(walk.reachable)}); query parameters walked: {len(walk.walked)} of {len(expected_params)} "
          f"documented; undocumented probes: {len(walk.undocumented)}; requests: {walk.requests}; "
          f"twin comparisons: {walk.compared} {walk.compared_by_op}")
    assert not walk.problems, f"{len(walk.problems)} problems, e.g.:\n" + "\n".join(walk.problems[:25])
    # Not vacuous: the walk covered exactly what the document lists for employers, and compared twins.
    assert len(walk.reachable) > 0 and len(walk.unreachable) > 0
    assert len(walk.walked) > 0 and walk.walked == expected_params
    for core in ("/api/v1/workers", "/api/v1/workers/{worker_id}", "/api/v1/jobs/{job_id}/matches",
                 "/api/v1/placements", "/api/v1/placements/{placement_id}"):
        assert core in walk.reachable, core
        assert walk.compared_by_op.get(core, 0) > 0, f"{core}: no twins compared"
    for job_id in world.jobs:  # the vacancy stating a language too: its other pairs stay checked
        assert walk.compared_by_url.get(f"/api/v1/jobs/{job_id}/matches", 0) > 0, job_id
    # The known hidden-attribute filters are refused (and so would be any new one, by name or vocabulary).
    assert ("/api/v1/workers", "priority_group") in walk.refused
    assert ("/api/v1/jobs/{job_id}/matches", "priority_groups") in walk.refused


def test_twins_are_listed_and_ranked_alike_but_counsellors_keep_the_boost(world):
    """The walk's premise holds (every consenting twin is matched and listed) and the policy boost, which
    employers must not feel, still ranks for counsellors."""
    client = world.app.test_client()
    welding = next(job_id for job_id, job in world.jobs.items() if not job.get("languages"))
    a, b = world.pairs["welders"]
    as_employer = client.get(f"/api/v1/jobs/{welding}/matches?size=100&explain=true", headers=world.headers)
    assert as_employer.status_code == 200
    scores = {item["worker_id"]: item for item in as_employer.get_json()["items"]}
    for name in ("welders", "welders_far"):
        first, second = world.pairs[name]
        assert first in scores and second in scores, name
        assert scores[first]["score"] == scores[second]["score"], name
        assert scores[first]["breakdown"]["boosts"] == {} == scores[second]["breakdown"]["boosts"]
    assert world.private_id not in scores
    as_counsellor = client.get(f"/api/v1/jobs/{welding}/matches?size=100&explain=true", headers=world.counsellor)
    counted = {item["worker_id"]: item for item in as_counsellor.get_json()["items"]}
    assert counted[b]["breakdown"]["boosts"] == {"ethnic_minority": 0.05, "poor_household": 0.05}
    assert counted[b]["score"] == pytest.approx(counted[a]["score"] + 0.1, abs=1e-3)
    assert scores[a]["score"] == counted[a]["score"]  # what employers see is the unboosted score
    listed = client.get("/api/v1/workers?size=100", headers=world.headers).get_json()["items"]
    assert {item["worker_id"] for item in listed} == {w for pair in world.pairs.values() for w in pair}
