"""The Vietnamese analyzers of the real node, checked with the _analyze API, and the folding they rely on."""

import pytest

from indexer.naming import alias_name
from jobmatch.text import fold
from tests.conftest import RUN_PREFIX


def tokens(es, analyzer, text):
    response = es.indices.analyze(index=alias_name(RUN_PREFIX, "jobs"), analyzer=analyzer, text=text)
    return [t["token"] for t in response["tokens"]]


def test_syllables_are_lowercased_and_keep_their_diacritics(es, indices):
    assert tokens(es, "vi_text", "THỢ Hàn Điện") == ["thợ", "hàn", "điện"]


def test_syllable_bigrams_form_words(es, indices):
    assert tokens(es, "vi_bigram", "Công nhân may công nghiệp") == ["công nhân", "nhân may", "may công",
                                                                    "công nghiệp"]


def test_single_syllable_has_no_bigram(es, indices):
    assert tokens(es, "vi_bigram", "may") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Thợ hàn", ["tho", "han"]),
    ("Đường Trần Hưng Đạo", ["duong", "tran", "hung", "dao"]),
    ("Nuôi tôm thẻ chân trắng", ["nuoi", "tom", "the", "chan", "trang"]),
])
def test_folded_copy_analyses_to_plain_syllables(es, indices, text, expected):
    assert tokens(es, "vi_text", fold(text)) == expected


def test_folded_and_typed_without_accents_meet(es, indices):
    assert tokens(es, "vi_bigram", fold("thợ hàn")) == tokens(es, "vi_bigram", "tho han") == ["tho han"]
