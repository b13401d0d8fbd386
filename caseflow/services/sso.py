"""Staff sign-in through the organisation's own identity provider (OpenID Connect), roles and offices from it.

The client is Authlib's (``authlib.integrations.flask_client``): the Flask ecosystem's standard, maintained
OAuth 2.0 / OpenID Connect client, which implements what a hand-written client gets wrong — PKCE (S256),
``state`` and ``nonce`` kept in the session and used once, the ID token's signature checked against the
provider's JWKS (fetched again once when a token names a key id it has not seen: the provider rotated its keys),
discovery from ``<issuer>/.well-known/openid-configuration``. What this module adds on top:

- the checks are explicit: ``iss`` is the configured issuer, ``aud`` holds our client id, ``exp``/``iat`` with
  ``OIDC_LEEWAY_SECONDS`` of clock skew (60 s by default; Authlib's own default of 120 s is more than a
  synchronised server needs), the ``nonce`` of this sign-in;
- every way it can fail is one ``SignInRefused`` reason the page explains (provider down, wrong state, the
  provider refusing the code — a replayed one —, a token that fails a check, a person no mapping lets in);
- who the person is in caseflow comes from ``SsoGroupMapping`` rows (an administrator's, at /admin/sso-groups):
  the provider's groups claim names groups, a mapping says "this group is <role> at <office>". The user is
  created or updated at sign-in (just in time) and deactivated when no group maps any more; each change of role,
  office or active is an audit-log entry (``sso_create``/``sso_update``/``sso_deactivate``). A person no
  mapping lets in and who has no account gets none: nothing is written.

An address is the way an attacker at a careless provider would take over someone's account here, so it binds a
new subject to an existing account, or names a new one, only when the provider proves it: ``email_verified`` is
true in the token, or the provider's configuration says every address it sends is confirmed (``trust_email``,
``OIDC_TRUST_EMAIL``: Entra ID never sends the claim). Off by default. Without that proof, and when the address
is another account's, the sign-in is refused (``email_unverified``, ``email_taken``) and, when an account holds
the address, the audit log says so on that account (``sso_unconfirmed``, ``sso_email_taken``). Two first
sign-ins of one person at once (two tabs, a double click) meet at the database's unique keys: the one that lost
rolls back and looks again, and finds the account the other made.

Providers are configured by name (``OIDC_PROVIDERS``, built from ``OIDC_*`` environment variables as the
provider ``staff``); a second one — companies through an e-legitimation broker — is another entry with its own
``audience``; only ``staff`` is served today. Nothing here logs a token, a code, a subject or an address.
"""
from __future__ import annotations

import logging
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import AuditLog, Office, SsoGroupMapping, SsoIdentity, User
from . import accounts, break_glass
from .authorization import require_administrator, role_needs_office, strongest_grant, strongest_role
from .errors import InvalidInput, NotFound
from .unit import commit, rollback

log = logging.getLogger(__name__)
# Authlib logs the PKCE verifier at debug level: never let that reach a log, whatever the root level.
logging.getLogger("authlib").setLevel(logging.INFO)

STAFF = "staff"
UNUSABLE_PASSWORD = "!"  # noqa: S105 - no hash format: werkzeug's check refuses every password against it


class SignInRefused(Exception):
    """Sign-in through the provider did not happen; ``reason`` names why for the page, ``status`` its code."""

    STATUS = {"not_configured": 404, "provider_down": 503, "state": 400, "provider_refused": 400,
              "token": 400, "expired": 400, "audience": 400, "no_access": 403, "inactive": 403,
              "email_unverified": 403, "email_taken": 409}

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.status = self.STATUS.get(reason, 400)
        self.detail = detail  # an error code for the log, never a token


# -- configuration ------------------------------------------------------------------------------------------------
def settings(name: str = STAFF) -> dict | None:
    """The configured provider ``name`` (issuer, client id and secret, scopes, groups claim, label), or None."""
    from flask import current_app

    provider = (current_app.config.get("OIDC_PROVIDERS") or {}).get(name)
    return provider if provider and provider.get("issuer") and provider.get("client_id") else None


