"""The native deck as a recipient sees it: LibreOffice's PDF of it, page by page.

One conversion for the whole session (the ``office_render`` fixture); each
check reads its pages. Skipped, with the install command, without
LibreOffice and poppler.
"""

import re

from PIL import Image, ImageStat

from analysis.figures.theme import load_theme
from analysis.formatting import percent
from analysis.store.wave import TOTAL


def _flat(text):
    """Text as compared: every run of spaces (NBSP, narrow NBSP, newline) as one."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def test_every_page_is_drawn_and_not_blank(office_render):
    assert len(office_render.pages) == 1 + len(office_render.charts)
    for page in office_render.pages:
        image = Image.open(page).convert("L")
        assert image.width > image.height  # 16:9, the template's size
        assert ImageStat.Stat(image).var[0] > 200, page.name


def test_each_chart_page_shows_its_title_categories_and_labels(office_render):
    theme = load_theme()
    for chart, text in zip(office_render.charts, office_render.texts[1:], strict=True):
        shown = _flat(text)
        lang = chart.text.lang
        assert _flat(chart.text.title)[:40] in shown
        assert "ACME" in shown  # the template's logo, from its master
        for value in dict.fromkeys(chart.rows["segment_value"]):
            assert _flat(theme.label(value, lang)) in shown
        if chart.rows["wave"].nunique() > 1:  # a trend: the waves along the axis
            assert all(w.name in shown for w in chart.waves)


def test_value_labels_carry_the_letters(office_render):
    chart = office_render.charts[0]  # the French segment chart
    shown = _flat(office_render.texts[1])
    lettered = chart.rows[chart.rows["letters"].astype(str) != ""]
    assert not lettered.empty
    for _, row in chart.rows.iterrows():
        value = _flat(percent(row["estimate"], "fr"))
        label = f"{value} {row['letters']}" if row["letters"] else value
        assert label in shown, label
    total = chart.rows[chart.rows["segment_var"] == TOTAL].iloc[0]
    assert _flat(percent(total["estimate"], "fr")) in shown


def test_low_base_and_hidden_cells_read_as_such(office_render):
    shown = _flat(office_render.texts[4])
    assert "low base" in shown
    assert "(n<10 – hidden)" in shown


def test_the_footnote_is_not_cut_off(office_render):
    """The footnote's last words are on the page, and nothing runs to its foot."""
    pages = office_render.pages[1:]
    for chart, text, page in zip(
        office_render.charts, office_render.texts[1:], pages, strict=True
    ):
        last = _flat(re.sub(r"<[^>]+>", "", chart.text.footnote))[-40:]
        assert last in _flat(text)
        image = Image.open(page).convert("L")
        foot = image.crop((0, image.height - 8, image.width, image.height))
        assert ImageStat.Stat(foot).var[0] < 5, page.name


def test_answer_charts_show_their_answers_bases_and_values(office_render):
    """The scale, the yes/no and the 5-point scale, as LibreOffice draws them."""
    scale, single, neutral = office_render.charts[-3:]
    texts = [_flat(t) for t in office_render.texts[-3:]]
    for chart, shown in zip((scale, single, neutral), texts, strict=True):
        for answer in chart.answers.answers:
            assert answer in shown  # in the legend or down the side
        assert "n = " in shown  # each segment's base beside its name
    quebec = scale.rows[
        (scale.rows["segment_value"] == "QC") & (scale.rows["answer"] == "not")
    ].iloc[0]
    assert f"{percent(quebec['estimate'])} {quebec['letters']}" in texts[0]
    total = single.rows[single.rows["answer"] == "Yes"].iloc[0]
    assert percent(total["estimate"]) in texts[1]
    assert "-" + percent(quebec["estimate"]) not in texts[0]  # no sign on the left
