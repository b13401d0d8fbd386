"""An independent, naive implementation of the time rules, used as a test oracle (see rules.py).

Hypothesis settings for the oracle comparisons: the "oracle-ci" profile (default) keeps all oracle tests together
within about two minutes on a busy CI machine; ``HYPOTHESIS_PROFILE=oracle-long`` runs many more examples.
The profiles are applied per test (``oracle_settings``), never loaded globally, so other tests keep their own.
"""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    "print_blob": True,
}
settings.register_profile("oracle-ci", max_examples=100, **_COMMON)
settings.register_profile("oracle-long", max_examples=2000, **_COMMON)

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "oracle-ci")
if PROFILE not in ("oracle-ci", "oracle-long"):
    PROFILE = "oracle-ci"


def oracle_settings(weight: float = 1.0) -> settings:
    """The chosen profile, with `weight` times its number of examples (cheap properties get more)."""
    base = settings.get_profile(PROFILE)
    return settings(base, max_examples=max(10, round(base.max_examples * weight)))
