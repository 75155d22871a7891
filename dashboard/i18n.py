"""The dashboard's own words in English and French (metric texts: the codebook)."""

from __future__ import annotations

from analysis.i18n import Lang

_TEXT: dict[str, tuple[str, str]] = {
    "language": ("Language", "Langue"),
    "wave": ("Wave", "Vague"),
    "filters": ("Filters", "Filtres"),
    "all": ("All", "Tous"),
    "method": ("Interval method", "Méthode d'intervalle"),
    "level": ("Confidence level", "Niveau de confiance"),
    "weighted": ("Weighted", "Pondéré"),
    "bases": ("Base thresholds", "Seuils de base"),
    "small_base": ("Small base under", "Petite base sous"),
    "low_base": (
        "Low base (greyed, untested) under",
        "Base faible (grisée, non testée) sous",
    ),
    "suppressed": ("Hidden under", "Masqué sous"),
    "synthetic": (
        "Synthetic demo data: no real respondent is behind these numbers. They are "
        "calibrated to the published RSA 2019 and Segment 2017 figures.",
        "Données de démonstration synthétiques : aucun vrai répondant derrière ces "
        "chiffres. Elles sont calées sur les chiffres publiés RSA 2019 et "
        "Segment 2017.",
    ),
    "no_waves": (
        "No respondent waves yet. Run `python -m analysis demo` to load the demo, "
        "or upload a wave.",
        "Aucune vague de répondants. Lancez `python -m analysis demo` pour charger "
        "la démo, ou importez une vague.",
    ),
    "analyst": ("Analyst", "Analyste"),
    "passphrase": ("Analyst passphrase", "Phrase secrète analyste"),
    "log_in": ("Log in", "Se connecter"),
    "log_out": ("Log out", "Se déconnecter"),
    "logged_in": ("Logged in as analyst.", "Connecté en tant qu'analyste."),
    "wrong_passphrase": ("Wrong passphrase.", "Phrase secrète incorrecte."),
    "open_local": (
        "No analyst passphrase is set: analyst actions (upload, delete, restore) are "
        "open to local users of this machine; the app listens on 127.0.0.1 only.",
        "Aucune phrase secrète analyste : les actions d'analyste (import, suppression, "
        "restauration) sont ouvertes aux utilisateurs locaux ; l'appli n'écoute que "
        "sur 127.0.0.1.",
    ),
    "set_passphrase": (
        "This app is reachable beyond this machine and no analyst passphrase is set, "
        "so upload, delete and restore are off. Set CONFIANCE_ANALYST_PASSWORD_HASH "
        "(python -m analysis passphrase) to enable them.",
        "L'appli est joignable hors de cette machine sans phrase secrète analyste : "
        "import, suppression et restauration sont désactivés. Définissez "
        "CONFIANCE_ANALYST_PASSWORD_HASH (python -m analysis passphrase).",
    ),
    "analyst_only": (
        "This needs the analyst role: log in with the analyst passphrase in the "
        "sidebar.",
        "Réservé au rôle analyste : connectez-vous avec la phrase secrète dans le "
        "panneau latéral.",
    ),
    "browse": ("Browse", "Explorer"),
    "manage": ("Manage", "Gérer"),
    "overview": ("Overview", "Vue d'ensemble"),
    "segments": ("Segments", "Segments"),
    "trends": ("Trends", "Tendances"),
    "crosstab": ("Crosstab", "Tableau croisé"),
    "reference": ("Reference", "Référence"),
    "waves": ("Waves", "Vagues"),
    "upload": ("Upload", "Importer"),
    "trust": ("Trust", "Confiance"),
    "churn": ("Churn", "Départ"),
    "personalisation": ("Personalisation", "Personnalisation"),
    "privacy": ("Privacy", "Vie privée"),
    "security": ("Security", "Sécurité"),
    "interval": ("interval", "intervalle"),
    "base": ("base", "base"),
    "vs": ("vs", "vs"),
    "significant": ("significant", "significatif"),
    "not_significant": ("not significant", "non significatif"),
    "country": ("Country", "Pays"),
    "age_band": ("Age band", "Tranche d'âge"),
    "gender": ("Gender", "Genre"),
    "total": ("Total", "Total"),
}


def t(key: str, lang: Lang) -> str:
    """The text for ``key`` in ``lang`` (the key itself when unknown)."""
    pair = _TEXT.get(key)
    if pair is None:
        return key.replace("_", " ").capitalize()
    return pair[1] if lang == "fr" else pair[0]


def pick(en: str, fr: str, lang: Lang) -> str:
    """One of two texts written in place, for words a single page uses."""
    return fr if lang == "fr" else en
