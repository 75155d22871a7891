"""A wave's kept sums held in memory, every cell, added up per view without SQL.

A dashboard view asks the store for the sums grouped by its segment and
filter variables; :func:`~analysis.store.sums.read_sums` has the database add
the cells up, which costs a connection and a ``GROUP BY`` of every cell at
each new view (tens of milliseconds). The cells of one wave's metrics are a
few hundred thousand numbers at most and change only when the store does, so
a server reads them once per store version (:func:`held_sums`) and adds them
up itself (:meth:`SumsCells.grouped`): the same groups, in the same order, as
the database's ``GROUP BY … ORDER BY`` (NULL last), the same sums up to the
order of addition.

Waves whose cells would take more than :data:`MAX_HELD_ROWS` rows are not
held: their views keep asking the database.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.store.dialect import StoreConnection
from analysis.store.metric_sql import DOUBLE, quoted
from analysis.store.sums import (
    ReadySums,
    StoredSums,
    cell_keys,
    read_sums,
    ready_sums,
)
from analysis.store.sums_sql import FPC, PSU, STRATUM, SUM_FIELDS, SumsDesign

MAX_HELD_ROWS = 400_000
"""Cells × metrics held per wave (≈ 45 MB of sums); beyond, the database adds."""
HELD_BYTES = 128 * 2**20
"""The memory a server gives held cells (least recently used dropped first)."""

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class _Key:
    """One column of the cells as sorted codes: its values and each row's code."""

    labels: pd.Index
    codes: IntArray

    @classmethod
    def of(cls, column: pd.Series) -> _Key:
        if isinstance(column.dtype, pd.CategoricalDtype):
            return cls._of_categories(column)
        codes, labels = pd.factorize(column, sort=True, use_na_sentinel=True)
        codes = np.where(codes < 0, len(labels), codes)  # NULL sorts last, as SQL
        return cls(pd.Index(labels), codes.astype(np.int64))

    @classmethod
    def _of_categories(cls, column: pd.Series) -> _Key:
        """A categorical column's codes renumbered so that its labels are sorted.

        An unused category only widens the key's range: groups come from the
        codes present.
        """
        labels = column.cat.categories.sort_values()
        renumber = labels.get_indexer(column.cat.categories)
        raw = column.cat.codes.to_numpy()
        codes = np.where(raw < 0, len(labels), renumber[raw])  # NULL last, as SQL
        return cls(pd.Index(labels, dtype=object), codes.astype(np.int64))

    @property
    def size(self) -> int:
        return len(self.labels) + 1

    def values(self, codes: IntArray) -> pd.Series:
        """The labels of ``codes`` (the NULL code as a missing value)."""
        known = codes < len(self.labels)
        taken = self.labels.take(np.where(known, codes, 0))
        return pd.Series(taken, dtype=object).where(known, None)


@dataclass(frozen=True)
class SumsCells:
    """Every kept cell of some metrics of one wave, as arrays (no frame kept)."""

    segments: tuple[str, ...]
    design: SumsDesign
    row_count: int
    keys: dict[str, _Key]
    fields: dict[str, npt.NDArray[np.float64]]

    @classmethod
    def of(cls, stored: StoredSums) -> SumsCells:
        """The cells of sums read per cell (every segment variable kept)."""
        frame = stored.frame
        design = [c for c in (STRATUM, PSU, FPC) if c in frame.columns]
        names = ["metric", *stored.segments, *design]
        return cls(
            stored.segments,
            stored.design,
            stored.row_count,
            {name: _Key.of(frame[name]) for name in names},
            {f: frame[f].to_numpy(dtype=np.float64, copy=True) for f in SUM_FIELDS},
        )

    @property
    def nbytes(self) -> int:
        """The memory the arrays take."""
        arrays = [*self.fields.values(), *(k.codes for k in self.keys.values())]
        return sum(a.nbytes for a in arrays)

    def grouped(self, segments: Sequence[str]) -> StoredSums:
        """The sums added over every segment variable not in ``segments``.

        What :func:`~analysis.store.sums.read_sums` returns for ``segments``.
        """
        wanted = list(dict.fromkeys(segments))
        names = ["metric", *wanted, *(k for k in (STRATUM, PSU, FPC) if k in self.keys)]
        key = np.zeros(len(self.fields[SUM_FIELDS[0]]), dtype=np.int64)
        space = 1
        for name in names:  # mixed radix: the order of ORDER BY metric, segments…
            key = key * self.keys[name].size + self.keys[name].codes
            space *= self.keys[name].size
        groups, inverse = _groups(key, space)
        columns: dict[str, object] = {}
        for name in reversed(names):
            size = self.keys[name].size
            columns[name] = self.keys[name].values(groups % size)
            groups = groups // size
        frame = pd.DataFrame({n: columns[n] for n in names})
        for field, values in self.fields.items():
            frame[field] = np.bincount(inverse, weights=values, minlength=len(frame))
        frame["metric"] = frame["metric"].astype(str)
        return StoredSums(frame, self.segments, self.design, self.row_count)


