"""The WSGI entry point for production servers: ``gunicorn -w 4 'caseflow.wsgi:app'``.

The app is built from the environment, then everything start-up allocated (modules, the app, compiled templates
and SQL) is moved out of the cyclic garbage collector's sight with ``gc.freeze()``. Those objects live as long as
the process, yet every full collection walked all of them again: a month's report, which fetches tens of
thousands of rows, spent a third of its time in such collections (bench/README.md, fourth session).
"""
from __future__ import annotations

import gc
import sys

from . import create_app
from .config import ConfigError

APP_LOAD_ERROR = 4  # gunicorn's "App failed to load": its master stops, rather than restart workers forever

try:
    app = create_app()
except ConfigError as exc:  # a setting missing for production: one line for the operator, not a traceback
    print(f"caseflow: {exc}", file=sys.stderr)
    raise SystemExit(APP_LOAD_ERROR) from None
gc.freeze()
