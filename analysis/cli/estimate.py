"""``estimate``: a weighted proportion with its interval, from a CSV file or the store.

Two modes. ``estimate FILE.csv --yes-column COL`` reads a yes/no column (and
optionally weights, strata, clusters, fpc and one segment column) and gives the
overall row then one row per segment. ``estimate --wave W`` gives, for a
stored wave, ``--question Q`` (any question of its own: each answer's share,
the NET of ``--answer`` values, or ``--mean``; the total first, then each
value of ``--by``), an analyst's stored metric, or the library's metrics
(:mod:`analysis.cli.question_estimate`).

With weights or a design, ``se`` is always the linearised (design-based)
standard error, whatever interval is asked for; binomial intervals then stand
on the design-based effective base ``n_star`` (``wilson-kish``: on Kish's
``n_eff``), and ``deff`` is the estimate's design effect. Without weights or
design the binomial intervals are the plain ones on n, and ``se`` is
√(p(1 − p)/n). A stratum with a single PSU follows ``--lonely-psu`` (R's
``survey.lonely.psu`` rules). With ``--rake TARGETS`` (FILE.csv mode) the
file's weights are first raked to the population margins in TARGETS (and
trimmed to ``--cap LOW,HIGH`` times the mean weight); ``se`` and the interval
then use the calibration (GREG-residual) variance of ``survey::calibrate``,
``n_eff`` is Kish's on the raked weights, and each row's ``weighting`` names
the targets file. Both modes build their rows with
:func:`analysis.table.rows.estimate_rows`; this module reads and prints.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.cli.commands import COMMANDS
from analysis.cli.options import (
    add_interval_options,
    add_lonely_psu,
    add_output_format,
    add_store,
    add_weighting,
    open_store,
)
from analysis.cli.output import emit
from analysis.cli.survey_file import (
    parse_cap,
    rake_survey_file,
    read_survey_csv,
)
from analysis.errors import SurveyDataError
from analysis.stats.fitting import target_columns
from analysis.stats.intervals import check_level
from analysis.store.wave import TOTAL
from analysis.table.rows import EstimateOptions, estimate_rows

FILE_KEYS = (
    "segment",
    "n",
    "n_eff",
    "n_star",
    "deff",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "method",
    "level",
    "flag",
    "clipped",
)
STORE_KEYS = (
    "wave",
    "metric",
    "segment_var",
    "segment_value",
    *FILE_KEYS,
    "scale",
    "source_kind",
    "weighting",
)


def register(sub: Any) -> None:
    """Add the ``estimate`` command."""
    parser = sub.add_parser(
        "estimate",
        help=COMMANDS["estimate"][1],
        description="Give FILE.csv with --yes-column, or --wave for a stored wave.",
    )
    parser.add_argument("file", nargs="?", type=Path, metavar="FILE.csv")
    csv_opts = parser.add_argument_group("FILE.csv mode")
    csv_opts.add_argument("--yes-column", metavar="COL", help="0/1, true/false, yes/no")
    csv_opts.add_argument(
        "--weight", metavar="COL", help="weights (≥ 0; 0 keeps the row in the design)"
    )
    csv_opts.add_argument("--strata", metavar="COL", help="strata")
    csv_opts.add_argument("--cluster", metavar="COL", help="clusters (PSUs)")
    csv_opts.add_argument(
        "--fpc", metavar="COL", help="population size N_h, or sampling fraction"
    )
    add_lonely_psu(csv_opts)
    csv_opts.add_argument(
        "--rake",
        type=Path,
        metavar="TARGETS",
        help="rake the weights to these population margins (JSON/YAML/CSV) first",
    )
    csv_opts.add_argument(
        "--cap",
        metavar="LOW,HIGH",
        help="with --rake: bound the weights to LOW–HIGH times their mean",
    )
    store_opts = parser.add_argument_group("stored wave mode")
    store_opts.add_argument("--wave", metavar="W", help="a stored wave")
    store_opts.add_argument(
        "--metric", metavar="M", nargs="+", action="extend", help="metric id(s)"
    )
    store_opts.add_argument("--question", metavar="Q", help="a question of the wave")
    store_opts.add_argument(
        "--answer",
        metavar="A",
        nargs="+",
        action="extend",
        default=[],
        help="answers counted together (labels or codes): their NET share",
    )
    store_opts.add_argument(
        "--mean", action="store_true", help="the mean score of a scale or number"
    )
    add_weighting(store_opts)
    add_store(store_opts)
    parser.add_argument(
        "--by", metavar="COL", action="append", default=[], help="segment variable"
    )
    add_interval_options(parser)
    add_output_format(parser, default="json")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Estimate from the file or the store, and print the rows."""
    check_level(args.level)
    if args.file is not None and args.wave is not None:
        raise SurveyDataError("give either FILE.csv or --wave, not both")
    if args.file is not None:
        return _run_file(args)
    if args.wave is not None:
        return _run_store(args)
    raise SurveyDataError("give FILE.csv with --yes-column, or --wave W")


