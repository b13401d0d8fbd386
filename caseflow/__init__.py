"""caseflow: case and complaint handling for a Swedish municipality's service to companies."""
from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, g, request, session

from . import config as config_module
from .extensions import babel, csrf, db, limiter, login_manager, migrate

PACKAGE_DIR = Path(__file__).resolve().parent


def _find_dir(name: str) -> str:
    """``templates/`` and ``migrations/`` sit at the repository top in a checkout, inside the package in a
    wheel (see pyproject.toml)."""
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return str(candidate)
    return str(PACKAGE_DIR.parent / name)


def create_app(config: dict | None = None) -> Flask:
    """Build the app. ``config`` overrides settings read from the environment (tests pass theirs here)."""
    app = Flask(__name__, template_folder=_find_dir("templates"), instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(config_module.from_env(app.instance_path, config))
    _register_extensions(app)
    _register_job_runner(app)
    _register_blueprints(app)
    _register_template_helpers(app)
    _register_error_pages(app)
    _register_security_headers(app)
    _trust_proxies(app)
    _configure_logging()
    return app


def _register_job_runner(app: Flask) -> None:
    """Committed outbox rows go to the jobs module (an RQ queue, or in-process without Redis): services stage
    them and hand them to whatever the app registered here, and never import job code."""
    from . import jobs
    from .services import dispatch

    dispatch.set_dispatcher(app, jobs.dispatch_outbox)


def _configure_logging() -> None:
    """One line per record, with the request id (never personal identity numbers: nothing logs them)."""
    root = logging.getLogger()
    if not any(getattr(h, "_caseflow", False) for h in root.handlers):
        handler = logging.StreamHandler()
        handler._caseflow = True
        handler.addFilter(_RequestIdFilter())
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.INFO)


def select_locale() -> str:
    lang = request.args.get("lang")
    if lang in ("sv", "en"):
        session["lang"] = lang
        return lang
    return session.get("lang") or "sv"


def _register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (registers the tables)

    db.init_app(app)
    migrate.init_app(app, db, directory=_find_dir("migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(
        app, locale_selector=select_locale, default_timezone="Europe/Stockholm",
        default_translation_directories=str(PACKAGE_DIR / "translations"),
    )
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"

    from .services.accounts import account_for_session

    @login_manager.user_loader
    def load_user(session_id: str):
        """Every request with a session (or a remember-me cookie) asks here: an ended session (logout, password
        change, deactivation, "log out everywhere") names an old session version and is logged out."""
        return account_for_session(session_id)


def _register_blueprints(app: Flask) -> None:
    """Each blueprint comes from its routes module: importing that adds the views to it."""
    from .web.account.routes import bp as account_bp
    from .web.admin.routes import bp as admin_bp
    from .web.api.routes import bp as api_bp
    from .web.auth.routes import bp as auth_bp
    from .web.officer.routes import bp as officer_bp
    from .web.open311.routes import bp as open311_bp
    from .web.public.routes import bp as public_bp
    from .web.reports.routes import bp as reports_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(officer_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(open311_bp)
    from .services import devmail

    if devmail.enabled(app.config):  # the mail page of development and demo; in production no such URL
        from .web.dev.routes import bp as dev_bp

        app.register_blueprint(dev_bp)


def _register_template_helpers(app: Flask) -> None:
    from .web import helpers, offices, promises

    helpers.register(app)
    promises.register(app)
    offices.register(app)


def _register_error_pages(app: Flask) -> None:
    from flask import render_template

    for code in (400, 403, 404, 405, 409, 413, 429, 500):
        def handler(exc, code=code):
            if request.path.startswith("/open311/"):  # the GeoReport v2 error list
                from .web.open311.routes import http_error

                return http_error(exc, code)
            if request.path.startswith("/api/"):  # integrations always get the JSON error body
                from .web.api.errors import http_error

                return http_error(exc, code)
            return render_template("errors/error.html", code=code), code

        app.register_error_handler(code, handler)

    from .services.errors import Conflict, Forbidden, InvalidInput, NotFound

    app.register_error_handler(NotFound, lambda exc: (render_template("errors/error.html", code=404), 404))
    app.register_error_handler(Forbidden, lambda exc: (render_template("errors/error.html", code=403), 403))
    # A view that did not expect a service's refusal still answers clearly, never with a 500.
    app.register_error_handler(InvalidInput, lambda exc: (render_template("errors/error.html", code=400), 400))
    app.register_error_handler(Conflict, lambda exc: (render_template("errors/error.html", code=409), 409))


class _RequestIdFilter(logging.Filter):
    """Adds the request id to every log record made while serving a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        from flask import has_request_context

        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def _trust_proxies(app: Flask) -> None:
    """Behind ``TRUSTED_PROXIES`` load balancers, the client is the address the outermost of them saw.

    ProxyFix takes the client address (rate limits, gunicorn's access log) and the scheme from as many
    X-Forwarded-For / -Proto entries as there are proxies, counted from the right: the entries a client wrote
    itself stand further left and are never read. The host is not taken from X-Forwarded-Host: URLs are
    built from BASE_URL, and the Host header is checked against it (TRUSTED_HOSTS).
    """
    count = app.config["TRUSTED_PROXIES"]
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=0, x_port=0, x_prefix=0)


def _register_security_headers(app: Flask) -> None:
    import re
    import uuid

    from werkzeug.exceptions import SecurityError

    @app.errorhandler(SecurityError)
    def untrusted_host(exc):
        """A Host header that is not BASE_URL's (TRUSTED_HOSTS): no URL can be built for it, so no page either."""
        return "Bad Request: unknown host.\n", 400, {"Content-Type": "text/plain; charset=utf-8"}

    @app.before_request
    def reject_nul_characters():
        """No real input contains NUL, and PostgreSQL cannot store it: refuse it at the door, alike on both
        databases. JSON bodies are checked field by field by the API, and the form body of a view marked
        ``checks_text`` (web.form_view) by its form, which says so on the field and keeps what was typed."""
        from flask import abort

        view = app.view_functions.get(request.endpoint) if request.endpoint else None
        form = request.form if request.form and not getattr(view, "checks_text", False) else {}
        values = list(request.args.values()) + list(form.values())
        values += [str(v) for v in (request.view_args or {}).values()]
        values.append(request.headers.get("Idempotency-Key", ""))
        if any("\x00" in v for v in values):
            abort(400)

    @app.before_request
    def request_id():
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if re.fullmatch(r"[A-Za-z0-9._-]{8,64}", incoming) else uuid.uuid4().hex

    @app.after_request
    def headers(resp):
        if g.get("request_id"):
            resp.headers["X-Request-ID"] = g.request_id
        resp.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        )
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "no-referrer")  # tracking links carry a secret
        resp.headers.setdefault("X-Frame-Options", "DENY")
        if app.config["STRICT_TRANSPORT_SECURITY"]:  # production only: the embedded mode serves plain http
            resp.headers.setdefault("Strict-Transport-Security", app.config["STRICT_TRANSPORT_SECURITY"])
        if getattr(g, "no_store", False):
            resp.headers["Cache-Control"] = "no-store"
        return resp
