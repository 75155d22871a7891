"""Numbers and respondent ids from a file's cells, as the file wrote them."""

from __future__ import annotations

import pandas as pd

from analysis.ingest.labels import value_key


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
