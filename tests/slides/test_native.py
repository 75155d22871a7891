"""Native PowerPoint charts, read back with python-pptx: the Chart's rows, exactly."""

import io
import re
import zipfile

import openpyxl
import pytest
from pptx import Presentation

from analysis.cli import main as cli_main
from analysis.errors import ExportError
from analysis.figures.text import plain
from analysis.figures.theme import load_theme
from analysis.slides.chartxml import _workbook
from analysis.slides.deck import Cover, deck_pptx
from analysis.slides.native import NativeChart, Series
from analysis.slides.render import find_browser
from analysis.store.wave import TOTAL

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
ACME_LAYOUT = "Acme chart page"


def _deck(charts, **options):
    return Presentation(io.BytesIO(deck_pptx(charts, native=True, **options)))


def _chart(slide):
    [frame] = [s for s in slide.shapes if s.has_chart]
    return frame.chart


def _interval(series, which):
    """The error bar's distances, by point, as the chart XML holds them."""
    points = series._element.findall(f"{C}errBars/{C}{which}//{C}pt")
    return {int(p.get("idx")): float(p.find(f"{C}v").text) for p in points}


def _assert_series_is_rows(series, rows):
    """Values are the estimates; value ∓ error bar are ci_low and ci_high."""
    values = series.values
    minus, plus = _interval(series, "minus"), _interval(series, "plus")
    assert len(values) == len(rows)
    for i, (_, row) in enumerate(rows.iterrows()):
        if row["flag"] == "suppressed":
            assert values[i] is None and i not in plus
            continue
        assert values[i] == pytest.approx(row["estimate"], abs=1e-12)
        assert values[i] - minus[i] == pytest.approx(row["ci_low"], abs=1e-12)
        assert values[i] + plus[i] == pytest.approx(row["ci_high"], abs=1e-12)


def test_bars_hold_the_rows_estimates_and_intervals(demo_charts):
    chart = demo_charts["segment"]
    rows = chart.rows.reset_index(drop=True)
    [page] = _deck([chart]).slides
    native = _chart(page)
    labels = [load_theme().label(v, "fr") for v in rows["segment_value"]]
    letters = [
        "" if v == TOTAL else f" ({x})"
        for v, x in zip(rows["segment_value"], rows["letter"], strict=True)
    ]
    assert list(native.plots[0].categories) == [
        a + b for a, b in zip(labels, letters, strict=True)
    ]
    [series] = native.plots[0].series
    _assert_series_is_rows(series, rows)


def test_labels_show_the_value_and_the_letters_it_beats(demo_charts):
    chart = demo_charts["segment"]
    rows = chart.rows.reset_index(drop=True)
    [series] = _chart(_deck([chart]).slides[0]).plots[0].series
    labels = series._element.find(f"{C}dLbls")
    assert labels.find(f"{C}numFmt").get("formatCode") == '0"\u202f"%'
    assert labels.find(f"{C}showVal").get("val") == "1"
    lettered = [(i, x) for i, x in enumerate(rows["letters"]) if x]
    assert lettered  # the demo has significant differences by country
    for i, letters in lettered:
        [label] = [d for d in labels.findall(f"{C}dLbl") if d[0].get("val") == str(i)]
        assert label.find(f"{C}numFmt").get("formatCode").endswith(f'" {letters}"')


def test_the_data_sheet_holds_values_and_the_error_bars_refer_to_it(demo_charts):
    chart = demo_charts["tension"]
    frame = next(s for s in _deck([chart]).slides[0].shapes if s.has_chart)
    sheet = openpyxl.load_workbook(
        io.BytesIO(frame.chart_part.chart_workbook.xlsx_part.blob)
    )["Sheet1"]
    for series in frame.chart.plots[0].series:
        column = series._element.find(f"{C}val/{C}numRef/{C}f").text
        assert _cells(sheet, column) == pytest.approx(list(series.values), rel=1e-15)
        for which in ("plus", "minus"):
            ref = series._element.find(f"{C}errBars/{C}{which}/{C}numRef/{C}f").text
            shown = _interval(series, which)
            # the sheet keeps 16 significant digits, Excel's own precision
            expected = [shown.get(i) for i in range(len(shown))]
            assert _cells(sheet, ref) == pytest.approx(expected, rel=1e-15)


