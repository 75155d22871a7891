"""Weights fitted to a targets file, and what is kept of them to reuse later.

:func:`fit_targets` turns :class:`analysis.ingest.targets.Targets` (margins,
one joint table, or margins per country) into a :class:`Weighting` by the
method asked, with the *calibration spec*: per fitted margin its columns, its
group and its categories. A stored weighting keeps the spec, so
:func:`calibration_matrix` rebuilds the calibration variables from the
respondent rows and an estimate under stored weights gets the same GREG
standard error as one under freshly raked weights. :func:`diagnostics` is
what a reader (and ``weight --format json``) is told of the weights.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.errors import WeightingError
from analysis.stats.group_weighting import rake_by_group
from analysis.stats.intervals import FloatArray
from analysis.stats.weighting import Weighting, poststratify, rake

if TYPE_CHECKING:  # reading targets needs yaml; fitting only reads the dataclass
    from analysis.ingest.targets import MarginTargets, Targets

Method = Literal["rake", "poststratify"]
METHODS: tuple[Method, ...] = ("rake", "poststratify")
Spec = tuple[Mapping[str, Any], ...]
"""Per fitted margin: ``{"columns": [...], "group": [by, value] | None,
"categories": [...]}``, in the order of the weighting's calibration columns."""


@dataclass(frozen=True, eq=False)
class Fitted:
    """A weighting and the spec that rebuilds its calibration variables."""

    weighting: Weighting
    spec: Spec


def fit_targets(
    base: npt.ArrayLike,
    labels: Mapping[str, pd.Series | npt.ArrayLike],
    targets: Targets,
    method: Method = "rake",
    cap: tuple[float, float] | None = None,
) -> Fitted:
    """``base`` weights fitted to ``targets`` over the respondents' ``labels``.

    Shares scale to the population total when the targets give one, else to
    the sum of the base weights. ``method="poststratify"`` needs the targets'
    joint table; ``"rake"`` their margins (per group when they have ``by``).
    """
    if method not in METHODS:
        raise WeightingError(f"method {method!r} must be one of {', '.join(METHODS)}")
    w = np.asarray(base, dtype=np.float64)
    total = float(w.sum())
    _check_columns(labels, targets)
    if targets.by is not None:
        if method != "rake":
            raise WeightingError("targets per group are raked: use --method rake")
        counts = {g: m.counts(total) for g, m in targets.groups.items()}
        variables = list(next(iter(counts.values())))
        fitted = rake_by_group(
            w,
            labels[targets.by],
            {v: labels[v] for v in variables},
            counts,
            size=targets.country_size,
            cap=cap,
        )
        groups = [(g, variables) for g in counts]
        return Fitted(fitted, _group_spec(fitted, targets.by, groups))
    population = targets.population
    assert population is not None  # parse_targets gives one or the other
    if method == "rake":
        return _raked(w, labels, population, total, cap)
    if cap is not None:
        raise WeightingError("--cap applies to raking margins, not a joint table")
    if not population.joint:
        raise WeightingError("post-stratification needs a 'joint' table of targets")
    names, cells = population.joint_cells(total)
    fitted = poststratify(w, {v: labels[v] for v in names}, cells)
    return Fitted(fitted, _spec(fitted, [names], None))


def _raked(
    w: FloatArray,
    labels: Mapping[str, Any],
    population: MarginTargets,
    total: float,
    cap: tuple[float, float] | None,
) -> Fitted:
    if not population.margins:
        raise WeightingError(
            "these targets are one joint table: use --method poststratify"
        )
    margins: Mapping[str, Mapping[Any, float]] = population.counts(total)
    fitted = rake(w, {v: labels[v] for v in margins}, margins, cap=cap)
    return Fitted(fitted, _spec(fitted, [[v] for v in margins], None))


def _check_columns(labels: Mapping[str, Any], targets: Targets) -> None:
    wanted = target_columns(targets)
    missing = [v for v in wanted if v not in labels]
    if missing:
        raise WeightingError(
            f"targets name {missing[0]!r}, which the respondents do not have"
        )


