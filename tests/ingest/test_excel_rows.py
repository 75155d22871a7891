"""Row numbers in reports are the sheet's own, even when the sheet has blank rows."""

import openpyxl

from analysis.ingest.from_file import prepare_file_wave
from analysis.ingest.readers import read_survey


def test_blank_rows_do_not_shift_reported_rows(tmp_path, codebook):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["respondent_id", "weight", "country", "ethical_use"])  # row 1
    sheet.append(["r1", 1.0, "FR", 1])  # row 2
    sheet.append([])  # row 3, blank
    sheet.append([])  # row 4, blank
    sheet.append(["r2", -1.0, "DE", 2])  # row 5: a bad weight
    sheet.append(["r2", 1.1, "GB", 7])  # row 6: the id of row 5 again
    path = tmp_path / "gaps.xlsx"
    book.save(path)
    raw = read_survey(path)
    assert len(raw.data) == 3
    assert raw.file_rows([0, 1, 2]) == [2, 5, 6]
    result = prepare_file_wave(raw, codebook, "Gaps")
    rows = {p.check: list(p.rows) for p in result.report.problems if p.rows}
    assert rows["negative_weight"] == [5]
    assert rows["duplicate_id"] == [5, 6]
    assert not result.ok