def _cells(sheet, ref):
    first, last = ref.split("!")[1].replace("$", "").split(":")
    return [c.value for (c,) in sheet[f"{first}:{last}"]]


def test_several_metrics_are_one_series_each(demo_charts):
    chart = demo_charts["tension"]
    native = _chart(_deck([chart]).slides[0])
    metrics = list(dict.fromkeys(chart.rows["metric"]))
    assert len(native.plots[0].series) == len(metrics) == 3
    assert native.has_legend
    for series, metric in zip(native.plots[0].series, metrics, strict=True):
        _assert_series_is_rows(series, chart.rows[chart.rows["metric"] == metric])


def test_the_trend_is_a_line_per_segment_across_waves(demo_charts):
    chart = demo_charts["trend"]
    native = _chart(_deck([chart]).slides[0])
    assert native.chart_type.name == "LINE_MARKERS"
    assert list(native.plots[0].categories) == [w.name for w in chart.waves]
    for series in native.plots[0].series:
        value = next(
            v
            for v in chart.rows["segment_value"]
            if load_theme().label(v, "fr") == series.name
        )
        mine = chart.rows[chart.rows["segment_value"] == value]
        order = {w.name: i for i, w in enumerate(chart.waves)}
        _assert_series_is_rows(
            series, mine.sort_values("wave", key=lambda s: s.map(order))
        )


def test_low_bases_are_grey_and_said_and_small_cells_hidden(demo_charts):
    chart = demo_charts["few"]
    rows = chart.rows.reset_index(drop=True)
    native = _chart(_deck([chart]).slides[0])
    [series] = native.plots[0].series
    _assert_series_is_rows(series, rows)
    names = list(native.plots[0].categories)
    for i, flag in enumerate(rows["flag"]):
        if flag == "suppressed":
            assert names[i].endswith("(n<10 – hidden)")
    [low] = [i for i, flag in enumerate(rows["flag"]) if flag == "low_base"]
    point = [
        p for p in series._element.findall(f"{C}dPt") if p[0].get("val") == str(low)
    ]
    assert (
        point[0].find(".//{*}srgbClr").get("val") == load_theme().color("low_base")[1:]
    )
    [label] = [
        d
        for d in series._element.findall(f"{C}dLbls/{C}dLbl")
        if d[0].get("val") == str(low)
    ]
    assert label.find(f"{C}numFmt").get("formatCode") == '0%" low base"'


def test_slides_keep_title_question_footnote_and_notes(demo_charts):
    charts = [demo_charts["segment"], demo_charts["few"]]
    deck = _deck(charts, cover=Cover("Confiance — Demo", lang="fr"))
    assert len(deck.slides) == 3
    for page, chart in zip(list(deck.slides)[1:], charts, strict=True):
        assert page.shapes.title.text == chart.text.title
        texts = [s.text_frame.text for s in page.shapes if s.has_text_frame]
        assert chart.text.subtitle in texts
        assert plain(chart.text.footnote) in texts
        notes = page.notes_slide.notes_text_frame.text
        assert chart.text.title in notes and "Estimat" in notes
    # without a template: a 16:9 deck in the theme's own colours
    assert round(deck.slide_width / 914400, 2) == 13.33
    fills = deck.slides[1].shapes[-1].chart.plots[0].series[0].format.fill
    assert str(fills.fore_color.rgb) == load_theme().palette[0][1:]


