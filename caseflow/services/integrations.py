"""Integrations through the API: scoped tokens (stored hashed), idempotent submissions, and what an
integration may read. Officer tokens act as the staff user they belong to, with that user's rights."""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import asdict
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..domain.identifiers import format_reference, parse_reference
from ..extensions import db
from ..models import ApiToken, Case, IdempotencyKey, Message, User
from ..models.api import SCOPES
from . import intake, sla, snapshot
from .authorization import is_staff, may_give_officer_token, may_see_case, require_administrator
from .errors import Conflict, Forbidden, InvalidInput, NotFound
from .rows import core
from .unit import commit, transaction


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(name: str, scopes: list[str], now: datetime, user: User | None = None) -> str:
    """A new token; the plain text is returned once and never stored."""
    if not name.strip() or not scopes or any(s not in SCOPES for s in scopes):
        raise InvalidInput({"scopes": "invalid_choice"})
    if "officer" in scopes and not may_give_officer_token(user):
        raise InvalidInput({"user": "required"})
    token = "cf_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(name=name.strip(), token_hash=_hash(token), prefix=token[:10], scopes=",".join(scopes),
                            user_id=user.id if user else None, created_at=now))
    commit()
    return token


def authenticate(header: str | None, now: datetime) -> ApiToken | None:
    """The token of an ``Authorization: Bearer …`` header, or None when there is none. A wrong one is 401."""
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Forbidden("bad_token")
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _hash(value.strip())))
    if row is None or not row.active or not hmac.compare_digest(row.token_hash, _hash(value.strip())):
        raise Forbidden("bad_token")
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_EVERY:
        _touch(row, now)
    return row


# ``last_used_at`` tells an administrator whether a token is still in use (and which to retire); to the minute
# it tells nothing more. Writing it on every request would give every API call a commit of its own (a WAL
# flush), and writing it inside the request's use case instead would hold the token's row lock until that
# commit, so two submissions of one integration would queue behind each other. So it is written at most once
# per LAST_USED_EVERY per token: a conditional UPDATE (of concurrent requests that all saw it stale, one
# writes, the others match no row), committed through the unit before the request's own use case begins (or
# staged in the caller's transaction when one is open). All other requests write nothing.
LAST_USED_EVERY = timedelta(minutes=5)
_TOUCH = (sa.update(ApiToken)
          .where(ApiToken.id == sa.bindparam("token_id"),
                 sa.or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= sa.bindparam("stale_before")))
          .values(last_used_at=sa.bindparam("now")))


def _touch(token: ApiToken, now: datetime) -> None:
    with transaction():
        core().execute(_TOUCH, {"token_id": token.id, "stale_before": now - LAST_USED_EVERY, "now": now})


def require(token: ApiToken | None, scope: str) -> ApiToken:
    if token is None:
        raise Forbidden("no_token")
    if not token.has(scope):
        raise Forbidden(f"scope:{scope}")
    return token


def acting_user(token: ApiToken | None, session_user, scope: str, reading: bool) -> User:
    """The staff user an API request acts as: an officer token's user (with the token's ``scope``), or, for a
    read, a member of staff signed in with a browser session. Forbidden("no_token") (401) otherwise."""
    if token is not None:
        require(token, scope)
        return token.user
    if reading and is_staff(session_user):
        return session_user
    raise Forbidden("no_token")


def submit(token: ApiToken, sub: intake.Submission, key: str | None, now: datetime) -> tuple[Case, str | None, bool]:
    """Submit a case for an integration. With an Idempotency-Key the same key returns the same case (created
    False); the same key with a different body is a conflict. Returns (case, tracking token or None, created)."""
    require(token, "submit")
    sub.channel = "open311" if sub.channel == "open311" else "api"  # an integration never files as web or e-mail
    body_hash = hashlib.sha256(json.dumps(asdict(sub), sort_keys=True, default=str).encode()).hexdigest()
    if key and len(key) > 200:
        raise InvalidInput({"Idempotency-Key": "too_long"})
    token_id = token.id
    with transaction():  # the key's row, the case, its events, clocks and receipt: one commit
        if key:
            claimed = _claim_key(token_id, key, body_hash, now)
            if claimed is None:  # taken: by an earlier request, or by a parallel one that has now committed
                seen = db.session.scalar(_KEY_ROW, {"token_id": token_id, "key": key})
                if seen.request_hash != body_hash:
                    raise Conflict("idempotency_key_reused")
                return db.session.get(Case, seen.case_id), None, False
        receipt = intake.submit_case(sub, now, api_token_id=token_id)
        if key:
            core().execute(_KEY_CASE, {"key_id": claimed, "case_id": receipt.case_id})
    return db.session.get(Case, receipt.case_id), receipt.token, True


