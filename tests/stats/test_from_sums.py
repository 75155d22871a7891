"""Estimates from per-cell sums equal the rows' estimates, for any design.

The reference is :func:`analysis.table.rows.estimate_rows` on the respondent
rows (itself checked against R's survey in tests/stats and tests/table); the
sums come from the store's SQL (:func:`analysis.store.sums.sums_sql`) run by
DuckDB on the same rows. Random waves, designs (strata, PSUs, fpc, lonely-PSU
rules), weights (zeros included), missing answers and segment labels,
filters, every interval method.
"""

from types import SimpleNamespace

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.methods import INTERVAL_METHODS
from analysis.stats.design import SurveyDesign
from analysis.store.sums import StoredSums, SumsDesign, sums_sql
from analysis.table.rows import COVARIANCE, EstimateOptions, estimate_rows
from analysis.table.sums_view import sums_table

NUMBERS = ["n", "n_eff", "n_star", "deff", "estimate", "se", "ci_low", "ci_high"]
TEXT = ["wave", "metric", "segment_var", "segment_value", "method", "flag", "scale"]


@st.composite
def waves(draw):
    """A random wave: rows, segments, a design and one metric's values."""
    n = draw(st.integers(12, 120))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"id": np.arange(n)})
    for var, k in (("region", draw(st.integers(1, 4))), ("age", 3)):
        labels = np.array([f"{var}{i}" for i in range(k)], dtype=object)
        values = labels[rng.integers(0, k, n)]
        if draw(st.booleans()):
            values[rng.random(n) < 0.1] = None  # unknown segment: in no segment
        frame[var] = values
    weights = rng.gamma(2.0, 1.0, n)
    if draw(st.booleans()):
        weights[rng.random(n) < 0.1] = 0.0
    weights[0] = 1.0
    frame["weight"] = weights
    index = draw(st.booleans())
    y = rng.uniform(0, 100, n).round(1) if index else (rng.random(n) < 0.4) * 1.0
    y[rng.random(n) < draw(st.sampled_from([0.0, 0.15]))] = np.nan
    frame["y"] = y
    kind = draw(st.sampled_from(["none", "strata", "clusters", "both", "fpc"]))
    if kind in ("strata", "both", "fpc"):
        frame["stratum"] = rng.integers(0, draw(st.integers(1, 3)), n)
    if kind in ("clusters", "both"):
        frame["psu"] = rng.integers(0, draw(st.integers(2, 8)), n)
    if kind == "fpc":
        sizes = {h: 3 * n + 7 * h for h in range(3)}
        frame["fpc"] = frame["stratum"].map(sizes).astype(float)
    design = SumsDesign(
        strata="stratum" if "stratum" in frame else None,
        cluster="psu" if "psu" in frame else None,
        fpc="fpc" if "fpc" in frame else None,
        lonely_psu=draw(st.sampled_from(["adjust", "certainty", "average"])),
    )
    return frame, design, index


def _stored(frame, design):
    con = duckdb.connect()
    con.register("incoming", frame)
    con.execute("CREATE TABLE wave AS SELECT * FROM incoming")
    sql = sums_sql("wave", ["region", "age"], {"m": '"y"'}, design)
    sums = con.execute(sql).df()
    rows = con.execute("SELECT * FROM wave ORDER BY id").df()
    con.close()
    return StoredSums(sums, ("region", "age"), design, len(frame)), rows


def _from_rows(rows, design, by, filters, opts, index):
    survey = SurveyDesign(
        np.ones(len(rows)) if not opts.weighted else rows["weight"].to_numpy(),
        strata=None if design.strata is None else rows[design.strata],
        clusters=None if design.cluster is None else rows[design.cluster],
        fpc=None if design.fpc is None else rows[design.fpc].to_numpy(),
        lonely_psu=design.lonely_psu,
        weighted=opts.weighted,
    )
    keep = np.ones(len(rows), dtype=bool)
    for var, values in filters.items():
        keep &= rows[var].astype(str).isin(values).to_numpy()
    return estimate_rows(
        survey,
        {"m": rows["y"].to_numpy()},
        {var: rows[var] for var in by},
        opts,
        scales={"m": "index" if index else "share"},
        within=keep,
        wave="W",
    )


