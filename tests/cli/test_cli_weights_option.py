"""``--weights NAME`` / ``--unweighted`` on ``compare``, ``trend`` and ``export``.

The demo store gives every respondent wave a stored raking ``census`` beside
the file's own weights (the default). Each command under ``--weights census``
must give the numbers ``estimate --weights census`` gives for the same wave
and metric — which tests/cli/test_cli_weight.py holds to R's
``survey::calibrate`` — and differ from the default, since the raking moves
the estimates. The total share is also checked against its closed form
Σwy/Σw on the stored weights. Errors are one line, exit status 2, and leave
the store as it was.
"""

import json
import shutil

import numpy as np
import pytest
from pptx import Presentation

from analysis.cli import main
from analysis.store.wave_store import WaveStore
from analysis.table.estimate import estimate
from analysis.table.rows import EstimateOptions
from analysis.table.trends import trend_table

WAVE = "Demo-2025"
METRIC = "churn_unprotected"  # leave_unprotected answered Yes (1), of Yes or No
WAVES = ("Demo-2017", "Demo-2019", "Demo-2025")


def _run(capsys, *args):
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def _json(capsys, *args):
    status, out, err = _run(capsys, *args, "--format", "json")
    assert status == 0, err
    return json.loads(out)


def _estimate(capsys, store, wave, *weighting):
    """``estimate --wave W --metric M --by country`` rows, total first."""
    return _json(
        capsys, "estimate", "--wave", wave, "--metric", METRIC, "--by", "country",
        *weighting, "--store", store,
    )  # fmt: skip


def _compare(capsys, store, *weighting):
    return _json(
        capsys, "compare", "--wave", WAVE, "--metric", METRIC, "--by", "country",
        *weighting, "--store", store,
    )  # fmt: skip


def _same_numbers(got, want):
    assert [r["segment"] for r in got] == [r["segment"] for r in want]
    for a, b in zip(got, want, strict=True):
        for key in ("n", "estimate", "se", "ci_low", "ci_high", "n_eff"):
            assert a[key] == pytest.approx(b[key], rel=1e-12, abs=1e-15), key


def _closed_form_share(store, weights):
    """Σw·[Yes] / Σw over those answering Yes or No (Don't know leaves the base)."""
    rows = store.load_respondents([WAVE])
    by_id = weights.set_index("respondent_id")["weight"]
    w = rows["respondent_id"].map(by_id).to_numpy(dtype=float)
    code = rows["leave_unprotected"].astype(str).to_numpy()
    base = np.isin(code, ["1", "2"])
    return float((w * (code == "1"))[base].sum() / w[base].sum())


# compare ---------------------------------------------------------------------


def test_compare_under_a_stored_weighting_is_estimate_s(demo_store_path, capsys):
    rows = _compare(capsys, demo_store_path, "--weights", "census")
    _same_numbers(rows, _estimate(capsys, demo_store_path, WAVE, "--weights", "census"))
    assert {r["weighting"] for r in rows} == {"census"}
    store = WaveStore(demo_store_path)
    assert rows[0]["estimate"] == pytest.approx(
        _closed_form_share(store, store.weights(WAVE, "census")), rel=1e-12
    )
    default = _compare(capsys, demo_store_path)
    assert {r["weighting"] for r in default} == {"file"}
    assert abs(rows[0]["estimate"] - default[0]["estimate"]) > 0.01
    # the letters are tested on the raking's own (calibration) variances
    assert [r["letter"] for r in rows] == [None, "A", "B", "C", "D"]
    assert all(set(r["p_values"]) == {"A", "B", "C", "D"} - {r["letter"]}
               for r in rows[1:])  # fmt: skip


def test_compare_unweighted_is_estimate_unweighted(demo_store_path, capsys):
    rows = _compare(capsys, demo_store_path, "--unweighted")
    _same_numbers(rows, _estimate(capsys, demo_store_path, WAVE, "--unweighted"))
    assert all(r["n_eff"] == r["n"] for r in rows)
    assert {r["weighting"] for r in rows} == {""}


def test_compare_s_table_names_the_weighting(demo_store_path, capsys):
    status, out, err = _run(
        capsys, "compare", "--wave", WAVE, "--metric", METRIC, "--by", "country",
        "--weights", "census", "--store", demo_store_path,
    )  # fmt: skip
    assert status == 0, err
    head, columns, total = out.splitlines()[:3]
    assert head.endswith("weighting: census")
    assert columns.split()[-1] == "weighting" and total.split()[-1] == "census"


