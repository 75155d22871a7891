"""``trend``: change of one metric between consecutive waves, with its interval.

``--weights NAME`` estimates every wave under its stored weighting of that
name (a wave without it is an error naming the wave); without it each wave
uses its own default, and ``--unweighted`` none. Each row's
``weighting_from`` and ``weighting_to`` name the two waves' weightings.
"""

from __future__ import annotations

import argparse
from typing import Any

from analysis.cli.commands import COMMANDS
from analysis.cli.options import (
    add_interval_options,
    add_output_format,
    add_store,
    add_weighting,
    checked_weighting,
    note,
    open_store,
)
from analysis.cli.output import emit_rows, records
from analysis.errors import SurveyDataError
from analysis.methods import AdjustMethod
from analysis.store.wave import TOTAL
from analysis.table.estimate import estimate
from analysis.table.rows import EstimateOptions
from analysis.table.trends import TREND_COLUMNS, trend_table

KEYS = ("segment", *TREND_COLUMNS, "weighting_from", "weighting_to")
_SHOWN = (
    "segment",
    "wave_from",
    "wave_to",
    "estimate_from",
    "estimate_to",
    "diff",
    "diff_low",
    "diff_high",
    "p_adjusted",
    "significant",
    "weighting_from",
    "weighting_to",
)


def register(sub: Any) -> None:
    """Add the ``trend`` command."""
    parser = sub.add_parser(
        "trend",
        help=COMMANDS["trend"][1],
    )
    parser.add_argument("--metric", required=True, metavar="M")
    parser.add_argument(
        "--waves", required=True, metavar="W1,W2,...", help="waves in time order"
    )
    parser.add_argument("--by", metavar="VAR", help="segment variable")
    parser.add_argument(
        "--adjust", choices=("holm", "bh"), default="holm", help="default holm"
    )
    add_weighting(parser)
    add_interval_options(parser)
    add_store(parser)
    add_output_format(parser, default="table")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Estimate the metric in every wave and compare consecutive ones."""
    waves = [w.strip() for w in args.waves.split(",") if w.strip()]
    if len(waves) < 2:
        raise SurveyDataError(f"--waves needs two or more waves; got {args.waves!r}")
    adjust: AdjustMethod = args.adjust
    store = open_store(args)
    weighted, weighting = checked_weighting(store, waves, args)
    opts = EstimateOptions(
        method=args.ci, level=args.level, weighted=weighted, weighting=weighting
    )
    by = [args.by] if args.by else []
    table = estimate(store, waves, [args.metric], by, None, opts)
    trend = trend_table(table, waves, adjust=adjust, level=args.level)
    # one weighting per wave: estimate() marks every row of a wave alike
    used = table.groupby("wave", sort=False)["weighting"].first()
    trend = trend.assign(
        segment=trend["segment_value"].where(trend["segment_var"] != TOTAL, None),
        weighting_from=trend["wave_from"].map(used),
        weighting_to=trend["wave_to"].map(used),
    )
    note(
        args,
        f"{args.metric}: change between consecutive waves ({', '.join(waves)}); "
        f"{adjust} adjustment per chart, level {args.level}; weighting: "
        + ", ".join(f"{w} {used.get(w) or 'none'}" for w in waves),
    )
    emit_rows(records(trend, KEYS), KEYS, args.format, shown=_SHOWN)
    note(args, "diff = later − earlier; — : not tested (low base or no published base)")
    return 0
