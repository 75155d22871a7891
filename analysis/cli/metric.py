"""``metric``: analysts' own metrics, kept in the store with the audit trail.

``metric add --wave W --question Q --answer A ... --name ID`` binds a metric to
a wave's question (and, through links, to the same question in other waves);
answers are matched by label or code, kept by code and shown by label.
``metric list`` and ``metric delete ID``; ``estimate --wave W --metric ID``
estimates a stored metric.
"""

from __future__ import annotations

import argparse
from typing import Any

from analysis.cli.commands import COMMANDS
from analysis.cli.options import add_output_format, add_store, open_store
from analysis.cli.output import emit_rows
from analysis.store.metrics import POLARITIES, AnalystMetric

KEYS = (
    "id",
    "wave",
    "question",
    "answers",
    "label_en",
    "label_fr",
    "polarity",
    "created_by",
    "created_at",
)


def register(sub: Any) -> None:
    """Add the ``metric`` command and its ``add``, ``list`` and ``delete``."""
    parser = sub.add_parser("metric", help=COMMANDS["metric"][1])
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="store a metric of a wave's question")
    add.add_argument("--wave", required=True, metavar="W")
    add.add_argument("--question", required=True, metavar="Q")
    add.add_argument(
        "--answer",
        required=True,
        nargs="+",
        action="extend",
        metavar="A",
        help="the answers that count (labels or codes)",
    )
    add.add_argument("--name", required=True, metavar="ID", help="the metric's id")
    add.add_argument("--label-en", default="", metavar="TEXT")
    add.add_argument("--label-fr", default="", metavar="TEXT")
    add.add_argument(
        "--polarity",
        choices=POLARITIES,
        default="up",
        help="up: higher is better; down: higher is worse",
    )
    add_store(add)
    add_output_format(add, default="table")
    listed = actions.add_parser("list", help="every stored metric")
    add_store(listed)
    add_output_format(listed, default="table")
    delete = actions.add_parser("delete", help="remove a stored metric")
    delete.add_argument("id", metavar="ID")
    add_store(delete)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Add, list or delete."""
    store = open_store(args)
    if args.action == "add":
        added = store.add_metric(
            AnalystMetric(
                id=args.name,
                wave=args.wave,
                question=args.question,
                answers=tuple(args.answer),
                label_en=args.label_en,
                label_fr=args.label_fr,
                polarity=args.polarity,
            )
        )
        emit_rows([added.record()], KEYS, args.format)
    elif args.action == "list":
        emit_rows([m.record() for m in store.metrics()], KEYS, args.format)
    else:
        store.delete_metric(args.id)
        print(f"metric {args.id} deleted")
    return 0
