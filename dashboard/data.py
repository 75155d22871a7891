"""Cached access to the store for the pages: every number comes from analysis."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from analysis.codebook import Codebook, load_codebook
from analysis.metrics import EstimateOptions, estimate
from analysis.store import WaveStore
from analysis.wave import WaveInfo


@st.cache_resource
def codebook() -> Codebook:
    """The codebook, loaded once per server."""
    return load_codebook()


def store() -> WaveStore:
    """The store named by $CONFIANCE_STORE (or data/confiance.duckdb)."""
    return WaveStore()


@st.cache_data(show_spinner=False)
def _waves(path: str, version: int) -> list[WaveInfo]:
    return WaveStore(path).waves()


def waves() -> list[WaveInfo]:
    """Stored waves, cached until the store changes."""
    current = store()
    return _waves(str(current.path), current.version)


@st.cache_data(show_spinner="Computing estimates…")
def _estimates(
    path: str,
    version: int,
    wave_names: tuple[str, ...],
    metrics: tuple[str, ...] | None,
    by: tuple[str, ...],
    options: EstimateOptions,
) -> pd.DataFrame:
    return estimate(
        WaveStore(path), wave_names, metrics, by, options=options, codebook=codebook()
    )


def estimates(
    wave_names: Sequence[str],
    metrics: Sequence[str] | None = None,
    by: Sequence[str] = (),
    options: EstimateOptions | None = None,
) -> pd.DataFrame:
    """The EstimateTable for a view, cached on the store's version."""
    current = store()
    return _estimates(
        str(current.path),
        current.version,
        tuple(wave_names),
        None if metrics is None else tuple(metrics),
        tuple(by),
        options or EstimateOptions(),
    )
