"""The words around a chart: insight title, question and footnote.

A manager pastes the PNG into a deck as it comes out, so the figure itself
carries what the numbers rest on. The words come from the EstimateTable rows
the chart shows, never from a recomputation; :mod:`analysis.figures.layout`
places them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.figures.sampling import interval_sentence
from analysis.formatting import day_range, estimate_text, number
from analysis.i18n import Lang, Words
from analysis.library.codebook import Codebook, Metric
from analysis.store.origin import is_demo, source_text
from analysis.store.wave import TOTAL, WaveInfo, WaveMeta

_WORDS = Words(
    {
        "answering": (
            "{question} — % answering “{yes}”",
            "{question} — % de réponses «\u00a0{yes}\u00a0»",
        ),
        "or": (" or ", " ou "),
        "demo_all": (
            "<b>Synthetic demo data</b>",
            "<b>Données de démonstration synthétiques</b>",
        ),
        "demo_some": (
            "<b>{names}: synthetic demo data</b>",
            "<b>{names}\u00a0: données de démonstration synthétiques</b>",
        ),
        "synthetic_all": ("<b>Synthetic data</b>", "<b>Données synthétiques</b>"),
        "synthetic_some": (
            "<b>{names}: synthetic data</b>",
            "<b>{names}\u00a0: données synthétiques</b>",
        ),
        "no_base": ("Published figure without a base", "Chiffre publié sans base"),
        "base": (
            "Base: n = {n} (effective n = {n_eff})",
            "Base\u00a0: n = {n} (n effectif = {n_eff})",
        ),
        "segments_base": (", segments n = {n}", ", segments n = {n}"),
        "weighted_data": (
            ". Weighted data (design effect {deff})",
            ". Données pondérées (effet de plan {deff})",
        ),
        "weighted_to": (
            "Weighted to {variables}: targets {name}, source: {source}",
            "Pondéré selon {variables}\u00a0: cibles {name}, source\u00a0: {source}",
        ),
        "weighted_as": ("Weighting: {name}", "Pondération\u00a0: {name}"),
        "by_group": ("{variables} by {group}", "{variables} par {group}"),
        "no_source": ("not given", "non indiquée"),
        "rule": ("{metric} — {rule}", "{metric} — {rule}"),
        "filter": ("Filter: {shown}", "Filtre\u00a0: {shown}"),
        "fieldwork": (
            "Fieldwork: {waves}. Source: {source}",
            "Terrain\u00a0: {waves}. Source\u00a0: {source}",
        ),
    }
)


@dataclass(frozen=True)
class SlideText:
    """The words of a slide: insight title, question subtitle and footnote."""

    title: str
    subtitle: str
    footnote: str
    filename: str
    lang: Lang = "en"


def plain(text: str) -> str:
    """``text`` without its markup (``<b>``, ``<br>``), for notes and covers."""
    return re.sub(r"<[^>]+>", "", text.replace("<br>", " "))


def insight_title(rows: pd.DataFrame, metric: Metric, lang: Lang) -> str:
    """The metric's insight with the total's estimate, e.g. "58% would …".

    Quotes the latest total whose base is large enough to be tested; a low or
    hidden base never makes a headline (the plain label stands instead).
    """
    total = rows[(rows["metric"] == metric.id) & (rows["segment_var"] == TOTAL)]
    flags = total["flag"] if "flag" in total else pd.Series("ok", index=total.index)
    shown = total[total["estimate"].notna() & ~flags.isin(["low_base", "suppressed"])]
    if shown.empty:
        return metric.label.get(lang)
    row = shown.iloc[-1]
    value = estimate_text(float(row["estimate"]), str(row["scale"]), lang)
    text = metric.insight.get(lang).format(value=value)
    return text[0].upper() + text[1:]


def widest_gap(rows: pd.DataFrame, by: str) -> tuple[pd.Series, pd.Series] | None:
    """The lowest and highest segment of the metric whose ``by`` segments differ most.

    Gaps are compared like with like: among shares (percentage points) when
    the rows hold any share, else among indices (index points) — a 0–100
    index is never ranked against a 0–1 share. Only testable bases count; a
    low or hidden base never makes a headline. None when no segment counts.
    """
    segs = rows[(rows["segment_var"] == by) & rows["flag"].isin(["ok", "small_base"])]
    segs = segs[segs["estimate"].notna()]
    if segs.empty:
        return None
    scales = set(segs["scale"].astype(str))
    segs = segs[
        segs["scale"].astype(str) == ("share" if "share" in scales else "index")
    ]
    estimates = segs.groupby("metric")["estimate"]
    spans = estimates.max() - estimates.min()
    ordered = segs[segs["metric"] == spans.idxmax()].sort_values("estimate")
    return ordered.iloc[0], ordered.iloc[-1]


def question_text(metric: Metric, codebook: Codebook, lang: Lang) -> str:
    """The question as asked and which answers count, or the index's definition."""
    qid = metric.question
    if qid is None or qid not in codebook.questions:
        return metric.description.get(lang) if metric.description else ""
    question = codebook.questions[qid]
    yes = [question.labels[c].get(lang) for c in sorted(metric.items[0].yes)]
    return _WORDS(
        "answering",
        lang,
        question=question.text.get(lang),
        yes=_WORDS("or", lang).join(yes),
    )


