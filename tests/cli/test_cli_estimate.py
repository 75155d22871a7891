"""The command-line contract of `estimate`, `compare` and `trend`.

Subprocess tests check what a user or a script sees (exit codes, one-line
errors, JSON); the rest call `analysis.cli.main` in-process, which runs the
same code, to keep the suite fast.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.cli import main
from analysis.stats.design import SurveyDesign, design_mean
from analysis.stats.intervals import proportion_ci
from analysis.table.estimate import EstimateOptions, estimate

DATA = Path(__file__).parents[1] / "data" / "reference"
FILE_KEYS = [
    "segment",
    "n",
    "n_eff",
    "n_star",
    "deff",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "method",
    "level",
    "flag",
    "clipped",
]
ROUND3 = json.loads((DATA / "round3_reference.json").read_text())


def _run(*args):
    return subprocess.run(
        [sys.executable, "-m", "analysis", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _main(capsys, *args):
    try:
        status = main([str(a) for a in args])
    except SystemExit as exc:  # argparse errors
        status = exc.code
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(scope="module")
def survey_csv(tmp_path_factory):
    """A weighted 0/1 answer with a 3-level segment and some empty answers."""
    rng = np.random.default_rng(7)
    n = 600
    seg = rng.choice(["north", "south", "west"], n, p=[0.5, 0.35, 0.15])
    y = (rng.random(n) < np.where(seg == "north", 0.6, 0.4)).astype(int).astype(object)
    y[rng.random(n) < 0.05] = ""
    w = np.round(rng.lognormal(0, 0.6, n), 3)
    path = tmp_path_factory.mktemp("csv") / "survey.csv"
    pd.DataFrame({"id": range(n), "region": seg, "answer": y, "w": w}).to_csv(
        path, index=False
    )
    return path


def _truth(path):
    frame = pd.read_csv(path, keep_default_na=False, dtype=str)
    answered = frame["answer"] != ""
    y = np.where(answered, frame["answer"].replace("", "0").astype(float), np.nan)
    return frame, y, frame["w"].astype(float).to_numpy()


def test_weighted_file_json_contract(survey_csv):
    result = _run(
        "estimate",
        survey_csv,
        "--yes-column",
        "answer",
        "--weight",
        "w",
        "--by",
        "region",
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [list(r) for r in rows] == [FILE_KEYS] * 4
    assert [r["segment"] for r in rows] == [None, "north", "south", "west"]
    frame, y, w = _truth(survey_csv)
    design = SurveyDesign(w)
    for row in rows:
        domain = (
            np.ones(len(frame), bool)
            if row["segment"] is None
            else (frame["region"] == row["segment"]).to_numpy()
        )
        keep = domain & ~np.isnan(y)
        # independent numpy sums
        assert row["n"] == keep.sum()
        assert row["n_eff"] == pytest.approx(
            w[keep].sum() ** 2 / (w[keep] ** 2).sum(), rel=1e-12
        )
        assert row["estimate"] == pytest.approx(
            (w[keep] * y[keep]).sum() / w[keep].sum(), rel=1e-12
        )
        # weights: the SE is the linearised one, whatever the interval
        ref = design_mean(design, y, domain=domain)
        assert row["se"] == pytest.approx(ref.se, rel=1e-10)
        # Wilson on n* = p(1 − p)/SE², capped at n (one PSU a row: df = n − 1)
        p = ref.estimate
        n_star = min(p * (1 - p) / ref.se**2, keep.sum())
        assert row["n_star"] == pytest.approx(n_star, rel=1e-10)
        low, high = proportion_ci(p * n_star, n_star, method="wilson")
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), rel=1e-10)
        assert row["method"] == "wilson" and row["level"] == 0.95
        # deff against SRS with replacement on the rows used
        deff = ref.se**2 * (keep.sum() - 1) / (p * (1 - p))
        assert row["deff"] == pytest.approx(deff, rel=1e-10)
        assert row["clipped"] is False
    assert [r["flag"] for r in rows] == ["ok", "ok", "ok", "small_base"]


def test_se_stays_linearised_with_every_interval(capsys, survey_csv):
    _frame, y, w = _truth(survey_csv)
    ref = design_mean(SurveyDesign(w), y)
    for method, label in [
        ("clopper-pearson", "clopper-pearson"),
        ("wilson-kish", "wilson-kish"),
        ("logit", "logit"),
        ("beta", "beta"),
    ]:
        status, out, _ = _main(
            capsys,
            "estimate",
            survey_csv,
            "--yes-column",
            "answer",
            "--weight",
            "w",
            "--ci",
            method,
            "--level",
            "0.9",
        )
        assert status == 0
        row = json.loads(out)[0]
        assert row["se"] == pytest.approx(ref.se, rel=1e-10)
        assert row["method"] == label and row["level"] == 0.9
        if method in ("logit", "wilson-kish"):
            ci = ref.ci(0.9, method)
            assert (row["ci_low"], row["ci_high"]) == pytest.approx((ci.low, ci.high))
        if method == "wilson-kish":  # Wilson on Kish's base
            low, high = proportion_ci(ref.estimate * ref.n_eff, ref.n_eff, level=0.9)
            assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high))


def test_unweighted_file_is_plain_binomial(capsys, survey_csv):
    status, out, _ = _main(
        capsys,
        "estimate",
        survey_csv,
        "--yes-column",
        "answer",
        "--by",
        "region",
        "--ci",
        "jeffreys",
    )
    assert status == 0
    rows = json.loads(out)
    _, y, _ = _truth(survey_csv)
    k, n = np.nansum(y), np.sum(~np.isnan(y))
    low, high = proportion_ci(k, n, method="jeffreys")
    assert rows[0]["n_eff"] == n and rows[0]["estimate"] == pytest.approx(k / n)
    assert rows[0]["se"] == pytest.approx(np.sqrt(k / n * (1 - k / n) / n))
    assert (rows[0]["ci_low"], rows[0]["ci_high"]) == pytest.approx((low, high))
    assert {r["method"] for r in rows} == {"jeffreys"}


def test_stratified_design_matches_r_survey(capsys):
    """apistrat, svydesign(id=~1, strata=~stype, weights=~pw, fpc=~fpc): R survey 4.1.1."""
    ref = json.loads((DATA / "survey_reference.json").read_text())[
        "apistrat_stratified"
    ]
    result = _run(
        "estimate",
        DATA / "apistrat.csv",
        "--yes-column",
        "sch_wide_yes",
        "--weight",
        "pw",
        "--strata",
        "stype",
        "--fpc",
        "fpc",
        "--by",
        "stype",
        "--ci",
        "logit",
    )
    assert result.returncode == 0, result.stderr
    rows = {r["segment"]: r for r in json.loads(result.stdout)}
    assert list(rows) == [None, "E", "H", "M"]
    mean, ciprop = ref["svymean"]["sch_wide_yes"], ref["svyciprop"]["sch_wide_yes"]
    for seg, row in rows.items():
        want = mean["overall"] if seg is None else mean["by_stype"][seg]
        logit = (
            ciprop["overall"]["logit"]
            if seg is None
            else ciprop["by_stype"][seg]["logit"]
        )
        assert row["estimate"] == pytest.approx(want["estimate"], abs=1e-9)
        assert row["se"] == pytest.approx(want["se"], rel=1e-7)
        assert row["ci_low"] == pytest.approx(logit["low"], abs=1e-7)
        assert row["ci_high"] == pytest.approx(logit["high"], abs=1e-7)
    # the same numbers through the clusters option (each school its own PSU)
    status, out, err = _main(
        capsys,
        "estimate",
        DATA / "apistrat.csv",
        "--yes-column",
        "sch_wide_yes",
        "--weight",
        "pw",
        "--strata",
        "stype",
        "--cluster",
        "cds",
        "--fpc",
        "fpc",
        "--format",
        "csv",
    )
    assert status == 0, err
    header, first = out.splitlines()[:2]
    se = first.split(",")[header.split(",").index("se")]
    assert float(se) == pytest.approx(mean["overall"]["se"], rel=1e-7)


@pytest.mark.parametrize(
    "answers",
    [
        # every spelling the contract accepts, with empty = missing
        ["yes", "No", "YES", "", "no"],
        ["true", "false", "TRUE", "", "False"],
        ["oui", "non", "Oui", " ", "NON"],
        ["1", "0", "1", "", "0"],
    ],
)
def test_yes_column_spellings(capsys, tmp_path, answers):
    path = tmp_path / "a.csv"
    pd.DataFrame({"y": answers * 20}).to_csv(path, index=False)
    status, out, err = _main(capsys, "estimate", path, "--yes-column", "y")
    assert status == 0, err
    row = json.loads(out)[0]
    assert row["n"] == 80 and row["estimate"] == pytest.approx(0.5)


def test_csv_format_has_the_same_columns(capsys, survey_csv):
    status, out, _ = _main(
        capsys,
        "estimate",
        survey_csv,
        "--yes-column",
        "answer",
        "--by",
        "region",
        "--format",
        "csv",
    )
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split(",") == FILE_KEYS and len(lines) == 5
    assert lines[1].startswith(",")  # overall row: empty segment


def test_store_mode_rows_are_the_estimate_table(demo_store_path, demo_store):
    result = _run(
        "estimate",
        "--wave",
        "Demo-2019",
        "--metric",
        "churn_unprotected",
        "trust_index",
        "--by",
        "country",
        "--store",
        demo_store_path,
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    table = estimate(
        demo_store, ["Demo-2019"], ["churn_unprotected", "trust_index"], ["country"]
    )
    assert len(rows) == len(table) == 10
    assert rows[0]["segment"] is None and rows[0]["segment_var"] == "total"
    assert {"metric", "wave", "segment_var", "segment_value", *FILE_KEYS} <= set(
        rows[0]
    )
    for row, ref in zip(rows, table.itertuples(), strict=True):
        assert (row["metric"], row["segment_value"], row["n"]) == (
            ref.metric,
            ref.segment_value,
            ref.n,
        )
        assert row["estimate"] == pytest.approx(ref.estimate) and row[
            "se"
        ] == pytest.approx(ref.se)


def test_store_mode_unweighted_and_toplines(capsys, demo_store_path, demo_store):
    status, out, _ = _main(
        capsys,
        "estimate",
        "--wave",
        "RSA-2019",
        "--metric",
        "churn_unprotected",
        "ethical_use_possible",
        "--by",
        "country",  # churn_unprotected's geography is not stated: no total row
        "--store",
        demo_store_path,
    )
    assert status == 0
    rows = json.loads(out)
    assert rows[0]["segment_value"] == "not stated"
    assert rows[0]["n"] is None and rows[0]["ci_low"] is None  # published, no base
    assert rows[1]["n"] == 6387 and rows[1]["ci_low"] is not None
    status, out, _ = _main(
        capsys,
        "estimate",
        "--wave",
        "Demo-2025",
        "--metric",
        "churn_distrust",
        "--unweighted",
        "--ci",
        "agresti-coull",
        "--store",
        demo_store_path,
    )
    ref = estimate(
        demo_store,
        ["Demo-2025"],
        ["churn_distrust"],
        options=EstimateOptions("agresti-coull", weighted=False),
    )
    row = json.loads(out)[0]
    assert row["method"] == "agresti-coull" and row["ci_low"] == pytest.approx(
        ref["ci_low"].iloc[0]
    )


def test_compare_json_gives_letters_and_p_values(capsys, demo_store_path):
    status, out, err = _main(
        capsys,
        "compare",
        "--wave",
        "Demo-2019",
        "--metric",
        "churn_unprotected",
        "--by",
        "age_band",
        "--adjust",
        "bh",
        "--format",
        "json",
        "--store",
        demo_store_path,
    )
    assert status == 0, err
    rows = json.loads(out)
    assert rows[0]["segment"] is None and rows[0]["letter"] is None
    segs = rows[1:]
    assert [r["letter"] for r in segs] == list("ABCDEF")
    assert all(len(r["p_adjusted"]) == 5 and r["adjust"] == "bh" for r in segs)
    assert "A" in segs[-1]["letters"]  # 65+ above 18-24
    assert (
        segs[-1]["p_adjusted"]["A"] < 0.05
        and segs[0]["p_adjusted"]["F"] == segs[-1]["p_adjusted"]["A"]
    )
    status, out, _ = _main(
        capsys,
        "compare",
        "--wave",
        "Demo-2019",
        "--metric",
        "churn_unprotected",
        "--by",
        "age_band",
        "--store",
        demo_store_path,
    )
    assert status == 0 and "holm adjustment over 15 pair(s)" in out


def test_trend_json(capsys, demo_store_path):
    status, out, err = _main(
        capsys,
        "trend",
        "--metric",
        "churn_unprotected",
        "--waves",
        "Demo-2017,Demo-2019,Demo-2025",
        "--by",
        "country",
        "--format",
        "json",
        "--store",
        demo_store_path,
    )
    assert status == 0, err
    rows = json.loads(out)
    assert len(rows) == 10 and rows[0]["segment"] is None
    assert {
        "diff",
        "diff_low",
        "diff_high",
        "p_value",
        "p_adjusted",
        "significant",
        "wave_from",
        "wave_to",
    } <= set(rows[0])
    assert [(r["wave_from"], r["wave_to"]) for r in rows[:2]] == [
        ("Demo-2017", "Demo-2019"),
        ("Demo-2019", "Demo-2025"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["estimate", "{dir}/missing.csv", "--yes-column", "answer"],
            "missing.csv: no such file",
        ),
        (["estimate", "{csv}", "--yes-column", "nope"], "no column(s) ['nope']"),
        (
            ["estimate", "{csv}", "--yes-column", "answer", "--level", "95"],
            "level (95.0) must be between 0 and 1",
        ),
        (
            ["estimate", "{csv}", "--yes-column", "answer", "--ci", "wald"],
            "invalid choice: 'wald'",
        ),
        (
            ["estimate", "{csv}", "--yes-column", "region"],
            "column 'region', row 1 (line 2): 'south'",
        ),
        (
            ["estimate", "{csv}", "--yes-column", "answer", "--weight", "region"],
            "must be a number ≥ 0",
        ),
        (["estimate", "{csv}"], "needs --yes-column"),
        (
            ["estimate", "--wave", "Demo-2019", "--lonely-psu", "adjust"],
            "--lonely-psu apply to FILE.csv",
        ),
        (
            ["estimate", "{csv}", "--yes-column", "answer", "--lonely-psu", "drop"],
            "invalid choice: 'drop'",
        ),
        (
            ["estimate", "{csv}", "--wave", "Demo-2019", "--yes-column", "answer"],
            "not both",
        ),
        (["estimate"], "give FILE.csv"),
        (["estimate", "--wave", "Nope", "--store", "{store}"], "no wave named 'Nope'"),
        (
            [
                "estimate",
                "--wave",
                "Demo-2019",
                "--metric",
                "nope",
                "--store",
                "{store}",
            ],
            "unknown metric 'nope'",
        ),
        (
            [
                "estimate",
                "--wave",
                "Demo-2019",
                "--by",
                "shoe_size",
                "--store",
                "{store}",
            ],
            "shoe_size",
        ),
        (
            [
                "compare",
                "--wave",
                "Demo-2019",
                "--metric",
                "churn_unprotected",
                "--by",
                "country",
                "--adjust",
                "sidak",
                "--store",
                "{store}",
            ],
            "invalid choice",
        ),
        (
            [
                "trend",
                "--metric",
                "churn_unprotected",
                "--waves",
                "Demo-2019",
                "--store",
                "{store}",
            ],
            "two or more waves",
        ),
        (
            [
                "compare",
                "--wave",
                "Demo-2019",
                "--metric",
                "churn_unprotected",
                "--by",
                "country",
                "--alpha",
                "0.1",
                "--level",
                "0.99",
                "--store",
                "{store}",
            ],
            "--alpha 0.1 and --level 0.99 disagree",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys, tmp_path, survey_csv, demo_store_path, args, message
):
    filled = [
        a.format(dir=tmp_path, csv=survey_csv, store=demo_store_path) for a in args
    ]
    status, _out, err = _main(capsys, *filled)
    assert status == 2
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert message in err


def test_bad_rows_are_named_in_a_subprocess(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("y,w\n1,1\n0,1\nmaybe,1\n1,0\n")
    result = _run("estimate", path, "--yes-column", "y", "--weight", "w")
    assert result.returncode == 2 and result.stdout == ""
    assert (
        result.stderr
        == f"error: {path}: column 'y', row 3 (line 4): 'maybe' is not 0/1, true/false, yes/no or oui/non\n"
    )
    result = _run("estimate", path, "--yes-column", "y", "--level", "95")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_file_mode_loads_neither_store_codebook_nor_scipy(survey_csv):
    """Point 10 of issue 9: file mode pays only for pandas and its own modules."""
    code = (
        "import sys, contextlib, io\n"
        "from analysis.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['estimate', {str(survey_csv)!r}, '--yes-column', 'answer',"
        " '--weight', 'w', '--by', 'region']) == 0\n"
        "heavy = ('duckdb', 'yaml', 'scipy', 'analysis.library.codebook')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.fixture(scope="module")
def lonely_csv(tmp_path_factory):
    """Apistrat with school 1 alone in its stratum 'Solo' (round3_reference.json)."""
    frame = pd.read_csv(DATA / "apistrat.csv", dtype={"cds": str})
    frame["st"] = frame["stype"].astype(str)
    frame.loc[0, "st"] = "Solo"
    path = tmp_path_factory.mktemp("lonely") / "lonely.csv"
    frame.to_csv(path, index=False)
    return path


def test_a_lonely_psu_fails_by_naming_its_stratum(capsys, lonely_csv):
    args = ["estimate", lonely_csv, "--yes-column", "sch_wide_yes"]
    status, _out, err = _main(capsys, *args, "--weight", "pw", "--strata", "st")
    assert status == 2 and err.count("\n") == 1
    assert "stratum 'Solo' has a single PSU" in err and "--lonely-psu" in err


@pytest.mark.parametrize("rule", ["adjust", "average", "certainty"])
def test_lonely_psu_rules_match_r(capsys, lonely_csv, rule):
    """R survey 4.1.1, options(survey.lonely.psu = rule): round3_reference.json."""
    ref = next(
        r
        for r in ROUND3["lonely_psu"]
        if r["rule"] == rule and r["design"] == "apistrat"
    )
    status, out, err = _main(
        capsys,
        "estimate",
        lonely_csv,
        "--yes-column",
        "sch_wide_yes",
        "--weight",
        "pw",
        "--strata",
        "st",
        "--by",
        "stype",
        "--lonely-psu",
        rule,
    )
    assert status == 0, err
    rows = json.loads(out)
    assert rows[0]["se"] == pytest.approx(ref["se"], rel=1e-9)
    assert [r["segment"] for r in rows[1:]] == ref["by_stype"]["stype"]
    for row, se in zip(rows[1:], ref["by_stype"]["se"], strict=True):
        assert row["se"] == pytest.approx(se, rel=1e-9)


def test_zero_weights_are_accepted_as_r_accepts_them(capsys, tmp_path):
    """R survey 4.1.1 with four weights set to 0: round3_reference.json."""
    ref = ROUND3["zero_weights"]
    frame = pd.read_csv(DATA / "apistrat.csv", dtype={"cds": str})
    frame.loc[np.array(ref["rows"]) - 1, "pw"] = 0.0
    path = tmp_path / "zero.csv"
    frame.to_csv(path, index=False)
    args = ["--weight", "pw", "--strata", "stype", "--fpc", "fpc", "--ci", "beta"]
    status, out, err = _main(
        capsys, "estimate", path, "--yes-column", "sch_wide_yes", *args
    )
    assert status == 0, err
    row = json.loads(out)[0]
    assert row["n"] == ref["nrow"]
    assert row["estimate"] == pytest.approx(ref["estimate"], rel=1e-9)
    assert row["se"] == pytest.approx(ref["se"], rel=1e-9)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(
        (ref["beta_low"], ref["beta_high"]), rel=1e-9
    )


def test_shown_bounds_are_clipped_and_say_so(capsys, tmp_path):
    # 29 yes of 30: estimate ± t·SE passes 100 %
    path = tmp_path / "high.csv"
    pd.DataFrame({"y": [1] * 29 + [0], "w": np.linspace(1, 2, 30)}).to_csv(
        path, index=False
    )
    args = ["estimate", path, "--yes-column", "y", "--weight", "w"]
    status, out, _ = _main(capsys, *args, "--ci", "mean")
    row = json.loads(out)[0]
    assert status == 0 and row["ci_high"] == 1.0 and row["clipped"] is True
    status, out, _ = _main(capsys, *args)
    assert json.loads(out)[0]["clipped"] is False  # Wilson stays inside


def test_all_yes_cell_is_degenerate_with_an_exact_bound(capsys, tmp_path):
    path = tmp_path / "all.csv"
    pd.DataFrame({"y": [1] * 40, "w": np.linspace(1, 3, 40)}).to_csv(path, index=False)
    status, out, _ = _main(
        capsys, "estimate", path, "--yes-column", "y", "--weight", "w"
    )
    row = json.loads(out)[0]
    assert status == 0 and row["flag"] == "degenerate" and row["se"] == 0.0
    low, high = proportion_ci(row["n_eff"], row["n_eff"], method="clopper-pearson")
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high))
    assert row["method"] == "clopper-pearson-kish" and row["ci_low"] < 0.95


def test_compare_alpha_is_the_level_said_the_other_way(capsys, demo_store_path):
    base = [
        "compare",
        "--wave",
        "Demo-2019",
        "--metric",
        "churn_unprotected",
        "--by",
        "age_band",
        "--format",
        "json",
        "--store",
        demo_store_path,
    ]
    _, by_alpha, err = _main(capsys, *base, "--alpha", "0.1")
    assert "α = 0.1" in err
    _, by_level, _ = _main(capsys, *base, "--level", "0.9")
    assert json.loads(by_alpha) == json.loads(by_level)
    assert {r["level"] for r in json.loads(by_alpha)} == {0.9}
    _, default, err = _main(capsys, *base)
    assert "α = 0.05" in err and {r["level"] for r in json.loads(default)} == {0.95}
