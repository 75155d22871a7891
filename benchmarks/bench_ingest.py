"""Ingest speed: a 200,000-respondent × 40-column CSV, detect → map → validate → store.

Prints the seconds of each step and the ratio to ``pandas.read_csv`` of the
same file alone. The file is generated in a temporary directory; the mapping
comes from a saved profile, as for the second wave of a survey.

    .venv/bin/python benchmarks/bench_ingest.py [--rows 200000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.ingest.column_roles import Overrides
from analysis.ingest.from_file import prepare_file_wave
from analysis.ingest.profile_overrides import detection_profile, profile_overrides
from analysis.ingest.profiles import load_profile, save_profile
from analysis.ingest.questionnaire import detect_questionnaire
from analysis.ingest.readers import read_survey
from analysis.library.codebook import load_codebook
from analysis.store.wave_store import WaveStore

BUDGET = 10.0  # seconds, from the issue


def make_file(path: Path, rows: int) -> None:
    """French labels for every codebook question, segments, weight, metadata."""
    codebook = load_codebook()
    rng = np.random.default_rng(7)
    columns: dict[str, object] = {
        "respondent_id": np.char.add("R", np.arange(rows).astype(str)),
        "country": rng.choice(["France", "Allemagne", "UK", "États-Unis"], rows),
        "age": rng.integers(18, 90, rows),
        "gender": rng.choice(["Femme", "Homme", "Autre"], rows),
        "weight": np.round(rng.lognormal(0, 0.3, rows), 4),
        "Duration (in seconds)": rng.integers(120, 1200, rows),
    }
    for question in codebook.questions.values():
        labels = np.array([text.fr for text in question.labels.values()] + [""])
        columns[question.id] = rng.choice(labels, rows)
    extra = 40 - len(columns)
    for i in range(extra):
        columns[f"extra_{i}"] = rng.integers(0, 100, rows)
    pd.DataFrame(columns).to_csv(path, index=False, sep=";")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    codebook = load_codebook()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "wave.csv"
        make_file(path, args.rows)
        profile = Path(folder) / "profile.yaml"
        first = detect_questionnaire(read_survey(path), codebook)
        save_profile(detection_profile(first), profile)
        asked = {p.header: p.question for p in first.proposals if p.question}
        size = path.stat().st_size / 2**20

        start = time.perf_counter()
        pd.read_csv(path, sep=";")
        baseline = time.perf_counter() - start

        timings: dict[str, float] = {}
        start = time.perf_counter()
        raw = read_survey(path)
        timings["detect + read"] = time.perf_counter() - start
        chosen = profile_overrides(
            load_profile(profile), raw.columns, asked, Overrides()
        )
        timings["map (profile)"] = time.perf_counter() - start - sum(timings.values())
        result = prepare_file_wave(raw, codebook, "BENCH-1", overrides=chosen)
        timings["detect questionnaire + validate"] = (
            time.perf_counter() - start - sum(timings.values())
        )
        assert result.ok and result.wave is not None, result.report.to_text()
        WaveStore(Path(folder) / "store.duckdb").add_wave(result.wave)
        timings["store"] = time.perf_counter() - start - sum(timings.values())
        total = time.perf_counter() - start

    print(f"file: {args.rows:,} rows x 40 columns, {size:.1f} MB (';', UTF-8)")
    for step, seconds in timings.items():
        print(f"  {step:<32} {seconds:6.2f} s")
    print(f"ingest total     {total:6.2f} s  (budget {BUDGET:.0f} s)")
    print(f"pandas.read_csv  {baseline:6.2f} s")
    print(f"ratio            {total / baseline:6.1f}x read_csv alone")
    print(f"rows kept        {result.report.rows_kept:,}")


if __name__ == "__main__":
    main()
