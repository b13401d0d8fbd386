"""The WSGI entry point for production servers: ``gunicorn -w 4 'caseflow.wsgi:app'``.

The app is built from the environment, then everything start-up allocated (modules, the app, compiled templates
and SQL) is moved out of the cyclic garbage collector's sight with ``gc.freeze()``. Those objects live as long as
the process, yet every full collection walked all of them again: a month's report, which fetches tens of
thousands of rows, spent a third of its time in such collections (bench/README.md, fourth session).
"""
from __future__ import annotations

import gc

from . import create_app

app = create_app()
gc.freeze()
