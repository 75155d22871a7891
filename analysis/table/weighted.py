"""Stored weightings of a wave, made and used: the bridge from targets to estimates.

:func:`weigh_wave` fits a stored wave's design weights to population targets
(:func:`analysis.stats.fitting.fit_targets`) and stores the result as a named
weighting; nothing is stored when the fit fails. :func:`stored_calibration`
gives, for a wave's respondent rows, the :class:`Weighting` an estimate
passes to :func:`analysis.table.rows.estimate_rows` as ``calibration`` — the
stored weights, the design weights they were made from and the calibration
variables — so an estimate under a stored raking has the calibration (GREG)
standard error of ``survey::calibrate``, exactly as ``estimate FILE.csv
--rake`` gives it. The file's own weight gives None: the design as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd

from analysis.errors import StoreError, WeightingError
from analysis.stats.fitting import (
    Method,
    calibration_matrix,
    diagnostics,
    fit_targets,
    target_columns,
)
from analysis.stats.intervals import FloatArray
from analysis.stats.weighting import Weighting
from analysis.store.questionnaire import Questionnaire
from analysis.store.weightings import StoredWeighting
from analysis.table.rows import DesignColumns, EstimateOptions

if TYPE_CHECKING:  # reading targets needs yaml; estimates never load it
    from analysis.ingest.targets import Targets

WEIGHTINGS = "weightings"
"""The EstimateTable ``attrs`` key: weighting name → what its footnote says."""


@runtime_checkable
class WeightingReads(Protocol):
    """What :func:`stored_calibration` reads: a store with weightings."""

    def weighting(self, wave: str, name: str | None = None) -> StoredWeighting:
        """One weighting of a wave (its default for None)."""
        ...

    def weights(self, wave: str, name: str) -> pd.DataFrame:
        """A stored weighting's values by respondent pseudonym."""
        ...


@dataclass(frozen=True)
class Footing:
    """What the footnote says of a weighting: its name, targets and source."""

    name: str
    variables: tuple[str, ...]
    source: str
    group: str = ""


def design_weights(rows: pd.DataFrame, questionnaire: Questionnaire) -> FloatArray:
    """The wave's design weights (its weight column; 1 for an unweighted file)."""
    from analysis.table.questions import design_columns

    column = design_columns(questionnaire).weight or None
    if column is None or column not in rows.columns:
        return np.ones(len(rows))
    return rows[column].to_numpy(dtype=np.float64)


def weigh_wave(
    store: Any,
    wave: str,
    targets: Targets,
    raw_targets: Mapping[str, Any],
    *,
    name: str,
    method: Method = "rake",
    cap: tuple[float, float] | None = None,
    default: bool = False,
    source: str = "",
    actor: str | None = None,
) -> tuple[StoredWeighting, Weighting]:
    """Fit a stored wave to ``targets`` and store it as the weighting ``name``.

    ``raw_targets`` is kept as given (the targets' JSON shape), ``source``
    (default: the targets' own) for the footnotes. Errors name the wave.
    """
    rows = store.load_respondents([wave])
    base = design_weights(rows, store.questionnaire(wave))
    columns = target_columns(targets)
    try:
        missing = [c for c in columns if c not in rows.columns]
        if missing:
            raise WeightingError(f"targets name {missing[0]!r}, not a column")
        labels = {c: rows[c] for c in columns}
        fitted = fit_targets(base, labels, targets, method, cap)
    except WeightingError as exc:
        raise WeightingError(f"wave {wave}: {exc}") from None
    stored = StoredWeighting(
        wave=wave,
        name=name,
        method=fitted.weighting.method,
        is_default=default,
        targets=dict(raw_targets),
        source=source or targets.source,
        cap=cap,
        diagnostics=diagnostics(fitted.weighting),
        calibration=fitted.spec,
    )
    added = store.add_weighting(
        stored,
        rows["respondent_id"].astype(str).tolist(),
        fitted.weighting.weights,
        actor=actor,
    )
    return added, fitted.weighting


@dataclass(frozen=True, eq=False)
class Chosen:
    """The weighting an estimate of one wave uses: its name and calibration.

    ``calibration`` is None for the file's own weight (the design as it is).
    """

    name: str = ""
    calibration: Weighting | None = None
    footing: Footing | None = None

    def mark(self, table: pd.DataFrame) -> pd.DataFrame:
        """``table`` with the ``weighting`` column and, if any, its footnote facts."""
        marked = table.assign(weighting=self.name)
        if self.footing is not None:
            said = dict(marked.attrs.get(WEIGHTINGS, {}))
            said[self.name] = {
                "variables": list(self.footing.variables),
                "group": self.footing.group,
                "source": self.footing.source,
            }
            marked.attrs[WEIGHTINGS] = said
        return marked


def chosen_weighting(
    store: object,
    wave: str,
    rows: pd.DataFrame,
    columns: DesignColumns,
    options: EstimateOptions,
    fallback: bool = False,
) -> Chosen:
    """The weighting ``options`` asks for (the wave's default for None).

    With ``fallback`` (several waves at once), a wave without the named
    weighting uses its default; otherwise its absence is an error naming
    the wave's weightings. A source without weightings, or an unweighted
    view, gives the design as it is.
    """
    if not options.weighted or not isinstance(store, WeightingReads):
        return Chosen()
    try:
        stored = store.weighting(wave, options.weighting)
    except StoreError:
        if not (fallback and options.weighting is not None):
            raise
        stored = store.weighting(wave)
    if stored.is_file:
        return Chosen(stored.name)
    base = columns.design(rows).weights
    return Chosen(
        stored.name,
        stored_calibration(store, stored, rows, base),
        footing(stored),
    )


def stored_calibration(
    store: WeightingReads,
    chosen: StoredWeighting,
    rows: pd.DataFrame,
    base: FloatArray,
) -> Weighting:
    """A stored weighting as :func:`estimate_rows` takes it, for ``rows``.

    ``base`` are the rows' design weights, from which the weighting was made.
    """
    values = store.weights(chosen.wave, chosen.name)
    by_id = pd.Series(
        values["weight"].to_numpy(dtype=np.float64),
        index=values["respondent_id"].astype(str),
    )
    weights = rows["respondent_id"].astype(str).map(by_id).to_numpy(dtype=np.float64)
    if np.isnan(weights).any():
        raise WeightingError(
            f"wave {chosen.wave}: weighting {chosen.name!r} has no weight for "
            "some respondents; make it again"
        )
    return Weighting(
        weights=weights,
        base_weights=base,
        method=chosen.method,
        iterations=int(chosen.diagnostics.get("iterations", 0)),
        converged=True,
        max_margin_gap=float(chosen.diagnostics.get("max_margin_gap", 0.0)),
        margins=(),
        calibration=calibration_matrix(rows, chosen.calibration),
    )


def footing(stored: StoredWeighting) -> Footing | None:
    """What a footnote says of a stored weighting (None for the file's weight)."""
    if stored.is_file:
        return None
    variables = tuple(
        dict.fromkeys(str(c) for m in stored.calibration for c in m["columns"])
    )
    groups = {str(m["group"][0]) for m in stored.calibration if m["group"]}
    return Footing(stored.name, variables, stored.source, ", ".join(sorted(groups)))


__all__ = [
    "WEIGHTINGS",
    "Chosen",
    "Footing",
    "chosen_weighting",
    "design_weights",
    "footing",
    "stored_calibration",
    "weigh_wave",
]
