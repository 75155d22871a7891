"""One question's rows as a page shows them: from cell sums, or else from rows.

The store's cell sums answer the view when they cover it. The caller decides
whether sums may be used at all (full grants, the file's own weights); this
module only chooses the route and marks the weighting the way both routes
must, so a page cannot tell them apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from analysis.access.source import GrantedSource
from analysis.store.wave_store import WaveStore
from analysis.table.question_sums import question_table_from_sums
from analysis.table.questions import design_columns, question_rows
from analysis.table.rows import EstimateOptions
from analysis.table.wave_questions import question_table
from analysis.table.weighted import chosen_weighting


def question_view(
    reads: GrantedSource,
    store: WaveStore | None,
    wave: str,
    question: str,
    *,
    by: Sequence[str],
    filters: Mapping[str, Sequence[str]],
    options: EstimateOptions,
    answers: Sequence[str] | None,
) -> pd.DataFrame:
    """A question's answers, NETs and mean — or the NET of ``answers``.

    ``store`` None keeps the view on the rows (sums not allowed for it).
    """
    asked = reads.questionnaire(wave)
    if store is not None:
        table = question_table_from_sums(
            store,
            wave,
            asked,
            question,
            by=by,
            filters=filters,
            options=options,
            answers=answers,
        )
        if table is not None:  # the file's weights: no rows to calibrate
            chosen = chosen_weighting(
                reads, wave, pd.DataFrame(), design_columns(asked), options
            )
            return chosen.mark(table)
    respondents = reads.load_respondents([wave])
    weighting = chosen_weighting(
        reads, wave, respondents, design_columns(asked), options
    )
    common: dict[str, Any] = {
        "by": by,
        "filters": filters,
        "options": options,
        "wave": wave,
        "calibration": weighting.calibration,
    }
    if answers is not None:  # an analyst's metric: the NET of its answers
        rows = question_rows(respondents, asked, question, answers=answers, **common)
    else:
        rows = question_table(respondents, asked, question, **common)
    return weighting.mark(rows)
