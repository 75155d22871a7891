"""Footnotes word an interval by the kind of sample behind it, never "credibility"."""

import dataclasses
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.figures.chart import ChartContext
from analysis.figures.sampling import (
    interval_sentence,
    margin_points,
    mean_margin,
    points_text,
    sample_type_of,
)
from analysis.figures.segment import segment_chart
from analysis.figures.text import footnote_text
from analysis.table.estimate import estimate

ROOT = Path(__file__).resolve().parents[2]
Z95 = 1.959963984540054  # scipy.stats.norm.ppf(0.975)


def _as(info, sample_type):
    meta = dataclasses.replace(info.meta, sample_type=sample_type)
    return dataclasses.replace(info, meta=meta)


def _wilson(p, n, z=Z95):
    """Wilson's score interval in closed form (Wilson 1927)."""
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def _rows(*cells, scale="share"):
    """Hand-made EstimateTable rows: (segment_var, estimate, low, high, flag)."""
    return pd.DataFrame(
        [
            {
                "wave": "W",
                "metric": "m",
                "segment_var": var,
                "segment_value": var if var == "total" else f"{var}-{i}",
                "n": 400.0,
                "n_eff": 400.0,
                "estimate": est,
                "ci_low": low,
                "ci_high": high,
                "level": 0.95,
                "method": "wilson",
                "flag": flag,
                "scale": scale,
            }
            for i, (var, est, low, high, flag) in enumerate(cells)
        ]
    )


@pytest.fixture(scope="module")
def demo(demo_store_path):
    from analysis.store.wave_store import WaveStore

    store = WaveStore(demo_store_path)
    rows = estimate(store, ["Demo-2025"], ["churn_unprotected"], ["country"])
    return rows, store.wave("Demo-2025")


# -- the "± x pts" arithmetic ----------------------------------------------------


def test_margin_is_the_larger_half_width_of_wilson_at_p_0_1():
    low, high = _wilson(0.1, 400)
    # Wilson is asymmetric near 0: the upper half-width is the larger
    assert high - 0.1 > 0.1 - low
    rows = _rows(("total", 0.1, low, high, "ok"))
    assert margin_points(rows) == pytest.approx((high - 0.1) * 100)
    assert round((high - 0.1) * 100, 2) == 3.33  # 3.33 points: said as "±3 pts"
    said = interval_sentence(rows, [_probability()], "en")
    assert "up to ±3 pts for the total (Wilson score)" in said  # unweighted: on n
    weighted = rows.assign(n_eff=300.0)
    assert "(Wilson score on the design-based effective base)" in interval_sentence(
        weighted, [_probability()], "en"
    )


def test_margin_takes_the_widest_total_and_ignores_segments_and_low_bases():
    rows = _rows(
        ("total", 0.50, 0.47, 0.53, "ok"),  # ±3
        ("total", 0.20, 0.16, 0.25, "ok"),  # 4 below, 5 above: 5
        ("total", 0.50, 0.30, 0.70, "low_base"),  # ±20, a low base
        ("country", 0.50, 0.40, 0.62, "ok"),  # a segment: wider, not the total's
    )
    assert margin_points(rows) == pytest.approx(5.0)
    segments_only = rows[rows["segment_var"] != "total"]
    assert margin_points(segments_only) == pytest.approx(12.0)


def test_an_index_margin_is_in_index_points():
    rows = _rows(("total", 32.0, 30.5, 33.9, "ok"), scale="index")
    assert margin_points(rows) == pytest.approx(1.9)


def test_a_mean_margin_is_in_the_means_own_units_not_points():
    # a 1–4 scale's mean at 2.50, 2.38 to 2.62: ±0.12 on its own scale, which
    # read ×100 as before would have been "±12 pts"
    mean = _rows(("total", 2.50, 2.38, 2.62, "ok"), scale="mean")
    share = _rows(("total", 0.50, 0.47, 0.53, "ok"))  # ±3 points
    both = pd.concat([share, mean.assign(metric="m_mean")], ignore_index=True)
    assert margin_points(both) == pytest.approx(3.0)
    assert mean_margin(both) == pytest.approx(0.12)
    assert margin_points(mean) is None
    said = interval_sentence(both, [_probability()], "en")
    assert "up to ±3 pts and ±0.12 on the mean score for the total" in said
    alone = interval_sentence(mean, [_probability()], "fr")
    assert "±0,12 sur le score moyen pour l'ensemble" in alone
    assert "point" not in alone