# trend -----------------------------------------------------------------------


def _trend(capsys, store, *weighting):
    return _json(
        capsys, "trend", "--metric", METRIC, "--waves", ",".join(WAVES), "--by",
        "country", *weighting, "--store", store,
    )  # fmt: skip


def test_trend_estimates_every_wave_under_the_named_weighting(demo_store_path, capsys):
    rows = _trend(capsys, demo_store_path, "--weights", "census")
    each = {
        w: {r["segment"]: r for r in _estimate(capsys, demo_store_path, w,
                                               "--weights", "census")}
        for w in WAVES
    }  # fmt: skip
    assert len(rows) == 2 * 5  # two steps, the total and four countries
    for row in rows:
        before = each[row["wave_from"]][row["segment"]]["estimate"]
        after = each[row["wave_to"]][row["segment"]]["estimate"]
        assert row["estimate_from"] == pytest.approx(before, rel=1e-12)
        assert row["estimate_to"] == pytest.approx(after, rel=1e-12)
        assert row["diff"] == pytest.approx(after - before, rel=1e-9)
        assert row["weighting_from"] == row["weighting_to"] == "census"
    default = _trend(capsys, demo_store_path)
    assert {r["weighting_from"] for r in default} == {"file"}
    moved = [
        abs(a["estimate_to"] - b["estimate_to"])
        for a, b in zip(rows, default, strict=True)
    ]
    assert max(moved) > 0.01


def test_trend_s_tests_are_the_library_s_under_the_weighting(demo_store_path, capsys):
    rows = _trend(capsys, demo_store_path, "--weights", "census")
    opts = EstimateOptions(weighting="census")
    table = estimate(WaveStore(demo_store_path), WAVES, [METRIC], ["country"],
                     None, opts)  # fmt: skip
    library = trend_table(table, WAVES)
    assert len(library) == len(rows)
    for row, want in zip(rows, library.itertuples(index=False), strict=True):
        assert (row["wave_from"], row["segment_value"]) == (
            want.wave_from,
            want.segment_value,
        )
        for key in ("diff_low", "diff_high", "p_value", "p_adjusted"):
            assert row[key] == pytest.approx(getattr(want, key), rel=1e-12), key


def test_trend_unweighted(demo_store_path, capsys):
    rows = _trend(capsys, demo_store_path, "--unweighted")
    totals = [r for r in rows if r["segment"] is None]
    unweighted = [
        _estimate(capsys, demo_store_path, w, "--unweighted")[0]["estimate"]
        for w in WAVES
    ]
    assert [r["estimate_from"] for r in totals] == pytest.approx(unweighted[:2])
    assert [r["estimate_to"] for r in totals] == pytest.approx(unweighted[1:])
    assert {r["weighting_to"] for r in rows} == {""}


# export ----------------------------------------------------------------------


def _deck(capsys, store, out, monkeypatch, *args):
    """Export as native PPTX charts (no browser); the deck's charts and texts."""
    monkeypatch.setenv("CONFIANCE_CHROMIUM", str(out / "no-browser"))
    status, printed, err = _run(
        capsys, "export", "--wave", WAVE, "--by", "country", *args,
        "--format", "pptx", "--native-charts", "--out", out, "--store", store,
    )  # fmt: skip
    assert status == 0, err
    deck = Presentation(printed.strip())
    shapes = [s for page in deck.slides for s in page.shapes]
    charts = [list(s.chart.plots[0].series[0].values) for s in shapes if s.has_chart]
    texts = " ".join(s.text_frame.text for s in shapes if s.has_text_frame)
    return charts, texts


@pytest.mark.parametrize(
    ("asked", "estimated"),
    [
        # a library metric, and the wave's own question (NET of one answer)
        (("--metric", METRIC), ("--metric", METRIC)),
        (
            ("--question", "leave_unprotected", "--answer", "Yes"),
            ("--question", "leave_unprotected", "--answer", "Yes"),
        ),
    ],
)
def test_export_charts_are_estimate_s_numbers_under_the_weighting(
    demo_store_path, capsys, tmp_path, monkeypatch, asked, estimated
):
    [chart], said = _deck(
        capsys, demo_store_path, tmp_path / "census", monkeypatch,
        *asked, "--weights", "census",
    )  # fmt: skip
    want = _json(
        capsys, "estimate", "--wave", WAVE, *estimated, "--by", "country",
        "--weights", "census", "--store", demo_store_path,
    )  # fmt: skip
    assert {r["weighting"] for r in want} == {"census"}
    assert chart == pytest.approx([r["estimate"] for r in want], rel=1e-12)
    assert "targets census" in said  # the footnote names the raking
    [default], plain = _deck(
        capsys, demo_store_path, tmp_path / "default", monkeypatch, *asked
    )
    assert abs(chart[0] - default[0]) > 0.01
    assert "targets census" not in plain
    [unweighted], _ = _deck(
        capsys, demo_store_path, tmp_path / "none", monkeypatch, *asked,
        "--unweighted",
    )  # fmt: skip
    want = _json(
        capsys, "estimate", "--wave", WAVE, *estimated, "--by", "country",
        "--unweighted", "--store", demo_store_path,
    )  # fmt: skip
    assert unweighted == pytest.approx([r["estimate"] for r in want], rel=1e-12)


