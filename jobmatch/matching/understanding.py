"""Reading a walk-in conversation: places, training, licences, pay, experience, work mode and occupations.

A counsellor types what the person at the counter says, usually without diacritics: "em muon tim viec may mac
gan Vinh Chau, co bang trung cap". Each recognised piece becomes an `Understood` item (field, value, the text
span it came from, and whether it filters or only ranks), returned to the counsellor to correct. Pure
functions over the reference tables; the occupation autocoder is passed in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from jobmatch.lookups.places import find_places, free_span
from jobmatch.records.vocab import TRAINING_LABELS_VI
from jobmatch.text import fold_chars

Document = dict[str, Any]
# An occupation suggester: text -> [(code, Vietnamese title, confidence 0..1, the name that matched)], best first.
Suggest = Callable[[str], list[tuple[str, str, float, str]]]
OCCUPATION_CONFIDENCE = 0.5  # below this a suggested occupation is not taken as what the person asked for
NOT_OCCUPATION = ("commune_code", "salary_min", "max_commute_km", "experience_years", "shifts", "training_level",
                  "work_mode", "contract_type")
# What people say around the occupation at the counter ("em muốn tìm việc ..."): not part of it.
FILLER = re.compile(r"(?<!\w)(?:em|anh|chi|toi|minh|con|chau|co|muon|tim|kiem|xin|viec lam|cong viec|viec|can|"
                    r"duoc|gan|o|tai|nha|di|hoi|ve|tro len|tren|khoang|nam nay|tuoi|va|hoac|nhe|a|ah)(?!\w)")
DAYS_PER_MONTH = 26  # daily pay × 26 working days, as job boards convert it


@dataclass
class Understood:
    """One thing read from the text: what it sets, its value, where it was said, and how it is used."""

    field: str
    value: Any
    label: str
    span: tuple[int, int]
    text: str
    use: str = "preference"  # "filter" narrows the list; "preference" only ranks

    def as_dict(self) -> Document:
        """Return the JSON form."""
        return {"field": self.field, "value": self.value, "label": self.label, "span": list(self.span),
                "text": self.text, "use": self.use}


@dataclass
class Understanding:
    """Everything read from one text; `point` is the place's coordinates when a place was named."""

    items: list[Understood] = field(default_factory=list)
    point: dict[str, float] | None = None

    def value(self, name: str) -> Any:
        """Return the value of the first item for `name`, or None."""
        return next((item.value for item in self.items if item.field == name), None)

    def values(self, name: str) -> list[Any]:
        """Return the values of every item for `name`."""
        return [item.value for item in self.items if item.field == name]


# --- training, licences, pay, experience, work mode ---------------------------------------------------------

TRAINING_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"sau dai hoc|thac si|tien si", "sau_dai_hoc"),
    (r"(?:bang |tot nghiep |hoc )?dai hoc|cu nhan", "dai_hoc"),
    (r"(?:bang |tot nghiep |hoc )?cao dang", "cao_dang"),
    (r"(?:bang |tot nghiep |hoc )?trung cap(?: nghe)?", "trung_cap"),
    (r"(?:bang |chung chi )?so cap(?: nghe)?|hoc nghe(?: \w+){0,3}? (?:\d+|mot|hai|ba|sau) thang"
     r"|khoa (?:hoc )?ngan han", "so_cap"),
    (r"chua (?:qua )?(?:dao tao|hoc nghe)|khong (?:co )?bang cap|chua co bang|lop \d+(?:/12)?|12/12|9/12",
     "none"),
)
LICENCE = re.compile(r"(?:bang lai(?: xe)?|gplx|giay phep lai xe|bang)\s*(?:hang\s*)?"
                     r"(a1|a2|a|b1|b2|b|c|d|e|fc)(?![\w])")
