"""Saved mapping profiles as the analyst's choices for questionnaire detection.

A profile (``data/mappings/*.yaml``) names each column's role and, for a
question, the library question it answers. Read for a new file, it becomes
:class:`~analysis.ingest.column_roles.Overrides`: its id, weight and segment
columns, the columns it leaves out, and its links (keyed by the question each
header became), and its segment names. Saving a detection writes the same
format back, so profiles made before questionnaires and after read alike.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from analysis.errors import NameRuleError
from analysis.ingest.column_roles import Overrides
from analysis.ingest.mapping import ColumnMap, SurveyMapping
from analysis.ingest.questionnaire import Detection
from analysis.names import check_name


def profile_overrides(
    profile: SurveyMapping,
    columns: tuple[str, ...],
    questions: Mapping[str, str],
    base: Overrides,
) -> Overrides:
    """The profile's choices for the file's ``columns``; ``base`` (CLI options) wins.

    ``questions`` maps a header to the question id detection gave it.
    """
    present = {
        e.column: e
        for e in profile.columns
        if e.column in columns and e.column not in base.roles
    }
    named = {base.weight, base.strata, base.cluster, base.fpc, *base.segments}
    roles = {
        h: "left_out"
        for h, e in present.items()
        if e.role == "left_out" and h not in named
    }
    pick = {
        role: [h for h, e in present.items() if e.role == role]
        for role in ("respondent_id", "weight", "strata", "cluster", "fpc", "segment")
    }
    links = {
        questions[h]: e.target
        for h, e in present.items()
        if e.role == "question" and e.target and h in questions
    }
    named_segments = {
        h: e.target
        for h, e in present.items()
        if e.role == "segment" and e.target and _is_name(e.target)
    }
    return dataclasses.replace(
        base,
        weight=base.weight or next(iter(pick["weight"]), None),
        strata=base.strata or next(iter(pick["strata"]), None),
        cluster=base.cluster or next(iter(pick["cluster"]), None),
        fpc=base.fpc or next(iter(pick["fpc"]), None),
        respondent_id=base.respondent_id or next(iter(pick["respondent_id"]), None),
        segments=tuple(dict.fromkeys([*base.segments, *pick["segment"]])),
        roles={**roles, **base.roles},
        links={**links, **base.links},
        segment_names={**named_segments, **base.segment_names},
    )


def _is_name(text: str) -> bool:
    """A segment name a profile may give (names stored before the rule may not)."""
    try:
        check_name(text, "segment")
    except NameRuleError:
        return False
    return True


def detection_profile(detection: Detection, name: str = "") -> SurveyMapping:
    """A detection as a profile: design columns, segments, questions and links.

    Personal data is not written: detection finds it again in the next file,
    and reports it as dropped.
    """
    entries = []
    for p in detection.proposals:
        if p.role in ("respondent_id", "weight", "strata", "cluster", "fpc"):
            entries.append(ColumnMap(p.header, p.role, note=p.reason))
        elif p.role == "segment":
            entries.append(
                ColumnMap(p.header, "segment", p.segment or "", note=p.reason)
            )
        elif p.role == "question":
            entries.append(ColumnMap(p.header, "question", p.link or "", note=p.reason))
        elif p.role != "personal_data":
            entries.append(ColumnMap(p.header, "left_out", note=p.reason or p.role))
    return SurveyMapping(columns=tuple(entries), name=name)
