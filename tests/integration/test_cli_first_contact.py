"""First contact with the command line: `caseflow --help` works with nothing configured and lists every command;
a setting missing for production is one clear line on stderr, never a traceback."""
import os
import subprocess
import sys
from pathlib import Path

CASEFLOW = str(Path(sys.executable).parent / "caseflow")
COMMANDS = ["demo", "seed-demo", "seed-config", "create-user", "create-token", "worker", "sweep", "retry-outbox",
            "build-report", "gallring", "db"]


def _run(args, tmp_path, **env):
    bare = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), **env}  # no SECRET_KEY, no database, no .env
    return subprocess.run(args, env=bare, cwd=tmp_path, capture_output=True, text=True, timeout=120)


def _listed(help_text: str) -> set[str]:
    section = help_text.split("Commands:", 1)[1]
    return {line.split()[0] for line in section.splitlines() if line.startswith("  ") and line.split()}


def test_help_with_an_empty_environment_lists_every_command(tmp_path):
    out = _run([CASEFLOW, "--help"], tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    assert set(COMMANDS) <= _listed(out.stdout)


def test_a_command_without_secret_key_in_production_says_so_in_one_line(tmp_path):
    out = _run([CASEFLOW, "sweep"], tmp_path, BASE_URL="https://foretag.example.se")
    assert out.returncode == 1
    assert out.stderr.splitlines() == [
        "caseflow: SECRET_KEY must be set (or CASEFLOW_ENV=development for local use)."]
    assert "Traceback" not in out.stdout


def test_a_command_without_base_url_in_production_says_so_in_one_line(tmp_path):
    out = _run([CASEFLOW, "db", "upgrade"], tmp_path, SECRET_KEY="k")
    assert out.returncode == 1
    assert len(out.stderr.splitlines()) == 1 and out.stderr.startswith("caseflow: BASE_URL must be set")


def test_the_wsgi_entry_without_secret_key_prints_one_line_and_stops_the_server(tmp_path):
    out = _run([sys.executable, "-c", "import caseflow.wsgi"], tmp_path, BASE_URL="https://foretag.example.se")
    assert out.returncode == 4  # gunicorn's "App failed to load": its master stops instead of respawning
    assert out.stderr.splitlines() == [
        "caseflow: SECRET_KEY must be set (or CASEFLOW_ENV=development for local use)."]
