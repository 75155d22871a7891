"""``estimate FILE.csv``: a yes/no column read with its design, and its estimates.

The file gives one yes/no column and optionally weights, strata, clusters, fpc
and one segment column; :func:`file_estimates` gives the overall row then one
row per segment. With weights or a design, ``se`` is the linearised standard
error and binomial intervals use the Kish effective base (``wilson-kish``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, get_args

import numpy as np
import pandas as pd

from analysis.errors import SurveyDataError
from analysis.stats.design import SurveyDesign, by_segment
from analysis.stats.domains import DomainEstimates
from analysis.stats.intervals import (
    CIMethod,
    DesignCIMethod,
    FloatArray,
    base_flag,
    proportion_ci,
)

_TRUTH = {
    "1": 1.0,
    "0": 0.0,
    "1.0": 1.0,
    "0.0": 0.0,
    "true": 1.0,
    "false": 0.0,
    "yes": 1.0,
    "no": 0.0,
    "oui": 1.0,
    "non": 0.0,
    "vrai": 1.0,
    "faux": 0.0,
}


_BAD = -1.0


_BINOMIAL: tuple[CIMethod, ...] = get_args(CIMethod)


_DESIGN: tuple[DesignCIMethod, ...] = get_args(DesignCIMethod)


_M = TypeVar("_M", bound=str)


def read_survey_csv(
    path: Path,
    *,
    yes: str,
    weight: str | None = None,
    strata: str | None = None,
    cluster: str | None = None,
    fpc: str | None = None,
    by: str | None = None,
) -> SurveyFile:
    """Read only the named columns of a CSV and check every value.

    Errors name the file, the column and the first bad row (1 = first data
    row; the file line is one more, for the header).
    """
    if not path.is_file():
        raise SurveyDataError(f"{path}: no such file")
    roles = {"yes": yes, "weight": weight, "strata": strata, "cluster": cluster}
    roles |= {"fpc": fpc, "by": by}
    wanted = list(dict.fromkeys(c for c in roles.values() if c is not None))
    header = _read(path, nrows=0).columns
    missing = [c for c in wanted if c not in header]
    if missing:
        shown = ", ".join(map(str, header[:20])) + (" …" if len(header) > 20 else "")
        raise SurveyDataError(f"{path}: no column(s) {missing}; columns: {shown}")
    labels = {c: "str" for c in (strata, cluster, by) if c is not None}
    frame = _read(path, usecols=wanted, dtype=labels)
    if len(frame) < 2:
        raise SurveyDataError(f"{path}: needs at least 2 data rows")
    n = len(frame)
    y = _yes_values(frame[yes], path, yes)
    w = np.ones(n) if weight is None else _positive(frame[weight], path, weight)
    design = SurveyDesign(
        w,
        strata=None if strata is None else _labels(frame[strata], path, strata),
        clusters=None if cluster is None else _labels(frame[cluster], path, cluster),
        fpc=None if fpc is None else _positive(frame[fpc], path, fpc),
    )
    return SurveyFile(design, y, None if by is None else frame[by], weight is not None)


def _read(path: Path, **kwargs: Any) -> pd.DataFrame:
    try:
        frame: pd.DataFrame = pd.read_csv(path, **kwargs)
        return frame
    except pd.errors.EmptyDataError:
        raise SurveyDataError(f"{path}: the file is empty") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise SurveyDataError(f"{path}: cannot read as CSV ({first})") from None


@dataclass(frozen=True, eq=False)
class SurveyFile:
    """The parsed columns of a CSV: the design, the 0/1 values and the segments."""

    design: SurveyDesign
    y: FloatArray
    segment: pd.Series | None
    weighted: bool


def _bad_row(path: Path, column: str, bad: np.ndarray, values: pd.Series) -> str:
    i = int(np.flatnonzero(bad)[0])
    return f"{path}: column {column!r}, row {i + 1} (line {i + 2}): {values.iloc[i]!r}"


def _yes_values(values: pd.Series, path: Path, column: str) -> FloatArray:
    """1.0 / 0.0 per row, NaN when empty; anything else is an error."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.to_numpy(dtype=np.float64)
    if pd.api.types.is_numeric_dtype(values.dtype):
        y = values.to_numpy(dtype=np.float64, na_value=np.nan)
        bad = ~(np.isnan(y) | (y == 0) | (y == 1))
    else:
        # few distinct answers: classify those, then index (vectorised)
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        lookup = np.array(
            [_truth(u) for u in uniques] + [np.nan], dtype=np.float64
        )  # code -1 (missing) reads the last entry
        y = lookup[codes]
        bad = y == _BAD
    if np.any(bad):
        raise SurveyDataError(
            _bad_row(path, column, bad, values)
            + " is not 0/1, true/false, yes/no or oui/non"
        )
    return y