def assert_same(got, want, rtol=1e-12):
    """Equal to ``rtol`` (relative, or absolute near 0), text and flags exactly."""
    assert got is not None
    assert len(got) == len(want)
    for column in TEXT:
        assert got[column].tolist() == want[column].tolist(), column
    assert got["clipped"].tolist() == want["clipped"].tolist()
    for column in NUMBERS:
        a = got[column].to_numpy(dtype=float, na_value=np.nan)
        b = want[column].to_numpy(dtype=float, na_value=np.nan)
        np.testing.assert_allclose(a, b, rtol=rtol, atol=1e-12, err_msg=column)
    cov_a, cov_b = got.attrs.get(COVARIANCE, {}), want.attrs.get(COVARIANCE, {})
    assert cov_a.keys() == cov_b.keys()
    # a covariance near 0 is a difference of terms of the variances' size;
    # when every SE is 0 (one answer everywhere) both are rounding around 0
    # (1e-33 from rows, 0 exactly from sums by code): a floor of 1e-24
    se = want["se"].to_numpy(dtype=float, na_value=np.nan)
    scale = np.nanmax(se**2) if np.isfinite(se).any() else 0.0
    for key, value in cov_b.items():
        np.testing.assert_allclose(
            cov_a[key], value, rtol=rtol, atol=1e-12 * scale + 1e-24
        )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    wave=waves(),
    by=st.sampled_from([(), ("region",), ("age",), ("region", "age")]),
    filtered=st.booleans(),
    method=st.sampled_from(INTERVAL_METHODS),
    weighted=st.booleans(),
)
def test_sums_give_the_rows_numbers(wave, by, filtered, method, weighted):
    frame, design, index = wave
    stored, rows = _stored(frame, design)
    filters = {"age": ["age0", "age2"]} if filtered else {}
    opts = EstimateOptions(method=method, weighted=weighted, thresholds=(20, 5, 2))
    metric = SimpleNamespace(id="m", kind="index" if index else "proportion")
    want = _from_rows(rows, design, by, filters, opts, index)
    got = sums_table(stored, [metric], by, filters, opts, wave="W")
    assert_same(got, want)


def test_a_segment_the_sums_do_not_cover_reads_the_rows():
    frame = pd.DataFrame(
        {
            "id": range(4),
            "region": list("abab"),
            "age": list("xxyy"),
            "weight": 1.0,
            "y": [1.0, 0.0, 1.0, 1.0],
            "q9": [1, 2, 1, 2],
        }
    )
    stored, _ = _stored(frame, SumsDesign())
    metric = SimpleNamespace(id="m", kind="proportion")
    assert sums_table(stored, [metric], ["q9"]) is None
    assert sums_table(stored, [metric], [], {"q9": ["1"]}) is None


def test_a_design_the_rows_refuse_reads_the_rows():
    """A lonely PSU under 'fail': the rows' route raises, worded for the rows."""
    frame = pd.DataFrame(
        {
            "id": range(4),
            "region": list("abab"),
            "age": list("xxyy"),
            "weight": 1.0,
            "y": [1.0, 0.0, 1.0, 1.0],
            "stratum": [0, 0, 0, 1],
        }
    )
    stored, _ = _stored(frame, SumsDesign(strata="stratum"))
    metric = SimpleNamespace(id="m", kind="proportion")
    assert sums_table(stored, [metric], ["region"]) is None


@pytest.mark.parametrize("kind", ["proportion", "index"])
def test_a_simple_wave_by_hand(kind):
    """Two cells by hand: p̂ = Σwy/Σw and n, the closed forms."""
    frame = pd.DataFrame(
        {
            "id": range(4),
            "region": list("aabb"),
            "age": list("xyxy"),
            "weight": [1.0, 3.0, 2.0, 2.0],
            "y": [1.0, 0.0, 1.0, np.nan],
        }
    )
    stored, _ = _stored(frame, SumsDesign())
    metric = SimpleNamespace(id="m", kind=kind)
    opts = EstimateOptions(thresholds=(0, 0, 0))
    got = sums_table(stored, [metric], ["region"], options=opts)
    assert got["segment_value"].tolist() == ["total", "a", "b"]
    np.testing.assert_allclose(got["estimate"], [3 / 6, 1 / 4, 1.0])
    assert got["n"].tolist() == [3, 2, 1]
