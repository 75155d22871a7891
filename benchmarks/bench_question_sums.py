"""Benchmark: a wave's own question from the store's cell sums vs from its rows.

Stores one wave of ``--n`` respondents (default 1,000,000) with its own
questionnaire: 20 questions (8 single-choice of 4 answers and a "don't
know", 6 five-point scales with a "don't know", 4 multi-select sets of 5
options, 2 numeric), 4 segment variables (10, 6, 5 and 3 levels), weights
0.3 to 1.7, strata and 120 PSUs (``--design none``: weights only). Prints
the time to store it with and without the answers' sums (the peer: as before,
the library metrics' sums alone: none for this wave), and for each question
type the time of the page's question table
(:func:`analysis.table.question_sums.question_table_from_sums`) against
today's route, the rows read from the store then
:func:`analysis.table.wave_questions.question_table` (the peer), by one
segment within a filter. Prints, never asserts.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_question_sums.py [--n N]
[--design psu|none]``
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.store import sums
from analysis.store.questionnaire import Answer, Design, Question, Questionnaire
from analysis.store.wave import Wave, WaveMeta
from analysis.store.wave_store import WaveStore
from analysis.table.question_sums import question_table_from_sums
from analysis.table.rows import EstimateOptions
from analysis.table.wave_questions import question_table

SEGMENTS = {"country": 10, "age_band": 6, "income": 5, "gender": 3}


def _wave(
    n: int, rng: np.random.Generator, design: str
) -> tuple[pd.DataFrame, Questionnaire]:
    frame = pd.DataFrame({"respondent_id": [f"r{i}" for i in range(n)]})
    for var, k in SEGMENTS.items():
        frame[var] = np.array([f"{var}{i}" for i in range(k)])[rng.integers(0, k, n)]
    frame["weight"] = rng.uniform(0.3, 1.7, n)
    frame["stratum"] = rng.integers(0, 4, n).astype(str)
    frame["psu"] = (frame["stratum"] + "-" + rng.integers(0, 30, n).astype(str)).values
    questions = []
    dk = Answer("9", "DK", excluded=True)
    for i in range(8):
        answers = (*(Answer(str(c), f"A{c}") for c in range(1, 5)), dk)
        questions.append(Question(f"s{i}", f"Single {i}", "single", answers))
        frame[f"s{i}"] = np.array(["1", "2", "3", "4", "9", None], object)[
            rng.integers(0, 6, n)
        ]
    for i in range(6):
        answers = (*(Answer(str(c), f"P{c}") for c in range(1, 6)), dk)
        questions.append(Question(f"sc{i}", f"Scale {i}", "scale", answers))
        frame[f"sc{i}"] = np.array(["1", "2", "3", "4", "5", "9", None], object)[
            rng.integers(0, 7, n)
        ]
    for i in range(4):
        options = tuple(Answer(f"o{c}", f"O{c}") for c in range(5))
        columns = tuple(f"m{i}_o{c}" for c in range(5))
        questions.append(Question(f"m{i}", f"Multi {i}", "multi", options, columns))
        seen = rng.random(n) < 0.9
        for column in columns:
            frame[column] = np.where(seen, (rng.random(n) < 0.3) * 1.0, np.nan)
    for i in range(2):
        questions.append(Question(f"x{i}", f"Numeric {i}", "numeric"))
        frame[f"x{i}"] = np.where(rng.random(n) < 0.05, np.nan, rng.gamma(2, 5, n))
    questionnaire = Questionnaire(
        tuple(questions),
        tuple(SEGMENTS),
        Design("weight", "stratum", "psu") if design == "psu" else Design("weight"),
    )
    return frame, questionnaire


def _store(path: Path, frame: pd.DataFrame, q: Questionnaire, name: str) -> float:
    meta = WaveMeta(
        name=name,
        kind="respondents",
        source="benchmark",
        file_name=f"{name}.csv",
        file_sha256=f"{abs(hash(name)):064d}"[:64],
    )
    start = time.perf_counter()
    WaveStore(path).add_wave(Wave(meta, frame, q), actor="bench")
    return time.perf_counter() - start


def main() -> None:
    """Build, time, print."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--design", choices=["psu", "none"], default="psu")
    args = parser.parse_args()
    n = args.n
    frame, questionnaire = _wave(n, np.random.default_rng(1), args.design)
    print(
        f"{n:,} respondents, 20 questions, design {args.design}, "
        f"load {os.getloadavg()[0]:.2f}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        with_answers = _store(path, frame, questionnaire, "Q")
        real = sums.question_values
        sums.question_values = lambda *a: {}  # type: ignore[assignment]
        try:
            peer = _store(path, frame, questionnaire, "P")
        finally:
            sums.question_values = real
        print(
            f"store with answers' sums {with_answers:.2f} s, "
            f"without (peer) {peer:.2f} s, ratio {with_answers / peer:.2f}"
        )
        store = WaveStore(path)
        opts = EstimateOptions()
        view = {"by": ["age_band"], "filters": {"country": ["country1", "country2"]}}
        for question in ["s0", "sc0", "m0", "x0"]:
            start = time.perf_counter()
            got = question_table_from_sums(
                store, "Q", questionnaire, question, options=opts, **view
            )
            fast = time.perf_counter() - start
            assert got is not None
            start = time.perf_counter()
            rows = store.load_respondents(["Q"])
            question_table(rows, questionnaire, question, options=opts, **view)
            slow = time.perf_counter() - start
            print(
                f"{question}: from sums {fast * 1000:.0f} ms, from rows (peer) "
                f"{slow * 1000:.0f} ms, ratio {fast / slow:.3f}"
            )


if __name__ == "__main__":
    main()
