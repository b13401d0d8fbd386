"""Settings from the environment, with safe defaults for the embedded mode.

Everything an operator may change is read here once; the rest of the code reads ``app.config``.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit


class ConfigError(RuntimeError):
    """Raised at start-up when a required setting is missing."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def from_env(instance_path: str, overrides: dict | None = None) -> dict:
    """Build the configuration dict from ``os.environ`` and explicit overrides.

    ``SECRET_KEY`` is required unless ``CASEFLOW_ENV`` is ``development`` or the app is under test, so a
    production deployment can never run with a known key.
    """
    env = os.environ
    overrides = overrides or {}
    mode = overrides.get("CASEFLOW_ENV", env.get("CASEFLOW_ENV", "production"))
    testing = bool(overrides.get("TESTING", False))
    sqlite_default = "sqlite:///" + str(Path(instance_path) / "caseflow.sqlite3")

    cfg: dict = {
        "CASEFLOW_ENV": mode,
        "SECRET_KEY": env.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": _normalise_db_url(env.get("DATABASE_URL") or sqlite_default),
        "REDIS_URL": env.get("REDIS_URL") or None,
        "RQ_QUEUE": env.get("RQ_QUEUE", "caseflow"),
        "MAIL_SERVER": env.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(env.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _bool(env.get("MAIL_USE_TLS")),
        "MAIL_FROM": env.get("MAIL_FROM", "caseflow <noreply@caseflow.invalid>"),
        # Incoming mail (caseflow mail-in). Mails to a company carry the reply address svar+<token>@MAIL_REPLY_DOMAIN
        # when it is set; a mail to MAIL_INBOUND_ADDRESS becomes a case.
        "MAIL_REPLY_DOMAIN": (env.get("MAIL_REPLY_DOMAIN") or "").strip().lower(),
        "MAIL_INBOUND_ADDRESS": (env.get("MAIL_INBOUND_ADDRESS") or "").strip().lower(),
        "MAIL_IN_HOST": env.get("MAIL_IN_HOST", "127.0.0.1"),
        "MAIL_IN_PORT": int(env.get("MAIL_IN_PORT", "8024")),
        "MAIL_IN_MAX_BYTES": int(env.get("MAIL_IN_MAX_BYTES", str(25 * 1024 * 1024))),
        "MAIL_IN_RATE_LIMIT": int(env.get("MAIL_IN_RATE_LIMIT", "20")),  # mails per sender and hour
        # Where the app is served: every absolute URL (links in e-mails, the API's tracking_url, the OpenAPI
        # server, Open311 discovery) is built from it, never from the request's Host header. Required in production.
        "BASE_URL": (env.get("BASE_URL") or "").rstrip("/"),
        # How many reverse proxies (load balancers) stand in front of the app and append to X-Forwarded-For and
        # set X-Forwarded-Proto. 0: the headers are ignored (a client could write anything in them).
        "TRUSTED_PROXIES": env.get("TRUSTED_PROXIES", "0"),
        # Production: host names accepted in the Host header besides BASE_URL's (comma-separated), e.g. the
        # address a load balancer's health check uses. Any other host is refused with 400.
        "EXTRA_TRUSTED_HOSTS": env.get("TRUSTED_HOSTS", ""),
        "TIMEZONE": "Europe/Stockholm",
        "BABEL_DEFAULT_LOCALE": "sv",
        "LANGUAGES": ["sv", "en"],
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", str(30 * 1024 * 1024))),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE"), default=mode == "production"),
        "REMEMBER_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE"), default=mode == "production"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": None,  # a long form on a phone must not expire while being typed
        # Flask-WTF's extra check on https that the Referer names this host cannot hold: every page sends
        # Referrer-Policy: no-referrer (tracking links carry a secret), so browsers post without a Referer. The
        # CSRF token, SameSite=Lax cookies and HSTS with includeSubDomains guard the same ground.
        "WTF_CSRF_SSL_STRICT": False,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Embedded mode: run periodic work (outbox retry, SLA sweep) in a background thread of the web process.
        "EMBEDDED_SCHEDULER": _bool(env.get("EMBEDDED_SCHEDULER"), default=False),
        "OUTBOX_RETRY_AFTER_SECONDS": int(env.get("OUTBOX_RETRY_AFTER_SECONDS", "120")),
        # How often the cron process looks for undelivered outbox rows.
        "OUTBOX_RETRY_INTERVAL_SECONDS": int(env.get("OUTBOX_RETRY_INTERVAL_SECONDS", "60")),
        # Uploads: a directory shared by every web and worker process in production.
        "UPLOAD_DIR": env.get("UPLOAD_DIR") or str(Path(instance_path) / "uploads"),
        "ATTACHMENT_MAX_BYTES": int(env.get("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024))),
        "RATELIMIT_ENABLED": _bool(env.get("RATELIMIT_ENABLED"), default=not testing),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Redis down must not turn a submission into an error: limits fall back to per-process memory.
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        # Per client address. A municipality's own contact centre behind one address may need higher limits.
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "10 per minute;60 per hour"),
        "SUBMIT_RATE_LIMIT": env.get("SUBMIT_RATE_LIMIT", "30 per hour"),
        "MAIL_RATE_LIMIT": env.get("MAIL_RATE_LIMIT", "5 per hour"),
        "API_RATE_LIMIT": env.get("API_RATE_LIMIT", "120 per minute"),  # per token (REST API and Open311)
        # Gallring: years after closure before contact data is anonymised, per kind; a kind not listed is kept
        # as the document management plan says (no automatic anonymisation).
        "RETENTION_YEARS": _retention(env.get("RETENTION_YEARS", "question=2,feedback=2")),
        "LOGIN_LOCKOUT_ATTEMPTS": int(env.get("LOGIN_LOCKOUT_ATTEMPTS", "5")),
        "LOGIN_LOCKOUT_MINUTES": int(env.get("LOGIN_LOCKOUT_MINUTES", "15")),
        **_sign_in_settings(env),
    }
    cfg.update(overrides)
    _production_settings(cfg, mode == "production", testing)
    if not cfg["STAFF_PASSWORDS"] and not (cfg.get("OIDC_PROVIDERS") or {}).get("staff"):
        raise ConfigError("STAFF_PASSWORDS=off needs OIDC_ISSUER and OIDC_CLIENT_ID: staff would have no way in.")
    cfg.setdefault("RATELIMIT_STORAGE_URI", env.get("RATELIMIT_STORAGE_URI") or cfg.get("REDIS_URL") or "memory://")
    cfg["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(cfg["SQLALCHEMY_DATABASE_URI"])
    if not cfg.get("SECRET_KEY"):
        if testing:
            cfg["SECRET_KEY"] = "test-only-not-secret"  # noqa: S105
        elif mode == "development":
            cfg["SECRET_KEY"] = _local_secret(Path(instance_path))
        else:
            raise ConfigError("SECRET_KEY must be set (or CASEFLOW_ENV=development for local use).")
    return cfg


def _sign_in_settings(env) -> dict:
    """Staff sign-in through the organisation's OpenID Provider (services.sso; README "Staff sign-in").
    Providers by name: ``staff`` from the OIDC_* variables; another (companies through an e-legitimation
    broker) would be another entry with its own variables, not built yet."""
    providers = {}
    if env.get("OIDC_ISSUER"):
        providers["staff"] = {
            "issuer": env["OIDC_ISSUER"], "client_id": env.get("OIDC_CLIENT_ID", ""),
            "client_secret": env.get("OIDC_CLIENT_SECRET", ""),
            "scopes": env.get("OIDC_SCOPES", "openid email profile"),
            "groups_claim": env.get("OIDC_GROUPS_CLAIM", "groups"),
            "label": env.get("OIDC_LABEL", ""),  # the sign-in button's name of the provider
            "leeway": int(env.get("OIDC_LEEWAY_SECONDS", "60")), "audience": "staff",
            # on: every address this provider sends is one it has confirmed (Entra ID sends no email_verified);
            # off (the default): only a token whose email_verified is true binds an existing account by address
            "trust_email": _bool(env.get("OIDC_TRUST_EMAIL"), default=False),
        }
    return {
        "OIDC_PROVIDERS": providers,
        # off: staff sign in through the provider only; BREAK_GLASS_ADMIN keeps a password and a TOTP code
        "STAFF_PASSWORDS": _bool(env.get("STAFF_PASSWORDS"), default=True),
        "BREAK_GLASS_ADMIN": (env.get("BREAK_GLASS_ADMIN") or "").strip().lower(),
        # How long a sign-in through the provider holds before the provider is asked again (docs/design.md)
        "SSO_SESSION_MINUTES": int(env.get("SSO_SESSION_MINUTES", "60")),
    }


HSTS_ONE_YEAR = "max-age=31536000; includeSubDomains"


def _production_settings(cfg: dict, production: bool, testing: bool) -> None:
    """BASE_URL, the trusted hosts and proxies, HSTS: the settings a server on the internet depends on.

    Production refuses to start without BASE_URL (a default would put a wrong host into every mailed link)
    and accepts requests only for BASE_URL's host (Flask's TRUSTED_HOSTS), so a forged Host header can reach
    no URL and no page. The embedded / development mode serves whatever name the browser used.
    """
    if not cfg["BASE_URL"]:
        if production and not testing:
            raise ConfigError("BASE_URL must be set in production (e.g. https://foretag.example.se): every "
                              "link the app mails or returns is built from it.")
        cfg["BASE_URL"] = "http://127.0.0.1:5000"
    cfg["BASE_URL"] = str(cfg["BASE_URL"]).rstrip("/")
    parts = urlsplit(cfg["BASE_URL"])
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(f"BASE_URL must be an http(s) address such as https://foretag.example.se, "
                          f"not {cfg['BASE_URL']!r}.")
    try:
        cfg["TRUSTED_PROXIES"] = int(cfg["TRUSTED_PROXIES"])
    except (TypeError, ValueError):
        cfg["TRUSTED_PROXIES"] = -1
    if not 0 <= cfg["TRUSTED_PROXIES"] <= 10:
        raise ConfigError("TRUSTED_PROXIES must be the number of proxies in front of the app (0 to 10).")
    if production and cfg.get("TRUSTED_HOSTS") is None:
        extra = [h.strip().lower() for h in str(cfg.get("EXTRA_TRUSTED_HOSTS") or "").split(",") if h.strip()]
        cfg["TRUSTED_HOSTS"] = [parts.hostname, *extra]
    cfg.setdefault("STRICT_TRANSPORT_SECURITY", HSTS_ONE_YEAR if production else None)


def _retention(text: str) -> dict[str, int]:
    out = {}
    for part in text.split(","):
        if "=" in part:
            kind, years = part.split("=", 1)
            out[kind.strip()] = int(years)
    return out


def _local_secret(instance: Path) -> str:
    """Development only: a random key kept in the instance folder, so private links survive a restart."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _normalise_db_url(url: str) -> str:
    """Accept the common ``postgres://`` / ``postgresql://`` forms and use the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url
