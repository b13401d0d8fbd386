"""Load run with faults: nothing lost, nothing duplicated, no 500.

    .venv/bin/python bench/load_faults.py postgresql://postgres@127.0.0.1:5432/caseflow_load [--seconds 60]

Loopback only, bounded in time and count. The script owns everything it breaks:
  * a fresh PostgreSQL database (dropped and recreated; schema by the migrations, demo configuration),
  * its own redis-server on 127.0.0.1:6391 without persistence (so a restart loses the queued jobs),
  * an SMTP sink (aiosmtpd, 127.0.0.1:8826) that records every message it accepts, each taking 20 ms,
  * gunicorn (4 workers) with Redis-backed rate limits on, two RQ workers and the RQ cron process, kept running
    by a small supervisor that restarts a process that exits (as systemd's Restart=always would).

While 8 clients post submissions for ``--seconds``, it SIGKILLs an RQ worker (with its work horse) while it has
a job started, stops Redis for 10 s and starts it again, and SIGKILLs another worker. Then it waits (bounded)
for the outbox to drain and checks:
  1. no response was a 5xx and every submission the server accepted (302 to the receipt) exists exactly once;
  2. case references are distinct and their numbers gap-free (1..N for the year);
  3. every case's receipt reached the SMTP sink under exactly one Message-ID, and the raw number of SMTP
     deliveries is reported: a worker killed after the SMTP server took a message but before the outbox row was
     committed sends it again on retry, with the same Message-ID (the RFC 1047 window that SMTP cannot close;
     receivers drop such a duplicate by its Message-ID). Those resends are listed.
Exit status 0 only if all of that holds.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.generate_cases import recreate_database  # noqa: E402

WEB_PORT, REDIS_PORT, SMTP_PORT = 8766, 6391, 8826
BASE = f"http://127.0.0.1:{WEB_PORT}"
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# -- the SMTP sink -------------------------------------------------------------------------------------------
class Sink:
    def __init__(self):
        self.messages: list[tuple[str, str]] = []  # (Message-ID, Subject) per accepted SMTP transaction
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        await asyncio.sleep(0.02)  # a real relay takes a moment: jobs are in flight when a worker is killed
        msg = message_from_bytes(envelope.content)
        with self.lock:
            self.messages.append((msg["Message-ID"], str(make_header(decode_header(msg["Subject"] or "")))))
        return "250 OK"


# -- processes -----------------------------------------------------------------------------------------------
class Supervisor:
    """Keeps named processes running; a process that exits is started again after a second."""

    def __init__(self, env):
        self.env, self.procs, self.specs, self.restarts = env, {}, {}, Counter()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def add(self, name, argv):
        self.specs[name] = argv
        self.procs[name] = self._start(name)

    def _start(self, name):
        with open(f"/tmp/load_faults_{name}.log", "ab") as err:
            return subprocess.Popen(self.specs[name], cwd=ROOT, env=self.env, start_new_session=True,
                                    stdout=subprocess.DEVNULL, stderr=err)

    def _loop(self):
        while not self.stopping.wait(1):
            for name, proc in list(self.procs.items()):
                if proc.poll() is not None and not self.stopping.is_set():
                    self.restarts[name] += 1
                    self.procs[name] = self._start(name)

    def kill(self, name):
        """SIGKILL the process and everything in its session (an RQ worker's work horse too)."""
        os.killpg(self.procs[name].pid, signal.SIGKILL)

    def stop(self):
        self.stopping.set()
        for proc in self.procs.values():
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for proc in self.procs.values():
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def start_redis():
    subprocess.run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", str(REDIS_PORT),
                    "--save", "", "--appendonly", "no", "--dir", "/tmp", "--logfile", "/tmp/load_faults_redis.log"],
                   check=True)
    for _ in range(50):
        if subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True).returncode == 0:
            return
        time.sleep(0.1)
    raise SystemExit("redis-server did not start")


def stop_redis():
    subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "shutdown", "nosave"], capture_output=True)


