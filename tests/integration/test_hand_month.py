"""A hand-computed month: October 2026 at two offices, every figure of the monthly report typed in by hand.

44 cases, built only through the services (intake, casework, the company's answer on the tracking page, the
survey, the SLA sweep), each step with its own injected instant and played in time order, so the database is at
every step what it would have been that day. A = Samhällsbyggnadskontoret, B = Miljö- och hälsoskydd.

The calendar (Europe/Stockholm; working hours Mon-Fri 08:00-17:00 = 9 h a day; no public holiday on a weekday
between August and October 2026; Sat 31 Oct is Alla helgons dag):
  September: Mon 21, Wed 23, Mon 28, Tue 29, Wed 30.   October: Thu 1, Fri 2, Mon 5 .. Fri 9, Mon 12 .. Fri 16,
  Mon 19 .. Fri 23, Sun 25 (summer time ends: 03:00 CEST -> 02:00 CET), Mon 26 .. Fri 30, Sat 31.
  UTC offsets: +02 until Sun 25 Oct 03:00, +01 after. October is [Wed 30 Sep 22:00 UTC, Sat 31 Oct 23:00 UTC).
Clocks by docs/domain.md's defaults: first response 2 working days (4 working hours when urgent), complaint
acknowledgement 2 working days, answered: question 5, complaint 10, feedback 10 working days, markupplåtelse
decision 15 working days, livsmedel decision 2 calendar weeks; bygglov 10 and anmälan 4 statutory weeks (PBL);
FL 12 § 4 weeks once requested. "N working days from t" ends at 17:00 on the N-th working day after t's date.

Every expected figure below comes from docs/domain.md ("Exact definitions", "Report definitions"), never from what
the code gives; the hours per case are in the case table (working hours, "Oct 5 9-17: 8" = 8 hours that day).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import Case, CaseEvent, MonthlyReport, Survey
from caseflow.services import casework, public, reports, sla, surveys
from tests.conftest import login

Z = ZoneInfo("Europe/Stockholm")
OCTOBER = date(2026, 10, 1)
OFFICE_CODES = {"A": "samhallsbyggnad", "B": "miljo"}


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A local (Stockholm) wall-clock instant of 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=Z)


# -- the survey answers ----------------------------------------------------------------------------------------
# (overall, expectations, ideal; information, tillgänglighet, bemötande, kompetens, rättssäkerhet, effektivitet)
# on the scale 1..6; None is "vet ej / ej aktuellt" for a service factor.
SURVEY_KEYS = ("q_overall", "q_expectations", "q_ideal", "f_information", "f_tillganglighet", "f_bemotande",
               "f_kompetens", "f_rattssakerhet", "f_effektivitet")
VET_EJ = None


@dataclass(frozen=True)
class Story:
    """One case: where it is filed, when it arrives, and what happens to it (instant, action, *arguments)."""

    category: str
    kind: str
    received: datetime
    steps: tuple = ()
    priority: str = "normal"
    ground: str | None = None


# The office that first gets a case follows its category: markupplatelse/bygglov/anmalan -> A, livsmedel/
# miljotillsyn -> B. "FR" = first response (hours from receipt), "res" = resolution time (hours), "wait" = time
# waiting on the company (awaiting_customer), subtracted from the resolution time. Clocks: in / LATE at their stop.
STORIES = {
    # -- office A (Samhällsbyggnadskontoret) ------------------------------------------------------------------
    # Received Wed 30 Sep 23:30 local (September). FR Oct 1: 1 h (Oct 1 8-9), due Fri 2 Oct 17:00: in.
    # res Oct 2: Oct 1 9 + Oct 2 8-10 2 = 11 h; answered clock (5 wd) due Wed 7 Oct 17:00: in.
    "A01": Story("markupplatelse", "question", at(9, 30, 23, 30), (
        (at(10, 1, 9), "reply"), (at(10, 2, 10), "close", "answered"),
        (at(10, 5, 12), "survey", (5, 4, 4, 5, 4, 6, 5, 3, 2)))),
    # Received Thu 1 Oct 00:30 local = Wed 30 Sep 22:30 UTC: October's. FR 2 h (Oct 1 8-10), due Mon 5 Oct: in.
    # Decided Thu 8 Oct 12:00: res Oct 1 9 + Oct 2 9 + Oct 5-7 27 + Oct 8 8-12 4 = 49 h; 15 wd due Thu 22 Oct: in.
    "A02": Story("markupplatelse", "errand", at(10, 1, 0, 30), (
        (at(10, 1, 10), "reply"), (at(10, 8, 12), "decide", "granted"), (at(10, 8, 13), "close", "granted"),
        (at(10, 9, 12), "survey", (5, 4, 5, 5, 4, 6, 5, 3, 2)))),
    # Received Sat 31 Oct 23:30 local = 22:30 UTC: October's, backlog aged 30 minutes (0.02 days).
    "A03": Story("markupplatelse", "errand", at(10, 31, 23, 30)),
    # Received Sun 1 Nov 00:30 local = Sat 31 Oct 23:30 UTC: November's, in no October figure.
    "A04": Story("markupplatelse", "errand", at(11, 1, 0, 30)),
    # September's case closed Thu 1 Oct 00:15 local (= Wed 30 Sep 22:15 UTC): closed in October.
    # res Mon 28 Sep 10-17 7 + Sep 29 9 + Sep 30 9 = 25 h; 5 wd due Mon 5 Oct 17:00: in. (FR in September.)
    "A05": Story("markupplatelse", "question", at(9, 28, 10), (
        (at(9, 28, 11), "reply"), (at(10, 1, 0, 15), "close", "answered"))),
    # FR 1 h (Mon 26 Oct 12-13): in. Closed Sun 1 Nov 00:15 local = Sat 31 Oct 23:15 UTC: November's closure,
    # so October's backlog, aged Mon 26 Oct 12:00 -> Sun 1 Nov 00:00 = 5.5 days (all in winter time).
    "A06": Story("markupplatelse", "feedback", at(10, 26, 12), (
        (at(10, 26, 13), "reply"), (at(11, 1, 0, 15), "close", "answered"))),
    # Closed without a decision, reopened, closed again late. FR 2 h: in. Answered clock 5 wd due Mon 12 Oct
    # 17:00; the first closure (Thu 8 Oct) would be in time, but the reopening sets the clock running as if it
    # never stopped, and its verdict is taken at the last closure, Mon 19 Oct 10:00: LATE (a breach there).
    # res = receipt -> last closure: Oct 5 9-17 8 + Oct 6-9 36 + Oct 12-16 45 + Oct 19 8-10 2 = 91 h.
    # Closed once in the month's count, reopened once; its survey went out at the first closure.
    "A07": Story("markupplatelse", "question", at(10, 5, 9), (
        (at(10, 5, 11), "reply"), (at(10, 8, 10), "close", "answered"),
        (at(10, 9, 13), "survey", (5, 4, 5, 5, 4, 6, 5, 3, 2)),
        (at(10, 15, 9), "reopen"), (at(10, 19, 10), "close", "answered"))),
    # Closed Fri 9 Oct, reopened Wed 21 Oct, open at the month's end: closed and reopened in October, backlog,
    # no resolution time, and its answered clock is running again (not a clock that stopped in October).
    # FR 1 h: in. Backlog age from Tue 6 Oct 09:00: about 25.6 days.
    "A08": Story("markupplatelse", "question", at(10, 6, 9), (
        (at(10, 6, 10), "reply"), (at(10, 9, 15), "close", "answered"), (at(10, 21, 10), "reopen"))),
    # Urgent: 4 working hours from Tue 13 Oct 13:00 = 17:00 the same day. The sweep runs at 17:20; the answer
    # comes at 17:40: 4 h of working time, share exactly 1, in time, and no breach event (the breach instant
    # would have been Wed 14 Oct 08:00). res Tue 13-17 4 + Wed 14 8-10 2 = 6 h; 15 wd clock: in.
    "A09": Story("markupplatelse", "errand", at(10, 13, 13), (
        (at(10, 13, 17, 40), "reply"), (at(10, 14, 10), "close", "answered")), priority="high"),
    # Urgent across the end of summer time: Fri 23 Oct 15-17 2 h + Mon 26 Oct 8-10 2 h = due Mon 26 Oct 10:00
    # CET; answered at 10:00: FR 4 h, in. Decided Tue 27 Oct 12:00: res 2 + 9 + 4 = 15 h; 15 wd clock: in.
    "A10": Story("markupplatelse", "errand", at(10, 23, 15), (
        (at(10, 26, 10), "reply"), (at(10, 27, 12), "decide", "granted"), (at(10, 27, 13), "close", "granted")),
        priority="high"),
    # A wait on the company that begins after the answered clock's due. FR = the completion request Fri 9 Oct
    # 10:00: Oct 1 10-17 7 + Oct 2 9 + Oct 5-8 36 + Oct 9 8-10 2 = 54 h, due Mon 5 Oct 17:00: LATE (breach at the
    # stop). Answered clock (5 wd) due Thu 8 Oct 17:00: the wait does not move it; still running at the sweep of
    # Tue 13 Oct 17:20, which records its breach; LATE at the closure. Wait Fri 9 Oct 10-17 7 + Mon 12 8-10 2 = 9 h.
    # res to Mon 19 Oct 12:00: 7 + 9 + 45 + 45 + 4 = 110 h - 9 h = 101 h.
    "A11": Story("markupplatelse", "question", at(10, 1, 10), (
        (at(10, 9, 10), "request"), (at(10, 12, 10), "company"), (at(10, 19, 12), "close", "answered"))),
    # PBL bygglov with a completion requested within three weeks (Wed 7 Oct): the statutory clock starts when
    # the completion arrives (Mon 12 Oct 09:00, due Mon 21 Dec) and never pauses; decided Mon 12 Oct 15:00: in.
    # FR = the request: Oct 5 9-17 8 + Oct 6 9 + Oct 7 8-9 1 = 18 h, due Wed 7 Oct 17:00: in.
    # res: Oct 5 8 + Oct 6-9 36 + Oct 12 8-15 7 = 51 h, minus the wait Oct 7 9-17 8 + Oct 8 9 + Oct 9 9 +
    # Oct 12 8-9 1 = 27 h -> 24 h.
    "A12": Story("bygglov", "errand", at(10, 5, 9), (
        (at(10, 7, 9), "request"), (at(10, 12, 9), "company"), (at(10, 12, 15), "decide", "granted"),
        (at(10, 12, 16), "close", "granted"), (at(10, 13, 12), "survey", (5, 5, 5, 5, 4, 6, 5, 4, 2)))),
    # PBL anmälan, 4 weeks from Mon 7 Sep = Mon 5 Oct 23:59:59; extended once by 4 weeks (Thu 1 Oct) to
    # Mon 2 Nov 23:59:59; decided Thu 29 Oct: in. res Sep 7 10-17 7 + Sep 8-11 36 + 6 full weeks (Sep 14 - Oct 23)
    # 270 + Oct 26-28 27 + Oct 29 8-10 2 = 342 h.
    "A13": Story("anmalan", "errand", at(9, 7, 10), (
        (at(9, 8, 10), "reply"), (at(10, 1, 10), "extend", 4), (at(10, 29, 10), "decide", "granted"),
        (at(10, 29, 11), "close", "granted"))),
    # PBL bygglov, 10 weeks from Fri 14 Aug = Fri 23 Oct 23:59:59 CEST; decided Fri 30 Oct 23:30 CET: LATE (a
    # breach at the stop), 6 d 23 h 30 min 1 s late on the wall clock = 1 started week: fee reduced by 1/5 (one
    # fee-reduction event). res Aug 14 10-17 7 + 11 full weeks (Aug 17 - Oct 30) 495 = 502 h.
    # Decided but never closed: backlog (aged about 78.6 days).
    "A14": Story("bygglov", "errand", at(8, 14, 10), (
        (at(8, 14, 11), "reply"), (at(10, 30, 23, 30), "decide", "granted"))),
    # Received at A, sent on to B an hour later: received and routing miss at A. At B: FR Tue 13 Oct 09:00:
    # Oct 12 9-17 8 + Oct 13 8-9 1 = 9 h, in; closed Wed 14 Oct 10:00: res 8 + 9 + 2 = 19 h, 5 wd clock: in.
    "A15": Story("markupplatelse", "question", at(10, 12, 9), (
        (at(10, 12, 10), "reroute", "B"), (at(10, 13, 9), "reply"), (at(10, 14, 10), "close", "answered"))),
    # A complaint ("Det tog för lång tid": effektivitet) received at A Thu 29 Oct 12:00, sent on to B at 13:00,
    # nothing more: A's complaint and routing miss, B's backlog at the month's end (aged 2.5 days).
    "A16": Story("markupplatelse", "complaint", at(10, 29, 12), (
        (at(10, 29, 13), "reroute", "B"),), ground="too_slow"),
    # Complaint (bemötande): FR and acknowledgement 2 h (Mon 5 Oct 13-15), in. Decided Fri 16 Oct 10:00:
    # res Oct 5 13-17 4 + Oct 6-9 36 + Oct 12-15 36 + Oct 16 8-10 2 = 78 h; 10 wd due Mon 19 Oct 17:00: in.
    "A17": Story("markupplatelse", "complaint", at(10, 5, 13), (
        (at(10, 5, 15), "reply"), (at(10, 16, 10), "decide", "answered"), (at(10, 16, 11), "close", "answered"),
        (at(10, 19, 12), "survey", (5, 5, 5, 5, 4, 6, 5, 4, 2))), ground="bemotande"),
    # Complaint (bemötande) whose first message is a delay notice (FL 11 §) Wed 28 Oct 10:00: FR and
    # acknowledgement Oct 27 9-17 8 + Oct 28 8-10 2 = 10 h, due Thu 29 Oct 17:00: in. Open: backlog (4.625 days).
    "A18": Story("markupplatelse", "complaint", at(10, 27, 9), (
        (at(10, 28, 10), "delay"),), ground="bemotande"),
    # FR 3 h: in. Decided Wed 14 Oct 09:00: res Oct 7 9-17 8 + Oct 8-13 36 + Oct 14 8-9 1 = 45 h; 15 wd: in.
    "A19": Story("markupplatelse", "errand", at(10, 7, 9), (
        (at(10, 7, 12), "reply"), (at(10, 14, 9), "decide", "granted"), (at(10, 14, 10), "close", "granted"),
        (at(10, 15, 12), "survey", (5, 5, 5, 5, 4, 6, VET_EJ, 4, 2)))),
    # Closed with a comment to the company, its first public message: FR = res = Oct 19 9-17 8 + Oct 20 8-9 1
    # = 9 h; both clocks in.
    "A20": Story("markupplatelse", "question", at(10, 19, 9), (
        (at(10, 20, 9), "close", "answered", "Svar: ja, det går bra."),)),
    # FR 1 h: in. res Oct 22 9-17 8 + Oct 23 8-12 4 = 12 h; 10 wd: in.
    "A21": Story("markupplatelse", "feedback", at(10, 22, 9), (
        (at(10, 22, 10), "reply"), (at(10, 23, 12), "close", "answered"))),
    # An internal note at 15:00 is no response: FR Tue 13 Oct 13:00 = Oct 12 13-17 4 + Oct 13 8-13 5 = 9 h, in.
    # res to Thu 15 Oct 16:00: 4 + 9 + 9 + 8 = 30 h; 15 wd: in.
    "A22": Story("markupplatelse", "errand", at(10, 12, 13), (
        (at(10, 12, 15), "note"), (at(10, 13, 13), "reply"), (at(10, 15, 16), "close", "answered"))),
    # September's case closed Fri 2 Oct 09:00: res Sep 30 10-17 7 + Oct 1 9 + Oct 2 8-9 1 = 17 h; 5 wd due
    # Wed 7 Oct: in. (FR in September.)
    "A23": Story("markupplatelse", "question", at(9, 30, 10), (
        (at(9, 30, 14), "reply"), (at(10, 2, 9), "close", "answered"))),
    # Closed in September (its survey sent then); the survey answered Fri 2 Oct: an October respondent at A.
    "A24": Story("markupplatelse", "question", at(9, 21, 10), (
        (at(9, 21, 11), "reply"), (at(9, 23, 10), "close", "answered"),
        (at(10, 2, 12), "survey", (5, 4, 4, 5, 4, 6, 5, 3, 2)))),
    # Received Fri 30 Oct 11:00, untouched: backlog (1.54 days).
    "A25": Story("markupplatelse", "feedback", at(10, 30, 11)),
    # -- office B (Miljö- och hälsoskydd) ---------------------------------------------------------------------
    # Livsmedel, 2 calendar weeks from Wed 14 Oct = Wed 28 Oct 23:59:59. FR Oct 14 10-17 7 + Oct 15 8-10 2 = 9 h,
    # in. Paused Fri 23 Oct 12:00 -> Sun 25 Oct 11:30: 47 h 30 min on the wall clock across the end of summer
    # time (48 h 30 min of real time) = 2 days -> due Fri 30 Oct 23:59:59. Decided Sat 31 Oct 10:00: LATE (a
    # breach at the stop). res Oct 14 7 + Oct 15-16 18 + Oct 19-23 45 + Oct 26-30 45 = 115 h - wait (Fri 23 Oct
    # 12-17) 5 h = 110 h. Decided, not closed: backlog (about 17.6 days).
    "B01": Story("livsmedel", "errand", at(10, 14, 10), (
        (at(10, 15, 10), "reply"), (at(10, 23, 12), "request"), (at(10, 25, 11, 30), "company"),
        (at(10, 31, 10), "decide", "granted"))),
    # Received Thu 2 Apr; the company asks for a decision (FL 12 §) Mon 12 Oct 10:00: 4 weeks, due Mon 9 Nov;
    # a delay notice (FL 11 §) Tue 13 Oct; decided Wed 21 Oct 10:00: the FL 12 clock in. (FR in April.)
    # res Apr 2 10-17 7 + 138 working days Apr 7 - Oct 20 (141 weekdays less 1 May, Ascension 14 May and
    # midsommarafton 19 Jun; Good Friday 3 Apr and Easter Monday 6 Apr before) x 9 = 1242 + Oct 21 8-10 2
    # = 1251 h. Decided, not closed: backlog (about 212.6 days).
    "B02": Story("miljotillsyn", "errand", at(4, 2, 10), (
        (at(4, 2, 11), "reply"), (at(10, 12, 10), "fl12"), (at(10, 13, 10), "delay"),
        (at(10, 21, 10), "decide", "granted"))),
    # Received at B Wed 30 Sep 13:00 (September), sent on to A Thu 1 Oct 10:00: October's routing miss at B
    # without an October receipt. At A: FR Thu 1 Oct 11:00 = Sep 30 13-17 4 + Oct 1 8-11 3 = 7 h, in.
    # Open: A's backlog (about 31.5 days).
    "B03": Story("livsmedel", "errand", at(9, 30, 13), (
        (at(10, 1, 10), "reroute", "A"), (at(10, 1, 11), "reply"))),
    # An internal note (10:00) and a message from the company (Tue 6 Oct) are no response: FR Wed 7 Oct 16:00
    # = Oct 5 9-17 8 + Oct 6 9 + Oct 7 8-16 8 = 25 h, due Wed 7 Oct 17:00: in. No answered clock for tillsyn,
    # yet a resolution time: to Fri 9 Oct 16:00 = 8 + 9 + 9 + 9 + 8 = 43 h.
    "B04": Story("miljotillsyn", "errand", at(10, 5, 9), (
        (at(10, 5, 10), "note"), (at(10, 6, 10), "company"), (at(10, 7, 16), "reply"),
        (at(10, 9, 16), "close", "answered"), (at(10, 12, 12), "survey", (6, 3, 6, 5, 4, 6, 5, 6, 2)))),
    # FR Tue 6 Oct 09:00 = Oct 1 9-17 8 + Oct 2 9 + Oct 5 9 + Oct 6 8-9 1 = 27 h, due Mon 5 Oct 17:00: LATE
    # (a breach at the stop). Closed with a comment Thu 8 Oct 18:00, the answered clock's due day after 17:00:
    # in time (no working time after the due). res 8 + 9 + 36 (Oct 5-8) = 53 h.
    "B05": Story("livsmedel", "question", at(10, 1, 9), (
        (at(10, 6, 9), "reply"), (at(10, 8, 18), "close", "answered", "Här kommer svaret."))),
    # Completion requested Tue 20 Oct 09:00 (FR Oct 19 9-17 8 + Oct 20 8-9 1 = 9 h, in), never answered; closed
    # while waiting Fri 23 Oct 15:00. res Oct 19 8 + Oct 20-22 27 + Oct 23 8-15 7 = 42 h - wait (Oct 20 9-17 8 +
    # Oct 21-22 18 + Oct 23 8-15 7 = 33 h) = 9 h; the answered clock paused 33 h: in.
    "B06": Story("miljotillsyn", "question", at(10, 19, 9), (
        (at(10, 20, 9), "request"), (at(10, 23, 15), "close", "withdrawn"))),
    # Complaint ("Jag förstod inte vad som krävdes": information): FR and acknowledgement 6 h (Oct 6 9-15), in.
    # Decided Tue 13 Oct 11:00:
    # res Oct 6 8 + Oct 7-12 36 + Oct 13 8-11 3 = 47 h; 10 wd due Tue 20 Oct: in.
    "B07": Story("livsmedel", "complaint", at(10, 6, 9), (
        (at(10, 6, 15), "reply"), (at(10, 13, 11), "decide", "answered"), (at(10, 13, 11, 30), "close", "answered"),
        (at(10, 14, 12), "survey", (6, 3, 6, 5, 4, 6, VET_EJ, 6, 2))), ground="unclear_needs"),
    # Complaint (other): FR and acknowledgement Mon 26 Oct 09:00 = Oct 21 9-17 8 + Oct 22-23 18 + Oct 26 8-9 1
    # = 27 h, both due Fri 23 Oct 17:00: LATE, two breaches at the stop. Open: backlog (about 10.6 days).
    "B08": Story("livsmedel", "complaint", at(10, 21, 9), (
        (at(10, 26, 9), "reply"),), ground="other"),
    # Complaint (bemötande) received at B, sent on to A half an hour later: B's complaint, receipt and routing
    # miss. At A: FR and acknowledgement Tue 20 Oct 10:00 = 8 + 2 = 10 h, in; decided Mon 26 Oct 14:00:
    # res Oct 19 8 + Oct 20-23 36 + Oct 26 8-14 6 = 50 h, 10 wd due Mon 2 Nov: in; closed and surveyed at A.
    "B09": Story("livsmedel", "complaint", at(10, 19, 9), (
        (at(10, 19, 9, 30), "reroute", "A"), (at(10, 20, 10), "reply"), (at(10, 26, 14), "decide", "answered"),
        (at(10, 26, 15), "close", "answered"), (at(10, 27, 12), "survey", (5, 5, 5, 5, 4, VET_EJ, VET_EJ, 4, 2))),
        ground="bemotande"),
    # FR 2 h (Oct 1 14-16), in. Decided Wed 7 Oct 14:00: res Oct 1 3 + Oct 2 9 + Oct 5-6 18 + Oct 7 8-14 6
    # = 36 h; 2 weeks due Thu 15 Oct 23:59:59: in.
    "B10": Story("livsmedel", "errand", at(10, 1, 14), (
        (at(10, 1, 16), "reply"), (at(10, 7, 14), "decide", "granted"), (at(10, 7, 15), "close", "granted"),
        (at(10, 8, 12), "survey", (3, 2, 5, 5, 4, VET_EJ, VET_EJ, 4, 2)))),
    # FR 4 h (Oct 5 9-13), in. res Oct 5 8 + Oct 6 8-13 5 = 13 h, in.
    "B11": Story("livsmedel", "question", at(10, 5, 9), (
        (at(10, 5, 13), "reply"), (at(10, 6, 13), "close", "answered"))),
    # FR Oct 7 9-17 8 + Oct 8 8-9 1 = 9 h, in. res 8 + 4 = 12 h, in.
    "B12": Story("miljotillsyn", "feedback", at(10, 7, 9), (
        (at(10, 8, 9), "reply"), (at(10, 8, 12), "close", "answered"))),
    # FR 1 h, in. res Oct 12 8 + Oct 13 9 + Oct 14 8-10 2 = 19 h (no answered clock for tillsyn).
    "B13": Story("miljotillsyn", "errand", at(10, 12, 9), (
        (at(10, 12, 10), "reply"), (at(10, 14, 10), "close", "answered"))),
    # FR 6 h (Oct 27 9-15), in. res Oct 27 8 + Oct 28 9 + Oct 29 8-9 1 = 18 h, in.
    "B14": Story("livsmedel", "question", at(10, 27, 9), (
        (at(10, 27, 15), "reply"), (at(10, 29, 9), "close", "answered"))),
    # FR Oct 26 10-17 7 + Oct 27 8-9 1 = 8 h, in. Open: backlog, Mon 26 Oct 10:00 -> Sun 1 Nov 00:00 = 5 d 14 h
    # = 5.583 days (winter time throughout).
    "B15": Story("livsmedel", "errand", at(10, 26, 10), (
        (at(10, 27, 9), "reply"),)),
    # FR 2 h (Oct 9 9-11), in. res Oct 9 8 + Oct 12 9 + Oct 13 8-11 3 = 20 h, in.
    "B16": Story("miljotillsyn", "question", at(10, 9, 9), (
        (at(10, 9, 11), "reply"), (at(10, 13, 11), "close", "answered"))),
    # Untouched: backlog (3.625 days); its first-response clock passes its due (Fri 30 Oct 17:00) with no sweep
    # after it, so no breach event.
    "B17": Story("livsmedel", "feedback", at(10, 28, 9)),
    # FR 3 h, in. res Oct 15 9-17 8 + Oct 16 8-12 4 = 12 h, in.
    "B18": Story("livsmedel", "question", at(10, 15, 9), (
        (at(10, 15, 12), "reply"), (at(10, 16, 12), "close", "answered"))),
    # Untouched: backlog (Thu 29 Oct 14:00: 2.42 days).
    "B19": Story("livsmedel", "question", at(10, 29, 14)),
}

# The SLA sweep runs once, Tue 13 Oct 17:20. Running clocks then (every other one is stopped, paused, or due
# later): A11's answered clock, due Thu 8 Oct 17:00, breached since Fri 9 Oct 08:00 -> one breach event, at A;
# A09's urgent first-response clock, due 17:00 that day, not breached before Wed 14 Oct 08:00 -> none.
SWEEP_AT = at(10, 13, 17, 20)

# -- clock ledger: the clocks that stopped in October, office at the stop, verdict --------------------------------
# A  first_response (17): A01 A02 A06 A07 A08 A09 A10 A12 A17 A18 A19 A20 A21 A22 B09 B03 in; A11 LATE -> 16/17
#    acknowledgement (3): A17 A18 B09 in -> 3/3
#    resolution (14): A01 A02 A05 A09 A10 A17 A19 A20 A21 A22 A23 B09 in; A07 (last closure) A11 LATE -> 12/14
#      (A08's stopped on Fri 9 Oct but runs again since its reopening: not a stopped clock of October)
#    pbl (3): A12 A13 in; A14 LATE -> 2/3
#    all: 37 stopped, 33 in time
# B  first_response (15): B01 B04 B06 B07 B10 B11 B12 B13 B14 B15 B16 B18 A15 in; B05 B08 LATE -> 13/15
#    acknowledgement (2): B07 in; B08 LATE -> 1/2
#    resolution (11): B05 B06 B07 B10 B11 B12 B14 B16 B18 A15 in; B01 LATE -> 10/11
#    fl12 (1): B02 in -> 1/1
#    all: 29 stopped, 25 in time
# Breach events in October: A: A11 first response (stop Oct 9), A11 resolution (sweep Oct 13), A07 resolution
# (stop Oct 19), A14 pbl (stop Oct 30) = 4; B: B05 first response (Oct 6), B08 first response and
# acknowledgement (Oct 26), B01 resolution (Oct 31) = 4.

# -- survey answers (k = 6; index = (mean - 1) / 5 x 100) ---------------------------------------------------------
# A, 8 respondents (A24's survey was sent in September; the others A01 A02 A07 A12 A17 A19 B09 in October):
#   overall 5,5,5,5,5,5,5,5 = 40 -> mean 5 -> 80; expectations 4,4,4,4,5,5,5,5 = 36 -> 4.5 -> 70;
#   ideal 4,4,5,5,5,5,5,5 = 38 -> 4.75 -> 75; NKI (80 + 70 + 75) / 3 = 75 -> "high".
#   information 8 x 5 -> 80; tillgänglighet 8 x 4 -> 60; bemötande 7 x 6 (B09 vet ej) -> 100;
#   kompetens 6 x 5 (A19, B09 vet ej): 6 ratings < 7 -> not shown; rättssäkerhet 3,3,3,3,4,4,4,4 -> 3.5 -> 50;
#   effektivitet 8 x 2 -> 20.
# B, 3 respondents (B04 B07 B10) < 7: no NKI, no index; ratings: information 3, tillgänglighet 3,
#   bemötande 2 (B10 vet ej), kompetens 1 (B07, B10 vet ej), rättssäkerhet 3, effektivitet 3.
# Total, 11 respondents: overall 40 + (6+6+3) = 55 -> 5 -> 80; expectations 36 + (3+3+2) = 44 -> 4 -> 60;
#   ideal 38 + (6+6+5) = 55 -> 5 -> 80; NKI 220 / 3 = 73.33 -> "high".
#   information 11 x 5 -> 80; tillgänglighet 11 x 4 -> 60; bemötande 9 x 6 -> 100; kompetens 7 x 5 -> 80
#   (7 ratings: shown); rättssäkerhet 28 + (6+6+4) = 44 / 11 = 4 -> 60; effektivitet 11 x 2 -> 20.
# Sent in October (one survey per case, at its first closure, for the office closing it): A 17 (its closed
# cases), B 12 (its closed cases); answered of those: A 7, B 3.
# Thresholds: an office's column is compared with the others', so its NKI, question and factor indices need
# min_answers_compare (10) respondents or ratings; only the total uses min_answers (7). A's 8 respondents are
# too few for a comparison: its figures above are withheld in the report (EXPECTED), and shown with the
# comparison threshold lowered to 7 (A_SURVEY_AT_SEVEN, checked by its own test).
A_SURVEY_AT_SEVEN = {
    "too_few_answers": False,
    "nki": 75.0,
    "nki_grade": "high",
    "nki_question_indices": {"q_overall": 80.0, "q_expectations": 70.0, "q_ideal": 75.0},
    "factor_indices": {"information": 80.0, "tillganglighet": 60.0, "bemotande": 100.0, "kompetens": None,
                       "rattssakerhet": 50.0, "effektivitet": 20.0},
}

EXPECTED = {
    "A": {
        # A02 A03 A06 A07 A08 A09 A10 A11 A12 A15 A16 A17 A18 A19 A20 A21 A22 A25 (A15, A16 count where they
        # arrived; A01 A23 on 30 Sep, A04 on 1 Nov local time, A05 A13 A14 A24 earlier; B03 B09 arrived at B)
        "received": 18,
        # A01 A02 A05 (00:15 local on Oct 1) A07 (closed twice: once) A08 A09 A10 A11 A12 A13 A17 A19 A20 A21 A22
        # A23 B09; not A06 (00:15 local on Nov 1), A14 (decided only), A15 (closed at B)
        "closed": 17,
        "reopened": 2,  # A07, A08
        "reopen_rate": 2 / 17,
        # A03 A06 A08 A14 A18 A25 B03 (A16 is B's since its reroute)
        "backlog": 7,
        # ages to Sun 1 Nov 00:00: A03 0.02, A25 1.54, A18 4.625, A06 5.5, A08 ~25.6, B03 ~31.5, A14 ~78.6
        # -> the 4th of 7 = A06 5.5 (received after the change to winter time, so no hour in doubt)
        "backlog_median_age_days": 5.5,
        # A01 1, A02 2, A06 1, A07 2, A08 1, A09 4, A10 4, A11 54, A12 18, A17 2, A18 10, A19 3, A20 9, A21 1,
        # A22 9, B09 10, B03 7 -> sorted 1 1 1 1 2 2 2 3 [4] 4 7 9 9 10 10 18 54
        "first_response_n": 17,
        "first_response_median_h": 4.0,  # 9th of 17
        "first_response_p90_h": 13.2,  # rank 0.9 x 16 = 14.4: 10 + 0.4 x (18 - 10)
        # A01 11, A02 49, A05 25, A07 91, A09 6, A10 15, A11 101, A12 24, A13 342, A14 502, A17 78, A19 45,
        # A20 9, A21 12, A22 30, A23 17, B09 50 -> sorted 6 9 11 12 15 17 24 25 [30] 45 49 50 78 91 101 342 502
        "resolution_n": 17,
        "resolution_median_h": 30.0,  # 9th of 17
        "resolution_p90_h": 197.4,  # rank 14.4: 101 + 0.4 x (342 - 101)
        "clocks_stopped": 37,
        "clocks_in_time": 33,
        "within_target": 33 / 37,
        "within_target_by_clock": {"first_response": 16 / 17, "acknowledgement": 3 / 3, "resolution": 12 / 14,
                                   "pbl": 2 / 3},
        "clock_counts": {"first_response": {"in_time": 16, "stopped": 17},
                         "acknowledgement": {"in_time": 3, "stopped": 3},
                         "resolution": {"in_time": 12, "stopped": 14},
                         "pbl": {"in_time": 2, "stopped": 3}},
        "breaches": 4,  # A11 x 2, A07, A14 (not A09)
        "reroutes": 2,  # A15, A16
        "routing_miss_rate": 2 / 18,
        # A16 "too_slow" (the company's words) counts under effektivitet; A17 and A18 carry the factor's own name,
        # as complaints filed before the grounds were worded for companies do
        "complaints": 3,  # A16 effektivitet, A17 bemötande, A18 bemötande
        "complaints_per_100": 100 * 3 / 18,
        "complaints_by_ground": {"bemotande": 2, "effektivitet": 1},
        "delay_notices": 1,  # A18
        "fee_reductions": 1,  # A14
        "surveys_sent": 17,
        "surveys_answered": 7,  # A01 A02 A07 A12 A17 A19 B09
        "response_rate": 7 / 17,
        "respondents": 8,  # those 7 and A24
        # 8 respondents < 10 needed to compare offices: withheld (the figures at 7 are in A_SURVEY_AT_SEVEN)
        "too_few_answers": True,
        "nki": None,
        "nki_grade": None,
        "nki_question_indices": {"q_overall": None, "q_expectations": None, "q_ideal": None},
        "factor_indices": {"information": None, "tillganglighet": None, "bemotande": None, "kompetens": None,
                           "rattssakerhet": None, "effektivitet": None},
        "factor_ratings": {"information": 8, "tillganglighet": 8, "bemotande": 7, "kompetens": 6,
                           "rattssakerhet": 8, "effektivitet": 8},
    },
    "B": {
        # B01 B04 B05 B06 B07 B08 B09 B10 B11 B12 B13 B14 B15 B16 B17 B18 B19 (B02 in April, B03 on 30 Sep)
        "received": 17,
        # B04 B05 B06 B07 B10 B11 B12 B13 B14 B16 B18 A15 (B01 B02 decided only; B09 closed at A)
        "closed": 12,
        "reopened": 0,
        "reopen_rate": 0 / 12,
        # B01 B02 (decided, not closed) B08 B15 B17 B19 A16
        "backlog": 7,
        # ages: B19 2.42, A16 2.5, B17 3.625, B15 5.583, B08 ~10.6, B01 ~17.6, B02 ~212.6 -> 4th of 7 = B15
        "backlog_median_age_days": 5.58,
        # B01 9, B04 25, B05 27, B06 9, B07 6, B08 27, B10 2, B11 4, B12 9, B13 1, B14 6, B15 8, B16 2, B18 3,
        # A15 9 -> sorted 1 2 2 3 4 6 6 [8] 9 9 9 9 25 27 27
        "first_response_n": 15,
        "first_response_median_h": 8.0,  # 8th of 15
        "first_response_p90_h": 26.2,  # rank 0.9 x 14 = 12.6: 25 + 0.6 x (27 - 25)
        # B01 110, B02 1251, B04 43, B05 53, B06 9, B07 47, B10 36, B11 13, B12 12, B13 19, B14 18, B16 20,
        # B18 12, A15 19 -> sorted 9 12 12 13 18 19 [19 20] 36 43 47 53 110 1251
        "resolution_n": 14,
        "resolution_median_h": 19.5,  # rank 6.5: (19 + 20) / 2
        "resolution_p90_h": 92.9,  # rank 0.9 x 13 = 11.7: 53 + 0.7 x (110 - 53)
        "clocks_stopped": 29,
        "clocks_in_time": 25,
        "within_target": 25 / 29,
        "within_target_by_clock": {"first_response": 13 / 15, "acknowledgement": 1 / 2, "resolution": 10 / 11,
                                   "fl12": 1 / 1},
        "clock_counts": {"first_response": {"in_time": 13, "stopped": 15},
                         "acknowledgement": {"in_time": 1, "stopped": 2},
                         "resolution": {"in_time": 10, "stopped": 11},
                         "fl12": {"in_time": 1, "stopped": 1}},
        "breaches": 4,  # B05, B08 x 2, B01
        "reroutes": 2,  # B03 (received in September), B09
        "routing_miss_rate": 2 / 17,
        "complaints": 3,  # B07 information ("unclear_needs"), B08 other, B09 bemötande
        "complaints_per_100": 100 * 3 / 17,
        "complaints_by_ground": {"information": 1, "other": 1, "bemotande": 1},
        "delay_notices": 1,  # B02
        "fee_reductions": 0,
        "surveys_sent": 12,
        "surveys_answered": 3,  # B04 B07 B10
        "response_rate": 3 / 12,
        "respondents": 3,
        "too_few_answers": True,
        "nki": None,
        "nki_grade": None,
        "nki_question_indices": {"q_overall": None, "q_expectations": None, "q_ideal": None},
        "factor_indices": {"information": None, "tillganglighet": None, "bemotande": None, "kompetens": None,
                           "rattssakerhet": None, "effektivitet": None},
        "factor_ratings": {"information": 3, "tillganglighet": 3, "bemotande": 2, "kompetens": 1,
                           "rattssakerhet": 3, "effektivitet": 3},
    },
    "total": {
        "received": 35,  # 18 + 17
        "closed": 29,  # 17 + 12
        "reopened": 2,
        "reopen_rate": 2 / 29,
        "backlog": 14,  # 7 + 7
        # the 14 ages sorted: 0.02 1.54 2.42 2.5 3.625 4.625 [5.5 5.583] ~10.6 ~17.6 ~25.6 ~31.5 ~78.6 ~212.6
        # -> (5.5 + 5.583) / 2 = 5.5417
        "backlog_median_age_days": 5.54,
        # A's 17 and B's 15 -> sorted 1x5 2x5 3x2 4x3 6 [6 6] 7 8 9x6 10x2 18 25 27 27 54
        "first_response_n": 32,
        "first_response_median_h": 6.0,  # rank 15.5: (6 + 6) / 2
        "first_response_p90_h": 24.3,  # rank 0.9 x 31 = 27.9: 18 + 0.9 x (25 - 18)
        # 6 9 9 11 12 12 12 13 15 17 18 19 19 20 24 [25] 30 36 43 45 47 49 50 53 78 91 101 110 342 502 1251
        "resolution_n": 31,
        "resolution_median_h": 25.0,  # 16th of 31
        "resolution_p90_h": 110.0,  # rank 0.9 x 30 = 27: the 28th
        "clocks_stopped": 66,
        "clocks_in_time": 58,
        "within_target": 58 / 66,
        "within_target_by_clock": {"first_response": 29 / 32, "acknowledgement": 4 / 5, "resolution": 22 / 25,
                                   "pbl": 2 / 3, "fl12": 1 / 1},
        "clock_counts": {"first_response": {"in_time": 29, "stopped": 32},
                         "acknowledgement": {"in_time": 4, "stopped": 5},
                         "resolution": {"in_time": 22, "stopped": 25},
                         "pbl": {"in_time": 2, "stopped": 3},
                         "fl12": {"in_time": 1, "stopped": 1}},
        "breaches": 8,
        "reroutes": 4,
        "routing_miss_rate": 4 / 35,
        "complaints": 6,
        "complaints_per_100": 100 * 6 / 35,
        "complaints_by_ground": {"bemotande": 3, "effektivitet": 1, "information": 1, "other": 1},
        "delay_notices": 2,
        "fee_reductions": 1,
        "surveys_sent": 29,
        "surveys_answered": 10,
        "response_rate": 10 / 29,
        "respondents": 11,
        "too_few_answers": False,
        "nki": 220 / 3,
        "nki_grade": "high",
        "nki_question_indices": {"q_overall": 80.0, "q_expectations": 60.0, "q_ideal": 80.0},
        "factor_indices": {"information": 80.0, "tillganglighet": 60.0, "bemotande": 100.0, "kompetens": 80.0,
                           "rattssakerhet": 60.0, "effektivitet": 20.0},
        "factor_ratings": {"information": 11, "tillganglighet": 11, "bemotande": 9, "kompetens": 7,
                           "rattssakerhet": 11, "effektivitet": 11},
    },
}

# The other five offices had nothing this month.
NOTHING = {
    "received": 0, "closed": 0, "reopened": 0, "reopen_rate": None, "backlog": 0, "backlog_median_age_days": None,
    "first_response_n": 0, "first_response_median_h": None, "first_response_p90_h": None, "resolution_n": 0,
    "resolution_median_h": None, "resolution_p90_h": None, "clocks_stopped": 0, "clocks_in_time": 0,
    "within_target": None, "within_target_by_clock": {}, "clock_counts": {}, "breaches": 0, "reroutes": 0,
    "routing_miss_rate": None, "complaints": 0, "complaints_per_100": None, "complaints_by_ground": {},
    "delay_notices": 0, "fee_reductions": 0, "surveys_sent": 0, "surveys_answered": 0, "response_rate": None,
    "respondents": 0, "too_few_answers": True, "nki": None, "nki_grade": None, "nki_question_indices": {},
    "factor_indices": {}, "factor_ratings": {},
}


# -- playing the month ----------------------------------------------------------------------------------------
@dataclass
class Month:
    office_ids: dict[str, int]  # "A"/"B" -> office id
    case_ids: dict[str, int]  # story label -> case id


def _answer_survey(case_id: int, scores: tuple, when: datetime) -> None:
    survey = db.session.scalar(sa.select(Survey).where(Survey.case_id == case_id))
    token = surveys.token_for(survey.salt)
    answers = dict(zip(SURVEY_KEYS, scores, strict=True))
    surveys.answer(token, answers, "", when)  # a factor answered "vet ej" goes in as None and is kept as None


@pytest.fixture
def hand_month(app, offices, make_user, submit) -> Month:
    """Plays every story's steps (and the one sweep) in time order, each through its service."""
    office_ids = {g: offices[code].id for g, code in OFFICE_CODES.items()}
    officers = {offices[code].id: make_user("officer", offices[code], name=f"Handläggare {g}")
                for g, code in OFFICE_CODES.items()}
    timeline = [(SWEEP_AT, -1, 0, None, ("sweep",))]
    for n, (label, story) in enumerate(STORIES.items()):
        timeline.append((story.received, n, 0, label, ("submit",)))
        timeline += [(step[0], n, k, label, step[1:]) for k, step in enumerate(story.steps, 1)]
    timeline.sort(key=lambda s: (s[0], s[1], s[2]))

    receipts, case_ids = {}, {}
    for when, _n, _k, label, (action, *args) in timeline:
        if action == "sweep":
            sla.sweep(when)
            continue
        if action == "submit":
            story = STORIES[label]
            receipts[label] = submit(story.category, when=when, kind=story.kind, priority=story.priority,
                                     complaint_ground=story.ground, subject=f"Ärende {label}")
            case_ids[label] = receipts[label].case_id
            continue
        case_id = case_ids[label]
        officer = officers[db.session.get(Case, case_id).office_id]  # whoever holds the case now
        if action == "reply":
            casework.reply(officer, case_id, "Hej! Vi har tittat på ert ärende.", when)
        elif action == "note":
            casework.add_note(officer, case_id, "Intern anteckning: kolla detaljplanen.", when)
        elif action == "request":
            casework.request_completion(officer, case_id, "Vi behöver en ritning till.", when)
        elif action == "company":
            public.answer(receipts[label].token, "Här kommer det ni bad om.", when)
        elif action == "decide":
            casework.decide(officer, case_id, args[0], "Beslut enligt ansökan.", when)
        elif action == "close":
            casework.close(officer, case_id, args[0], when, *args[1:])
        elif action == "reopen":
            casework.reopen(officer, case_id, "Företaget hörde av sig igen.", when)
        elif action == "reroute":
            casework.reroute(officer, case_id, office_ids[args[0]], "Hör till en annan förvaltning.", when)
        elif action == "extend":
            casework.extend_statutory_deadline(officer, case_id, args[0], "Ärendet är komplicerat.", when)
        elif action == "delay":
            casework.send_delay_notice(officer, case_id, "Beslutet dröjer: vi väntar på remissvar.", when)
        elif action == "fl12":
            casework.register_decision_request(officer, case_id, when, when)
        elif action == "survey":
            _answer_survey(case_id, args[0], when)
        else:  # pragma: no cover - a typo in the table
            raise AssertionError(f"unknown step {action!r}")
    return Month(office_ids, case_ids)


