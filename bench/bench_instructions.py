"""Benchmark: instructions per request (valgrind's callgrind), a figure that does not move with the machine.

    .venv/bin/python bench/bench_instructions.py postgresql://postgres@127.0.0.1:5432/caseflow_bench [queue case submit]

The project's machines are shared VMs whose speed changes by half within an hour, so timings from different hours
cannot be compared. The number of instructions the app's process executes for a request can: callgrind counts
them the same whatever else the machine is doing. For each page, the app (Flask's test client, in one process,
PYTHONHASHSEED=0) serves the request 5 times, then, in a second run, 45 times; the difference over 40 is the cost
of one request, without the start-up. It counts the app's own process only: not PostgreSQL's or Redis's work, not
gunicorn's HTTP parsing. About a minute and a half per page (valgrind runs Python ~50 times slower).

A/B: run it with PYTHONPATH pointing at another checkout (a git worktree) and compare.
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys

RUNS = (5, 45)


def client(kind: str, count: int) -> None:
    """Inside valgrind: serve ``kind`` ``count`` times after logging in (or fetching the form)."""
    try:  # the production entry point (start-up objects frozen out of the garbage collector's sight)
        from caseflow.wsgi import app
    except ImportError:  # a checkout from before caseflow/wsgi.py, for A/B runs
        from caseflow import create_app

        app = create_app()
    c, base = app.test_client(), "https://localhost"
    token = r'name="csrf_token" type="hidden" value="([^"]+)"'
    if kind == "submit":
        csrf = re.search(token, c.get("/submit", base_url=base).get_data(as_text=True)).group(1)
        data = {"csrf_token": csrf, "kind": "errand", "category_id": "3", "org_number": "556036-0793",
                "company_name": "Bench AB", "contact_name": "Bench", "contact_email": "bench@example.se",
                "subject": "Bench", "description": "Bench"}
        for _ in range(count):
            assert c.post("/submit", data=data, base_url=base).status_code == 302
        return
    csrf = re.search(token, c.get("/staff/login", base_url=base).get_data(as_text=True)).group(1)
    login = {"csrf_token": csrf, "email": os.environ["BENCH_EMAIL"], "password": os.environ["BENCH_PASSWORD"]}
    assert c.post("/staff/login", data=login, base_url=base).status_code == 302
    path = "/staff/"
    if kind == "case":  # the first case of the queue, as bench_web.py does
        html = c.get(path, base_url=base).get_data(as_text=True)
        path = "/staff/cases/" + re.search(r'href="/staff/cases/(\d+)"', html).group(1)
    for _ in range(count):
        assert c.get(path, base_url=base).status_code == 200


def instructions(env: dict, kind: str, count: int) -> int:
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
                          os.path.abspath(__file__), "--client", kind, str(count)],
                         env=env, capture_output=True, text=True, check=True).stderr
    return int(re.search(r"Collected : (\d+)", out).group(1))


def main() -> None:
    if not shutil.which("valgrind"):
        sys.exit("needs valgrind (apt-get install -y valgrind)")
    url, kinds = sys.argv[1], sys.argv[2:] or ["queue", "case", "submit"]
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench-" + secrets.token_hex(8), CASEFLOW_ENV="production",
               RATELIMIT_ENABLED="0", PYTHONHASHSEED="0", BASE_URL="https://localhost",
               BENCH_EMAIL=f"bench-{secrets.token_hex(4)}@bench.invalid",
               BENCH_PASSWORD=secrets.token_urlsafe(12))
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")  # submissions queue their mail as in production
    env.setdefault("RQ_QUEUE", "caseflow-bench-instructions")
    subprocess.run([sys.executable, "-m", "flask", "--app", "caseflow", "create-user", "--email", env["BENCH_EMAIL"],
                    "--name", "Bench", "--role", "officer", "--office", "samhallsbyggnad", "--password",
                    env["BENCH_PASSWORD"]], env=env, check=True, capture_output=True)
    for kind in kinds:
        few, many = (instructions(env, kind, n) for n in RUNS)
        print(f"{kind}: {(many - few) / (RUNS[1] - RUNS[0]) / 1e6:.2f} M instructions per request "
              f"({few:,} for {RUNS[0]}, {many:,} for {RUNS[1]})", flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--client"]:
        client(sys.argv[2], int(sys.argv[3]))
    else:
        main()
