"""Benchmark: due and warning instants for 100,000 SLA clocks (mixed units, a fifth of them paused).

    .venv/bin/python bench/bench_due_instants.py [N]

Reports CPU seconds (time.process_time) for computing every clock's state with domain.sla.clock_state.
"""
from __future__ import annotations

import random
import sys
import time
from datetime import UTC, datetime, timedelta

from caseflow.domain.calendar import BusinessCalendar
from caseflow.domain.sla import CALENDAR_WEEKS, WORKING_DAYS, WORKING_HOURS, ClockSpec, clock_state


def generate(n: int, seed: int = 2035):
    """Clocks received over three years: (spec, start, pauses), as the engine sees them."""
    rng = random.Random(seed)
    specs = [ClockSpec(WORKING_DAYS, 2), ClockSpec(WORKING_HOURS, 4), ClockSpec(WORKING_DAYS, 10),
             ClockSpec(WORKING_DAYS, 15), ClockSpec(CALENDAR_WEEKS, 10), ClockSpec(CALENDAR_WEEKS, 8)]
    weights = [40, 5, 20, 15, 10, 10]
    base = datetime(2024, 1, 1, tzinfo=UTC)
    out = []
    for _ in range(n):
        start = base + timedelta(seconds=rng.randrange(3 * 365 * 86400))
        pauses = []
        if rng.random() < 0.2:
            ps = start + timedelta(hours=rng.randrange(1, 72))
            pauses.append((ps, ps + timedelta(hours=rng.randrange(1, 200))))
        out.append((rng.choices(specs, weights)[0], start, pauses))
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    clocks = generate(n)
    cal = BusinessCalendar()
    cal.add_working_days(clocks[0][1], 1)  # load the holiday tables once, as a running process has them
    t0 = time.process_time()
    for spec, start, pauses in clocks:
        clock_state(cal, spec, start, pauses)
    cpu = time.process_time() - t0
    print(f"{n} clocks: {cpu:.3f} s CPU ({cpu / n * 1e6:.1f} µs per clock)")


if __name__ == "__main__":
    main()
