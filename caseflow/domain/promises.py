"""What the company is promised about its case, and what happens next. Pure: the case's clocks in, codes and
instants out; the words are the web layer's (``caseflow/web/promises.py``).

Every date a company is shown is a due instant its case's clock holds (computed by ``domain.sla`` and stored on
the clock): this module only chooses which clocks to speak of and how. Nothing here counts time.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from . import workflow

# Clock names (as services.sla names them).
FIRST_RESPONSE, ACKNOWLEDGEMENT, RESOLUTION, PBL, FL12 = (
    "first_response", "acknowledgement", "resolution", "pbl", "fl12")

# What a promise is about.
RESPOND = "respond"  # the first answer from an officer
ACKNOWLEDGE = "acknowledge"  # a complaint acknowledged
ANSWER_COMPLAINT, ANSWER_QUESTION, ANSWER_FEEDBACK = "answer_complaint", "answer_question", "answer_feedback"
DECIDE = "decide"  # the decision a category promises (markupplåtelse, livsmedel, servering …)
STATUTORY = "statutory"  # the statutory PBL deadline (plan- och bygglagen 9 kap. 27 §)
DECIDE_AFTER_REQUEST = "decide_after_request"  # FL 12 §
_ANSWER_BY_KIND = {"complaint": ANSWER_COMPLAINT, "question": ANSWER_QUESTION, "feedback": ANSWER_FEEDBACK}

# The state of a promise.
DUE = "due"  # running, with a due instant in the future (or not yet breached)
LATE = "late"  # running past its breach instant
PAUSED = "paused"  # stands still while the case waits on the company
AWAITING_COMPLETION = "awaiting_completion"  # statutory: starts when the completion arrives

# What happens next.
RECEIVED, WITH_US, REPLIED, WITH_YOU, DECIDED, CLOSED = (
    "received", "with_us", "replied", "with_you", "decided", "closed")
MOMENTS = (RECEIVED, REPLIED)


@dataclass(frozen=True)
class ClockFact:
    """What this module needs of one clock on a case (services.sla's SlaClock, read)."""

    name: str
    unit: str
    target: int
    due: datetime | None
    breach: datetime | None
    stopped: bool
    paused: bool
    started: bool = True
    extension_weeks: int = 0
    pausable: bool = False


@dataclass(frozen=True)
class Promise:
    """One promise to the company: what, by when (None while paused or before a statutory clock starts), its state,
    and the clock's period (unit and target, the extension of a statutory one) for saying what starts it."""

    what: str
    state: str
    due: datetime | None
    unit: str
    target: int
    extension_weeks: int = 0


@dataclass(frozen=True)
class PolicyFact:
    """A configured service promise (an active ``sla_policy`` row), read."""

    clock: str
    kind: str | None
    category_id: int | None
    priority: str | None
    unit: str
    target: int


def _state(clock: ClockFact, now: datetime) -> str:
    if clock.paused:
        return PAUSED
    if not clock.started:
        return AWAITING_COMPLETION
    if clock.breach is not None and now > clock.breach:  # breached only past the breach instant (domain.sla)
        return LATE
    return DUE


def case_promises(kind: str, clocks: Iterable[ClockFact], now: datetime) -> list[Promise]:
    """The promises still open on a case, in the order a company reads them: the first answer (for a complaint its
    acknowledgement), then the answer or decision, the statutory deadline, the FL 12 § deadline.

    A stopped clock is a kept (or broken) promise and no longer a promise. The first-response and acknowledgement
    clocks stop at the same message, so a complaint is promised the earlier of the two (its acknowledgement when
    both run)."""
    running = [c for c in clocks if not c.stopped]
    out: list[Promise] = []
    responses = [c for c in running if c.name in (FIRST_RESPONSE, ACKNOWLEDGEMENT) and c.due is not None]
    if responses:
        first = min(responses, key=lambda c: (c.due, c.name != ACKNOWLEDGEMENT))
        out.append(Promise(ACKNOWLEDGE if kind == "complaint" else RESPOND, _state(first, now), first.due,
                           first.unit, first.target))
    for name, what in ((RESOLUTION, _ANSWER_BY_KIND.get(kind, DECIDE)), (PBL, STATUTORY),
                       (FL12, DECIDE_AFTER_REQUEST)):
        for c in running:
            if c.name == name:
                out.append(Promise(what, _state(c, now), c.due, c.unit, c.target, c.extension_weeks or 0))
    return out


def waiting_pauses(clocks: Iterable[ClockFact]) -> bool:
    """Whether a wait on the company stops a promise's clock: a running clock that pauses (a statutory PBL clock
    does not; it may start again at the completion, which its own promise says)."""
    return any(c.pausable and not c.stopped for c in clocks)


def next_step(status: str, moment: str | None = None) -> str:
    """What happens next, by the case's status: with the municipality (``received`` right after filing,
    ``replied`` right after an answer), with the company (a completion is asked for), decided, closed."""
    if status == workflow.CLOSED:
        return CLOSED
    if status == workflow.DECIDED:
        return DECIDED
    if status == workflow.AWAITING_CUSTOMER:
        return WITH_YOU
    if moment in MOMENTS:
        return moment
    return WITH_US


def general_promise(policies: Sequence[PolicyFact]) -> PolicyFact | None:
    """The promise every ordinary case gets: the first-response policy that sets no kind, category or priority."""
    return next((p for p in policies if p.clock == FIRST_RESPONSE and p.kind is None and p.category_id is None
                 and p.priority is None), None)


def published_promises(policies: Sequence[PolicyFact]) -> list[PolicyFact]:
    """The promises a company can read before it files: those no priority conditions (the company does not set
    the priority), the general first answer first, then by kind, then by category; clocks in a fixed order."""
    order = {FIRST_RESPONSE: 0, ACKNOWLEDGEMENT: 1, RESOLUTION: 2}
    kinds = {k: i for i, k in enumerate(workflow.KINDS)}
    shown = [p for p in policies if p.priority is None and p.clock in order]
    return sorted(shown, key=lambda p: (p.category_id is not None, p.kind is not None, kinds.get(p.kind, 99),
                                        p.category_id or 0, order[p.clock]))
