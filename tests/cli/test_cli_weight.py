"""`weight --wave W --targets FILE`: a stored wave's named weightings (issue 13).

The command runs in a subprocess, as a user runs it. The wave is R survey's
``apistrat`` (tests/data/reference/apistrat.csv) ingested as a survey file;
reference values from R (tests/data/reference/round2_reference.json,
``weighting``, made by tests/data/reference/r/make_round2_reference.R):
``rake()`` to apipop's ``stype`` and ``awards`` counts with epsilon 1e-12,
and ``calibrate(..., calfun = "raking")``'s estimate and SE of
``sch.wide == "Yes"``. The stored weighting must give the estimates that
``estimate FILE.csv --rake`` gives on the same rows (to 1e-9).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.errors import StoreError
from analysis.store.wave_store import WaveStore

ROOT = Path(__file__).parents[2]
DATA = ROOT / "tests" / "data" / "reference"
R = json.loads((DATA / "round2_reference.json").read_text())["weighting"]
KEYS = [
    "name",
    "iterations",
    "converged",
    "max_margin_gap",
    "efficiency",
    "n_eff",
    "deff",
    "min",
    "max",
    "cv",
    "margins",
]


def _cli(*args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "analysis", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """Apistrat as a survey file stored as wave Api, and apipop's counts."""
    folder = tmp_path_factory.mktemp("weight")
    data = pd.read_csv(DATA / "apistrat.csv", dtype={"cds": str})
    frame = pd.DataFrame(
        {
            "respondent_id": [f"api-{i:03d}" for i in range(len(data))],
            "weight": data["pw"],
            "stype": data["stype"],
            "awards": np.where(data["awards_yes"] == 1, "Yes", "No"),
            "sch_wide": np.where(data["sch_wide_yes"] == 1, "Yes", "No"),
        }
    )
    frame.to_csv(folder / "api.csv", index=False)
    pop = R["population"]
    targets = {"population_total": pop["N"]} | {v: pop[v] for v in ("stype", "awards")}
    (folder / "apipop.json").write_text(json.dumps(targets))
    store = folder / "store.duckdb"
    status, _, err = _cli(
        "ingest", folder / "api.csv", "--wave", "Api", "--store", store
    )
    assert status == 0, err
    status, out, err = _cli(
        "weight", "--wave", "Api", "--targets", folder / "apipop.json",
        "--store", store, "--format", "json",
    )  # fmt: skip
    assert status == 0, err
    return folder, store, json.loads(out), data


def test_the_result_object_is_the_contract(api):
    _, _, result, _ = api
    assert list(result) == KEYS
    assert result["name"] == "apipop" and result["converged"] is True
    assert result["max_margin_gap"] <= 1e-12
    assert 0 < result["efficiency"] <= 1
    assert result["deff"] == pytest.approx(1 / result["efficiency"], rel=1e-12)
    assert result["n_eff"] == pytest.approx(200 * result["efficiency"], rel=1e-12)
    pop = R["population"]
    for variable in ("stype", "awards"):
        cells = result["margins"][variable]
        assert set(cells[0]) == {
            "category",
            "sample_share",
            "target_share",
            "weighted_share",
        }
        for cell in cells:
            share = pop[variable][cell["category"]] / pop["N"]
            assert cell["target_share"] == pytest.approx(share, rel=1e-12)
            assert cell["weighted_share"] == pytest.approx(share, abs=1e-10)


def test_stored_weights_are_r_s_raked_weights(api):
    _, store, result, data = api
    stored = WaveStore(store)
    values = stored.weights("Api", "apipop")
    rows = stored.load_respondents(["Api"])
    by_id = dict(zip(values["respondent_id"], values["weight"], strict=True))
    weights = np.array([by_id[i] for i in rows["respondent_id"]])
    order = {cds: i for i, cds in enumerate(R["cds"])}
    reference = np.array(R["raked_weights"])[[order[c] for c in data["cds"]]]
    np.testing.assert_allclose(weights, reference, rtol=1e-8)
    assert result["min"] == pytest.approx(reference.min(), rel=1e-8)
    assert result["max"] == pytest.approx(reference.max(), rel=1e-8)


