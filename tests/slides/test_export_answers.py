"""``export --question``: a wave question's chart from the command line, end to end.

CES 2011 (tests/data/ingest/public/ces11.sav) is ingested into a store, then
``python -m analysis export`` runs in a subprocess, as a user would run it.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from analysis.cli import main
from analysis.slides.render import find_browser
from analysis.store.wave_store import WaveStore
from analysis.table.questions import question_rows

ROOT = Path(__file__).parents[2]
CES = ROOT / "tests" / "data" / "ingest" / "public" / "ces11.sav"


@pytest.fixture(scope="module")
def ces_store(tmp_path_factory):
    """A store holding CES 2011, provinces as strata."""
    store = tmp_path_factory.mktemp("ces") / "s.duckdb"
    args = ["ingest", str(CES), "--wave", "CES", "--strata", "province"]
    assert main([*args, "--segment", "province", "--store", str(store)]) == 0
    return store


def _export(store, out, *args, env=None):
    command = [sys.executable, "-m", "analysis", "export", "--wave", "CES"]
    command += [*args, "--out", str(out), "--store", str(store)]
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        command, capture_output=True, text=True, env=environment, timeout=300
    )


def _charts(path):
    deck = Presentation(path)
    return [[s.chart for s in page.shapes if s.has_chart] for page in deck.slides]


def test_a_scale_and_a_single_choice_as_native_charts(ces_store, tmp_path):
    done = _export(
        ces_store,
        tmp_path,
        *("--question", "importance", "--question", "abortion", "--by", "gender"),
        *("--format", "pptx", "--native-charts"),
        env={"CONFIANCE_CHROMIUM": str(tmp_path / "none")},  # no browser needed
    )
    assert done.returncode == 0, done.stderr
    path = Path(done.stdout.strip())
    cover, scale, single = _charts(path)
    assert cover == []
    assert scale[0].chart_type.name == "BAR_STACKED"
    assert single[0].chart_type.name == "BAR_CLUSTERED"
    store = WaveStore(ces_store)
    rows = question_rows(
        store.load_respondents(["CES"]),
        store.questionnaire("CES"),
        "importance",
        by="gender",
        wave="CES",
    )
    very = rows[rows["answer"] == "very"]["estimate"].tolist()
    [plotted] = [s for s in scale[0].plots[0].series if s.name == "very"]
    assert list(plotted.values) == pytest.approx(very, abs=1e-12)
    titles = [p.shapes.title.text for p in Presentation(path).slides]
    assert titles[1:] == [
        "How important is religion in your life?",
        "Should abortion be banned?",
    ]


def test_one_answer_or_a_net_across_segments(ces_store, tmp_path):
    done = _export(
        ces_store,
        tmp_path,
        *("--question", "importance", "--answer", "top2", "--by", "region"),
        *("--format", "pptx", "--native-charts", "--lang", "fr"),
    )
    assert done.returncode == 0, done.stderr
    [_, [chart]] = _charts(Path(done.stdout.strip()))
    [series] = chart.plots[0].series
    assert len(series.values) == 11  # the total and ten provinces
    assert all(0 < v < 1 for v in series.values)


def test_options_that_need_a_question(ces_store, tmp_path):
    done = _export(ces_store, tmp_path, "--answer", "very", "--format", "pptx")
    assert done.returncode == 2
    assert "--answer and --mean apply to --question" in done.stderr
    done = _export(ces_store, tmp_path, "--question", "nope", "--format", "pptx")
    assert done.returncode == 2
    assert "nope" in done.stderr and len(done.stderr.strip().splitlines()) == 1


@pytest.mark.browser
@pytest.mark.skipif(find_browser() is None, reason="PNG and PDF need Chromium")
def test_png_stays_the_default_and_pdf_holds_chart_and_table(ces_store, tmp_path):
    done = _export(ces_store, tmp_path / "png", "--question", "importance")
    assert done.returncode == 0, done.stderr
    assert [Path(p).name for p in done.stdout.split()] == [
        "01_importance_CES_answers.png"
    ]
    done = _export(
        ces_store, tmp_path / "pdf", "--question", "importance", "--format", "pdf"
    )
    assert done.returncode == 0, done.stderr
    pages = PdfReader(done.stdout.strip()).pages
    text = " ".join(page.extract_text() for page in pages)
    assert "How important is religion in your life?" in text
    assert "The numbers: How important" in text  # the chart's table follows it
    assert "importance: somewhat + very" in text
