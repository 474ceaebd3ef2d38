"""Place names of both administrative generations, as people say them, and the communes they stand for.

Current communes ("Phường Vĩnh Châu", "Vĩnh Châu"), pre-2025 communes ("Phường 5", "xã An Hiệp") and former
districts ("huyện Mỹ Xuyên", "thị xã Ngã Năm", "TP Sóc Trăng") are matched in folded text, with or without
diacritics; a pre-2025 name resolves to the current commune it was merged into. Pure functions over the
reference tables: used by walk-in understanding and by the commune type-ahead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from jobmatch import reference
from jobmatch.lookups.index import NameIndex
from jobmatch.reference import haversine_km
from jobmatch.text import fold, fold_chars, has_diacritics


@dataclass(frozen=True)
class Place:
    """A name a person may say for a place, and the current commune and point it stands for."""

    name: str  # folded, the form matched
    accented: str  # lower-case NFC, to refuse a match whose diacritics disagree
    commune_code: str
    point: tuple[float, float]
    label: str
    district_code: str | None = None  # for "phường N", which exists in several former towns
    priority: int = 0  # current commune 3, pre-2025 commune 2, pre-2025 district 1


NEEDS_PREFIX = {"an ninh"}  # place names that are also everyday words ("an ninh" = security work)
_PREFIXES = ("xã ", "phường ", "thị trấn ", "huyện ", "thị xã ", "thành phố ")


def _strip_prefix(name: str) -> str:
    lowered = name.lower()
    for prefix in _PREFIXES:
        if lowered.startswith(prefix):
            return name[len(prefix):]
    return name


def _nearest_commune(lat: float, lon: float) -> str:
    here = {"lat": lat, "lon": lon}
    return min(reference.communes().values(),
               key=lambda c: haversine_km(here, {"lat": c.lat, "lon": c.lon})).code


@cache
def places() -> tuple[Place, ...]:
    """Return every place name of both administrative generations, longest first."""
    found: list[Place] = []

    def add(name: str, code: str, point: tuple[float, float], label: str, priority: int,
            district: str | None = None) -> None:
        found.append(Place(fold_chars(name.lower()), name.lower(), code, point, label, district, priority))

    for commune in reference.communes().values():
        short = _strip_prefix(commune.name)
        add(commune.name, commune.code, (commune.lat, commune.lon), commune.name, 3)
        if short.lower() not in NEEDS_PREFIX:
            add(short, commune.code, (commune.lat, commune.lon), commune.name, 3)
    districts: dict[str, list[reference.LegacyWard]] = {}
    for ward in reference.legacy_wards().values():
        districts.setdefault(ward.district_code, []).append(ward)
        current = reference.communes()[ward.commune_code].name
        label = f"{current} (trước 2025: {ward.ward}, {ward.district})"
        add(ward.ward, ward.commune_code, (ward.lat, ward.lon), label, 2, ward.district_code)
        short = _strip_prefix(ward.ward)
        if not ward.ward.startswith("Phường") and short.lower() not in NEEDS_PREFIX:
            add(short, ward.commune_code, (ward.lat, ward.lon), label, 2, ward.district_code)
    for code, wards in districts.items():
        lat = sum(w.lat for w in wards) / len(wards)
        lon = sum(w.lon for w in wards) / len(wards)
        district, nearest = wards[0].district, _nearest_commune(lat, lon)
        label = f"{district} (trước 2025), khu vực {reference.communes()[nearest].name}"
        names = [district, _strip_prefix(district)]
        if district.startswith("Thành phố"):
            names.append("tp " + _strip_prefix(district))
        for name in names:
            add(name, nearest, (lat, lon), label, 1, code)
    return tuple(sorted(found, key=lambda p: (-len(p.name), -p.priority)))


def _word_spans(folded: str, needle: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(rf"(?<![\w]){re.escape(needle)}(?![\w])", folded)]


def free_span(taken: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    """Tell whether `span` overlaps none of the spans already taken."""
    return all(span[1] <= a or span[0] >= b for a, b in taken)


def find_places(text: str, folded: str, taken: list[tuple[int, int]]) -> list[tuple[Place, tuple[int, int]]]:
    """Return the places named in the text (longest names first, no overlaps), resolving "phường N"."""
    hits: list[tuple[Place, tuple[int, int]]] = []
    for place in places():
        for span in _word_spans(folded, place.name):
            said = text[span[0]:span[1]]
            if not free_span(taken, span):
                continue
            if has_diacritics(said) and said.lower() != place.accented:
                continue  # typed with other diacritics: another word, not this place
            hits.append((place, span))
            taken.append(span)
    # "Phường 1" exists in three former towns: take the one whose town is also named, else the provincial city.
    district_of = {p.name: p.district_code for p in places() if p.priority == 1}
    towns = {p.district_code if p.priority == 1 else district_of.get(p.name) for p, _ in hits}
    resolved = []
    for place, span in hits:
        if place.name.startswith("phuong ") and place.name.split()[-1].isdigit():
            options = [p for p in places() if p.name == place.name]
            place = next((p for p in options if p.district_code in towns),
                         next((p for p in options if p.district_code == "941"), place))
        resolved.append((place, span))
    # The finest unit first: a pre-2025 commune (108) is more precise than a current one (43) or a district.
    return sorted(resolved, key=lambda hit: ({2: 0, 3: 1, 1: 2}[hit[0].priority], hit[1]))


KINDS = {3: "current", 2: "pre_2025_commune", 1: "pre_2025_district"}
PREFIX_BONUS = 0.25  # type-ahead: a name that starts with what was typed so far ranks first


@cache
def _name_index() -> NameIndex:
    return NameIndex([p.accented for p in places()])


def suggest_communes(query: str, size: int = 10) -> list[dict[str, object]]:
    """Return current communes for a typed place name of either generation, best first.

    Each suggestion names the current commune, the name that matched and which generation it belongs to, so
    "Phường 5" shows as Phường Sóc Trăng (pre-2025: Phường 5, Thành phố Sóc Trăng).
    """
    typed = fold(query)
    if not typed:
        return []
    scores = _name_index().scores(query)
    best: dict[str, tuple[float, Place]] = {}
    for place, score in zip(places(), scores, strict=True):
        score = float(score) + (PREFIX_BONUS if place.name.startswith(typed) else 0.0)
        if score > 0 and score > best.get(place.commune_code, (0.0, place))[0]:
            best[place.commune_code] = (score, place)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))[:size]
    communes = reference.communes()
    return [{"commune_code": code, "name": communes[code].name, "matched": place.label if place.priority < 3
             else communes[code].name, "kind": KINDS[place.priority], "score": round(min(score, 1.0), 3)}
            for code, (score, place) in ranked]
