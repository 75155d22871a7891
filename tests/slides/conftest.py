"""Fixtures for decks: the demo's charts, answer charts, a team template, one render."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Inches

from analysis.figures.chart import Chart, ChartContext
from analysis.figures.heatmap import heatmap
from analysis.figures.segment import segment_chart
from analysis.figures.tension import tension_chart
from analysis.figures.trend import trend_chart
from analysis.store.wave_store import WaveStore
from analysis.table.estimate import estimate
from analysis.table.letters import with_segment_letters
from analysis.table.trends import trend_table

WAVES = ["Demo-2017", "Demo-2019", "Demo-2025"]
ACME_LAYOUT = "Acme chart page"
ACME_ACCENT = "C0392B"
ARTIFACTS = Path(__file__).parents[1] / "artifacts"


@pytest.fixture(scope="session")
def demo_charts(demo_store_path) -> dict[str, Chart]:
    """One chart of each kind, at slide size: bars, lines, several metrics, low bases."""
    store = WaveStore(demo_store_path)
    infos = [store.wave(w) for w in WAVES]
    table = with_segment_letters(
        estimate(store, ["Demo-2025"], by=["country", "age_band", "gender"])
    )
    trend = estimate(store, WAVES, ["expect_personalisation"], by=["country"])
    few = with_segment_letters(
        estimate(
            store,
            ["Demo-2017"],
            ["password_reuse"],
            by=["age_band"],
            filters={"gender": ["other"]},
        )
    )
    en = ChartContext(waves=infos, size="slide")
    fr = ChartContext(lang="fr", waves=infos, size="slide")
    few_ctx = ChartContext(waves=infos, size="slide", filters={"gender": ["other"]})
    changes = trend_table(trend, WAVES)
    return {
        "segment": segment_chart(table, "churn_unprotected", fr, by="country"),
        "trend": trend_chart(
            trend, "expect_personalisation", changes, fr, by="country"
        ),
        "tension": tension_chart(table, en, by="country"),
        "few": segment_chart(few, "password_reuse", few_ctx),
        "heatmap": heatmap(table, fr, by="country"),
    }


CES = Path(__file__).parents[1] / "data" / "ingest" / "public" / "ces11.sav"


@pytest.fixture(scope="session")
def answer_charts(codebook) -> dict[str, Chart]:
    """CES 2011's own questions at slide size: a scale by province, a yes/no by gender.

    And a 5-point scale with its middle answer aside, in French.
    """
    from analysis.figures.answers import answer_chart
    from analysis.ingest.questionnaire import Overrides, detect_questionnaire
    from analysis.ingest.readers import read_survey
    from analysis.table.questions import question_rows

    opts = Overrides(strata="province", segments=("province",))
    detection = detect_questionnaire(read_survey(CES), codebook, overrides=opts)
    data, wave = detection.respondents, detection.questionnaire

    def chart(data, wave, qid, by, lang="en"):
        rows = question_rows(data, wave, qid, nets=True, by=by, wave="CES")
        context = ChartContext(lang=lang, size="slide")
        return answer_chart(with_segment_letters(rows), wave.question(qid), context)

    five = _five_point()
    return {
        "scale": chart(data, wave, "importance", "region"),
        "single": chart(data, wave, "abortion", "gender"),
        "neutral": chart(*five, "trust", "group", "fr"),
        "seven": chart(*_seven_point(), "seven", "group"),
    }


def _seven_point():
    import pandas as pd

    from analysis.store.questionnaire import Answer, Question, Questionnaire

    answers = tuple(Answer(str(i), str(i)) for i in range(1, 8))
    q = Question("seven", "How much do you trust them?", "scale", answers)
    codes = [str(1 + (i * 5) % 7) for i in range(300)]
    codes = [c if i % 4 else "6" for i, c in enumerate(codes)]
    data = pd.DataFrame({"seven": codes, "group": ["a", "b", "c"] * 100})
    return data, Questionnaire((q,), segments=("group",))


def _five_point():
    import pandas as pd

    from analysis.store.questionnaire import Answer, Question, Questionnaire

    labels = ["Disagree strongly", "Disagree", "Neither", "Agree", "Agree strongly"]
    answers = tuple(Answer(str(i), a) for i, a in enumerate(labels, start=1))
    q = Question("trust", "I trust brands with my data", "scale", answers)
    codes = ["1", "2", "2", "3", "3", "4", "4", "4", "5", "5"] * 30
    data = pd.DataFrame({"trust": codes, "group": ["a", "b", "c"] * 100})
    return data, Questionnaire((q,), segments=("group",))


def make_template(path: Path) -> Path:
    """A team's template: a renamed chart layout, a tinted master, a logo, red accent 1.

    It keeps one slide of its own, which a deck built on it must drop.
    """
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    master = deck.slide_master
    master.background.fill.solid()
    master.background.fill.fore_color.rgb = RGBColor(0xFF, 0xF4, 0xE0)
    scratch = deck.slides.add_slide(deck.slide_layouts[6])
    logo = scratch.shapes.add_shape(
        MSO_SHAPE.RECTANGLE, Inches(12.2), Inches(0.1), Inches(1), Inches(0.4)
    )
    logo.name = "Acme logo"
    logo.text_frame.text = "ACME"
    master.shapes._spTree.append(logo._element)  # masters have no add_shape
    for layout in deck.slide_layouts:
        if layout.name == "Title Only":
            layout.name = ACME_LAYOUT
            title = layout.placeholders[0]
            title.left, title.top = Inches(0.5), Inches(0.2)
            title.width, title.height = Inches(11.5), Inches(1.0)
    theme = master.part.part_related_by(RT.THEME)
    old = b'<a:accent1><a:srgbClr val="4F81BD"/>'
    assert old in theme.blob
    theme._blob = theme.blob.replace(
        old, f'<a:accent1><a:srgbClr val="{ACME_ACCENT}"/>'.encode()
    )
    deck.slides.add_slide(deck.slide_layouts[1]).shapes.title.text = "Old slide"
    deck.save(str(path))
    return path


@pytest.fixture(scope="session")
def acme_template(tmp_path_factory) -> Path:
    """The team template, written once."""
    return make_template(tmp_path_factory.mktemp("template") / "acme.pptx")


@dataclass(frozen=True)
class Render:
    """A deck as LibreOffice shows it: its PDF, each page's text and PNG."""

    charts: list[Chart]
    pdf: Path
    texts: list[str]
    pages: list[Path]