# -- comparing figures ----------------------------------------------------------------------------------------
def _blank(value) -> bool:
    """Nothing to show: no value, zero, or a mapping of nothing (a clock or factor with no entries)."""
    if isinstance(value, dict):
        return all(_blank(v) for v in value.values())
    return value is None or (not isinstance(value, bool) and value == 0)


def _same(got, want) -> bool:
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return False
        # An entry left out and an entry of nothing are the same (a clock with no stop, a ground with no case).
        return all(_same(got[k], want[k]) if k in got and k in want else _blank(got.get(k, want.get(k)))
                   for k in set(got) | set(want))
    if want is None or isinstance(want, bool | str):
        return got is want if not isinstance(want, str) else got == want
    return (isinstance(got, int | float) and not isinstance(got, bool)
            and math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9))


def _differences(report: dict, month: Month, source: str) -> list[str]:
    """Every figure of ``report`` that is not the hand-computed one, as readable lines."""
    out = []
    groups = {"A": report["offices"].get(str(month.office_ids["A"]), {}),
              "B": report["offices"].get(str(month.office_ids["B"]), {}), "total": report["total"]}
    for group, figures in groups.items():
        for key, want in EXPECTED[group].items():
            got = figures.get(key, "<missing>")
            if not _same(got, want):
                out.append(f"{source} {group}.{key}: expected {want!r}, got {got!r}")
    for office_id, figures in report["offices"].items():
        if office_id in (str(month.office_ids["A"]), str(month.office_ids["B"])):
            continue
        for key, want in NOTHING.items():
            got = figures.get(key, "<missing>")
            if not _same(got, want):
                out.append(f"{source} office {office_id}.{key}: expected {want!r}, got {got!r}")
    return out


