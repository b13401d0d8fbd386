"""The report counts received cases per channel (web, e-mail, API, Open311), per office and in total; compared
by hypothesis with a naive count of the case rows."""
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseflow.domain import workflow
from caseflow.extensions import db
from caseflow.models import Case, CaseEvent
from caseflow.services.reports import computation

NOVEMBER = datetime(2026, 11, 10, 10, tzinfo=UTC)


def _naive(month_start, month_end):
    """Count the month's received cases by channel by walking every case and its receipt event in Python."""
    per_office, total = {}, dict.fromkeys(workflow.CHANNELS, 0)
    for case in db.session.scalars(sa.select(Case)):
        receipt = db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                                CaseEvent.kind == "received")).one()
        if not month_start <= receipt.at < month_end:
            continue
        office = per_office.setdefault(str(receipt.office_id), dict.fromkeys(workflow.CHANNELS, 0))
        office[case.channel] += 1
        total[case.channel] += 1
    return per_office, total


@settings(max_examples=8, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.sampled_from(workflow.CHANNELS), st.sampled_from(["markupplatelse", "livsmedel"]),
                          st.integers(-3, 3)), min_size=1, max_size=8))
def test_received_by_channel_adds_up_and_matches_a_naive_count(app, submit, cases):
    # the examples share one database: both counts read every case made so far
    for channel, category, days in cases:
        when = NOVEMBER + timedelta(days=days * 9)  # some in October or December
        extra = {"org_number": "", "company_name": ""} if channel == "email" else {}
        submit(category, when=when, channel=channel, **extra)
    report = computation.compute(date(2026, 11, 1))
    start, end = computation.bounds(date(2026, 11, 1), computation.sla.calendar())
    per_office, total = _naive(start, end)
    assert report["total"]["received_by_channel"] == total
    assert sum(total.values()) == report["total"]["received"]
    for oid, figs in report["offices"].items():
        assert figs["received_by_channel"] == per_office.get(oid, dict.fromkeys(workflow.CHANNELS, 0))
        assert sum(figs["received_by_channel"].values()) == figs["received"]
