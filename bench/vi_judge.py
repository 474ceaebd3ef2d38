"""Write the graded judgements of the Vietnamese relevance world, one line per (query, posting) with a reason.

    python3 bench/vi_judge.py            # reads bench/data/vi/{postings_*.jsonl,queries.jsonl}

The judge's grade of each occupation for each query (`intent.occupations` in queries.jsonl, written with a
reason before any system ran) is applied to every posting of that occupation, then lowered by one for a
workplace farther than the person travels from every place they named, and by one for a training level
above the person's stated one (rules in bench/data/vi/SPEC.md). For a registered jobseeker, whose record is
complete, a posting beyond their registered commute limit or needing a licence they do not hold is not a job
they can take: grade 0 (rule added after the first dev run; see SPEC.md). Postings of occupations the judge did not
list are grade 0 and are not written. Stdlib only: it reads the communes table, nothing of the matcher.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "vi"
COMMUNES = Path(__file__).resolve().parent.parent / "jobmatch" / "reference" / "data" / "communes.csv"
DEFAULT_KM = 25.0  # a named place without a stated distance: what counts as "near" in a rural province
LEVELS = ("none", "so_cap", "trung_cap", "cao_dang", "dai_hoc", "sau_dai_hoc")
# Regulated trades and the certificates that allow them (SPEC.md; a higher driving-licence class covers lower).
REGULATED = {
    "7212": {"Chứng chỉ hàn"}, "7411": {"Chứng chỉ an toàn điện"}, "8182": {"Chứng chỉ vận hành lò hơi"},
    "8344": {"Chứng chỉ vận hành xe nâng"}, "5414": {"Chứng chỉ nghiệp vụ bảo vệ"},
    "8321": {f"Giấy phép lái xe hạng {c}" for c in ("A1", "A", "A2")},
    "8322": {f"Giấy phép lái xe hạng {c}" for c in ("B2", "B", "C", "D", "E")},
    "8331": {f"Giấy phép lái xe hạng {c}" for c in ("D", "E")},
    "8332": {f"Giấy phép lái xe hạng {c}" for c in ("C", "D", "E")},
}


def load_jsonl(path: Path) -> list[dict]:
    """Read one JSON object per line."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def postings() -> list[dict]:
    """Return every posting of the world."""
    return [p for path in sorted(DATA.glob("postings_*.jsonl")) for p in load_jsonl(path)]


def commune_points() -> dict[str, tuple[float, float]]:
    """Return each current commune's point: the mean of its pre-2025 communes (as the app derives it)."""
    grouped: dict[str, list[tuple[float, float]]] = {}
    with open(COMMUNES, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            grouped.setdefault(row["commune_2025_code"], []).append((float(row["lat"]), float(row["lon"])))
    return {code: (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
            for code, pts in grouped.items()}


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the great-circle distance in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def judge(query: dict, posting: dict, points: dict[str, tuple[float, float]]) -> tuple[int, str] | None:
    """Return (grade, reason) of a posting for a query, or None when the grade is 0."""
    intent = query["intent"]
    listed = {o["code"]: o for o in intent.get("occupations") or []}
    occupation = listed.get(posting["true_occupation"])
    if occupation is None or occupation["grade"] <= 0:
        return None
    grade, reasons = int(occupation["grade"]), [f"occupation {posting['true_occupation']}: {occupation['reason']}"]
    registered = query["kind"] == "record"
    held = set(intent.get("certificates") or [])
    if registered and posting["true_occupation"] in REGULATED and not held & REGULATED[posting["true_occupation"]]:
        return None  # a registered person without the licence cannot legally take the job
    places = [points[c] for c in intent.get("commune_codes") or [] if c in points]
    if places and posting["commune_code"] in points:
        limit = intent.get("max_km") or DEFAULT_KM
        nearest = min(km(points[posting["commune_code"]], p) for p in places)
        if nearest > limit and registered:
            return None  # beyond the commute limit the person registered: not a job they can take
        if nearest > limit:
            grade -= 1
            reasons.append(f"workplace {nearest:.0f} km from the places named (more than {limit:g} km): -1")
    stated = intent.get("training_level")
    required = posting.get("min_training_level") or "none"
    if stated in LEVELS and LEVELS.index(required) > LEVELS.index(stated):
        grade -= 1
        reasons.append(f"requires {required}, the person has {stated}: -1")
    return (grade, "; ".join(reasons)) if grade > 0 else None


def main() -> None:
    """Write judgements.jsonl and print a summary."""
    points = commune_points()
    queries = load_jsonl(DATA / "queries.jsonl")
    world = postings()
    lines, per_query = [], []
    for query in queries:
        graded = 0
        for posting in world:
            judged = judge(query, posting, points)
            if judged:
                lines.append({"query": query["id"], "posting": posting["id"], "grade": judged[0], "reason": judged[1]})
                graded += judged[0] >= 2
        per_query.append(graded)
    with open(DATA / "judgements.jsonl", "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    empty = sum(1 for n in per_query if n == 0)
    print(f"{len(world)} postings, {len(queries)} queries, {len(lines)} graded pairs; "
          f"queries without a posting of grade >= 2: {empty}")


if __name__ == "__main__":
    main()
