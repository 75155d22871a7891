"""Charts as slides: text, language, flags, template, config (no browser needed)."""

import re
from pathlib import Path

import plotly.io as pio
import pytest

from analysis.figures.camera import plotly_config
from analysis.figures.chart import Chart, ChartContext
from analysis.figures.heatmap import heatmap
from analysis.figures.segment import segment_chart
from analysis.figures.tension import tension_chart
from analysis.figures.trend import trend_chart
from analysis.formatting import NNBSP, day_range, interval_text, number, percent
from analysis.table.estimate import estimate
from analysis.table.letters import with_segment_letters
from analysis.table.trends import paired_trend_table, trend_table

WAVES = ["Demo-2017", "Demo-2019", "Demo-2025"]


@pytest.fixture(scope="module")
def table(demo_store_path):
    """Demo-2025 by country and gender, with segment letters at the default 5 %."""
    from analysis.store.wave_store import WaveStore

    store = WaveStore(demo_store_path)
    return with_segment_letters(
        estimate(store, ["Demo-2025"], by=["country", "gender"])
    )


@pytest.fixture(scope="module")
def metas(demo_store_path):
    from analysis.store.wave_store import WaveStore

    store = WaveStore(demo_store_path)
    return [store.wave(w) for w in WAVES]


def annotation(fig, name):
    return next(a for a in fig.layout.annotations if a.name == name)


# -- formatting --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (0.58, "en", "58%"),
        (0.58, "fr", f"58{NNBSP}%"),
        (0.045, "fr", f"4,5{NNBSP}%"),
    ],
)
def test_percent_per_language(value, lang, expected):
    decimals = 1 if value < 0.1 else 0
    assert percent(value, lang, decimals) == expected


def test_numbers_dates_and_intervals_per_language():
    from datetime import date

    assert number(4049, "en") == "4,049"
    assert number(4049, "fr") == f"4{NNBSP}049"
    assert interval_text(0.55, 0.62, "share", "fr") == f"55–62{NNBSP}%"
    assert day_range(date(2025, 3, 3), date(2025, 3, 17), "fr") == "3–17 mars 2025"


# -- the slide's words ---------------------------------------------------------


def test_segment_chart_carries_insight_question_and_honest_footnote(table, metas):
    chart = segment_chart(
        table, "churn_unprotected", ChartContext(waves=metas), by="country"
    )
    fig, text = chart.figure, chart.text
    assert isinstance(chart, Chart) and [w.name for w in chart.waves] == ["Demo-2025"]
    assert set(chart.rows["segment_var"]) == {"total", "country"}
    assert text.title.endswith(
        "would turn away from a brand that fails to protect their data"
    )
    assert text.title[0].isdigit() and "%" in text.title
    assert annotation(fig, "title").text.replace("<br>", " ") == text.title
    assert "Would you stop buying" in text.subtitle
    foot = text.footnote
    assert "Synthetic demo data" in foot
    assert "Opt-in panel: the 95% intervals" in foot  # the demo is an opt-in panel
    assert "not a margin of sampling error" in foot
    assert "credibility" not in foot.lower() and "margin of error up to" not in foot
    assert "Wilson score" in foot  # on the design-based effective base (issue 12)
    assert "effective n =" in foot and "3–17 March 2025" in foot
    assert "Demo-2017" not in foot  # only the waves the chart shows
    assert text.filename == "churn_unprotected_Demo-2025"
    assert fig.layout.meta is None  # the words travel in the result, not the figure


def test_french_chart_uses_french_words_and_number_format(table, metas):
    context = ChartContext(lang="fr", waves=metas[-1:])
    chart = segment_chart(table, "churn_unprotected", context, by="country")
    fig, text = chart.figure, chart.text
    assert f"{NNBSP}%" in text.title and "se détourneraient" in text.title
    assert "Panel à adhésion volontaire\u00a0: les intervalles à 95" in text.footnote
    assert "crédibilité" not in text.footnote
    assert "Allemagne (A)" in list(fig.data[-1].y)
    assert f"20{NNBSP}%" in fig.layout.xaxis.ticktext


