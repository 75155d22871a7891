"""The Weighting page's parts: diagnostics, the target tables and the form.

Every number comes from :mod:`analysis` (the fit, its diagnostics, the
sample's distribution); these functions only draw and collect.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from analysis.formatting import number, percent
from analysis.i18n import Lang, Words
from analysis.ingest.targets import CountrySize
from analysis.stats.fitting import sample_distribution
from analysis.store.weightings import FILE_WEIGHTING, StoredWeighting
from dashboard.i18n import variable

WORDS = Words(
    {
        "weightings": ("Weightings of {wave}", "Pondérations de {wave}"),
        "name": ("Name", "Nom"),
        "method": ("Method", "Méthode"),
        "default": ("Default", "Par défaut"),
        "source": ("Source", "Source"),
        "created": ("Made by", "Créée par"),
        "iterations": ("Iterations", "Itérations"),
        "max_gap": ("Largest margin gap", "Plus grand écart de marge"),
        "efficiency": ("Efficiency", "Efficacité"),
        "n_eff": ("Effective base", "Base effective"),
        "deff": ("Design effect", "Effet de plan"),
        "min": ("Smallest weight", "Plus petit poids"),
        "max": ("Largest weight", "Plus grand poids"),
        "cv": ("CV of weights", "CV des poids"),
        "category": ("Category", "Modalité"),
        "sample": ("Sample %", "Échantillon %"),
        "file_weighted": ("Sample, file weights %", "Échantillon, poids du fichier %"),
        "target": ("Target %", "Cible %"),
        "weighted": ("Weighted %", "Pondéré %"),
        # weighting methods, as pickers and tables name them
        "rake": ("raking", "calage sur marges"),
        "rake by group": ("raking per group", "calage sur marges par groupe"),
        "poststratify": ("post-stratification", "post-stratification"),
        "file": ("the file's weights", "poids du fichier"),
        "file_note": (
            "The file's own weights: nothing was fitted, no diagnostics stored.",
            "Les poids du fichier : rien n'a été ajusté, pas de diagnostic.",
        ),
    }
)


def method_label(method: str, lang: Lang) -> str:
    """A weighting method in the reader's words (an unknown one as stored)."""
    return WORDS(method, lang) if method in WORDS else method


def weightings_table(found: Sequence[StoredWeighting], lang: Lang) -> None:
    """One line per weighting of the wave, with its headline diagnostics."""
    rows = []
    for w in found:
        d = w.diagnostics
        rows.append(
            {
                WORDS("name", lang): w.name,
                WORDS("method", lang): method_label(w.method, lang),
                WORDS("default", lang): w.is_default,
                WORDS("efficiency", lang): d.get("efficiency"),
                WORDS("n_eff", lang): d.get("n_eff"),
                WORDS("deff", lang): d.get("deff"),
                WORDS("source", lang): w.source,
                WORDS("created", lang): w.created_by,
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def diagnostics(found: StoredWeighting | Mapping[str, Any], lang: Lang) -> None:
    """Iterations, gap, efficiency, n_eff, deff, min/max/CV, and each margin."""
    d = found.diagnostics if isinstance(found, StoredWeighting) else found
    if not d:
        st.caption(WORDS("file_note", lang))
        return
    first, second = st.columns(4), st.columns(4)
    first[0].metric(WORDS("iterations", lang), f"{d['iterations']}")
    first[1].metric(WORDS("max_gap", lang), f"{d['max_margin_gap']:.1e}")
    first[2].metric(WORDS("efficiency", lang), percent(d["efficiency"], lang, 1))
    first[3].metric(WORDS("n_eff", lang), number(d["n_eff"], lang))
    second[0].metric(WORDS("deff", lang), number(d["deff"], lang, 2))
    second[1].metric(WORDS("min", lang), number(d["min"], lang, _digits(d["min"])))
    second[2].metric(WORDS("max", lang), number(d["max"], lang, _digits(d["max"])))
    second[3].metric(WORDS("cv", lang), number(d["cv"], lang, 2))
    for name, cells in d["margins"].items():
        var, _, group = name.partition(" [")
        title = variable(var, lang) + (f" — {group.rstrip(']')}" if group else "")
        st.markdown(f"**{title}**")
        frame = pd.DataFrame(cells)
        shown = pd.DataFrame(
            {
                WORDS("category", lang): frame["category"],
                WORDS("sample", lang): 100 * frame["sample_share"],
                WORDS("target", lang): 100 * frame["target_share"],
                WORDS("weighted", lang): 100 * frame["weighted_share"],
            }
        )
        st.dataframe(shown.round(2), hide_index=True)


def _digits(value: float) -> int:
    """Decimals that show a weight to about three significant figures."""
    return 0 if abs(value) >= 100 else 2 if abs(value) >= 1 else 3


def target_table(
    rows: pd.DataFrame,
    column: str,
    weights: Any,
    lang: Lang,
    key: str,
) -> dict[str, float]:
    """An editable table: the sample's distribution beside a target (in %).

    The target starts at the sample's own share weighted by the file's
    weights, so weighting without an edit changes nothing.
    """
    shares = sample_distribution(rows[column], weights)
    table = pd.DataFrame(
        {
            WORDS("category", lang): shares["category"],
            WORDS("sample", lang): (100 * shares["sample_share"]).round(2),
            WORDS("file_weighted", lang): (100 * shares["weighted_share"]).round(2),
            WORDS("target", lang): 100 * shares["weighted_share"],
        }
    )
    edited = st.data_editor(
        table,
        hide_index=True,
        disabled=list(table.columns[:3]),
        key=key,
        column_config={
            WORDS("target", lang): st.column_config.NumberColumn(
                min_value=0.0, max_value=100.0, format="%.2f"
            )
        },
    )
    return dict(
        zip(
            edited[WORDS("category", lang)].astype(str),
            edited[WORDS("target", lang)].astype(float),
            strict=True,
        )
    )


def group_sizes(
    groups: Sequence[str], size: CountrySize, by: str, lang: Lang
) -> dict[str, float]:
    """Each group's population total, asked only when groups keep their size."""
    if size != "population":
        return {}
    cols = st.columns(min(len(groups), 4) or 1)
    return {
        g: float(
            cols[i % len(cols)].number_input(
                f"{variable(by, lang)} {g}", min_value=0.0, value=0.0, key=f"pop_{g}"
            )
        )
        for i, g in enumerate(groups)
    }


def is_file(name: str) -> bool:
    """The file's own weighting (cannot be deleted)."""
    return name == FILE_WEIGHTING
