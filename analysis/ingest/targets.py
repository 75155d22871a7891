"""Population targets for weighting, read from a file an analyst writes.

The shape (JSON; YAML the same; CSV as ``variable,category,target`` rows)::

    {"population_total": 1000000,
     "age_band": {"18-34": 0.3, "35-54": 0.4, "55+": 0.3},
     "gender": {"female": 0.52, "male": 0.48}}

A variable's values are shares when they sum to 1 (± 1e-6), otherwise counts,
which must sum to ``population_total`` when it is given. A joint table for
post-stratification is ``{"joint": [{"VAR1": "a", "VAR2": "b", "target": v}, …]}``;
per-country margins are ``{"by": "country", "targets": {"FR": {…}, …},
"country_size": "population" | "equal"}``. An optional top-level ``"source"``
names where the figures come from; footnotes quote it.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import yaml

from analysis.errors import WeightingError

CountrySize = Literal["population", "equal"]
_SHARE_SLACK = 1e-6


@dataclass(frozen=True)
class MarginTargets:
    """Margins of one population: shares or counts per category of each variable."""

    margins: Mapping[str, Mapping[str, float]]
    population_total: float | None = None
    joint: tuple[Mapping[str, Any], ...] = ()

    def counts(self, sample_total: float) -> dict[str, dict[str, float]]:
        """Margins as counts; shares scale to the population (or the sample) total."""
        total = self.population_total or sample_total
        return {
            variable: _as_counts(variable, values, total, self.population_total)
            for variable, values in self.margins.items()
        }

    def joint_cells(
        self, sample_total: float
    ) -> tuple[list[str], dict[tuple[str, ...], float]]:
        """The joint table's variables and its cells as counts."""
        names = [k for k in self.joint[0] if k != "target"]
        cells = {
            tuple(str(row[v]) for v in names): float(row["target"])
            for row in self.joint
        }
        total = sum(cells.values())
        if math.isclose(total, 1.0, abs_tol=_SHARE_SLACK):
            scale = self.population_total or sample_total
            cells = {k: v * scale for k, v in cells.items()}
        return names, cells


@dataclass(frozen=True)
class Targets:
    """What a weighting aims at: one population, or one per country."""

    population: MarginTargets | None = None
    by: str | None = None
    groups: Mapping[str, MarginTargets] = field(default_factory=dict)
    country_size: CountrySize = "population"
    source: str = ""
    """Where the figures come from (the file's ``"source"``), for footnotes."""