# errors ----------------------------------------------------------------------


def _stored(path):
    """What a failed command must leave as it was: audit and weightings."""
    store = WaveStore(path)
    weightings = {w: [x.name for x in store.weightings(w)] for w in WAVES}
    return len(store.audit()), weightings


COMMANDS = {
    "compare": ("compare", "--wave", WAVE, "--metric", METRIC, "--by", "country"),
    "trend": ("trend", "--metric", METRIC, "--waves", ",".join(WAVES)),
    "export": ("export", "--wave", WAVE, "--format", "pptx", "--native-charts"),
    "estimate": ("estimate", "--wave", WAVE, "--metric", METRIC),
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize(
    ("weighting", "message"),
    [
        (
            ("--weights", "bogus"),
            "error: wave Demo-2017 has no weighting named 'bogus' (file, census)",
        ),
        (
            ("--weights", "census", "--unweighted"),
            "error: give --weights NAME or --unweighted, not both",
        ),
    ],
)
def test_errors_are_one_line_exit_2_and_store_nothing(
    demo_store_path, capsys, tmp_path, command, weighting, message
):
    before = _stored(demo_store_path)
    out = tmp_path / "slides"
    args = [*COMMANDS[command], *weighting, "--store", demo_store_path]
    if command == "export":
        args += ["--out", out]
    status, printed, err = _run(capsys, *args)
    assert status == 2 and printed == ""
    # trend names its first wave; the others have one wave, Demo-2025
    wanted = message if command == "trend" else message.replace("Demo-2017", WAVE)
    assert err.splitlines() == [wanted]
    assert _stored(demo_store_path) == before
    assert not out.exists()


@pytest.fixture(scope="module")
def census_gap(tmp_path_factory, demo_store_path):
    """A copy of the demo whose Demo-2019 has lost its census raking."""
    path = tmp_path_factory.mktemp("gap") / "demo.duckdb"
    shutil.copyfile(demo_store_path, path)
    args = ["weight", "delete", "--wave", "Demo-2019", "--name", "census"]
    assert main([*args, "--store", str(path)]) == 0
    return path


def test_trend_names_the_wave_without_the_weighting(census_gap, capsys):
    before = _stored(census_gap)
    status, out, err = _run(
        capsys, "trend", "--metric", METRIC, "--waves", ",".join(WAVES),
        "--weights", "census", "--store", census_gap,
    )  # fmt: skip
    assert status == 2 and out == ""
    assert err.splitlines() == [
        "error: wave Demo-2019 has no weighting named 'census' (file)"
    ]
    assert _stored(census_gap) == before
    # its default still serves a trend that names no weighting
    status, out, err = _run(
        capsys, "trend", "--metric", METRIC, "--waves", ",".join(WAVES),
        "--store", census_gap, "--format", "json",
    )  # fmt: skip
    assert status == 0, err
    assert {r["weighting_to"] for r in json.loads(out)} == {"file"}


def test_published_toplines_have_no_stored_weighting(demo_store_path, capsys):
    status, out, err = _run(
        capsys, "trend", "--metric", "expect_personalisation", "--waves",
        "Segment-2017,Demo-2019", "--weights", "census", "--store", demo_store_path,
    )  # fmt: skip
    assert status == 2 and out == ""
    assert err.splitlines() == [
        "error: wave Segment-2017 holds published toplines: it has no weighting "
        "named 'census'"
    ]


@pytest.mark.parametrize("command", ["compare", "trend", "export"])
def test_help_says_weights_and_unweighted(capsys, command):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    out = capsys.readouterr().out
    assert "--weights NAME" in out and "--unweighted" in out
