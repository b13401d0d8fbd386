"""The production entry point (``gunicorn 'caseflow.wsgi:app'``) builds the app from the environment and freezes
its start-up objects out of the cyclic collector's sight."""
import os
import subprocess
import sys


def test_the_wsgi_module_serves_the_app_with_its_start_up_objects_frozen(tmp_path):
    env = dict(os.environ, SECRET_KEY="wsgi-test", DATABASE_URL=f"sqlite:///{tmp_path / 'wsgi.db'}",
               CASEFLOW_ENV="production", SESSION_COOKIE_SECURE="0", BASE_URL="http://localhost")
    env.pop("REDIS_URL", None)
    code = ("import gc\nfrom caseflow.wsgi import app\n"
            "print(app.test_client().get('/healthz').status_code, gc.get_freeze_count())")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=True)
    status, frozen = out.stdout.split()[-2:]
    assert status == "200"
    assert int(frozen) > 10_000  # the modules, the app and its compiled templates and statements