CERTIFICATES: tuple[tuple[str, str], ...] = (
    (r"chung chi (?:nghe )?han|bang han", "Chứng chỉ hàn"),
    (r"chung chi (?:an toan )?dien|the an toan dien", "Chứng chỉ an toàn điện"),
    (r"chung chi (?:nghiep vu )?bao ve|nghiep vu bao ve", "Chứng chỉ nghiệp vụ bảo vệ"),
    (r"chung chi (?:van hanh |lai )?xe nang", "Chứng chỉ vận hành xe nâng"),
    (r"chung chi (?:van hanh )?lo hoi", "Chứng chỉ vận hành lò hơi"),
)
MONEY = re.compile(r"(\d+(?:[.,]\d+)?)\s*(trieu|tr|cu)\s*(\d)?(?![\w])"
                   r"|(\d{2,3})\s*(k|nghin|ngan)\s*(?:/|mot |1 )?\s*ngay")
EXPERIENCE = re.compile(r"(\d+(?:[.,]\d)?)\s*nam\s*(?:kinh nghiem|kn|lam|trong nghe)|kinh nghiem\s*(\d+)\s*nam")
NO_EXPERIENCE = re.compile(r"moi ra truong|chua (?:co )?kinh nghiem|chua di lam")
RADIUS = re.compile(r"(?:duoi|trong vong|ban kinh|khong qua|toi da|cach nha(?: khong qua)?)\s*(\d+)\s*km")
REMOTE = re.compile(r"lam (?:tai|o) nha|online|tu xa|remote|work from home")
NIGHT = re.compile(r"ca dem|lam dem")
PART_TIME = re.compile(r"ban thoi gian|part[ -]?time|lam them")


TRADE_IN_COURSE = re.compile(r"hoc nghe ((?:\w+ ){1,3}?)(?:\d+|mot|hai|ba|sau) thang")


