"""A banner table's downloads: an Excel workbook as analysts expect, and long CSV.

The workbook has one sheet per table: the title, the banners' names over
their columns, the columns' names and their letters in a row of their own
(``(A)``, ``(B)`` … restarting in each banner), the header frozen; then for
each row SPEC its question, its unweighted and weighted bases in bold, and a
line per answer holding the number itself (with a percent or decimal number
format), with the letters of the columns it is significantly above (and the
arrow) on the line below. Low bases are greyed; a suppressed cell is blank
with a note. The footnote under the table names base, weighting, interval,
test and correction. Every text cell is inert (:mod:`analysis.formulas`).
The CSV is the cells in long form (:data:`analysis.table.banner.CELL_KEYS`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from analysis.formulas import csv_safe, inert_workbook
from analysis.i18n import Lang, Words
from analysis.table.banner import CELL_KEYS, BannerTable

PERCENT = "0%"
DECIMAL = "0.0"
COUNT = "#,##0"
GREY = "FF808080"
"""The font colour of a low base's cells."""
ARROW_MARKS = {"up": "▲", "down": "▼"}
FIRST_ROW = 6
"""The first line under the header (title, banners, columns, letters, blank)."""

_WORDS = Words(
    {
        "base_n": ("Base (unweighted)", "Base (non pondérée)"),
        "base_w": ("Base (weighted)", "Base (pondérée)"),
        "sig": ("sig. above", "sig. au-dessus de"),
        "low": ("interval low", "borne basse"),
        "high": ("interval high", "borne haute"),
        "total": ("Total", "Total"),
        "suppressed": (
            "Suppressed: base under {n} (small-cell privacy).",
            "Masqué : base inférieure à {n} (protection des petits effectifs).",
        ),
        "foot_base": (
            "Bases: respondents who answered (unweighted and weighted). Grey: "
            "base under {low}, never tested. Blank: base under {suppressed}.",
            "Bases : répondants ayant répondu (non pondérées et pondérées). Gris : "
            "base inférieure à {low}, jamais testée. Vide : base inférieure à "
            "{suppressed}.",
        ),
        "foot_method": (
            "{weighting}; {level:.0%} intervals, {method}.",
            "{weighting} ; intervalles à {level:.0%}, {method}.",
        ),
        "foot_test": (
            "Letters: columns of the same banner this one is significantly above "
            "({test} test on design-based variances, {adjust} correction within "
            "each line and banner, α = {alpha:g}).",
            "Lettres : colonnes de la même bannière significativement "
            "inférieures ({test} sur variances du plan, correction {adjust} "
            "par ligne et bannière, α = {alpha:g}).",
        ),
        "foot_arrows": (
            "▲▼: column significantly above / below the rest of the sample "
            "(not the Total), same test and correction.",
            "▲▼ : colonne significativement au-dessus / en dessous du reste de "
            "l'échantillon (pas du Total), même test et correction.",
        ),
        "weighted": ("Weighted", "Pondéré"),
        "unweighted": ("Unweighted", "Non pondéré"),
    }
)


def to_xlsx_bytes(
    tables: Sequence[tuple[str, BannerTable]],
    *,
    intervals: bool = False,
    lang: Lang = "en",
) -> bytes:
    """One workbook, one sheet per (title, table); see the module docstring."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for title, table in tables:
        name = _sheet_name(title, used)
        used.add(name)
        _write_sheet(book.create_sheet(name), title, table, intervals, lang)
    inert_workbook(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    """A sheet name Excel accepts: at most 31 characters, no []:*?/ or backslash."""
    clean = "".join("_" if c in "[]:*?/\\" else c for c in title).strip("' ")
    base = (clean or "Table")[:31]
    name, k = base, 2
    while name.casefold() in {u.casefold() for u in used}:
        suffix = f" ({k})"
        name, k = base[: 31 - len(suffix)] + suffix, k + 1
    return name


def to_csv_bytes(table: BannerTable) -> bytes:
    """The cells in long form (UTF-8 with BOM, for Excel); formulas made inert."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(CELL_KEYS), lineterminator="\n")
    writer.writeheader()
    for record in table.records():
        writer.writerow(
            {k: "" if v is None else csv_safe(v) for k, v in record.items()}
        )
    return buffer.getvalue().encode("utf-8-sig")


def _write_sheet(
    sheet: Worksheet, title: str, table: BannerTable, intervals: bool, lang: Lang
) -> None:
    columns = table.columns
    sheet.cell(1, 1, title).font = Font(bold=True, size=13)
    _header(sheet, columns, lang)
    row = FIRST_ROW
    for spec_text, group in table.cells.groupby("row", sort=False):
        row = _group(sheet, row, str(spec_text), group, table, intervals, lang)
        row += 1
    _footnote(sheet, row, table, lang)
    sheet.freeze_panes = sheet.cell(FIRST_ROW, 3)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 30
    for i in range(len(columns)):
        sheet.column_dimensions[get_column_letter(3 + i)].width = 12


