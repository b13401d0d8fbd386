"""Every place that states a clock's time left or late states it in that clock's own terms (issue 18): a PBL case's
statutory 10 weeks in calendar days, an urgent first response in working hours, a normal one in working days, the
same words in the queue row, the case page's "Närmaste tidsgräns", its clock card and the lead's overview, in
Swedish and English. The pages are read at a fixed instant (the officer routes' clock is frozen)."""
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import Case, SlaClock
from caseflow.services import casework, sla
from caseflow.web.officer import routes
from tests.conftest import login

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=STOCKHOLM).astimezone(UTC)  # a Tuesday, working hours
RECEIVED = NOW - timedelta(hours=1)


class _Frozen(datetime):
    @classmethod
    def now(cls, tz=None):
        return NOW.astimezone(tz) if tz else NOW.replace(tzinfo=None)


def _due_label(html: str) -> str:
    return re.search(r'<span class="due due-\w+">([^<]*)</span>', html).group(1)


def _queue_label(page: str, case_id: int) -> str:
    row = next(r for r in page.split("<tr")[1:] if f'id="ref-{case_id}"' in r)
    return _due_label(row)


def _case_labels(page: str, clock_label: str) -> tuple[str, str]:
    """The case page's "nearest deadline" and the clock card of ``clock_label``."""
    nearest = _due_label(page[page.index('<aside class="case-side"'):])
    cards = page[page.index('<ul class="clocks">'):]
    card = next(c for c in cards.split('<li class="clock ')[1:] if f"<strong>{clock_label}</strong>" in c)
    return nearest, _due_label(card)


@pytest.fixture
def three_cases(submit, make_user, offices):
    """In one office's queue: a bygglov whose first response is given (its nearest clock the statutory PBL one),
    an urgent errand (first response within 4 working hours), a normal one (within 2 working days)."""
    lead = make_user("lead", offices["samhallsbyggnad"])
    pbl = submit("bygglov", when=RECEIVED)
    casework.reply(lead, pbl.case_id, "Tack, vi handlägger er ansökan.", RECEIVED + timedelta(minutes=30))
    urgent = submit(when=RECEIVED, priority="high")
    normal = submit(when=RECEIVED)
    return lead, {"pbl": pbl.case_id, "urgent": urgent.case_id, "normal": normal.case_id}


EXPECTED = {  # (language, case): (the nearest clock's card label, the words)
    ("sv", "pbl"): ("Lagstadgad tidsfrist (PBL 9:27)", "70 dagar kvar"),
    ("sv", "urgent"): ("Första svar", "3 arbetstimmar kvar"),
    ("sv", "normal"): ("Första svar", "2 arbetsdagar kvar"),
    ("en", "pbl"): ("Statutory deadline (PBL 9:27)", "70 days left"),
    ("en", "urgent"): ("First response", "3 working h left"),
    ("en", "normal"): ("First response", "2 working days left"),
}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_each_row_states_its_nearest_clock_in_that_clocks_terms_as_the_case_page_does(
        client, three_cases, monkeypatch, language):
    monkeypatch.setattr(routes, "datetime", _Frozen)
    lead, ids = three_cases
    assert {db.session.get(Case, i).next_due_unit for i in ids.values()} == {
        "calendar_weeks", "working_hours", "working_days"}
    login(client, lead)
    queue = client.get(f"/staff/?lang={language}").get_data(as_text=True)
    overview = client.get(f"/staff/overview?lang={language}").get_data(as_text=True)
    for name, case_id in ids.items():
        clock, words = EXPECTED[(language, name)]
        page = client.get(f"/staff/cases/{case_id}?lang={language}").get_data(as_text=True)
        assert _queue_label(queue, case_id) == words, name
        assert _case_labels(page, clock) == (words, words), name
        assert f">{words}</span>" in overview, name


def test_late_is_counted_in_the_clocks_terms_too(client, three_cases, monkeypatch):
    """Eleven weeks on: the statutory deadline (Tuesday 2 February 2027) is 7 days late; the normal errand's first
    response (due Thursday 26 November 17:00, late from Friday 08:00) the working days since that Friday late."""
    lead, ids = three_cases
    later = NOW + timedelta(weeks=11)
    monkeypatch.setattr(routes, "datetime", type("Later", (_Frozen,), {"now": classmethod(
        lambda cls, tz=None: later.astimezone(tz) if tz else later.replace(tzinfo=None))}))
    login(client, lead)
    queue = client.get("/staff/").get_data(as_text=True)
    pbl_due = db.session.scalar(sa.select(SlaClock.due_at).where(SlaClock.case_id == ids["pbl"],
                                                                 SlaClock.name == sla.PBL))
    assert pbl_due.astimezone(STOCKHOLM).date() == date(2027, 2, 2)
    assert _queue_label(queue, ids["pbl"]) == "Försenat 7 dagar"
    cal = sla.calendar()
    days = sum(cal.is_working_day(date(2026, 11, 27) + timedelta(days=k)) for k in range(75))  # to 9 February
    normal = _queue_label(queue, ids["normal"])
    assert normal == f"Försenat {days} arbetsdagar"
    page = client.get(f"/staff/cases/{ids['normal']}").get_data(as_text=True)
    assert _case_labels(page, "Första svar") == (normal, normal)
    assert re.fullmatch(r"Försenat [\d\xa0]+(,\d)? arbetstimmar", _queue_label(queue, ids["urgent"]))
