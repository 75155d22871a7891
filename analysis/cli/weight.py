"""``weight``: a stored wave's named weightings — make one, list them, delete one.

``weight --wave W --targets FILE [--method rake|poststratify] [--cap LOW,HIGH]
[--name NAME] [--default]`` fits the wave's design weights to the population
targets in FILE (JSON/YAML/CSV, the README's format) and stores the result as
the weighting NAME (default: the file's stem); ``--format json`` prints one
object: ``name, iterations, converged, max_margin_gap, efficiency, n_eff,
deff, min, max, cv, margins`` with ``margins`` = ``{VAR: [{category,
sample_share, target_share, weighted_share}]}``. A margin that does not
converge, an empty target cell or a target category the sample lacks is a
one-line error naming it, and nothing is stored. ``weight list --wave W`` and
``weight delete --wave W --name NAME``; ``estimate --wave W --weights NAME``
estimates under a stored weighting.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from analysis.cli.commands import COMMANDS
from analysis.cli.options import add_output_format, add_store, open_store, print_json
from analysis.cli.output import emit_rows
from analysis.cli.survey_file import parse_cap
from analysis.errors import SurveyDataError
from analysis.stats.fitting import METHODS

RESULT_KEYS = (
    "name",
    "iterations",
    "converged",
    "max_margin_gap",
    "efficiency",
    "n_eff",
    "deff",
    "min",
    "max",
    "cv",
    "margins",
)
"""The keys of the object ``weight --format json`` prints, in order."""
LIST_KEYS = (
    "wave",
    "name",
    "method",
    "default",
    "source",
    "cap",
    "iterations",
    "max_margin_gap",
    "efficiency",
    "n_eff",
    "deff",
    "min",
    "max",
    "cv",
    "created_by",
    "created_at",
)


def register(sub: Any) -> None:
    """Add the ``weight`` command, with its ``list`` and ``delete`` actions."""
    parser = sub.add_parser(
        "weight",
        help=COMMANDS["weight"][1],
        description="weight --wave W --targets FILE makes a weighting; "
        "weight list / weight delete manage them.",
    )
    parser.add_argument(
        "action", nargs="?", choices=("list", "delete"), help="list or delete"
    )
    parser.add_argument("--wave", required=True, metavar="W", help="a stored wave")
    parser.add_argument(
        "--targets", type=Path, metavar="FILE", help="population targets"
    )
    parser.add_argument("--method", choices=METHODS, default="rake")
    parser.add_argument(
        "--cap", metavar="LOW,HIGH", help="bound the weights to LOW–HIGH × the mean"
    )
    parser.add_argument("--name", metavar="NAME", help="the weighting's name")
    parser.add_argument(
        "--default", action="store_true", help="make it the wave's default"
    )
    parser.add_argument(
        "--source", default="", metavar="TEXT", help="where the targets come from"
    )
    add_store(parser)
    add_output_format(parser, default="table")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Make, list or delete a weighting."""
    if args.action == "list":
        store = open_store(args)
        rows = [w.record() for w in store.weightings(args.wave)]
        emit_rows(rows, LIST_KEYS, args.format)
        return 0
    if args.action == "delete":
        if not args.name:
            raise SurveyDataError("weight delete needs --name NAME")
        open_store(args).delete_weighting(args.wave, args.name)
        print(f"weighting {args.name} of wave {args.wave} deleted")
        return 0
    return _make(args)


def _make(args: argparse.Namespace) -> int:
    if args.targets is None:
        raise SurveyDataError("weight --wave W needs --targets FILE (or list/delete)")
    from analysis.ingest.targets import read_targets
    from analysis.table.weighted import weigh_wave

    targets = read_targets(args.targets)
    raw = _raw(args.targets)
    stored, _ = weigh_wave(
        open_store(args),
        args.wave,
        targets,
        raw,
        name=args.name or args.targets.stem,
        method=args.method,
        cap=parse_cap(args.cap),
        default=args.default,
        source=args.source or targets.source or args.targets.name,
    )
    result = {"name": stored.name, **stored.diagnostics}
    if args.format == "json":
        print_json({k: result[k] for k in RESULT_KEYS})
    else:
        _print_table(result, args.format)
    return 0


def _raw(path: Path) -> dict[str, Any]:
    """The targets as written (kept with the weighting)."""
    from analysis.ingest.targets import raw_targets

    return raw_targets(path.read_text(encoding="utf-8-sig"), path.name)


def _print_table(result: dict[str, Any], fmt: str) -> None:
    keys = [k for k in RESULT_KEYS if k != "margins"]
    emit_rows([{k: result[k] for k in keys}], keys, fmt)
    rows = [
        {"variable": variable, **cell}
        for variable, cells in result["margins"].items()
        for cell in cells
    ]
    shares = ("variable", "category", "sample_share", "target_share", "weighted_share")
    emit_rows(rows, shares, fmt)
