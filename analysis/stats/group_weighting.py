"""Weighting a multi-country wave: each country to its own population, then together.

A four-country panel is raked country by country — each country's margins are its
own population's — and the countries are then sized to their populations or made
equal, as the analyst chooses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from analysis.errors import WeightingError
from analysis.stats.weighting import MarginFit, Weighting, rake


def rake_by_group(
    weights: npt.ArrayLike,
    groups: npt.ArrayLike,
    columns: Mapping[str, npt.ArrayLike],
    targets: Mapping[str, Mapping[str, Mapping[Any, float]]],
    *,
    size: Literal["population", "equal"] = "population",
    cap: tuple[float, float] | None = None,
) -> Weighting:
    """Rake each group (country) to its own margins, then size the groups.

    ``targets`` maps each group to its margins as counts. With ``size =
    "population"`` each group keeps its population total; with ``"equal"`` every
    group gets the same total weight (the mean of the groups' totals).
    """
    base = np.asarray(weights, dtype=np.float64)
    label = np.array([str(g) for g in np.asarray(groups, dtype=object)])
    lacking = sorted(set(label.tolist()) - set(map(str, targets)))
    if lacking:
        raise WeightingError(
            f"group {lacking[0]!r} has respondents but no targets "
            f"(targets for: {', '.join(map(str, targets))})"
        )
    final = np.empty_like(base)
    parts: list[tuple[str, np.ndarray, Weighting]] = []
    for group, margins in targets.items():
        rows = np.flatnonzero(label == str(group))
        if rows.size == 0:
            raise WeightingError(f"group {group!r} has targets but no respondent")
        sub = {v: np.asarray(c, dtype=object)[rows] for v, c in columns.items()}
        fitted = rake(base[rows], sub, margins, cap=cap)
        parts.append((str(group), rows, fitted))
    totals = np.array([p[2].weights.sum() for p in parts])
    scale = (
        np.full(totals.size, 1.0) if size == "population" else totals.mean() / totals
    )
    for (_, rows, fitted), k in zip(parts, scale, strict=True):
        final[rows] = fitted.weights * k
    return _combined(base, final, parts)


def _combined(
    base: np.ndarray,
    final: np.ndarray,
    parts: list[tuple[str, np.ndarray, Weighting]],
) -> Weighting:
    n = base.size
    blocks = []
    margins: list[MarginFit] = []
    for group, rows, fitted in parts:
        block = np.zeros((n, fitted.calibration.shape[1]))
        block[rows] = fitted.calibration
        blocks.append(block)
        margins.extend(
            MarginFit(
                f"{m.variable} [{group}]",
                m.categories,
                m.sample_share,
                m.target_share,
                m.weighted_share,
            )
            for m in fitted.margins
        )
    return Weighting(
        weights=final,
        base_weights=base,
        method="rake by group",
        iterations=max(p[2].iterations for p in parts),
        converged=True,
        max_margin_gap=max(p[2].max_margin_gap for p in parts),
        margins=tuple(margins),
        calibration=np.hstack(blocks),
    )