# -- the tests ------------------------------------------------------------------------------------------------
def test_the_month_report_gives_every_hand_computed_figure(hand_month):
    problems = _differences(reports.compute(OCTOBER), hand_month, "compute")
    assert not problems, "\n" + "\n".join(problems)


def test_the_json_export_and_a_frozen_snapshot_give_the_same_hand_computed_figures(hand_month, client, make_user):
    login(client, make_user("analyst"))
    problems = _differences(json.loads(client.get("/reports/export.json?month=2026-10").data), hand_month,
                            "json (live)")
    snap, created = reports.freeze(OCTOBER, at(11, 2, 9))
    assert created and snap.month == "2026-10"
    db.session.expire_all()  # the stored data, as read back from the database
    problems += _differences(db.session.get(MonthlyReport, snap.id).data, hand_month, "snapshot")
    problems += _differences(json.loads(client.get("/reports/export.json?month=2026-10").data), hand_month,
                             "json (published)")
    assert not problems, "\n" + "\n".join(problems)


def test_an_office_shows_its_hand_computed_survey_figures_once_the_comparison_threshold_allows(hand_month):
    """A's 8 respondents are withheld at the default comparison threshold (10); at 7 its figures appear."""
    from caseflow.models import ReportSettings

    a = str(hand_month.office_ids["A"])
    assert reports.compute(OCTOBER)["offices"][a]["nki"] is None
    settings = db.session.get(ReportSettings, 1)
    settings.min_answers_compare = 7
    db.session.commit()
    figures = reports.compute(OCTOBER)
    problems = [f"A.{key}: expected {want!r}, got {figures['offices'][a].get(key)!r}"
                for key, want in A_SURVEY_AT_SEVEN.items() if not _same(figures["offices"][a].get(key), want)]
    assert not problems, "\n" + "\n".join(problems)
    b = figures["offices"][str(hand_month.office_ids["B"])]
    assert b["too_few_answers"] and b["nki"] is None  # 3 respondents: still too few


