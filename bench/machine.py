"""How fast this machine is at the moment, for reading the benchmarks' figures.

The project's machines are shared virtual machines: the same code on the same data has measured up to twice
as slow an hour later. Each benchmark prints this reference before and after its run; compare figures only
between runs with a similar reference (or scale by it).
"""
from __future__ import annotations

import time


def reference_seconds() -> float:
    """CPU seconds of a fixed pure-Python loop (ten million additions): about 0.5-0.65 s on a quiet machine
    of the project's kind, 1.2 s on a busy one."""
    t0 = time.process_time()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.process_time() - t0


def report(when: str) -> None:
    print(f"machine reference ({when}): {reference_seconds():.2f} s for the fixed Python loop "
          "(bench/machine.py; lower is faster)", flush=True)
