"""Read-only configuration lists for forms: active categories and offices (from the configuration snapshot)."""
from __future__ import annotations

from . import config


def categories() -> list[config.CategoryInfo]:
    """Active categories in display order."""
    return config.snapshot().active_categories


def offices() -> list[config.OfficeInfo]:
    """Active offices by name."""
    return config.snapshot().active_offices


def category(category_id: int | None) -> config.CategoryInfo | None:
    """A category by id (active or not: an old case keeps its area)."""
    return config.snapshot().category(category_id)


def office(office_id: int | None) -> config.OfficeInfo | None:
    """An office by id (active or not: a user's office is shown even after it was closed)."""
    return config.snapshot().office(office_id)