def test_the_case_facts_behind_the_month(hand_month):
    """Two facts the figures rest on, checked on the cases themselves."""
    ids = hand_month.case_ids
    # A14: PBL deadline Fri 23 Oct 23:59:59 CEST, decided Fri 30 Oct 23:30 CET: 6 d 23 h 30 min 1 s late on the
    # wall clock = one started week -> the fee is reduced by one fifth (not two).
    assert db.session.get(Case, ids["A14"]).fee_reduction == pytest.approx(1 / 5)
    # A09: urgent, due Tue 13 Oct 17:00, swept at 17:20, answered at 17:40 - in time, never breached.
    breaches = db.session.scalar(sa.select(sa.func.count()).select_from(CaseEvent).where(
        CaseEvent.case_id == ids["A09"], CaseEvent.kind == "sla_breach"))
    assert breaches == 0


# -- the same figures in every output: page, CSV, Excel, PDF ------------------------------------------------------
def _flat_expected(group: str) -> dict:
    """The hand-computed figures of a group under their registry keys (grouped ones as "group.member")."""
    from caseflow.domain import figures as registry

    # Hand figures that are not report figures of their own: parts of one (clock_counts), its wording (nki_grade,
    # too_few_answers) or a list beside the table (complaints by ground). Every other one must be in the registry,
    # so a figure dropped from it (and so from the page and the exports) fails here instead of being skipped.
    not_figures = {"clock_counts", "nki_grade", "too_few_answers", "complaints_by_ground"}
    out = {}
    for key, want in EXPECTED[group].items():
        if key in not_figures:
            continue
        if isinstance(want, dict):
            for k, v in want.items():
                registry.figure(f"{key}.{k}")
                out[f"{key}.{k}"] = v
        else:
            registry.figure(key)
            out[key] = want
    return out


