"""`caseflow demo` on another port: the links in its mails point to that port (not 5000), and the console shows
one line per mail sent, naming the page where it can be read."""
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from caseflow.cli import demo_base_url

CASEFLOW = str(Path(sys.executable).parent / "caseflow")


def test_the_demo_address_is_where_a_browser_reaches_it():
    assert demo_base_url("127.0.0.1", 5123) == "http://127.0.0.1:5123"
    assert demo_base_url("0.0.0.0", 8080) == "http://127.0.0.1:8080"  # noqa: S104 - every interface: loopback
    assert demo_base_url("::1", 5001) == "http://[::1]:5001"


def test_the_demos_mails_link_to_its_own_port_and_each_is_one_console_line(tmp_path):
    db_file = tmp_path / "demo.sqlite3"
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "DATABASE_URL": f"sqlite:///{db_file}"}
    out = subprocess.run([CASEFLOW, "demo", "--no-serve", "--port", "5987"], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    with sqlite3.connect(db_file) as conn:
        texts = [row[0] for row in conn.execute(
            "SELECT json_extract(result, '$.text') FROM outbox WHERE topic = 'mail' AND status = 'sent' "
            "AND json_extract(result, '$.via') = 'logged'")]
    assert len(texts) > 50
    links = [t for t in texts if "http://" in t]
    assert links and all("http://127.0.0.1:5987/" in t for t in links)
    assert not any(":5000/" in t for t in texts)
    console = (out.stdout + out.stderr).splitlines()
    lines = [line for line in console if "mail (no SMTP configured)" in line]
    assert len(lines) == len(texts)  # one line per mail
    assert all(line.endswith("-> http://127.0.0.1:5987/dev/mail") for line in lines)
    assert any("/survey/" in t for t in texts)  # a closed case's survey link is among them
