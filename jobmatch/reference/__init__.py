"""Reference tables kept in the repository: occupations (ISCO-08/VSCO 2020), ESCO skills, communes, industries.

Built from ../shared/data by `scripts/build_reference.py`; read once per process and cached.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
PROVINCE_2025 = "Thành phố Cần Thơ"
PROVINCE_LEGACY = "Tỉnh Sóc Trăng"

# VSIC 2018 sections (Vietnamese) with the ISIC Rev.4 section titles (English).
INDUSTRIES: dict[str, tuple[str, str]] = {
    "A": ("Nông nghiệp, lâm nghiệp và thủy sản", "Agriculture, forestry and fishing"),
    "B": ("Khai khoáng", "Mining and quarrying"),
    "C": ("Công nghiệp chế biến, chế tạo", "Manufacturing"),
    "D": ("Sản xuất và phân phối điện, khí đốt, nước nóng, hơi nước và điều hòa không khí",
          "Electricity, gas, steam and air conditioning supply"),
    "E": ("Cung cấp nước; hoạt động quản lý và xử lý rác thải, nước thải",
          "Water supply; sewerage, waste management and remediation"),
    "F": ("Xây dựng", "Construction"),
    "G": ("Bán buôn và bán lẻ; sửa chữa ô tô, mô tô, xe máy và xe có động cơ khác",
          "Wholesale and retail trade; repair of motor vehicles and motorcycles"),
    "H": ("Vận tải kho bãi", "Transportation and storage"),
    "I": ("Dịch vụ lưu trú và ăn uống", "Accommodation and food service activities"),
    "J": ("Thông tin và truyền thông", "Information and communication"),
    "K": ("Hoạt động tài chính, ngân hàng và bảo hiểm", "Financial and insurance activities"),
    "L": ("Hoạt động kinh doanh bất động sản", "Real estate activities"),
    "M": ("Hoạt động chuyên môn, khoa học và công nghệ", "Professional, scientific and technical activities"),
    "N": ("Hoạt động hành chính và dịch vụ hỗ trợ", "Administrative and support service activities"),
    "O": ("Quản lý Nhà nước, an ninh quốc phòng; đảm bảo xã hội bắt buộc",
          "Public administration and defence; compulsory social security"),
    "P": ("Giáo dục và đào tạo", "Education"),
    "Q": ("Y tế và hoạt động trợ giúp xã hội", "Human health and social work activities"),
    "R": ("Nghệ thuật, vui chơi và giải trí", "Arts, entertainment and recreation"),
    "S": ("Hoạt động dịch vụ khác", "Other service activities"),
    "T": ("Hoạt động làm thuê trong các hộ gia đình", "Activities of households as employers"),
    "U": ("Hoạt động của các tổ chức và cơ quan quốc tế", "Activities of extraterritorial organizations"),
}


@dataclass(frozen=True)
class Occupation:
    """An ISCO-08 group (VSCO 2020 follows its codes) with English and Vietnamese titles."""

    code: str
    level: int
    title_en: str
    title_vi: str  # VSCO 2020 where its group is this ISCO-08 group, else written for jobmatch
    title_vi_source: str
    title_vi_common: str  # the everyday name, where the official title is long
    group_vi: str

    @property
    def label_vi(self) -> str:
        """Return the name people use: the everyday name, else the title, else the Vietnamese sub-major group."""
        return self.title_vi_common or self.title_vi or self.group_vi


@dataclass(frozen=True)
class LegacyWard:
    """A commune-level unit of Sóc Trăng before 1 July 2025, and the commune it belongs to since."""

    ward_code: str
    ward: str
    district_code: str
    district: str
    urban: bool
    lat: float
    lon: float
    commune_code: str


@dataclass(frozen=True)
class Commune:
    """A commune of Thành phố Cần Thơ since 1 July 2025 (within the former Sóc Trăng province)."""

    code: str
    name: str
    urban: bool
    lat: float
    lon: float
    legacy_wards: tuple[str, ...]


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def occupations() -> dict[str, Occupation]:
    """Return every ISCO-08 group by code (levels 1–4)."""
    return {row["code"]: Occupation(row["code"], int(row["level"]), row["title_en"], row["title_vi"],
                                    row["title_vi_source"], row["title_vi_common"], row["group_vi"])
            for row in _rows("occupations.csv")}


def unit_group(code: str) -> Occupation | None:
    """Return the 4-digit unit group with this code, or None."""
    occupation = occupations().get(code)
    return occupation if occupation and occupation.level == 4 else None


@cache
def occupation_skills() -> dict[str, dict[str, list[str]]]:
    """Return, per unit group, ESCO skill labels by relation (`essential`, `optional`), most common first."""
    result: dict[str, dict[str, list[str]]] = {}
    for row in _rows("occupation_skills.csv"):
        result.setdefault(row["isco_code"], {}).setdefault(row["relation"], []).append(row["skill"])
    return result


@cache
def legacy_wards() -> dict[str, LegacyWard]:
    """Return the pre-reform communes by GSO code."""
    return {row["ward_code"]: LegacyWard(row["ward_code"], row["ward"], row["district_code"], row["district"],
                                         row["urban_rural"] == "urban", float(row["lat"]), float(row["lon"]),
                                         row["commune_2025_code"]) for row in _rows("communes.csv")}


@cache
def communes() -> dict[str, Commune]:
    """Return the current communes by code; a commune is urban when it is a ward (phường).

    A current commune's centroid is the unweighted mean of the coordinates of the pre-2025 communes merged
    into it (the source has no boundaries or populations to weight by); docs/geography.md says how far that
    can be from any real address.
    """
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in _rows("communes.csv"):
        grouped.setdefault(row["commune_2025_code"], []).append(row)
    result = {}
    for code, rows in sorted(grouped.items()):
        name = rows[0]["commune_2025"]
        result[code] = Commune(code, name, name.startswith("Phường"),
                               round(sum(float(r["lat"]) for r in rows) / len(rows), 6),
                               round(sum(float(r["lon"]) for r in rows) / len(rows), 6),
                               tuple(r["ward_code"] for r in rows))
    return result


def place_point(place: Mapping[str, Any] | None) -> tuple[dict[str, float] | None, str | None]:
    """Return the best known point of a place and where it comes from.

    Given coordinates win; else the pre-2025 commune's own point (finer: 108 units); else the current
    commune's centroid (43 units). A place without either code has no point.
    """
    if not place:
        return None, None
    if place.get("location"):
        return dict(place["location"]), place.get("location_source") or "given"
    ward = legacy_wards().get(((place.get("legacy") or {}).get("ward_code")) or place.get("legacy_ward_code") or "")
    if ward:
        return {"lat": ward.lat, "lon": ward.lon}, "legacy_ward"
    commune = communes().get(place.get("commune_code") or "")
    if commune:
        return {"lat": commune.lat, "lon": commune.lon}, "commune_centroid"
    return None, None


def haversine_km(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Return the great-circle distance in km between two {lat, lon} points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))
