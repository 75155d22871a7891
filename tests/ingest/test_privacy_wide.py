"""The wider personal-data net: content kinds, headers, and the planted file."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.ingest.privacy import (
    header_kind,
    hide_personal_headers,
    personal_by_content,
    redact,
    with_rows,
)
from analysis.ingest.readers import read_survey
from tests.ingest.test_privacy import store_text

DATA = Path(__file__).parents[1] / "data" / "ingest"
WIDE = json.loads((DATA / "planted_wide.json").read_text(encoding="utf-8"))
PLANTED = [v for values in WIDE.values() for v in values]


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("jean (at) example [dot] com", "e-mail address"),
        ("jean[at]example[dot]fr", "e-mail address"),
        ("jean.dupont at example.com", "e-mail address"),
        ("write to jean at example dot com", "e-mail address"),
        ("2001:db8::ff00:42:8329", "IP address"),
        ("fe80::1", "IP address"),
        ("43.296482, 5.369780", "geolocation"),
        ("48°51'24\"N 2°21'03\"E", "geolocation"),
        ("call (415) 555-2671", "phone number"),
        ("+1 415 555 2671", "phone number"),
        ("ruf 030 12345678 an", "phone number"),
        ("020 7946 0958", "phone number"),
        # look-alikes that are not personal data
        ("I shop at amazon.com", None),
        ("12:30:00", None),
        ("2025-03-04 10:00:00", None),
        ("1234567890", None),
        ("1.84", None),
        ("FR0000", None),
    ],
)
def test_each_kind_is_found_in_a_text_column(value, kind):
    assert personal_by_content(pd.Series([value, "RAS"], name="notes")) == kind


FR = ["75011", "69003", "13008", "31000", "33000", "59000"]


@pytest.mark.parametrize(
    ("values", "header", "kind"),
    [
        (FR, "Q12", "postcode"),
        (["SW1A 1AA", "EC1A 1BB", "W1A 0AX", "M1 1AE", "B33 8TH"], "zone", "postcode"),
        (
            ["94105-1234", "10001-0001", "60601-2345", "30301-1111", "73301-0000"],
            "x",
            "postcode",
        ),
        # answer codes: few distinct values, or consecutive ones
        (["10001", "10002"] * 10, "Q12", None),
        (["10001", "10002", "10003", "10004", "10005", "10006"], "Q12", None),
        # round amounts, and a header that says what the numbers are
        (["35000", "42000", "51000", "28000", "60000"], "Q12", None),
        (FR, "Duration (in seconds)", None),
        (FR, "income", None),
        # one postcode-like value among answers is not a postcode column
        (["75011", "oui", "non", "peut-être", "oui"], "Q12", None),
    ],
)
def test_postcodes_need_a_whole_column_of_them(values, header, kind):
    assert personal_by_content(pd.Series(values * 2, name=header)) == kind


def test_names_are_personal_data_in_an_id_column_only():
    names = ["Jean Dupont", "Marie Curie", "Anne de Bretagne", "Ada Lovelace"]
    assert personal_by_content(pd.Series(names, name="respondent_id")) == "name"
    assert personal_by_content(pd.Series(names, name="ID")) == "name"
    regions = ["Île-de-France", "Pays de la Loire", "North East", "Bretagne"]
    assert personal_by_content(pd.Series(regions, name="region")) is None
    assert personal_by_content(pd.Series(names, name="region")) is None
    ids = ["R_001", "R_002", "FR0003", "Panel 4"]
    assert personal_by_content(pd.Series(ids, name="respondent_id")) is None


def test_headers_carrying_personal_data_are_replaced():
    columns = ["Q1", "jean.dupont@example.com", "Marie Curie (06 12 34 56 78)"]
    texts = {
        "Q1": "Q1 - write to me at a.b@example.com",
        "jean.dupont@example.com": "x",
    }
    renamed, shown = hide_personal_headers(columns, texts)
    assert renamed == [
        "Q1",
        "column 2 (redacted: e-mail address)",
        "column 3 (redacted: phone number)",
    ]
    assert shown["Q1"] == "Q1"  # the question text carried an address too
    assert "example.com" not in json.dumps([renamed, shown])
    assert header_kind("Do you trust brands with your data?") is None
    assert header_kind("Vague été 2025") is None


def test_each_drop_is_described_with_its_rows_never_its_values():
    data = pd.DataFrame({"mail": ["a@b.fr", None, "c@d.fr"], "Q1": ["1", "2", "3"]})
    described = with_rows(data, {"mail": "e-mail address"})
    assert described == {"mail": "e-mail address; 2 rows"}


def test_redaction_covers_the_wider_net_and_stays_linear():
    text = "call (415) 555-2671 or jean (at) ex [dot] com, 2001:db8::1, 43.2964, 5.3697"
    masked = redact(text)
    for planted in ("555-2671", "jean", "2001:db8", "43.2964"):
        assert planted not in masked
    for bad in ("a (at) " * 150_000, "1 " * 500_000, ":" * 1_000_000, "0." * 500_000):
        start = time.perf_counter()
        redact(bad)
        personal_by_content(pd.Series([bad]))
        assert time.perf_counter() - start < 2.0


def test_planted_wide_values_reach_neither_store_nor_report_nor_output(
    tmp_path, capsys
):
    store = tmp_path / "store.duckdb"
    source = DATA / "plain_personal_wide.csv"
    args = ["ingest", str(source), "--wave", "PII-2", "--store", str(store)]
    assert main([*args, "--format", "json"]) == 0
    printed = capsys.readouterr().out
    out = json.loads(printed)
    assert out["report"]["dropped_personal"] == {
        "column 22 (redacted: e-mail address)": "e-mail address; 30 rows",
        "column 23 (redacted: phone number)": "phone number; 30 rows",
        "respondent_id": "name; 30 rows",
        "where": "geolocation in the answers; 30 rows",
        "zone": "postcode in the answers; 30 rows",
        "Q_loc": "postcode in the answers; 30 rows",
        "Custom 2": "postcode in the answers; 30 rows",
        "meta_a": "IP address in the answers; 30 rows",
        "comment": "phone number in the answers; 30 rows",
    }
    # the controls look like postcodes and are not: they are kept, not dropped
    roles = {h: c["role"] for h, c in out["mapping"]["columns"].items()}
    assert roles["answer_code"] != "personal_data"
    assert roles["income"] != "personal_data"
    assert out["report"]["rows_kept"] == 30
    files = [p for p in (store, store.with_suffix(".duckdb.wal")) if p.exists()]
    content = b"".join(p.read_bytes() for p in files)
    text = store_text(store)
    report = read_survey(source).summary().to_csv()
    for value in PLANTED:
        for encoded in {value.encode("utf-8"), value.encode("utf-16-le")}:
            assert encoded not in content, value
        assert value not in text, value
        assert value not in printed, value
        if value in WIDE["headers"]:
            assert value not in report, value
