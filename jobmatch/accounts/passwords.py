"""Rules for usernames and passwords, as pure functions (no storage, no hashing): what a form can check.

Messages are Vietnamese for the people who read them, with the English after " / " for the logs of support.
"""

from __future__ import annotations

import unicodedata

USERNAME_MIN_LENGTH = 3
USERNAME_MAX_LENGTH = 64
USERNAME_PUNCTUATION = "._-"
PASSWORD_MIN_LENGTH = 10
# Argon2 pre-hashes its input, so length costs little; the cap only keeps absurd input out of the hasher.
PASSWORD_MAX_LENGTH = 1024

# Passwords of the allowed length that people pick first (lists of leaked passwords, Vietnamese favourites).
# Compared case-insensitively; a short list on purpose: the length rule does most of the work.
COMMON_PASSWORDS = frozenset({
    "0123456789", "0987654321", "1111111111", "1234567890", "12345678910", "123456789", "1234567899",
    "123123123123", "123456789a", "1234567890a", "123456789abc", "1q2w3e4r5t", "1qaz2wsx3edc", "5555555555",
    "6666666666", "8888888888", "9999999999", "a123456789", "aa123456789", "abc123456789", "abcd123456",
    "admin12345", "admin123456", "admin@12345", "anhyeuem123", "anhyeuem1234", "asdfghjkl;", "asdfghjkl1",
    "iloveyou12", "iloveyou123", "matkhau123", "matkhau1234", "matkhau@123", "matkhaumoi1", "password12",
    "password123", "password1234", "password@123", "qwerty12345", "qwerty123456", "qwertyuiop", "qwertyuiop1",
    "trungtamdvvl", "vieclam123", "vieclam2025", "vieclam2026", "vietnam123", "vietnam1234", "welcome123",
    "zxcvbnm123",
})

TOO_SHORT = (f"Mật khẩu phải có ít nhất {PASSWORD_MIN_LENGTH} ký tự / "
             f"The password must be at least {PASSWORD_MIN_LENGTH} characters long")
TOO_LONG = (f"Mật khẩu không được dài quá {PASSWORD_MAX_LENGTH} ký tự / "
            f"The password must be at most {PASSWORD_MAX_LENGTH} characters long")
CONTAINS_USERNAME = "Mật khẩu không được chứa tên đăng nhập / The password must not contain the username"
TOO_COMMON = "Mật khẩu này quá phổ biến, hãy chọn mật khẩu khác / This password is too common; choose another one"


def normalise_username(raw: str) -> str:
    """Return the one spelling a username is stored and looked up under: trimmed, Unicode NFC, lower case.

    NFC first because the same Vietnamese letter arrives precomposed or as base letter + marks depending on the
    keyboard; NFC again after lower-casing, which can undo it for a few letters.
    """
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", raw.strip()).lower())


def normalise_password(password: str) -> str:
    """Return the form a password is hashed in: Unicode NFC (RFC 8265), so that a password typed with
    diacritics on another device or keyboard layout still matches."""
    return unicodedata.normalize("NFC", password)


def username_problems(username: str) -> list[str]:
    """Return what is wrong with an (already normalised) username: 3–64 letters, digits, ".", "_" or "-",
    starting with a letter or a digit; an empty list when it is fine."""
    problems = []
    if not USERNAME_MIN_LENGTH <= len(username) <= USERNAME_MAX_LENGTH:
        problems.append(f"Tên đăng nhập phải có từ {USERNAME_MIN_LENGTH} đến {USERNAME_MAX_LENGTH} ký tự / "
                        f"The username must be {USERNAME_MIN_LENGTH} to {USERNAME_MAX_LENGTH} characters long")
    # isdecimal, not isdigit: superscripts and circled digits are digits to Python but not to people.
    if any(not (c.isalpha() or c.isdecimal() or c in USERNAME_PUNCTUATION) for c in username):
        problems.append("Tên đăng nhập chỉ gồm chữ cái, chữ số và các dấu . _ - / "
                        "The username may only contain letters, digits and . _ -")
    elif username and not (username[0].isalpha() or username[0].isdecimal()):
        problems.append("Tên đăng nhập phải bắt đầu bằng chữ cái hoặc chữ số / "
                        "The username must start with a letter or a digit")
    return problems


def password_problems(password: str, username: str) -> list[str]:
    """Return what is wrong with a password for a user (at least 10 characters, not containing the username,
    not a common password); an empty list when it is acceptable."""
    text = normalise_password(password)
    folded = text.casefold()
    name = normalise_username(username).casefold()
    problems = []
    if len(text) < PASSWORD_MIN_LENGTH:
        problems.append(TOO_SHORT)
    if len(text) > PASSWORD_MAX_LENGTH:
        problems.append(TOO_LONG)
    if name and name in folded:
        problems.append(CONTAINS_USERNAME)
    if folded in COMMON_PASSWORDS:
        problems.append(TOO_COMMON)
    return problems