def _groups(key: IntArray, space: int) -> tuple[IntArray, IntArray]:
    """The sorted distinct keys and each row's group (counting when keys are few)."""
    if space > 4 * len(key) + 1024:
        groups, inverse = np.unique(key, return_inverse=True)
        return groups.astype(np.int64), inverse.astype(np.int64)
    present = np.bincount(key, minlength=space) > 0
    return np.flatnonzero(present).astype(np.int64), np.cumsum(present)[key] - 1


Opener = Callable[[], AbstractContextManager[StoreConnection]]
_HELD: OrderedDict[Hashable, SumsCells] = OrderedDict()
_LOCK = threading.Lock()


def held_sums(
    reading: Opener,
    stamp: Hashable,
    wave: str,
    metrics: Sequence[str],
    segments: Sequence[str],
) -> StoredSums | None:
    """:func:`read_sums` of a live respondent wave, from cells held per ``stamp``.

    ``stamp`` names the store and its version: whatever changes when the store
    is written (a wave added, deleted, erased). None when the wave is not a
    live respondent wave or has no sums ready for these metrics.
    """
    key = (stamp, wave, tuple(metrics))
    with _LOCK:
        if key in _HELD:
            _HELD.move_to_end(key)
            return _covered(_HELD[key], segments)
    with reading() as con:
        loaded = _load(con, wave, metrics, segments)
    if not isinstance(loaded, SumsCells):
        return loaded  # no sums, or too many cells to hold: the database added up
    with _LOCK:
        _HELD[key] = loaded
        while len(_HELD) > 1 and sum(c.nbytes for c in _HELD.values()) > HELD_BYTES:
            _HELD.popitem(last=False)
    return _covered(loaded, segments)


def _covered(cells: SumsCells, segments: Sequence[str]) -> StoredSums | None:
    if any(s not in cells.segments for s in segments):
        return None
    return cells.grouped(segments)


def _load(
    con: StoreConnection,
    wave: str,
    metrics: Sequence[str],
    segments: Sequence[str],
) -> SumsCells | StoredSums | None:
    """The cells to hold; the database's sums when they are too many; None: none."""
    if not metrics:
        return None
    live = con.execute(
        "SELECT kind FROM waves WHERE wave = ? AND deleted_at IS NULL", [wave]
    ).fetchone()
    ready = ready_sums(con, wave)
    if live is None or live[0] != "respondents" or ready is None:
        return None
    marks = ", ".join("?" for _ in metrics)
    count = con.execute(
        f"SELECT COUNT(*) FROM {quoted(ready.table)} WHERE metric IN ({marks})",
        list(metrics),
    ).fetchone()
    if count is not None and int(count[0]) > MAX_HELD_ROWS:
        return read_sums(con, wave, metrics, segments)
    return _cells(con, ready, metrics)


def _cells(con: StoreConnection, ready: ReadySums, metrics: Sequence[str]) -> SumsCells:
    """Every kept row of the metrics as stored: one per metric and cell already.

    No ``GROUP BY`` (the sums were grouped when computed) and no ``ORDER BY``
    (:meth:`SumsCells.grouped` orders): the database streams the rows out
    instead of building a hash table of every cell. The keys arrive as
    categories, never as one Python string per row.
    """
    keys = cell_keys(ready.segments, ready.design)
    sums = ", ".join(f"CAST({f} AS {DOUBLE}) AS {f}" for f in SUM_FIELDS)
    marks = ", ".join("?" for _ in metrics)
    frame = con.compact_frame(
        f"SELECT {', '.join(keys)}, {sums} FROM {quoted(ready.table)} "
        f"WHERE metric IN ({marks})",
        list(metrics),
    )
    return SumsCells.of(
        StoredSums(frame, ready.segments, ready.design, ready.row_count)
    )


def forget_held() -> None:
    """Drop every held wave (tests; a server never needs to: stamps move on)."""
    with _LOCK:
        _HELD.clear()
