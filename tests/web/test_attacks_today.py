"""Attacker's tests of today's staff sign-in through the provider (tests/oidc.py runs a real oidc-provider).

The break-glass administrator is the way in when the provider is down or not to be trusted: a person at the
provider whose address is (or is made) the break-glass administrator's must not take that account over, bind it
to the provider, or take its rights away with a mapping's role."""
from __future__ import annotations

from datetime import UTC, datetime

import pyotp
import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import SsoIdentity, User
from caseflow.services import break_glass
from tests.conftest import PASSWORD

from .test_sso import app_config, mapped, op, refused, sign_in, signed_in  # noqa: F401 - fixtures and helpers

BREAK_GLASS = "beredskap@kommun.test"


def test_provider_account_with_the_break_glass_address_cannot_take_over_or_demote_the_break_glass_admin(
        app, mapped, op, make_user):  # noqa: F811
    admin = make_user("admin", email=BREAK_GLASS)
    app.config.update(STAFF_PASSWORDS=False, BREAK_GLASS_ADMIN=BREAK_GLASS)
    # someone at the provider, in the officers' group, whose address is the break-glass administrator's
    op.people["mallory"] = {"email": BREAK_GLASS, "name": "Mallory", "groups": ["cf-bygglov-officers"]}
    op.set_groups("mallory", ["cf-bygglov-officers"])
    client = app.test_client()
    refused(sign_in(client, "mallory"), "no_access", 403)
    assert not signed_in(client)
    db.session.expire_all()
    kept = db.session.get(User, admin.id)
    assert (kept.role, kept.active) == ("admin", True)
    assert db.session.scalar(sa.select(SsoIdentity.id).where(SsoIdentity.user_id == admin.id)) is None
    # and the break-glass way in still works
    code = pyotp.parse_uri(break_glass.enrol(BREAK_GLASS, datetime.now(UTC))).now()
    resp = app.test_client().post("/staff/break-glass", data={"email": BREAK_GLASS, "password": PASSWORD,
                                                               "code": code})
    assert resp.status_code == 302