def test_low_base_is_grey_and_marked_and_suppressed_is_hidden(demo_store_path):
    from analysis.store.wave_store import WaveStore

    t = estimate(
        WaveStore(demo_store_path),
        ["Demo-2025"],
        ["churn_unprotected"],
        by=["gender"],
        filters={"country": ["FR"]},
    )
    chart = segment_chart(
        t, "churn_unprotected", ChartContext(filters={"country": ["FR"]})
    )
    values = chart.figure.data[-1]
    texts = dict(zip(values.y, values.text, strict=True))
    assert any("n<10 – hidden" in v for v in texts.values())
    assert "Filter: country = France" in chart.text.footnote
    french = ChartContext(lang="fr", filters={"country": ["FR"]})
    assert (
        "Filtre\u00a0: pays = France"
        in segment_chart(t, "churn_unprotected", french).text.footnote
    )
    t.loc[t["segment_value"] == "male", "flag"] = "low_base"
    fig = segment_chart(t, "churn_unprotected").figure
    assert any(v.strip().endswith("low base") for v in fig.data[-1].text)
    assert any(
        "base faible" in h
        for h in segment_chart(t, "churn_unprotected", french).figure.data[-1].hovertext
    )
    low = next(tr for tr in fig.data if tr.name == "low")
    assert low.marker.color == "#A5ADB6"


def test_letters_shown_from_the_table_and_never_computed(table):
    chart = segment_chart(table, "trust_index", by="country")
    assert any(t.strip().count("<b>") for t in chart.figure.data[-1].text)
    assert "Letters: significantly higher" in chart.text.footnote
    assert "(5% level, Holm-adjusted)" in chart.text.footnote
    bare = table.drop(columns=["letters", "letter", "alpha", "adjust"])
    plain = segment_chart(bare, "trust_index", by="country")
    assert not any("<b>" in t for t in plain.figure.data[-1].text)
    assert "Letters" not in plain.text.footnote


def test_long_french_labels_wrap_in_legend_and_title_fits(table):
    fig = tension_chart(table, ChartContext(lang="fr", size="slide")).figure
    names = [tr.name for tr in fig.data if tr.showlegend is not False and tr.name]
    assert any("<br>" in n for n in names)
    for name in ("title", "subtitle", "footnote"):
        note = annotation(fig, name)
        widest = max(
            _rendered_width(line, note.font.size) for line in note.text.split("<br>")
        )
        assert widest <= 1920 - 48, (name, widest)


LIBERATION = Path("/usr/share/fonts/truetype/liberation")


def _rendered_width(line, size):
    """The line's width in the font Chromium draws it with, bold runs in bold."""
    if not (LIBERATION / "LiberationSans-Regular.ttf").exists():
        pytest.skip("needs Liberation Sans (fonts-liberation, a chromium dependency)")
    from PIL import ImageFont

    faces = {
        bold: ImageFont.truetype(
            str(LIBERATION / f"LiberationSans-{face}.ttf"), round(size)
        )
        for bold, face in ((False, "Regular"), (True, "Bold"))
    }
    width, bold = 0.0, False
    for part in re.split(r"(</?b>)", line):
        if part in ("<b>", "</b>"):
            bold = part == "<b>"
        else:
            width += faces[bold].getlength(re.sub(r"<[^>]+>", "", part))
    return width


@pytest.mark.parametrize("width", [300, 760, 1800])
def test_wrapped_lines_fit_when_drawn(width):
    from analysis.figures.layout import wrap

    text = (
        "<b>Données de démonstration synthétiques</b>. Base : n = 4 049 (n effectif = 3 422), "
        "segments n = 244–876. Panel à adhésion volontaire : les intervalles à 95 % "
        "(Wilson sur la base effective de Kish) supposent que l'échantillon pondéré "
        "représente la population ; ce ne sont pas des marges d'erreur "
        "d'échantillonnage. WWW MMM 100 % 2019–2025."
    )
    lines = wrap(text, width, 11)
    assert " ".join(lines) == " ".join(text.split())  # nothing lost or reordered
    assert all(_rendered_width(line, 11) <= width for line in lines)


