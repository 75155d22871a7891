"""Words as analysts write them, made comparable: folding, tokens, synonyms, scales.

Question texts and answer labels come in English or French, with or without
accents, in snake_case headers or full sentences. Everything that compares
wording goes through :func:`fold` (ASCII, casefolded, punctuation as spaces) and
:func:`content_tokens` (stop words out, light stemming, synonyms merged), so
"Pensez-vous que les entreprises peuvent utiliser vos données de manière
éthique ?" and ``usage_ethique_possible`` share the words that matter.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from rapidfuzz import fuzz
from unidecode import unidecode

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_CONTAINED = 0.95  # one wording inside the other ranks just below the same wording
_NUMBERING = re.compile(r"^\s*q?[0-9]+[a-z0-9_.]*\s*[-.:)]\s+", re.IGNORECASE)
_NUMBERING_HEAD = 40  # characters: "Q12_3a. " and its like fit


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOP = _words(
    "the a an of to and or for with your you my me i is it do does did are be in on "
    "at by that this from as how what which who would will can't have has had was "
    "its their them they we our any now so if than then there more most much "
    "le la les l de des du d et ou pour avec vos votre mes mon ma je j est que qui "
    "qu en un une vous nous aupres au aux ce cette ces il elle ils elles se s sur "
    "par dans ne n pas plus son sa leurs leur y a ete etre avez etes sont non not"
)
# Words that say the same thing in questionnaires; the first of a group stands
# for all. Groups hold English and French, as a wave may be either.
_SYNONYM_GROUPS: tuple[str, ...] = (
    "company companies firm firms business businesses organisation "
    "organisations organization organizations entreprise entreprises "
    "societe societes brand brands marque marques",
    "data donnees information informations info details",
    "personal private personnelles personnelle personnel privees privee perso",
    "use using used usage utiliser utilisation utilisent utilisez exploit exploiter",
    "can could able possible peuvent peut pouvoir capable",
    "ethical ethically ethic ethics ethique ethiquement moral morally "
    "responsibly responsible",
    "share sharing shared partage partager partagez transmettre give "
    "provide fournir communiquer",
    "caution cautious cautiously careful carefully precaution prudence "
    "prudent prudemment mefiance wary",
    "stop cease quit cesser cesseriez arreter arreteriez abandon leave "
    "quitter turn detourner arret arretez",
    "buy buying purchase purchasing purchases acheter achat achats achete "
    "shop shopping spend depense depenser depensez",
    "protect protecting protects protected protege proteger protection "
    "secure safeguard securiser protegee protegees proteges protegent",
    "trust confiance confidence fiable trustworthy",
    "track tracking tracked follow following suivre suivent suivi monitor "
    "monitoring surveiller",
    "personalise personalize personalised personalized personalising "
    "personalizing personnaliser personnalise personnalisee personnalisent "
    "personnalisation personalisation personalization tailored customised "
    "customized",
    "advertising ads advert adverts advertisement advertisements publicite "
    "publicites pub pubs marketing",
    "browsing navigation naviguer web internet online ligne",
    "feed feeds news actualite actualites fil fils",
    "password passwords passe motdepasse",
    "account accounts compte comptes",
    "same identical meme memes single",
    "expect expectation expects attend attends attendre attente want demand",
    "experience experiences parcours journey",
    "customer customers client clients consumer consumers consommateur consommateurs",
    "refuse refusal decline refuser reject",
    "improve improving better ameliorer amelioration enhance",
    "frustrated frustration frustre annoyed agace",
    "competitor competitors concurrent concurrents rival elsewhere",
    "stolen steal breach breached leak leaked fuite volees vol hacked piratage",
    "responsible blame fault responsable faute",
    "recommendation recommendations recommandation recommandations "
    "suggestion suggestions",
    "negatively badly mal negativement complain criticise",
    "often frequently souvent",
    "all every tous toutes chaque",
    "believe think pensez penser croyez croire feel estimez",
)
_SYNONYMS: dict[str, str] = {
    word: group.split()[0] for group in _SYNONYM_GROUPS for word in group.split()
}
_SUFFIXES = ("ements", "ement", "ations", "ation", "ings", "ing", "ies", "es", "s")

_FR_WORDS = _words(
    "le la les des du et vous votre vos est que qui une pour avec pas ne je sont "
    "dans quel quelle oui non"
)
_EN_WORDS = _words(
    "the you your is are do does which what with for and yes no how would of "
    "should be in it to have has my i we they this that"
)


def fold(text: Any) -> str:
    """ASCII, casefolded, words separated by single spaces (snake_case split).

    Answer labels repeat across columns and link candidates, so short texts are
    folded once (long ones are not kept: the cache would hold whole cells).
    """
    value = str(text)
    return _fold_short(value) if len(value) <= _FOLD_CACHED else _fold(value)


_FOLD_CACHED = 200


@functools.lru_cache(maxsize=8192)
def _fold_short(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    value = unidecode(_CAMEL.sub(" ", text)).casefold()
    return _NON_WORD.sub(" ", value.replace("_", " ")).strip()


def strip_numbering(text: str) -> str:
    """A question text without its tool numbering ("Q3 - ", "2. ")."""
    value = str(text)
    # matched on the head only: the pattern backtracks quadratically on a
    # long run of digits ("0" * 1,000,000 took minutes)
    found = _NUMBERING.match(value[:_NUMBERING_HEAD])
    return (value[found.end() :] if found else value).strip()


def _stem(word: str) -> str:
    if len(word) <= 4 or (word.isascii() and word.isdigit()):
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@functools.lru_cache(maxsize=4096)
def content_tokens(text: str) -> tuple[str, ...]:
    """The words that carry meaning: stop words out, synonyms merged, stemmed."""
    words = fold(strip_numbering(text)).split()
    return tuple(
        _SYNONYMS.get(word, _stem(word))
        for word in words
        if word not in _STOP and len(word) > 1
    )


def text_similarity(found: str, wanted: str) -> float:
    """How close two question wordings are, from 0 to 1.

    The best of the whole wording compared (token order ignored) and of one
    wording's words contained in the other's, the latter only counting fully
    once three telling words are shared: a header such as
    ``usage_ethique_possible`` abbreviates its question.
    """
    a, b = content_tokens(found), content_tokens(wanted)
    if not a or not b:
        return 0.0
    joined_a, joined_b = " ".join(a), " ".join(b)
    whole = fuzz.token_sort_ratio(joined_a, joined_b) / 100
    shared = len(set(a) & set(b))
    subset = fuzz.token_set_ratio(joined_a, joined_b) / 100 * min(1.0, shared / 3)
    return max(whole, subset * _CONTAINED)


def guess_language(text: str) -> str | None:
    """``fr`` or ``en`` from function words and accents; None when unclear."""
    words = str(text).casefold().split()
    folded = set(fold(text).split())
    fr = len(folded & _FR_WORDS) + sum(c in "éèêàùçôîâ" for c in str(text).casefold())
    en = len(folded & _EN_WORDS)
    if fr == en or not words:
        return None
    return "fr" if fr > en else "en"


# -- answers ---------------------------------------------------------------------

_EXCLUDED = re.compile(
    r"^(?:(?:i )?don ?t know|do not know|not sure|unsure|no opinion|dk|"
    r"(?:i(?: would| d)? )?(?:prefer|rather) not (?:to )?(?:say|answer|respond)|"
    r"refused?|no answer|not answered|declined?(?: to answer)?|n a|"
    r"(?:je )?ne (?:sai[st]|sa[vu]ons) pas|nsp|nspp|sans opinion|sans reponse|"
    r"pas de reponse|refus|(?:je )?prefere(?:rais)? ne pas (?:repondre|le dire)|"
    r"ne se prononce pas|ne souhaite pas (?:repondre|le dire)|non concerne)"
    r"(?: [a-z ]*)?$"
)
_EXCLUDED_PREFIX = re.compile(r"^(?:don ?t know|ne sai[st] pas|je ne sais pas) ")


def is_excluded(label: str) -> bool:
    """True for "don't know" and "prefer not to say" answers (EN/FR)."""
    text = fold(label)
    return bool(text) and (
        _EXCLUDED.fullmatch(text) is not None
        or _EXCLUDED_PREFIX.match(text + " ") is not None
    )


_STRONG = re.compile(
    r"\b(?:strongly|tout a fait|completely|totally|extremely|very|tres|always|"
    r"toujours|never|jamais|pas du tout|not at all|absolutely|absolument|"
    r"definitely|entirely|fully)\b"
)
_SOFT = re.compile(
    r"\b(?:tend to|tends to|plutot|somewhat|rather|fairly|assez|moderately|"
    r"slightly|a little|un peu|mostly|partly|quite)\b|\bnot ?very\b|\bpas tres\b"
)
_NEGATIVE = re.compile(
    r"\b(?:disagree|not|pas|unethical|contraire|never|jamais|unlikely|improbable|"
    r"dissatisfied|insatisfaite?|mecontente?|unimportant|bad|mauvaise?|poor|"
    r"rarely|rarement|peu|unsatisfied|untrustworthy)|\bnot ?very\b|\bdis\w+"
)
_NEUTRAL = re.compile(
    r"\b(?:neither|neutral|neutre|sometimes|parfois|ni\b.*\bni|so so|moyennement|"
    r"indifferent|average|mixed)\b"
)
_POSITIVE = re.compile(
    r"\b(?:agree|accord|ethical|ethique|likely|probable|satisfied|satisfaite?|"
    r"important|good|bonne?|often|souvent|trust|confiance|excellent|well|bien|"
    r"favourable|favorable|useful|utile|interested|interesse|very|tres|somewhat|"
    r"always|toujours|much|beaucoup|mostly)"
)


def ordinal_position(label: str) -> float | None:
    """Where a scale answer sits, negative to positive; None if not a scale word.

    "Strongly disagree" -2, "Tend to disagree" -1, "Neither…" 0, "Agree" 1.5,
    "Tout à fait d'accord" 2; "not" alone -1.5 and "not very" -1, so "not",
    "not very", "somewhat", "very" come out in that order.
    """
    text = fold(label)
    if not text or is_excluded(label):
        return None
    if _NEUTRAL.search(text):
        return 0.0
    negative = _NEGATIVE.search(text) is not None
    if not negative and _POSITIVE.search(text) is None:
        return None
    if _SOFT.search(text):
        size = 1.0
    elif _STRONG.search(text):
        size = 2.0
    else:
        size = 1.5
    return -size if negative else size


def leading_number(label: str) -> int | None:
    """The integer a label starts with ("10 - Extremely likely" → 10)."""
    found = re.match(r"^\s*(-?[0-9]{1,9})(?:\s*(?:[-.:=)]|$)|\s)", str(label))
    return int(found.group(1)) if found else None


def label_similarity(a: str, b: str) -> float:
    """How close two answer labels are (0–1), accents and case aside."""
    x, y = fold(a), fold(b)
    if not x or not y:
        return 0.0
    return fuzz.ratio(x, y) / 100
