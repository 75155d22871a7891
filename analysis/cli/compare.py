"""``compare``: one chart's segments with their column letters and p-values.

Pairs are compared by the Wald test on the design-based variances, at
α = 1 − ``--level`` (``--alpha`` says the same thing the other way round).
``--weights NAME`` estimates under a stored weighting of the wave (its
default without it), ``--unweighted`` under none; each row's ``weighting``
names the one used.
"""

from __future__ import annotations

import argparse
from typing import Any

import pandas as pd

from analysis.cli.commands import COMMANDS
from analysis.cli.options import (
    add_alpha,
    add_interval_options,
    add_output_format,
    add_store,
    add_weighting,
    checked_weighting,
    note,
    open_store,
    resolved_level,
)
from analysis.cli.output import emit_rows, records
from analysis.methods import AdjustMethod
from analysis.store.wave import TOTAL
from analysis.table.estimate import estimate
from analysis.table.letters import segment_pairs, with_segment_letters
from analysis.table.rows import EstimateOptions

KEYS = (
    "wave",
    "metric",
    "segment_var",
    "segment",
    "letter",
    "n",
    "n_eff",
    "n_star",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "method",
    "level",
    "flag",
    "tested",
    "letters",
    "p_values",
    "p_adjusted",
    "family_size",
    "test",
    "adjust",
    "weighting",
)
_SHOWN = (
    "segment",
    "letter",
    "n",
    "estimate",
    "ci_low",
    "ci_high",
    "flag",
    "letters",
    "weighting",
)


def register(sub: Any) -> None:
    """Add the ``compare`` command."""
    parser = sub.add_parser(
        "compare",
        help=COMMANDS["compare"][1],
    )
    parser.add_argument("--wave", required=True, metavar="W")
    parser.add_argument("--metric", required=True, metavar="M")
    parser.add_argument("--by", required=True, metavar="VAR")
    parser.add_argument(
        "--adjust",
        choices=("holm", "bh", "none"),
        default="holm",
        help="default holm; none leaves p-values unadjusted",
    )
    add_alpha(parser)
    add_weighting(parser)
    add_interval_options(parser)
    add_store(parser)
    add_output_format(parser, default="table")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Estimate the chart, test its pairs and print the segments."""
    adjust: AdjustMethod = args.adjust
    level = resolved_level(args)
    alpha = round(1.0 - level, 12)
    store = open_store(args)
    weighted, weighting = checked_weighting(store, [args.wave], args)
    opts = EstimateOptions(
        method=args.ci, level=level, weighted=weighted, weighting=weighting
    )
    table = estimate(store, [args.wave], [args.metric], [args.by], None, opts)
    lettered = with_segment_letters(table, adjust=adjust, alpha=alpha)
    pairs = segment_pairs(table, adjust=adjust, alpha=alpha)
    segment = lettered["segment_value"].where(lettered["segment_var"] != TOTAL, None)
    lettered = lettered.assign(
        segment=segment,
        letter=lettered["letter"].where(segment.notna(), None),
        p_values=[_against(pairs, s, "p_value") for s in segment],
        p_adjusted=[_against(pairs, s, "p_adjusted") for s in segment],
    )
    head = lettered.iloc[-1]
    note(
        args,
        f"{args.wave} · {args.metric} by {args.by}: {head['test']} test, "
        f"{adjust} adjustment over {head['family_size']} pair(s), α = {alpha:g}; "
        f"weighting: {head['weighting'] or 'none'}",
    )
    emit_rows(records(lettered, KEYS), KEYS, args.format, shown=_SHOWN)
    note(args, "letters: segments this one is significantly above; — : not tested")
    return 0


def _against(pairs: pd.DataFrame, segment: str | None, column: str) -> Any:
    """{other letter: p} for one segment; None for the total row."""
    if segment is None:
        return None
    out: dict[str, float | None] = {}
    for row in pairs.itertuples(index=False):
        other = (
            row.letter_b
            if row.segment_a == segment
            else row.letter_a
            if row.segment_b == segment
            else None
        )
        if other is not None:
            value = float(getattr(row, column))
            out[str(other)] = None if value != value else value
    return out