def test_a_deck_starts_from_the_team_template(demo_charts, acme_template):
    data = deck_pptx(
        [demo_charts["segment"]], Cover("Demo"), native=True, template=acme_template
    )
    deck = Presentation(io.BytesIO(data))
    parts = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert len([p for p in parts if re.fullmatch(r"ppt/slides/slide\d+\.xml", p)]) == 2
    assert [s.shapes.title.text for s in deck.slides] == [
        "Demo",
        demo_charts["segment"].text.title,
    ]  # the template's own slide is gone
    assert deck.slides[1].slide_layout.name == ACME_LAYOUT
    master = deck.slides[1].slide_layout.slide_master
    assert "Acme logo" in [s.name for s in master.shapes]
    series = _chart(deck.slides[1]).plots[0].series[0]
    fill = series._element.find(f"{C}spPr")
    # the template's scheme colour, not ours: its red accent 1 colours the bars
    assert fill.find(".//{*}schemeClr").get("val") == "accent1"
    assert fill.find(".//{*}srgbClr") is None


def test_a_template_that_is_not_powerpoint_is_a_clear_error(demo_charts, tmp_path):
    bad = tmp_path / "notes.pptx"
    bad.write_text("not a deck")
    with pytest.raises(ExportError, match=r"notes\.pptx is not a PowerPoint file"):
        deck_pptx([demo_charts["segment"]], native=True, template=bad)
    with pytest.raises(ExportError, match=r"none\.pptx is not a PowerPoint file"):
        deck_pptx(
            [demo_charts["segment"]], native=True, template=tmp_path / "none.pptx"
        )
    with pytest.raises(ExportError, match="the uploaded template is not a PowerPoint"):
        deck_pptx([demo_charts["segment"]], native=True, template=b"PK\x03\x04junk")


def test_the_data_sheet_never_holds_a_formula():
    spec = NativeChart(
        "bar",
        ('=HYPERLINK("http://x")', "+1", "@SUM(A1)"),
        (
            Series(
                "-danger",
                (0.5, 0.4, None),
                (0.1, 0.1, None),
                (0.1, 0.1, None),
                ("", "", ""),
                ("series", "series", "series"),
            ),
        ),
        percent=True,
    )
    sheet = openpyxl.load_workbook(io.BytesIO(_workbook(spec)))["Sheet1"]
    texts = [sheet.cell(r, 1) for r in (2, 3, 4)] + [sheet.cell(1, 2)]
    assert [c.value for c in texts] == [
        '=HYPERLINK("http://x")',
        "+1",
        "@SUM(A1)",
        "-danger",
    ]
    assert {c.data_type for c in texts} == {"s"}


def test_native_decks_need_no_browser(monkeypatch, demo_store_path, tmp_path, capsys):
    monkeypatch.setenv("CONFIANCE_CHROMIUM", str(tmp_path / "no-chromium"))
    args = ["export", "--wave", "Demo-2025", "--metric", "churn_unprotected"]
    args += ["--by", "country", "--format", "pptx", "--native-charts"]
    args += ["--out", str(tmp_path), "--store", str(demo_store_path)]
    assert cli_main(args) == 0
    deck = Presentation(capsys.readouterr().out.strip())
    assert len(deck.slides) == 2 and _chart(deck.slides[1]).plots[0].categories


@pytest.mark.parametrize("extra", [["--native-charts"], ["--template", "t.pptx"]])
def test_cli_pptx_options_need_pptx(extra, demo_store_path, tmp_path, capsys):
    args = ["export", "--wave", "Demo-2025", "--format", "zip", *extra]
    assert (
        cli_main([*args, "--out", str(tmp_path), "--store", str(demo_store_path)]) == 2
    )
    assert "apply to --format pptx" in capsys.readouterr().err


@pytest.mark.browser
@pytest.mark.skipif(
    find_browser() is None, reason="the heatmap's picture needs Chromium"
)
def test_the_heatmap_stays_a_picture(demo_charts):
    deck = _deck([demo_charts["heatmap"], demo_charts["segment"]])
    kinds = [[s.shape_type.name for s in page.shapes] for page in deck.slides]
    assert "PICTURE" in kinds[0] and "CHART" not in kinds[0]
    assert "CHART" in kinds[1]
