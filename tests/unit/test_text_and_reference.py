"""Vietnamese text helpers and the reference tables (no server)."""

import unicodedata

from jobmatch import reference
from jobmatch.text import clean, fold


def test_clean_is_nfc_and_folds_spaces():
    text = unicodedata.normalize("NFD", "  Thủy   sản\tSóc Trăng ")
    assert clean(text) == "Thủy sản Sóc Trăng"
    assert unicodedata.is_normalized("NFC", clean(text))


def test_fold_strips_tones_and_d_stroke():
    assert fold("Đặng Thị Ánh Nguyệt") == "dang thi anh nguyet"
    assert fold(unicodedata.normalize("NFD", "thợ hàn")) == "tho han"


def test_occupations_cover_isco_levels_with_titles():
    table = reference.occupations()
    assert {o.level for o in table.values()} == {1, 2, 3, 4}
    assert sum(o.level == 4 for o in table.values()) == 436
    welder = reference.unit_group("7212")
    assert (welder.title_vi, welder.title_vi_source) == ("Thợ hàn và thợ cắt kim loại bằng nhiệt", "vsco2020")
    assert welder.label_vi == "Thợ hàn" and welder.title_en == "Welders and flamecutters"
    assert reference.unit_group("72") is None
    units = [o for o in table.values() if o.level == 4]
    assert all(o.title_vi and o.title_vi_source in ("vsco2020", "jobmatch") for o in units)
    # VSCO 2020 numbers ISCO-08's secondary teachers 2331/2332 and its security guards 5401: titled by jobmatch
    assert reference.unit_group("2330").title_vi_source == reference.unit_group("5414").title_vi_source == "jobmatch"


def test_every_legacy_ward_maps_to_a_current_commune():
    wards, communes = reference.legacy_wards(), reference.communes()
    assert len(wards) == 108 and len(communes) == 43
    assert all(w.commune_code in communes for w in wards.values())
    assert sum(w.urban for w in wards.values()) == 28
    assert wards["31498"].district == "Thành phố Sóc Trăng" and wards["31498"].commune_code == "phuong-soc-trang"


def test_esco_skills_are_listed_per_unit_group():
    skills = reference.occupation_skills()["7212"]
    assert skills["essential"] and skills["optional"]
