"""Read-only configuration lists for forms: categories and offices."""
from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from ..models import Category, Office


def categories() -> list[Category]:
    return list(db.session.scalars(
        sa.select(Category).where(Category.active.is_(True)).order_by(Category.position, Category.name)
    ))


def offices() -> list[Office]:
    return list(db.session.scalars(sa.select(Office).where(Office.active.is_(True)).order_by(Office.name)))
