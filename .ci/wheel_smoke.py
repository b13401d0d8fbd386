"""CI: what an operator runs, from the wheel (README "Production set-up").

Builds the wheel from the checkout's files, installs it (not editable) into a fresh venv in a temporary folder
outside the checkout, runs the migrations from the installed package against a fresh PostgreSQL database,
seeds the default configuration, starts gunicorn on ``caseflow.wsgi:app`` with ``CASEFLOW_ENV=production``
behind one (pretend) proxy and one ``caseflow worker`` against Redis, with an SMTP sink (aiosmtpd) on loopback;
then files a case through the public form over HTTP (form, CSRF token, post) and waits for its receipt mail.
Everything it started is stopped and the database dropped, pass or fail.

Run with the test venv's Python (it has aiosmtpd and psycopg): ``.venv/bin/python .ci/wheel_smoke.py``.
Needs PostgreSQL (``SMOKE_DATABASE_URL``, default postgresql://postgres@127.0.0.1:5432/postgres: the server to
create the database on) and Redis (``SMOKE_REDIS_URL``, default redis://127.0.0.1:6379/0).
Ends with one plain line: ``wheel_smoke: N passed, M failed``.
"""
from __future__ import annotations

import email
import email.policy
import html
import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("SMOKE_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/0")
CLIENT = "203.0.113.77"  # the address the pretend load balancer forwards
# What a load balancer that ends TLS adds to each request it passes on.
PROXY = {"X-Forwarded-For": CLIENT, "X-Forwarded-Proto": "https"}

passed: list[str] = []
started = time.monotonic()


class SmokeFailure(Exception):
    pass


def say(text: str) -> None:
    print(f"[wheel smoke {time.monotonic() - started:5.1f}s] {text}", flush=True)


def check(name: str, ok: bool, detail: str = "") -> None:
    if not ok:
        raise SmokeFailure(f"{name}: {detail}" if detail else name)
    passed.append(name)
    say(f"ok: {name}")


def run(cmd: list[str], cwd: Path, env: dict | None = None, timeout: int = 300) -> str:
    out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise SmokeFailure(f"{' '.join(cmd[:4])} … exited {out.returncode}\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
    return out.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def checkout_copy(dest: Path) -> None:
    """The files a fresh clone has (tracked, plus new files not ignored), so the wheel is built from exactly the
    source and leaves no build/ folder in the checkout."""
    names = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, check=True).stdout.split(b"\0")
    for raw in names:
        if not raw:
            continue
        rel = raw.decode()
        src = ROOT / rel
        if src.is_file() and not rel.startswith(("bench/", "tests/", ".ci/")):
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)