def footnote_text(
    rows: pd.DataFrame,
    waves: Sequence[WaveInfo],
    lang: Lang,
    *,
    filters: Mapping[str, Sequence[str]] | None = None,
    extra: Sequence[str] = (),
    codebook: Codebook | None = None,
) -> str:
    """What the numbers rest on: base, interval wording, weighting, fieldwork, source.

    The intervals are worded by the waves' sample type
    (:func:`~analysis.figures.sampling.interval_sentence`): a margin of error
    only for a probability sample. With ``codebook``, each composite's base
    rule is said. ``filters`` are written as given (labels already applied
    by the caller).
    """
    metas = [w.meta for w in waves]
    parts = [_synthetic_mark(metas, lang), _base(rows, lang)]
    parts.extend(weighting_sentences(rows, lang))
    parts.append(interval_sentence(rows, waves, lang))
    if codebook is not None:
        parts.extend(base_rules(rows, codebook, lang))
    if filters:
        shown = "; ".join(f"{k} = {', '.join(map(str, v))}" for k, v in filters.items())
        parts.append(_WORDS("filter", lang, shown=shown))
    parts.extend(extra)
    sources = {m.name: source_text(m, lang) for m in metas}
    for source in dict.fromkeys(sources.values()):
        fielded = []
        for meta in (m for m in metas if sources[m.name] == source):
            dates = day_range(meta.fieldwork_start, meta.fieldwork_end, lang)
            fielded.append(f"{meta.name} ({dates})" if dates else meta.name)
        parts.append(_WORDS("fieldwork", lang, waves=", ".join(fielded), source=source))
    return ". ".join(p.rstrip(".") for p in parts if p) + "."


def _synthetic_mark(metas: Sequence[WaveMeta], lang: Lang) -> str:
    """Which waves are synthetic; "demo" only when every one is the demo's."""
    synthetic = [m for m in metas if m.synthetic]
    if not synthetic:
        return ""
    kind = "demo" if all(is_demo(m) for m in synthetic) else "synthetic"
    if len(synthetic) == len(metas):
        return _WORDS(f"{kind}_all", lang)
    return _WORDS(f"{kind}_some", lang, names=", ".join(m.name for m in synthetic))


def _base(rows: pd.DataFrame, lang: Lang) -> str:
    n = pd.to_numeric(rows["n"], errors="coerce").astype("float64")
    n_eff = pd.to_numeric(rows["n_eff"], errors="coerce").astype("float64")
    if n.isna().all():
        return _WORDS("no_base", lang)
    total = rows["segment_var"] == TOTAL
    ref_n, ref_eff = (n[total], n_eff[total]) if total.any() else (n, n_eff)
    text = _WORDS("base", lang, n=_span(ref_n, lang), n_eff=_span(ref_eff, lang))
    segments = n[~total].dropna()
    if len(segments) and total.any():
        text += _WORDS("segments_base", lang, n=_span(segments, lang))
    if bool(((n - n_eff) > 0.5).any()):
        deff = float((ref_n / ref_eff).dropna().max())
        text += _WORDS("weighted_data", lang, deff=number(deff, lang, 2))
    return text


def weighting_sentences(rows: pd.DataFrame, lang: Lang) -> list[str]:
    """Say what each stored weighting the rows use was weighted to, and the source.

    The rows' ``weighting`` column names it; what it was weighted to is in
    ``rows.attrs["weightings"]`` (:mod:`analysis.table.weighted`). The file's
    own weight needs no sentence: the base's "weighted data" says it.
    """
    if "weighting" not in rows.columns:
        return []
    said = rows.attrs.get("weightings", {})
    out = []
    for name in pd.unique(rows["weighting"].dropna().astype(str)):
        if name in ("", "file"):
            continue
        facts = said.get(name)
        if facts is None:
            out.append(_WORDS("weighted_as", lang, name=name))
            continue
        variables = ", ".join(facts["variables"])
        if facts.get("group"):
            variables = _WORDS(
                "by_group", lang, variables=variables, group=facts["group"]
            )
        source = facts["source"] or _WORDS("no_source", lang)
        out.append(
            _WORDS("weighted_to", lang, variables=variables, name=name, source=source)
        )
    return out


def _span(values: pd.Series, lang: Lang) -> str:
    v = values.dropna()
    if v.empty:
        return "–"
    low, high = number(float(v.min()), lang), number(float(v.max()), lang)
    return low if low == high else f"{low}–{high}"


def base_rules(rows: pd.DataFrame, codebook: Codebook, lang: Lang) -> list[str]:
    """Who counts in each composite's base, as the codebook states it.

    A single question's base needs no sentence; with several composites
    shown, each sentence names its metric.
    """
    metrics = [
        codebook.metrics[m] for m in pd.unique(rows["metric"]) if m in codebook.metrics
    ]
    composite = [m for m in metrics if m.base_rule.kind != "one"]
    if len(composite) == 1 and len(metrics) == 1:
        return [composite[0].base_rule.describe(lang)]
    said = []
    for metric in composite:
        rule = metric.base_rule.describe(lang)
        said.append(
            _WORDS(
                "rule",
                lang,
                metric=metric.label.get(lang),
                rule=rule[0].lower() + rule[1:],
            )
        )
    return said
