"""``questions``: a stored wave's own questions, in the file's words.

Each question: ``id`` (its column name; a multi-select set's common stem),
``text``, ``type``, ``answers`` (a list of ``{"code", "label"}``, codes as
strings) and ``link`` (the library question it is linked to, or null). A
toplines wave lists its published items.
"""

from __future__ import annotations

import argparse
from typing import Any

from analysis.cli.commands import COMMANDS
from analysis.cli.options import add_output_format, add_store, open_store
from analysis.cli.output import emit_rows
from analysis.store.questionnaire import Questionnaire, answers_json

KEYS = ("id", "text", "type", "answers", "link")
"""The keys of each question ``questions --format json`` prints, in order."""


def register(sub: Any) -> None:
    """Add the ``questions`` command."""
    parser = sub.add_parser("questions", help=COMMANDS["questions"][1])
    parser.add_argument("--wave", required=True, metavar="W", help="a stored wave")
    add_store(parser)
    add_output_format(parser, default="table")
    parser.set_defaults(handler=run)


def question_list(questionnaire: Questionnaire) -> list[dict[str, Any]]:
    """The questions as the command line prints them."""
    return [
        {
            "id": q.id,
            "text": q.text,
            "type": q.type,
            "answers": answers_json(q.answers),
            "link": q.link,
        }
        for q in questionnaire.questions
    ]


def run(args: argparse.Namespace) -> int:
    """Print the wave's questions."""
    rows = question_list(open_store(args).questionnaire(args.wave))
    if args.format == "table":
        shown = [
            {
                **r,
                "answers": "; ".join(f"{a['code']}={a['label']}" for a in r["answers"]),
            }
            for r in rows
        ]
        emit_rows(shown, KEYS, "table")
    else:
        emit_rows(rows, KEYS, args.format)
    return 0
