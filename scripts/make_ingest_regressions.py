"""Write the ingest regression files: the ten kinds of input that once crashed.

Run ``.venv/bin/python scripts/make_ingest_regressions.py`` to rebuild
``tests/data/ingest/regressions/``. Each file is small and named after what
broke: an unhandled exception, or (the SPSS file) a segfault that took the
whole server down. ``tests/ingest/test_regressions.py`` imports each one and
expects one clear sentence, with nothing stored.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "data" / "ingest"
OUT = FIXTURES / "regressions"

HEADER = "respondent_id,country,age,gender,weight,share_caution"
ROWS = ["r1,FR,34,F,1.0,4", "r2,DE,51,M,0.8,2", "r3,GB,29,F,1.2,5"]
# Six bytes of spss_en.sav that make pyreadstat 1.3 dereference a bad pointer
# (found by corrupting random header bytes until a subprocess died of SIGSEGV).
SPSS_CRASH = {2106: 0x34, 3109: 0x00, 3183: 0xFF, 6420: 0x80, 6578: 0x7F, 7444: 0x00}


def csv_bytes(rows: list[str], end: str = "\n") -> bytes:
    return end.join([HEADER, *rows, ""]).encode("utf-8")


def cr_only() -> bytes:
    """Classic-Mac line ends (CR only), with one ragged row."""
    return csv_bytes([*ROWS[:2], ROWS[2] + ",extra"], end="\r")


def bom_then_cp1252() -> bytes:
    """A UTF-8 byte-order mark, then Windows-1252 text ("Féminin" as 0xE9)."""
    text = csv_bytes([ROWS[0], "r2,FR,51,Féminin,0.8,2"])
    return b"\xef\xbb\xbf" + text.decode("utf-8").encode("cp1252")


def long_cell() -> bytes:
    """A 140 kB free-text cell, over the csv module's 128 kB field limit."""
    rows = [r + "," + ("x" * 140_000 if i == 1 else "ok") for i, r in enumerate(ROWS)]
    return "\n".join([HEADER + ",comment", *rows, ""]).encode("utf-8")


def digits_309() -> bytes:
    """A 309-digit answer code: a float of infinity when read as a number."""
    return csv_bytes([ROWS[0], "r2,DE,51,M,0.8," + "9" * 309, ROWS[2]])


def digits_5000() -> bytes:
    """A row of 5,000-digit numbers: over Python's int-from-text digit limit."""
    big = "9" * 5000
    return csv_bytes([ROWS[0], f"r2,DE,{big},M,{big},2", ROWS[2]])


def workbook(rows: list[list[object]]) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    return book


def saved(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rezip(raw: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = change(info.filename, source.read(info.filename))
            if data is not None:
                target.writestr(info, data)
    return out.getvalue()


def no_sheets() -> bytes:
    """A workbook whose sheet list is empty (and whose sheets are gone)."""

    def change(name: str, data: bytes) -> bytes | None:
        if name.startswith("xl/worksheets/"):
            return None
        if name == "xl/workbook.xml":
            start, end = data.index(b"<sheets>"), data.index(b"</sheets>") + 9
            return data[:start] + b"<sheets/>" + data[end:]
        return data

    return rezip(
        saved(workbook([["respondent_id", "share_caution"], ["r1", 4]])), change
    )


def toplines_error_cell() -> bytes:
    """A toplines sheet whose segment value is Excel's #N/A error (a lookup)."""
    book = workbook(
        [
            ["metric", "segment_var", "segment_value", "percent", "base_n"],
            ["share_with_caution", "total", "total", 62.5, 1000],
            ["share_with_caution", "country", "FR", 65.5, 500],
            ["share_with_caution", "country", "DE", 59.5, 500],
        ]
    )
    book.active["C3"].value = "#N/A"
    book.active["C3"].data_type = "e"
    return saved(book)


def toplines_blank_segment() -> bytes:
    """A toplines row with a segment variable but no segment value."""
    return (
        b"metric,segment_var,segment_value,percent\n"
        b"share_with_caution,total,total,62.5\n"
        b"share_with_caution,country,,65.5\n"
        b"share_with_caution,country,FR,65.5\n"
    )


def zip_version() -> bytes:
    """A workbook whose zip headers ask for a zip version Python cannot read."""
    raw = bytearray(saved(workbook([["respondent_id", "share_caution"], ["r1", 4]])))
    for signature, offset in ((b"PK\x01\x02", 6), (b"PK\x03\x04", 4)):
        at = raw.find(signature)
        while at != -1:
            raw[at + offset : at + offset + 2] = (70).to_bytes(2, "little")
            at = raw.find(signature, at + 4)
    return bytes(raw)


def spss_crash() -> bytes:
    """spss_en.sav with six bytes changed: pyreadstat segfaults on it."""
    raw = bytearray((FIXTURES / "spss_en.sav").read_bytes())
    for position, value in SPSS_CRASH.items():
        raw[position] = value
    return bytes(raw)


FILES: dict[str, Callable[[], bytes]] = {
    "cr_only_line_endings.csv": cr_only,
    "bom_then_cp1252_byte.csv": bom_then_cp1252,
    "cell_over_128kb.csv": long_cell,
    "number_309_digits.csv": digits_309,
    "numbers_5000_digits.csv": digits_5000,
    "workbook_without_sheets.xlsx": no_sheets,
    "toplines_error_cell.xlsx": toplines_error_cell,
    "toplines_blank_segment_value.csv": toplines_blank_segment,
    "zip_version_unsupported.xlsx": zip_version,
    "spss_6_bytes_segfault.sav": spss_crash,
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, make in FILES.items():
        (OUT / name).write_bytes(make())
    print(f"wrote {len(FILES)} files to {OUT.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
