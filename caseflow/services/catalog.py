"""Read-only configuration lists for forms: active categories and offices (from the configuration snapshot)."""
from __future__ import annotations

from . import config


def categories() -> list[config.CategoryInfo]:
    """Active categories in display order."""
    return config.snapshot().active_categories


def offices() -> list[config.OfficeInfo]:
    """Active offices by name."""
    return config.snapshot().active_offices
