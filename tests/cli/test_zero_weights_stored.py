"""Zero weights reach the store as R's survey keeps them (issue 12, point 5).

A respondent weighted 0 stays in the base n and the design but not in the
estimate; the stored wave and the file mode, given the same rows, agree.
"""

import json

import numpy as np
import pandas as pd
import pytest

from analysis.cli import main


def _run(capsys, *args):
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def zero_weighted(tmp_path):
    """Two hundred answers, a fifth weighted 0, and the file's 0/1 twin."""
    rng = np.random.default_rng(12)
    n = 200
    weight = rng.lognormal(0, 0.5, n)
    weight[::5] = 0.0
    answer = rng.choice(["Yes", "No"], n, p=[0.4, 0.6])
    frame = pd.DataFrame(
        {
            "respondent_id": [f"r{i:03d}" for i in range(n)],
            "weight": weight,
            "country": rng.choice(["France", "Germany"], n),
            "Do you trust brands with your data?": answer,
        }
    )
    survey = tmp_path / "zero.csv"
    frame.to_csv(survey, index=False)
    twin = tmp_path / "twin.csv"
    frame.assign(y=(answer == "Yes").astype(int))[["y", "weight"]].to_csv(
        twin, index=False
    )
    return survey, twin, frame


def test_a_stored_wave_with_zero_weights_matches_file_mode(
    capsys, tmp_path, zero_weighted
):
    survey, twin, frame = zero_weighted
    store = tmp_path / "store.duckdb"
    status, out, err = _run(
        capsys,
        "ingest",
        survey,
        "--wave",
        "Zero-1",
        "--store",
        store,
        "--format",
        "json",
    )
    assert status == 0, err
    checks = {p["check"] for p in json.loads(out)["report"]["problems"]}
    assert "zero_weight" in checks
    status, out, err = _run(
        capsys, "questions", "--wave", "Zero-1", "--store", store, "--format", "json"
    )
    assert status == 0, err
    question = json.loads(out)[0]["id"]
    status, out, err = _run(
        capsys,
        "estimate",
        "--wave",
        "Zero-1",
        "--question",
        question,
        "--answer",
        "Yes",
        "--store",
        store,
        "--format",
        "json",
    )
    assert status == 0, err
    stored = json.loads(out)[0]
    status, out, err = _run(
        capsys,
        "estimate",
        twin,
        "--yes-column",
        "y",
        "--weight",
        "weight",
        "--format",
        "json",
    )
    assert status == 0, err
    from_file = json.loads(out)[0]
    assert stored["n"] == from_file["n"] == len(frame)
    for key in ("estimate", "se", "ci_low", "ci_high"):
        assert stored[key] == pytest.approx(from_file[key], rel=1e-12), key
    w = frame["weight"].to_numpy()
    yes = (frame.iloc[:, 3] == "Yes").to_numpy()
    assert stored["estimate"] == pytest.approx(w[yes].sum() / w.sum(), rel=1e-12)


def test_all_zero_weights_are_refused(capsys, tmp_path, zero_weighted):
    survey, _, frame = zero_weighted
    frame.assign(weight=0.0).to_csv(survey, index=False)
    store = tmp_path / "store.duckdb"
    status, out, _ = _run(
        capsys,
        "ingest",
        survey,
        "--wave",
        "Zero-2",
        "--store",
        store,
        "--format",
        "json",
    )
    assert status == 2
    checks = {p["check"] for p in json.loads(out)["report"]["problems"]}
    assert "zero_weights" in checks
