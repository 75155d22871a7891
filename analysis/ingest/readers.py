"""Reading survey exports as they come: Qualtrics, SurveyMonkey, SPSS, Excel, CSV.

:func:`read_survey` detects the format (``format=`` forces one) and returns a
:class:`RawSurvey`: the columns, the question texts and the value labels, with
nothing mapped or dropped yet. Text files are parsed once by pandas' C reader;
everything tool-specific is done on the header rows only.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from analysis.config import IngestLimits, ingest_limits
from analysis.errors import IngestError
from analysis.ingest.detection import (
    check_format,
    decode,
    detect_binary_format,
    detect_text_format,
    first_rows,
    records,
    sniff_delimiter,
)
from analysis.ingest.excel import read_sheet
from analysis.ingest.model import RawSurvey, SurveyFormat
from analysis.ingest.privacy import hide_personal_headers
from analysis.ingest.safety import (
    check_cells,
    check_columns,
    check_headers,
    check_not_empty,
    check_size,
    check_unique_columns,
    reason,
)
from analysis.ingest.spss import read_spss
from analysis.store.wave import sha256_bytes

_HEADER_ROWS: dict[str, int] = {"qualtrics": 3, "surveymonkey": 2}
_RAGGED = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def read_survey(
    path: Path | str,
    *,
    format: str | None = None,
    sheet: str | None = None,
    content: bytes | None = None,
    limits: IngestLimits | None = None,
) -> RawSurvey:
    """Read a survey export, detecting its format unless ``format`` forces one.

    This parses untrusted bytes in this process: files to import go through
    :func:`analysis.ingest.sandbox.read_untrusted`, which calls this in a
    sandboxed worker.

    Parameters
    ----------
    path
        The file (its name and extension are used even when ``content`` is given).
    format
        One of qualtrics, surveymonkey, spss, excel, csv, toplines.
    sheet
        The worksheet of an .xlsx file (default: the first).
    content
        The file's bytes, when they are already in memory (an upload).
    limits
        Size caps (file, columns, cell); by default from the environment.

    Returns
    -------
    RawSurvey
        The columns as read, their question texts and value labels.
    """
    source = Path(path)
    caps = limits or ingest_limits()
    forced = check_format(format)
    raw = content if content is not None else _read_bytes(source)
    check_size(len(raw), source.name, caps)
    check_not_empty(raw, source.name)
    kind = detect_binary_format(raw, source, forced)
    if kind == "spss":
        return read_spss(raw, source.name, caps)
    if kind == "excel":
        return _read_excel(raw, source, sheet, forced, caps)
    return _read_text(raw, source, forced, caps)


def _read_bytes(source: Path) -> bytes:
    try:
        return source.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read {source}: {exc.strerror}") from None


# -- text files -------------------------------------------------------------------


def _read_text(
    raw: bytes, source: Path, forced: SurveyFormat | None, limits: IngestLimits
) -> RawSurvey:
    name = source.name
    text, encoding = decode(raw, name)
    if limits.max_cell_chars >= csv.field_size_limit():  # the csv module's own cap
        csv.field_size_limit(limits.max_cell_chars + 1)
    delimiter = sniff_delimiter(text, name)
    head = first_rows(text, delimiter, name=name)
    if not head or not any(cell.strip() for cell in head[0]):
        raise IngestError(f"{name} is empty: there is no header row")
    check_columns(len(head[0]), name, limits)
    fmt = forced or detect_text_format(head)
    if fmt in {"spss", "excel"}:
        raise IngestError(f"{name} is a text file, not an {fmt} file")
    table = _parse_csv(text, delimiter, name)
    check_columns(table.shape[1], name, limits)
    check_cells(table, name, limits)
    header_rows = _HEADER_ROWS.get(fmt, 1)
    columns, texts = _header(table, fmt, header_rows, name)
    data = table.iloc[header_rows:].reset_index(drop=True)
    data.columns = pd.Index(columns)
    if data.empty:
        raise IngestError(f"{name} has a header but no data rows")
    return RawSurvey(
        file_name=name,
        sha256=sha256_bytes(raw),
        format=fmt,
        data=data,
        question_texts=texts,
        first_data_row=header_rows + 1,
        encoding=encoding,
        delimiter=delimiter,
        variant=_variant(data, fmt),
    )


def _parse_csv(text: str, delimiter: str, name: str) -> pd.DataFrame:
    """Arrow's parser for speed; pandas' C parser for its precise row errors."""
    try:
        return pd.read_csv(
            io.BytesIO(text.encode("utf-8")),
            sep=delimiter,
            header=None,
            dtype="str",
            keep_default_na=False,
            na_values=[""],
            engine="pyarrow",
        )
    except MemoryError:
        raise
    except Exception:  # arrow raises many types; find the cause below
        _check_ragged(text, delimiter, name)
    try:
        return pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype="str",
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=True,
        )
    except pd.errors.ParserError as exc:
        found = _RAGGED.search(str(exc))
        if found:
            expected, line, saw = found.groups()
            raise IngestError(
                f"{name}, row {line}: {saw} cells where the header has {expected} "
                "(ragged rows; a delimiter inside an unquoted cell?)"
            ) from None
        raise IngestError(f"{name} is not a readable table: {reason(exc)}") from None
    except (ValueError, pd.errors.EmptyDataError) as exc:
        raise IngestError(f"{name} is not a readable table: {reason(exc)}") from None


def _check_ragged(text: str, delimiter: str, name: str) -> None:
    """Name the first row whose cell count differs from the header's (slow path)."""
    found = (r for r in records(io.StringIO(text), delimiter, name) if r)
    width = len(next(found, []))
    for number, record in enumerate(found, start=2):
        if len(record) != width:
            raise IngestError(
                f"{name}, row {number}: {len(record)} cells where the header has "
                f"{width} (ragged rows; a delimiter inside an unquoted cell?)"
            )


