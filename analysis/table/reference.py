"""Published figures beside a wave's own estimates, on the same geography only.

Answers the reviewer's first question about a new wave: does it tell the same
story as the RSA 2019 and Segment 2017 reports? A figure is set against the
wave only where both describe the same people: its country, or the report's
whole sample when the wave covers exactly the same countries. A figure whose
geography is not stated is shown with its caveats and never compared. With a
published base the difference is tested (a z-test whose variance adds the
report's binomial sampling variance to the wave's design-based one); without
one, the published figure is only placed inside or outside the wave's interval.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, get_args

import numpy as np
import pandas as pd
from scipy import special as _spec

from analysis.formatting import number
from analysis.i18n import Lang, Words
from analysis.library.codebook import Codebook, Metric
from analysis.library.published import ALL, Published
from analysis.methods import AdjustMethod
from analysis.stats.comparisons import UNTESTED_FLAGS, adjust_pvalues
from analysis.stats.intervals import check_level, check_method
from analysis.store.wave import TOTAL

COLUMNS = (
    "metric",
    "geography",
    "geography_text",
    "note",
    "published",
    "base_n",
    "year",
    "source",
    "checked",
    "compared",
    "estimate",
    "ci_low",
    "ci_high",
    "n",
    "flag",
    "diff",
    "diff_low",
    "diff_high",
    "test",
    "p_value",
    "p_adjusted",
    "significant",
    "within_interval",
    "verdict",
)
TWO_SAMPLE = "z-test-published-base"
"""The test of a figure with a published base."""
INSIDE = "inside-interval"
"""A figure without a base: only placed against the wave's interval."""

_WORDS = Words(
    {
        "not_stated": (
            "not compared: the geography is not stated",
            "non comparé : la géographie n'est pas précisée",
        ),
        "other_sample": (
            "not compared: the wave covers {wave}, the report {report}",
            "non comparé : la vague couvre {wave}, le rapport {report}",
        ),
        "absent": (
            "not compared: no {where} respondents in this wave",
            "non comparé : aucun répondant {where} dans cette vague",
        ),
        "untested": (
            "not tested: the wave's base is too low",
            "non testé : la base de la vague est trop faible",
        ),
        "differs": (
            "✱ differs from the published figure (z-test against its base, "
            "n = {base}; {adjust})",
            "✱ diffère du chiffre publié (test z contre sa base, n = {base} ; "
            "{adjust})",
        ),
        "same": (
            "no significant difference (z-test against the published base, "
            "n = {base}; {adjust})",
            "pas d'écart significatif (test z contre la base publiée, n = {base} ; "
            "{adjust})",
        ),
        "inside": (
            "inside the wave's interval (no published base, so its own error is "
            "unknown)",
            "dans l'intervalle de la vague (sans base publiée, son erreur propre est "
            "inconnue)",
        ),
        "outside": (
            "outside the wave's interval (no published base, so its own error is "
            "unknown)",
            "hors de l'intervalle de la vague (sans base publiée, son erreur propre "
            "est inconnue)",
        ),
        "holm": ("Holm across this page", "Holm sur cette page"),
        "bh": ("Benjamini–Hochberg across this page", "Benjamini–Hochberg sur la page"),
        "none": ("no correction", "sans correction"),
    }
)


def reference_comparison(
    table: pd.DataFrame,
    codebook: Codebook,
    *,
    level: float | None = None,
    adjust: AdjustMethod = "holm",
    lang: Lang = "en",
) -> pd.DataFrame:
    """One row per published figure, with the wave's estimate where comparable.

    Parameters
    ----------
    table : pandas.DataFrame
        An EstimateTable of one wave by ``country`` (total rows included).
    codebook : Codebook
        The metrics and their published figures.
    level : float, optional
        The test's level (default: the table's); α = 1 − level.
    adjust : {"holm", "bh", "none"}
        Correction across the page's tests against published bases.
    lang : {"en", "fr"}
        Language of ``geography_text``, ``note`` and ``verdict``.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`COLUMNS`; ``diff`` = wave − published. Rows not
        compared keep NaN estimates and say why in ``verdict``.
    """
    check_method(adjust, get_args(AdjustMethod))
    level = check_level(level if level is not None else _table_level(table))
    index = {
        (str(r["metric"]), str(r["segment_var"]), str(r["segment_value"])): r
        for r in table.to_dict("records")
    }
    present = (table["segment_var"] == "country") & (pd.to_numeric(table["n"]) > 0)
    countries = frozenset(str(v) for v in table.loc[present, "segment_value"])
    rows = [
        _row(metric, figure, _match(metric, figure, index, countries, lang), level)
        for metric in codebook.metrics.values()
        for figure in metric.published
    ]
    figures = [f for m in codebook.metrics.values() for f in m.published]
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    out["geography_text"] = [f.geography_text(lang) for f in figures]
    out["note"] = [f.note.get(lang) for f in figures]
    return _adjust(out, adjust, level, lang)