def enabled(name: str = STAFF) -> bool:
    return settings(name) is not None


def staff_passwords_allowed() -> bool:
    """False when local passwords are switched off for staff (STAFF_PASSWORDS=off): only the named break-glass
    administrator signs in with one, with a TOTP code (services.break_glass)."""
    from flask import current_app

    return bool(current_app.config.get("STAFF_PASSWORDS", True))


def _client(name: str):
    """Authlib's client for provider ``name``, one per app (its discovery document and JWKS are cached in it)."""
    from authlib.integrations.flask_client import OAuth
    from flask import current_app

    provider = settings(name)
    if provider is None:
        raise SignInRefused("not_configured")
    app = current_app._get_current_object()
    oauth = app.extensions.get("authlib.integrations.flask_client") or OAuth(app)
    client = oauth.create_client(name)
    if client is None:
        issuer = provider["issuer"].rstrip("/")
        client = oauth.register(
            name, client_id=provider["client_id"], client_secret=provider.get("client_secret") or None,
            server_metadata_url=f"{issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": provider.get("scopes") or "openid email profile",
                           "code_challenge_method": "S256", "timeout": 10})
    return client


def _metadata(name: str) -> dict:
    import requests

    client = _client(name)
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as exc:
        client.server_metadata = {}  # try discovery again next time
        raise SignInRefused("provider_down", type(exc).__name__) from None
    if metadata.get("issuer", "").rstrip("/") != settings(name)["issuer"].rstrip("/"):
        client.server_metadata = {}
        raise SignInRefused("provider_down", "issuer_mismatch")  # discovery names another issuer: trust none
    return metadata


# -- the redirect dance ---------------------------------------------------------------------------------------------
def begin(name: str, redirect_uri: str) -> str:
    """The provider's authorization URL for a new sign-in; its state, nonce and PKCE verifier are kept in the
    (signed) session until the callback uses them once."""
    import requests

    client = _client(name)
    # The discovery document is read again for every sign-in (one small GET: a provider that is down is found
    # out here, on caseflow's page, not in the browser at the provider's address); the JWKS stays cached until a
    # token names a key it does not hold.
    client.server_metadata.pop("_loaded_at", None)
    _metadata(name)
    try:
        data = client.create_authorization_url(redirect_uri)
    except requests.RequestException as exc:
        raise SignInRefused("provider_down", type(exc).__name__) from None
    client.save_authorize_data(redirect_uri=redirect_uri, **data)
    return data["url"]


def finish(name: str, now: datetime) -> tuple[User, str]:
    """Complete the sign-in the provider sent back to the callback: exchange the code (with the PKCE verifier),
    check the ID token, then create, update or deactivate the user by the mappings. Returns the user and the ID
    token (for the provider's logout). SignInRefused on every failure; only the no-access case writes (an
    existing user's deactivation), and only an existing user."""
    import requests
    from authlib.integrations.base_client import MismatchingStateError, OAuthError
    from joserfc.errors import ClaimError, ExpiredTokenError, JoseError

    provider = settings(name)
    if provider is None:
        raise SignInRefused("not_configured")
    _metadata(name)
    client = _client(name)
    leeway = int(provider.get("leeway", 60))
    options = {"iss": {"essential": True, "value": provider["issuer"].rstrip("/")},
               "aud": {"essential": True, "value": provider["client_id"]}}
    try:
        token = client.authorize_access_token(claims_options=options, leeway=leeway)
    except MismatchingStateError:
        raise SignInRefused("state") from None
    except OAuthError as exc:  # the provider refused: a used or unknown code, the person cancelled, …
        raise SignInRefused("provider_refused", str(exc.error or "")[:60]) from None
    except requests.RequestException as exc:
        raise SignInRefused("provider_down", type(exc).__name__) from None
    except ExpiredTokenError:
        raise SignInRefused("expired") from None
    except ClaimError as exc:
        raise SignInRefused("audience" if exc.claim in ("aud", "azp") else "token", exc.claim) from None
    except (JoseError, ValueError) as exc:  # a bad signature, an unknown key, a malformed token
        raise SignInRefused("token", type(exc).__name__) from None
    claims = token.get("userinfo")
    if not claims or not claims.get("sub"):
        raise SignInRefused("token", "no_id_token")
    return sign_in(name, dict(claims), now), token.get("id_token", "")