def target_columns(targets: Targets) -> list[str]:
    """The columns a weighting to ``targets`` reads (the group column first)."""
    group = [] if targets.by is None else [targets.by]
    populations = (
        list(targets.groups.values())
        if targets.population is None
        else [targets.population]
    )
    names: dict[str, None] = {}
    for p in populations:
        names |= dict.fromkeys(p.margins)
        names |= dict.fromkeys(k for row in p.joint[:1] for k in row if k != "target")
    return [*group, *names]


def _spec(fitted: Weighting, columns: list[list[str]], group: list[str] | None) -> Spec:
    return tuple(
        {"columns": cols, "group": group, "categories": list(m.categories)}
        for cols, m in zip(columns, fitted.margins, strict=True)
    )


def _group_spec(
    fitted: Weighting, by: str, groups: list[tuple[str, list[str]]]
) -> Spec:
    columns = [([v], [by, g]) for g, variables in groups for v in variables]
    return tuple(
        {"columns": cols, "group": group, "categories": list(m.categories)}
        for (cols, group), m in zip(columns, fitted.margins, strict=True)
    )


def calibration_matrix(rows: pd.DataFrame, spec: Spec) -> FloatArray:
    """The calibration variables (n × k indicators) of ``rows`` under ``spec``.

    The columns :func:`fit_targets` made for the same respondents, in order.
    """
    blocks = []
    for margin in spec:
        columns = [str(c) for c in margin["columns"]]
        missing = [c for c in columns if c not in rows.columns]
        if missing:
            raise WeightingError(f"the respondents have no column {missing[0]!r}")
        text = rows[columns].astype(str)
        key = text[columns[0]] if len(columns) == 1 else text.agg(" × ".join, axis=1)
        inside = np.ones(len(rows), dtype=bool)
        if margin["group"] is not None:
            by, value = margin["group"]
            inside = rows[by].astype(str).to_numpy() == str(value)
        cats = np.asarray([str(c) for c in margin["categories"]])
        block = (key.to_numpy()[:, None] == cats[None, :]) & inside[:, None]
        blocks.append(block.astype(np.float64))
    return np.hstack(blocks) if blocks else np.zeros((len(rows), 0))


def diagnostics(weighting: Weighting) -> dict[str, Any]:
    """What a reader must know of the weights, as ``weight --format json`` says it.

    ``margins`` maps each variable to its categories' sample, target and
    weighted shares.
    """
    w = weighting.weights
    return {
        "iterations": int(weighting.iterations),
        "converged": bool(weighting.converged),
        "max_margin_gap": float(weighting.max_margin_gap),
        "efficiency": float(weighting.efficiency),
        "n_eff": float(weighting.n_eff),
        "deff": float(weighting.deff),
        "min": float(w.min()),
        "max": float(w.max()),
        "cv": float(weighting.cv),
        "margins": {
            m.variable: [
                {
                    "category": c,
                    "sample_share": s,
                    "target_share": t,
                    "weighted_share": x,
                }
                for c, s, t, x in zip(
                    m.categories,
                    m.sample_share,
                    m.target_share,
                    m.weighted_share,
                    strict=True,
                )
            ]
            for m in weighting.margins
        },
    }


def sample_distribution(
    labels: pd.Series | npt.ArrayLike, weights: npt.ArrayLike
) -> pd.DataFrame:
    """Each category's share of the sample, unweighted and weighted, by its text.

    Columns ``category``, ``sample_share``, ``weighted_share``; missing values
    are left out (the weighting will refuse them, naming the row).
    """
    text = pd.Series(np.asarray(labels, dtype=object)).astype("string")
    w = pd.Series(np.asarray(weights, dtype=np.float64))
    keep = text.notna().to_numpy()
    frame = pd.DataFrame({"category": text[keep].astype(str), "w": w[keep]})
    grouped = frame.groupby("category", sort=True)["w"].agg(["size", "sum"])
    return pd.DataFrame(
        {
            "category": grouped.index.astype(str),
            "sample_share": grouped["size"].to_numpy() / keep.sum(),
            "weighted_share": grouped["sum"].to_numpy() / grouped["sum"].sum(),
        }
    )
