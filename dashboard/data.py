"""Cached access to the store for the pages: every number comes from analysis.

Every read goes through :func:`source`, the store cut to the signed-in
person's grants (:class:`analysis.access.source.GrantedSource`), and every
change through :func:`store`, which re-checks their role; caches shared
between sessions key on the grants, so nobody is served another's rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

import numpy as np
import pandas as pd
import streamlit as st

from analysis.access.grants import Grants
from analysis.access.journal import audit_trail
from analysis.access.source import GrantedSource, granted
from analysis.access.store import UserStore
from analysis.errors import StoreError
from analysis.library.codebook import Codebook, load_codebook
from analysis.library.scoring import metric_values
from analysis.store.metrics import AnalystMetric
from analysis.store.questionnaire import Questionnaire
from analysis.store.table_specs import SavedSpec
from analysis.store.wave import WaveInfo
from analysis.store.wave_store import WaveStore
from analysis.store.weightings import StoredWeighting
from analysis.table.estimate import estimate
from analysis.table.question_view import question_view
from analysis.table.rows import EstimateOptions
from analysis.table.sums_view import estimate_from_sums
from dashboard import page, signin
from dashboard.i18n import t
from dashboard.patience import patiently

T = TypeVar("T")
FROM_SUMS = True
"""Answer a view (library metrics, or a wave's own question) from the store's
cell sums when they cover it (else: rows)."""


@st.cache_resource
def codebook() -> Codebook:
    """The codebook, loaded once per server."""
    return load_codebook()


def store() -> UserStore:
    """The store named by $CONFIANCE_STORE, acting for the signed-in person."""
    return UserStore(None, page.access())


def record_export(what: str) -> None:
    """Journal an export of data by the signed-in person."""
    signin.journal().record("export", page.access().actor, what)


def exported(what: str, make: Callable[[], T]) -> Callable[[], T]:
    """``make`` for a download button, journaling the export when it is clicked.

    The person is read now: the click is served outside the script run.
    """
    actor = page.access().actor
    log = signin.journal()

    def export() -> T:
        log.record("export", actor, what)
        return make()

    return export


def source() -> GrantedSource:
    """The cached store as the signed-in person may read it."""
    return granted(_CachedSource(*_key()), page.access().grants)


def _key() -> tuple[str, int]:
    """The store and a stamp that changes whenever the store is written.

    A stat of the file and its write-ahead log costs microseconds; opening
    DuckDB to read the version counter costs tens of milliseconds, several
    times a run. A checkpoint that rewrites the file without changing data
    only costs a cache miss. A PostgreSQL store has no file: its data version
    is one query on a pooled connection.
    """
    held = store()
    if held.backend.kind != "duckdb":
        return held.source, held.version
    path = held.path
    stamps = []
    for part in (path, path.with_name(path.name + ".wal")):
        try:
            info = part.stat()
        except OSError:
            stamps.append((0, 0))
        else:
            stamps.append((info.st_mtime_ns, info.st_size))
    return str(path), hash(tuple(stamps))


@st.cache_resource(show_spinner=False, max_entries=4)
def _store(path: str) -> WaveStore:
    # one per file: its schema is checked once, not at every view
    return WaveStore(path)


@st.cache_data(show_spinner=False)
def _waves(path: str, version: int, include_deleted: bool) -> list[WaveInfo]:
    return _store(path).waves(include_deleted=include_deleted)


def waves(*, include_deleted: bool = False) -> list[WaveInfo]:
    """The waves this person may see, cached until the store changes."""
    return patiently(lambda: source().waves(include_deleted=include_deleted))


def wave_info(name: str) -> WaveInfo:
    """One stored wave's metadata (one this person may see)."""
    return patiently(lambda: source().wave(name))


@st.cache_data(show_spinner=False)
def _segment_levels(path: str, version: int, wave: str) -> dict[str, list[str]]:
    return _store(path).segment_levels(wave)


def segment_levels(wave: str) -> dict[str, list[str]]:
    """Segment variables of a wave and the values this person may see."""
    return patiently(lambda: source().segment_levels(wave))


@st.cache_resource(show_spinner=False, max_entries=16)
def _respondents(path: str, version: int, wave: str) -> pd.DataFrame:
    # shared, never mutated: estimate() only reads it
    return _store(path).load_respondents([wave])


@st.cache_resource(show_spinner=False, max_entries=16)
def _metric_values(path: str, version: int, wave: str) -> dict[str, np.ndarray]:
    # every metric's per-respondent values, so a filter change only re-sums
    frame = _respondents(path, version, wave)
    return {
        m.id: metric_values(frame, m)
        for m in codebook().metrics.values()
        if set(m.questions) <= set(frame.columns)
    }


@st.cache_resource(show_spinner=False, max_entries=64)
def _questionnaire(path: str, version: int, wave: str) -> Questionnaire:
    return _store(path).questionnaire(wave)


@st.cache_resource(show_spinner=False, max_entries=16)
def _toplines(path: str, version: int, wave: str) -> pd.DataFrame:
    return _store(path).load_toplines([wave])


@st.cache_resource(show_spinner=False, max_entries=64)
def _weightings(path: str, version: int, wave: str) -> list[StoredWeighting]:
    return _store(path).weightings(wave)


@st.cache_resource(show_spinner=False, max_entries=16)
def _weights(path: str, version: int, wave: str, name: str) -> pd.DataFrame:
    return _store(path).weights(wave, name)


def weightings(wave: str) -> list[StoredWeighting]:
    """A wave's weightings (its own weight first), cached until the store changes."""

    def read() -> list[StoredWeighting]:
        path, version = _key()
        source().wave(wave)  # a wave this person may see
        return _weightings(path, version, wave)

    return patiently(read)


class _CachedSource:
    """The store as estimate() reads it, with each wave's rows loaded once."""

    def __init__(self, path: str, version: int) -> None:
        self.path, self.version = path, version

    def questionnaire(self, name: str) -> Questionnaire:
        return _questionnaire(self.path, self.version, name)

    def wave(self, name: str) -> WaveInfo:
        found = [w for w in self.waves(include_deleted=True) if w.name == name]
        if not found:
            return _store(self.path).wave(name)  # its error names the waves
        return found[0]

    def waves(self, *, include_deleted: bool = False) -> list[WaveInfo]:
        return _waves(self.path, self.version, include_deleted)

    def segment_levels(self, name: str) -> dict[str, list[str]]:
        return _segment_levels(self.path, self.version, name)

    def load_respondents(self, names: Sequence[str]) -> pd.DataFrame:
        frames = [_respondents(self.path, self.version, n) for n in names]
        return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)

    def metric_values(self, name: str) -> dict[str, np.ndarray]:
        return _metric_values(self.path, self.version, name)

    def load_toplines(self, names: Sequence[str]) -> pd.DataFrame:
        return pd.concat(
            [_toplines(self.path, self.version, n) for n in names], ignore_index=True
        )

    def weighting(self, wave: str, name: str | None = None) -> StoredWeighting:
        found = _weightings(self.path, self.version, wave)
        chosen = [w for w in found if w.name == name or (name is None and w.is_default)]
        if not chosen:
            return _store(self.path).weighting(wave, name)  # its error lists them
        return chosen[0]

    def weights(self, wave: str, name: str) -> pd.DataFrame:
        return _weights(self.path, self.version, wave, name)


