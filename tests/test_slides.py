import dataclasses

from analysis.metrics import estimate
from analysis.slides import footnote_text, insight_title


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
        demo.meta, name="FR-2026", synthetic=False, source="Client panel"
    )
    only_demo = footnote_text(rows, [demo], "en")
    mixed = footnote_text(rows, [demo, real], "en")
    assert only_demo.startswith("<b>Synthetic demo data</b>")
    assert mixed.startswith("<b>Demo-2025: synthetic demo data</b>")
    assert "FR-2026" in mixed
    assert "synthetic" not in footnote_text(rows, [real], "en").lower()
