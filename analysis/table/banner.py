"""Banner tables: any rows of a wave down the side, Total and banners across.

:func:`banner_table` is what Q, SPSS Custom Tables and quantipy print first:
every line of the rows (:mod:`analysis.table.banner_rows`) estimated in the
Total column and in each column of each banner — R's
``svyby(~answer, ~banner, design, svymean)`` for every banner, plus
``svymean`` for the Total — by the one builder,
:func:`analysis.table.rows.estimate_rows`, on the wave's stored design.
Column letters are :func:`analysis.table.letters.with_segment_letters`'s: one
family per line and banner (letters restart in each banner), Wald tests on
the design-based variances, Holm-corrected by default. Arrows
(:mod:`analysis.table.banner_arrows`) test each column against the rest of
the sample. The result is long: one cell per line, banner and column, with
the keys of :data:`CELL_KEYS`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.errors import SurveyDataError
from analysis.library.codebook import Codebook
from analysis.methods import AdjustMethod, LonelyPSU
from analysis.store.metrics import AnalystMetric
from analysis.store.questionnaire import Questionnaire
from analysis.store.wave import TOTAL
from analysis.table.answers import segment_labels
from analysis.table.banner_arrows import segment_arrows
from analysis.table.banner_rows import RowValues, row_values
from analysis.table.banner_spec import NEST_SEPARATOR, NESTED_VALUE, TableSpec
from analysis.table.letters import TEST, with_segment_letters
from analysis.table.questions import design_columns
from analysis.table.rows import EstimateOptions, estimate_rows

CELL_KEYS = (
    "row",
    "answer",
    "banner",
    "column",
    "letter",
    "estimate",
    "ci_low",
    "ci_high",
    "n",
    "n_eff",
    "flag",
    "letters",
    "arrow",
)
"""The keys of every cell of ``python -m analysis table`` (JSON and CSV)."""
TOTAL_COLUMN = "Total"
"""The Total column's ``column`` (its ``banner`` is ``"total"``)."""
BASE_KEYS = ("row", "banner", "column", "letter", "n", "weighted")
"""A row's bases per column: unweighted ``n`` and the ``weighted`` base Σw."""


@dataclass(frozen=True, eq=False)
class BannerTable:
    """A computed banner table: its cells, its bases and how they were tested."""

    wave: str
    spec: TableSpec
    cells: pd.DataFrame
    bases: pd.DataFrame
    options: EstimateOptions
    adjust: AdjustMethod
    alpha: float
    test: str = TEST

    @property
    def columns(self) -> list[tuple[str, str, str]]:
        """(banner, column, letter) of every column, in order."""
        first = self.cells.drop_duplicates(["banner", "column"])
        return [
            (str(b), str(c), lt if isinstance(lt, str) else "")
            for b, c, lt in first[["banner", "column", "letter"]].itertuples(
                index=False
            )
        ]

    def records(self) -> list[dict[str, Any]]:
        """The cells as JSON-ready dicts with exactly :data:`CELL_KEYS`."""
        out = []
        for row in self.cells.reindex(columns=list(CELL_KEYS)).itertuples(index=False):
            record = {k: _plain(v) for k, v in zip(CELL_KEYS, row, strict=True)}
            if record["n"] is not None:
                record["n"] = int(record["n"])
            out.append(record)
        return out


def banner_table(
    respondents: pd.DataFrame,
    questionnaire: Questionnaire,
    spec: TableSpec,
    *,
    options: EstimateOptions | None = None,
    wave: str = "",
    adjust: AdjustMethod = "holm",
    alpha: float | None = None,
    codebook: Codebook | None = None,
    analyst_metrics: Sequence[AnalystMetric] = (),
    lonely_psu: LonelyPSU = "fail",
    filters: Mapping[str, Sequence[str]] | None = None,
) -> BannerTable:
    """The banner table of one wave.

    Parameters
    ----------
    respondents : pandas.DataFrame
        The wave's stored respondent rows.
    questionnaire : Questionnaire
        Its questions, segments and design columns.
    spec : TableSpec
        Rows, banners, nested pairs, Total and arrows.
    options : EstimateOptions, optional
        Interval method and level, weighting, base thresholds.
    wave : str
    adjust : {"holm", "bh", "none"}
        Correction of each family of letters (and of arrows).
    alpha : float, optional
        The tests' level (default 1 − the interval's level).
    codebook : Codebook, optional
        For ``metric:ID`` rows.
    analyst_metrics : sequence of AnalystMetric
        Analysts' stored metrics ``metric:ID`` may name.
    lonely_psu : {"fail", "adjust", "certainty", "average"}
    filters : mapping, optional
        Keep respondents whose column value is in the list (``{"country":
        ["FR"]}``); the others stay in the design, in no cell (a domain).

    Returns
    -------
    BannerTable
        ``cells``: :data:`CELL_KEYS` plus ``se``, ``scale`` and
        ``question_text``, lines in SPEC order, then Total and each banner's
        columns. A suppressed cell keeps its base but no estimate.
        ``bases``: :data:`BASE_KEYS`, one per SPEC and column.
    """
    opts = options or EstimateOptions()
    level_alpha = round(1.0 - opts.level, 12) if alpha is None else alpha
    lines = row_values(
        respondents,
        questionnaire,
        spec.row_specs,
        codebook=codebook,
        analyst_metrics=analyst_metrics,
    )
    if filters:
        keep = _filter_mask(respondents, filters)
        lines = [replace(x, values=np.where(keep, x.values, np.nan)) for x in lines]
    segments = banner_segments(respondents, questionnaire, spec)
    design = design_columns(questionnaire, lonely_psu).design(
        respondents, weighted=opts.weighted
    )
    values = {line.key: line.values for line in lines}
    table = estimate_rows(
        design,
        values,
        segments,
        opts,
        scales={line.key: line.scale for line in lines},
        wave=wave,
    )
    lettered = with_segment_letters(table, adjust=adjust, alpha=level_alpha)
    if spec.arrows:
        arrows = segment_arrows(
            design,
            values,
            segments,
            opts,
            scales={line.key: line.scale for line in lines},
            adjust=adjust,
            alpha=level_alpha,
        )
        lettered = lettered.merge(
            arrows, on=["metric", "segment_var", "segment_value"], how="left"
        )
    else:
        lettered["arrow"] = None
    cells = _cells(lettered, lines, spec.total)
    bases = _bases(cells, lines, design.weights, segments)
    return BannerTable(wave, spec, cells, bases, opts, adjust, level_alpha)