def _table_level(table: pd.DataFrame) -> float:
    if "level" in table.columns and table["level"].notna().any():
        return float(table["level"].dropna().iloc[0])
    return 0.95


def _match(
    metric: Metric,
    figure: Published,
    index: Mapping[tuple[str, str, str], Any],
    countries: frozenset[str],
    lang: Lang,
) -> Mapping[str, Any] | str:
    """The wave's row for the figure's geography, or why there is none."""
    if not figure.stated:
        return _WORDS("not_stated", lang)
    if figure.geography == ALL:
        if countries != frozenset(figure.countries):
            return _WORDS(
                "other_sample",
                lang,
                wave=", ".join(sorted(countries)) or "?",
                report=", ".join(figure.countries),
            )
        key = (metric.id, TOTAL, TOTAL)
    else:
        key = (metric.id, "country", figure.geography)
    found: Mapping[str, Any] | None = index.get(key)
    if found is None or not _num(found.get("n")) > 0:
        return _WORDS("absent", lang, where=figure.geography)
    return found


def _row(
    metric: Metric, figure: Published, match: Mapping[str, Any] | str, level: float
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "metric": metric.id,
        "geography": figure.geography,
        "published": figure.value,
        "base_n": figure.base_n,
        "year": figure.year,
        "source": figure.source,
        "checked": figure.checked,
        "compared": not isinstance(match, str),
        "test": "",
        "significant": False,
        "within_interval": False,
        "verdict": match if isinstance(match, str) else "",
    }
    if isinstance(match, str):
        return row
    estimate, low, high, se = (
        _num(match.get(c)) for c in ("estimate", "ci_low", "ci_high", "se")
    )
    flag = str(match.get("flag", ""))
    row.update(
        estimate=estimate,
        ci_low=low,
        ci_high=high,
        n=match.get("n"),
        flag=flag,
        diff=estimate - figure.value,
        within_interval=bool(low <= figure.value <= high),
    )
    if flag in UNTESTED_FLAGS or not np.isfinite(estimate):
        row["test"] = "untested"
    elif figure.base_n is None:
        row["test"] = INSIDE
    elif np.isfinite(se):
        row.update(_two_sample(estimate, se, figure, level))
    else:
        row["test"] = "untested"
    return row


def _two_sample(
    estimate: float, se: float, figure: Published, level: float
) -> dict[str, Any]:
    """z-test of wave − published, the report taken as a simple random sample."""
    assert figure.base_n is not None  # checked by the caller
    sd = float(np.sqrt(se**2 + figure.value * (1 - figure.value) / figure.base_n))
    diff = estimate - figure.value
    z_crit = float(_spec.ndtri(1 - (1 - level) / 2))
    p_value = float(2 * _spec.ndtr(-abs(diff) / sd)) if sd > 0 else float("nan")
    return {
        "test": TWO_SAMPLE,
        "diff_low": diff - z_crit * sd,
        "diff_high": diff + z_crit * sd,
        "p_value": p_value,
    }


def _adjust(
    out: pd.DataFrame, adjust: AdjustMethod, level: float, lang: Lang
) -> pd.DataFrame:
    """One family: every test against a published base on the page."""
    out["p_adjusted"] = adjust_pvalues(
        pd.to_numeric(out["p_value"]).to_numpy(dtype=np.float64, na_value=np.nan),
        adjust,
    )
    with np.errstate(invalid="ignore"):
        out["significant"] = out["p_adjusted"].to_numpy(dtype=np.float64) < 1 - level
    out["verdict"] = [
        _verdict(row, adjust, lang) if row["compared"] else row["verdict"]
        for row in out.to_dict("records")
    ]
    return out


def _verdict(row: Mapping[Any, Any], adjust: AdjustMethod, lang: Lang) -> str:
    if row["test"] == TWO_SAMPLE:
        key = "differs" if row["significant"] else "same"
        base = number(float(row["base_n"]), lang)
        return _WORDS(key, lang, base=base, adjust=_WORDS(adjust, lang))
    if row["test"] == INSIDE:
        return _WORDS("inside" if row["within_interval"] else "outside", lang)
    return _WORDS("untested", lang)


def _num(value: Any) -> float:
    return float("nan") if value is None or pd.isna(value) else float(value)