def _run_store(args: argparse.Namespace) -> int:
    stray = [
        f"--{name.replace('_', '-')}"
        for name in ("yes_column", "weight", "strata", "cluster", "fpc", "rake", "cap")
        if getattr(args, name) is not None
    ]
    if args.lonely_psu != "fail":
        stray.append("--lonely-psu")
    if stray:
        raise SurveyDataError(f"{', '.join(stray)} apply to FILE.csv, not to --wave")
    from analysis.cli import question_estimate as asked
    from analysis.table.estimate import estimate  # the store and the codebook

    store = open_store(args)
    if args.question is not None:
        return asked.run_question(store, args)
    if args.answer or args.mean:
        raise SurveyDataError("--answer and --mean need --question Q")
    own = asked.analyst_metrics(store, args.metric or [])
    if own:
        if len(args.metric) > 1:
            raise SurveyDataError("estimate one analyst's metric at a time")
        return asked.run_metric(store, args, own[0])
    opts = asked.options(args)
    table = estimate(store, [args.wave], args.metric, args.by, None, opts)
    emit(_with_segment(table), STORE_KEYS, args.format)
    return 0


def _run_file(args: argparse.Namespace) -> int:
    if args.wave is not None or args.metric or args.unweighted or args.question:
        raise SurveyDataError(
            "--wave, --question, --metric and --unweighted apply to the store"
        )
    if args.weights is not None:
        raise SurveyDataError("--weights NAME applies to --wave; use --rake TARGETS")
    if args.yes_column is None:
        raise SurveyDataError("FILE.csv needs --yes-column COL")
    if len(args.by) > 1:
        raise SurveyDataError("with FILE.csv, --by takes one column")
    if args.cap is not None and args.rake is None:
        raise SurveyDataError("--cap applies with --rake TARGETS")
    cap = parse_cap(args.cap)
    targets = None
    if args.rake is not None:
        from analysis.ingest.targets import read_targets  # yaml: only when raking

        targets = read_targets(args.rake)
    data = read_survey_csv(
        args.file,
        yes=args.yes_column,
        weight=args.weight,
        strata=args.strata,
        cluster=args.cluster,
        fpc=args.fpc,
        by=args.by[0] if args.by else None,
        lonely_psu=args.lonely_psu,
        labels=() if targets is None else target_columns(targets),
    )
    opts = EstimateOptions(method=args.ci, level=args.level)
    if targets is None:
        table = estimate_rows(data.design, data.values, data.segments, opts)
        emit(_with_segment(table), FILE_KEYS, args.format)
        return 0
    weighting = rake_survey_file(data, targets, cap)
    table = estimate_rows(
        data.design, data.values, data.segments, opts, calibration=weighting
    )
    table["weighting"] = args.rake.stem
    emit(_with_segment(table), (*FILE_KEYS, "weighting"), args.format)
    return 0


def _with_segment(table: pd.DataFrame) -> pd.DataFrame:
    """The rows with ``segment``: the segment's value, None on the overall row."""
    return table.assign(
        segment=table["segment_value"].where(table["segment_var"] != TOTAL, None)
    )
