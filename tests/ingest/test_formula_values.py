"""Every route into the store keeps no value a spreadsheet would run (SPSS too)."""

from __future__ import annotations

import pandas as pd
import pyreadstat
import pytest

from analysis.errors import IngestError
from analysis.ingest.column_roles import Overrides
from analysis.ingest.from_file import prepare_file_wave
from analysis.ingest.model import IngestOptions
from analysis.ingest.readers import read_survey

CHOSEN = Overrides(respondent_id="id", segments=("region",))


def prepared(raw, codebook, wave, options=None):
    return prepare_file_wave(raw, codebook, wave, options, overrides=CHOSEN)


PAYLOADS = [
    '=HYPERLINK("http://evil.example";"x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "＝1+2",
    "\u200b=1+2",
]


def csv_raw(tmp_path, ids, regions, extra=""):
    lines = ["id,region,q" + ("," + extra if extra else "")]
    for i, (rid, region) in enumerate(zip(ids, regions, strict=True)):
        cell = '"' + region.replace('"', '""') + '"'
        lines.append(f'"{rid}",{cell},{i % 5 + 1}' + (",- great" if extra else ""))
    path = tmp_path / "wave.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return read_survey(path)


def formula_problems(result):
    return [p for p in result.report.errors if p.check == "formula"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_formula_in_a_kept_segment_blocks_the_import(tmp_path, codebook, payload):
    raw = csv_raw(tmp_path, ["r1", "r2", "r3"], ["North", payload, "South"])
    result = prepared(raw, codebook, "F-1")
    [found] = formula_problems(result)
    assert result.wave is None and found.column == "region" and found.rows == (3,)
    assert "1 value(s) of region start like a spreadsheet formula" in found.message


def test_a_formula_in_respondent_ids_blocks_the_import(tmp_path, codebook):
    raw = csv_raw(tmp_path, ["r1", "+cmd|' /C calc'!A0", "r3"], ["N", "S", "E"])
    [found] = formula_problems(prepared(raw, codebook, "F-1"))
    assert found.column == "id" and "respondent id" in found.message


def test_numbers_and_left_out_columns_pass(tmp_path, codebook):
    """A minus sign in a number, or a formula in a column never kept, is fine."""
    raw = csv_raw(tmp_path, ["-1", "-2", "3"], ["-5", "+33 6 12", "N"], "comment")
    result = prepared(raw, codebook, "F-1")
    assert result.ok, result.report.to_text()
    assert set(result.wave.data["region"]) == {"-5", "+33 6 12", "N"}


def write_sav(path, frame, labels=None):
    pyreadstat.write_sav(frame, str(path), variable_value_labels=labels or {})


def test_spss_strings_meet_the_same_rule(tmp_path, codebook):
    frame = pd.DataFrame(
        {"id": ["r1", "@SUM(A1)", "r3"], "region": ["N", "S", "E"], "q": [1.0, 2, 3]}
    )
    write_sav(tmp_path / "w.sav", frame)
    result = prepared(read_survey(tmp_path / "w.sav"), codebook, "S-1")
    [found] = formula_problems(result)
    assert found.column == "id" and found.rows == (2,)


def test_spss_value_labels_meet_the_same_rule(tmp_path, codebook):
    frame = pd.DataFrame({"id": ["r1", "r2"], "region": [1.0, 2.0], "q": [1.0, 2]})
    write_sav(tmp_path / "w.sav", frame, {"region": {1.0: "North", 2.0: "-A1+B2"}})
    result = prepared(read_survey(tmp_path / "w.sav"), codebook, "S-1")
    [found] = formula_problems(result)
    assert found.column == "region" and "'-A1+B2'" in found.message


def test_toplines_refuse_a_formula_segment(tmp_path, codebook):
    path = tmp_path / "tops.csv"
    path.write_text(
        "metric,segment_var,segment_value,percent\n"
        "share_with_caution,total,total,50\n"
        "share_with_caution,country,=HYPERLINK(1),40\n"
    )
    raw = read_survey(path)
    with pytest.raises(IngestError, match="column segment_value, row 3: the cell"):
        prepare_file_wave(raw, codebook, "T-1")


def test_a_formula_source_is_refused(tmp_path, codebook):
    raw = csv_raw(tmp_path, ["r1"], ["N"])
    with pytest.raises(IngestError, match="source '=cmd' starts like a spreadsheet"):
        prepared(raw, codebook, "F-1", IngestOptions(source="=cmd"))