def logout_url(name: str, id_token: str, after: str) -> str | None:
    """The provider's end-session URL (RP-initiated logout) when its discovery document offers one, else None
    (also when the provider cannot be reached: caseflow's own session has ended either way)."""
    try:
        metadata = _metadata(name)
    except SignInRefused:
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    return _client(name).create_logout_url(post_logout_redirect_uri=after, id_token_hint=id_token or None,
                                           client_id=settings(name)["client_id"])["url"]


def provider_origins(name: str) -> list[str]:
    """The origins of the provider's issuer and end-session page (for the pages' CSP), from settings and the
    cached discovery document only: never a request to the provider."""
    from urllib.parse import urlsplit

    provider = settings(name)
    if provider is None:
        return []
    client = _client(name)
    found = []
    for url in (provider["issuer"], (client.server_metadata or {}).get("end_session_endpoint") or ""):
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc and not set(parts.netloc) & set(" ;,'\""):
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in found:
                found.append(origin)
    return found


# -- who the person is here ---------------------------------------------------------------------------------------
def groups_of(name: str, claims: dict) -> list[str]:
    """The groups the provider named, from the configured claim: a list of names (or ids), or one name. Anything
    else names no group: an object's keys, ``true`` or a nested list are not group names."""
    value = claims.get(settings(name).get("groups_claim") or "groups")
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return sorted({str(g) for g in value  # no NUL: PostgreSQL refuses it in any query, and no group has one
                   if (isinstance(g, str) or (isinstance(g, int) and not isinstance(g, bool)))
                   and str(g) and "\x00" not in str(g)})


def email_verified(name: str, claims: dict) -> bool:
    """Whether the provider proves that the address is the person's: its configuration says all its addresses
    are (``trust_email``), or this token's ``email_verified`` is true (a JSON true; the string "true" that some
    providers send counts too, nothing else does)."""
    if settings(name).get("trust_email"):
        return True
    value = claims.get("email_verified")
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def access_for(name: str, groups: list[str]) -> tuple[str, int | None] | None:
    """(role, office id) the active mappings give these groups, or None. Several: the role with the most rights
    wins (services.authorization.strongest_role); among mappings of that role the oldest one's office."""
    if not groups:
        return None
    rows = list(db.session.scalars(
        sa.select(SsoGroupMapping).where(SsoGroupMapping.provider == name, SsoGroupMapping.active.is_(True),
                                         SsoGroupMapping.group.in_(groups))
        .order_by(SsoGroupMapping.id)))
    return strongest_grant([(r.role, r.office_id) for r in rows])


def sign_in(name: str, claims: dict, now: datetime) -> User:
    """Just in time: the user the provider vouches for, created or brought up to date by the mappings; a user
    whose groups no longer map is deactivated (every session ends) and refused. Two first sign-ins of the same
    person at once: the second one's write meets the first one's at a unique key, rolls back and looks again."""
    try:
        return _sign_in(name, claims, now)
    except IntegrityError:
        rollback()
        log.info("sso sign-in met another sign-in of the same person at once; looking again (provider %s)", name)
    return _sign_in(name, claims, now)