def test_trend_marks_significant_changes(demo_store_path, metas):
    from analysis.store.wave_store import WaveStore

    t = estimate(WaveStore(demo_store_path), WAVES, ["expect_personalisation"])
    changes = trend_table(t, WAVES)
    chart = trend_chart(
        t, "expect_personalisation", changes, ChartContext(waves=metas), waves=WAVES
    )
    fig = chart.figure
    marks = [tr.text[0] for tr in fig.data if tr.text and str(tr.text[0])[0] in "▲▼"]
    assert marks and "pts" in marks[0]
    assert "significant change" in chart.text.footnote
    assert "(5% level, Holm-adjusted)" in chart.text.footnote
    assert [w.name for w in chart.waves] == WAVES
    quiet = changes.assign(significant=False)  # the chart draws what it is given
    calm = trend_chart(t, "expect_personalisation", quiet, waves=WAVES)
    assert not [tr for tr in calm.figure.data if tr.name == "change"]
    assert "significant change" not in calm.text.footnote


def test_trend_without_comparable_waves_draws_lines_and_no_marks(demo_store_path):
    """No wave has a comparable previous one (other countries, no fieldwork dates)."""
    from analysis.store.wave_store import WaveStore

    t = estimate(WaveStore(demo_store_path), WAVES, ["expect_personalisation"])
    none = paired_trend_table(t, [])
    chart = trend_chart(t, "expect_personalisation", none, waves=WAVES)
    lines = [tr for tr in chart.figure.data if tr.mode == "lines+markers"]
    assert len(lines) == 1 and list(lines[0].x) == WAVES
    assert not [tr for tr in chart.figure.data if tr.name == "change"]
    assert "significant change" not in chart.text.footnote


def test_heatmap_wraps_nothing_off_and_titles_widest_gap(table):
    chart = heatmap(table, ChartContext(lang="fr"), by="country")
    fig = chart.figure
    assert chart.text.title.startswith("Plus grand écart par pays")
    assert len(fig.data[0].y) == table["metric"].nunique()


def test_heatmap_columns_too_narrow_for_a_label_break_it_after_a_hyphen_or_space():
    from analysis.figures.heatmap import _column_label
    from analysis.figures.layout import text_width

    assert _column_label("Royaume-Uni", 200, 14) == "Royaume-Uni"
    assert _column_label("Royaume-Uni", 60, 14) == "Royaume-<br>Uni"
    assert _column_label("Rest of world", 60, 14).count("<br>") >= 1
    for line in _column_label("Rest of the world-wide market", 70, 14).split("<br>"):
        assert text_width(line, 14) <= 70 or (" " not in line and "-" not in line[:-1])


@pytest.mark.parametrize(("width", "row_h"), [(380, 35), (800, 33), (960, 17.9)])
def test_heatmap_row_labels_fit_their_column_and_their_rows(width, row_h):
    """A phone's, a laptop's and a slide's heatmap of the demo's long labels."""
    from analysis.figures.heatmap import _row_labels
    from analysis.figures.layout import LINE, text_width, wrap

    names = [
        "Pensent que les entreprises peuvent utiliser leurs données de manière éthique",
        "Attendent de la personnalisation mais rejettent le ciblage publicitaire",
        "Font de la publicité négative",
    ]
    font, labels = _row_labels(names, width, row_h, 14)
    assert 8 <= font <= 14
    assert labels[2] == names[2]  # a short label stays whole
    for label in labels:
        assert text_width(label, font) <= max(120, 0.4 * width)
        assert (label.count("<br>") + 1) * font * LINE <= row_h
    assert [lb.replace("<br>", " ") for lb in labels] == names  # nothing lost

    def fits(size):
        column = max(120, 0.4 * width)
        return all(len(wrap(n, column, size)) * size * LINE <= row_h for n in names)

    assert font == 14 or not fits(font + 0.5)  # no larger font would do


