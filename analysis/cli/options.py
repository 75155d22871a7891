"""What every command shares: the exit status, the options and where text goes.

One place so the commands read alike: ``--store``, ``--format`` (for a printing
command, ``json``, ``csv`` or ``table``; for a command that writes files, the
file type), ``--ci``/``--level``, and the rule that with ``--format json`` or
``csv`` stdout holds the data alone and every other line goes to stderr.

Kept light on purpose: it is imported by every command, so the store and the
table modules are imported only by the functions that need them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.store.wave_store import WaveStore

EXIT_USAGE = 2
"""The exit status of every error the user can fix (argparse's own, too)."""

OUTPUT_FORMATS = ("json", "csv", "table")
"""What a command that prints results can print."""

INTERVAL_DEFAULT = "wilson"
LEVEL_DEFAULT = 0.95


def add_store(parser: argparse._ActionsContainer, *, action: bool = False) -> None:
    """``--store PATH|URL`` (default: $CONFIANCE_STORE or data/confiance.duckdb).

    ``action``: the parser of a command's action (``waves delete``), which must
    keep a ``--store`` given before it rather than reset it.
    """
    parser.add_argument(
        "--store",
        type=str,  # a URL: Path would fold its "//"
        default=argparse.SUPPRESS if action else None,
        help="DuckDB store file or postgresql:// URL "
        "(default: $CONFIANCE_STORE or data/confiance.duckdb)",
    )


def add_output_format(
    parser: argparse.ArgumentParser,
    default: str,
    choices: Sequence[str] = OUTPUT_FORMATS,
) -> None:
    """``--format`` of a command that prints results; the help names the default."""
    parser.add_argument(
        "--format",
        choices=tuple(choices),
        default=default,
        help=f"output: {', '.join(choices)} (default: {default}); "
        "json is one value on stdout, notes go to stderr",
    )


def add_file_format(
    parser: argparse.ArgumentParser, choices: Sequence[str], default: str
) -> None:
    """``--format`` of a command that writes files: the file type."""
    parser.add_argument(
        "--format",
        choices=tuple(choices),
        default=default,
        help=f"file type: {', '.join(choices)} (default: {default})",
    )


def add_interval_options(parser: argparse.ArgumentParser) -> None:
    """``--ci METHOD`` and ``--level L`` of the commands that estimate."""
    from analysis.methods import INTERVAL_METHODS

    parser.add_argument(
        "--ci",
        choices=INTERVAL_METHODS,
        default=INTERVAL_DEFAULT,
        metavar="METHOD",
        help=f"interval: {', '.join(INTERVAL_METHODS)} (default: {INTERVAL_DEFAULT})",
    )
    parser.add_argument(
        "--level",
        type=float,
        default=LEVEL_DEFAULT,
        help=f"confidence level (default: {LEVEL_DEFAULT})",
    )


def add_weighting(parser: argparse._ActionsContainer) -> None:
    """``--weights NAME`` or ``--unweighted``: which weights the estimates use.

    The same choice as the dashboard's weighting picker: a stored weighting
    of the wave (``weight list --wave W`` names them), the wave's default
    without either, or no weights at all.
    """
    parser.add_argument(
        "--weights",
        metavar="NAME",
        help="a stored weighting of the wave(s), as `weight list` names them "
        "(default: each wave's default; 'file': the file's own weights); each "
        "row's weighting names the one used",
    )
    parser.add_argument(
        "--unweighted",
        action="store_true",
        help="ignore the waves' weights (not with --weights)",
    )


def weighting_choice(args: argparse.Namespace) -> tuple[bool, str | None]:
    """``(weighted, weighting name)`` as :class:`EstimateOptions` takes them."""
    from analysis.errors import SurveyDataError

    if args.unweighted and args.weights is not None:
        raise SurveyDataError("give --weights NAME or --unweighted, not both")
    return not args.unweighted, args.weights


def checked_weighting(
    store: WaveStore, waves: Sequence[str], args: argparse.Namespace
) -> tuple[bool, str | None]:
    """:func:`weighting_choice`, with ``--weights NAME`` refused where a wave lacks it.

    Several waves estimated at once let a wave without the name fall back
    to its default, as the dashboard's picker does; a command naming one
    weighting stops instead, naming the wave (and the weightings it has).
    """
    from analysis.errors import SurveyDataError

    weighted, name = weighting_choice(args)
    for wave in waves if name is not None else ():
        if store.wave(wave).meta.kind == "toplines":
            raise SurveyDataError(
                f"wave {wave} holds published toplines: it has no weighting "
                f"named {name!r}"
            )
        store.weighting(wave, name)  # its error names the wave's weightings
    return weighted, name


def add_lonely_psu(parser: argparse._ActionsContainer) -> None:
    """``--lonely-psu RULE``: what a stratum with a single PSU does (R's rules)."""
    from analysis.methods import LONELY_PSU_RULES

    parser.add_argument(
        "--lonely-psu",
        choices=LONELY_PSU_RULES,
        default="fail",
        metavar="RULE",
        help="a stratum with one PSU: "
        f"{', '.join(LONELY_PSU_RULES)} (default: fail), as R's survey.lonely.psu",
    )


def add_alpha(parser: argparse.ArgumentParser) -> None:
    """``--alpha A``: the tests' level, another way to say ``--level 1−A``."""
    parser.add_argument(
        "--alpha",
        type=float,
        default=None,
        help="significance level of the tests; the same as --level 1−ALPHA "
        f"(default: 1 − level = {1 - LEVEL_DEFAULT:g})",
    )


def resolved_level(args: argparse.Namespace) -> float:
    """The confidence level, read from ``--level`` or from ``--alpha`` (1 − α).

    Tests run at α = 1 − level, so the two options say one thing; given
    both, they must agree.
    """
    from analysis.errors import SurveyDataError
    from analysis.stats.intervals import check_level

    level = check_level(args.level)
    alpha = getattr(args, "alpha", None)
    if alpha is None:
        return level
    implied = 1.0 - check_level(alpha)
    if level != LEVEL_DEFAULT and abs(level - implied) > 1e-12:
        raise SurveyDataError(
            f"--alpha {alpha} and --level {level} disagree: tests run at "
            "α = 1 − level; give one of them"
        )
    return implied


def open_store(args: argparse.Namespace) -> WaveStore:
    """The store the command was pointed at, as ``$CONFIANCE_USER`` may use it."""
    from analysis.access.store import acting_store

    return acting_store(args.store)


def print_json(payload: list[Any] | dict[str, Any]) -> None:
    """Machine-readable output: one JSON list or object on stdout."""
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def note(args: argparse.Namespace, text: str) -> None:
    """A line for people: on stdout beside a table, on stderr beside data."""
    human = getattr(args, "format", "table") == "table"
    print(text, file=sys.stdout if human else sys.stderr)


def warn(text: str) -> None:
    """A one-line warning on stderr (the command goes on)."""
    print(f"warning: {text}", file=sys.stderr)


def one_line(message: object) -> str:
    """An error message folded onto one line, as every error is printed."""
    return " ".join(part.strip() for part in str(message).splitlines() if part.strip())
