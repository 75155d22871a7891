"""Charts draw the significance their table holds, at the user's level (issue 9.4).

The trend chart used to re-run the wave test at 95 % while its page tested at
the user's level: on the demo store at 90 %, 8 of 190 cells disagreed between
the chart's marks and the table below it. Here every mark and letter a chart
shows is read back from its figure and compared with the table it was given.
"""

import re

import pytest

from analysis.figures.chart import ChartContext
from analysis.figures.segment import segment_chart
from analysis.figures.trend import trend_chart
from analysis.table.estimate import EstimateOptions, estimate
from analysis.table.letters import with_segment_letters
from analysis.table.trends import trend_table

WAVES = ["Demo-2017", "Demo-2019", "Demo-2025"]
LEVELS = [(0.90, "10% level"), (0.99, "1% level")]


def _marks(chart):
    """(segment, wave_from, wave_to, up) of every ▲/▼ drawn on a trend chart."""
    return {
        (*tr.customdata[0], tr.x[0], tr.marker.symbol == "triangle-up")
        for tr in chart.figure.data
        if tr.name == "change"
    }


@pytest.mark.parametrize(("level", "words"), LEVELS)
def test_trend_marks_are_the_tables_significant_changes(demo_store, level, words):
    table = estimate(
        demo_store, WAVES, by=["country"], options=EstimateOptions(level=level)
    )
    changes = trend_table(table, WAVES, level=level)
    cells = changes[changes["segment_var"].isin(["total", "country"])]
    assert len(cells) == 190
    # the test is not idle: at the default 95 % some of these cells differ
    default = trend_table(table, WAVES)
    assert (default["significant"] != changes["significant"]).any()
    context = ChartContext(waves=[demo_store.wave(w) for w in WAVES])
    drawn = 0
    for (metric, by), family in cells.groupby(["metric", "segment_var"]):
        chart = trend_chart(table, metric, changes, context, waves=WAVES, by=by)
        hits = family[family["significant"].astype(bool)]
        expected = {
            (r.segment_value, r.wave_from, r.wave_to, r.diff > 0)
            for r in hits.itertuples()
        }
        assert _marks(chart) == expected, (metric, by)
        assert (words in chart.text.footnote) == bool(expected)
        drawn += len(expected)
    assert drawn > 0


def _shown_letters(chart):
    """The letters written after each value of a segment chart, row by row."""
    texts = next(tr for tr in chart.figure.data if tr.name == "values").text
    return [(re.findall(r"<b>([A-Z]*)</b>", t) or [""])[0] for t in texts]


@pytest.mark.parametrize(("level", "words"), LEVELS)
def test_segment_letters_are_the_tables_letters(demo_store, level, words):
    table = estimate(
        demo_store,
        ["Demo-2025"],
        by=["country", "age_band", "gender"],
        options=EstimateOptions(level=level),
    )
    lettered = with_segment_letters(table, alpha=1 - level)
    # the test is not idle: at the default 5 % some letters differ
    assert (with_segment_letters(table)["letters"] != lettered["letters"]).any()
    for metric, rows in lettered.groupby("metric", sort=False):
        chart = segment_chart(lettered, metric)
        assert _shown_letters(chart) == rows["letters"].tolist(), metric
        labels = chart.figure.data[-1].y
        for label, letter in zip(labels, rows["letter"], strict=True):
            assert label.endswith(f"({letter})") if letter else "(" not in label
        if rows["letters"].ne("").any():
            assert words in chart.text.footnote
