"""The banner table: metrics down, segments across, as market research prints it.

Each segment column carries its letter; each metric has four lines (estimate,
interval, base, letters of the columns it is significantly above). The table is
drawn from an EstimateTable with letters (:func:`analysis.table.letters.
with_segment_letters`); nothing is recomputed here.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import pandas as pd

from analysis.formatting import estimate_text, interval_text, number
from analysis.formulas import csv_safe_frame, inert_workbook
from analysis.i18n import Lang, Words
from analysis.library.codebook import Codebook
from analysis.store.wave import TOTAL

_STATS = ("estimate", "interval", "base", "letters")
_WORDS = Words(
    {
        # the four lines of each metric
        "estimate": ("% (index /100)", "% (indice /100)"),
        "interval": ("interval", "intervalle"),
        "base": ("base n", "base n"),
        "letters": ("sig. above", "sig. au-dessus de"),
        # the index's names and the first column
        "metric": ("metric", "indicateur"),
        "statistic": ("statistic", "statistique"),
        "total": ("Total", "Total"),
    }
)
_FLAG_MARK = {"small_base": " *", "low_base": " **", "suppressed": ""}


def banner_table(
    table: pd.DataFrame,
    codebook: Codebook,
    segment_var: str,
    lang: Lang = "en",
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """A display- and export-ready banner for one segment variable.

    Parameters
    ----------
    table : pandas.DataFrame
        EstimateTable rows of one wave with ``letter``/``letters`` columns,
        including the total rows.
    codebook : Codebook
        For the metric labels in ``lang``.
    segment_var : str
        The variable whose values become columns.
    lang : {"en", "fr"}
    labels : mapping, optional
        Row labels by ``metric`` (a wave question's answers); default: the
        codebook's metric labels.

    Returns
    -------
    pandas.DataFrame
        Index (metric label, statistic), named in ``lang``; columns "Total"
        then "value (letter)".
        Small bases carry " *", low bases " **"; suppressed cells are blank.
    """
    rows = table[table["segment_var"].isin([TOTAL, segment_var])]
    columns = _columns(rows, segment_var, lang)
    records: dict[tuple[str, str], dict[str, str]] = {}
    for metric_id, group in rows.groupby("metric", sort=False):
        if labels is not None:
            label = labels[str(metric_id)]
        else:
            label = codebook.metric(str(metric_id)).label.get(lang)
        for stat in _STATS:
            records[(label, _WORDS(stat, lang))] = {
                columns[_key(r)]: _cell(r, stat, lang) for r in group.to_dict("records")
            }
    banner = pd.DataFrame.from_dict(records, orient="index").reindex(
        columns=list(columns.values())
    )
    banner.index = pd.MultiIndex.from_tuples(
        banner.index, names=[_WORDS("metric", lang), _WORDS("statistic", lang)]
    )
    return banner.fillna("")


def _key(row: Mapping[Any, Any]) -> str:
    return str(row["segment_value"]) if row["segment_var"] != TOTAL else TOTAL


def _columns(rows: pd.DataFrame, segment_var: str, lang: Lang) -> dict[str, str]:
    names = {TOTAL: _WORDS("total", lang)}
    segments = rows[rows["segment_var"] == segment_var]
    letters = (
        segments["letter"] if "letter" in segments else pd.Series("", segments.index)
    )
    for value, letter in zip(segments["segment_value"], letters, strict=True):
        names.setdefault(str(value), f"{value} ({letter})" if letter else str(value))
    return names


def _cell(row: Mapping[Any, Any], stat: str, lang: Lang) -> str:
    flag = str(row.get("flag", "ok"))
    scale = str(row.get("scale", "share"))
    if stat == "base":
        return number(float(row["n"]), lang) + _FLAG_MARK.get(flag, "")
    if flag == "suppressed":
        return ""
    if stat == "estimate":
        return estimate_text(float(row["estimate"]), scale, lang)
    if stat == "interval":
        return interval_text(float(row["ci_low"]), float(row["ci_high"]), scale, lang)
    return str(row.get("letters", "") or "")


def to_csv_bytes(banner: pd.DataFrame) -> bytes:
    """The banner as CSV that Excel opens with accents intact (UTF-8 with BOM).

    Labels a spreadsheet would run as formulas get a leading apostrophe.
    """
    return csv_safe_frame(banner).to_csv().encode("utf-8-sig")


def to_xlsx_bytes(banner: pd.DataFrame, title: str) -> bytes:
    """The banner as an Excel workbook, with the title and footnote rows kept.

    Every text is a string cell, never a formula (a title or label may start
    with ``=``).
    """
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        banner.to_excel(writer, sheet_name="Banner", startrow=2)
        writer.sheets["Banner"]["A1"] = title
        inert_workbook(writer.book)
    return buffer.getvalue()
