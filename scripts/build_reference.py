#!/usr/bin/env python3
"""Derive the reference tables jobmatch keeps in the repository from the public data in ../shared/data.

    python3 scripts/build_reference.py [--shared ../shared/data]

Writes `jobmatch/reference/data/`:
- `occupations.csv`: every ISCO-08 group (levels 1–4) with its English title from ESCO v1.1.1 and a Vietnamese
  title, `title_vi_source` saying where it comes from: `vsco2020` (levels 1–2 from the transcribed legal
  table; levels 3–4 from the best-effort transcription, where the VSCO code means the same group as ISCO-08:
  major groups 2–9 outside the renumbered and collapsed groups), else `jobmatch` (written for the 68 unit
  groups whose VSCO code differs or means another group, from `occupation_titles_vi_jobmatch.csv`, whose
  `basis` column names the VSCO wording it follows, or says it is translated from ISCO-08).
- `occupation_labels.csv`: every name the occupation autocoder matches, with its language and source: the
  Vietnamese titles above, VSCO 2020 level-5 titles under their unit group, the everyday names and aliases of
  `aliases/*.csv` (hand-written for jobmatch), ESCO occupations' English preferred and
  alternative labels under their ISCO-08 unit group, and the ISCO-08 English titles.
- `occupation_skills.csv`: per ISCO-08 unit group, the ESCO skills most often essential (and optional) across
  the ESCO occupations in that group, with counts. Labels come from ESCO, not from our own code.
- `communes.csv`: the 108 pre-reform communes of Sóc Trăng (GSO codes, district, urban/rural, lat/lon) and the
  commune of Thành phố Cần Thơ each belongs to since 1 July 2025.
ESCO © European Union, free reuse with attribution; administrative units from vietnamadminunits (MIT).
"""

from __future__ import annotations

import argparse
import csv
import io
import unicodedata
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "jobmatch" / "reference" / "data"
ESCO_EN = "esco_v1.1.1/ESCO dataset - v1.1.1 - classification - en - csv.zip"
ESCO_REL = "esco_v1.1.1/ESCO dataset - v1.1.1 - classification -  - csv.zip"
SKILLS_PER_GROUP = 25

# Everyday Vietnamese names of the unit groups the centre sees most (Mekong Delta farming, seafood processing,
# garments and footwear, construction, retail, transport, services), written for jobmatch; the autocoder
# matches them beside the official VSCO 2020 titles.
TITLES_VI = {
    "1120": "Giám đốc điều hành", "1221": "Quản lý kinh doanh và tiếp thị", "1321": "Quản lý sản xuất",
    "1323": "Quản lý xây dựng", "1420": "Quản lý bán buôn, bán lẻ",
    "2132": "Chuyên gia tư vấn nông nghiệp, lâm nghiệp và thủy sản", "2141": "Kỹ sư công nghiệp và sản xuất",
    "2142": "Kỹ sư xây dựng dân dụng", "2143": "Kỹ sư môi trường", "2144": "Kỹ sư cơ khí",
    "2151": "Kỹ sư điện", "2221": "Điều dưỡng viên", "2341": "Giáo viên tiểu học", "2411": "Kế toán viên",
    "2431": "Chuyên viên quảng cáo và tiếp thị", "2512": "Lập trình viên phần mềm",
    "3112": "Kỹ thuật viên xây dựng", "3113": "Kỹ thuật viên điện", "3115": "Kỹ thuật viên cơ khí",
    "3122": "Giám sát sản xuất", "3142": "Kỹ thuật viên nông nghiệp, thủy sản",
    "3212": "Kỹ thuật viên xét nghiệm", "3313": "Nhân viên kế toán", "3322": "Nhân viên kinh doanh",
    "3343": "Thư ký hành chính", "4110": "Nhân viên văn phòng", "4132": "Nhân viên nhập liệu",
    "4211": "Giao dịch viên ngân hàng", "4221": "Nhân viên tư vấn du lịch", "4224": "Lễ tân khách sạn",
    "4311": "Nhân viên ghi sổ kế toán", "4321": "Thủ kho", "4323": "Nhân viên điều vận",
    "5120": "Đầu bếp", "5131": "Nhân viên phục vụ bàn", "5141": "Thợ cắt tóc",
    "5142": "Chuyên viên thẩm mỹ", "5223": "Nhân viên bán hàng", "5230": "Thu ngân",
    "5244": "Nhân viên bán hàng qua điện thoại", "5311": "Người giữ trẻ",
    "5322": "Nhân viên chăm sóc tại nhà", "5414": "Nhân viên bảo vệ",
    "6111": "Người trồng lúa, hoa màu và rau", "6112": "Người trồng cây ăn quả",
    "6121": "Người chăn nuôi gia súc", "6122": "Người chăn nuôi gia cầm",
    "6221": "Lao động nuôi trồng thủy sản (nuôi tôm, cá)", "6222": "Ngư dân đánh bắt ven bờ",
    "7112": "Thợ xây", "7114": "Thợ bê tông", "7115": "Thợ mộc", "7121": "Thợ lợp mái",
    "7126": "Thợ ống nước", "7131": "Thợ sơn", "7212": "Thợ hàn", "7213": "Thợ gò kim loại tấm",
    "7223": "Thợ vận hành máy công cụ", "7231": "Thợ sửa chữa ô tô, xe máy",
    "7233": "Thợ sửa chữa máy nông nghiệp và công nghiệp", "7411": "Thợ điện công trình",
    "7412": "Thợ lắp đặt điện", "7421": "Thợ sửa chữa điện tử", "7422": "Thợ lắp đặt viễn thông",
    "7511": "Công nhân sơ chế thịt, cá", "7512": "Thợ làm bánh", "7514": "Công nhân chế biến rau quả",
    "7515": "Công nhân phân loại thực phẩm", "7522": "Thợ đóng đồ gỗ", "7531": "Thợ may đo",
    "7533": "Thợ may, thêu", "7536": "Thợ giày", "8153": "Công nhân may công nghiệp",
    "8156": "Công nhân vận hành máy sản xuất giày", "8160": "Công nhân vận hành máy chế biến thực phẩm",
    "8182": "Công nhân vận hành lò hơi", "8321": "Người lái xe mô tô giao hàng",
    "8322": "Tài xế ô tô con, taxi", "8331": "Tài xế xe buýt", "8332": "Tài xế xe tải",
    "8341": "Người vận hành máy nông nghiệp", "8342": "Người vận hành máy xúc, máy ủi",
    "8344": "Người lái xe nâng", "8350": "Thủy thủ", "9112": "Nhân viên vệ sinh",
    "9211": "Lao động phổ thông trồng trọt", "9216": "Lao động phổ thông thủy sản",
    "9313": "Lao động phổ thông xây dựng", "9321": "Công nhân đóng gói",
    "9329": "Lao động phổ thông sản xuất", "9333": "Công nhân bốc xếp", "9412": "Phụ bếp",
    "9621": "Nhân viên giao hàng",
}