def _header(sheet: Worksheet, columns: list[tuple[str, str, str]], lang: Lang) -> None:
    previous = None
    for i, (banner, column, letter) in enumerate(columns):
        at = 3 + i
        if banner != previous:
            name = _WORDS("total", lang) if banner == "total" else banner
            sheet.cell(2, at, name).font = Font(bold=True)
            previous = banner
        label = _WORDS("total", lang) if banner == "total" else column
        sheet.cell(3, at, label).font = Font(bold=True)
        sheet.cell(3, at).alignment = Alignment(horizontal="center", wrap_text=True)
        if letter:
            sheet.cell(4, at, f"({letter})").alignment = Alignment(horizontal="center")


def _group(
    sheet: Worksheet,
    row: int,
    spec_text: str,
    group: Any,
    table: BannerTable,
    intervals: bool,
    lang: Lang,
) -> int:
    """One SPEC: its title, bases and lines; returns the next free row."""
    position = {(b, c): 3 + i for i, (b, c, _) in enumerate(table.columns)}
    text = str(group["question_text"].iloc[0])
    sheet.cell(row, 1, spec_text).font = Font(bold=True)
    sheet.cell(row, 2, text).font = Font(bold=True)
    row += 1
    bases = table.bases[table.bases["row"] == spec_text]
    low = set(
        zip(
            group.loc[group["flag"].isin(["low_base", "suppressed"]), "banner"],
            group.loc[group["flag"].isin(["low_base", "suppressed"]), "column"],
            strict=True,
        )
    )
    for label, key in (
        (_WORDS("base_n", lang), "n"),
        (_WORDS("base_w", lang), "weighted"),
    ):
        sheet.cell(row, 2, label).font = Font(bold=True)
        for b in bases.itertuples(index=False):
            cell = sheet.cell(
                row, position[(str(b.banner), str(b.column))], getattr(b, key)
            )
            grey = (b.banner, b.column) in low
            cell.font = Font(bold=True, color=GREY if grey else None)
            cell.number_format = COUNT
        row += 1
    for answer, line in group.groupby("answer", sort=False):
        row = _line(sheet, row, str(answer), line, position, intervals, table, lang)
    return row


def _line(
    sheet: Worksheet,
    row: int,
    answer: str,
    line: Any,
    position: dict[tuple[str, str], int],
    intervals: bool,
    table: BannerTable,
    lang: Lang,
) -> int:
    """An answer's estimates, then its letters (and intervals); the next row."""
    sheet.cell(row, 2, answer)
    sheet.cell(row + 1, 2, _WORDS("sig", lang)).font = Font(italic=True, color=GREY)
    extra = [("ci_low", _WORDS("low", lang)), ("ci_high", _WORDS("high", lang))]
    for offset, (_, label) in enumerate(extra if intervals else []):
        sheet.cell(row + 2 + offset, 2, label).font = Font(italic=True)
    for cell in line.to_dict("records"):
        at = position[(cell["banner"], cell["column"])]
        fmt = PERCENT if cell["scale"] == "share" else DECIMAL
        grey = cell["flag"] == "low_base"
        if cell["flag"] == "suppressed":
            blank = sheet.cell(row, at)
            n = table.options.thresholds[2]
            blank.comment = Comment(_WORDS("suppressed", lang, n=f"{n:g}"), "Confiance")
            continue
        target = sheet.cell(row, at, _number(cell["estimate"]))
        target.number_format = fmt
        target.font = Font(color=GREY if grey else None)
        marks = (cell["letters"] or "") if isinstance(cell["letters"], str) else ""
        arrow = ARROW_MARKS.get(str(cell["arrow"]), "")
        if marks or arrow:
            sig = sheet.cell(row + 1, at, f"{marks} {arrow}".strip())
            sig.font = Font(bold=True, color="FF1F4E79")
        for offset, (key, _) in enumerate(extra if intervals else []):
            bound = sheet.cell(row + 2 + offset, at, _number(cell[key]))
            bound.number_format = fmt
    return row + 2 + (2 if intervals else 0)


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None


def _footnote(sheet: Worksheet, row: int, table: BannerTable, lang: Lang) -> None:
    opts = table.options
    _, low, suppressed = opts.thresholds
    lines = [
        _WORDS("foot_base", lang, low=f"{low:g}", suppressed=f"{suppressed:g}"),
        _WORDS(
            "foot_method",
            lang,
            weighting=_WORDS("weighted" if opts.weighted else "unweighted", lang),
            level=opts.level,
            method=opts.method,
        ),
        _WORDS(
            "foot_test", lang, test=table.test, adjust=table.adjust, alpha=table.alpha
        ),
    ]
    if table.spec.arrows:
        lines.append(_WORDS("foot_arrows", lang))
    for offset, text in enumerate(lines):
        sheet.cell(row + 1 + offset, 1, text).font = Font(italic=True, size=9)
