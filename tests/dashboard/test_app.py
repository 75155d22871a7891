"""The dashboard as Streamlit's AppTest runs it: every page renders, numbers match."""

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import element_tree as tree

from analysis.table.estimate import EstimateOptions, estimate
from analysis.table.letters import with_segment_letters
from dashboard.page_paths import PAGES as PAGE_NAMES

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "app.py")
PAGES = sorted(p.name for p in (ROOT / "dashboard" / "app_pages").glob("*.py"))


@pytest.fixture
def app(demo_store_path, monkeypatch):
    monkeypatch.setenv("CONFIANCE_STORE", str(demo_store_path))
    monkeypatch.delenv("CONFIANCE_ANALYST_PASSWORD_HASH", raising=False)
    return AppTest.from_file(APP, default_timeout=90)


def _open(app, page, **params):
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    if page != "overview.py":
        app.switch_page(f"app_pages/{page}").run()
    assert not app.exception, app.exception
    # app.py turns a bug into an error with a reference: that is a failure too
    assert not [e.value for e in app.error if "reference" in e.value]
    return app


def _registered_pages():
    """The page names app.py registers."""
    return sorted(f"{name}.py" for name in PAGE_NAMES)


def test_every_registered_page_has_a_test():
    # test_every_page_renders_without_exception runs each file in PAGES
    assert _registered_pages() == PAGES


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(app, page):
    _open(app, page)


# words that are English and never French: one of them on a French page is a
# string someone forgot to translate
ENGLISH = {
    *("the", "and", "of", "with", "without", "under", "above", "by", "when"),
    *("choose", "download", "delete", "restore", "keep", "leave", "log"),
    *("chart", "charts", "metric", "metrics", "wave", "waves", "rows", "columns"),
    *("filter", "filters", "interval", "level", "weighted", "hidden", "method"),
    *("change", "changes", "between", "published", "geography", "difference"),
    *("inside", "year", "kind", "status", "imported", "countries", "fieldwork"),
    *("trail", "significant", "name", "file", "nothing", "validation", "report"),
}
TEXTS = (tree.Title, tree.Header, tree.Subheader, tree.Markdown, tree.Caption)
MESSAGES = (tree.Info, tree.Warning, tree.Error, tree.Success)
# the export panel is dashboard/exporting.py's: translated on the charts branch
EXPORT_KEYS = ("deck_", "png_")


def _shown_texts(node):
    """Every text a reader sees in a block, but table cells (data, not words).

    Headings, messages, labels, options, placeholders, help and table headers.
    """
    for child in getattr(node, "children", {}).values():
        if str(getattr(child, "key", None) or "").startswith(EXPORT_KEYS):
            continue
        if isinstance(child, TEXTS + MESSAGES):
            yield child.value
        for name in ("label", "placeholder", "help", "delta"):
            text = getattr(child, name, None)
            if isinstance(text, str):
                yield text
        yield from getattr(child, "options", None) or ()
        if isinstance(child, tree.Dataframe):
            frame = child.value
            yield from map(str, frame.columns)
            yield from (str(n) for n in frame.index.names if n)
        yield from _shown_texts(child)


def _english(texts):
    def words(text):
        # a « quotation » of data stays as the data says it; a file name is no word
        unquoted = re.sub(r"«[^»]*»", "", text.lower())
        return set(re.split(r"[\s,.;:!?()*·/]+", unquoted))

    return sorted({text for text in texts if ENGLISH & words(text)})


def test_the_english_check_sees_english(app):
    _open(app, "crosstab.py")
    assert "Columns" in _english(_shown_texts(app.main))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_and_the_sidebar_speak_french(app, page):
    _open(app, page, lang="fr", wave="Demo-2019")
    assert _english(_shown_texts(app.main)) == []
    assert _english(_shown_texts(app.sidebar)) == []


def test_the_export_panel_speaks_french(app):
    _open(app, "segments.py", lang="fr")
    panel = [
        element.label
        for element in [*app.sidebar.button, *app.get("download_button")]
        if str(element.key or "").startswith(EXPORT_KEYS)
    ]
    assert panel
    assert _english(panel) == []


def test_overview_cards_are_the_estimate_table(app, demo_store):
    _open(app, "overview.py")
    assert any("Synthetic demo data" in w.value for w in app.warning)
    table = estimate(demo_store, ["Demo-2025"])
    totals = table[table.segment_var == "total"].set_index("metric")
    shown = {m.label: m for m in app.metric}
    card = shown["Would leave a brand that fails to protect their data"]
    assert card.value == f"{totals.loc['churn_unprotected', 'estimate']:.0%}"
    assert "vs Demo-2019" in card.delta
    assert (
        shown["Data trust index (0–100)"].value
        == f"{totals.loc['trust_index', 'estimate']:.0f}"
    )
    assert len(shown) == len(totals)


def test_french_overview_uses_french_numbers(app, demo_store):
    _open(app, "overview.py", lang="fr")
    table = estimate(demo_store, ["Demo-2025"])
    share = table[
        (table.metric == "churn_unprotected") & (table.segment_var == "total")
    ].estimate.iloc[0]
    card = next(
        m
        for m in app.metric
        if m.label.startswith("Se détourneraient d'une marque qui")
    )
    assert card.value == f"{share * 100:.0f}\u202f%"


def test_segments_chart_carries_letters_and_low_base_marks(app, demo_store):
    _open(
        app,
        "segments.py",
        wave="Demo-2019",
        by="gender",
        metric="impulse_buy_personalised",
    )
    specs = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    assert specs, "no chart drawn"
    text = json.dumps(specs[0])
    table = with_segment_letters(
        estimate(demo_store, ["Demo-2019"], ["impulse_buy_personalised"], ["gender"])
    )
    other = table[table.segment_value == "other"].iloc[0]
    assert other.flag in {"small_base", "low_base"}
    lettered = table[(table.letters != "") & (table.segment_var == "gender")]
    for row in lettered.itertuples():
        assert row.letters in text


