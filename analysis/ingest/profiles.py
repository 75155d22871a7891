"""Named mapping profiles: small YAML files in ``data/mappings/``.

A profile is a mapping saved after the analyst's edits, so that the next wave
of the same survey maps with no edits (``--mapping NAME``).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import yaml

from analysis import config
from analysis.errors import IngestError
from analysis.ingest.mapping import SurveyMapping


def profile_path(name_or_path: str | Path) -> Path:
    """A profile name's file in ``data/mappings/``, or the path given."""
    text = str(name_or_path)
    if "/" in text or "\\" in text or text.endswith((".yaml", ".yml")):
        return Path(text)
    if not re.fullmatch(r"[\w.-]{1,64}", text):
        raise IngestError(
            f"mapping profile name {text!r} may hold letters, digits, '.', '-', '_'"
        )
    return config.MAPPINGS / f"{text}.yaml"


def load_profile(name_or_path: str | Path) -> SurveyMapping:
    """A saved mapping profile, by name (``data/mappings/NAME.yaml``) or path."""
    path = profile_path(name_or_path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError:
        known = sorted(p.stem for p in config.MAPPINGS.glob("*.yaml"))
        raise IngestError(
            f"no mapping profile {str(name_or_path)!r} ({path}); saved profiles: "
            f"{', '.join(known) or 'none yet'}"
        ) from None
    except yaml.YAMLError as exc:
        raise IngestError(f"mapping profile {path} is not valid YAML: {exc}") from None
    mapping = SurveyMapping.from_dict(raw, origin=str(path))
    return dataclasses.replace(mapping, name=mapping.name or path.stem)


def save_profile(mapping: SurveyMapping, name_or_path: str | Path) -> Path:
    """Write a mapping as a small YAML profile; returns where it went."""
    path = profile_path(name_or_path)
    named = dataclasses.replace(mapping, name=mapping.name or path.stem)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        yaml.safe_dump(named.to_dict(), allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    return path
