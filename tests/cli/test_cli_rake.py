"""`estimate FILE.csv --rake TARGETS`: rake the file's weights, then estimate.

Reference values from R survey (tests/data/reference/round2_reference.json,
``weighting``, made by tests/data/reference/r/make_round2_reference.R):
``calibrate(svydesign(id=~1, weights=~pw, data=apistrat), ~stype + awards,
population, calfun = "raking")``, then ``svymean`` and ``svyby(~I(sch.wide ==
"Yes"), ~stype, cal, svymean)``.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.cli import main
from analysis.stats.calibration import calibrated_mean
from analysis.stats.design import SurveyDesign
from analysis.stats.weighting import rake

DATA = Path(__file__).parents[1] / "data" / "reference"
R = json.loads((DATA / "round2_reference.json").read_text())["weighting"]


def _main(capsys, *args):
    try:
        status = main([str(a) for a in args])
    except SystemExit as exc:  # argparse errors
        status = exc.code
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """The apistrat rows with an awards column, and apipop's stype and awards counts."""
    folder = tmp_path_factory.mktemp("rake")
    data = pd.read_csv(DATA / "apistrat.csv", dtype={"cds": str})
    data["awards"] = np.where(data["awards_yes"] == 1, "Yes", "No")
    data.to_csv(folder / "apistrat.csv", index=False)
    pop = R["population"]
    targets = {"population_total": pop["N"]} | {v: pop[v] for v in ("stype", "awards")}
    (folder / "apipop.json").write_text(json.dumps(targets))
    return folder


def _rake(capsys, files, *extra):
    status, out, err = _main(
        capsys,
        "estimate",
        files / "apistrat.csv",
        "--yes-column",
        "sch_wide_yes",
        "--weight",
        "pw",
        "--rake",
        files / "apipop.json",
        *extra,
        "--format",
        "json",
    )
    assert status == 0, err
    return json.loads(out)


def test_raked_estimates_and_ses_match_r_calibrate_by_stype(capsys, files):
    rows = _rake(capsys, files, "--by", "stype")
    total, *segments = rows
    assert total["segment"] is None
    assert total["estimate"] == pytest.approx(
        R["calibrate_raking"]["estimate"], abs=1e-6
    )
    assert total["se"] == pytest.approx(R["calibrate_raking"]["se"], abs=1e-6)
    by = {r["stype"]: r for r in R["calibrate_by_stype"]}
    assert [r["segment"] for r in segments] == sorted(by)
    for row in segments:
        ref = by[row["segment"]]
        assert row["estimate"] == pytest.approx(ref["estimate"], abs=1e-6)
        assert row["se"] == pytest.approx(ref["se"], abs=1e-6)
    assert {r["weighting"] for r in rows} == {"apipop"}


def test_n_eff_is_kish_on_the_raked_weights(capsys, files):
    (total,) = _rake(capsys, files)
    w = np.array(R["raked_weights"])
    assert total["n_eff"] == pytest.approx(w.sum() ** 2 / (w**2).sum(), rel=1e-8)


def test_raking_narrows_the_interval_under_logit(capsys, files):
    # raking to awards (which predicts sch.wide) must shrink the SE below the
    # plain weighted one on the same raked weights (rake() reports 0.0191)
    (total,) = _rake(capsys, files, "--ci", "logit")
    assert total["se"] < R["rake_reported"]["se"] - 1e-4
    assert total["ci_low"] < total["estimate"] < total["ci_high"]


def test_cap_gives_the_capped_raking(capsys, files):
    # the raked weights span 0.46–1.49 × their mean: 1.45 must bind
    (free,) = _rake(capsys, files)
    (capped,) = _rake(capsys, files, "--cap", "0.3,1.45")
    data = pd.read_csv(files / "apistrat.csv")
    columns = {v: data[v] for v in ("stype", "awards")}
    targets = {v: R["population"][v] for v in ("stype", "awards")}
    weighting = rake(data["pw"].to_numpy(), columns, targets, cap=(0.3, 1.45))
    assert weighting.weights.max() <= 1.45 * weighting.weights.mean() * (1 + 1e-9)
    design = SurveyDesign(data["pw"].to_numpy())
    direct = calibrated_mean(design, weighting, data["sch_wide_yes"])
    assert capped["estimate"] == pytest.approx(direct.estimate, rel=1e-12)
    assert capped["se"] == pytest.approx(direct.se, rel=1e-9)
    assert capped["estimate"] != pytest.approx(free["estimate"], abs=1e-4)


@pytest.mark.parametrize(
    ("extra", "targets", "message"),
    [
        (["--cap", "3"], None, "--cap '3' must be two numbers LOW,HIGH"),
        ([], {"stype": {"E": 1}, "awards": {"Yes": 1}}, "category stype='H' has no"),
        ([], {"region": {"N": 0.5, "S": 0.5}}, "no column"),
        (["--cap", "0.5,3"], None, "margin 'stype' is still"),
    ],
)
def test_rake_errors_are_one_line(capsys, files, tmp_path, extra, targets, message):
    path = files / "apipop.json"
    if targets is not None:
        path = tmp_path / "bad.json"
        path.write_text(json.dumps(targets))
    status, out, err = _main(
        capsys,
        "estimate",
        files / "apistrat.csv",
        "--yes-column",
        "sch_wide_yes",
        "--weight",
        "pw",
        "--rake",
        path,
        *extra,
    )
    assert status == 2 and out == ""
    assert message in err, err
    assert len(err.strip().splitlines()) == 1


def test_cap_without_rake_is_refused(capsys, files):
    status, _, err = _main(
        capsys,
        "estimate",
        files / "apistrat.csv",
        "--yes-column",
        "sch_wide_yes",
        "--cap",
        "0.3,3",
    )
    assert status == 2 and "--cap applies with --rake" in err


def test_rake_from_the_shell(files):
    # the contract as a script sees it: exit 0 and JSON rows
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis",
            "estimate",
            str(files / "apistrat.csv"),
            "--yes-column",
            "sch_wide_yes",
            "--weight",
            "pw",
            "--rake",
            str(files / "apipop.json"),
            "--by",
            "stype",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 4
