"""The words around a chart: insight title, question and footnote.

A manager pastes the PNG into a deck as it comes out, so the figure itself
carries what the numbers rest on. The words come from the EstimateTable rows
the chart shows, never from a recomputation; :mod:`analysis.figures.layout`
places them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.formatting import day_range, estimate_text, number
from analysis.i18n import Lang
from analysis.library.codebook import Codebook, Metric
from analysis.store.wave import TOTAL, WaveInfo, WaveMeta

_METHODS: Mapping[str, tuple[str, str]] = {
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


@dataclass(frozen=True)
class SlideText:
    """The words of a slide: insight title, question subtitle and footnote."""

    title: str
    subtitle: str
    footnote: str
    filename: str
    lang: Lang = "en"


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
    if lang == "fr":
        return f"{question.text.fr} — % de réponses «\u00a0{' ou '.join(yes)}\u00a0»"
    return f"{question.text.en} — % answering “{' or '.join(yes)}”"


def footnote_text(
    rows: pd.DataFrame,
    metas: Sequence[WaveMeta | WaveInfo],
    lang: Lang,
    *,
    filters: Mapping[str, Sequence[str]] | None = None,
    extra: Sequence[str] = (),
) -> str:
    """What the numbers rest on: base, interval wording, weighting, fieldwork, source.

    Intervals are called modelled (credibility) intervals, never a margin of
    error: an opt-in panel has no sampling frame, and the footnote says what
    the interval assumes instead.
    """
    fr = lang == "fr"
    colon = "\u00a0:" if fr else ":"
    waves = [m.meta if isinstance(m, WaveInfo) else m for m in metas]
    parts: list[str] = []
    synthetic = [m.name for m in waves if m.synthetic]
    if synthetic and len(synthetic) == len(waves):
        parts.append(
            "<b>Données de démonstration synthétiques</b>"
            if fr
            else "<b>Synthetic demo data</b>"
        )
    elif synthetic:
        names = ", ".join(synthetic)
        parts.append(
            f"<b>{names} : données de démonstration synthétiques</b>"
            if fr
            else f"<b>{names}: synthetic demo data</b>"
        )
    parts.append(_base(rows, lang))
    parts.append(_interval(rows, lang))
    if filters:
        shown = "; ".join(f"{k} = {', '.join(map(str, v))}" for k, v in filters.items())
        parts.append(("Filtre : " if fr else "Filter: ") + shown)
    parts.extend(extra)
    for source in dict.fromkeys(m.source for m in waves):
        fielded = []
        for meta in (m for m in waves if m.source == source):
            dates = day_range(meta.fieldwork_start, meta.fieldwork_end, lang)
            fielded.append(f"{meta.name} ({dates})" if dates else meta.name)
        head = ("Terrain" if fr else "Fieldwork") + colon + " " + ", ".join(fielded)
        parts.append(f"{head}. Source{colon} {source}")
    return ". ".join(p.rstrip(".") for p in parts if p) + "."


def _base(rows: pd.DataFrame, lang: Lang) -> str:
    fr = lang == "fr"
    n = pd.to_numeric(rows["n"], errors="coerce").astype("float64")
    n_eff = pd.to_numeric(rows["n_eff"], errors="coerce").astype("float64")
    if n.isna().all():
        return "Chiffre publié sans base" if fr else "Published figure without a base"
    total = rows["segment_var"] == TOTAL
    ref_n, ref_eff = (n[total], n_eff[total]) if total.any() else (n, n_eff)
    colon = "\u00a0:" if fr else ":"
    text = (
        f"Base{colon} n = {_span(ref_n, lang)} "
        f"({'n effectif' if fr else 'effective n'} = {_span(ref_eff, lang)})"
    )
    segments = n[~total].dropna()
    if len(segments) and total.any():
        text += f", segments n = {_span(segments, lang)}"
    weighted = bool(((n - n_eff) > 0.5).any())
    if weighted:
        deff = float((ref_n / ref_eff).dropna().max())
        text += (
            f". Données pondérées (effet de plan {number(deff, lang, 2)})"
            if fr
            else f". Weighted data (design effect {number(deff, lang, 2)})"
        )
    return text


def _span(values: pd.Series, lang: Lang) -> str:
    v = values.dropna()
    if v.empty:
        return "–"
    low, high = number(float(v.min()), lang), number(float(v.max()), lang)
    return low if low == high else f"{low}–{high}"


def _interval(rows: pd.DataFrame, lang: Lang) -> str:
    fr = lang == "fr"
    methods = [str(m) for m in pd.unique(rows["method"].dropna())]
    known = [_METHODS[m][1 if fr else 0] for m in methods if m in _METHODS]
    if not known:
        return ""
    level = number(100 * float(rows["level"].dropna().iloc[0]), lang)
    weighted = "pondéré " if fr else "weighted "
    if not any(m.endswith("-kish") or m in ("logit", "mean", "beta") for m in methods):
        weighted = ""
    if fr:
        return (
            f"Intervalles modélisés (de crédibilité) à {level}\u202f%, "
            f"{' ; '.join(known)} ; ils supposent que l'échantillon en ligne "
            f"{weighted}représente la population"
        )
    return (
        f"{level}% modelled (credibility) intervals, {'; '.join(known)}; "
        f"they assume the {weighted}opt-in sample represents the population"
    )
