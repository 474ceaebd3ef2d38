"""Walk-in understanding, the place gazetteer, the fuzzy name index, the autocoder and language detection
(pure functions over the reference tables, no server)."""

import pytest

from jobmatch import language
from jobmatch.lookups.index import NameIndex
from jobmatch.lookups.occupations import CONFIDENT, autocoder, clean_title, confidence
from jobmatch.lookups.places import suggest_communes
from jobmatch.matching.understanding import profile_from, understand
from jobmatch.segmentation import segment_with


def fields(text, **kwargs):
    return {item.field: item.value for item in understand(text, **kwargs).items}


def test_walk_in_sentence_is_understood_with_spans():
    text = "em muốn tìm việc may mặc gần Vĩnh Châu, có bằng trung cấp"
    understood = understand(text)
    by_field = {item.field: item for item in understood.items}
    assert by_field["commune_code"].value == "phuong-vinh-chau"
    assert text[slice(*by_field["commune_code"].span)] == "Vĩnh Châu"
    assert by_field["training_level"].value == "trung_cap" and by_field["training_level"].text == "bằng trung cấp"
    assert understood.point is not None


@pytest.mark.parametrize(("text", "expected"), [
    ("anh co bang lai hang C, 5 nam kinh nghiem lai xe tai, muon luong 12 trieu",
     {"certificates": "Giấy phép lái xe hạng C", "experience_years": 5.0, "salary_min": 12_000_000}),
    ("GPLX B2, 7tr5 tro len", {"certificates": "Giấy phép lái xe hạng B2", "salary_min": 7_500_000}),
    ("hoc nghe dien 3 thang, tim viec o Nga Nam", {"training_level": "so_cap", "commune_code": "phuong-nga-nam"}),
    ("phuong 2 vinh chau lam ca dem 300k/ngay", {"commune_code": "phuong-vinh-chau", "shifts": "night",
                                                "salary_min": 7_800_000}),
    ("Phường 5 TP Sóc Trăng, có chứng chỉ hàn", {"commune_code": "phuong-soc-trang",
                                                 "certificates": "Chứng chỉ hàn"}),
    ("lam tai nha, duoi 10 km, moi ra truong", {"work_mode": "remote", "max_commute_km": 10.0,
                                                "experience_years": 0.0}),
])
def test_everyday_phrasings(text, expected):
    assert expected.items() <= fields(text).items()


def test_place_names_that_are_everyday_words_need_their_prefix():
    assert "commune_code" not in fields("tìm việc an ninh, bảo vệ")  # "an ninh" = security work
    assert fields("nhà ở xã An Ninh")["commune_code"] == "xa-an-ninh"
    assert "commune_code" not in fields("Vịnh Châu")  # typed with other diacritics: not this place


def test_occupations_come_from_the_suggester_above_a_confidence():
    def suggest(text):
        return [("7212", "Thợ hàn", 0.9, "thợ hàn"), ("7213", "Thợ gò", 0.3, "thợ gò")]
    understood = understand("em là thợ hàn, ở gần Kế Sách", suggest=suggest)
    assert understood.values("occupation_code") == ["7212"]
    occupation = next(item for item in understood.items if item.field == "occupation_code")
    assert occupation.text == "thợ hàn"  # the span is where the occupation was said


def test_profile_has_only_what_was_said():
    understood = understand("tho han o Ke Sach")
    profile = profile_from(understood, {}, "jobs")
    assert profile["residence"]["commune_code"] == "xa-ke-sach"
    assert not {"training_level", "desired_salary_min", "stated_experience_years", "max_commute_km"} & set(profile)
    explicit = profile_from(understood, {"training_level": "cao_dang", "commune_code": "phuong-my-xuyen"}, "jobs")
    assert explicit["training_level"] == "cao_dang" and explicit["residence"] == {"commune_code": "phuong-my-xuyen"}


def test_commune_type_ahead_knows_both_generations():
    assert suggest_communes("phường 5")[0]["commune_code"] == "phuong-soc-trang"
    assert suggest_communes("phường 5")[0]["kind"] == "pre_2025_commune"
    assert suggest_communes("vinh chau")[0]["commune_code"] == "phuong-vinh-chau"
    assert suggest_communes("vinh ch")[0]["commune_code"] == "phuong-vinh-chau"  # while typing
    assert suggest_communes("an hiep")[0]["commune_code"] == "xa-an-ninh"  # merged into An Ninh in 2025
    assert suggest_communes("") == []


def test_name_index_prefers_exact_accents_and_tolerates_typos():
    index = NameIndex(["công nhân may công nghiệp", "vận hành máy công nghiệp", "thợ hàn"])
    assert index.search("may công nghiệp")[0].position == 0
    assert index.search("máy công nghiệp")[0].position == 1
    assert index.search("tho hna")[0].position == 2  # a typo still shares trigrams


def test_title_cleaning_drops_recruiting_words_pay_and_place():
    assert clean_title("CẦN TUYỂN GẤP 50 công nhân may (lương 7-9tr)") == "công nhân may"
    assert clean_title("Tuyển thợ điện lương 10tr tại Sóc Trăng") == "thợ điện"


def test_confidence_falls_with_a_close_rival():
    assert confidence(0.8, 0.1) > confidence(0.8, 0.7) > 0
    assert confidence(0.0, 0.0) == 0.0


@pytest.mark.parametrize(("title", "code"), [
    ("Thợ hàn", "7212"), ("tho han", "7212"), ("welder", "7212"), ("Tài xế xe tải", "8332"),
])
def test_autocoder_codes_plain_titles(title, code):
    best, candidates = autocoder().code(title)
    assert candidates[0].code == code
    assert best is not None and best.confidence >= CONFIDENT


def test_autocoder_refuses_to_guess_nonsense():
    best, candidates = autocoder().code("xyzzy qwerty")
    assert best is None and len(candidates) <= 3


def test_language_detection_and_taxonomy_text():
    assert language.detect("thợ hàn") == "vi" and language.detect("tho han") == "vi"
    assert language.detect("truck driver with class C licence") == "en"
    assert not language.served("tìm việc may mặc", {"en"}) and language.served("cook", {"en"})
    text = language.taxonomy_text(["7212", "7212", "nope"])
    assert text.startswith("Welders and flamecutters: ") and text.count("Welders") == 1


def test_segmenters_join_words_and_leave_unaccented_text_alone():
    assert "lập_trình_viên" in segment_with("tuyển lập trình viên", "pyvi")
    assert "công_nhân" in segment_with("công nhân may", "underthesea")
    assert segment_with("lap trinh vien", "pyvi") == "lap trinh vien"
    assert segment_with("công nhân", "syllables") == "công nhân"
