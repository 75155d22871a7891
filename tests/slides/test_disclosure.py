"""A deck can start with one slide disclosing what its waves are (AAPOR's items)."""

import dataclasses
import io
import zipfile

import pytest
from pptx import Presentation

from analysis.cli import main as cli_main
from analysis.slides.deck import Cover, deck_pptx, deck_zip, report_pdf
from analysis.slides.disclosure import ITEMS, disclosure_table, disclosure_title
from analysis.slides.render import find_browser
from analysis.store.origin import demo_disclosure, disclosure_text
from analysis.store.wave import DISCLOSURE_ITEMS, Disclosure
from analysis.store.wave_store import WaveStore

needs_browser = pytest.mark.skipif(
    find_browser() is None,
    reason="no Chromium: PNG export needs it (sudo apt-get install chromium)",
)


def _tables(slide):
    return [shape.table for shape in slide.shapes if shape.has_table]


def _cells(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_every_disclosure_item_has_a_row():
    assert set(DISCLOSURE_ITEMS) <= set(ITEMS)
    assert {"sample_type", "dates"} <= set(ITEMS)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", {"Sample type": "Opt-in panel", "Fieldwork dates": "3–17 March 2025"}),
        ("fr", {"Type d'échantillon": "Panel à adhésion volontaire"}),
    ],
)
def test_the_demo_discloses_an_opt_in_panel(demo_store, lang, expected):
    infos = [demo_store.wave("Demo-2025")]
    table = disclosure_table(infos, lang)
    assert table[0][1:] == ["Demo-2025"]
    assert len(table) == 1 + len(ITEMS)
    rows = {row[0]: row[1] for row in table[1:]}
    for item, value in expected.items():
        assert rows[item] == value
    shown = {item: disclosure_text(infos[0].meta, item, lang) for item in ITEMS}
    assert shown["sponsor"] and shown["sponsor"] in rows.values()
    assert shown["weighting"] in rows.values()


def test_the_demos_own_items_read_in_french_an_analysts_as_given(demo_store):
    """The demo's items are stored in English; a French deck gives them in French.

    An analyst's words are never translated, even when they match the demo's.
    """
    info = demo_store.wave("Demo-2025")
    english = demo_disclosure()
    assert info.meta.disclosure.sponsor == english["sponsor"]  # as stored
    french = {r[0]: r[1] for r in disclosure_table([info], "fr")[1:]}
    assert french["Commanditaire"] == (
        "Aucun\u00a0: données synthétiques produites par Confiance"
    )
    assert french["Mode de recueil"] == "Questionnaire en ligne simulé"
    assert not set(english.values()) & set(french.values())
    edited = dataclasses.replace(
        info.meta, disclosure=Disclosure(**{**english, "mode": "Phone, CATI"})
    )
    assert disclosure_text(edited, "mode", "fr") == "Phone, CATI"
    assert disclosure_text(edited, "sponsor", "fr").startswith("Aucun")
    own = dataclasses.replace(edited, source="our 2026 panel", synthetic=False)
    assert disclosure_text(own, "sponsor", "fr") == english["sponsor"]


def test_unstated_items_say_so_and_never_leave_a_blank(demo_store):
    published = demo_store.wave("RSA-2019")
    assert published.meta.sample_type == "unknown"
    rows = {r[0]: r[1] for r in disclosure_table([published], "en")[1:]}
    assert rows["Sample type"] == "Not stated"
    assert rows["Sponsor"] == "Not stated"
    assert rows["Sample sizes"] == "Not stated"  # toplines: rows are not people
    assert all(rows.values())


def test_the_pptx_deck_starts_with_the_disclosure(demo_charts):
    chart = demo_charts["segment"]  # French, Demo-2025
    described = dataclasses.replace(
        chart.waves[0],
        meta=dataclasses.replace(
            chart.waves[0].meta,
            sample_type="probability",
            disclosure=Disclosure(sponsor="Acme SA", mode="CATI"),
        ),
    )
    chart = dataclasses.replace(chart, waves=(described,))
    cover = Cover("Confiance — Demo", lang="fr")
    deck = Presentation(
        io.BytesIO(deck_pptx([chart], cover, native=True, disclosure=True))
    )
    assert len(deck.slides) == 3  # cover, disclosure, the chart
    page = deck.slides[1]
    assert page.shapes.title.text == disclosure_title("fr")
    [table] = _tables(page)
    assert _cells(table) == disclosure_table([described], "fr")
    rows = {r[0]: r[1] for r in _cells(table)[1:]}
    assert rows["Type d'échantillon"] == "Échantillon probabiliste"
    assert (rows["Commanditaire"], rows["Mode de recueil"]) == ("Acme SA", "CATI")
    assert deck.slides[2].shapes.title.text == chart.text.title
    plain = Presentation(io.BytesIO(deck_pptx([chart], cover, native=True)))
    assert len(plain.slides) == 2 and not any(_tables(s) for s in plain.slides)


def test_the_disclosure_lists_every_wave_of_the_deck(demo_charts):
    trend = demo_charts["trend"]  # three waves
    deck = Presentation(io.BytesIO(deck_pptx([trend], native=True, disclosure=True)))
    [table] = _tables(deck.slides[0])
    assert _cells(table)[0][1:] == ["Demo-2017", "Demo-2019", "Demo-2025"]


def test_cli_export_disclosure(tmp_path, demo_store_path, capsys):
    args = ["export", "--wave", "Demo-2025", "--metric", "churn_unprotected"]
    args += ["--format", "pptx", "--native-charts", "--disclosure"]
    args += ["--out", str(tmp_path), "--store", str(demo_store_path)]
    assert cli_main(args) == 0
    deck = Presentation(capsys.readouterr().out.strip())
    assert len(deck.slides) == 3
    [table] = _tables(deck.slides[1])
    info = WaveStore(demo_store_path).wave("Demo-2025")
    assert _cells(table) == disclosure_table([info], "en")


@pytest.mark.browser
@needs_browser
def test_png_and_pdf_decks_carry_the_disclosure(demo_charts):
    from pypdf import PdfReader

    charts = [demo_charts["tension"]]
    with zipfile.ZipFile(io.BytesIO(deck_zip(charts, disclosure=True))) as archive:
        names = archive.namelist()
    assert names[0] == "00_disclosure.png" and len(names) == 2
    pdf = PdfReader(io.BytesIO(report_pdf(charts, disclosure=True)))
    text = pdf.pages[0].extract_text()
    assert "About the data" in text and "Opt-in panel" in text
