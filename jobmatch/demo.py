"""Deterministic demo data for the Sóc Trăng area (since 1 July 2025 part of Thành phố Cần Thơ).

Employers, vacancies and jobseekers that look like the province: its communes with their pre-reform districts
and urban/rural split, its main sectors (rice and shrimp farming, seafood processing, garments and footwear,
construction, retail, transport, services), Kinh, Khmer and Hoa names, about 5% of jobseekers with a
disability, training levels resembling the province's. The same seed always gives the same records, written
as JSON Lines in the import format (so `jobmatch import` loads them, idempotently).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from jobmatch import reference
from jobmatch.records import lifecycle
from jobmatch.records.service import record_id
from jobmatch.records.vocab import TRAINING_LEVELS

SOURCE = "demo"
HISTORY_DAYS = 548  # 18 months of registrations and postings


def first_month(today: date) -> str:
    """Return "YYYY-MM" of the earliest registrations and postings of demo data generated on `today`."""
    return f"{today - timedelta(days=HISTORY_DAYS):%Y-%m}"


@dataclass(frozen=True)
class Trade:
    """An occupation as the province knows it: sector, weights, requirements, pay and Vietnamese skills."""

    code: str
    sector: str  # VSIC section
    job_weight: int
    worker_weight: int
    min_training: str
    salary: tuple[int, int]  # million VND per month
    demands: dict[str, str]
    skills: tuple[str, ...]
    certificate: str | None = None  # a certificate the trade legally or customarily requires


HEAVY = {"lifting": "heavy", "standing": "heavy"}
STANDING = {"standing": "moderate", "fine_motor": "moderate"}
DESK = {"vision": "moderate", "fine_motor": "light"}
DRIVING = {"vision": "heavy", "hearing": "moderate"}

TRADES: tuple[Trade, ...] = (
    Trade("6111", "A", 3, 9, "none", (4, 7), HEAVY, ("trồng lúa", "bón phân", "phun thuốc bảo vệ thực vật",
                                                        "làm đất", "thu hoạch lúa")),
    Trade("6221", "A", 4, 7, "none", (5, 9), HEAVY, ("nuôi tôm thẻ chân trắng", "quản lý ao nuôi",
                                                        "cho tôm ăn", "đo chất lượng nước")),
    Trade("9211", "A", 2, 6, "none", (4, 6), HEAVY, ("thu hoạch", "làm cỏ", "trồng rau màu")),
    Trade("9216", "A", 3, 5, "none", (4, 7), HEAVY, ("cho tôm ăn", "vệ sinh ao", "thu hoạch thủy sản")),
    Trade("8341", "A", 1, 1, "so_cap", (6, 10), DRIVING, ("vận hành máy gặt đập liên hợp", "sửa máy nông nghiệp"),
          "Chứng chỉ vận hành máy nông nghiệp"),
    Trade("3142", "A", 1, 1, "trung_cap", (7, 11), DESK, ("kỹ thuật nuôi trồng thủy sản", "phòng bệnh tôm",
                                                            "tư vấn kỹ thuật canh tác")),
    Trade("7511", "C", 8, 6, "none", (6, 9), STANDING, ("sơ chế tôm", "lột tôm", "fillet cá", "bảo quản lạnh")),
    Trade("8160", "C", 4, 2, "so_cap", (7, 10), STANDING, ("vận hành máy cấp đông", "vận hành dây chuyền chế biến",
                                                            "vệ sinh an toàn thực phẩm")),
    Trade("9321", "C", 5, 4, "none", (5, 8), STANDING, ("đóng gói sản phẩm", "dán nhãn", "kiểm đếm hàng")),
    Trade("7515", "C", 2, 1, "none", (6, 8), {"vision": "heavy", "standing": "moderate"},
          ("phân cỡ tôm", "kiểm tra chất lượng", "phân loại hàng")),
    Trade("8153", "C", 8, 5, "none", (6, 10), {"fine_motor": "heavy", "vision": "moderate"},
          ("may công nghiệp", "vận hành máy may", "may hoàn thiện", "đọc thông số kỹ thuật")),
    Trade("7533", "C", 2, 2, "none", (5, 8), {"fine_motor": "heavy"}, ("may", "thêu", "cắt vải")),
    Trade("8156", "C", 4, 2, "none", (6, 9), STANDING, ("vận hành máy ép đế", "gò giày", "dán đế giày")),
    Trade("7536", "C", 2, 1, "none", (6, 9), {"fine_motor": "heavy"}, ("may mũ giày", "gò giày", "hoàn thiện giày")),
    Trade("3122", "C", 2, 1, "cao_dang", (10, 16), DESK, ("quản lý chuyền", "lập kế hoạch sản xuất",
                                                            "kiểm soát chất lượng")),
    Trade("7212", "C", 3, 2, "so_cap", (8, 12), {"vision": "heavy", "lifting": "moderate"},
          ("hàn hồ quang", "hàn MIG", "đọc bản vẽ kỹ thuật", "cắt kim loại"), "Chứng chỉ hàn"),
    Trade("7233", "C", 2, 2, "trung_cap", (8, 12), {"lifting": "moderate", "fine_motor": "moderate"},
          ("sửa chữa máy công nghiệp", "bảo trì thiết bị", "đọc sơ đồ điện")),
    Trade("8182", "C", 1, 1, "so_cap", (8, 11), {"standing": "moderate", "hearing": "moderate"},
          ("vận hành lò hơi", "kiểm tra áp suất", "an toàn lao động"), "Chứng chỉ vận hành lò hơi"),
    Trade("7112", "F", 4, 3, "none", (7, 11), HEAVY, ("xây tường", "tô trát", "đọc bản vẽ xây dựng")),
    Trade("7114", "F", 2, 1, "none", (7, 10), HEAVY, ("đổ bê tông", "lắp cốp pha", "buộc cốt thép")),
    Trade("7411", "F", 3, 2, "trung_cap", (8, 13), {"vision": "moderate", "fine_motor": "moderate"},
          ("lắp đặt điện dân dụng", "đi dây điện", "sửa chữa điện"), "Chứng chỉ an toàn điện"),
    Trade("7126", "F", 1, 1, "so_cap", (7, 11), {"lifting": "moderate"}, ("lắp đặt ống nước", "sửa chữa ống nước")),
    Trade("9313", "F", 4, 4, "none", (6, 9), HEAVY, ("phụ hồ", "bốc vác vật liệu", "trộn vữa")),
    Trade("3112", "F", 1, 1, "cao_dang", (9, 14), DESK, ("giám sát thi công", "dự toán công trình", "AutoCAD")),
    Trade("7131", "F", 1, 1, "none", (7, 10), {"standing": "heavy"}, ("sơn nước", "sơn dầu", "bả matit")),
    Trade("5223", "G", 6, 6, "none", (5, 8), {"standing": "heavy"}, ("bán hàng", "tư vấn khách hàng",
                                                                      "sắp xếp hàng hóa")),
    Trade("5230", "G", 3, 3, "none", (5, 7), {"standing": "moderate", "vision": "moderate"},
          ("thu ngân", "sử dụng máy tính tiền", "kiểm đếm tiền")),
    Trade("3322", "G", 3, 2, "trung_cap", (7, 15), {}, ("bán hàng", "chăm sóc khách hàng", "đàm phán")),
    Trade("4321", "G", 2, 2, "trung_cap", (6, 9), {"lifting": "moderate"}, ("quản lý kho", "nhập xuất hàng",
                                                                            "kiểm kê")),
    Trade("7231", "G", 2, 2, "so_cap", (7, 11), {"lifting": "moderate", "fine_motor": "moderate"},
          ("sửa chữa xe máy", "bảo dưỡng ô tô", "chẩn đoán hư hỏng động cơ")),
    Trade("8332", "H", 3, 2, "so_cap", (9, 14), DRIVING, ("lái xe tải", "giao nhận hàng", "bảo dưỡng xe"),
          "Giấy phép lái xe hạng C"),
    Trade("8322", "H", 2, 2, "so_cap", (8, 12), DRIVING, ("lái xe ô tô", "đưa đón khách"), "Giấy phép lái xe hạng B2"),
    Trade("8321", "H", 3, 3, "none", (6, 10), DRIVING, ("giao hàng", "sử dụng ứng dụng giao hàng"),
          "Giấy phép lái xe hạng A1"),
    Trade("9333", "H", 3, 3, "none", (6, 9), HEAVY, ("bốc xếp hàng hóa", "vận chuyển hàng")),
    Trade("8344", "H", 1, 1, "so_cap", (8, 11), DRIVING, ("lái xe nâng", "sắp xếp kho"), "Chứng chỉ vận hành xe nâng"),
    Trade("5120", "I", 3, 2, "so_cap", (7, 12), {"standing": "heavy"}, ("nấu ăn", "chế biến món Việt",
                                                                        "an toàn thực phẩm")),
    Trade("5131", "I", 4, 4, "none", (5, 7), {"standing": "heavy"}, ("phục vụ bàn", "giao tiếp khách hàng")),
    Trade("9412", "I", 2, 2, "none", (5, 7), {"standing": "heavy"}, ("sơ chế thực phẩm", "rửa chén")),
    Trade("4224", "I", 1, 1, "trung_cap", (6, 9), {"hearing": "moderate"}, ("lễ tân", "tiếng Anh giao tiếp",
                                                                             "đặt phòng")),
    Trade("9112", "N", 3, 3, "none", (5, 7), {"standing": "moderate"}, ("vệ sinh công nghiệp", "dọn phòng")),
    Trade("5414", "N", 3, 3, "none", (6, 8), {"standing": "moderate", "vision": "moderate"},
          ("bảo vệ", "tuần tra", "phòng cháy chữa cháy"), "Chứng chỉ nghiệp vụ bảo vệ"),
    Trade("4110", "N", 2, 4, "trung_cap", (6, 9), DESK, ("tin học văn phòng", "soạn thảo văn bản", "lưu trữ hồ sơ")),
    Trade("3313", "M", 2, 3, "cao_dang", (7, 10), DESK, ("kế toán", "phần mềm MISA", "lập báo cáo thuế")),
    Trade("2411", "M", 1, 2, "dai_hoc", (10, 16), DESK, ("kế toán tổng hợp", "báo cáo tài chính", "thuế")),
    Trade("5141", "S", 1, 1, "so_cap", (6, 10), {"standing": "heavy", "fine_motor": "heavy"},
          ("cắt tóc", "uốn duỗi tóc")),
    Trade("5322", "Q", 1, 1, "so_cap", (6, 9), {"lifting": "moderate"}, ("chăm sóc người già", "hỗ trợ sinh hoạt")),
    Trade("2512", "J", 1, 1, "dai_hoc", (12, 25), DESK, ("lập trình Python", "phát triển web", "cơ sở dữ liệu")),
    Trade("4132", "N", 1, 2, "trung_cap", (5, 8), DESK, ("nhập liệu", "tin học văn phòng", "đánh máy nhanh")),
)
TRADE_BY_CODE = {t.code: t for t in TRADES}

SURNAMES = {"kinh": ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Đặng", "Bùi", "Đỗ", "Hồ",
                     "Ngô", "Dương", "Lý", "Châu", "Tô", "Mai"),
            "khmer": ("Thạch", "Sơn", "Lâm", "Danh", "Kim", "Lý", "Triệu", "Huỳnh"),
            "hoa": ("Lâm", "Quách", "Trương", "Lý", "Mã", "Tăng", "Hứa", "Diệp", "Lưu")}
GIVEN = {("kinh", "male"): ("Văn An", "Văn Bình", "Minh Cường", "Văn Dũng", "Thanh Hải", "Văn Hùng", "Đăng Khoa",
                            "Hoàng Long", "Văn Nam", "Hữu Phúc", "Minh Tâm", "Anh Tuấn", "Quốc Toàn", "Văn Tài"),
         ("kinh", "female"): ("Thị Anh", "Thị Hà", "Thị Hạnh", "Thị Hoa", "Thu Hương", "Ngọc Lan", "Thùy Linh",
                              "Thị Mai", "Bích Ngọc", "Hồng Nhung", "Phương Thảo", "Thu Trang", "Tường Vy", "Hải Yến"),
         ("khmer", "male"): ("Sóc Khanh", "Sa Phol", "Chanh Đa", "Sà Mun", "Sóc Phon", "Văn Pho", "Đa Ra", "Ni Kha"),
         ("khmer", "female"): ("Thị Sa Rết", "Thị Sô Phia", "Thị Chanh Thu", "Thị Sa Vy", "Thị Kim Sang",
                               "Thị Ra Ny", "Thị Sóc Mai"),
         ("hoa", "male"): ("Chí Cường", "Gia Huy", "Quốc Vinh", "Tuấn Kiệt", "Vĩnh Phát"),
         ("hoa", "female"): ("Mỹ Linh", "Tú Anh", "Bội Trân", "Ngọc Hân", "Huệ Mẫn")}
COMPANY_WORDS = ("Phú Thành", "Mekong", "Sông Hậu", "Thành Đạt", "Vĩnh Châu", "Cù Lao Dung", "Minh Phú",
                 "Tân Long", "Hưng Thịnh", "Đại Ngãi", "An Phát", "Kế Sách", "Mỹ Xuyên", "Trần Đề", "Phước Lộc")
COMPANY_FORMS = {"A": ("Hợp tác xã Nông nghiệp", "Công ty TNHH Nuôi trồng Thủy sản"),
                 "C": ("Công ty CP Chế biến Thủy sản", "Công ty TNHH May mặc", "Công ty TNHH Giày da",
                       "Công ty TNHH Cơ khí"),
                 "F": ("Công ty TNHH Xây dựng", "Doanh nghiệp tư nhân Xây dựng"),
                 "G": ("Công ty TNHH Thương mại", "Siêu thị", "Cửa hàng Điện máy"),
                 "H": ("Công ty TNHH Vận tải", "Công ty CP Logistics"),
                 "I": ("Nhà hàng", "Khách sạn"), "N": ("Công ty TNHH Dịch vụ Bảo vệ", "Công ty TNHH Vệ sinh"),
                 "M": ("Công ty TNHH Kế toán",), "S": ("Salon",), "Q": ("Trung tâm Chăm sóc",),
                 "J": ("Công ty TNHH Phần mềm",)}
SECTOR_WEIGHTS = {"A": 14, "C": 30, "F": 14, "G": 16, "H": 9, "I": 7, "N": 5, "M": 2, "S": 1, "Q": 1, "J": 1}
# Registered jobseekers: most untrained, resembling the province's low share of trained workers.
TRAINING_WEIGHTS = (60, 15, 9, 7, 8, 1)
LIMITATION_NEEDS = {"mobility": ("step_free_access", "accessible_toilet", "transport"), "hearing": ("sign_language",),
                    "vision": ("assistive_technology",), "stamina": ("flexible_hours",), "lifting": (),
                    "standing": ("flexible_hours",), "fine_motor": ("assistive_technology",), "speech": (),
                    "learning": ("flexible_hours",)}


def _when(rng: random.Random, today: date) -> date:
    return today - timedelta(days=rng.randrange(HISTORY_DAYS))


def _location(rng: random.Random, *, urban_bias: float) -> dict[str, Any]:
    wards = list(reference.legacy_wards().values())
    urban = [w for w in wards if w.urban]
    ward = rng.choice(urban if rng.random() < urban_bias else wards)
    return {"legacy_ward_code": ward.ward_code, "lat": round(ward.lat + rng.uniform(-0.01, 0.01), 5),
            "lon": round(ward.lon + rng.uniform(-0.01, 0.01), 5)}


def _esco_skills(rng: random.Random, code: str, n: int) -> list[str]:
    skills = reference.occupation_skills().get(code, {}).get("essential", [])[:8]
    return rng.sample(skills, min(n, len(skills)))


def employers(rng: random.Random, count: int, today: date) -> list[dict[str, Any]]:
    """Return `count` employers spread over the province's sectors."""
    sectors = rng.choices(list(SECTOR_WEIGHTS), weights=list(SECTOR_WEIGHTS.values()), k=count)
    rows = []
    for n, sector in enumerate(sectors):
        size = rng.choices(("micro", "small", "medium", "large"), weights=(35, 40, 18, 7))[0]
        rows.append({"external_id": f"DN{n:05d}", "source": SOURCE,
                     "name": f"{rng.choice(COMPANY_FORMS[sector])} {rng.choice(COMPANY_WORDS)} {n + 1}",
                     "tax_code": f"22{rng.randrange(10**8):08d}", "industry": sector, "size": size,
                     "address": {**_location(rng, urban_bias=0.5), "address": f"{rng.randrange(1, 300)} Quốc lộ 1A"},
                     "contact": {"person": "Phòng nhân sự", "phone": f"0299{rng.randrange(10**6):06d}"}})
    return rows