def test_view_lives_in_the_url(app):
    _open(app, "crosstab.py", wave="Demo-2017", by="age_band", lang="fr", ci="jeffreys")
    assert app.sidebar.selectbox(key="wave").value == "Demo-2017"
    assert app.sidebar.selectbox(key="ci").value == "jeffreys"
    assert app.selectbox[0].value == "age_band"
    for key, value in {"wave": "Demo-2017", "by": "age_band", "ci": "jeffreys"}.items():
        assert value in str(app.query_params[key])
    frames = app.dataframe
    assert frames and "18-24" in " ".join(map(str, frames[0].value.columns))


def test_empty_store_says_how_to_load_the_demo(tmp_path, monkeypatch):
    monkeypatch.setenv("CONFIANCE_STORE", str(tmp_path / "empty.duckdb"))
    app = AppTest.from_file(APP, default_timeout=30).run()
    assert not app.exception
    assert "python -m analysis demo" in app.info[0].value


def test_without_a_browser_export_says_how_to_enable_it(app, monkeypatch):
    monkeypatch.setenv("CONFIANCE_CHROMIUM", "/nonexistent/chromium")
    _open(app, "segments.py", by="country", metric="churn_unprotected")
    assert any("sudo apt-get install chromium" in c.value for c in app.sidebar.caption)
    assert not [b for b in app.sidebar.button if b.label.startswith("Export deck")]
    assert app.get("plotly_chart")  # the chart, and its camera button, are still there


@pytest.mark.browser
@pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists(), reason="needs Debian's chromium"
)
def test_export_deck_of_the_segments_view(app):
    import io

    from pptx import Presentation

    _open(
        app,
        "segments.py",
        by="gender",
        metric="churn_unprotected,expect_personalisation",
    )
    charts = len(app.get("plotly_chart"))
    assert charts == 3  # two metrics and the heatmap
    deck_button = next(
        b for b in app.sidebar.button if b.label.startswith("Export deck")
    )
    assert deck_button.label == "Export deck (3 charts)"
    deck_button.click().run(timeout=180)
    assert not app.exception
    kind, content = app.session_state["deck_file"][1:]
    assert kind == "PPTX"
    deck = Presentation(io.BytesIO(content))
    assert len(deck.slides) == charts + 1  # a cover, then one slide per chart
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles[0].startswith("Confiance · Segments · Demo-2025")
    assert any("would turn away from a brand" in t for t in titles[1:])
    notes = deck.slides[1].notes_slide.notes_text_frame.text
    assert "female" in notes and "male" in notes


@pytest.mark.browser
@pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists(), reason="needs Debian's chromium"
)
def test_export_editable_deck_and_pdf_of_the_view(app):
    import io

    from pptx import Presentation

    _open(app, "segments.py", by="gender", metric="churn_unprotected")
    pdf = [b for b in app.get("download_button") if b.key == "deck_pdf"]
    assert [b.label for b in pdf] == ["PDF report of this view"]
    app.sidebar.radio(key="deck_kind").set_value("NATIVE").run()
    next(b for b in app.sidebar.button if b.key == "deck_go").click().run(timeout=180)
    assert not app.exception
    kind, content = app.session_state["deck_file"][1:]
    assert kind == "NATIVE"
    deck = Presentation(io.BytesIO(content))
    shapes = [[s.shape_type.name for s in page.shapes] for page in deck.slides]
    assert "CHART" in shapes[1]  # the metric's bars, native
    assert "PICTURE" in shapes[-1]  # the heatmap stays a picture


def test_low_bases_are_marked_and_small_cells_hidden_on_the_chart(app, demo_store):
    _open(
        app,
        "segments.py",
        wave="Demo-2017",
        by="age_band",
        metric="password_reuse",
        f_gender="other",
    )
    table = estimate(
        demo_store,
        ["Demo-2017"],
        ["password_reuse"],
        ["age_band"],
        {"gender": ["other"]},
    )
    flags = set(table["flag"])
    assert {"low_base", "suppressed"} <= flags  # the filter leaves a few dozen people
    spec = json.dumps(
        json.loads(app.get("plotly_chart")[0].proto.spec), ensure_ascii=False
    )
    assert "low base" in spec and "n<10 – hidden" in spec
    hidden = table[table.flag == "suppressed"]
    for row in hidden.itertuples():  # no estimate of a hidden cell reaches the browser
        assert row.n < 10
    shown = table[(table.flag == "low_base")]
    for row in shown.itertuples():
        assert f"{row.estimate:.0%}" in spec


@pytest.mark.parametrize("level", ["0.9", "0.99"])
def test_crosstab_letters_are_tested_at_the_users_level(app, demo_store, level):
    from analysis.library.codebook import load_codebook
    from analysis.table.crosstab import banner_table

    _open(app, "crosstab.py", wave="Demo-2025", by="country", level=level)
    shown = app.dataframe[0].value
    options = EstimateOptions(level=float(level))
    table = estimate(demo_store, ["Demo-2025"], None, ["country"], options=options)
    codebook = load_codebook()
    mine = banner_table(
        with_segment_letters(table, alpha=1 - float(level)), codebook, "country"
    )
    at_5 = banner_table(with_segment_letters(table), codebook, "country")
    assert not mine.equals(at_5)  # the level changes some letters here
    assert shown.astype(str).equals(mine.astype(str))
    alpha = "10%" if level == "0.9" else "1%"
    assert any(f"α = {alpha}" in c.value for c in app.caption)
