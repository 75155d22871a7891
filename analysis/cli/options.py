"""Options several commands share, so they read the same everywhere."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.store.wave_store import WaveStore


def add_store(parser: argparse.ArgumentParser) -> None:
    """``--store PATH`` (default: $CONFIANCE_STORE or data/confiance.duckdb)."""
    parser.add_argument(
        "--store",
        type=Path,
        default=None,
        help="DuckDB store file (default: $CONFIANCE_STORE or data/confiance.duckdb)",
    )


def add_format(parser: argparse.ArgumentParser, *choices: str) -> None:
    """``--format`` with the given choices, the first being the default."""
    parser.add_argument("--format", choices=choices, default=choices[0])


def open_store(args: argparse.Namespace) -> WaveStore:
    """The store the command was pointed at (DuckDB loads only now)."""
    from analysis.store.wave_store import WaveStore

    return WaveStore(args.store)


def print_json(payload: Any) -> None:
    """Machine-readable output: JSON on stdout, NaN written as null."""
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
