"""Joint cells: each respondent's cell in the cross of the segment variables.

The EstimateTable builder (:mod:`analysis.table.rows`) bincounts a wave once into
these cells; every segment's sums are then a margin of the joint sums, so a table
with several segment variables costs one pass per metric, not one per segment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.errors import SurveyDataError
from analysis.stats.domains import DomainSums
from analysis.stats.intervals import FloatArray

_MAX_JOINT_CELLS = 2_000_000


@dataclass(frozen=True)
class JointCells:
    """Each row's cell in the cross of all segment variables (-1: filtered out)."""

    codes: np.ndarray
    shape: tuple[int, ...]
    labels: tuple[np.ndarray, ...]
    names: tuple[str, ...]

    @property
    def size(self) -> int:
        """The number of joint cells (1 with no segment variable)."""
        return int(np.prod(self.shape)) if self.shape else 1

    @classmethod
    def build(
        cls,
        segments: Mapping[str, pd.Series | npt.NDArray[Any]],
        keep: npt.NDArray[np.bool_],
    ) -> JointCells:
        """The cells of each row (one label array per variable); rows not kept: -1."""
        codes = np.zeros(keep.size, dtype=np.intp)
        shape: list[int] = []
        labels = []
        for values in segments.values():
            # a missing segment value gets its own last level, dropped from output
            level_codes, uniques = pd.factorize(values, sort=True)
            k = len(uniques)
            level_codes = np.where(level_codes < 0, k, level_codes)
            codes = codes * (k + 1) + level_codes
            shape.append(k + 1)
            labels.append(np.asarray(pd.Index(uniques).astype(str)))
        size = int(np.prod(shape)) if shape else 1
        if size > _MAX_JOINT_CELLS:
            raise SurveyDataError(
                f"segment variables {list(segments)} make {size:,} cells; choose fewer"
            )
        return cls(
            np.where(keep, codes, -1), tuple(shape), tuple(labels), tuple(segments)
        )

    def axis_codes(self, axis: int) -> npt.NDArray[np.intp]:
        """Each row's level of one variable: -1 when not kept, k when missing."""
        stride = int(np.prod(self.shape[axis + 1 :]))
        level = (self.codes // stride) % self.shape[axis]
        return np.where(self.codes < 0, -1, level).astype(np.intp)

    def margin(self, sums: DomainSums, axis: int) -> DomainSums:
        """One variable's sums from the joint sums, its missing level dropped."""
        margin = sums.marginal(self.shape, axis) if len(self.shape) > 1 else sums
        k = self.shape[axis] - 1
        return margin.map(lambda a: a[:k])


@dataclass(frozen=True, eq=False)
class CellBase:
    """Per-cell rows, Σw and Σw² of every kept row, bincounted once per wave.

    A metric's sums over the rows answering it are these minus the sums over its
    (few) missing rows, so each metric costs two full bincounts instead of five.
    ``rows_weighted`` counts the rows of weight > 0 (R leaves rows of weight 0
    out of the degrees of freedom).
    """

    key: npt.NDArray[np.intp]
    weights: FloatArray
    w2: FloatArray
    rows: FloatArray
    rows_weighted: FloatArray
    sum_w: FloatArray
    sum_w2: FloatArray
    size: int

    @classmethod
    def build(cls, cells: JointCells, weights: FloatArray) -> CellBase:
        """The kept rows' per-cell counts, Σw and Σw² (filtered-out rows dropped)."""
        size = cells.size
        # filtered-out rows go to one extra cell past the end, dropped below
        key = np.where(cells.codes < 0, size, cells.codes).astype(np.intp)
        w2 = weights * weights

        def per_cell(values: FloatArray | None) -> FloatArray:
            sums = np.bincount(key, values, minlength=size + 1)[:size]
            return sums.astype(np.float64)

        rows = per_cell(None)
        zero = weights == 0
        weighted = rows - per_cell(zero.astype(np.float64)) if zero.any() else rows
        return cls(
            key, weights, w2, rows, weighted, per_cell(weights), per_cell(w2), size
        )

    def _per_cell(self, key: npt.NDArray[np.intp], values: FloatArray | None) -> Any:
        return np.bincount(key, values, minlength=self.size + 1)[: self.size]

    def sums(self, y: FloatArray) -> DomainSums:
        """The metric's sums per cell; NaN values leave the base."""
        if y.shape != self.key.shape:
            raise SurveyDataError(f"values have shape {y.shape}; expected one a row")
        missing = np.isnan(y)
        v = np.where(missing, 0.0, y)
        w2v = self.w2 * v
        sum_w2y = self._per_cell(self.key, w2v)
        # for 0/1 values y² = y: skip the products and passes of the squares
        binary = np.count_nonzero(v) == np.count_nonzero(v == 1.0)
        n, sum_w, sum_w2 = self.rows, self.sum_w, self.sum_w2
        n_weighted = self.rows_weighted
        rows = np.flatnonzero(missing)
        if rows.size:
            key = self.key[rows]
            n = n - self._per_cell(key, None)
            if n_weighted is not self.rows:
                n_weighted = n_weighted - self._per_cell(
                    key[self.weights[rows] > 0], None
                )
            else:
                n_weighted = n
            sum_w = np.where(n > 0, sum_w - self._per_cell(key, self.weights[rows]), 0)
            sum_w2 = np.where(n > 0, sum_w2 - self._per_cell(key, self.w2[rows]), 0)
        sum_wy = self._per_cell(self.key, self.weights * v)
        if binary:
            # Σwy ≤ Σw exactly; the subtraction above may round Σw just below it,
            # and a cell answering yes throughout must give exactly 100 %
            every = self._per_cell(self.key, (v == 1.0).astype(np.float64)) == n
            sum_wy = np.where(every, sum_w, np.minimum(sum_wy, sum_w))
            sum_w2y = np.where(every, sum_w2, np.minimum(sum_w2y, sum_w2))
        return DomainSums(
            n=n,
            n_weighted=n_weighted,
            rows=self.rows,
            rows_weighted=self.rows_weighted,
            sum_w=sum_w,
            sum_w2=sum_w2,
            sum_wy=sum_wy,
            sum_wy2=sum_wy
            if binary
            else self._per_cell(self.key, self.weights * v * v),
            sum_w2y=sum_w2y,
            sum_w2y2=sum_w2y if binary else self._per_cell(self.key, w2v * v),
            n_total=int(self.key.size),
        )
