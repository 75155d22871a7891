"""The analyst's choice of tracker link: which earlier question a wave's question is.

A question found again by id, library link or wording needs no choice
(:func:`analysis.table.trackers.same_question`); when the analyst knows
better, :func:`choose_tracked` records it on the question itself
(:attr:`Question.tracks`, kept in the wave's stored questionnaire, so no new
table is needed) in one audited transaction. ``None`` clears the choice.
"""

from __future__ import annotations

import dataclasses
import json

from analysis.errors import StoreError
from analysis.store.questionnaire import Questionnaire
from analysis.store.rows import bump, live_row
from analysis.store.schema import log_action
from analysis.store.wave_store import WaveStore, current_actor


def choose_tracked(
    store: WaveStore,
    wave: str,
    question: str,
    earlier: tuple[str, str] | None,
    *,
    actor: str | None = None,
) -> Questionnaire:
    """Record that ``wave``'s ``question`` is ``earlier`` = (wave, question id).

    The earlier question must exist in that wave and be of the same type; the
    audit trail names the wave, both questions and the actor. Returns the
    wave's updated questionnaire.
    """
    with store.writing() as con:
        row = live_row(con, wave, "respondents")
        questionnaire = Questionnaire.from_dict(
            json.loads(row["questionnaire"] or "{}")
        )
        mine = questionnaire.question(question)
        tracks = None
        if earlier is not None:
            before = Questionnaire.from_dict(
                json.loads(live_row(con, earlier[0], "respondents")["questionnaire"])
            ).question(earlier[1])
            if before.type != mine.type:
                raise StoreError(
                    f"question {question!r} of {wave} is {mine.type}, question "
                    f"{before.id!r} of {earlier[0]} is {before.type}: a tracker links "
                    "questions of one type"
                )
            tracks = before.id
        changed = dataclasses.replace(mine, tracks=tracks)
        updated = dataclasses.replace(
            questionnaire,
            questions=tuple(
                changed if q.id == question else q for q in questionnaire.questions
            ),
        )
        detail = (
            f"{question} tracks {earlier[0]}:{earlier[1]}"
            if earlier is not None
            else f"{question} tracks nothing chosen"
        )
        con.begin()
        try:
            con.execute(
                "UPDATE waves SET questionnaire = ? WHERE wave = ?",
                [json.dumps(updated.to_dict()), wave],
            )
            log_action(con, "tracker", wave, actor or current_actor(), detail=detail)
            bump(con)
            con.commit()
        except BaseException:
            con.rollback()
            raise
    return updated
