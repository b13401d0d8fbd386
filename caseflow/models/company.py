"""Companies that file cases, keyed by organisationsnummer (or a sole trader's personnummer)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..domain.identifiers import CompanyIdentifier
from ..extensions import db
from .types import UTCDateTime, utcnow


class Company(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    org_number: Mapped[str] = mapped_column(sa.String(11), unique=True)  # canonical NNNNNN-NNNN
    name: Mapped[str] = mapped_column(sa.String(200))
    # A sole trader's personnummer is personal data: mask it everywhere but the case page.
    is_personal: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def identifier(self) -> CompanyIdentifier:
        return CompanyIdentifier(self.org_number, self.is_personal)

    @property
    def masked_number(self) -> str:
        return self.identifier.masked

    @property
    def legal_form(self) -> str:
        return self.identifier.legal_form