def _sign_in(name: str, claims: dict, now: datetime) -> User:
    subject = claims["sub"]
    subject = str(subject) if isinstance(subject, int) and not isinstance(subject, bool) else subject
    # OpenID Connect's subject is a string of 255 characters at most: one cut short could become another's
    if not isinstance(subject, str) or len(subject) > 255 or "\x00" in subject:
        raise SignInRefused("token", "bad_sub")
    groups = groups_of(name, claims)
    identity = db.session.scalar(sa.select(SsoIdentity).where(SsoIdentity.provider == name,
                                                              SsoIdentity.subject == subject))
    email = claims.get("email")
    email = email.strip().lower() if isinstance(email, str) else ""
    if len(email) > 254 or "\x00" in email:  # never cut short into another account's address
        email = ""
    if email and email == break_glass.admin_email():
        # the way in when the provider is down or not to be trusted: never bound to, renamed into, or given a
        # mapping's role by the provider (its address there proves nothing here)
        log.info("sso sign-in refused: the provider named the break-glass administrator's address (provider %s)",
                 name)
        raise SignInRefused("no_access", "break_glass")
    access = access_for(name, groups)
    if access is None:
        if identity is not None:
            identity.groups, identity.last_sign_in_at = groups, now
            _deactivate(identity, None, now, name)
            commit()
        log.info("sso sign-in refused: no mapping for the groups (provider %s)", name)
        raise SignInRefused("no_access")
    if not email:
        raise SignInRefused("token", "no_email")
    verified = email_verified(name, claims)
    holder = db.session.scalar(sa.select(User).where(User.email == email))
    if identity is not None:
        user = identity.user
        if holder is not None and holder.id != user.id:  # the provider renamed the person into another's address
            _audit(None, holder, "sso_email_taken", {}, now, name)
            commit()
            log.info("sso sign-in refused: the address is user %s's (provider %s)", holder.id, name)
            raise SignInRefused("email_taken")
    else:
        user = _linkable(name, holder, verified, now)
    if user is not None and not user.active and not (identity is not None and identity.deactivated_by_provider):
        log.info("sso sign-in refused: account deactivated in caseflow (provider %s)", name)
        raise SignInRefused("inactive")  # an administrator's deactivation here outranks the provider
    display = claims.get("name")
    display = (display.replace("\x00", "").strip() if isinstance(display, str) else "")[:120] or email[:120]
    role, office_id = access
    if user is None:
        user = User(email=email, name=display, role=role, office_id=office_id, active=True, created_at=now,
                    password_hash=UNUSABLE_PASSWORD)
        db.session.add(user)
        db.session.flush()
        _audit(None, user, "sso_create", {"email": [None, email], "role": [None, role],
                                          "office_id": [None, office_id], "active": [None, True]}, now, name)
    else:
        values = {"role": role, "office_id": office_id, "active": True, "name": display}
        if verified:  # an address the provider does not confirm is not copied: the account keeps its own
            values["email"] = email
        changes = _assign(user, values)
        if set(changes) & {"role", "office_id", "active"}:
            accounts.bump_session_version(user)  # other sessions ran with the old rights
        if changes:
            _audit(None, user, "sso_update", changes, now, name)
    if identity is None:
        identity = SsoIdentity(user_id=user.id, provider=name, subject=subject)
        db.session.add(identity)
    identity.groups, identity.last_sign_in_at, identity.deactivated_by_provider = groups, now, False
    commit()
    log.info("sso sign-in: user %s (provider %s)", user.id, name)
    return user


def _linkable(name: str, holder: User | None, verified: bool, now: datetime) -> User | None:
    """For a subject seen the first time: the staff account to bind it to (None: a new one is made), or a
    refusal. An account is bound by its address only when the provider proves the address and no other subject
    holds the account — the person moving from a local password to the organisation's sign-in keeps their
    history; anyone else who merely typed that address at the provider takes nothing over."""
    if not verified:
        if holder is not None:
            _audit(None, holder, "sso_unconfirmed", {}, now, name)
            commit()
            log.info("sso sign-in refused: an unconfirmed address, user %s's (provider %s)", holder.id, name)
        else:
            log.info("sso sign-in refused: an unconfirmed address (provider %s)", name)
        raise SignInRefused("email_unverified")
    if holder is None:
        return None
    if db.session.scalar(sa.select(SsoIdentity.id).where(SsoIdentity.user_id == holder.id)) is not None:
        _audit(None, holder, "sso_email_taken", {}, now, name)  # bound to another subject: never taken over
        commit()
        log.info("sso sign-in refused: the address is user %s's (provider %s)", holder.id, name)
        raise SignInRefused("email_taken")
    return holder