def read_targets(path: Path | str) -> Targets:
    """The targets in a ``.json``, ``.yaml``/``.yml`` or ``.csv`` file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise WeightingError(f"cannot read targets {path.name}: {exc}") from None
    return parse_targets(raw_targets(text, path.name), where=path.name)


def raw_targets(text: str, name: str) -> dict[str, Any]:
    """A targets file's text in the JSON shape, as written (``name`` gives the type).

    What a stored weighting keeps, and what :func:`parse_targets` reads.
    """
    suffix = Path(name).suffix.lower()
    try:
        if suffix == ".json":
            raw: Any = json.loads(text)
        elif suffix in (".yaml", ".yml"):
            raw = yaml.safe_load(text)
        elif suffix == ".csv":
            raw = from_csv(text, name)
        else:
            raise WeightingError(f"targets file {name} must be .json, .yaml or .csv")
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise WeightingError(f"targets {name} is not valid: {exc}") from None
    if not isinstance(raw, dict):
        raise WeightingError(f"{name}: targets must be an object of variables")
    return raw


def parse_targets(raw: Any, *, where: str = "targets") -> Targets:
    """Targets from their JSON shape; errors name the variable and the file."""
    if not isinstance(raw, Mapping):
        raise WeightingError(f"{where}: targets must be an object of variables")
    source = raw.get("source", "")
    if not isinstance(source, str):
        raise WeightingError(f"{where}: 'source' must be a sentence naming the source")
    if "by" in raw:
        return replace(_per_group(raw, where), source=source)
    margins = {k: v for k, v in raw.items() if k != "source"}
    return Targets(population=_margins(margins, where), source=source)


def _per_group(raw: Mapping[str, Any], where: str) -> Targets:
    groups = raw.get("targets")
    if not isinstance(groups, Mapping) or not groups:
        raise WeightingError(f"{where}: 'by' needs 'targets': {{group: margins}}")
    size = raw.get("country_size", "population")
    if size not in ("population", "equal"):
        raise WeightingError(
            f"{where}: country_size must be 'population' or 'equal'; got {size!r}"
        )
    parsed = {
        str(group): _margins(margins, f"{where} [{group}]")
        for group, margins in groups.items()
    }
    if size == "population":
        lacking = [g for g, m in parsed.items() if m.population_total is None]
        if lacking:
            raise WeightingError(
                f"{where} [{lacking[0]}]: country_size 'population' needs each "
                "group's population_total"
            )
    return Targets(by=str(raw["by"]), groups=parsed, country_size=size)


def _margins(raw: Any, where: str) -> MarginTargets:
    if not isinstance(raw, Mapping):
        raise WeightingError(f"{where}: margins must be an object of variables")
    total = raw.get("population_total")
    if total is not None and not (_is_number(total) and float(total) > 0):
        raise WeightingError(f"{where}: population_total must be a number > 0")
    joint = raw.get("joint", ())
    margins = {}
    for variable, values in raw.items():
        if variable in ("population_total", "joint"):
            continue
        if not isinstance(values, Mapping) or not values:
            raise WeightingError(
                f"{where}: {variable!r} must map each category to a share or count"
            )
        bad = [c for c, v in values.items() if not (_is_number(v) and float(v) >= 0)]
        if bad:
            raise WeightingError(
                f"{where}: target {variable}={bad[0]!r} must be a number ≥ 0; "
                f"got {values[bad[0]]!r}"
            )
        margins[str(variable)] = {str(c): float(v) for c, v in values.items()}
        _as_counts(str(variable), margins[str(variable)], 1.0, total)
    _check_joint(joint, where)
    return MarginTargets(margins, None if total is None else float(total), tuple(joint))


def _check_joint(joint: Any, where: str) -> None:
    if not joint:
        return
    if not isinstance(joint, list) or not all(isinstance(r, Mapping) for r in joint):
        raise WeightingError(f"{where}: 'joint' must be a list of cells")
    names = sorted(k for k in joint[0] if k != "target")
    for i, row in enumerate(joint, start=1):
        if sorted(k for k in row if k != "target") != names or not _is_number(
            row.get("target")
        ):
            raise WeightingError(
                f"{where}: joint cell {i} must name {', '.join(names)} and a "
                "numeric target"
            )


def _as_counts(
    variable: str, values: Mapping[str, float], total: float, given: Any
) -> dict[str, float]:
    s = sum(values.values())
    if math.isclose(s, 1.0, abs_tol=_SHARE_SLACK):
        return {c: v * total for c, v in values.items()}
    if given is not None and not math.isclose(s, float(given), rel_tol=1e-6):
        raise WeightingError(
            f"targets of {variable!r} add up to {s:g}: counts must add up to the "
            f"population_total ({float(given):g}), or shares to 1"
        )
    return dict(values)


def from_csv(text: str, name: str) -> dict[str, Any]:
    """A targets CSV's rows (``variable,category,target``) in the JSON shape."""
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows or {"variable", "category", "target"} - set(rows[0]):
        raise WeightingError(
            f"{name}: a targets CSV needs the columns variable, category, target"
        )
    raw: dict[str, Any] = {}
    for line, row in enumerate(rows, start=2):
        try:
            value = float(row["target"])
        except (TypeError, ValueError):
            raise WeightingError(
                f"{name}, row {line}: target {row['target']!r} is not a number"
            ) from None
        if row["variable"] == "population_total":
            raw["population_total"] = value
        else:
            raw.setdefault(row["variable"], {})[row["category"]] = value
    return raw


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def entered_targets(
    tables: Mapping[str, Mapping[str, Mapping[str, float]]],
    *,
    by: str | None = None,
    totals: Mapping[str, float] | None = None,
    country_size: CountrySize = "equal",
    source: str = "",
) -> dict[str, Any]:
    """Targets typed as percentages, per group, in the targets file's JSON shape.

    ``tables`` maps each group (``""`` without ``by``) to its variables, each
    variable to its categories' percentages, which must add up to 100 (± 0.01;
    the error names the variable and the group). With ``country_size =
    "population"`` each group needs its population total in ``totals``.
    """
    groups: dict[str, dict[str, Any]] = {}
    for group, variables in tables.items():
        margins: dict[str, Any] = {}
        for variable, percents in variables.items():
            where = f"{variable} [{group}]" if group else variable
            values = {str(c): float(v) for c, v in percents.items()}
            total = sum(values.values())
            if not math.isclose(total, 100.0, abs_tol=0.01) or min(values.values()) < 0:
                raise WeightingError(
                    f"targets of {where} add up to {total:g}%: percentages must "
                    "be ≥ 0 and add up to 100"
                )
            margins[variable] = {c: v / total for c, v in values.items()}
        if by is not None and country_size == "population":
            size = (totals or {}).get(group)
            if not size or size <= 0:
                raise WeightingError(f"{by} {group}: give its population total (> 0)")
            margins = {"population_total": float(size), **margins}
        groups[group] = margins
    if by is None:
        return {"source": source, **groups.get("", {})}
    return {"source": source, "by": by, "country_size": country_size, "targets": groups}
