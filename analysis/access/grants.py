"""Which waves and rows one person may see, and the filter that enforces it.

A grant names waves (none named: every wave) and segment values, e.g.
``{"country": ["FR"]}``: only respondents whose country is FR. Rows are
removed before anything is estimated, so every total, segment, small-base flag
and export is computed on what the person may see, and nothing else leaves the
store for them. A wave whose geography lies inside the grant (its countries
all granted) is shown whole, even without a country column.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.store.wave import WaveInfo

COUNTRY = "country"
"""The segment variable that a wave's geography (``WaveMeta.countries``) describes."""


@dataclass(frozen=True)
class Grants:
    """The waves and segment values someone may see (frozen, hashable, ordered)."""

    waves: frozenset[str] | None = None
    """Wave names; None for every wave."""
    segments: tuple[tuple[str, frozenset[str]], ...] = ()
    """(segment variable, values) pairs, sorted; a row must match every one."""

    @classmethod
    def of(
        cls,
        waves: Iterable[str] | None = None,
        segments: Mapping[str, Iterable[str]] | None = None,
    ) -> Grants:
        """Grants from plain lists, e.g. ``Grants.of(segments={"country": ["FR"]})``."""
        return cls(
            None if waves is None else frozenset(map(str, waves)),
            tuple(
                sorted(
                    (str(var), frozenset(map(str, values)))
                    for var, values in (segments or {}).items()
                )
            ),
        )

    @property
    def everything(self) -> bool:
        """Whether nothing is restricted."""
        return self.waves is None and not self.segments

    def allows_wave(self, name: str) -> bool:
        """Whether the wave is among the granted ones (rows aside)."""
        return self.waves is None or name in self.waves

    def _uncovered(self, info: WaveInfo) -> list[tuple[str, frozenset[str]]]:
        """The restrictions a wave's geography does not already satisfy."""
        countries = set(info.meta.countries)
        return [
            (var, values)
            for var, values in self.segments
            if not (var == COUNTRY and countries and countries <= values)
        ]

    def row_mask(self, frame: pd.DataFrame, info: WaveInfo) -> npt.NDArray[np.bool_]:
        """Which respondent rows of a wave may be seen (a missing column hides all)."""
        keep = np.ones(len(frame), dtype=bool)
        for var, values in self._uncovered(info):
            if var not in frame.columns:
                return np.zeros(len(frame), dtype=bool)
            keep &= frame[var].astype(str).isin(values).to_numpy()
        return keep

    def toplines(self, rows: pd.DataFrame, info: WaveInfo) -> pd.DataFrame:
        """The published rows that may be seen.

        A published total mixes every segment, so it is kept only when the
        wave's geography lies inside the grant; otherwise only the rows of the
        one restricted variable with a granted value are (none when two
        variables are restricted: a published figure is cut one way at a time).
        """
        uncovered = self._uncovered(info)
        if not uncovered:
            return rows
        if len(uncovered) > 1:
            return rows.iloc[0:0]
        var, values = uncovered[0]
        keep = (rows["segment_var"] == var) & rows["segment_value"].astype(str).isin(
            values
        )
        return rows[keep].reset_index(drop=True)

    def token(self) -> str:
        """A canonical text of the grants, for cache keys and the audit trail."""
        return json.dumps(
            {
                "waves": None if self.waves is None else sorted(self.waves),
                "segments": {var: sorted(values) for var, values in self.segments},
            },
            sort_keys=True,
            ensure_ascii=False,
        )

    @classmethod
    def from_token(cls, token: str) -> Grants:
        """The grants :meth:`token` wrote."""
        data = json.loads(token)
        return cls.of(data["waves"], data["segments"])

    def describe(self) -> str:
        """One line for people: ``waves A, B · country FR, DE`` (empty: everything)."""
        parts = [] if self.waves is None else [f"waves {', '.join(sorted(self.waves))}"]
        parts += [f"{var} {', '.join(sorted(values))}" for var, values in self.segments]
        return " · ".join(parts)


EVERYTHING = Grants()
"""No restriction: every wave, every row."""
