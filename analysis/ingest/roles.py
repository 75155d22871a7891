"""What a column's header says it is: design, tool metadata, or a segment.

Headers are compared folded (:func:`analysis.ingest.wording.fold`), so
``Pondération``, ``poids_final`` and ``FinalWeight`` read alike. A header names
a role only as a short phrase: "How much weight do you give to price?" is a
question, not the weight.
"""

from __future__ import annotations

import re
from typing import Literal

from analysis.ingest.wording import fold

DesignRole = Literal["respondent_id", "weight", "strata", "cluster", "fpc"]
SegmentName = Literal["country", "age_band", "gender", "region", "own"]
"""``own``: a demographic segment named after its own column (education, …)."""

_SHORT = 4  # a header of more words than this is a sentence, not a role name
_SHORT_QUESTION = 6  # "In which country do you live?" still names a segment

_ID = re.compile(
    r"^(?:(?:respondent|response|resp|record|case|interview|participant|panelist|"
    r"panelliste|repondant|user|unique) ?)?(?:id|uid|uuid|ident|identifiant)$|"
    r"^(?:respondent|case|record|interview|serial)(?: ?(?:number|no|num))?$|"
    r"^id (?:du )?(?:respondent|repondant|reponse)$|^identifiant (?:du )?repondant$"
)
_WEIGHT = re.compile(
    r"\b(?:weights?|wt|wts|wgt|wgts|weighting|poids|pond|ponderations?|"
    r"ponderation|coefficient de ponderation|gewicht)\b"
)
_STRATA = re.compile(r"\b(?:strat(?:a|um|e|es|if\w*)?|stratification)\b")
_CLUSTER = re.compile(
    r"\b(?:psu|psus|cluster|clusters|grappe|grappes|upm|primary sampling unit|"
    r"unite primaire|sampling unit)\b"
)
_SECOND_STAGE = re.compile(r"\b(?:ssu|second stage|secondary sampling unit)\b")
_FPC = re.compile(
    r"^(?:fpc|fpc\w*|finite population correction|pop ?size|population size|"
    r"population totale|taille (?:de la )?population|sampling fraction|"
    r"taux de sondage)$"
)
_METADATA = frozenset(
    re.findall(
        r"\w+",
        "startdate enddate status progress durationinseconds duration finished "
        "recordeddate distributionchannel userlanguage collectorid collector "
        "qrecaptchascore qrelevantidduplicate qrelevantidduplicatescore "
        "qrelevantidfraudscore qrelevantidlaststartdate qtotalduration "
        "responsetype dateofsubmission submitdate submittedat timestamp horodateur "
        "datedebut datefin datedereponse lastpageseen startlanguage seed "
        "ipaddress useragent browser operatingsystem screenresolution",
    )
)
_SEGMENTS: tuple[tuple[SegmentName, re.Pattern[str]], ...] = (
    (
        "country",
        re.compile(
            r"\b(?:country|countries|pays|nation|nationality|nationalite|land|"
            r"country code|code pays|iso country)\b"
        ),
    ),
    (
        "age_band",
        re.compile(
            r"\b(?:age|ages|age band|age group|age range|tranche d age|"
            r"classe d age|how old|quel age|agegroup|ageband)\b"
        ),
    ),
    ("gender", re.compile(r"\b(?:gender|sex|sexe|genre|gender identity)\b")),
    (
        "region",
        re.compile(
            r"\b(?:region|regions|province|provinces|state|county|departement|"
            r"department|canton|territory|territoire|prefecture|oblast|"
            r"bundesland|region of residence|area of residence)\b"
        ),
    ),
    (
        "own",
        re.compile(
            r"\b(?:education|educational|diploma|diplome|degree|niveau d etudes|"
            r"etudes|income|revenu|revenus|urban|rural|urbain|habitat|"
            r"employment|emploi|occupation|profession|csp|pcs|marital|"
            r"etat civil|household|foyer|menage|ethnicity|ethnic|community type|"
            r"agglomeration|city size|taille d agglomeration|working status)\b"
        ),
    ),
)


def _short(text: str, words: int = _SHORT) -> str | None:
    folded = fold(text)
    return folded if folded and len(folded.split()) <= words else None


def design_role(header: str) -> DesignRole | None:
    """The design role a header names (respondent id, weight, strata, PSU, fpc)."""
    key = _short(header)
    if key is None:
        return None
    if _ID.fullmatch(key):
        return "respondent_id"
    if _FPC.fullmatch(key):
        return "fpc"
    if _STRATA.search(key):
        return "strata"
    if _CLUSTER.search(key):
        return "cluster"
    if _WEIGHT.search(key):
        return "weight"
    return None


def is_second_stage(header: str) -> bool:
    """True for a second-stage unit column: only the first stage enters the SE."""
    key = _short(header)
    return key is not None and _SECOND_STAGE.search(key) is not None


def is_tool_metadata(header: str) -> bool:
    """True for the columns Qualtrics, SurveyMonkey and forms add to every export."""
    return fold(header).replace(" ", "") in _METADATA


def segment_by_header(header: str, text: str = "") -> SegmentName | None:
    """The segment a header (or a short question text) names, if any."""
    for candidate in (header, text):
        key = _short(candidate, _SHORT_QUESTION) if candidate else None
        if key is None:
            continue
        for name, pattern in _SEGMENTS:
            if pattern.search(key):
                return name
    return None


__all__ = [
    "DesignRole",
    "SegmentName",
    "design_role",
    "is_second_stage",
    "is_tool_metadata",
    "segment_by_header",
]
