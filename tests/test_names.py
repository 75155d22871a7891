"""The one rule for new wave and profile names."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import NameRuleError
from analysis.formulas import is_formula
from analysis.names import MAX_LENGTH, check_name

GOOD = [
    "FR-2025-Q1",
    "Vague été",
    "Welle 3 Ü",
    "panel_2024.v2",
    "2025 pilot",
    "調査 第1波",
    "a" * MAX_LENGTH,
]
BAD = [
    # formula prefixes, plain, full-width and hidden
    ("=1+2", "starts like a spreadsheet formula"),
    ("+cmd", "starts like a spreadsheet formula"),
    ("-A1", "starts like a spreadsheet formula"),
    ("@SUM(A1)", "starts like a spreadsheet formula"),
    ("＝1+2", "starts like a spreadsheet formula"),
    ("\u200b=1", "starts like a spreadsheet formula"),
    ("\tx", "starts like a spreadsheet formula"),
    # paths and markup
    ("../../data/codebook", "holds '/'"),
    ("/etc/passwd", "holds '/'"),
    ("..", "must start with a letter or a digit"),
    (".hidden", "must start with a letter or a digit"),
    ("C:\\x", "holds ':' '\\\\\\\\'"),
    ("**bold** <b>", "holds"),
    ("a\u200bb", "holds"),
    ("a\nb", "holds"),
    # length, blanks
    ("a" * (MAX_LENGTH + 1), "81 characters; at most 80"),
    ("", "needs a name"),
    ("   ", "needs a name"),
    ("trailing ", "not end with a space"),
]


@pytest.mark.parametrize("name", GOOD)
def test_good_names_pass_unchanged(name):
    assert check_name(name) == name


def test_names_are_canonical_nfc():
    decomposed = unicodedata.normalize("NFD", "Vague été")
    assert decomposed != "Vague été" and check_name(decomposed) == "Vague été"


@pytest.mark.parametrize(("name", "message"), BAD, ids=[repr(b[0]) for b in BAD])
def test_bad_names_say_why(name, message):
    with pytest.raises(NameRuleError, match=message):
        check_name(name, "mapping profile")


@settings(max_examples=500, derandomize=True, deadline=None)
@given(st.text(max_size=90))
def test_an_accepted_name_is_safe_everywhere(text):
    try:
        name = check_name(text)
    except NameRuleError as exc:
        assert "\n" not in str(exc)
        return
    assert not is_formula(name) and "/" not in name and "\\" not in name
    assert len(name) <= MAX_LENGTH and name[0].isalnum()
