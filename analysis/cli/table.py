"""``table``: a banner table of a stored wave, as JSON, CSV or an Excel file.

``python -m analysis table --wave W --rows SPEC,… --banner VAR,… [--nest
VAR:VAR] [--no-total] [--arrows] --format json|csv|xlsx [--out FILE]``. A row
SPEC is ``Q``, ``Q:net=A+B``, ``Q:mean`` or ``metric:ID``
(:mod:`analysis.table.banner_spec`). JSON is one list of cells with the keys
of :data:`analysis.table.banner.CELL_KEYS`; CSV the same cells, long form;
xlsx needs ``--out``. ``--spec NAME`` reads a saved table spec instead of
``--rows``/``--banner``; ``--save NAME`` stores the one given (audited).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.cli.commands import COMMANDS
from analysis.cli.options import (
    add_interval_options,
    add_store,
    note,
    open_store,
    print_json,
)
from analysis.errors import SurveyDataError

if TYPE_CHECKING:
    from analysis.store.wave_store import WaveStore
    from analysis.table.banner import BannerTable
    from analysis.table.banner_spec import TableSpec

FORMATS = ("json", "csv", "xlsx")


def register(sub: Any) -> None:
    """Add the ``table`` command."""
    parser = sub.add_parser("table", help=COMMANDS["table"][1])
    parser.add_argument("--wave", required=True, metavar="W")
    parser.add_argument(
        "--rows",
        action="append",
        default=[],
        metavar="SPEC,…",
        help="Q (its answers; a scale adds NETs and mean), Q:net=A+B, Q:mean, "
        "metric:ID",
    )
    parser.add_argument(
        "--banner", action="append", default=[], metavar="VAR,…", help="banners"
    )
    parser.add_argument(
        "--nest",
        action="append",
        default=[],
        metavar="VAR:VAR",
        help="add a banner of A × B",
    )
    parser.add_argument("--no-total", action="store_true", help="drop the Total")
    parser.add_argument(
        "--arrows",
        action="store_true",
        help="test each column against the rest of the sample",
    )
    parser.add_argument("--spec", metavar="NAME", help="a saved table spec")
    parser.add_argument("--save", metavar="NAME", help="save this spec by name")
    parser.add_argument("--unweighted", action="store_true")
    add_interval_options(parser)
    add_store(parser)
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="json",
        help="output: json or csv on stdout, or an xlsx file (needs --out) "
        "(default: json)",
    )
    parser.add_argument("--out", type=Path, metavar="FILE", help="write here")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Compute the banner table and print or write it."""
    from analysis.table.banner import banner_table
    from analysis.table.rows import EstimateOptions

    if args.format == "xlsx" and args.out is None:
        raise SurveyDataError("--format xlsx needs --out FILE")
    store = open_store(args)
    spec = _spec(store, args)
    if store.wave(args.wave).meta.kind != "respondents":
        raise SurveyDataError(
            f"wave {args.wave} holds published toplines: a banner table needs "
            "respondents"
        )
    table = banner_table(
        store.load_respondents([args.wave]),
        store.questionnaire(args.wave),
        spec,
        options=EstimateOptions(
            method=args.ci, level=args.level, weighted=not args.unweighted
        ),
        wave=args.wave,
        analyst_metrics=store.metrics(),
    )
    if args.save:
        store.save_table_spec(args.save, spec)
        note(args, f"saved table spec {args.save!r}")
    _write(table, args)
    return 0


def _spec(store: WaveStore, args: argparse.Namespace) -> TableSpec:
    from analysis.table.banner_spec import TableSpec, parse_nest, split_list

    if args.spec:
        if args.rows or args.banner or args.nest:
            raise SurveyDataError(
                "give --spec NAME or --rows/--banner/--nest, not both"
            )
        saved = store.table_spec(args.spec).spec
        return replace(
            saved,
            total=saved.total and not args.no_total,
            arrows=saved.arrows or args.arrows,
        )
    if not args.rows:
        raise SurveyDataError("give --rows SPEC,… (or --spec NAME)")
    return TableSpec(
        rows=split_list(args.rows),
        banners=split_list(args.banner),
        nest=parse_nest(args.nest),
        total=not args.no_total,
        arrows=args.arrows,
    )


def _write(table: BannerTable, args: argparse.Namespace) -> None:
    from analysis.table.banner_files import to_csv_bytes, to_xlsx_bytes

    if args.format == "xlsx":
        title = f"{args.wave} {args.spec or 'table'}"
        args.out.write_bytes(to_xlsx_bytes([(title, table)]))
        note(args, f"wrote {args.out}")
    elif args.format == "csv":
        data = to_csv_bytes(table)
        if args.out is not None:
            args.out.write_bytes(data)
        else:
            sys.stdout.write(data.decode("utf-8-sig"))
    elif args.out is not None:
        import json

        args.out.write_text(
            json.dumps(table.records(), ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
    else:
        print_json(table.records())
