"""Command line: ``caseflow <command>`` (or ``flask --app caseflow <command>``: the commands are also published as
``flask.commands`` entry points in pyproject.toml, so the app never imports this module to register them)."""
from __future__ import annotations

import os
import threading
import time

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, ScriptInfo, with_appcontext
from flask_migrate import cli as migrate_cli

from .config import ConfigError
from .models import ROLES


def _print_logins(logins) -> None:
    click.echo("\nDemo logins (staff, at /staff/login):")
    for email, password, role, office in logins:
        click.echo(f"  {email:<32} {password:<14} {role:<8} {office}")
    click.echo("")


@click.command("seed-demo")
@click.option("--cases", default=50, show_default=True, help="How many sample cases to create.")
@with_appcontext
def seed_demo_cmd(cases: int) -> None:
    """Seed offices, categories, staff (passwords printed) and sample cases into an empty database."""
    from .services import seed

    if seed.is_seeded():
        raise click.ClickException("the database already has offices; seed only an empty database")
    _print_logins(seed.seed_demo(cases=cases))


@click.command("seed-config")
@with_appcontext
def seed_config_cmd() -> None:
    """Seed the default offices, categories and routing rules into an empty database (no users, no cases);
    administrators adapt them under /admin/."""
    from .services import seed

    if seed.is_seeded():
        raise click.ClickException("the database already has offices; seed only an empty database")
    offices = seed.seed_configuration()
    click.echo(f"seeded {len(offices)} offices with their categories and routing rules")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Process what is queued, then exit.")
@click.option("--cron", is_flag=True, help="Run the periodic-job scheduler instead of a worker (one per deployment).")
@with_appcontext
def worker_cmd(burst: bool, cron: bool) -> None:
    """Run an RQ worker on REDIS_URL's queue (production; as many as needed, under a process supervisor)."""
    import gc

    from .worker import run

    gc.freeze()  # start-up objects live as long as the process: keep them out of every collection
    run(current_app._get_current_object(), burst=burst, cron=cron)


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--office", "office_code", default=None, help="Office code (officers and leads).")
@click.password_option()
@with_appcontext
def create_user_cmd(email, name, role, office_code, password) -> None:
    """Create a staff account."""
    from .services import admin
    from .services.errors import InvalidInput

    try:
        admin.create_user(email, name, password, role, office_code)
    except InvalidInput as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"created {role} {email}")


@click.command("retry-outbox")
@with_appcontext
def retry_outbox_cmd() -> None:
    """Re-dispatch outbox rows that were committed but never delivered."""
    from . import jobs

    click.echo(f"re-dispatched {jobs.retry_outbox()} outbox rows")


@click.command("mail-in")
@click.option("--host", default=None, help="Address to listen on (default MAIL_IN_HOST, 127.0.0.1).")
@click.option("--port", default=None, type=int, help="LMTP port (default MAIL_IN_PORT, 8024).")
@with_appcontext
def mail_in_cmd(host: str | None, port: int | None) -> None:
    """Receive mail over LMTP from the mail server: replies thread into their cases, mail to the service's
    address becomes a case (one process per deployment, under a supervisor)."""
    from .mailin import serve

    serve(current_app._get_current_object(), host, port)


@click.command("sweep")
@with_appcontext
def sweep_cmd() -> None:
    """Run the SLA sweep now: record and notify warnings and breaches (safe to run any time)."""
    from . import jobs

    counts = jobs.sweep_sla()
    click.echo(f"sweep: {counts['warnings']} warnings, {counts['breaches']} breaches recorded")


@click.command("build-report")
@click.option("--month", default=None, help="YYYY-MM; default: last month.")
@click.option("--label", default="", help="Label of a correction (a new revision).")
@with_appcontext
def build_report_cmd(month: str | None, label: str) -> None:
    """Freeze a month's SLA report (idempotent: unchanged figures make no new revision)."""
    from datetime import UTC, datetime

    from .services import reports

    m = reports.parse_month(month) if month else reports.previous_month(datetime.now(UTC).date())
    snap, created = reports.freeze(m, datetime.now(UTC), label)
    click.echo(f"{snap.month} revision {snap.revision}: {'published' if created else 'unchanged, nothing new'}")


@click.command("gallring")
@with_appcontext
def gallring_cmd() -> None:
    """Anonymise contact data of closed cases past their retention (RETENTION_YEARS)."""
    from . import jobs

    click.echo(f"anonymised {jobs.gallring()} cases")


@click.command("create-token")
@click.option("--name", required=True, help="Which integration uses it.")
@click.option("--scopes", required=True, help="Comma-separated: submit, read-own, officer.")
@click.option("--user", "user_email", default=None, help="Officer tokens act as this staff user.")
@with_appcontext
def create_token_cmd(name: str, scopes: str, user_email: str | None) -> None:
    """Create an API token; it is printed once and only its hash is stored."""
    from datetime import UTC, datetime

    import sqlalchemy as sa

    from .extensions import db
    from .models import User
    from .services import integrations
    from .services.errors import InvalidInput

    user = db.session.scalar(sa.select(User).where(User.email == user_email.lower())) if user_email else None
    try:
        token = integrations.create_token(name, [s.strip() for s in scopes.split(",") if s.strip()],
                                          datetime.now(UTC), user)
    except InvalidInput as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(token)