def wait_http(url, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if requests.get(url, timeout=1).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not answer")


# -- the run -------------------------------------------------------------------------------------------------
def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("database_url")
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--drain-seconds", type=int, default=600, help="longest wait for the outbox to drain")
    ap.add_argument("--stall-seconds", type=int, default=60, help="give up when no mail was sent for this long")
    args = ap.parse_args()

    from aiosmtpd.controller import Controller
    from flask.sessions import SecureCookieSessionInterface

    secret = "load-" + secrets.token_hex(16)
    log("recreating the database and seeding the configuration")
    recreate_database(args.database_url)
    env = dict(os.environ, DATABASE_URL=args.database_url, SECRET_KEY=secret, CASEFLOW_ENV="production",
               SESSION_COOKIE_SECURE="0", BASE_URL=BASE, REDIS_URL=REDIS_URL, RQ_QUEUE="caseflow-load",
               MAIL_SERVER="127.0.0.1", MAIL_PORT=str(SMTP_PORT), RATELIMIT_ENABLED="1",
               SUBMIT_RATE_LIMIT="1000000 per hour", OUTBOX_RETRY_AFTER_SECONDS="20",
               OUTBOX_RETRY_INTERVAL_SECONDS="5")
    subprocess.run([sys.executable, "-m", "flask", "--app", "caseflow", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    subprocess.run([sys.executable, "-c", "from caseflow import create_app\nfrom caseflow.services import seed\n"
                    "app = create_app()\nwith app.app_context(): seed.seed_configuration()"],
                   cwd=ROOT, env=env, check=True)

    sink = Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=SMTP_PORT)
    smtp.start()
    stop_redis()  # a leftover from an earlier run
    start_redis()
    sup = Supervisor(env)
    sup.add("web", [sys.executable, "-m", "gunicorn", "-w", "4", "-b", f"127.0.0.1:{WEB_PORT}", "--log-level",
                    "warning", "caseflow.wsgi:app"])
    sup.add("worker1", [sys.executable, "worker.py"])
    sup.add("worker2", [sys.executable, "worker.py"])
    sup.add("cron", [sys.executable, "worker.py", "--cron"])
    sup.thread.start()
    codes, errors, accepted = Counter(), Counter(), []
    faults = []
    try:
        wait_http(BASE + "/healthz")
        serializer = SecureCookieSessionInterface().get_signing_serializer(
            type("A", (), {"secret_key": secret, "config": {"SECRET_KEY_FALLBACKS": None}})())
        stop = time.time() + args.seconds
        lock = threading.Lock()

        def client(i):
            s = requests.Session()
            form = s.get(BASE + "/submit", timeout=10).text
            csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
            n = 0
            while time.time() < stop and n < 20000:
                n += 1
                data = {"csrf_token": csrf, "kind": "errand", "category_id": "3", "org_number": "556036-0793",
                        "company_name": "Last AB", "contact_name": "Last", "contact_email": f"c{i}@example.se",
                        "subject": f"load {i}-{n}", "description": "A submission under load."}
                try:
                    r = s.post(BASE + "/submit", data=data, allow_redirects=False, timeout=30)
                except requests.RequestException as exc:
                    with lock:
                        errors[type(exc).__name__] += 1
                    continue
                with lock:
                    codes[r.status_code] += 1
                if r.status_code == 302 and r.headers["Location"].endswith("/receipt"):
                    ref = serializer.loads(s.cookies["session"])["receipt"]["reference"]
                    with lock:
                        accepted.append((data["subject"], ref))

        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        for t in threads:
            t.start()
        log(f"{args.clients} clients submitting for {args.seconds} s")

        def at(frac):
            time.sleep(max(0.0, stop - args.seconds * (1 - frac) - time.time()))

        at(0.2)
        faults.append(kill_busy_worker(sup, ["worker1", "worker2"]))
        at(0.4)
        stop_redis()
        faults.append("Redis stopped")
        log("Redis stopped")
        time.sleep(10)
        start_redis()
        faults.append("Redis started again (empty: queued jobs lost)")
        log("Redis started again")
        at(0.75)
        faults.append(kill_busy_worker(sup, ["worker1", "worker2"]))
        for t in threads:
            t.join()
        log(f"submissions done: {len(accepted)} accepted; status codes {dict(codes)}; errors {dict(errors)}")

        engine = sa.create_engine(args.database_url.replace("postgresql://", "postgresql+psycopg://", 1))
        # Wait while the outbox drains: bounded in all, and a stall (no row sent for --stall-seconds) ends it.
        started = time.time()
        deadline, last_progress, last_pending = started + args.drain_seconds, started, None
        with engine.connect() as c:
            while time.time() < deadline and time.time() - last_progress < args.stall_seconds:
                pending = c.execute(sa.text("SELECT count(*) FROM outbox WHERE status <> 'sent'")).scalar()
                c.commit()
                if not pending:
                    break
                if last_pending is None or pending < last_pending:
                    last_progress, last_pending = time.time(), pending
                time.sleep(2)
            log(f"outbox drained in {time.time() - started:.0f} s: {pending} rows not sent after waiting")
            return verify(c, accepted, codes, errors, sink, faults, sup)
    finally:
        sup.stop()
        stop_redis()
        smtp.stop()


def kill_busy_worker(sup: Supervisor, names: list[str]) -> str:
    """Wait (bounded) until one of the workers has a job started, then SIGKILL it and its work horse."""
    from redis import Redis
    from rq import Worker

    redis = Redis.from_url(REDIS_URL)
    for _ in range(400):
        pids = {sup.procs[n].pid: n for n in names if sup.procs[n].poll() is None}
        try:
            busy = [w for w in Worker.all(connection=redis) if w.pid in pids and w.get_current_job_id()]
        except Exception:  # noqa: BLE001 - Redis may be down a moment
            busy = []
        if busy:
            name, job = pids[busy[0].pid], busy[0].get_current_job_id()
            sup.kill(name)
            log(f"SIGKILL {name} (pid {busy[0].pid}) while running job {job}")
            return f"SIGKILL {name} mid-job ({job})"
        time.sleep(0.025)
    log("no worker was seen with a job in flight: nothing killed")
    return "no worker seen mid-job: NOT killed"


def verify(c, accepted, codes, errors, sink, faults, sup) -> int:
    failures = []
    server_errors = {k: v for k, v in codes.items() if k >= 500}
    if server_errors:
        failures.append(f"5xx responses: {server_errors}")
    rows = c.execute(sa.text('SELECT reference, number, year, subject FROM "case"')).all()
    by_subject = Counter(r.subject for r in rows)
    ref_of = {r.subject: r.reference for r in rows}
    missing = [s for s, _ in accepted if by_subject[s] == 0]
    doubled = [s for s, n in by_subject.items() if n > 1]
    wrong_ref = [s for s, ref in accepted if by_subject[s] and ref_of[s] != ref]
    failures += [f"{len(x)} {what}" for x, what in ((missing, "accepted submissions missing"),
                                                     (doubled, "submissions stored twice"),
                                                     (wrong_ref, "receipts naming another reference")) if x]
    refs = [r.reference for r in rows]
    if len(set(refs)) != len(refs):
        failures.append("duplicate references")
    for year in {r.year for r in rows}:
        numbers = sorted(r.number for r in rows if r.year == year)
        if numbers != list(range(1, len(numbers) + 1)):
            failures.append(f"numbers of {year} are not 1..{len(numbers)}")
    receipts = c.execute(sa.text("SELECT o.id, o.status, c.reference FROM outbox o JOIN \"case\" c ON c.id = o.case_id"
                                 " WHERE o.payload->>'template' = 'receipt'")).all()
    unsent = [r for r in receipts if r.status != "sent"]
    if unsent:
        failures.append(f"{len(unsent)} receipts not sent")
    with sink.lock:
        delivered = list(sink.messages)
    per_id = Counter(mid for mid, _ in delivered)
    ids_per_ref = {}
    for mid, subject in delivered:
        m = re.search(r"CF-\d{4}-\d{5}", subject)
        if m and "outbox." in mid:
            ids_per_ref.setdefault(m.group(0), set()).add(mid)
    no_receipt = [r.reference for r in receipts if not any(
        f"<outbox.{r.id}." in mid for mid in ids_per_ref.get(r.reference, ()))]
    if no_receipt:
        failures.append(f"{len(no_receipt)} cases without a delivered receipt, e.g. {no_receipt[:3]}")
    resent = {mid: n for mid, n in per_id.items() if n > 1}
    print()
    print("faults:      " + "; ".join(faults))
    print(f"restarts:    {dict(sup.restarts)} (supervisor)")
    print(f"requests:    {sum(codes.values())} answered {dict(sorted(codes.items()))}, connection errors "
          f"{dict(errors) or 0}")
    print(f"accepted:    {len(accepted)}; cases stored: {len(rows)} (a case stored for a request whose answer "
          f"was lost would count here, not above)")
    print(f"references:  {len(set(refs))} distinct, numbers gap-free: {not any('numbers' in f for f in failures)}")
    print(f"mail:        {len(delivered)} SMTP deliveries, {len(per_id)} distinct Message-IDs, "
          f"{len(receipts) - len(no_receipt)}/{len(receipts)} receipts delivered, resent duplicates: {len(resent)}")
    if any("NOT killed" in f for f in faults):
        failures.append("a planned worker kill did not happen")
    if resent:
        subjects = {mid: subj for mid, subj in delivered}
        print(f"resent:      {len(resent)} messages reached the sink twice under the same Message-ID (a worker killed"
              f" after the SMTP server took the message, before the outbox row was committed):")
        for mid in resent:
            print(f"             {mid} {subjects[mid]}")
    print("RESULT:      " + ("OK: nothing lost; every case one reference, every mail one Message-ID; no 5xx"
                             if not failures else "FAILED: " + "; ".join(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