def _truth(value: Any) -> float:
    text = str(value).strip().lower()
    if not text:
        return math.nan
    return _TRUTH.get(text, _BAD)


def _positive(values: pd.Series, path: Path, column: str) -> FloatArray:
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    bad = ~(np.isfinite(numbers) & (numbers > 0))
    if np.any(bad):
        raise SurveyDataError(
            _bad_row(path, column, bad, values) + " must be a number > 0"
        )
    return numbers


def _labels(values: pd.Series, path: Path, column: str) -> np.ndarray:
    codes, _ = pd.factorize(values, use_na_sentinel=True)
    if np.any(codes < 0):
        raise SurveyDataError(_bad_row(path, column, codes < 0, values) + " is empty")
    return codes


def file_estimates(data: SurveyFile, *, method: str, level: float) -> pd.DataFrame:
    """The overall row, then one row per segment (in sorted order)."""
    n = data.design.n
    parts = [_estimate_rows(data, np.zeros(n, dtype=np.intp), [None], method, level)]
    if data.segment is not None:
        codes, uniques = pd.factorize(data.segment, sort=True, use_na_sentinel=True)
        k = len(uniques)
        # a row without a segment value stays in the design, in no segment
        codes = np.where(codes < 0, k, codes)
        rows = _estimate_rows(data, codes, [*map(str, uniques), None], method, level)
        parts.append(rows.iloc[:k])
    return pd.concat(parts, ignore_index=True)


def _estimate_rows(
    data: SurveyFile,
    codes: np.ndarray,
    labels: Sequence[str | None],
    method: str,
    level: float,
) -> pd.DataFrame:
    est = by_segment(data.design, data.y, codes)
    present = np.asarray(est.labels, dtype=np.intp)
    names = [labels[i] for i in present]
    plain = not data.weighted and data.design.is_simple
    se, low, high, label = _intervals(est, method, level, plain)
    flags = base_flag(est.n)
    hidden = flags == "suppressed"
    return pd.DataFrame(
        {
            "segment": names,
            "n": est.n.astype(np.int64),
            "n_eff": est.n_eff,
            "estimate": np.where(hidden, np.nan, est.estimate),
            "se": np.where(hidden, np.nan, se),
            "ci_low": np.where(hidden, np.nan, low),
            "ci_high": np.where(hidden, np.nan, high),
            "method": label,
            "level": level,
            "flag": flags,
        }
    )


def _intervals(
    est: DomainEstimates, method: str, level: float, plain: bool
) -> tuple[FloatArray, FloatArray, FloatArray, str]:
    design_method = _choice(method, _DESIGN)
    if design_method is not None:
        ci = est.ci(level, design_method)
        return est.se, ci.low, ci.high, method
    with np.errstate(divide="ignore", invalid="ignore"):
        if plain:
            base, se = est.n, np.sqrt(est.estimate * (1 - est.estimate) / est.n)
        else:
            base, se = est.n_eff, est.se
        low, high = proportion_ci(
            np.nan_to_num(est.estimate * base),
            base,
            method=_choice(method, _BINOMIAL) or "wilson",
            level=level,
        )
    return se, np.asarray(low), np.asarray(high), method if plain else f"{method}-kish"


def _choice(method: str, allowed: tuple[_M, ...]) -> _M | None:
    """``method`` typed as one of ``allowed``, or None (narrows for mypy)."""
    return next((m for m in allowed if m == method), None)
