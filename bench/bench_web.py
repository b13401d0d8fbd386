"""Benchmark: the web app under gunicorn (2 workers) on loopback, against a large PostgreSQL database.

    .venv/bin/python bench/bench_web.py postgresql://postgres@127.0.0.1:5432/caseflow_bench

Starts gunicorn on 127.0.0.1:8765 (rate limits off), creates a bench officer, then with a bounded client:
(a) the officer's queue (first page, 100 rows, sorted by due instant) 200 times; (b) a case page 200 times;
(c) public submissions from 8 concurrent clients for 30 s, anonymous as on the public site (one session, its CSRF
token, no login). Loopback only; every loop is bounded in count and time.
BENCH_WORKERS=4 starts four gunicorn workers instead of two (the README's production command).
BENCH_THREADS=4 runs gunicorn's threaded worker (2 workers x 4 threads) instead of 2 sync workers.
BENCH_CLIENT=wrk sends (c) with wrk (a C client, Debian's package) instead of Python threads, and times (a) and (b)
once more with wrk (one connection, 10 s), so that the Python client's own time is not in the figure.
"""
from __future__ import annotations

import os
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench import machine  # noqa: E402

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"


def pct(xs, p):
    xs = sorted(xs)
    k = (len(xs) - 1) * p
    lo = int(k)
    return xs[lo] + (xs[min(lo + 1, len(xs) - 1)] - xs[lo]) * (k - lo)


def main() -> None:
    url = sys.argv[1]
    machine.report("before")
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench-" + secrets.token_hex(8), CASEFLOW_ENV="production",
               SESSION_COOKIE_SECURE="0", RATELIMIT_ENABLED="0", BASE_URL=BASE)
    env.pop("REDIS_URL", None)
    if os.environ.get("BENCH_REDIS_URL"):  # mail queued to RQ (no worker needed for the measurement)
        env["REDIS_URL"], env["RQ_QUEUE"] = os.environ["BENCH_REDIS_URL"], "caseflow-bench"
    email, password = f"bench-{secrets.token_hex(4)}@bench.invalid", secrets.token_urlsafe(12)
    subprocess.run([sys.executable, "-m", "flask", "--app", "caseflow", "create-user", "--email", email, "--name",
                    "Bench", "--role", "officer", "--office", "samhallsbyggnad", "--password", password],
                   env=env, check=True, capture_output=True)
    threads = os.environ.get("BENCH_THREADS", "1")  # >1: gunicorn's gthread worker, that many threads each
    workers = os.environ.get("BENCH_WORKERS", "2")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", workers, "--threads", threads, "-b",
                               f"127.0.0.1:{PORT}", "--log-level", "warning", "caseflow.wsgi:app"], env=env)
    try:
        for _ in range(50):
            try:
                if requests.get(BASE + "/healthz", timeout=1).ok:
                    break
            except requests.RequestException:  # not up yet (refused, or busy starting)
                time.sleep(0.3)
        s = requests.Session()
        page = s.get(BASE + "/staff/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
        assert s.post(BASE + "/staff/login", data={"csrf_token": token, "email": email, "password": password},
                      allow_redirects=False).status_code == 302

        def timed(path, n=200):
            out = []
            for _ in range(n):
                t0 = time.perf_counter()
                r = s.get(BASE + path)
                out.append((time.perf_counter() - t0) * 1000)
                assert r.status_code == 200, (path, r.status_code)
            return out, r.text

        queue, html = timed("/staff/")
        rows = len(re.findall(r'<tr [^>]*class="row-', html))
        case_id = re.search(r'href="/staff/cases/(\d+)"', html).group(1)
        case, _ = timed(f"/staff/cases/{case_id}")
        print(f"queue (first page, {rows} rows): p50 {statistics.median(queue):.1f} ms, p90 {pct(queue, .9):.1f} ms")
        print(f"case page: p50 {statistics.median(case):.1f} ms, p90 {pct(case, .9):.1f} ms")
        if os.environ.get("BENCH_CLIENT") == "wrk":  # the same pages timed by wrk: no Python client in the figure
            staff_cookie = s.cookies.get_dict()
            for label, path in (("queue", "/staff/"), ("case page", f"/staff/cases/{case_id}")):
                p50, p90, total, bad = wrk_latency(path, staff_cookie)
                print(f"{label} (wrk, 1 connection, 10 s): p50 {p50:.1f} ms, p90 {p90:.1f} ms, {total} requests, "
                      f"non-2xx/3xx {bad}")

        anonymous = requests.Session()  # an entrepreneur on the public site: no account, a session of its own
        form = anonymous.get(BASE + "/submit").text
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
        data = {"csrf_token": csrf, "kind": "errand", "category_id": "3", "org_number": "556036-0793",
                "company_name": "Bench AB", "contact_name": "Bench", "contact_email": "bench@example.se",
                "subject": "Bench", "description": "Bench"}
        cookies = anonymous.cookies.get_dict()
        if os.environ.get("BENCH_CLIENT") == "wrk":  # a C client: the Python one takes a fifth of the two cores
            wrk_submissions(data, cookies)
            return
        counts, codes, stop = [0] * 8, {}, time.time() + 30

        def client(i):
            c = requests.Session()
            c.cookies.update(cookies)
            while time.time() < stop and counts[i] < 20000:
                r = c.post(BASE + "/submit", data=data, allow_redirects=False)
                codes[r.status_code] = codes.get(r.status_code, 0) + 1
                counts[i] += 1

        threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
        t0 = time.time()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        took = time.time() - t0
        print(f"submissions: {sum(counts)} in {took:.1f} s = {sum(counts) / took:.0f}/s, status codes {codes}")
    finally:
        server.terminate()
        server.wait(10)
        machine.report("after")


def _wrk(args: list[str], script: str, path: str) -> str:
    import shutil
    import tempfile

    if not shutil.which("wrk"):
        sys.exit("BENCH_CLIENT=wrk needs wrk (apt-get install -y wrk)")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    try:
        return subprocess.run(["wrk", *args, "-s", f.name, BASE + path], capture_output=True, text=True,
                              check=True).stdout
    finally:
        os.unlink(f.name)


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk_latency(path: str, cookies: dict) -> tuple[float, float, int, int]:
    """(p50 ms, p90 ms, requests, non-2xx/3xx) of GET ``path`` sent one after another by wrk for 10 s."""
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    out = _wrk(["-t", "1", "-c", "1", "-d", "10s", "--latency"], f'wrk.headers["Cookie"] = "{cookie}"\n', path)
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p90 = _ms(re.search(r"\s90%\s+(\S+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return p50, p90, int(re.search(r"(\d+) requests in", out).group(1)), int(bad.group(1)) if bad else 0


def wrk_submissions(data: dict, cookies: dict) -> None:
    """(c) with wrk (Debian's package): 8 connections on 2 threads for 30 s, the same form and session cookie."""
    from urllib.parse import urlencode

    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    script = (f'wrk.method = "POST"\nwrk.body = "{urlencode(data)}"\n'
              'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
              f'wrk.headers["Cookie"] = "{cookie}"\n')
    out = _wrk(["-t", "2", "-c", "8", "-d", "30s"], script, "/submit")
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    total = re.search(r"(\d+) requests in", out).group(1)
    print(f"submissions (wrk, 8 connections): {total} in 30 s = {float(rate):.0f}/s, "
          f"non-2xx/3xx {bad.group(1) if bad else 0}")


if __name__ == "__main__":
    main()