def read_zip_csv(path: Path, member: str) -> list[dict[str, str]]:
    """Read one CSV from a zip archive."""
    with zipfile.ZipFile(path) as zf, zf.open(member) as handle:
        return list(csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8")))


def read_csv(path: Path) -> list[dict[str, str]]:
    """Read a UTF-8 CSV file."""
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_hand_written(name: str) -> list[dict[str, str]]:
    """Read a table written for jobmatch by hand (kept in OUT beside the derived ones); empty when absent."""
    path = OUT / name
    return read_csv(path) if path.exists() else []


def slug(text: str) -> str:
    """Return an ASCII slug of a Vietnamese name ('Phường Sóc Trăng' -> 'phuong-soc-trang')."""
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(c for c in folded if unicodedata.category(c) != "Mn")
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text.lower()).split())


def vsco_detail(shared: Path) -> dict[str, dict[str, str]]:
    """Return the best-effort VSCO 2020 rows (levels 1–5) by code, titles stripped."""
    rows = read_csv(shared / "vn_classifications" / "vsco2020_levels1-5_best_effort.csv")
    return {row["code"]: {**row, "title_vi": nfc(row["title_vi"])} for row in rows if row["code"]}


def nfc(text: str) -> str:
    """Return NFC text with white space folded."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def aligned(code: str, vsco: dict[str, dict[str, str]], own: dict[str, dict[str, str]]) -> bool:
    """Tell whether the VSCO 2020 group with this code is the ISCO-08 group with this code.

    Major groups 0 and 1 are Vietnam-specific; elsewhere codes agree except the renumbered and collapsed groups,
    for which jobmatch writes its own titles (`own`).
    """
    return code[0] not in "01" and code in vsco and code not in own and not any(c in own for c in (code[:3],))


def build_occupations(shared: Path) -> list[dict[str, str]]:
    """Return ISCO-08 groups with English and Vietnamese titles and the source of each title."""
    groups = read_zip_csv(shared / ESCO_EN, "ISCOGroups_en.csv")
    legal = {row["code"]: row["label_vi"] for row in read_csv(shared / "vn_classifications" / "vsco2020_level1_2.csv")}
    vsco = vsco_detail(shared)
    own = {row["code"]: row for row in read_hand_written("occupation_titles_vi_jobmatch.csv")}
    rows = []
    for group in sorted(groups, key=lambda g: g["code"]):
        code = group["code"]
        if len(code) <= 2 and code in legal:
            title_vi, source = legal[code], "vsco2020"
        elif code in own:
            title_vi, source = nfc(own[code]["title_vi"]), "jobmatch"
        elif len(code) >= 3 and aligned(code, vsco, own):
            title_vi, source = vsco[code]["title_vi"], "vsco2020"
        else:
            title_vi, source = "", ""
        rows.append({"code": code, "level": str(len(code)), "title_en": group["preferredLabel"].strip(),
                     "title_vi": title_vi, "title_vi_source": source, "title_vi_common": TITLES_VI.get(code, ""),
                     "group_vi": legal.get(code[:2], legal.get(code[:1], ""))})
    return rows


def build_labels(shared: Path, occupations: list[dict[str, str]]) -> list[dict[str, str]]:
    """Return every name of every unit group the autocoder matches: (code, label, lang, source)."""
    units = {row["code"]: row for row in occupations if row["level"] == "4"}
    own = {row["code"] for row in read_hand_written("occupation_titles_vi_jobmatch.csv")}
    found: dict[tuple[str, str], dict[str, str]] = {}

    def add(code: str, label: str, lang: str, source: str) -> None:
        label = nfc(label).lower()
        if code in units and label and (code, label) not in found:
            found[(code, label)] = {"code": code, "label": label, "lang": lang, "source": source}

    for code, row in units.items():
        add(code, row["title_vi"], "vi", row["title_vi_source"])
        add(code, TITLES_VI.get(code, ""), "vi", "jobmatch")
    for row in vsco_detail(shared).values():
        parent = row["parent_code"]
        if row["level"] == "5" and parent in units and parent[0] not in "01" and parent not in own:
            add(parent, row["title_vi"], "vi", "vsco2020_l5")
    for path in sorted((OUT / "aliases").glob("*.csv")):
        for row in read_csv(path):
            add(row["code"], row["alias"], "vi", f"jobmatch_{row['kind']}")
    for code, row in units.items():
        add(code, row["title_en"], "en", "isco08")
    for row in read_zip_csv(shared / ESCO_EN, "occupations_en.csv"):
        for label in [row["preferredLabel"], *row["altLabels"].split("\n")]:
            add(row["iscoGroup"], label, "en", "esco")
    return sorted(found.values(), key=lambda r: (r["code"], r["lang"], r["label"]))


def build_skills(shared: Path) -> list[dict[str, str]]:
    """Return, per ISCO-08 unit group, the ESCO skills most often linked to its occupations."""
    occupations = read_zip_csv(shared / ESCO_EN, "occupations_en.csv")
    skills = {row["conceptUri"]: row["preferredLabel"].strip()
              for row in read_zip_csv(shared / ESCO_EN, "skills_en.csv")}
    group_of = {row["conceptUri"]: row["iscoGroup"] for row in occupations}
    occupations_per_group = Counter(group_of.values())
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for rel in read_zip_csv(shared / ESCO_REL, "occupationSkillRelations.csv"):
        group = group_of.get(rel["occupationUri"])
        if group and rel["skillUri"] in skills:
            counts[(group, rel["relationType"])][rel["skillUri"]] += 1
    rows = []
    for (group, relation), counter in sorted(counts.items()):
        for uri, n in counter.most_common(SKILLS_PER_GROUP):
            rows.append({"isco_code": group, "relation": relation, "skill": skills[uri], "esco_uri": uri,
                         "occupations": str(n), "occupations_in_group": str(occupations_per_group[group])})
    return rows


def build_communes(shared: Path) -> list[dict[str, str]]:
    """Return the pre-reform communes with the post-2025 commune each maps to."""
    source = shared / "vn_admin" / "soc_trang_admin_units_2024_with_2025_mapping.csv"
    rows = []
    for row in read_csv(source):
        rows.append({
            "ward_code": row["ward_code"], "ward": row["ward"], "ward_type": row["ward_type"],
            "district_code": row["district_code"], "district": row["district"],
            "urban_rural": row["urban_rural_by_unit_type"], "lat": row["lat"], "lon": row["lon"],
            "province_2025": row["province_2025"], "commune_2025": row["ward_2025"],
            "commune_2025_code": slug(row["ward_2025"]), "note_2025": row["note_2025"],
        })
    return rows


def write(path: Path, rows: list[dict[str, str]]) -> None:
    """Write rows as UTF-8 CSV."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"{path}: {len(rows)} rows")


def main() -> None:
    """Build every table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=OUT, help="Where to write (hand-written inputs stay in OUT).")
    args = parser.parse_args()
    occupations = build_occupations(args.shared)
    write(args.out / "occupations.csv", occupations)
    write(args.out / "occupation_labels.csv", build_labels(args.shared, occupations))
    write(args.out / "occupation_skills.csv", build_skills(args.shared))
    write(args.out / "communes.csv", build_communes(args.shared))


if __name__ == "__main__":
    main()
