"""Tokens and short codes (app/registry/codes.py), and the ones each establishment gets."""

import re

import pytest

from app.registry import codes

LOOK_ALIKES = set("0O1IL")


def test_tokens_are_unique_url_safe_and_long_enough():
    tokens = {codes.new_token() for _ in range(5000)}
    assert len(tokens) == 5000
    for token in tokens:
        assert len(token) >= 22
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
        assert codes.is_token(token)


def test_token_shape_check_rejects_other_text():
    assert not codes.is_token("42")
    assert not codes.is_token("a" * 21)
    assert not codes.is_token("abc/def" + "a" * 20)
    assert not codes.is_token("a" * 65)


def test_short_codes_use_the_alphabet_without_look_alikes():
    made = [codes.new_short_code() for _ in range(2000)]
    assert len(set(made)) > 1990
    assert not LOOK_ALIKES & set(codes.SHORT_CODE_ALPHABET)
    for code in made:
        assert len(code) == 8
        assert set(code) <= set(codes.SHORT_CODE_ALPHABET)
        assert codes.is_short_code(code)
    assert set("".join(made)) == set(codes.SHORT_CODE_ALPHABET)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("abcd efgh", "ABCDEFGH"),
        (" ABCD-EFGH ", "ABCDEFGH"),
        ("ab-cd_ef.gh", "ABCDEFGH"),
        ("ＡＢＣＤ　２３４５", "ABCD2345"),  # full-width, from a Chinese IME
        ("ABCD－EFGH", "ABCDEFGH"),  # full-width hyphen
        ("ABCD—EFGH", "ABCDEFGH"),  # em dash
        ("", ""),
    ],
)
def test_normalise_short_code(typed, expected):
    assert codes.normalise_short_code(typed) == expected


@pytest.mark.parametrize("typed", ["ABCD0EFG", "ABCDOEFG", "ABCD1EFG", "abcdiefg", "ABCDLEFG"])
def test_look_alikes_are_not_guessed_and_fail_validation(typed):
    code = codes.normalise_short_code(typed)
    assert code == typed.upper()
    assert not codes.is_short_code(code)


def test_short_code_validation_needs_eight_characters():
    assert codes.is_short_code("ABCD2345")
    assert not codes.is_short_code("ABCD234")
    assert not codes.is_short_code("ABCD23456")


def test_format_short_code_spaces_the_halves():
    assert codes.format_short_code("ABCD2345") == "ABCD 2345"


def test_tokens_are_unique_long_and_not_derived_from_ids(make_establishment):
    ests = [make_establishment() for _ in range(20)]
    tokens = {e.qr_token for e in ests}
    codes = {e.short_code for e in ests}
    assert len(tokens) == 20 and len(codes) == 20
    for est in ests:
        assert len(est.qr_token) >= 22  # 128 bits, url-safe base64
        assert str(est.id) != est.qr_token and not est.qr_token.isdigit()