def _number(text: str):
    """A number as an export writes it (decimal comma in Swedish), or None for an empty cell."""
    text = text.strip().replace("\xa0", "").replace(" ", "")
    return None if text in ("", "–") else float(text.replace(",", "."))


def _close(got, want, decimals: int) -> bool:
    if want is None:
        return got is None
    return got is not None and abs(got - want) <= 0.5 * 10 ** -decimals + 1e-9


def test_the_page_csv_excel_and_pdf_give_the_same_hand_computed_figures(hand_month, client, make_user):
    import csv
    import io
    import re

    from openpyxl import load_workbook

    from caseflow.domain import figures as registry
    from caseflow.domain import numbers
    from caseflow.models import Office
    from caseflow.web import figures as shown

    names = {g: db.session.get(Office, i).name for g, i in hand_month.office_ids.items()}
    names["total"] = "Totalt"
    login(client, make_user("analyst"))
    problems = []

    # The exports round each figure as the page does (a share to its percent's one decimal: three decimals of
    # the fraction), so each is compared with the hand figure to that precision.
    def decimals(key):
        unit = registry.figure(key).unit
        return numbers.DECIMALS[unit] + (2 if unit == registry.SHARE else 0)

    # CSV (read in Swedish Excel's dialect): a heading per figure in words, a share as its percent under "(%)"
    text = client.get("/reports/export.csv?month=2026-10").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    heading = {f"{f.sv} (%)" if f.unit == registry.SHARE else f.sv: f.key for f in registry.FIGURES}
    assert rows[0][0] == "Förvaltning" and set(rows[0][1:]) == set(heading)
    keys = ["office"] + [heading[h] for h in rows[0][1:]]
    by_name = {r[0]: dict(zip(keys, r, strict=True)) for r in rows[1:]}
    for group, name in names.items():
        for key, want in _flat_expected(group).items():
            got = _number(by_name[name][key])
            if got is not None and registry.figure(key).unit == registry.SHARE:
                got = got / 100
            if not _close(got, want, decimals(key)):
                problems.append(f"csv {group}.{key}: expected {want!r}, got {by_name[name][key]!r}")

    # Excel: the sheet of every figure, the same columns in the registry's order, numbers as numbers
    sheet = load_workbook(io.BytesIO(client.get("/reports/export.xlsx?month=2026-10").data))["Alla mått"]
    xrows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    for group, name in names.items():
        for key, want in _flat_expected(group).items():
            got = xrows[name][1 + [f.key for f in registry.FIGURES].index(key)]
            if not _close(got, want, decimals(key)):
                problems.append(f"xlsx {group}.{key}: expected {want!r}, got {got!r}")

    # The month page: the table row of each office and the total, each cell as the registry formats it
    html = client.get("/reports/?month=2026-10").get_data(as_text=True)
    for group, name in names.items():
        row_label = name if group != "total" else "Totalt"
        row = re.search(r'<th scope="row">' + re.escape(row_label) + r"</th>(.*?)</tr>", html, re.S)
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row.group(1), re.S)]
        want_figs = dict(EXPECTED[group])
        want_figs["clocks_in_time"], want_figs["clocks_stopped"] = EXPECTED[group]["clocks_in_time"], \
            EXPECTED[group]["clocks_stopped"]
        for key, cell in zip(registry.TABLE, cells, strict=True):
            want = shown.show(want_figs, key, "sv")  # the hand figures, formatted as the page formats them
            if cell != want:
                problems.append(f"page {group}.{key}: expected {want!r}, got {cell!r}")

    # The PDF: every figure of the total and of each office, label and value on one line of its page
    pdf = client.get("/reports/export.pdf?month=2026-10")
    if pdf.headers.get("Content-Type") == "application/pdf":
        from pypdf import PdfReader

        pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.data)).pages]
        offices = [o.name for o in db.session.scalars(sa.select(Office))]
        sections: dict[str, str] = {}
        current = None
        for text in pages:  # a section runs from its heading's page to the next section's
            starts = [o for o in offices if text.startswith(o)] or (["total"] if text.startswith("Sammanfattning")
                                                                    else [])
            current = starts[0] if starts else current
            if current:
                sections[current] = sections.get(current, "") + " " + text
        for group, name in names.items():
            page = sections["total" if group == "total" else name]
            for key in _flat_expected(group):
                # the PDF's text has plain spaces where the page has non-breaking ones ("11,8 %", "4,0 h")
                line = " ".join(f"{registry.figure(key).sv} {shown.show(EXPECTED[group], key, 'sv')}".split())
                if line not in page:
                    problems.append(f"pdf {group}: {line!r} not found")
    assert not problems, "\n" + "\n".join(problems)