# An Idempotency-Key is claimed before the case is made, by inserting its row (unique per token and key). Of two
# requests with one key, the second's INSERT waits on the unique index until the first transaction ends: if that
# committed, the key is taken and the second reads the first's case; if it rolled back (invalid input, say), the
# second goes on as the first. So one key makes one case and one receipt, and a failed request does not use it up.
_KEY_ROW = sa.select(IdempotencyKey).where(IdempotencyKey.token_id == sa.bindparam("token_id"),
                                           IdempotencyKey.key == sa.bindparam("key"))
_KEY_CASE = (sa.update(IdempotencyKey).where(IdempotencyKey.id == sa.bindparam("key_id"))
             .values(case_id=sa.bindparam("case_id")))


def _claim_key(token_id: int, key: str, body_hash: str, now: datetime) -> int | None:
    """The id of the key's new row, or None when the key was taken already."""
    dialect = db.session.get_bind().dialect.name
    ins = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(IdempotencyKey)
    stmt = (ins.values(token_id=token_id, key=key, request_hash=body_hash, created_at=now)
            .on_conflict_do_nothing(index_elements=["token_id", "key"]).returning(IdempotencyKey.id))
    return core().execute(stmt).scalar()


def case_for(token: ApiToken, reference: str) -> Case:
    """A case the token may read: its own submissions (read-own), or its user's office (officer)."""
    parsed = parse_reference(reference)
    case = db.session.scalar(sa.select(Case).where(Case.reference == format_reference(*parsed))) if parsed else None
    if case is None:
        raise NotFound("case")
    if token.has("officer") and token.user is not None and may_see_case(token.user, case):
        return case
    if token.has("read-own") and case.api_token_id == token.id:
        return case
    raise NotFound("case")  # not "forbidden": no existence leak


def case_view(case: Case, staff: bool = False) -> dict:
    """The JSON of a case for an integration: status, public messages, clocks (internal notes only for staff)."""
    q = sa.select(Message).where(Message.case_id == case.id).order_by(Message.at, Message.id)
    if not staff:
        q = q.where(Message.internal.is_(False))
    return {
        "reference": case.reference, "kind": case.kind, "status": case.status, "category_id": case.category_id,
        "office": snapshot.current().office(case.office_id).name, "subject": case.subject,
        "received_at": case.created_at.isoformat(),
        "first_response_at": _iso(case.first_response_at), "decided_at": _iso(case.decided_at),
        "closed_at": _iso(case.closed_at), "outcome": case.outcome,
        "messages": [{"at": m.at.isoformat(), "from": m.author_kind, "internal": m.internal, "text": m.body}
                     for m in db.session.scalars(q)],
        "clocks": [{"name": c.name, "unit": c.unit, "target": c.target + (c.extension_weeks or 0),
                    "due_at": _iso(c.due_at), "paused": c.paused_since is not None, "stopped_at": _iso(c.stopped_at),
                    "in_time": c.in_time} for c in sla.clocks_of(case)],
    }


def _iso(t):
    return t.isoformat() if t else None


def tokens_for_admin(user) -> list[ApiToken]:
    require_administrator(user)
    return list(db.session.scalars(sa.select(ApiToken).order_by(ApiToken.created_at.desc())))


def admin_create_token(user, name: str, scopes: list[str], staff_email: str, now: datetime) -> str:
    """An administrator creates a token (audited); the plain token is shown once."""
    from ..models import AuditLog
    require_administrator(user)
    staff = None
    if staff_email.strip():
        staff = db.session.scalar(sa.select(User).where(User.email == staff_email.strip().lower()))
        if staff is None:
            raise InvalidInput({"user": "unknown_user"})
    with transaction():  # the token and its audit entry commit together
        token = create_token(name, scopes, now, staff)
        db.session.add(AuditLog(at=now, actor_user_id=user.id, entity="api_tokens", entity_id=None,
                                action="create", changes={"name": [None, name], "scopes": [None, ",".join(scopes)]}))
    return token


def admin_deactivate_token(user, token_id: int, now: datetime) -> None:
    from ..models import AuditLog
    require_administrator(user)
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise NotFound("token")
    token.active = False
    db.session.add(AuditLog(at=now, actor_user_id=user.id, entity="api_tokens", entity_id=token.id,
                            action="update", changes={"active": [True, False]}))
    commit()
