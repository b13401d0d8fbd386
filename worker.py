"""RQ worker for a checkout: ``python worker.py [--burst] [--cron]`` is ``caseflow worker [--burst] [--cron]``.

The worker lives in the package (caseflow/worker.py), so an installed wheel runs it as ``caseflow worker``.
"""
from caseflow.worker import main

if __name__ == "__main__":
    main()
