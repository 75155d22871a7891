"""A wave's source in the words of the chart: an upload's, old stores' and the demo's.

A file imported without a source is stored as "upload of <file>" (as every
release wrote it: ``upload.duckdb.gz`` was made by the previous release's own
code, tests/data/store/make_upload_store.py). A French chart, native deck and
disclosure slide say "import de <file>"; an analyst's own source is never
translated. Only the demo's waves are called demo data.
"""

import dataclasses
import gzip
import io
import shutil
from pathlib import Path

import pytest
from pptx import Presentation

from analysis.cli import main as cli_main
from analysis.figures.chart import ChartContext
from analysis.figures.segment import segment_chart
from analysis.figures.text import footnote_text, plain
from analysis.slides.deck import Cover, deck_pptx
from analysis.slides.disclosure import disclosure_table
from analysis.store.origin import disclosure_text, is_demo, source_text
from analysis.store.wave import Disclosure
from analysis.store.wave_store import WaveStore
from analysis.table.estimate import estimate

DATA = Path(__file__).parents[1] / "data"
FILE = "qualtrics_fr_text.csv"
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def new_upload(tmp_path_factory) -> tuple[WaveStore, str]:
    """The file imported by today's command line, without --source."""
    path = tmp_path_factory.mktemp("new") / "store.duckdb"
    args = ["ingest", str(DATA / "ingest" / FILE), "--wave", "Upload-2026"]
    assert cli_main([*args, "--store", str(path)]) == 0
    return WaveStore(path), "Upload-2026"


@pytest.fixture(scope="module")
def old_upload(tmp_path_factory) -> tuple[WaveStore, str]:
    """The same file as the previous release (17effcb) imported and stored it."""
    path = tmp_path_factory.mktemp("old") / "upload.duckdb"
    with (
        gzip.open(DATA / "store" / "upload.duckdb.gz") as packed,
        path.open("wb") as out,
    ):
        shutil.copyfileobj(packed, out)
    return WaveStore(path), "Upload-2025"


@pytest.fixture(params=["new_upload", "old_upload"])
def upload(request) -> tuple[WaveStore, str]:
    """An uploaded wave without a source: stored today, or by the previous release."""
    return request.getfixturevalue(request.param)


def _chart(store, wave, lang):
    rows = estimate(store, [wave], ["share_with_caution"], ["country"])
    context = ChartContext(lang=lang, waves=[store.wave(wave)], size="slide")
    return segment_chart(rows, "share_with_caution", context, by="country")


def _slide_texts(data: bytes) -> list[str]:
    deck = Presentation(io.BytesIO(data))
    return [
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    ]


def test_both_stores_hold_the_english_upload_text(upload):
    store, wave = upload
    meta = store.wave(wave).meta
    assert (meta.source, meta.file_name) == (f"upload of {FILE}", FILE)


def test_a_french_chart_footnote_says_import_de(upload):
    store, wave = upload
    footnote = _chart(store, wave, "fr").text.footnote
    assert f"Source{NBSP}: import de {FILE}." in footnote
    assert "upload" not in footnote
    english = _chart(store, wave, "en").text.footnote
    assert f"Source: upload of {FILE}." in english


def test_a_french_deck_says_import_de_under_the_chart_and_on_disclosure(upload):
    store, wave = upload
    chart = _chart(store, wave, "fr")
    data = deck_pptx([chart], Cover("Confiance", lang="fr"), native=True)
    texts = _slide_texts(data)
    assert plain(chart.text.footnote) in texts
    assert any(f"import de {FILE}" in text for text in texts)
    assert not any("upload of" in text for text in texts)
    disclosed = deck_pptx(
        [chart], Cover("Confiance", lang="fr"), native=True, disclosure=True
    )
    deck = Presentation(io.BytesIO(disclosed))
    cells = [
        cell.text
        for shape in deck.slides[1].shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    ]
    assert f"import de {FILE}" in cells


def test_an_analysts_own_source_is_never_translated(new_upload):
    store, wave = new_upload
    meta = store.wave(wave).meta
    for source in ("Panel X, March", f"upload of another-{FILE}"):
        given = dataclasses.replace(meta, source=source)
        assert source_text(given, "fr") == source == source_text(given, "en")


def test_the_demo_source_is_french_in_french(demo_store):
    info = demo_store.wave("Demo-2025")
    assert is_demo(info.meta)
    rows = estimate(demo_store, ["Demo-2025"], ["password_reuse"])
    footnote = footnote_text(rows, [info], "fr")
    assert "Données de démonstration synthétiques générées par Confiance" in footnote
    assert "generated" not in footnote
    [source] = [r[1] for r in disclosure_table([info], "fr") if r[0] == "Source"]
    assert source.startswith("Données de démonstration synthétiques")


def test_only_the_demo_waves_are_called_demo_data(demo_store):
    rows = estimate(demo_store, ["Demo-2025"], ["password_reuse"])
    demo = demo_store.wave("Demo-2025")
    bench = dataclasses.replace(
        demo,
        meta=dataclasses.replace(
            demo.meta,
            name="Bench-1",
            source="benchmark (generated in SQL)",
            disclosure=Disclosure(),
        ),
    )
    real = dataclasses.replace(
        demo,
        meta=dataclasses.replace(
            demo.meta, name="FR-2026", synthetic=False, source="Client panel"
        ),
    )
    assert bench.meta.synthetic and not is_demo(bench.meta)
    for lang, demo_words, plain_words, colon, limitations in [
        ("en", "Synthetic demo data", "Synthetic data", ": ", "Limitations"),
        (
            "fr",
            "Données de démonstration synthétiques",
            "Données synthétiques",
            f"{NBSP}: ",
            "Limites",
        ),
    ]:
        assert footnote_text(rows, [demo], lang).startswith(f"<b>{demo_words}</b>")
        only_bench = footnote_text(rows, [bench], lang)
        assert only_bench.startswith(f"<b>{plain_words}</b>")
        assert demo_words.lower() not in only_bench.lower()
        # one synthetic wave that is not the demo's: none is called demo data
        both = footnote_text(rows, [demo, bench], lang)
        assert both.startswith(f"<b>{plain_words}</b>")
        mixed = footnote_text(rows, [real, bench], lang)
        assert mixed.startswith(f"<b>Bench-1{colon}")
        assert plain_words.lower() in mixed
        cells = {r[0]: r[1:] for r in disclosure_table([demo, bench], lang)}
        [demo_limit, bench_limit] = cells[limitations]
        # stated by the demo (in English), read in the deck's language
        assert demo_limit == disclosure_text(demo.meta, "limitations", lang)
        assert bench_limit.startswith(plain_words)
