"""Private tracking links: long random tokens, stored only as a hash, compared in constant time."""
from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app


def new_salt() -> str:
    return secrets.token_hex(16)


def token_for(salt: str) -> str:
    """The token of a case: HMAC-SHA256(SECRET_KEY, salt), URL-safe. Can be recomputed for later mails."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, b"track:" + salt.encode(), hashlib.sha256).hexdigest()
    return digest[:48]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def tracking_url(salt: str) -> str:
    return f"{current_app.config['BASE_URL']}/track/{token_for(salt)}"


def token_matches(salt: str, token: str) -> bool:
    return hmac.compare_digest(token_for(salt), token)