def _office() -> tuple[str, str, str] | None:
    tools = [shutil.which(t) for t in ("soffice", "pdftoppm", "pdftotext")]
    return None if None in tools else (tools[0], tools[1], tools[2])


@pytest.fixture(scope="session")
def office_render(
    demo_charts, answer_charts, acme_template, tmp_path_factory
) -> Render:
    """The native deck on the team template, converted ONCE by headless LibreOffice."""
    from analysis.slides.deck import Cover, deck_pptx

    tools = _office()
    if tools is None:
        pytest.skip(
            "no LibreOffice/poppler: apt-get install libreoffice-impress "
            "poppler-utils (make test installs them when run as root)"
        )
    soffice, pdftoppm, pdftotext = tools
    charts = [demo_charts[k] for k in ("segment", "trend", "tension", "few")]
    charts += [answer_charts[k] for k in ("scale", "single", "neutral")]
    out = tmp_path_factory.mktemp("office")
    deck = out / "deck.pptx"
    cover = Cover("Confiance — Demo", {"country": ["FR"]}, "fr")
    deck.write_bytes(deck_pptx(charts, cover, native=True, template=acme_template))
    profile = out / "profile"  # a private profile: no clash with a running office
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(deck),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = out / "deck.pdf"
    subprocess.run(
        [pdftoppm, "-r", "60", "-png", str(pdf), str(out / "page")], check=True
    )
    pages = sorted(out.glob("page-*.png"))
    texts = [
        subprocess.run(
            [pdftotext, "-f", str(i), "-l", str(i), str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for i in range(1, len(pages) + 1)
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    for page in pages:
        shutil.copy(page, ARTIFACTS / f"office_{page.name}")
    return Render(charts, pdf, texts, pages)
