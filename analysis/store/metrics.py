"""Analysts' own metrics: a wave's question, the answers that count, labels, polarity.

A metric is kept in the store (table ``metrics``), not in a file on the
server, and every addition or deletion is in the audit trail. Answers are
kept by code (the file's codes, as JSON strings) and shown by label. A metric
is bound to its wave's question; other waves reach it through the questions
linked to that one (same library link, or the same question id).
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import pandas as pd

from analysis.errors import StoreError, SurveyDataError
from analysis.names import check_name
from analysis.store.dialect import StoreConnection
from analysis.store.questionnaire import Questionnaire
from analysis.store.rows import bump
from analysis.store.schema import log_action

Polarity = Literal["up", "down"]
POLARITIES: tuple[str, ...] = ("up", "down")
"""``up``: higher is better; ``down``: higher is worse."""


@dataclass(frozen=True)
class AnalystMetric:
    """One stored metric of an analyst."""

    id: str
    wave: str
    question: str
    answers: tuple[str, ...]
    label_en: str = ""
    label_fr: str = ""
    polarity: Polarity = "up"
    created_by: str = ""
    created_at: datetime | None = None

    def record(self) -> dict[str, object]:
        """JSON-ready fields (answers as a list of code strings)."""
        return {
            "id": self.id,
            "wave": self.wave,
            "question": self.question,
            "answers": list(self.answers),
            "label_en": self.label_en,
            "label_fr": self.label_fr,
            "polarity": self.polarity,
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat() if self.created_at else None,
        }


def check_metric(metric: AnalystMetric, questionnaire: Questionnaire) -> AnalystMetric:
    """The metric with its answers as the question's codes; errors say what is off."""
    check_name(metric.id, "metric")
    if metric.polarity not in POLARITIES:
        raise SurveyDataError(
            f"metric {metric.id!r}: polarity {metric.polarity!r} must be up or down"
        )
    question = questionnaire.question(metric.question)
    if not metric.answers:
        raise SurveyDataError(f"metric {metric.id!r} needs at least one answer")
    codes = tuple(dict.fromkeys(question.answer(a).code for a in metric.answers))
    label = metric.label_en or " + ".join(question.answer(c).label for c in codes)
    return AnalystMetric(
        id=metric.id,
        wave=metric.wave,
        question=question.id,
        answers=codes,
        label_en=label,
        label_fr=metric.label_fr or label,
        polarity=metric.polarity,
        created_by=metric.created_by,
        created_at=metric.created_at,
    )


def insert_metric(
    con: StoreConnection, metric: AnalystMetric, actor: str
) -> AnalystMetric:
    """Store a checked metric in one audited transaction; refuse a taken id."""
    taken = con.execute("SELECT 1 FROM metrics WHERE id = ?", [metric.id]).fetchone()
    if taken is not None:
        raise StoreError(f"a metric named {metric.id!r} is already stored")
    now = datetime.now(UTC).replace(tzinfo=None)
    con.begin()
    try:
        con.execute(
            "INSERT INTO metrics VALUES (?,?,?,?,?,?,?,?,?)",
            [
                metric.id,
                metric.wave,
                metric.question,
                json.dumps(list(metric.answers)),
                metric.label_en,
                metric.label_fr,
                metric.polarity,
                actor,
                now,
            ],
        )
        log_action(con, "metric_add", metric.wave, actor, detail=metric.id)
        bump(con)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return read_metrics(con, metric.id)[0]


def delete_metric(con: StoreConnection, metric_id: str, actor: str) -> None:
    """Remove a stored metric (audited); the error lists the stored ones."""
    found = read_metrics(con, metric_id)
    con.begin()
    try:
        con.execute("DELETE FROM metrics WHERE id = ?", [metric_id])
        log_action(con, "metric_delete", found[0].wave, actor, detail=metric_id)
        bump(con)
        con.commit()
    except BaseException:
        con.rollback()
        raise


def read_metrics(
    con: StoreConnection, metric_id: str | None = None
) -> list[AnalystMetric]:
    """Every stored metric (oldest first), or the one named (an error if absent)."""
    frame = con.execute("SELECT * FROM metrics ORDER BY created_at, id").df()
    metrics = [_metric(row) for row in frame.to_dict("records")]
    if metric_id is None:
        return metrics
    chosen = [m for m in metrics if m.id == metric_id]
    if not chosen:
        known = ", ".join(m.id for m in metrics) or "none yet"
        raise StoreError(f"no metric named {metric_id!r} (metrics: {known})")
    return chosen


def _metric(row: Mapping[Hashable, Any]) -> AnalystMetric:
    polarity: Polarity = "down" if row["polarity"] == "down" else "up"
    created = row["created_at"]
    return AnalystMetric(
        id=str(row["id"]),
        wave=str(row["wave"]),
        question=str(row["question"]),
        answers=tuple(str(a) for a in json.loads(str(row["answers"]))),
        label_en=str(row["label_en"]),
        label_fr=str(row["label_fr"]),
        polarity=polarity,
        created_by=str(row["created_by"]),
        created_at=None
        if created is None
        else pd.Timestamp(str(created)).to_pydatetime(),
    )
