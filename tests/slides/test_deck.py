"""PNG slides, ZIP and PPTX decks, the export command, and the contact sheet."""

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from analysis.cli import main as cli_main
from analysis.errors import BrowserUnavailableError
from analysis.figures.chart import ChartContext
from analysis.figures.heatmap import heatmap
from analysis.figures.segment import segment_chart
from analysis.figures.tension import tension_chart
from analysis.figures.trend import trend_chart
from analysis.slides.deck import Cover, deck_pptx, deck_zip
from analysis.slides.render import Renderer, find_browser, slide_png
from analysis.store.wave_store import WaveStore
from analysis.table.estimate import estimate
from analysis.table.letters import with_segment_letters
from analysis.table.trends import trend_table

ARTIFACTS = Path(__file__).parents[1] / "artifacts"
WAVES = ["Demo-2017", "Demo-2019", "Demo-2025"]
needs_browser = pytest.mark.skipif(
    find_browser() is None,
    reason="no Chromium: PNG export needs it (sudo apt-get install chromium)",
)


@pytest.fixture(scope="module")
def slides(demo_store_path):
    """A mixed deck: segment charts (EN/FR), trend, tension and heatmap."""
    store = WaveStore(demo_store_path)
    infos = [store.wave(w) for w in WAVES]
    table = with_segment_letters(
        estimate(store, ["Demo-2025"], by=["country", "age_band", "gender"])
    )
    trend = estimate(store, WAVES, ["expect_personalisation"], by=["country"])
    small = with_segment_letters(
        estimate(
            store,
            ["Demo-2025"],
            ["churn_unprotected"],
            by=["gender"],
            filters={"country": ["FR"]},
        )
    )
    en = ChartContext(waves=infos)
    fr = ChartContext(lang="fr", waves=infos)
    fr_filtered = ChartContext(lang="fr", waves=infos, filters={"country": ["FR"]})
    return [
        segment_chart(table, "churn_unprotected", en, by="country"),
        segment_chart(table, "churn_unprotected", fr),
        segment_chart(small, "churn_unprotected", fr_filtered),
        trend_chart(
            trend,
            "expect_personalisation",
            trend_table(trend, WAVES),
            fr,
            by="country",
        ),
        tension_chart(table, fr, by="country"),
        heatmap(table, fr, by="country"),
    ]


def test_browser_error_lives_with_the_other_errors():
    from analysis.errors import ExportError, SurveyDataError

    assert issubclass(BrowserUnavailableError, ExportError)
    assert issubclass(BrowserUnavailableError, SurveyDataError)


def test_missing_browser_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("CONFIANCE_CHROMIUM", "/nonexistent/chromium")
    assert find_browser() is None
    with pytest.raises(BrowserUnavailableError, match="sudo apt-get install chromium"):
        Renderer().start()


def test_cli_exits_2_without_browser(monkeypatch, demo_store_path, tmp_path, capsys):
    monkeypatch.setenv("CONFIANCE_CHROMIUM", str(tmp_path / "no-chromium"))
    args = [
        "export",
        "--wave",
        "Demo-2025",
        "--out",
        str(tmp_path),
        "--store",
        str(demo_store_path),
    ]
    assert cli_main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "PNG export needs Chromium" in err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--wave", "Nope"], "no wave named 'Nope'"),
        (["--wave", "Demo-2025", "--metric", "nope"], "unknown metric 'nope'"),
    ],
)
def test_cli_exits_2_on_unknown_wave_or_metric(
    extra, message, demo_store_path, tmp_path, capsys
):
    assert (
        cli_main(
            ["export", *extra, "--out", str(tmp_path), "--store", str(demo_store_path)]
        )
        == 2
    )
    assert message in capsys.readouterr().err


@pytest.mark.browser
@needs_browser
def test_png_is_1920_by_1080_and_not_blank(slides):
    image = Image.open(io.BytesIO(slide_png(slides[0])))
    assert image.size == (1920, 1080)
    assert ImageStat.Stat(image.convert("L")).var[0] > 100
    # the white background proves an explicit template (streamlit's would be black)
    assert image.convert("RGB").getpixel((5, 5)) == (255, 255, 255)


@pytest.mark.browser
@needs_browser
def test_pptx_has_titles_pictures_and_notes(slides):
    from pptx import Presentation

    cover = Cover("Confiance — Demo-2025", {"country": ["FR"]}, "fr")
    steps = []
    data = deck_pptx(
        slides[:3], cover, progress=lambda i, n, label: steps.append((i, n))
    )
    deck = Presentation(io.BytesIO(data))
    assert len(deck.slides) == 4 and steps[-1] == (3, 3)
    assert round(deck.slide_width / 914400, 2) == 13.33
    cover_text = deck.slides[0].placeholders[1].text
    assert "Filtres\u00a0: pays = France" in cover_text
    assert "Vagues\u00a0: Demo-2025" in cover_text  # the charts' waves, once
    first = deck.slides[1]
    assert first.shapes.title.text == slides[0].text.title
    notes = first.notes_slide.notes_text_frame.text
    assert "Estimate | Interval" in notes and "churn_unprotected" in notes
    french = deck.slides[2].notes_slide.notes_text_frame.text
    assert "Estimation | Intervalle" in french and "\u202f%" in french


@pytest.mark.browser
@needs_browser
def test_cli_writes_french_pptx(demo_store_path, tmp_path, capsys):
    from pptx import Presentation

    args = [
        "export",
        "--wave",
        "Demo-2025",
        "--metric",
        "churn_unprotected",
        "--by",
        "country",
        "--lang",
        "fr",
        "--format",
        "pptx",
        "--out",
        str(tmp_path),
        "--store",
        str(demo_store_path),
    ]
    assert cli_main(args) == 0
    path = Path(capsys.readouterr().out.strip())
    deck = Presentation(str(path))
    assert len(deck.slides) == 2
    title = deck.slides[1].shapes.title.text
    assert "\u202f%" in title and "se détourneraient" in title


@pytest.mark.browser
@needs_browser
def test_zip_deck_and_contact_sheet(slides):
    data = deck_zip(slides, Cover("Confiance — Demo-2025", lang="fr"))
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert names[0] == "00_cover.png" and len(names) == len(slides) + 1
    images = [Image.open(io.BytesIO(archive.read(n))) for n in names]
    assert {im.size for im in images} == {(1920, 1080)}
    ARTIFACTS.mkdir(exist_ok=True)
    columns, w, h = 2, 960, 540
    rows = -(-len(images) // columns)
    sheet = Image.new("RGB", (columns * w, rows * h), "white")
    for i, im in enumerate(images):
        sheet.paste(
            im.convert("RGB").resize((w, h)), ((i % columns) * w, (i // columns) * h)
        )
    sheet.save(ARTIFACTS / "contact_sheet.png")
    for name, im in zip(names, images, strict=True):
        im.save(ARTIFACTS / name)


def test_cover_names_the_charts_waves_in_fieldwork_order(slides):
    lines = Cover("Confiance", {"country": ["FR", "DE"]}).lines(slides)
    assert lines[0] == "Waves: Demo-2017, Demo-2019, Demo-2025"
    assert lines[1] == "Filters: country = France, Germany"
    assert "<b>" not in lines[2] and lines[2].startswith("Method: Synthetic demo")
    only_first = Cover("Confiance", lang="fr").lines(slides[:1])
    assert only_first[0] == "Vagues\u00a0: Demo-2025"
    assert only_first[1] == "Filtres\u00a0: aucun"