def _assign(user: User, values: dict) -> dict:
    changes = {}
    for field, value in values.items():
        before = getattr(user, field)
        if before != value:
            changes[field] = [before, value]
            setattr(user, field, value)
    return changes


def _deactivate(identity: SsoIdentity, actor: User | None, now: datetime, name: str) -> None:
    user = identity.user
    if user.active:
        identity.deactivated_by_provider = True
        user.active = False
        accounts.bump_session_version(user)
        _audit(actor, user, "sso_deactivate", {"active": [True, False]}, now, name)


def _audit(actor: User | None, user: User, action: str, changes: dict, now: datetime, name: str) -> None:
    changes = dict(changes, provider=[None, name])
    db.session.add(AuditLog(at=now, actor_user_id=actor.id if actor else None, entity="users", entity_id=user.id,
                            action=action, changes=changes))


# -- the administrator's mappings ---------------------------------------------------------------------------------
def mappings(actor, name: str = STAFF) -> list[SsoGroupMapping]:
    require_administrator(actor)
    return list(db.session.scalars(sa.select(SsoGroupMapping).where(SsoGroupMapping.provider == name)
                                   .order_by(SsoGroupMapping.group, SsoGroupMapping.id)))


def mapping(actor, mapping_id: int) -> SsoGroupMapping:
    require_administrator(actor)
    row = db.session.get(SsoGroupMapping, mapping_id)
    if row is None:
        raise NotFound("sso_group_mapping")
    return row


def save_mapping(actor, mapping_id: int | None, values: dict, now: datetime, name: str = STAFF) -> SsoGroupMapping:
    """Create or change a mapping (audit-logged), then apply every mapping at once to the people who signed in
    through the provider, by the groups it named at their last sign-in: whoever a change lets in no more is
    deactivated now (their sessions end), whoever it gives another role or office has it from their next
    request. Groups changed at the provider take effect at the person's next sign-in."""
    require_administrator(actor)
    row = mapping(actor, mapping_id) if mapping_id else SsoGroupMapping(provider=name)
    group = (values.get("group") or "").strip()
    role = values.get("role") or ""
    office_id = values.get("office_id") or None
    errors = {}
    if not group:
        errors["group"] = "required"
    elif db.session.scalar(sa.select(SsoGroupMapping.id).where(
            SsoGroupMapping.provider == row.provider, SsoGroupMapping.group == group,
            SsoGroupMapping.id != (row.id or 0))) is not None:
        errors["group"] = "taken"
    if strongest_role([role]) is None:
        errors["role"] = "invalid_choice"
    if office_id is not None and db.session.get(Office, office_id) is None:
        errors["office_id"] = "invalid_choice"
    elif office_id is None and role_needs_office(role):
        errors["office_id"] = "required"
    if errors:
        raise InvalidInput(errors)
    changes = _assign(row, {"group": group[:255], "role": role, "office_id": office_id,
                            "active": bool(values.get("active", True))})
    if mapping_id is None:
        db.session.add(row)
    db.session.flush()
    if changes:
        db.session.add(AuditLog(at=now, actor_user_id=actor.id, entity="sso_group_mapping", entity_id=row.id,
                                action="create" if mapping_id is None else "update", changes=changes))
    reapply(actor, row.provider, now)
    commit()
    return row


def reapply(actor, name: str, now: datetime) -> None:
    """Staged: bring every provider-made user in line with the mappings, by the groups of their last sign-in."""
    for identity in db.session.scalars(sa.select(SsoIdentity).where(SsoIdentity.provider == name)):
        user = identity.user
        access = access_for(name, identity.groups or [])
        if access is None:
            _deactivate(identity, actor, now, name)
            continue
        if not user.active:
            continue  # back only by signing in again: the provider vouches for the person anew
        changes = _assign(user, {"role": access[0], "office_id": access[1]})
        if changes:
            accounts.bump_session_version(user)
            _audit(actor, user, "sso_update", changes, now, name)
