"""Read-only configuration lists for forms: active categories and offices (from the configuration snapshot)."""
from __future__ import annotations

from . import snapshot


def categories() -> list[snapshot.CategoryInfo]:
    """Active categories in display order."""
    return snapshot.current().active_categories


def offices() -> list[snapshot.OfficeInfo]:
    """Active offices by name."""
    return snapshot.current().active_offices


def category(category_id: int | None) -> snapshot.CategoryInfo | None:
    """A category by id (active or not: an old case keeps its area)."""
    return snapshot.current().category(category_id)


def office(office_id: int | None) -> snapshot.OfficeInfo | None:
    """An office by id (active or not: a user's office is shown even after it was closed)."""
    return snapshot.current().office(office_id)