@st.cache_data(show_spinner=False, max_entries=256)
def _file_weighted(
    path: str, version: int, waves: Sequence[str], options: EstimateOptions
) -> bool:
    """Whether every wave is estimated on its file's weights, as cell sums are."""
    if not options.weighted:
        return True
    for wave in waves:
        try:
            found = _weightings(path, version, wave)
        except StoreError:  # a toplines wave: no weighting
            continue
        names = {w.name for w in found}
        default = next((w.name for w in found if w.is_default), "file")
        chosen = options.weighting if options.weighting in names else default
        if chosen != "file":
            return False
    return True


def _estimates(
    path: str,
    version: int,
    wave_names: tuple[str, ...],
    metrics: tuple[str, ...] | None,
    by: tuple[str, ...],
    filters: tuple[tuple[str, tuple[str, ...]], ...],
    options: EstimateOptions,
    grants: str,
    from_sums: bool = True,
) -> pd.DataFrame:
    # the grants are part of the key: each person's rows are their own
    access = Grants.from_token(grants)
    if (
        from_sums
        and access.everything
        and _file_weighted(path, version, wave_names, options)
    ):
        # the one switch point: the store's cell sums when they cover the view
        asked = (wave_names, metrics, by, dict(filters), options, codebook())
        table = estimate_from_sums(_store(path), *asked, stamp=version)
        if table is not None:
            return table
    return estimate(
        granted(_CachedSource(path, version), access),
        wave_names,
        metrics,
        by,
        filters=dict(filters),
        options=options,
        codebook=codebook(),
    )


