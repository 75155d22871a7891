"""The PDF report of a view: a page per chart and its numbers, text a reader can find."""

import io
import math
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from analysis.cli import main as cli_main
from analysis.figures.text import plain
from analysis.slides.deck import Cover, report_pdf
from analysis.slides.pdf import LINES_PER_PAGE, table_pages
from analysis.slides.render import find_browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        find_browser() is None,
        reason="no Chromium: the report's pages are printed by kaleido",
    ),
]


def _flat(text):
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def _page_texts(data: bytes, tmp_path: Path) -> list[str]:
    """Each page's text as pdftotext reads it (pypdf's reading without poppler)."""
    reader = PdfReader(io.BytesIO(data))
    if shutil.which("pdftotext") is None:
        return [page.extract_text() for page in reader.pages]
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return [
        subprocess.run(
            ["pdftotext", "-f", str(i), "-l", str(i), str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for i in range(1, len(reader.pages) + 1)
    ]


@pytest.fixture(scope="module")
def report(demo_charts, tmp_path_factory):
    """The report of every kind of chart, heatmap included, with its page texts."""
    charts = list(demo_charts.values())
    data = report_pdf(charts, Cover("Confiance — Demo", {"country": ["FR"]}, "fr"))
    return charts, data, _page_texts(data, tmp_path_factory.mktemp("pdf"))


def test_pages_are_a_cover_then_each_chart_and_its_tables(report):
    charts, _, texts = report
    tables = [len(table_pages(c)) for c in charts]
    assert len(texts) == 1 + len(charts) + sum(tables)
    heatmap = charts[-1]  # its rows run over several pages, none dropped
    assert tables[-1] >= math.ceil(len(heatmap.rows) / LINES_PER_PAGE) > 1
    assert "Vagues" in texts[0] and "pays = France" in _flat(texts[0])


def test_each_chart_title_and_footnote_can_be_found(report):
    charts, _, texts = report
    page = 1
    for chart in charts:
        tables = len(table_pages(chart))
        for shown in texts[page : page + 1 + tables]:
            assert _flat(chart.text.title) in _flat(shown)
            assert _flat(plain(chart.text.footnote)) in _flat(shown)
        numbers = _flat(" ".join(texts[page + 1 : page + 1 + tables]))
        for _, row in chart.rows.iterrows():
            assert (
                f"{row['metric']} · {row['segment_var']}={row['segment_value']}"
                in numbers
            )
        page += 1 + tables


def test_cli_writes_the_pdf_report(demo_store_path, tmp_path, capsys):
    args = ["export", "--wave", "Demo-2025", "--metric", "churn_unprotected"]
    args += ["--metric", "password_reuse", "--by", "gender", "--format", "pdf"]
    assert (
        cli_main([*args, "--out", str(tmp_path), "--store", str(demo_store_path)]) == 0
    )
    path = Path(capsys.readouterr().out.strip())
    assert path.name == "Demo-2025_report.pdf"
    reader = PdfReader(str(path))
    assert len(reader.pages) == 1 + 2 * 2  # a cover, then two charts of 4 rows
