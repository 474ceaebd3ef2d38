"""Every labour-market indicator jobmatch reports, with its definition in Vietnamese and English.

A period is a range of calendar days [from, to] in local time. "Trained" follows the GSO labour force survey:
holding a degree or certificate of elementary vocational level (sơ cấp) or above — not short courses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Indicator:
    """One indicator: how it is named, what it counts, its unit."""

    key: str
    label_vi: str
    label_en: str
    definition: str
    unit: str = "count"  # count | share | days | rate


INDICATORS: tuple[Indicator, ...] = (
    Indicator("new_jobseekers", "Người tìm việc đăng ký mới", "New registered jobseekers",
              "Jobseekers whose registration date falls in the period."),
    Indicator("active_jobseekers", "Người tìm việc đang đăng ký", "Active registered jobseekers",
              "Registered on or before the period's last day, neither closed nor placed before its first day, and not "
              "lapsed (no contact for JOBSEEKER_LAPSE_DAYS) for the whole period; a lapse is dated, so the months "
              "before it still count the person, and a reactivated person counts again from the reactivation."),
    Indicator("registered_unemployed", "Người thất nghiệp đăng ký", "Registered unemployed",
              "At the period's last day: registered, not closed, not placed, not lapsed, and registered as unemployed "
              "(not as employed-and-looking or student)."),
    Indicator("new_vacancies", "Vị trí việc làm mới", "New vacancies", "Vacancies posted in the period."),
    Indicator("new_openings", "Chỉ tiêu tuyển dụng mới", "New openings",
              "Openings (people wanted) of the vacancies posted in the period, as posted, plus the openings added by "
              "reopening a vacancy in the period (counted in the month of the reopening)."),
    Indicator("open_vacancies", "Vị trí việc làm đang mở", "Open vacancies",
              "Vacancies posted on or before the period's last day, and neither closed nor expired (past `expires_at`) "
              "before its first day; an expired vacancy closes on its expiry date, not on the day it is swept. A "
              "vacancy reopened later is not open in the months that lie wholly between its close and the "
              "reopening (`closed_periods`)."),
    Indicator("open_openings", "Chỉ tiêu tuyển dụng đang mở", "Open openings",
              "Openings of the open vacancies as they stood on the period's last day (openings added by a later "
              "reopening are not counted)."),
    Indicator("referrals", "Lượt giới thiệu", "Referrals",
              "Referrals of a jobseeker to a vacancy (stage 'referred') made in the period."),
    Indicator("placements", "Số người được tuyển", "Placements", "Hires recorded with a hire date in the period."),
    Indicator("placement_rate", "Tỷ lệ người tìm việc được tuyển", "Placement rate (hires per active jobseeker)",
              "Placements ÷ active registered jobseekers. By group, both sides are counted by the person; not given "
              "by occupation or industry, where placements are counted by the vacancy.", "share"),
    Indicator("referral_success_rate", "Tỷ lệ giới thiệu thành công", "Hires per referral",
              "Placements (hires dated in the period) ÷ referrals made in the period. A flow ratio, not a cohort: "
              "a hire may follow a referral made in an earlier month.", "share"),
    Indicator("vacancies_filled", "Vị trí đã tuyển đủ", "Vacancies filled",
              "Vacancies whose last opening was filled by a hire in the period, by hire date: the hire that took the "
              "last opening in time, even if recorded earlier or later than others (a reopened vacancy filled again "
              "counts again)."),
    Indicator("vacancy_fill_rate", "Tỷ lệ lấp đầy chỉ tiêu", "Vacancy fill rate",
              "Placements ÷ open openings. By group, both sides are counted by the vacancy (its commune, area, "
              "training level, occupation, industry): hires into the group's vacancies ÷ their open openings.",
              "share"),
    Indicator("placements_insured", "Số người được tuyển vào việc làm có BHXH",
              "Placements into jobs with social insurance",
              "Placements in the period into vacancies whose employer pays compulsory social insurance (the "
              "vacancy's `social_insurance`, as it was at referral)."),
    Indicator("insured_share_placements", "Tỷ lệ người được tuyển vào việc làm có BHXH",
              "Share of placements into jobs with social insurance",
              "Placements into insured jobs ÷ placements into vacancies that state whether they are insured (those "
              "that do not are left out of both). A register figure about the centre's placements, not the share "
              "of the labour force covered by social insurance the 60% target refers to.", "share"),
    Indicator("median_days_to_placement", "Số ngày trung vị đến khi có việc", "Median days to placement",
              "Median of (hire date − registration date) over the period's placements.", "days"),
    Indicator("median_days_to_fill", "Số ngày trung vị để tuyển đủ", "Median days to fill",
              "Median of (date of the filling hire − posting date) over the vacancies filled in the period.",
              "days"),
    Indicator("trained_share_jobseekers", "Tỷ lệ người tìm việc qua đào tạo có bằng, chứng chỉ",
              "Share of jobseekers trained with a degree or certificate",
              "Active registered jobseekers whose training level, or a recorded certificate's level, is sơ cấp or "
              "higher ÷ active registered jobseekers (GSO definition: short courses without a certificate do not "
              "count).", "share"),
    Indicator("trained_any_share_jobseekers", "Tỷ lệ người tìm việc qua đào tạo (kể cả dưới 3 tháng)",
              "Share of jobseekers with any training, short courses included",
              "Active registered jobseekers with a training level above none or any recorded certificate or course "
              "÷ active registered jobseekers (MOLISA's \"lao động qua đào tạo\", which counts courses under three "
              "months; the 58% target's definition).", "share"),
    Indicator("trained_share_placements", "Tỷ lệ người được tuyển qua đào tạo có bằng, chứng chỉ",
              "Share of placements trained with a degree or certificate",
              "Placements of people trained with a degree or certificate when referred (training level, or a "
              "recorded certificate's level, sơ cấp or higher, as for jobseekers) ÷ placements.", "share"),
    Indicator("pwd_registered", "Người khuyết tật đang đăng ký", "Registered people with disabilities",
              "Active registered jobseekers who consented to record a disability and have one."),
    Indicator("pwd_placements", "Người khuyết tật được tuyển", "Placements of people with disabilities",
              "Placements in the period of people with a recorded disability."),
    Indicator("pwd_employment_rate", "Tỷ lệ người khuyết tật đăng ký có việc làm",
              "Employment rate of registered people with disabilities",
              "Of the people with a recorded disability registered on or before the period's last day and not "
              "closed (or lapsed for the whole period) before its first day, the share placed by its last day.",
              "share"),
    Indicator("registered_unemployment_rate", "Tỷ lệ thất nghiệp đăng ký", "Registered unemployment rate",
              "Registered unemployed ÷ labour force aged 15+ (config LABOUR_FORCE). An administrative rate, NOT "
              "the official survey-based unemployment rate: many unemployed people never register, and the "
              "province's 3% target refers to the survey rate.", "rate"),
    Indicator("registered_unemployment_rate_urban", "Tỷ lệ thất nghiệp đăng ký thành thị",
              "Registered unemployment rate, urban",
              "Registered unemployed living in urban communes ÷ urban labour force (only when configured).", "rate"),
)
BY_KEY = {i.key: i for i in INDICATORS}

# Dimensions and the field each index groups by (None: the dimension does not apply to that index). Placements
# are grouped twice: by the person (`placements`, against jobseekers) and by the vacancy (`placements_by_vacancy`,
# against its openings), so that each rate divides counts of one population.
DIMENSIONS: dict[str, dict[str, str | None]] = {
    "commune": {"workers": "residence.commune_code", "jobs": "workplace.commune_code",
                "placements": "worker.commune_code", "placements_by_vacancy": "job.commune_code"},
    "district": {"workers": "residence.legacy.district_code", "jobs": "workplace.legacy.district_code",
                 "placements": "worker.district_code", "placements_by_vacancy": "job.district_code"},
    "urban_rural": {"workers": "residence.urban", "jobs": "workplace.urban", "placements": "worker.urban",
                    "placements_by_vacancy": "job.urban"},
    "gender": {"workers": "gender", "jobs": None, "placements": "worker.gender", "placements_by_vacancy": None},
    "age_band": {"workers": "birth_year", "jobs": None, "placements": "worker.birth_year",
                 "placements_by_vacancy": None},
    "ethnicity": {"workers": "ethnicity", "jobs": None, "placements": "worker.ethnicity",
                  "placements_by_vacancy": None},
    "training_level": {"workers": "training_level", "jobs": "min_training_level",
                       "placements": "worker.training_level", "placements_by_vacancy": "job.training_level"},
    "occupation_major": {"workers": "desired_occupation_groups", "jobs": "occupation.major",
                         "placements": "job.occupation_major", "placements_by_vacancy": "job.occupation_major"},
    "industry": {"workers": None, "jobs": "industry", "placements": "job.industry",
                 "placements_by_vacancy": "job.industry"},
}
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (("15-24", 15, 24), ("25-34", 25, 34), ("35-44", 35, 44),
                                                       ("45-54", 45, 54), ("55+", 55, None))
TRAINED_LEVELS = ("so_cap", "trung_cap", "cao_dang", "dai_hoc", "sau_dai_hoc")


def is_trained(worker: dict[str, Any]) -> bool:
    """Tell whether a person is trained with a degree or certificate (GSO): training level or a recorded
    certificate's level sơ cấp or higher — the rule of `trained_share_jobseekers`, kept on placements."""
    levels = [worker.get("training_level"), *((c or {}).get("level") for c in worker.get("certificates") or [])]
    return any(level in TRAINED_LEVELS for level in levels)
