"""Synthetic demo waves, calibrated to the published figures of the seed article.

The demo lets a new user see every chart before uploading real data. It is
SYNTHETIC: no respondent here exists. Each wave is generated deterministically
and calibrated so that its weighted estimate for every published figure lands
on that figure (for the figure's geography and year); other countries and years
follow plausible gaps and trends. Answers hang together through two latent
traits per respondent (privacy concern, appetite for personalisation), so that
segments and composite indices behave like a real panel's.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np
import pandas as pd

from analysis import config
from analysis.ingest.demo_profiles import PROFILES
from analysis.library.codebook import Codebook, Metric, Question
from analysis.library.published import ALL, Published
from analysis.store.origin import DEMO_SOURCE, demo_disclosure
from analysis.store.wave import Disclosure, Wave, WaveMeta, sha256_bytes

COUNTRIES: Mapping[str, int] = {"FR": 1050, "DE": 1000, "GB": 1100, "US": 1200}
AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
GENDERS = ("female", "male", "other")
DEMO_TARGETS = config.ROOT / "data" / "reference" / "targets_demo.json"
"""Each country's adults by age band and gender (sources: data/reference/SOURCES.md)."""
DEMO_WEIGHTING = "census"
"""The name of the demo waves' raking to :data:`DEMO_TARGETS` (not their default)."""
# The skewed shares an online panel delivers: too few young adults, too many women.
_PANEL_AGE = np.array([0.06, 0.13, 0.17, 0.21, 0.21, 0.22])
_PANEL_GENDER = np.array([0.56, 0.43, 0.01])
_FIELDWORK: Mapping[int, tuple[date, date]] = {
    2017: (date(2017, 6, 12), date(2017, 6, 26)),
    2019: (date(2019, 1, 14), date(2019, 2, 1)),
    2025: (date(2025, 3, 3), date(2025, 3, 17)),
}
DEMO_YEARS = tuple(_FIELDWORK)
DEMO_DISCLOSURE = Disclosure(**demo_disclosure())
"""What the demo waves would disclose: an opt-in panel, and not a real one."""

# How answers differ from one share to the next when no split is published:
# the non-yes codes of each scale, with their relative frequencies.
_OTHER_CODES: Mapping[str, Mapping[int, float]] = {
    "agree5": {1: 0.2, 2: 0.35, 3: 0.45},
    "yesno": {2: 1.0},
    "ethics3": {1: 0.55, 2: 0.45},
    "blame": {2: 0.6, 3: 0.25, 4: 0.15},
}
_YES_SPLIT = {4: 0.6, 5: 0.4}


@cache
def _population(country: str) -> tuple[np.ndarray, np.ndarray]:
    """The country's population shares by age band and by gender (the targets)."""
    margins = json.loads(DEMO_TARGETS.read_text(encoding="utf-8"))["targets"][country]
    age = np.array([margins["age_band"][band] for band in AGE_BANDS])
    gender = np.array([margins["gender"][g] for g in GENDERS])
    return age, gender


def demo_waves(codebook: Codebook) -> list[Wave]:
    """The demo's respondent waves (2017, 2019, 2025), generated deterministically."""
    return [_wave(codebook, year) for year in DEMO_YEARS]


def calibration_geography(figure: Published) -> str:
    """Where the demo places a published figure: its geography, or a stand-in.

    A figure whose geography is not stated is placed on its probable country
    when the article suggests one, else on the four-country total ("ALL").
    This is the demo's choice only; the Reference page never compares such a
    figure with a wave.
    """
    if figure.stated:
        return figure.geography
    return figure.probable or ALL


def country_targets(metric: Metric, year: int) -> dict[str, float]:
    """The share each country's wave is calibrated to, for one metric and year."""
    profile = PROFILES[metric.id]
    anchor_year = min({f.year for f in metric.published}, key=lambda y: abs(y - year))
    figures = {
        calibration_geography(f): f.value
        for f in metric.published
        if f.year == anchor_year
    }
    gaps = profile.gaps
    mean_gap = float(np.mean(list(gaps.values())))
    if all(c in figures for c in COUNTRIES):
        base = {c: figures[c] for c in COUNTRIES}
    elif any(c in figures for c in COUNTRIES):
        anchor = next(c for c in COUNTRIES if c in figures)
        base = {c: figures[anchor] + gaps[c] - gaps[anchor] for c in COUNTRIES}
    else:
        base = {c: figures[ALL] + gaps[c] - mean_gap for c in COUNTRIES}
    drift = profile.trend * (year - anchor_year)
    return {c: float(np.clip(v + drift, 0.03, 0.97)) for c, v in base.items()}


