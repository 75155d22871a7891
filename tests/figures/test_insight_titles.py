"""Every insight title is read off the rows its chart draws, like with like.

For every chart builder, segment variable and language on the demo store, the
numbers a title quotes are parsed back out of it and looked up in the chart's
own rows: each must be a testable row's estimate as the chart writes it, and
the rows a title compares must share a scale (shares with shares, 0–100
indices with indices). A gap headline must also be the widest gap among the
metrics of its scale, shares first.
"""

import re

import pytest

from analysis.figures.chart import ChartContext
from analysis.figures.heatmap import heatmap
from analysis.figures.segment import segment_chart
from analysis.figures.tension import tension_chart
from analysis.figures.text import widest_gap
from analysis.figures.trend import trend_chart
from analysis.formatting import estimate_text
from analysis.table.estimate import estimate
from analysis.table.letters import with_segment_letters
from analysis.table.trends import trend_table

WAVES = ["Demo-2017", "Demo-2019", "Demo-2025"]
BYS = ["country", "age_band", "gender"]
# a number as a title writes it: 58%, 58 %, 4,5 %, 27, 1,204
NUMBER = re.compile(r"\d+(?:[.,\u202f]\d+)*(?:\s?%)?")
TESTABLE = ("ok", "small_base")


@pytest.fixture(scope="module")
def tables(demo_store_path):
    """Demo-2025 by each variable (lettered) and the three waves' trend rows."""
    from analysis.store.wave_store import WaveStore

    store = WaveStore(demo_store_path)
    infos = [store.wave(w) for w in WAVES]
    single = {
        by: with_segment_letters(estimate(store, ["Demo-2025"], by=[by])) for by in BYS
    }
    trend = {
        by: estimate(store, WAVES, ["expect_personalisation"], by=[by]) for by in BYS
    }
    return infos, single, trend


def _segment(metric):
    def build(single, trend, ctx, by):
        return segment_chart(single[by], metric, ctx, by=by)

    return build


def _heatmap(single, trend, ctx, by):
    return heatmap(single[by], ctx, by=by)


def _tension(single, trend, ctx, by):
    return tension_chart(single[by], ctx, by=by)


def _trend(segmented):
    def build(single, trend, ctx, by):
        rows = trend[by]
        line = by if segmented else "total"
        return trend_chart(
            rows,
            "expect_personalisation",
            trend_table(rows, WAVES),
            ctx,
            waves=WAVES,
            by=line,
        )

    return build


BUILDERS = {
    "segment-share": _segment("churn_unprotected"),
    "segment-index": _segment("trust_index"),
    "heatmap": _heatmap,
    "tension": _tension,
    "trend-total": _trend(False),
    "trend-segments": _trend(True),
}


def _words_around_numbers(title, chart, ctx):
    """The title without the labels and insight words it holds ("18-24", "of 100")."""
    rows = chart.rows
    metrics = [ctx.codebook.metric(m) for m in set(rows["metric"])]
    labels = {ctx.label(v) for v in rows["segment_value"]}
    labels |= {m.label.get(ctx.lang) for m in metrics}
    labels |= {
        part.strip()
        for m in metrics
        for part in m.insight.get(ctx.lang).split("{value}")
        if part.strip()
    }
    labels |= set(rows["wave"].astype(str))
    text = title
    for label in sorted(labels, key=len, reverse=True):
        text = re.sub(re.escape(label), " ", text, flags=re.IGNORECASE)
    return text


def _quoted_rows(chart, ctx):
    """Each number of the title with the chart rows that write it so."""
    text = _words_around_numbers(chart.text.title, chart, ctx)
    testable = chart.rows[chart.rows["flag"].isin(TESTABLE)]
    found = []
    for token in NUMBER.findall(text):
        token = token.strip()
        hits = testable[
            [
                estimate_text(float(r.estimate), str(r.scale), ctx.lang) == token
                for r in testable.itertuples()
            ]
        ]
        assert len(hits), f"{token!r} of {chart.text.title!r} is in no testable row"
        found.append(hits)
    return found


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("by", BYS)
@pytest.mark.parametrize("builder", list(BUILDERS))
def test_every_title_quotes_the_rows_its_chart_draws(tables, builder, by, lang):
    infos, single, trend = tables
    ctx = ChartContext(lang=lang, waves=infos)
    chart = BUILDERS[builder](single, trend, ctx, by)
    quoted = _quoted_rows(chart, ctx)
    assert quoted, f"no number in {chart.text.title!r}"
    scales = set().union(*(set(hits["scale"].astype(str)) for hits in quoted))
    assert len(scales) == 1, (chart.text.title, scales)
    if len(quoted) == 2:  # a gap: two segments of one metric and wave
        pairs = [set(zip(h["metric"], h["wave"], strict=True)) for h in quoted]
        assert pairs[0] & pairs[1], chart.text.title


def _spans(rows, by, scale):
    """Each metric's spread across its testable ``by`` segments, 0–100 points."""
    segs = rows[
        (rows["segment_var"] == by)
        & rows["flag"].isin(TESTABLE)
        & (rows["scale"] == scale)
    ]
    factor = 1.0 if scale == "index" else 100.0
    return segs.groupby("metric")["estimate"].agg(
        lambda e: (e.max() - e.min()) * factor
    )


@pytest.mark.parametrize("by", BYS)
def test_the_heatmap_names_the_widest_gap_among_shares(tables, by):
    infos, single, _ = tables
    rows = single[by]
    assert set(rows["scale"]) == {"share", "index"}  # both kinds are on the map
    ctx = ChartContext(waves=infos)
    chart = heatmap(rows, ctx, by=by)
    low, high = _quoted_rows(chart, ctx)
    [metric] = set(low["metric"]) & set(high["metric"])
    named = ctx.codebook.metric(metric).label.en.lower()
    assert named in chart.text.title
    quoted = high[high["metric"] == metric]["estimate"].iloc[0]
    quoted -= low[low["metric"] == metric]["estimate"].iloc[0]
    assert (low["scale"] == "share").all() and (high["scale"] == "share").all()
    assert quoted * 100 == pytest.approx(_spans(chart.rows, by, "share").max())


def test_an_index_gap_is_named_only_among_indices(tables):
    infos, single, _ = tables
    rows = single["country"]
    only_index = rows[rows["scale"] == "index"]
    chart = heatmap(only_index, ChartContext(waves=infos), by="country")
    low, high = widest_gap(chart.rows, "country")
    assert low["metric"] == high["metric"] == "trust_index"
    assert "data trust index" in chart.text.title


def test_low_bases_never_make_a_gap_headline(tables):
    infos, single, _ = tables
    rows = single["country"].copy()
    _, high = widest_gap(rows, "country")
    widest = (rows["metric"] == high["metric"]) & (
        rows["segment_value"] == high["segment_value"]
    )
    rows.loc[widest, "flag"] = "low_base"
    chart = heatmap(rows, ChartContext(waves=infos), by="country")
    quoted = _quoted_rows(chart, ChartContext())
    for hits in quoted:
        assert not (hits["flag"] == "low_base").any()
    moved = widest_gap(chart.rows, "country")
    assert (moved[1]["metric"], moved[1]["segment_value"]) != (
        high["metric"],
        high["segment_value"],
    )
