"""The words several pages share, in English and French (metric texts: the codebook).

A module keeps the words only it uses in its own :class:`~analysis.i18n.Words`
catalogue; the page names, the segment variables and the messages several
pages show live here.
"""

from __future__ import annotations

from analysis.i18n import Lang, Words
from analysis.store.origin import is_demo
from analysis.store.wave import WaveMeta

WORDS = Words(
    {
        # the navigation
        "browse": ("Browse", "Explorer"),
        "manage": ("Manage", "Gérer"),
        "overview": ("Overview", "Vue d'ensemble"),
        "segments": ("Segments", "Segments"),
        "trends": ("Trends", "Tendances"),
        "crosstab": ("Crosstab", "Tableau croisé"),
        "tables": ("Tables", "Tableaux"),
        "reference": ("Reference", "Référence"),
        "waves": ("Waves", "Vagues"),
        "upload": ("Upload", "Importer"),
        "weighting": ("Weighting", "Pondération"),
        # messages more than one page shows
        "demo": (
            "Synthetic demo data: no real respondent is behind these numbers. They "
            "are calibrated to the published RSA 2019 and Segment 2017 figures.",
            "Données de démonstration synthétiques : aucun vrai répondant derrière "
            "ces chiffres. Elles sont calées sur les chiffres publiés RSA 2019 et "
            "Segment 2017.",
        ),
        "synthetic": (
            "Synthetic data: no real respondent is behind these numbers.",
            "Données synthétiques : aucun vrai répondant derrière ces chiffres.",
        ),
        "no_waves": (
            "No respondent waves yet. Run `python -m analysis demo` to load the demo, "
            "or upload a wave.",
            "Aucune vague de répondants. Lancez `python -m analysis demo` pour "
            "charger la démo, ou importez une vague.",
        ),
        "analyst_only": (
            "This needs the analyst role: sign in as an analyst in the sidebar, or "
            "ask an administrator.",
            "Réservé au rôle analyste : connectez-vous en tant qu'analyste dans le "
            "panneau latéral, ou demandez à un administrateur.",
        ),
        "choose": ("Choose", "Choisir"),
        "loading": ("Computing estimates…", "Calcul des estimations…"),
    }
)

VARIABLES = Words(
    {
        "total": ("Total", "Total"),
        "country": ("Country", "Pays"),
        "age_band": ("Age band", "Tranche d'âge"),
        "gender": ("Gender", "Genre"),
    }
)
"""Names of the demo's segment variables; a wave's own variables keep theirs."""


def t(key: str, lang: Lang) -> str:
    """The shared text for ``key`` in ``lang``."""
    return WORDS(key, lang)


def synthetic_note(meta: WaveMeta, lang: Lang) -> str:
    """What a synthetic wave's pages warn; only the demo's are calibrated."""
    return WORDS("demo" if is_demo(meta) else "synthetic", lang)


def variable(name: str, lang: Lang) -> str:
    """A segment variable as a person reads it: "Age band", or the column's name."""
    if name in VARIABLES:
        return VARIABLES(name, lang)
    return name.replace("_", " ").capitalize()