class Sink:
    """An SMTP server on loopback that keeps every message it is given."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[email.message.EmailMessage] = []
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
                sink.messages.append(email.message_from_bytes(envelope.original_content or envelope.content,
                                                              policy=email.policy.default))
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


def text_of(msg: email.message.EmailMessage) -> str:
    parts = [str(msg["Subject"] or ""), str(msg["To"] or "")]
    for part in msg.walk():
        if part.get_content_maintype() == "text":
            parts.append(part.get_content())
    return "\n".join(parts)


class Processes:
    def __init__(self, logs: Path) -> None:
        self.logs, self.procs = logs, {}

    def start(self, name: str, cmd: list[str], cwd: Path, env: dict) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs[name] = (proc, log)
        return proc

    def alive(self, name: str) -> bool:
        return self.procs[name][0].poll() is None

    def log(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop_all(self) -> None:
        for _name, (proc, _log) in self.procs.items():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for _name, (proc, log) in self.procs.items():
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
            log.close()


def wait_for(what: str, predicate, timeout: float, interval: float = 0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise SmokeFailure(f"timed out after {timeout:.0f} s waiting for {what}")


def main() -> int:
    import psycopg

    tmp = Path(tempfile.mkdtemp(prefix="caseflow-wheel-smoke-"))
    db_name = f"caseflow_smoke_{secrets.token_hex(4)}"
    queue = f"caseflow-smoke-{secrets.token_hex(4)}"
    procs, sink, db_created = Processes(tmp), None, False
    failure = None
    try:
        # 1. The wheel, built from the checkout's files, installed into a fresh venv outside the checkout.
        src, dist, venv = tmp / "src", tmp / "dist", tmp / "venv"
        src.mkdir()
        checkout_copy(src)
        run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(src)], cwd=tmp)
        wheels = list(dist.glob("caseflow-*.whl"))
        check("wheel built", len(wheels) == 1, f"found {wheels}")
        run([shutil.which("python3") or "python3", "-m", "venv", str(venv)], cwd=tmp)
        run([str(venv / "bin/pip"), "install", "-q", "--no-compile", str(wheels[0])], cwd=tmp, timeout=600)
        site = Path(run([str(venv / "bin/python"), "-c", "import caseflow, pathlib; "
                         "print(pathlib.Path(caseflow.__file__).parent)"], cwd=tmp).strip())
        check("installed package imported from the venv, not the checkout",
              site.is_relative_to(venv) and not (site / "__init__.py").is_symlink(), str(site))
        wanted = {f"caseflow/{p.relative_to(ROOT / 'caseflow')}" for p in (ROOT / "caseflow").rglob("*")
                  if p.is_file() and p.suffix in (".py", ".css", ".js", ".mo", ".html", ".txt")}
        for top in ("templates", "migrations"):
            wanted |= {f"caseflow/{top}/{p.relative_to(ROOT / top)}" for p in (ROOT / top).rglob("*")
                       if p.is_file() and "__pycache__" not in p.parts}
        missing = sorted(n for n in wanted if not (site.parent / n).is_file())
        check("the wheel carries every module, template, migration and catalog", not missing,
              f"missing from the installed package: {missing[:20]}")

        # 2. Services: a fresh database, a queue of its own, an SMTP sink.
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{db_name}"')
        db_created = True
        sink = Sink()
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "FLASK_"))}
        env.update(
            PATH=f"{venv / 'bin'}:{env.get('PATH', '/usr/bin:/bin')}", CASEFLOW_ENV="production",
            SECRET_KEY=secrets.token_hex(32), BASE_URL=base_url, TRUSTED_PROXIES="1",
            DATABASE_URL=PG_URL.rsplit("/", 1)[0] + f"/{db_name}", REDIS_URL=REDIS_URL,
            RQ_QUEUE=queue, MAIL_SERVER="127.0.0.1", MAIL_PORT=str(sink.port),
            MAIL_FROM="Företagsservice <noreply@smoke.invalid>", UPLOAD_DIR=str(tmp / "uploads"),
            # Plain http on loopback: a Secure cookie would never come back (real deployments keep the default).
            SESSION_COOKIE_SECURE="0",
        )
        for name in ("DATABASE_URL", "REDIS_URL"):
            env.pop(f"TEST_{name}", None)

        # 3. The README's steps, from the installed package.
        run([str(venv / "bin/caseflow"), "db", "upgrade"], cwd=tmp, env=env)
        with psycopg.connect(env["DATABASE_URL"]) as conn:
            version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        check("migrations ran from the installed package", version is not None)
        run([str(venv / "bin/caseflow"), "seed-config"], cwd=tmp, env=env)
        run([str(venv / "bin/caseflow"), "create-user", "--email", "admin@smoke.invalid", "--name", "Admin",
             "--role", "admin", "--password", secrets.token_urlsafe(16)], cwd=tmp, env=env)
        procs.start("gunicorn", [str(venv / "bin/gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}",
                                 "--access-logfile", "-", "caseflow.wsgi:app"], cwd=tmp, env=env)
        procs.start("worker", [str(venv / "bin/caseflow"), "worker"], cwd=tmp, env=env)

        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

        def get(path: str, headers: dict | None = None):
            req = urllib.request.Request(base_url + path, headers={**PROXY, **(headers or {})})
            try:
                with opener.open(req, timeout=10) as resp:
                    return resp.status, dict(resp.headers), resp.read().decode(), resp.url
            except urllib.error.HTTPError as exc:
                return exc.code, dict(exc.headers), exc.read().decode(errors="replace"), exc.url
            except OSError:
                if not procs.alive("gunicorn"):
                    raise SmokeFailure("gunicorn exited") from None
                return None

        up = wait_for("gunicorn to answer /healthz", lambda: (r := get("/healthz")) and r[0] == 200 and r, 60)
        check("gunicorn serves caseflow.wsgi:app in production mode", True)
        hsts = up[1].get("Strict-Transport-Security", "")
        check("production answers carry HSTS", "max-age=31536000" in hsts and "includeSubDomains" in hsts, hsts)
        forged = get("/api/v1/openapi.json", {"Host": "evil.example"})
        check("a forged Host header is refused", forged is not None and forged[0] == 400, str(forged and forged[0]))
        spec = get("/open311/v2/discovery.json")
        check("discovery names BASE_URL", spec is not None and f'"{base_url}/open311/v2"' in spec[2].replace(" ", ""),
              spec[2][:300] if spec else "")
        wait_for("the worker to listen", lambda: not procs.alive("worker") or "Listening on" in procs.log("worker"), 30)
        check("one caseflow worker runs against Redis", procs.alive("worker"), procs.log("worker")[-2000:])

        # 4. A case through the public form, as a browser files it.
        status, _headers, page, _url = get("/submit?lang=en")
        check("the public form loads", status == 200, f"status {status}")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        select = re.search(r'<select[^>]*name="category_id".*?</select>', page, re.S)
        options = re.findall(r'<option[^>]*value="(\d+)"', select.group(0)) if select else []
        categories = [c for c in options if c != "0"]  # 0 is "Choose…"
        check("the form has a CSRF token and the seeded areas", bool(token and categories), page[:500])
        contact = f"smoke-{secrets.token_hex(3)}@example.se"
        form = {"csrf_token": html.unescape(token.group(1)), "kind": "errand", "category_id": categories[0],
                "org_number": "556036-0793", "company_name": "Röktest AB", "contact_name": "Rita Röktest",
                "contact_email": contact, "subject": "Uteservering vid torget",
                "description": "Vi vill ställa ut sex bord under sommaren."}
        req = urllib.request.Request(base_url + "/submit", data=urllib.parse.urlencode(form).encode(),
                                     headers=PROXY)
        try:
            with opener.open(req, timeout=20) as resp:
                receipt, receipt_url = resp.read().decode(), resp.url
        except urllib.error.HTTPError as exc:
            body = exc.read().decode(errors="replace")
            errors = [re.sub(r"<[^>]+>|\s+", " ", e).strip()
                      for e in re.findall(r'<p class="error-text"[^>]*>(.*?)</p>', body, re.S)]
            raise SmokeFailure(f"posting the form answered {exc.code}: {errors or body[-1500:]}") from None
        reference = re.search(r"CF-\d{4}-\d{5,}", receipt)
        check("the case is filed and the receipt page names its reference",
              receipt_url.endswith("/receipt") and reference is not None, f"{receipt_url}: {receipt[:500]}")
        check("the client address behind the proxy is the one logged",
              re.search(rf"^{re.escape(CLIENT)} .*POST /submit", procs.log("gunicorn"), re.M) is not None,
              procs.log("gunicorn")[-1500:])

        # 5. The receipt mail, sent by the worker through SMTP.
        def receipt_mail():
            return next((m for m in list(sink.messages) if contact in str(m["To"])
                         and reference.group(0) in text_of(m)), None)

        mail = wait_for(f"the receipt mail of {reference.group(0)} at the SMTP sink", receipt_mail, 60)
        check("the receipt mail reaches the SMTP sink with a tracking link on BASE_URL",
              f"{base_url}/track/" in text_of(mail), text_of(mail)[:800])
    except SmokeFailure as exc:
        failure = str(exc)
    except Exception as exc:  # an unexpected error is a failure too, with its type
        failure = f"{type(exc).__name__}: {exc}"
    finally:
        say("stopping gunicorn and the worker, dropping the database")
        procs.stop_all()
        if sink is not None:
            sink.stop()
        if db_created:
            try:
                with psycopg.connect(PG_URL, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
            except Exception as exc:
                say(f"could not drop {db_name}: {exc}")
        try:  # the queue's registries (finished jobs and the like) in Redis
            from redis import Redis

            redis = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
            for key in list(redis.scan_iter(f"*{queue}*")):
                redis.delete(key)
        except Exception as exc:
            say(f"could not remove the queue's keys from Redis: {exc}")
        if failure:
            print(f"\nwheel smoke FAILED after {len(passed)} checks: {failure}", file=sys.stderr)
            for name in procs.procs:
                print(f"\n--- last lines of {name} ---\n{procs.log(name)[-4000:]}", file=sys.stderr)
        say("removing the temporary folder")
        shutil.rmtree(tmp, ignore_errors=True)
    say(f"done in {time.monotonic() - started:.0f} s")
    print(f"wheel_smoke: {len(passed)} passed, {1 if failure else 0} failed", flush=True)
    return 1 if failure else 0


if __name__ == "__main__":
    sys.exit(main())
