"""An office named in the page's language where only its id and the name stored with a fact are at hand (an
event on a timeline, a report's figures): the English name on an English page where one is configured, else the
stored name (a published month and an event keep the name they were written with)."""
from __future__ import annotations

from flask import Flask

from ..services import catalog
from ..services.errors import valid_id
from .i18n import lang


def office_name(office_id, stored: str) -> str:
    office = catalog.office(office_id) if valid_id(office_id) else None
    return office.display_name("en") if office is not None and lang() == "en" else stored


def register(app: Flask) -> None:
    app.jinja_env.globals["office_name"] = office_name
