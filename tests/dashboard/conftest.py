"""Fixtures for the dashboard's tests: the served app, waves with own questionnaires."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from analysis.cli import main as cli_main
from analysis.store.questionnaire import Questionnaire
from analysis.store.wave import Wave, WaveMeta
from analysis.store.wave_store import WaveStore
from tests.dashboard.served import Served, serve, stop

CES = Path(__file__).resolve().parents[1] / "data" / "ingest" / "public" / "ces11.sav"
WORDING = "How important is religion to you, in your life?"


def _copy(
    store: WaveStore,
    name: str,
    *,
    seed: int,
    start: date,
    countries: tuple[str, ...] = (),
    segments: bool = True,
    wording: str | None = None,
) -> None:
    """Store a resample of the CES wave under another name (its own questionnaire)."""
    rows = store.load_respondents(["CES-2011"]).drop(columns=["wave"], errors="ignore")
    questionnaire = store.questionnaire("CES-2011")
    picked = np.random.default_rng(seed).choice(len(rows), size=len(rows))
    rows = rows.iloc[picked].reset_index(drop=True)
    rows["respondent_id"] = [f"{name}-{i}" for i in range(len(rows))]
    questions = tuple(
        dataclasses.replace(q, text=wording) if wording and q.id == "importance" else q
        for q in questionnaire.questions
    )
    if not segments:
        rows = rows.drop(columns=list(questionnaire.segments))
    questionnaire = Questionnaire(
        questions=questions,
        segments=questionnaire.segments if segments else (),
        design=questionnaire.design,
    )
    meta = WaveMeta(
        name=name,
        kind="respondents",
        source="a resample of the CES 2011 file, for tests",
        file_name=f"{name}.sav",
        file_sha256=f"{seed:064x}",
        fieldwork_start=start,
        fieldwork_end=start,
        countries=countries,
    )
    store.add_wave(Wave(meta, rows, questionnaire), actor="tests")


@pytest.fixture(scope="session")
def own_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """CES-2011 imported as is, a wave without segments, and a later CES resample.

    None answers a library question. ``NoSegments-2012`` covers another
    country (so it is never CES's previous wave); ``CES-2015`` rewords the
    religion question, so its trend is flagged.
    """
    path = tmp_path_factory.mktemp("own") / "own.duckdb"
    code = cli_main(
        [
            *("ingest", str(CES), "--wave", "CES-2011"),
            *("--fieldwork", "2011-04-01..2011-05-01", "--store", str(path)),
        ]
    )
    assert code == 0
    store = WaveStore(path)
    _copy(
        store,
        "NoSegments-2012",
        seed=1,
        start=date(2012, 5, 1),
        countries=("CA",),
        segments=False,
    )
    _copy(store, "CES-2015", seed=2, start=date(2015, 5, 1), wording=WORDING)
    return path


@pytest.fixture(scope="module")
def served_app() -> Iterator[Callable[..., Served]]:
    """Start the app on a store (``served.serve``'s options); stopped after the module."""
    running: list[Served] = []

    def start(store: Path, **how: Any) -> Served:
        app = serve(store, **how)
        running.append(app)
        return app

    yield start
    for app in running:
        stop(app)
