"""Private tracking links: long random tokens, stored only as a hash, compared in constant time."""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from flask import current_app


def new_salt() -> str:
    return secrets.token_hex(16)


def token_for(salt: str, purpose: str = "track") -> str:
    """A private link's token: HMAC-SHA256(SECRET_KEY, purpose:salt), hex. Recomputable for later mails, never
    stored; ``purpose`` keeps a case's tracking token and its survey token apart."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{purpose}:{salt}".encode(), hashlib.sha256).hexdigest()[:48]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def tracking_url(salt: str) -> str:
    return f"{current_app.config['BASE_URL']}/track/{token_for(salt)}"


def token_matches(salt: str, token: str, purpose: str = "track") -> bool:
    return hmac.compare_digest(token_for(salt, purpose), token)


TOKEN_SHAPE = re.compile(r"^[0-9a-f]{48}$")