def _wave(codebook: Codebook, year: int) -> Wave:
    rng = np.random.default_rng(20_170_000 + year)
    frames = [
        _country(codebook, year, country, n, rng) for country, n in COUNTRIES.items()
    ]
    data = pd.concat(frames, ignore_index=True)
    digest = sha256_bytes(
        pd.util.hash_pandas_object(data, index=False).to_numpy().tobytes()
    )
    start, end = _FIELDWORK[year]
    meta = WaveMeta(
        name=f"Demo-{year}",
        kind="respondents",
        source=DEMO_SOURCE,
        file_name=f"demo-{year} (generated)",
        file_sha256=digest,
        fieldwork_start=start,
        fieldwork_end=end,
        countries=tuple(COUNTRIES),
        synthetic=True,
        report={"rows_read": len(data), "rows_kept": len(data), "note": "synthetic"},
        sample_type="opt_in",
        disclosure=DEMO_DISCLOSURE,
    )
    return Wave(meta=meta, data=data)


def _country(
    codebook: Codebook, year: int, country: str, n: int, rng: np.random.Generator
) -> pd.DataFrame:
    n = n + int(rng.integers(0, 60))
    age = rng.choice(len(AGE_BANDS), size=n, p=_PANEL_AGE)
    gender = rng.choice(len(GENDERS), size=n, p=_PANEL_GENDER)
    pop_age, pop_gender = _population(country)
    weight = (pop_age / _PANEL_AGE)[age] * (pop_gender / _PANEL_GENDER)[gender]
    weight *= rng.lognormal(0.0, 0.3, size=n)
    weight = np.clip(weight / weight.mean(), 0.25, 4.0)
    weight /= weight.mean()
    concern = rng.normal(size=n)
    appetite = rng.normal(size=n)
    frame = pd.DataFrame(
        {
            "respondent_id": [
                f"{country}{year % 100:02d}-{i:05d}" for i in range(1, n + 1)
            ],
            "weight": np.round(weight, 6),
            "country": country,
            "age_band": np.asarray(AGE_BANDS)[age],
            "gender": np.asarray(GENDERS)[gender],
        }
    )
    traits = _Traits(
        age=age, concern=concern, appetite=appetite, weight=frame["weight"].to_numpy()
    )
    for metric in codebook.metrics.values():
        if metric.kind != "proportion" or metric.id not in PROFILES:
            continue
        question = codebook.questions[str(metric.question)]
        target = country_targets(metric, year)[country]
        frame[question.id] = _answers(metric, question, target, traits, rng)
    return frame


@dataclass(frozen=True)
class _Traits:
    age: np.ndarray
    concern: np.ndarray
    appetite: np.ndarray
    weight: np.ndarray


def _answers(
    metric: Metric,
    question: Question,
    target: float,
    traits: _Traits,
    rng: np.random.Generator,
) -> pd.Series:
    """Codes whose weighted yes-share over the non-"don't know" base is ``target``."""
    profile = PROFILES[metric.id]
    n = len(traits.age)
    dont_know = rng.random(n) < profile.dont_know * (0.7 + 0.12 * traits.age)
    key = (
        profile.concern * traits.concern
        + profile.appetite * traits.appetite
        + profile.age * traits.age
        + rng.normal(size=n)
    )
    key[dont_know] = -np.inf
    order = np.argsort(-key, kind="stable")
    base_weight = traits.weight[~dont_know].sum()
    before = np.cumsum(traits.weight[order]) - traits.weight[order]
    yes = np.zeros(n, dtype=bool)
    yes[order] = before < target * base_weight
    yes &= ~dont_know
    item = metric.items[0]
    codes = np.empty(n, dtype=np.int16)
    codes[yes] = _draw(rng, _yes_split(item.yes), int(yes.sum()))
    no = ~yes & ~dont_know
    codes[no] = _draw(rng, _OTHER_CODES[question.type], int(no.sum()))
    codes[dont_know] = next(iter(item.exclude)) if item.exclude else 9
    return pd.Series(codes, dtype="Int16")


def _yes_split(yes: frozenset[int]) -> Mapping[int, float]:
    return _YES_SPLIT if yes == frozenset(_YES_SPLIT) else {code: 1.0 for code in yes}


def _draw(
    rng: np.random.Generator, shares: Mapping[int, float], size: int
) -> np.ndarray:
    codes = np.array(list(shares), dtype=np.int16)
    p = np.array(list(shares.values()), dtype=float)
    return rng.choice(codes, size=size, p=p / p.sum())
