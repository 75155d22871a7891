"""How each share of the demo varies: country gaps, yearly drift and its drivers.

The demo generator (:mod:`analysis.ingest.demo`) reads one profile per metric;
the values are invented to look like a real panel, except where a published
figure pins a country and year, which calibration then meets.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    """How one share varies: country gaps, yearly drift, and what drives it."""

    gaps: Mapping[str, float]
    trend: float  # change per year, in share points (0.01 = 1 point)
    concern: float  # loading on the privacy-concern trait
    appetite: float  # loading on the personalisation-appetite trait
    age: float  # effect per age band, older = positive
    dont_know: float  # share answering "don't know"


def _p(fr: float, de: float, gb: float, us: float, **kw: float) -> Profile:
    return Profile(gaps={"FR": fr, "DE": de, "GB": gb, "US": us}, **kw)


PROFILES: Mapping[str, Profile] = {
    "share_with_caution": _p(
        0.02,
        0.04,
        -0.01,
        -0.05,
        trend=0.006,
        concern=1.2,
        appetite=-0.2,
        age=0.15,
        dont_know=0.03,
    ),
    "churn_unprotected": _p(
        0.01,
        0.03,
        0.0,
        -0.04,
        trend=0.005,
        concern=1.0,
        appetite=0.0,
        age=0.1,
        dont_know=0.07,
    ),
    "churn_distrust": _p(
        0.02,
        0.01,
        0.0,
        -0.03,
        trend=0.004,
        concern=0.8,
        appetite=0.1,
        age=0.05,
        dont_know=0.07,
    ),
    "negative_word_of_mouth": _p(
        -0.03,
        -0.02,
        0.01,
        0.04,
        trend=0.003,
        concern=0.6,
        appetite=0.2,
        age=-0.1,
        dont_know=0.05,
    ),
    "ethical_use_possible": _p(
        -0.03,
        -0.05,
        0.0,
        0.12,
        trend=-0.004,
        concern=-1.0,
        appetite=0.5,
        age=-0.1,
        dont_know=0.09,
    ),
    "refuse_share_for_journey": _p(
        0.0,
        0.03,
        -0.03,
        -0.07,
        trend=0.004,
        concern=1.0,
        appetite=-0.6,
        age=0.12,
        dont_know=0.05,
    ),
    "tracking_unethical": _p(
        0.0,
        0.04,
        -0.04,
        -0.10,
        trend=0.005,
        concern=1.1,
        appetite=-0.4,
        age=0.1,
        dont_know=0.08,
    ),
    "tracking_for_feeds_unethical": _p(
        0.0,
        0.03,
        -0.05,
        -0.11,
        trend=0.005,
        concern=1.0,
        appetite=-0.5,
        age=0.12,
        dont_know=0.10,
    ),
    "tracking_for_ads_unethical": _p(
        0.0,
        0.03,
        -0.04,
        -0.09,
        trend=0.004,
        concern=1.1,
        appetite=-0.4,
        age=0.1,
        dont_know=0.08,
    ),
    "blame_brand_for_breach": _p(
        0.0,
        0.03,
        0.05,
        0.07,
        trend=0.003,
        concern=0.5,
        appetite=0.0,
        age=0.05,
        dont_know=0.11,
    ),
    "spend_more_personalised": _p(
        -0.08,
        -0.07,
        -0.03,
        0.0,
        trend=0.006,
        concern=-0.2,
        appetite=1.1,
        age=-0.2,
        dont_know=0.04,
    ),
    "buy_more_often_personalised": _p(
        -0.07,
        -0.07,
        -0.02,
        0.0,
        trend=0.006,
        concern=-0.2,
        appetite=1.1,
        age=-0.2,
        dont_know=0.04,
    ),
    "impulse_buy_personalised": _p(
        -0.09,
        -0.08,
        -0.03,
        0.0,
        trend=0.005,
        concern=-0.1,
        appetite=1.0,
        age=-0.25,
        dont_know=0.05,
    ),
    "expect_personalisation": _p(
        -0.06,
        -0.08,
        -0.02,
        0.0,
        trend=0.01,
        concern=0.0,
        appetite=1.2,
        age=-0.15,
        dont_know=0.04,
    ),
    "switch_if_not_personalised": _p(
        -0.05,
        -0.06,
        -0.01,
        0.0,
        trend=0.006,
        concern=0.1,
        appetite=1.0,
        age=-0.15,
        dont_know=0.06,
    ),
    "password_reuse": _p(
        0.02,
        -0.03,
        0.01,
        0.0,
        trend=-0.012,
        concern=-0.4,
        appetite=0.1,
        age=0.08,
        dont_know=0.02,
    ),
}