def _filter_mask(
    respondents: pd.DataFrame, filters: Mapping[str, Sequence[str]]
) -> npt.NDArray[np.bool_]:
    missing = [v for v in filters if v not in respondents.columns]
    if missing:
        raise SurveyDataError(f"no filter variable(s) {missing} in this wave")
    keep = np.ones(len(respondents), dtype=bool)
    for var, values in filters.items():
        if values:
            keep &= (
                respondents[var].astype(str).isin([str(v) for v in values]).to_numpy()
            )
    return keep


def banner_segments(
    respondents: pd.DataFrame, questionnaire: Questionnaire, spec: TableSpec
) -> dict[str, pd.Series]:
    """Each banner's column of every respondent (nested pairs: both values)."""
    out = {var: segment_labels(respondents, questionnaire, var) for var in spec.banners}
    for a, b in spec.nest:
        out[NEST_SEPARATOR.join((a, b))] = _nested(
            segment_labels(respondents, questionnaire, a),
            segment_labels(respondents, questionnaire, b),
        )
    return out


def _nested(a: pd.Series, b: pd.Series) -> pd.Series:
    """``a · b`` for every respondent with both; ordered as a's then b's levels."""
    first, second = (_ordered_levels(s) for s in (a, b))
    levels = [f"{x}{NESTED_VALUE}{y}" for x in first for y in second]
    both = a.notna() & b.notna()
    joined = a.astype(str) + NESTED_VALUE + b.astype(str)
    return pd.Series(
        pd.Categorical(joined.where(both), categories=levels), index=a.index
    )


def _ordered_levels(series: pd.Series) -> list[str]:
    if isinstance(series.dtype, pd.CategoricalDtype):
        return [str(c) for c in series.cat.categories]
    return sorted({str(v) for v in series.dropna()})


def _cells(
    table: pd.DataFrame, lines: Sequence[RowValues], total: bool
) -> pd.DataFrame:
    """The long cells, lines in SPEC order, Total first then each banner."""
    info = pd.DataFrame(
        {
            "metric": [line.key for line in lines],
            "row": [line.row for line in lines],
            "answer": [line.answer for line in lines],
            "question_text": [line.question_text for line in lines],
            "_line": range(len(lines)),
        }
    )
    cells = table.merge(info, on="metric", how="left")
    is_total = cells["segment_var"].astype(str) == TOTAL
    if not total:
        cells = cells[~is_total]
        is_total = is_total[~is_total]
    cells = cells.assign(
        banner=cells["segment_var"].astype(str),
        column=cells["segment_value"].astype(str).where(~is_total, TOTAL_COLUMN),
        letter=cells["letter"].where(~is_total, None),
        letters=cells["letters"].where(~is_total, None),
        arrow=cells["arrow"].where(~is_total, None),
        _banner=(~is_total).astype(int),
    )
    hidden = cells["flag"].astype(str) == "suppressed"
    for name in ("estimate", "ci_low", "ci_high", "se"):
        cells[name] = cells[name].astype(float).where(~hidden)
    cells = cells.sort_values(["_line", "_banner"], kind="stable")
    return cells.drop(columns=["_line", "_banner"]).reset_index(drop=True)


def _bases(
    cells: pd.DataFrame,
    lines: Sequence[RowValues],
    weights: np.ndarray,
    segments: dict[str, pd.Series],
) -> pd.DataFrame:
    """Each SPEC's unweighted and weighted base in every column (its first line)."""
    coded = {name: pd.factorize(labels) for name, labels in segments.items()}
    first: dict[str, RowValues] = {}
    for line in lines:
        first.setdefault(line.row, line)
    records = []
    for row, line in first.items():
        answered = ~np.isnan(line.values)
        ones = answered.astype(np.float64)
        w = np.where(answered, weights, 0.0)
        sums = {TOTAL: {TOTAL_COLUMN: (ones.sum(), w.sum())}}
        for name, (codes, uniques) in coded.items():
            # a missing value (code -1) goes to bin 0, dropped
            n = np.bincount(codes + 1, ones, minlength=len(uniques) + 1)[1:]
            sw = np.bincount(codes + 1, w, minlength=len(uniques) + 1)[1:]
            sums[name] = {str(u): (n[i], sw[i]) for i, u in enumerate(uniques)}
        shown = cells[cells["metric"] == line.key]
        for banner, column, letter in shown[["banner", "column", "letter"]].itertuples(
            index=False
        ):
            n_i, w_i = sums[str(banner)].get(str(column), (0, 0.0))
            records.append((row, banner, column, letter, int(n_i), float(w_i)))
    return pd.DataFrame(records, columns=list(BASE_KEYS))


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
