"""Response quality: incomplete responses, speeders and straight-liners.

Incomplete responses are left out by default, because a partial Qualtrics
response is not a respondent of the wave. Speeders and straight-liners are
only reported unless the analyst asks to leave them out: the judgement is
theirs to make.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis.ingest.recode import parse_numbers

_FALSE = frozenset({"0", "false", "faux", "no", "non", "0.0"})
_DURATION = ("Duration (in seconds)", "Duration", "duration", "Durée (en secondes)")
_START = ("Start Date", "StartDate", "start_date")
_END = ("End Date", "EndDate", "end_date")


def incomplete(data: pd.DataFrame) -> np.ndarray:
    """Rows whose Finished is false or whose Progress is below 100."""
    mask = np.zeros(len(data), dtype=bool)
    if "Finished" in data:
        finished = data["Finished"].astype("str").str.strip().str.lower()
        mask |= finished.isin(_FALSE).to_numpy()
    if "Progress" in data:
        progress = parse_numbers(data["Progress"]).to_numpy()
        mask |= np.nan_to_num(progress, nan=100.0) < 100
    return mask


def durations(data: pd.DataFrame) -> np.ndarray | None:
    """Seconds spent per respondent, from a duration column or start/end times."""
    for column in _DURATION:
        if column in data:
            return parse_numbers(data[column]).to_numpy()
    start = next((c for c in _START if c in data), None)
    end = next((c for c in _END if c in data), None)
    if start is None or end is None:
        return None
    began = pd.to_datetime(data[start], errors="coerce")
    ended = pd.to_datetime(data[end], errors="coerce")
    return np.asarray((ended - began).dt.total_seconds(), dtype=float)


def speeders(seconds: np.ndarray, considered: np.ndarray, ratio: float) -> np.ndarray:
    """Rows faster than ``ratio`` times the median of the rows considered."""
    pool = seconds[considered & np.isfinite(seconds)]
    if len(pool) < 3:
        return np.zeros(len(seconds), dtype=bool)
    limit = float(np.median(pool)) * ratio
    fast: np.ndarray = np.isfinite(seconds) & (seconds < limit)
    return fast


def straightliners(
    codes: Mapping[str, pd.Series], grids: Mapping[str, list[str]], minimum: int
) -> dict[str, np.ndarray]:
    """Per grid (questions sharing a scale), the rows with one answer throughout.

    Only respondents who answered at least ``minimum`` items of the grid count.
    """
    found: dict[str, np.ndarray] = {}
    for grid, questions in grids.items():
        if len(questions) < minimum:
            continue
        matrix = np.column_stack(
            [codes[q].to_numpy(dtype="float64", na_value=np.nan) for q in questions]
        )
        answered = np.isfinite(matrix).sum(axis=1)
        with np.errstate(all="ignore"):
            same = np.nanmin(matrix, axis=1, initial=np.inf, where=np.isfinite(matrix))
            other = np.nanmax(
                matrix, axis=1, initial=-np.inf, where=np.isfinite(matrix)
            )
        found[grid] = (answered >= minimum) & (same == other)
    return found
