"""``estimate FILE.csv``: a yes/no column read with its design, nothing more.

The file gives one yes/no column and optionally weights, strata, clusters, fpc
and one segment column; :func:`read_survey_csv` checks every value and returns
the survey design, the 0/1 values and the segment, which
:func:`analysis.table.rows.estimate_rows` turns into rows as it does for a
stored wave. With ``--rake`` the file's weights are first raked to population
margins (:func:`rake_survey_file`), and the rows get calibration SEs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis.errors import SurveyDataError, WeightingError
from analysis.methods import LonelyPSU
from analysis.stats.design import SurveyDesign
from analysis.stats.fitting import Method, fit_targets
from analysis.stats.intervals import FloatArray
from analysis.stats.weighting import Weighting
from analysis.table.rows import DesignColumns

if TYPE_CHECKING:  # reading targets needs yaml, which plain file mode never loads
    from analysis.ingest.targets import Targets

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


def read_survey_csv(
    path: Path,
    *,
    yes: str,
    weight: str | None = None,
    strata: str | None = None,
    cluster: str | None = None,
    fpc: str | None = None,
    by: str | None = None,
    lonely_psu: LonelyPSU = "fail",
    labels: Sequence[str] = (),
) -> SurveyFile:
    """Read only the named columns of a CSV and check every value.

    Errors name the file, the column and the first bad row (1 = first data
    row; the file line is one more, for the header). Weights may be 0 (the
    row stays in the design, as R keeps it); an fpc must be > 0. ``labels``
    names further category columns to read (the weighting variables).
    """
    if not path.is_file():
        raise SurveyDataError(f"{path}: no such file")
    roles = {"yes": yes, "weight": weight, "strata": strata, "cluster": cluster}
    roles |= {"fpc": fpc, "by": by}
    wanted = list(dict.fromkeys([*(c for c in roles.values() if c), *labels]))
    header = _read(path, nrows=0).columns
    missing = [c for c in wanted if c not in header]
    if missing:
        shown = ", ".join(map(str, header[:20])) + (" …" if len(header) > 20 else "")
        raise SurveyDataError(f"{path}: no column(s) {missing}; columns: {shown}")
    # labels as written in the file; a category is also the fastest to read
    kinds = {c: "category" for c in (strata, cluster, by, *labels) if c is not None}
    frame = _read(path, usecols=wanted, dtype=kinds)
    if len(frame) < 2:
        raise SurveyDataError(f"{path}: needs at least 2 data rows")
    values = {yes: _yes_values(frame[yes], path, yes)}
    if weight is not None:
        frame[weight] = _number(frame[weight], path, weight, zero=True)
    if fpc is not None:
        frame[fpc] = _number(frame[fpc], path, fpc, zero=False)
    for column in (strata, cluster):
        if column is not None:
            _check_filled(frame[column], path, column)
    columns = DesignColumns(
        weight=weight, strata=strata, cluster=cluster, fpc=fpc, lonely_psu=lonely_psu
    )
    try:
        design = columns.design(frame)
    except SurveyDataError as exc:
        raise SurveyDataError(f"{path}: {exc}") from None
    segments = {} if by is None else {by: frame[by]}
    return SurveyFile(design, values, segments, {c: frame[c] for c in labels}, path)


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
    values: Mapping[str, FloatArray]
    segments: Mapping[str, pd.Series]
    labels: Mapping[str, pd.Series] = field(default_factory=dict)
    path: Path = Path()


def rake_survey_file(
    data: SurveyFile, targets: Targets, cap: tuple[float, float] | None = None
) -> Weighting:
    """The file's weights raked to ``targets`` (margins, per group, or joint).

    Shares scale to the population total when the targets give one, else to
    the sum of the file's weights. Errors name the file.
    """
    method: Method = "rake"
    population = targets.population
    if population is not None and not population.margins:
        method = "poststratify"
    try:
        return fit_targets(
            data.design.weights, data.labels, targets, method, cap
        ).weighting
    except WeightingError as exc:
        raise WeightingError(f"{data.path}: {exc}") from None


def parse_cap(text: str | None) -> tuple[float, float] | None:
    """``--cap LOW,HIGH`` as two numbers (multiples of the mean weight)."""
    if text is None:
        return None
    parts = text.split(",")
    try:
        low, high = (float(p) for p in parts)
    except ValueError:
        raise SurveyDataError(
            f"--cap {text!r} must be two numbers LOW,HIGH, e.g. 0.3,3"
        ) from None
    return low, high


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


def _number(values: pd.Series, path: Path, column: str, *, zero: bool) -> FloatArray:
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    low = (numbers >= 0) if zero else (numbers > 0)
    bad = ~(np.isfinite(numbers) & low)
    if np.any(bad):
        bound = "≥ 0" if zero else "> 0"
        raise SurveyDataError(
            _bad_row(path, column, bad, values) + f" must be a number {bound}"
        )
    return numbers


def _check_filled(values: pd.Series, path: Path, column: str) -> None:
    empty = values.isna().to_numpy()
    if np.any(empty):
        raise SurveyDataError(_bad_row(path, column, empty, values) + " is empty")