def _keep_trade(folded: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return the parts of a span to blank out, keeping a trade named inside it ("học nghề điện 3 tháng")."""
    match = TRADE_IN_COURSE.search(folded, start, end)
    if not match:
        return [(start, end)]
    return [(start, match.start(1)), (match.end(1), end)]


def _licence_name(cls: str) -> str:
    return f"Giấy phép lái xe hạng {cls.upper()}"


def _take(folded: str, pattern: str | re.Pattern[str], taken: list[tuple[int, int]]) -> list[re.Match[str]]:
    found = []
    for match in re.finditer(pattern, folded):
        span = match.span()
        if free_span(taken, span) and (span[0] == 0 or not folded[span[0] - 1].isalnum()):
            found.append(match)
            taken.append(span)
    return found


def understand(text: str, *, suggest: Suggest | None = None) -> Understanding:
    """Read what a walk-in text says; occupations come from `suggest` (the autocoder) when given."""
    text = unicodedata.normalize("NFC", text)
    folded = fold_chars(text)
    taken: list[tuple[int, int]] = []
    result = Understanding()

    def add(name: str, value: Any, label: str, span: tuple[int, int], use: str = "preference") -> None:
        result.items.append(Understood(name, value, label, span, text[span[0]:span[1]], use))

    for match in _take(folded, RADIUS, taken):
        add("max_commute_km", float(match.group(1)), f"trong vòng {match.group(1)} km", match.span(), "filter")
    for match in _take(folded, LICENCE, taken):
        name = _licence_name(match.group(1))
        add("certificates", name, name, match.span())
    for pattern, name in CERTIFICATES:
        for match in _take(folded, pattern, taken):
            add("certificates", name, name, match.span())
    for pattern, level in TRAINING_PATTERNS:
        for match in _take(folded, pattern, taken):
            if result.value("training_level") is None:
                add("training_level", level, f"trình độ {TRAINING_LABELS_VI[level]}", match.span())
    for match in _take(folded, MONEY, taken):
        if match.group(1):
            amount = float(match.group(1).replace(",", ".")) * 1_000_000
            if match.group(3):  # "7tr5" = 7.5 million
                amount += int(match.group(3)) * 100_000
        else:
            amount = int(match.group(4)) * 1_000 * DAYS_PER_MONTH
        add("salary_min", int(amount), f"lương từ {amount / 1_000_000:g} triệu/tháng", match.span())
    for match in _take(folded, EXPERIENCE, taken):
        years = float((match.group(1) or match.group(2)).replace(",", "."))
        add("experience_years", years, f"{years:g} năm kinh nghiệm", match.span())
    for match in _take(folded, NO_EXPERIENCE, taken):
        add("experience_years", 0.0, "chưa có kinh nghiệm", match.span())
    for match in _take(folded, REMOTE, taken):
        add("work_mode", "remote", "làm việc từ xa / tại nhà", match.span())
    for match in _take(folded, NIGHT, taken):
        add("shifts", "night", "làm ca đêm", match.span())
    for match in _take(folded, PART_TIME, taken):
        add("contract_type", "part_time", "bán thời gian", match.span())
    for place, span in find_places(text, folded, taken)[:1]:  # the first place named is where the person is
        add("commune_code", place.commune_code, place.label, span)
        result.point = {"lat": place.point[0], "lon": place.point[1]}
    if suggest is not None:
        # Occupation words can sit inside a training or licence phrase ("học nghề điện 3 tháng"): only places,
        # pay, distances and years are blanked out before the autocoder reads the rest.
        blank = [item.span for item in result.items if item.field in NOT_OCCUPATION]
        blank = [span for start, end in blank for span in _keep_trade(folded, start, end)]
        blank += [match.span() for match in FILLER.finditer(folded)]
        rest = " ".join("".join(" " if any(a <= i < b for a, b in blank) else ch
                                for i, ch in enumerate(text)).split())
        for code, title, confidence, matched in suggest(rest)[:2] if rest else []:
            if confidence >= OCCUPATION_CONFIDENCE:
                found = folded.find(fold_chars(matched))  # where it was said, when the name appears as such
                span = (found, found + len(matched)) if found >= 0 else (0, len(text))
                add("occupation_code", code, f"{title} ({code})", span)
    result.items.sort(key=lambda item: item.span)
    return result


def profile_from(understood: Understanding, request: Mapping[str, Any], target: str) -> Document:
    """Return the profile a free-text search scores with: what was understood, overridden by explicit fields.

    Only stated things enter the profile, so that unknown features stay out of the score (a person who did
    not mention training is not taken as untrained).
    """
    certificates = list(dict.fromkeys([*understood.values("certificates"), *(request.get("certificates") or [])]))
    occupations = [request["occupation_code"]] if request.get("occupation_code") else understood.values(
        "occupation_code")
    commune = request.get("commune_code") or understood.value("commune_code")
    place: Document = {}
    if commune:
        place = {"commune_code": commune}
        if understood.point and not request.get("commune_code"):
            place["location"], place["location_source"] = understood.point, "named_place"
    level = request.get("training_level") or understood.value("training_level")
    salary = understood.value("salary_min")
    years = understood.value("experience_years")
    mode = understood.value("work_mode")
    if target == "jobs":
        profile: Document = {"skills": request.get("skills") or [],
                             "certificates": [{"name": c} for c in certificates],
                             "desired_occupations": occupations, "residence": place,
                             "disability": {"accommodations_needed": request.get("accommodations") or []}}
        limit = request.get("max_commute_km") or understood.value("max_commute_km")
        optional = {"training_level": level, "desired_salary_min": salary, "stated_experience_years": years,
                    "max_commute_km": limit, "desired_work_modes": [mode] if mode else None}
    else:
        profile = {"essential_skills": request.get("skills") or [], "occupation_code": occupations[0] if occupations
                   else "", "certificates": certificates, "accommodations": request.get("accommodations") or [],
                   "workplace": place}
        optional = {"min_training_level": level, "salary_max": salary, "min_experience_years": years,
                    "work_mode": mode}
    profile.update({k: v for k, v in optional.items() if v is not None})
    return profile