@pytest.mark.parametrize(
    ("value", "lang", "said"),
    [
        (3.33, "en", "3 pts"),
        (2.5, "en", "3 pts"),  # half up, not to even
        (2.49, "en", "2 pts"),
        (1.2, "en", "1 pt"),
        (0.44, "en", "0.4 pts"),
        (0.44, "fr", "0,4\u00a0point"),
        (1.5, "fr", "2\u00a0points"),
        (12.0, "fr", "12\u00a0points"),
    ],
)
def test_points_are_rounded_as_said(value, lang, said):
    assert points_text(value, lang) == said


# -- wording by sample type -------------------------------------------------------


def _probability():
    from datetime import datetime

    from analysis.store.wave import WaveInfo, WaveMeta

    meta = WaveMeta("W", "respondents", "s", "f", "0" * 64, sample_type="probability")
    return WaveInfo(meta, 400, datetime(2025, 1, 1))


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        (["probability"], "probability"),
        (["probability", "probability"], "probability"),
        (["probability", "opt_in"], "opt_in"),
        (["opt_in"], "opt_in"),
        (["opt_in", "unknown"], "unknown"),
        ([], "unknown"),  # no wave record: nothing says what the sample is
    ],
)
def test_waves_together_allow_the_weakest_claim(kinds, expected):
    waves = [_as(_probability(), k) for k in kinds]
    assert sample_type_of(waves) == expected


@pytest.mark.parametrize(
    ("sample_type", "lang", "says", "never"),
    [
        ("probability", "en", "Probability sample: 95% margin of error up to ±", ""),
        (
            "probability",
            "fr",
            "Échantillon probabiliste\u00a0: marge d'erreur à 95",
            "",
        ),
        (
            "opt_in",
            "en",
            "Opt-in panel: the 95% intervals (Wilson score on the design-based "
            "effective base) "
            "assume the weighted sample represents the population; they are not "
            "a margin of sampling error",
            "margin of error up to",
        ),
        (
            "opt_in",
            "fr",
            "Panel à adhésion volontaire\u00a0: les intervalles à 95\u202f% (score de "
            "Wilson sur la base effective selon le plan) supposent que l'échantillon "
            "pondéré "
            "représente la population\u00a0; ce ne sont pas des marges d'erreur "
            "d'échantillonnage",
            "marge d'erreur à",
        ),
        (
            "unknown",
            "en",
            "Sample type not stated: the 95% intervals",
            "margin of error up to",
        ),
        (
            "unknown",
            "fr",
            "Type d'échantillon non précisé\u00a0: les intervalles à 95",
            "marge d'erreur à",
        ),
    ],
)
def test_footnote_wording_by_sample_type(demo, sample_type, lang, says, never):
    rows, info = demo
    wave = _as(info, sample_type)
    chart = segment_chart(
        rows, "churn_unprotected", ChartContext(lang=lang, waves=[wave])
    )
    foot = chart.text.footnote
    assert says in foot
    if never:
        assert never not in foot
    assert "credib" not in foot.lower() and "crédib" not in foot.lower()
    assert foot == footnote_text(
        rows, [wave], lang, codebook=ChartContext().codebook
    )  # the chart's rows are all of these rows


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_probability_footnote_says_the_total_margin_from_the_table(demo, lang):
    rows, info = demo
    foot = footnote_text(rows, [_as(info, "probability")], lang)
    total = rows[rows["segment_var"] == "total"].iloc[0]
    half = max(total.estimate - total.ci_low, total.ci_high - total.estimate) * 100
    said = re.search(r"±(\d+(?:[.,]\d)?)", foot).group(1)
    assert float(said.replace(",", ".")) == math.floor(half + 0.5)
    wider = "wider for segments" if lang == "en" else "plus large pour les segments"
    assert wider in foot


def test_composite_footnote_states_its_base_rule(demo_store_path):
    from analysis.store.wave_store import WaveStore

    store = WaveStore(demo_store_path)
    rows = estimate(store, ["Demo-2025"], ["churn_risk", "trust_index"])
    book = ChartContext().codebook
    one = segment_chart(rows, "churn_risk", ChartContext(lang="fr")).text.footnote
    assert book.metric("churn_risk").base_rule.describe("fr") in one
    both = footnote_text(rows, [], "en", codebook=book)
    for metric in ("churn_risk", "trust_index"):
        rule = book.metric(metric).base_rule.describe("en")
        said = f"{book.metric(metric).label.en} — {rule[0].lower()}{rule[1:]}"
        assert said.rstrip(".") in both


def test_no_frequentist_interval_is_called_credibility_anywhere():
    banned = re.compile(r"credibility|crédibilité|modelled \(", re.IGNORECASE)
    files = [ROOT / "README.md", *(ROOT / "docs").rglob("*.md")]
    files += [*(ROOT / "analysis").rglob("*.py"), *(ROOT / "dashboard").rglob("*.py")]
    said = [
        f"{path.relative_to(ROOT)}:{i}"
        for path in files
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if banned.search(line)
    ]
    assert said == []