@click.command("break-glass-totp")
@click.option("--email", required=True, help="BREAK_GLASS_ADMIN: the administrator who keeps a password.")
@with_appcontext
def break_glass_totp_cmd(email: str) -> None:
    """A new TOTP secret for the break-glass administrator, printed once as an otpauth:// URI (scan it into an
    authenticator app); an earlier secret stops working."""
    from datetime import UTC, datetime

    from .services import break_glass
    from .services.errors import InvalidInput

    try:
        uri = break_glass.enrol(email, datetime.now(UTC))
    except InvalidInput:
        raise click.ClickException("not the break-glass administrator: set BREAK_GLASS_ADMIN to this e-mail "
                                   "of an active administrator") from None
    click.echo(uri)


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--no-serve", is_flag=True, help="Prepare the database and exit.")
@with_appcontext
def demo_cmd(host: str, port: int, no_serve: bool) -> None:
    """Embedded mode in one step: migrate the database, seed demo data on first start, serve the app. The links
    in mails point where the demo serves (``--host``/``--port``) unless BASE_URL is set; every mail is one line
    on the console and readable at /dev/mail."""
    import logging

    from flask_migrate import upgrade

    from .services import seed

    app = current_app._get_current_object()
    if not os.environ.get("BASE_URL"):
        app.config["BASE_URL"] = demo_base_url(host, port)
    upgrade()
    # Alembic's logging configuration leaves the root logger at WARNING: the demo shows its mails (INFO).
    logging.getLogger("caseflow").setLevel(logging.INFO)
    if not seed.is_seeded():
        click.echo("First start: seeding demo data (this takes a few seconds)…")
        logins = seed.seed_demo()
        _print_logins(logins)
        path = os.path.join(current_app.instance_path, "demo-logins.txt")
        with open(path, "w") as fh:
            fh.writelines(f"{e}\t{p}\t{r}\t{o}\n" for e, p, r, o in logins)
        click.echo(f"(also saved to {path})")
    else:
        path = os.path.join(current_app.instance_path, "demo-logins.txt")
        if os.path.exists(path):
            with open(path) as fh:
                _print_logins([line.rstrip("\n").split("\t") for line in fh if line.strip()])
    if no_serve:
        return
    start_embedded_scheduler(app)
    from .services import devmail

    base = app.config["BASE_URL"]
    mailbox = f"; mail sent: {base}/dev/mail" if devmail.enabled() else ""
    click.echo(f"caseflow runs at {base}/  (staff: {base}/staff/login{mailbox})")
    from werkzeug.serving import run_simple

    # Flask refuses app.run() inside its own CLI; the embedded mode serves with Werkzeug's threaded server.
    run_simple(host, port, current_app._get_current_object(), threaded=True)


def demo_base_url(host: str, port: int) -> str:
    """Where a browser reaches the demo: the host it listens on (loopback for "every interface") and its port."""
    if host in ("0.0.0.0", "::", ""):  # noqa: S104  # nosec B104 - a name to link to, not an address to bind
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def start_embedded_scheduler(app: Flask) -> threading.Thread:
    """Embedded mode has no RQ scheduler: run the periodic jobs in a daemon thread instead."""
    from . import jobs

    def loop():
        last: dict = {}
        while True:
            now = time.monotonic()
            for func, interval in jobs.PERIODIC:
                if now - last.get(func, -1e9) >= interval:
                    last[func] = now
                    with app.app_context():
                        try:
                            func()
                        except Exception:
                            app.logger.exception("periodic job %s failed", func.__name__)
            time.sleep(5)

    t = threading.Thread(target=loop, name="caseflow-periodic", daemon=True)
    t.start()
    return t


COMMANDS = (demo_cmd, seed_demo_cmd, seed_config_cmd, create_user_cmd, create_token_cmd, worker_cmd, sweep_cmd,
            retry_outbox_cmd, build_report_cmd, gallring_cmd, mail_in_cmd, break_glass_totp_cmd)


def _create_app():
    from . import create_app

    return create_app()


class _Group(FlaskGroup):
    """Flask's command group, with caseflow's commands its own: ``caseflow --help`` lists them without building
    the app, so it works before anything is configured. The app is built only to run a command (and for the
    listing, to add the commands its extensions bring when the environment lets it build)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        try:
            ctx.ensure_object(ScriptInfo).load_app()
        except ConfigError:
            self._load_plugin_commands()  # the extensions' commands that Flask finds by entry point
            return sorted(super(FlaskGroup, self).list_commands(ctx))  # those, Flask's and caseflow's own
        return super().list_commands(ctx)


@click.group(cls=_Group, create_app=_create_app, add_default_commands=True)
def cli() -> None:
    """caseflow: case and complaint handling. Run `caseflow demo` to start on the embedded default."""


for _cmd in COMMANDS:
    cli.add_command(_cmd)
cli.add_command(migrate_cli.db)  # `caseflow db upgrade`: Flask-Migrate adds it to the app, listed here without one


def main() -> None:
    """Console script. `caseflow demo` is the local embedded mode, so it runs as development by default
    (a random key kept under instance/, cookies without the Secure flag on plain-http localhost).
    A setting missing for production (``ConfigError``) is one line on stderr and exit status 1."""
    import sys

    if len(sys.argv) > 1 and sys.argv[1] == "demo":
        os.environ.setdefault("CASEFLOW_ENV", "development")
    try:
        cli()
    except ConfigError as exc:
        click.echo(f"caseflow: {exc}", err=True)
        sys.exit(1)
