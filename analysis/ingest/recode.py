"""Turning mapped columns into the respondent table's typed columns.

Each recoder works on a column's distinct values (``pd.factorize``) and then
indexes a small lookup table, so a 200,000-row column costs one pass in C and
a few dozen Python lookups.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.ingest.labels import answer_code, is_no_answer, normalise, value_key
from analysis.library.codebook import Question

_NA = -1


@dataclass(frozen=True)
class Recoded:
    """A recoded column, and where its values could not be understood."""

    values: pd.Series
    unknown: np.ndarray  # positions (0-based, in the raw file) of unknown values
    unknown_values: tuple[str, ...] = ()


def recode_answers(
    series: pd.Series,
    question: Question,
    answers: Mapping[str, int | None],
    labels: Mapping[str, str],
    missing: frozenset[str],
) -> Recoded:
    """Codes ("Int16", NA for no answer) from labels, value labels or codes.

    The mapping's explicit answers come first; values it does not list fall
    back to the codebook's labels, so a profile stays short.
    """
    positions, uniques = pd.factorize(series, use_na_sentinel=True)
    explicit = {normalise(k): v for k, v in answers.items()}
    table = np.full(len(uniques) + 1, _NA, dtype=np.int32)
    bad = np.zeros(len(uniques) + 1, dtype=bool)
    unknown: list[str] = []
    for i, value in enumerate(uniques):
        key = value_key(value)
        if key in answers or normalise(key) in explicit:
            code = answers.get(key, explicit.get(normalise(key)))
        else:
            code = answer_code(key, question, labels)
            if code is None and not (key in missing or is_no_answer(key, labels)):
                bad[i] = True
                unknown.append(key)
        table[i] = _NA if code is None else code
    index = np.where(positions < 0, len(uniques), positions)
    codes = table[index]
    values = pd.arrays.IntegerArray(codes.astype(np.int16), codes == _NA)
    return Recoded(
        values=pd.Series(values, index=series.index),
        unknown=np.flatnonzero(bad[index]),
        unknown_values=tuple(unknown),
    )


def parse_numbers(series: pd.Series) -> pd.Series:
    """Floats from numbers or text, decimal commas included ("1,25" is 1.25)."""
    if series.dtype.kind in "biuf":
        return series.astype("float64")
    text = series.astype("str").str.strip().str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce").astype("float64")


def respondent_ids(series: pd.Series) -> pd.Series:
    """Ids as strings; 12 and 12.0 are the same respondent."""
    if series.dtype.kind == "f":
        keys = [None if pd.isna(v) else value_key(v) for v in series]
        return pd.Series(keys, index=series.index, dtype="str")
    return series.astype("str").str.strip().where(series.notna())
