"""The store as one person may read it: the single gate of row-level access.

:class:`GrantedSource` wraps any reader of the store (the :class:`WaveStore`
itself, or the dashboard's cache in front of it) and is a
:class:`~analysis.table.estimate.WaveSource`, so :func:`estimate` and
everything built on it (pages, crosstabs, heatmaps, trends, decks, CSV and
Excel exports, command-line calls made for a person) read through it without
knowing. It hides the waves not granted, removes the rows outside the grants
before anything is estimated, and lists only the segment values left; an
unrestricted person reads the wrapped source untouched.

The rows kept form the sample the person analyses: its own design (weights,
strata, PSUs of those rows), so a base under the thresholds is flagged or
hidden as it is for them. When the grant follows the strata (countries
usually do) the estimates equal a domain estimate of the whole wave.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.access.grants import Grants
from analysis.errors import AccessError, StoreError
from analysis.stats.intervals import FloatArray
from analysis.store.questionnaire import Questionnaire
from analysis.store.wave import WaveInfo
from analysis.store.weightings import FILE_WEIGHTING, StoredWeighting


class StoreReads(Protocol):
    """What :class:`GrantedSource` reads: a WaveStore or a cache in front of one."""

    def wave(self, name: str) -> WaveInfo:
        """One wave's metadata."""
        ...

    def waves(self, *, include_deleted: bool = False) -> list[WaveInfo]:
        """Every wave."""
        ...

    def load_respondents(self, names: Sequence[str]) -> pd.DataFrame:
        """Respondent rows of the named waves."""
        ...

    def load_toplines(self, names: Sequence[str]) -> pd.DataFrame:
        """Toplines rows of the named waves."""
        ...

    def segment_levels(self, name: str) -> dict[str, list[str]]:
        """Segment variables of a respondent wave and their values."""
        ...

    def questionnaire(self, name: str) -> Questionnaire:
        """A wave's questionnaire (its questions, no respondent)."""
        ...


@runtime_checkable
class CachedReads(StoreReads, Protocol):
    """A reader that also keeps each wave's metric values (the dashboard's cache)."""

    def metric_values(self, name: str) -> Mapping[str, FloatArray]:
        """Metric id → per-respondent values of the whole wave."""
        ...


class GrantedSource:
    """A store reader cut to one person's grants (waves, then rows)."""

    def __init__(self, source: StoreReads, grants: Grants) -> None:
        self.source, self.grants = source, grants
        self._masks: dict[str, npt.NDArray[np.bool_]] = {}

    @property
    def restricted(self) -> bool:
        """Whether anything is hidden from this person."""
        return not self.grants.everything

    def waves(self, *, include_deleted: bool = False) -> list[WaveInfo]:
        """The waves this person may see (with at least one row for them)."""
        every = self.source.waves(include_deleted=include_deleted)
        if not self.restricted:
            return every
        return [w for w in every if self._visible(w)]

    def _visible(self, info: WaveInfo) -> bool:
        if not self.grants.allows_wave(info.name):
            return False
        if not self.grants.segments or info.deleted_at is not None:
            return True
        if info.meta.kind == "toplines":
            return len(self._toplines(info.name)) > 0
        return bool(self._mask(info.name).any())

    def wave(self, name: str) -> WaveInfo:
        """One visible wave's metadata; any other is as if it did not exist."""
        if not self.restricted:
            return self.source.wave(name)
        info = None
        if self.grants.allows_wave(name):
            try:
                info = self.source.wave(name)
            except StoreError:  # its message lists every wave: say ours instead
                info = None
        if info is None or not self._visible(info):
            listed = ", ".join(w.name for w in self.waves()) or "none"
            raise AccessError(
                f"no wave named {name!r} among the waves you may see (waves: {listed})"
            )
        return info

    def _check(self, names: Sequence[str]) -> None:
        for name in names:
            if not self.grants.allows_wave(name):
                self.wave(name)  # raises, naming only the visible waves

    def _mask(self, name: str) -> npt.NDArray[np.bool_]:
        if name not in self._masks:
            frame = self.source.load_respondents([name])
            self._masks[name] = self.grants.row_mask(frame, self.source.wave(name))
        return self._masks[name]

    def load_respondents(self, names: Sequence[str]) -> pd.DataFrame:
        """Respondent rows of the named waves, only those granted."""
        if not self.restricted:
            return self.source.load_respondents(names)
        self._check(names)
        frames = [
            self.source.load_respondents([n])[self._mask(n)].reset_index(drop=True)
            for n in names
        ]
        if len(frames) == 1:
            return frames[0]
        return pd.concat(frames, ignore_index=True)

    def _toplines(self, name: str) -> pd.DataFrame:
        rows = self.source.load_toplines([name])
        return self.grants.toplines(rows, self.source.wave(name))

    def load_toplines(self, names: Sequence[str]) -> pd.DataFrame:
        """Published rows of the named waves that the grants allow."""
        if not self.restricted:
            return self.source.load_toplines(names)
        self._check(names)
        return pd.concat([self._toplines(n) for n in names], ignore_index=True)

    def questionnaire(self, name: str) -> Questionnaire:
        """A visible wave's questionnaire (estimates read its links and design)."""
        if self.restricted:
            self.wave(name)  # raises for a wave this person may not see
        return self.source.questionnaire(name)

    def segment_levels(self, name: str) -> dict[str, list[str]]:
        """Segment variables of a wave with the values left in the granted rows."""
        levels = self.source.segment_levels(name)
        if not self.restricted:
            return levels
        frame = self.load_respondents([name])
        return {
            var: sorted(frame[var].dropna().astype(str).unique().tolist())
            for var in levels
            if var in frame.columns
        }

    def weighting(self, wave: str, name: str | None = None) -> StoredWeighting:
        """One weighting of a visible wave (its default for None)."""
        self.wave(wave)  # raises for a wave this person may not see
        reader = getattr(self.source, "weighting", None)
        if reader is None:
            return StoredWeighting(wave, FILE_WEIGHTING, "file", is_default=True)
        found: StoredWeighting = reader(wave, name)
        return found

    def weights(self, wave: str, name: str) -> pd.DataFrame:
        """A stored weighting's values of a visible wave, by respondent pseudonym."""
        self.wave(wave)
        values: pd.DataFrame = self.source.weights(wave, name)  # type: ignore[attr-defined]
        return values


class GrantedCache(GrantedSource):
    """A :class:`GrantedSource` over a cache that keeps metric values per wave."""

    source: CachedReads

    def __init__(self, source: CachedReads, grants: Grants) -> None:
        super().__init__(source, grants)

    def metric_values(self, name: str) -> dict[str, FloatArray]:
        """The cache's per-respondent metric values, cut to the granted rows."""
        values = self.source.metric_values(name)
        if not self.restricted:
            return dict(values)
        self._check([name])
        mask = self._mask(name)
        return {metric: array[mask] for metric, array in values.items()}


def granted(source: StoreReads, grants: Grants) -> GrantedSource:
    """``source`` cut to ``grants``, keeping its cached metric values if it has them."""
    if isinstance(source, CachedReads):
        return GrantedCache(source, grants)
    return GrantedSource(source, grants)