def jobs(rng: random.Random, count: int, employer_rows: list[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    """Return `count` vacancies posted by the employers, in trades of their sectors."""
    rows = []
    for n in range(count):
        employer = rng.choice(employer_rows)
        trades = [t for t in TRADES if t.sector == employer["industry"]] or list(TRADES)
        trade = rng.choices(trades, weights=[t.job_weight for t in trades])[0]
        occupation = reference.unit_group(trade.code)
        low = rng.randint(*trade.salary)
        posted = _when(rng, today)
        accommodations = rng.sample(("step_free_access", "accessible_toilet", "flexible_hours", "transport",
                                     "sign_language", "assistive_technology"), rng.choice((0, 0, 0, 0, 1, 2, 3)))
        rows.append({
            "external_id": f"VL{n:05d}", "source": SOURCE,
            "employer_id": record_id("emp", employer["external_id"], SOURCE),
            "title": f"{occupation.label_vi}" + rng.choice(("", " (làm ngay)", " - ca ngày", " - có thưởng")),
            "description": f"Tuyển {occupation.label_vi.lower()}. Công việc: {', '.join(trade.skills[:3])}. "
                           "Được đóng BHXH, BHYT.",
            "occupation_code": trade.code,
            "workplace": {**_location(rng, urban_bias=0.4)},
            "work_mode": "on_site" if trade.code not in ("2512", "4132") else rng.choice(("hybrid", "remote")),
            "contract_type": rng.choices(("indefinite", "fixed_term", "seasonal", "part_time", "daily"),
                                         weights=(35, 35, 12, 10, 8))[0],
            "openings": rng.choice((1, 1, 2, 3, 5, 10, 20)) if trade.sector in "AC" else rng.choice((1, 1, 2, 3)),
            "salary_min": low * 1_000_000, "salary_max": (low + rng.randint(1, 4)) * 1_000_000,
            "min_training_level": trade.min_training,
            "certificates": [trade.certificate] if trade.certificate else [],
            "essential_skills": rng.sample(trade.skills, min(2, len(trade.skills))),
            "optional_skills": _esco_skills(rng, trade.code, 2),
            "min_experience_years": rng.choice((0, 0, 0, 1, 2)),
            "physical_demands": dict(trade.demands),
            "accommodations": accommodations,
            "status": "open",
            "posted_at": posted.isoformat(),
            "expires_at": (posted + timedelta(days=rng.choice((30, 60, 90)))).isoformat(),
        })
        # Contracts of a month or more carry compulsory social insurance, though not every employer pays it.
        # Decided without the generator, so that the rest of the demo stays as it was.
        row = rows[-1]
        contract = row["contract_type"]
        row["social_insurance"] = (contract in ("indefinite", "fixed_term") and n % 6 != 0) \
            or (contract == "seasonal" and n % 4 == 0)
        if not row["social_insurance"]:
            row["description"] = row["description"].replace("Được đóng BHXH, BHYT.", "Lương theo ngày công.")
    return rows


def _name(rng: random.Random, ethnicity: str, gender: str) -> str:
    return f"{rng.choice(SURNAMES[ethnicity])} {rng.choice(GIVEN[(ethnicity, gender)])}"


def workers(rng: random.Random, count: int, today: date) -> list[dict[str, Any]]:
    """Return `count` jobseekers; about 5% with a disability, consent recorded as they gave it."""
    rows = []
    for n in range(count):
        ethnicity = rng.choices(("kinh", "khmer", "hoa"), weights=(64, 30, 6))[0]
        gender = rng.choice(("female", "male"))
        age = rng.choices((rng.randint(18, 30), rng.randint(31, 45), rng.randint(46, 60)), weights=(45, 38, 17))[0]
        trade = rng.choices(TRADES, weights=[t.worker_weight for t in TRADES])[0]
        rank = max(TRAINING_LEVELS.index(trade.min_training),
                   rng.choices(range(6), weights=TRAINING_WEIGHTS)[0]) if rng.random() < 0.7 else \
            rng.choices(range(6), weights=TRAINING_WEIGHTS)[0]
        training = TRAINING_LEVELS[rank]
        certificates = []
        if trade.certificate and (rank > 0 or rng.random() < 0.5):
            certificates.append({"name": trade.certificate, "year": today.year - rng.randint(0, 8),
                                 "issuer": "Trường Cao đẳng Nghề Sóc Trăng", "level": "so_cap"})
        history = []
        if age > 20 and rng.random() < 0.75:
            start = today.year - rng.randint(1, min(20, age - 18))
            history.append({"title": reference.unit_group(trade.code).label_vi, "occupation_code": trade.code,
                            "from_year": start, "to_year": min(today.year, start + rng.randint(1, 6))})
        priority = []
        if ethnicity != "kinh":
            priority.append("ethnic_minority")
        if age <= 30:
            priority.append("youth")
        for group, share in (("poor_household", 0.08), ("near_poor_household", 0.06), ("returning_migrant", 0.05),
                             ("demobilised_soldier", 0.02), ("meritorious_family", 0.03)):
            if rng.random() < share and not (group == "near_poor_household" and "poor_household" in priority):
                priority.append(group)
        record: dict[str, Any] = {
            "external_id": f"NLD{n:06d}", "source": SOURCE,
            "personal": {"full_name": _name(rng, ethnicity, gender), "phone": f"09{rng.randrange(10**8):08d}",
                         "national_id": f"094{rng.randrange(10**9):09d}"},
            "birth_year": today.year - age, "gender": gender, "ethnicity": ethnicity,
            "residence": _location(rng, urban_bias=0.25), "max_commute_km": rng.choice((5, 10, 15, 20, 30)),
            "general_education": rng.choices(("primary", "lower_secondary", "upper_secondary"),
                                             weights=(15, 35, 50))[0],
            "training_level": training, "certificates": certificates,
            "skills": (rng.sample(trade.skills, min(len(trade.skills), rng.randint(1, 3)))
                       + _esco_skills(rng, trade.code, 1)),
            "work_history": history, "desired_occupations": [trade.code],
            "desired_salary_min": rng.randint(*trade.salary) * 1_000_000,
            "desired_work_modes": ["on_site"],
            "registered_at": _when(rng, today).isoformat(),
            # "placed" only ever comes from a placement (the demo history); one draw as before keeps the stream.
            "employment_status": rng.choices(("unemployed", "employed_looking", "student"),
                                             weights=(60, 25, 10))[0],
            "ui_status": rng.choices(("none", "receiving", "ended"), weights=(75, 15, 10))[0],
            "priority_groups": priority,
            "consent": {"show_to_employers": rng.random() < 0.7},
        }
        if rng.random() < 0.05:
            limitations = rng.sample(tuple(LIMITATION_NEEDS), rng.choice((1, 1, 2)))
            if rng.random() < 0.9:  # most agree to have it recorded; otherwise nothing is stored
                needs = sorted({need for item in limitations for need in LIMITATION_NEEDS[item]})
                record["disability"] = {"functional_limitations": limitations, "accommodations_needed": needs}
                record["consent"]["store_disability"] = True
        record["last_contact_at"] = _last_contact(record, today)
        rows.append(record)
    return rows


def _last_contact(record: dict[str, Any], today: date) -> str:
    """Return a day of latest contact: most people come back now and then, some never after registering.

    Its own generator per record, so adding it left the other demo fields as they were."""
    rng = random.Random(f"contact-{record['external_id']}")
    registered = date.fromisoformat(record["registered_at"])
    if rng.random() < 0.35:
        return registered.isoformat()
    return (registered + timedelta(days=rng.randint(0, (today - registered).days))).isoformat()


def settle(es: Any, prefix: str, *, today: date, lapse_days: int) -> dict[str, int]:
    """Apply the register lifecycle to loaded demo data (after its placement history, which fills vacancies
    first): vacancies past expiry close as expired on that date, people out of contact lapse on theirs."""
    return lifecycle.sweep(es, prefix, today, lapse_days)


def generate(directory: Path, *, employers_count: int, jobs_count: int, workers_count: int, seed: int = 2030,
             today: date | None = None) -> dict[str, Path]:
    """Write employers.jsonl, jobs.jsonl and workers.jsonl into `directory`; return their paths."""
    today = today or date.today()
    rng = random.Random(seed)
    employer_rows = employers(rng, employers_count, today)
    files = {"employers": employer_rows, "jobs": jobs(rng, jobs_count, employer_rows, today),
             "workers": workers(rng, workers_count, today)}
    directory.mkdir(parents=True, exist_ok=True)
    paths = {}
    for kind, rows in files.items():
        path = directory / f"{kind}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        paths[kind] = path
    return paths


def iter_kinds() -> Iterator[str]:
    """Yield the kinds in the order they must be imported (vacancies need their employers)."""
    yield from ("employers", "jobs", "workers")
