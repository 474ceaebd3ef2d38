"""Username and password rules: pure functions, no cluster."""

from __future__ import annotations

import unicodedata

import pytest

from jobmatch.accounts.passwords import (
    CONTAINS_USERNAME,
    TOO_COMMON,
    TOO_LONG,
    TOO_SHORT,
    normalise_password,
    normalise_username,
    password_problems,
    username_problems,
)


def test_a_long_uncommon_password_without_the_username_passes():
    assert password_problems("ngựa vằn ăn cỏ non", "lan.nguyen") == []
    assert password_problems("x" * 10, "lan") == []


@pytest.mark.parametrize(("password", "problem"), [
    ("ngắn quá", TOO_SHORT),
    ("a" * 9, TOO_SHORT),
    ("x" * 1025, TOO_LONG),
    ("lan.nguyen2026!", CONTAINS_USERNAME),
    ("LAN.NGUYEN-2026", CONTAINS_USERNAME),  # case does not hide it
    ("matkhau123", TOO_COMMON),
    ("Password123", TOO_COMMON),
    ("123456789", TOO_COMMON),
])
def test_each_rule_names_its_problem(password, problem):
    assert problem in password_problems(password, "lan.nguyen")


def test_a_password_can_break_several_rules_at_once():
    assert password_problems("123456789", "123") == [TOO_SHORT, CONTAINS_USERNAME, TOO_COMMON]


def test_messages_are_vietnamese_then_english():
    for message in (TOO_SHORT, TOO_LONG, CONTAINS_USERNAME, TOO_COMMON):
        vietnamese, english = message.split(" / ")
        assert vietnamese and english.startswith(("The ", "This "))


def test_a_username_in_another_unicode_form_is_still_found_in_the_password():
    decomposed = unicodedata.normalize("NFD", "Thuý.Lê")
    assert CONTAINS_USERNAME in password_problems("thuý.lê-mật-khẩu", decomposed)


def test_usernames_normalise_to_one_spelling():
    assert normalise_username("  Lan.Nguyen ") == "lan.nguyen"
    assert normalise_username(unicodedata.normalize("NFD", "Thuý_Lê")) == unicodedata.normalize("NFC", "thuý_lê")


def test_passwords_are_compared_in_nfc():
    assert normalise_password(unicodedata.normalize("NFD", "mật khẩu")) == unicodedata.normalize("NFC", "mật khẩu")


@pytest.mark.parametrize("username", ["lan", "lan.nguyen", "can_bo-01", "thuý.lê", "a" * 64, "2026.lan"])
def test_good_usernames(username):
    assert username_problems(normalise_username(username)) == []


@pytest.mark.parametrize("username", ["ab", "a" * 65, "lan nguyen", "lan@tt", ".lan", "-lan", "", "lan²x"])
def test_bad_usernames(username):
    assert username_problems(normalise_username(username))
