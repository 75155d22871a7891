"""No input makes the ingest code loop: patterns over user data are linear-time.

Each input below made a pattern quadratic before (a 1 MB cell ran for minutes
with the e-mail pattern, holding the interpreter lock); now a megabyte takes
well under a second. The bound is loose so a busy machine does not fail it.
"""

from __future__ import annotations

import time

import pandas as pd
import pytest

from analysis.ingest.labels import age_band, answer_code, normalise
from analysis.ingest.privacy import EMAIL, IPV4, PHONE, personal_by_content, redact
from analysis.ingest.wording import label_similarity, text_similarity

MB = 1_000_000
HOSTILE = {
    "e-mail local part": "a" * MB,
    "e-mail domains": "a@" * (MB // 2),
    "dotted words": "a." * (MB // 2),
    "phone digits": "+" + "1 " * (MB // 2),
    "zeros": "0" * MB,
    "ip-like": "1." * (MB // 2),
    "punctuation run": "." * MB + "x",
    "spaces": " " * MB + "x",
}
BOUND = 2.0  # seconds; each took over 100 s with the old patterns at 1 MB


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_personal_data_detection_is_linear(text):
    _, seconds = timed(personal_by_content, pd.Series([text, "x"]))
    assert seconds < BOUND, seconds
    _, seconds = timed(redact, text)
    assert seconds < BOUND, seconds


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_patterns_themselves_are_linear_on_a_megabyte(text):
    """Cutting first is a second guard: uncut, each pattern stays linear."""
    for pattern in (EMAIL, PHONE, IPV4):
        _, seconds = timed(pattern.findall, text)
        assert seconds < BOUND, (pattern.pattern, seconds)


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_label_matching_is_linear(text):
    for function in (normalise, age_band):
        _, seconds = timed(function, text)
        assert seconds < BOUND, (function.__name__, seconds)
    for function in (text_similarity, label_similarity):  # question and answer links
        _, seconds = timed(function, text, "I now share my personal data with caution")
        assert seconds < BOUND, (function.__name__, seconds)


def test_patterns_still_find_what_they_are_for():
    assert EMAIL.search("write to jean.dupont@example.fr today")
    assert PHONE.search("call +33 6 12 34 56 78") and PHONE.search("06 12 34 56 78")
    assert IPV4.search("from 192.168.0.12")
    assert redact("jean@example.fr, 06 12 34 56 78") == "[redacted], [redacted]"


def test_huge_numbers_are_no_answer_code_or_age(codebook):
    question = codebook.questions["share_caution"]
    assert answer_code("9" * 309, question) is None
    assert answer_code("4", question) == 4
    assert age_band("9" * 5000) is None and age_band("34") == "25-34"