@pytest.mark.parametrize("width", [380, 800, 960])
def test_heatmap_column_labels_fit_their_columns_or_stand_upright(table, width):
    """A phone's, a laptop's and a slide's heatmap of the demo's countries."""
    import dataclasses

    from analysis.figures.layout import LINE, text_width

    ctx = ChartContext(lang="fr")  # as the dashboard lays it out on a screen
    theme = dataclasses.replace(ctx.theme, screen=(width, 860))
    fig = heatmap(table, dataclasses.replace(ctx, theme=theme), by="country").figure
    labels = [lb.replace("<b>", "").replace("</b>", "") for lb in fig.data[0].x]
    plot = width - fig.layout.margin.l - fig.layout.margin.r
    tick = fig.layout.template.layout.xaxis.tickfont.size
    if fig.layout.xaxis.tickangle == -90:
        assert tick * LINE <= plot / len(labels)  # upright, side by side
        assert width < 800  # only where a word is wider than its column
        assert fig.layout.margin.t >= max(text_width(lb, tick) for lb in labels)
    else:
        assert fig.layout.xaxis.tickangle == 0
        for label in labels:
            assert text_width(label, tick) <= plot / len(labels)


def test_every_figure_has_its_own_template_with_real_colours(table):
    pio.templates.default = "none"  # streamlit swaps the default; we must not care
    try:
        fig = segment_chart(table, "trust_index", by="country").figure
    finally:
        pio.templates.default = "plotly"
    layout = fig.layout.template.layout
    assert layout.paper_bgcolor == "#FFFFFF" and layout.font.color == "#1F2328"
    assert list(layout.colorway)[:2] == ["#0072B2", "#E69F00"]


def test_slide_size_doubles_the_screen_layout(table):
    screen = segment_chart(table, "trust_index", by="country").figure
    slide_ctx = ChartContext(size="slide")
    slide = segment_chart(table, "trust_index", slide_ctx, by="country").figure
    assert (slide.layout.width, slide.layout.height) == (1920, 1080)
    assert screen.layout.width is None and screen.layout.height == 540
    assert annotation(slide, "title").font.size >= 40
    assert slide.layout.template.layout.xaxis.tickfont.size >= 20
    assert slide.layout.margin.t == 2 * screen.layout.margin.t


def test_plotly_config_has_no_camera_the_journal_would_not_see():
    config = plotly_config()
    assert "toImage" in config["modeBarButtonsToRemove"]
    assert "toImageButtonOptions" not in config and config["displaylogo"] is False


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lang": "de"}, "language 'de' must be 'en' or 'fr'"),
        ({"size": "poster"}, "size 'poster' must be 'screen' or 'slide'"),
    ],
)
def test_chart_context_refuses_unknown_language_or_size(kwargs, message):
    from analysis.errors import SurveyDataError

    with pytest.raises(SurveyDataError, match=message):
        ChartContext(**kwargs)


def test_every_chart_word_exists_in_both_languages():
    """Each module's catalogue pairs an English and a French text, same fields."""
    import string

    from analysis.figures import heatmap as heat
    from analysis.figures import parts, sampling, tension, text, trend
    from analysis.slides import chartxml, cover, native, pdf

    for module in (
        *(heat, parts, sampling, tension, text, trend),
        *(cover, native, chartxml, pdf),
    ):
        words = module._WORDS
        keys = words.keys()  # a Words catalogue, not a dict: it has no __iter__
        for key in keys:
            en, fr = words.pair(key)
            assert en and fr, (module.__name__, key)
            fields = [
                {f for _, f, _, _ in string.Formatter().parse(s) if f} for s in (en, fr)
            ]
            assert fields[0] == fields[1], (module.__name__, key)


def test_wrap_never_breaks_at_a_no_break_space():
    from analysis.figures.layout import wrap

    text = "marge d'erreur à 95\u202f% jusqu'à ±1\u00a0point pour l'ensemble " * 6
    for width in (120, 200, 333, 500):
        lines = wrap(text, width, 11)
        assert all(not line.startswith(("%", "point")) for line in lines), lines
        assert " ".join(lines) == " ".join(text.split(" ")).strip()
