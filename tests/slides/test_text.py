import dataclasses

from analysis import config
from analysis.figures.text import footnote_text, insight_title
from analysis.table.estimate import estimate


def test_a_low_base_never_makes_the_headline(demo_store, codebook):
    metric = codebook.metric("churn_unprotected")
    rows = estimate(demo_store, ["Demo-2019", "Demo-2025"], [metric.id])
    latest = rows.index[rows["wave"] == "Demo-2025"][0]
    assert insight_title(rows, metric, "en").startswith(
        f"{rows.loc[latest, 'estimate']:.0%}"
    )
    rows.loc[latest, "flag"] = "low_base"  # as a 25-respondent import would be
    earlier = rows[rows["wave"] == "Demo-2019"].iloc[0]["estimate"]
    assert insight_title(rows, metric, "en").startswith(f"{earlier:.0%}")
    rows["flag"] = "low_base"
    assert insight_title(rows, metric, "en") == metric.label.en


def test_footnote_names_the_synthetic_waves_when_mixed(demo_store):
    rows = estimate(demo_store, ["Demo-2025"], ["password_reuse"])
    demo = demo_store.wave("Demo-2025")
    real = dataclasses.replace(
        demo,
        meta=dataclasses.replace(
            demo.meta, name="FR-2026", synthetic=False, source="Client panel"
        ),
    )
    only_demo = footnote_text(rows, [demo], "en")
    mixed = footnote_text(rows, [demo, real], "en")
    assert only_demo.startswith("<b>Synthetic demo data</b>")
    assert mixed.startswith("<b>Demo-2025: synthetic demo data</b>")
    assert "FR-2026" in mixed
    assert "synthetic" not in footnote_text(rows, [real], "en").lower()


def test_a_theme_logo_lands_top_right_of_the_slide(tmp_path, demo_store):
    import shutil
    from pathlib import Path

    import yaml
    from PIL import Image

    from analysis.figures.chart import ChartContext
    from analysis.figures.segment import segment_chart
    from analysis.figures.theme import load_theme

    Image.new("RGB", (120, 40), (200, 30, 30)).save(tmp_path / "logo.png")
    raw = yaml.safe_load(Path(config.THEME).read_text(encoding="utf-8"))
    raw["brand"]["logo"] = "logo.png"
    (tmp_path / "theme.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    theme = load_theme(tmp_path / "theme.yaml")
    rows = estimate(demo_store, ["Demo-2025"], ["churn_unprotected"], ["country"])
    fig = segment_chart(
        rows, "churn_unprotected", ChartContext(size="slide", theme=theme), by="country"
    ).figure
    [logo] = fig.layout.images
    assert logo.source.startswith("data:image/png;base64,")
    assert logo.x > 0.8 and logo.y > 0.8  # top right
    plain = segment_chart(
        rows, "churn_unprotected", ChartContext(size="slide"), by="country"
    ).figure
    assert not plain.layout.images
    if shutil.which("chromium"):
        import io

        import numpy as np

        from analysis.slides.render import figure_png

        image = Image.open(io.BytesIO(figure_png(fig))).convert("RGB")
        assert image.size == (1920, 1080)
        corner = np.asarray(image.crop((1600, 0, 1920, 200)))
        reds = int((corner == (200, 30, 30)).all(axis=2).sum())
        assert reds > 1000  # the logo's pixels are in the top-right corner
