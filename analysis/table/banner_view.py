"""A banner table as a page shows it: one text cell per line and column.

The cells of :class:`analysis.table.banner.BannerTable` are laid out wide:
lines (SPEC, answer) down, (banner, column (letter)) across; each cell reads
``45% BC ▲`` (estimate, the letters of the columns it is above, the arrow),
with the interval on demand; a low base is marked ``*``, a suppressed cell is
blank. The bases come first in each SPEC. Nothing is recomputed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from analysis.formatting import estimate_text, interval_text, number
from analysis.i18n import Lang, Words
from analysis.table.banner import BannerTable
from analysis.table.banner_files import ARROW_MARKS

_WORDS = Words(
    {
        "row": ("row", "ligne"),
        "answer": ("answer", "réponse"),
        "banner": ("banner", "bannière"),
        "column": ("column", "colonne"),
        "total": ("Total", "Total"),
        "base_n": ("Base (unweighted)", "Base (non pondérée)"),
        "base_w": ("Base (weighted)", "Base (pondérée)"),
    }
)
LOW_MARK = " *"


def display_frame(
    table: BannerTable, *, intervals: bool = False, lang: Lang = "en"
) -> pd.DataFrame:
    """The table as text cells (see the module docstring)."""
    heads = {
        (b, c): (
            _WORDS("total", lang) if b == "total" else b,
            _WORDS("total", lang) if b == "total" else (f"{c} ({lt})" if lt else c),
        )
        for b, c, lt in table.columns
    }
    records: dict[tuple[str, str], dict[tuple[str, str], str]] = {}
    for row, group in table.cells.groupby("row", sort=False):
        bases = table.bases[table.bases["row"] == row]
        for label, key in (("base_n", "n"), ("base_w", "weighted")):
            records[(str(row), _WORDS(label, lang))] = {
                heads[(str(b.banner), str(b.column))]: number(
                    float(getattr(b, key)), lang
                )
                for b in bases.itertuples(index=False)
            }
        for record in group.to_dict("records"):
            line = (str(row), str(record["answer"]))
            head = heads[(record["banner"], record["column"])]
            records.setdefault(line, {})[head] = _text(record, intervals, lang)
    frame = pd.DataFrame.from_dict(records, orient="index")
    frame = frame.reindex(columns=list(heads.values())).fillna("")
    frame.index = pd.MultiIndex.from_tuples(
        list(records), names=[_WORDS("row", lang), _WORDS("answer", lang)]
    )
    frame.columns = pd.MultiIndex.from_tuples(
        list(heads.values()), names=[_WORDS("banner", lang), _WORDS("column", lang)]
    )
    return frame


def _text(cell: Mapping[Any, Any], intervals: bool, lang: Lang) -> str:
    if cell["flag"] == "suppressed" or cell["estimate"] != cell["estimate"]:
        return ""
    scale = str(cell["scale"])
    parts = [estimate_text(float(cell["estimate"]), scale, lang)]
    if intervals:
        parts.append(
            interval_text(float(cell["ci_low"]), float(cell["ci_high"]), scale, lang)
        )
    letters = cell["letters"] if isinstance(cell["letters"], str) else ""
    arrow = ARROW_MARKS.get(str(cell["arrow"]), "")
    text = " ".join(p for p in (*parts, letters, arrow) if p)
    return text + (LOW_MARK if cell["flag"] == "low_base" else "")
