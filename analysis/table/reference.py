"""Published figures beside a wave's own estimates for the same geography.

Answers the reviewer's first question about a new wave: does it tell the same
story as the RSA 2019 and Segment 2017 reports?
"""

from __future__ import annotations

import pandas as pd

from analysis.library.codebook import Codebook
from analysis.store.wave import TOTAL

COLUMNS = (
    "metric",
    "geography",
    "published",
    "year",
    "source",
    "checked",
    "estimate",
    "ci_low",
    "ci_high",
    "n",
    "flag",
    "diff",
    "within_interval",
)


def reference_comparison(table: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """One row per published figure, with the wave's estimate for its geography.

    ``table`` is an EstimateTable of one wave by ``country`` (total rows
    included); "ALL" figures are set against the total. ``diff`` is estimate
    minus published; ``within_interval`` says whether the published figure lies
    inside the wave's interval.
    """
    index = {
        (str(r["metric"]), str(r["segment_var"]), str(r["segment_value"])): r
        for r in table.to_dict("records")
    }
    rows = []
    for metric in codebook.metrics.values():
        for figure in metric.published:
            key = (
                (metric.id, TOTAL, TOTAL)
                if figure.geography == "ALL"
                else (metric.id, "country", figure.geography)
            )
            found = index.get(key)
            estimate = float(found["estimate"]) if found is not None else float("nan")
            low = float(found["ci_low"]) if found is not None else float("nan")
            high = float(found["ci_high"]) if found is not None else float("nan")
            rows.append(
                {
                    "metric": metric.id,
                    "geography": figure.geography,
                    "published": figure.value,
                    "year": figure.year,
                    "source": figure.source,
                    "checked": figure.checked,
                    "estimate": estimate,
                    "ci_low": low,
                    "ci_high": high,
                    "n": found["n"] if found is not None else pd.NA,
                    "flag": found["flag"] if found is not None else "",
                    "diff": estimate - figure.value,
                    "within_interval": bool(low <= figure.value <= high),
                }
            )
    return pd.DataFrame(rows, columns=list(COLUMNS))