def estimates(
    wave_names: Sequence[str],
    metrics: Sequence[str] | None = None,
    by: Sequence[str] = (),
    filters: Mapping[str, Sequence[str]] | None = None,
    options: EstimateOptions | None = None,
) -> pd.DataFrame:
    """The EstimateTable for a view, cached on the store's version.

    The spinner (in the reader's language) shows only when a computation takes
    long enough to notice: a cached table returns before it appears.
    """
    with st.spinner(t("loading", page.lang())):
        return patiently(
            lambda: _estimates(
                *_key(),
                tuple(wave_names),
                None if metrics is None else tuple(metrics),
                tuple(by),
                tuple(sorted((k, tuple(v)) for k, v in (filters or {}).items())),
                options or EstimateOptions(),
                page.access().grants.token(),
                FROM_SUMS,
            )
        )


def questionnaire(wave: str) -> Questionnaire:
    """A wave's own questionnaire (one this person may see)."""
    return patiently(lambda: source().questionnaire(wave))


def respondents(wave: str) -> pd.DataFrame:
    """A wave's respondents as this person may see them (loaded once per version)."""
    return patiently(lambda: source().load_respondents([wave]))


def metrics() -> list[AnalystMetric]:
    """The analysts' metrics of the waves this person may see."""
    return patiently(lambda: store().metrics())


def audit() -> pd.DataFrame:
    """The store's audit trail and the access journal, oldest first."""
    return patiently(lambda: audit_trail(store()))


def table_specs() -> list[SavedSpec]:
    """Every saved banner-table spec."""
    return patiently(lambda: store().table_specs())


@st.cache_data(show_spinner=False, max_entries=256)
def _question_table(
    path: str,
    version: int,
    wave: str,
    question: str,
    by: tuple[str, ...],
    filters: tuple[tuple[str, tuple[str, ...]], ...],
    options: EstimateOptions,
    grants: str,
    answers: tuple[str, ...] | None,
    from_sums: bool = True,
) -> pd.DataFrame:
    # the grants are part of the key: each person's rows are their own
    access = Grants.from_token(grants)
    reads = granted(_CachedSource(path, version), access)
    sums = (  # the one switch point: the store's cell sums when they cover the view
        from_sums
        and access.everything
        and _file_weighted(path, version, (wave,), options)
    )
    return question_view(
        reads,
        _store(path) if sums else None,
        wave,
        question,
        by=by,
        filters=dict(filters),
        options=options,
        answers=answers,
    )


def question_estimates(
    wave: str,
    question: str,
    by: Sequence[str] = (),
    filters: Mapping[str, Sequence[str]] | None = None,
    options: EstimateOptions | None = None,
    answers: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One question's answers, NETs and mean — or the NET of ``answers`` — cached."""
    with st.spinner(t("loading", page.lang())):
        return patiently(
            lambda: _question_table(
                *_key(),
                wave,
                question,
                tuple(by),
                tuple(sorted((k, tuple(v)) for k, v in (filters or {}).items())),
                options or EstimateOptions(),
                page.access().grants.token(),
                None if answers is None else tuple(answers),
                FROM_SUMS,
            )
        )