def _header(
    table: pd.DataFrame, fmt: str, header_rows: int, name: str
) -> tuple[list[str], dict[str, str]]:
    """Column names and question texts from the header rows of each tool."""
    if len(table) < header_rows:
        raise IngestError(
            f"{name} has fewer than the {header_rows} header rows of a {fmt} export"
        )
    rows = [
        ["" if pd.isna(cell) else str(cell).strip() for cell in table.iloc[i]]
        for i in range(header_rows)
    ]
    if fmt == "surveymonkey":
        columns = _monkey_columns(rows[0], rows[1])
        texts = dict(zip(columns, columns, strict=True))
    else:
        columns = [c or f"column {i}" for i, c in enumerate(rows[0], start=1)]
        texts = (
            dict(zip(columns, rows[1], strict=True))
            if fmt == "qualtrics"
            else {c: c for c in columns}
        )
    columns, texts = hide_personal_headers(columns, texts)
    check_unique_columns(columns, name)
    check_headers(columns, name)
    return columns, texts


def _monkey_columns(first: list[str], second: list[str]) -> list[str]:
    """SurveyMonkey names a grid once; its options follow under a blank cell."""
    columns: list[str] = []
    question = ""
    for top, option in zip(first, second, strict=True):
        if top:
            question = top
        if option in {"", "Response", "Open-Ended Response", "Réponse"}:
            columns.append(question or f"column {len(columns) + 1}")
        else:
            columns.append(f"{question} | {option}" if question else option)
    return columns


def _variant(data: pd.DataFrame, fmt: str) -> str:
    if fmt != "qualtrics" or "Finished" not in data:
        return ""
    values = set(data["Finished"].dropna().unique()[:5])
    return "numeric values" if values <= {"0", "1"} else "choice text"


# -- Excel ------------------------------------------------------------------------


def _read_excel(
    raw: bytes,
    source: Path,
    sheet: str | None,
    forced: SurveyFormat | None,
    limits: IngestLimits,
) -> RawSurvey:
    name = source.name
    title, rows, numbers = read_sheet(raw, name, sheet, limits)
    if not rows or not any(v not in (None, "") for v in rows[0]):
        raise IngestError(f"{name}, sheet {title!r} is empty: there is no header row")
    head = [["" if v is None else str(v) for v in row] for row in rows[:3]]
    fmt = forced or detect_text_format(head)
    if fmt == "qualtrics":
        fmt = "qualtrics" if len(rows) > 3 else "excel"
    if fmt == "csv":
        fmt = "excel"
    header_rows = _HEADER_ROWS.get(fmt, 1)
    table = pd.DataFrame(rows, dtype=object)
    columns, texts = _header(table, fmt, header_rows, name)
    data = table.iloc[header_rows:].reset_index(drop=True)
    data.columns = pd.Index(columns)
    if data.empty:
        raise IngestError(f"{name}, sheet {title!r} has a header but no data rows")
    return RawSurvey(
        file_name=name,
        sha256=sha256_bytes(raw),
        format=fmt,
        data=data,
        question_texts=texts,
        first_data_row=numbers[header_rows],
        row_numbers=tuple(numbers[header_rows:]),
        sheet=title,
    )