def test_stored_estimates_equal_file_mode_raking_and_r(api):
    folder, store, _, _ = api
    status, out, err = _cli(
        "estimate", "--wave", "Api", "--question", "sch_wide", "--answer", "Yes",
        "--weights", "apipop", "--by", "stype", "--store", store, "--format", "json",
    )  # fmt: skip
    assert status == 0, err
    stored = json.loads(out)
    twin = pd.read_csv(folder / "api.csv")
    twin["yes"] = (twin["sch_wide"] == "Yes").astype(int)
    twin.to_csv(folder / "twin.csv", index=False)
    status, out, err = _cli(
        "estimate", folder / "twin.csv", "--yes-column", "yes", "--weight", "weight",
        "--rake", folder / "apipop.json", "--by", "stype", "--format", "json",
    )  # fmt: skip
    assert status == 0, err
    from_file = json.loads(out)
    assert len(stored) == len(from_file) == 4
    for got, want in zip(stored, from_file, strict=True):
        assert got["segment"] == want["segment"]
        for key in ("estimate", "se", "ci_low", "ci_high", "n_eff"):
            assert got[key] == pytest.approx(want[key], rel=1e-9, abs=1e-12), key
    total = stored[0]
    assert total["estimate"] == pytest.approx(
        R["calibrate_raking"]["estimate"], abs=1e-6
    )
    assert total["se"] == pytest.approx(R["calibrate_raking"]["se"], abs=1e-6)


@pytest.mark.parametrize(
    ("targets", "extra", "message"),
    [
        # a category the sample lacks
        ({"stype": {"E": 0.5, "H": 0.2, "M": 0.2, "X": 0.1}}, (), "stype='X'"),
        # an empty target cell for a category the sample has
        ({"stype": {"E": 0.6, "H": 0.4, "M": 0.0}}, (), "stype='M' has no target"),
        # caps too tight for the margins: no convergence, the margin named
        (
            {"stype": {"E": 0.9, "H": 0.05, "M": 0.05}},
            ("--cap", "0.95,1.05"),
            "did not converge",
        ),
    ],
)
def test_bad_targets_are_one_line_errors_and_store_nothing(
    api, tmp_path, targets, extra, message
):
    _, store, _, _ = api
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(targets))
    before = WaveStore(store).audit()
    status, out, err = _cli(
        "weight", "--wave", "Api", "--targets", path, *extra, "--name", "bad",
        "--store", store, "--format", "json",
    )  # fmt: skip
    assert status == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1
    assert [w.name for w in WaveStore(store).weightings("Api")] == ["file", "apipop"]
    assert len(WaveStore(store).audit()) == len(before)


def test_list_default_and_delete_are_audited(api, tmp_path):
    folder, store, _, _ = api
    status, _, err = _cli(
        "weight", "--wave", "Api", "--targets", folder / "apipop.json",
        "--name", "second", "--default", "--cap", "0.3,3", "--store", store,
        "--format", "json",
    )  # fmt: skip
    assert status == 0, err
    status, out, err = _cli(
        "weight", "list", "--wave", "Api", "--store", store, "--format", "json"
    )
    assert status == 0, err
    listed = {w["name"]: w for w in json.loads(out)}
    assert [n for n, w in listed.items() if w["default"]] == ["second"]
    assert listed["second"]["cap"] == [0.3, 3.0]
    respondents = WaveStore(store).load_respondents(["Api"])
    status, out, err = _cli(
        "weight", "delete", "--wave", "Api", "--name", "second", "--store", store
    )
    assert status == 0, err
    after = WaveStore(store)
    pd.testing.assert_frame_equal(after.load_respondents(["Api"]), respondents)
    assert after.weighting("Api").name == "file"
    with pytest.raises(StoreError, match="no weighting named 'second'"):
        after.weights("Api", "second")
    audit = after.audit()
    actions = audit["action"].tolist()
    assert actions[-4:] == [
        "weighting_add",
        "weighting_default",
        "weighting_delete",
        "weighting_default",
    ]
    status, _, err = _cli(
        "weight", "delete", "--wave", "Api", "--name", "file", "--store", store
    )
    assert status == 2 and "cannot be deleted" in err
