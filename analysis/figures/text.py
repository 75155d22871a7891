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

from analysis.formatting import day_range, estimate_text, number, percent
from analysis.i18n import Lang, Words
from analysis.library.codebook import Codebook, Metric
from analysis.store.wave import TOTAL, WaveInfo

_METHODS = Words(
    {
        "wilson-kish": (
            "Wilson on the Kish effective base",
            "Wilson sur la base effective de Kish",
        ),
        "wilson": ("Wilson score", "score de Wilson"),
        "clopper-pearson-kish": (
            "Clopper–Pearson on the Kish effective base",
            "Clopper–Pearson sur la base effective de Kish",
        ),
        "clopper-pearson": ("Clopper–Pearson", "Clopper–Pearson"),
        "jeffreys-kish": (
            "Jeffreys on the Kish effective base",
            "Jeffreys sur la base effective de Kish",
        ),
        "jeffreys": ("Jeffreys", "Jeffreys"),
        "agresti-coull-kish": (
            "Agresti–Coull on the Kish effective base",
            "Agresti–Coull sur la base effective de Kish",
        ),
        "agresti-coull": ("Agresti–Coull", "Agresti–Coull"),
        "logit": ("logit, linearised design-based", "logit, linéarisé selon le plan"),
        "mean": ("linearised design-based", "linéarisé selon le plan"),
        "beta": ("Korn–Graubard beta", "bêta de Korn–Graubard"),
        "mean-t": (
            "mean ± t × linearised standard error",
            "moyenne ± t × erreur type linéarisée",
        ),
    }
)
"""How the footnote names each interval method of the EstimateTable."""

_WORDS = Words(
    {
        "answering": (
            "{question} — % answering “{yes}”",
            "{question} — % de réponses «\u00a0{yes}\u00a0»",
        ),
        "or": (" or ", " ou "),
        "synthetic_all": (
            "<b>Synthetic demo data</b>",
            "<b>Données de démonstration synthétiques</b>",
        ),
        "synthetic_some": (
            "<b>{names}: synthetic demo data</b>",
            "<b>{names}\u00a0: données de démonstration synthétiques</b>",
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
        "interval": (
            "{level} modelled (credibility) intervals, {methods}; they assume "
            "the {weighted}opt-in sample represents the population",
            "Intervalles modélisés (de crédibilité) à {level}, {methods}\u00a0; "
            "ils supposent que l'échantillon en ligne {weighted}représente "
            "la population",
        ),
        "weighted": ("weighted ", "pondéré "),
        "list": ("; ", "\u00a0; "),
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


def level_text(level: float, lang: Lang) -> str:
    """A confidence or significance level as a percentage: "95%", "99.5%"."""
    decimals = 0 if float(round(100 * level, 6)).is_integer() else 1
    return percent(level, lang, decimals)


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
) -> str:
    """What the numbers rest on: base, interval wording, weighting, fieldwork, source.

    Intervals are called modelled (credibility) intervals, never a margin of
    error: an opt-in panel has no sampling frame, and the footnote says what
    the interval assumes instead. ``filters`` are written as given (labels
    already applied by the caller).
    """
    metas = [w.meta for w in waves]
    parts: list[str] = []
    synthetic = [m.name for m in metas if m.synthetic]
    if synthetic and len(synthetic) == len(metas):
        parts.append(_WORDS("synthetic_all", lang))
    elif synthetic:
        parts.append(_WORDS("synthetic_some", lang, names=", ".join(synthetic)))
    parts.append(_base(rows, lang))
    parts.append(_interval(rows, lang))
    if filters:
        shown = "; ".join(f"{k} = {', '.join(map(str, v))}" for k, v in filters.items())
        parts.append(_WORDS("filter", lang, shown=shown))
    parts.extend(extra)
    for source in dict.fromkeys(m.source for m in metas):
        fielded = []
        for meta in (m for m in metas if m.source == source):
            dates = day_range(meta.fieldwork_start, meta.fieldwork_end, lang)
            fielded.append(f"{meta.name} ({dates})" if dates else meta.name)
        parts.append(_WORDS("fieldwork", lang, waves=", ".join(fielded), source=source))
    return ". ".join(p.rstrip(".") for p in parts if p) + "."


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


def _span(values: pd.Series, lang: Lang) -> str:
    v = values.dropna()
    if v.empty:
        return "–"
    low, high = number(float(v.min()), lang), number(float(v.max()), lang)
    return low if low == high else f"{low}–{high}"


def _interval(rows: pd.DataFrame, lang: Lang) -> str:
    methods = [str(m) for m in pd.unique(rows["method"].dropna())]
    known = [_METHODS(m, lang) for m in methods if m in _METHODS]
    if not known:
        return ""
    weighted = any(
        m.endswith("-kish") or m in ("logit", "mean", "beta") for m in methods
    )
    return _WORDS(
        "interval",
        lang,
        level=level_text(float(rows["level"].dropna().iloc[0]), lang),
        methods=_WORDS("list", lang).join(known),
        weighted=_WORDS("weighted", lang) if weighted else "",
    )
