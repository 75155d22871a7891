"""Telling which tool wrote a file, in which encoding, with which delimiter.

Survey tools and European Excel installs write CSV in several dialects; the
header rows, not the question texts (which are localised), say which tool it
was.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from analysis.config import LIMIT_ENVS
from analysis.errors import IngestError, LimitError
from analysis.ingest.model import FORMATS, SurveyFormat
from analysis.ingest.safety import check_binary

ZIP_MAGIC = b"PK\x03\x04"
SAV_MAGIC = (b"$FL2", b"$FL3")
TOPLINE_HEADER = frozenset({"metric", "segment_var", "segment_value", "percent"})
_QUALTRICS_META = frozenset({"ResponseId", "StartDate", "Finished", "RecordedDate"})
_MONKEY_META = frozenset({"Respondent ID", "Collector ID"})
_DELIMITERS = (",", ";", "\t")


def decode(content: bytes, name: str) -> tuple[str, str]:
    """The file's text and the encoding it was written in.

    UTF-8 (with or without BOM) is tried first, then UTF-16 ("Unicode text",
    recognised by its BOM or its zero bytes), then Windows-1252. Old Mac line
    ends (CR only) become newlines.
    """
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            text = content[3:].decode("utf-8", errors="strict")
        except UnicodeDecodeError as exc:
            raise IngestError(
                f"{name} starts with a UTF-8 mark but byte {exc.start + 3} "
                f"(0x{content[exc.start + 3]:02x}) is not UTF-8; save the file "
                "as UTF-8 (or without the mark)"
            ) from None
        return _lines(text), "utf-8-sig"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(content):
        try:
            return _lines(content.decode("utf-16").lstrip("\ufeff")), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        text, encoding = content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        try:
            text, encoding = content.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            text, encoding = content.decode("latin-1"), "latin-1"
    check_binary(text, name)
    return _lines(text), encoding


def _lines(text: str) -> str:
    """Line ends the CSV parsers all read: CR-only files get newlines."""
    if "\r" in text and "\n" not in text:
        return text.replace("\r", "\n")
    return text


def _looks_utf16(content: bytes) -> bool:
    head = content[:200]
    return len(head) >= 4 and head[1::2].count(0) > len(head) // 4


def sniff_delimiter(text: str, name: str = "the file") -> str:
    """The delimiter that splits the first lines into the most, equal, fields."""
    lines = [line for line in text[:65536].splitlines()[:20] if line.strip()]
    best, best_score = ",", -1.0
    for delimiter in _DELIMITERS:
        counts = [len(row) for row in records(lines, delimiter, name)]
        if not counts or counts[0] < 2:
            continue
        steady = sum(1 for c in counts if c == counts[0]) / len(counts)
        score = counts[0] * steady
        if score > best_score:
            best, best_score = delimiter, score
    return best


def first_rows(
    text: str, delimiter: str, n: int = 3, name: str = "the file"
) -> list[list[str]]:
    """The first ``n`` records, quotes and embedded newlines honoured."""
    rows: list[list[str]] = []
    for row in records(io.StringIO(text[:262144]), delimiter, name):
        rows.append(row)
        if len(rows) == n:
            break
    return rows


def records(lines: Iterable[str], delimiter: str, name: str) -> Iterator[list[str]]:
    """``csv.reader``'s records; its errors become one :class:`IngestError`."""
    reader = csv.reader(lines, delimiter=delimiter)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            where = f"{name}, line {reader.line_num}"
            if "field limit" in str(exc):
                raise LimitError(
                    f"{where}: a cell is longer than {csv.field_size_limit():,} "
                    f"characters; Confiance reads cells up to the limit "
                    f"{LIMIT_ENVS['max_cell_kb']} sets"
                ) from None
            raise IngestError(
                f"{where}: not a readable table ({exc}; a stray quote or line break?)"
            ) from None
        yield row


def detect_text_format(rows: list[list[str]]) -> SurveyFormat:
    """Qualtrics, SurveyMonkey, toplines or plain CSV, from the header rows."""
    header = {cell.strip() for cell in rows[0]} if rows else set()
    if len(rows) >= 3 and rows[2] and rows[2][0].lstrip().startswith('{"ImportId"'):
        return "qualtrics"
    if len(header & _QUALTRICS_META) >= 3 and len(rows) >= 3:
        return "qualtrics"
    if header >= _MONKEY_META:
        return "surveymonkey"
    if {cell.strip().lower() for cell in header} >= TOPLINE_HEADER:
        return "toplines"
    return "csv"


def detect_binary_format(
    content: bytes, path: Path, forced: str | None
) -> SurveyFormat | None:
    """``spss`` or ``excel`` from magic bytes (or a mislabelled extension)."""
    suffix = path.suffix.lower()
    if content.startswith(SAV_MAGIC):
        return "spss"
    if suffix == ".sav" or forced == "spss":
        raise IngestError(
            f"{path.name} is not an SPSS .sav file (it lacks the $FL2 signature)"
        )
    if content.startswith(ZIP_MAGIC) or suffix in {".xlsx", ".xlsm"}:
        return "excel"
    return None


def check_format(forced: str | None) -> SurveyFormat | None:
    """Validate a ``--format`` value, listing the allowed ones."""
    if forced is None:
        return None
    if forced not in FORMATS:
        raise IngestError(f"format {forced!r} is not one of {', '.join(FORMATS)}")
    return forced  # type: ignore[return-value]
