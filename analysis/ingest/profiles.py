"""Named mapping profiles: small YAML files in one folder, ``data/mappings/``.

A profile is a mapping saved after the analyst's edits, so that the next wave
of the same survey maps with no edits (``--mapping NAME``). A profile's file
is named by a slug the code makes from its validated name, and a name given
to load one is compared with the folder's files, never joined to a path: no
name — ``../../data/codebook``, ``/etc/passwd`` — can reach outside the
folder or overwrite anything but the profile of that name. A local
command-line user may still load or save a file of their own by passing a
:class:`~pathlib.Path` (see :func:`profile_source`); the app never does.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from analysis import config
from analysis.errors import IngestError
from analysis.ingest.mapping import SurveyMapping
from analysis.names import check_name


def profile_slug(name: str) -> str:
    """The file stem of a new profile name: case-folded, spaces as ``-``."""
    return "-".join(check_name(name, "mapping profile").casefold().split())


def profile_source(text: str) -> str | Path:
    """A command-line value: a :class:`Path` when it names a file, else a name."""
    if "/" in text or "\\" in text or text.endswith((".yaml", ".yml")):
        return Path(text)
    return text


def profile_names(folder: Path | None = None) -> list[str]:
    """The saved profiles' names, sorted (names stored before the rule included)."""
    return sorted(_stored_name(path) for path in _files(folder))


def load_profile(profile: str | Path, folder: Path | None = None) -> SurveyMapping:
    """A saved mapping profile by name, or a local file by :class:`Path`."""
    path = profile if isinstance(profile, Path) else _find(profile, folder)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        raise IngestError(
            f"cannot read mapping profile {path} (missing or not UTF-8 text)"
        ) from None
    except yaml.YAMLError as exc:
        raise IngestError(
            f"mapping profile {path} is not valid YAML: {str(exc).splitlines()[0]}"
        ) from None
    mapping = SurveyMapping.from_dict(raw, origin=str(path))
    return dataclasses.replace(mapping, name=mapping.name or path.stem)


def save_profile(
    mapping: SurveyMapping, profile: str | Path, folder: Path | None = None
) -> Path:
    """Save a mapping under a profile name (or to a local file); returns the file."""
    if isinstance(profile, Path):
        path, named = (
            profile,
            dataclasses.replace(mapping, name=mapping.name or profile.stem),
        )
    else:
        name = check_name(profile, "mapping profile")
        path = _slot(name, folder)
        named = dataclasses.replace(mapping, name=name)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(named.to_dict(), allow_unicode=True, sort_keys=False)
    # a new file then a rename: an existing link is replaced, never followed
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.chmod(temporary, 0o644)
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(temporary, path)
    return path


def _files(folder: Path | None) -> list[Path]:
    root = folder or config.MAPPINGS
    return sorted(p for p in root.glob("*.yaml") if p.is_file())


def _stored_name(path: Path) -> str:
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return path.stem
    name = raw.get("name") if isinstance(raw, dict) else None
    return name if isinstance(name, str) and name else path.stem


def _find(name: str, folder: Path | None) -> Path:
    files = _files(folder)
    for path in files:
        if path.stem == name or _stored_name(path) == name:
            return path
    known = ", ".join(sorted(_stored_name(p) for p in files)) or "none yet"
    raise IngestError(f"no mapping profile {name!r}; saved profiles: {known}")


def _slot(name: str, folder: Path | None) -> Path:
    """The file a new or updated profile goes to, inside the folder."""
    root = (folder or config.MAPPINGS).resolve()
    path = root / f"{profile_slug(name)}.yaml"
    if path.parent != root:  # the name rule makes this impossible; checked anyway
        raise IngestError(f"mapping profile name {name!r} cannot be used")
    if path.exists() and _stored_name(path) not in (name, path.stem):
        raise IngestError(
            f"mapping profile name {name!r} is too close to the saved profile "
            f"{_stored_name(path)!r}; choose another name, or that one to replace it"
        )
    return path
