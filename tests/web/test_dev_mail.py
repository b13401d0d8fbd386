"""A demo you can follow: in development (and demo) mode /dev/mail lists every mail sent with its links
clickable, the survey's among them; in production the page is not registered and the URL is a 404."""
import re
from datetime import UTC, datetime, timedelta

import pytest

from caseflow import create_app
from caseflow.services import casework, devmail
from caseflow.services.errors import NotFound
from tests.conftest import VALID_FORM


@pytest.fixture
def dev_client(app, app_config):
    """A development app on the test database (the test's app empties it afterwards)."""
    dev = create_app(dict(app_config, CASEFLOW_ENV="development"))
    return dev.test_client()


def test_development_lists_every_mail_sent_with_its_links_clickable(dev_client, submit):
    r = submit()
    html = dev_client.get("/dev/mail").get_data(as_text=True)
    assert f"Vi har tagit emot ditt ärende {r.reference}" in html  # the receipt to the company
    assert f"Nytt ärende i din kö: {r.reference}" in html  # and the office's notice
    assert VALID_FORM["contact_email"] in html
    track = re.search(r'<a href="(http://localhost/track/[0-9a-f]+)">', html)
    assert track, "the tracking link is a link"
    assert dev_client.get(track.group(1).removeprefix("http://localhost")).status_code == 200


def test_the_closed_case_mail_shows_the_survey_link_and_it_opens_the_survey(dev_client, submit, make_user, offices):
    officer = make_user("officer", offices["samhallsbyggnad"])
    r = submit()
    now = datetime.now(UTC)
    casework.reply(officer, r.case_id, "Svar", now + timedelta(minutes=5))
    casework.close(officer, r.case_id, "answered", now + timedelta(minutes=10))
    html = dev_client.get("/dev/mail").get_data(as_text=True)
    survey = re.search(r'<a href="http://localhost(/survey/[0-9a-f]{48})">', html)
    assert survey, "the closed mail carries a clickable survey link"
    assert "Hur gjorde vi?" in dev_client.get(survey.group(1)).get_data(as_text=True)


def test_markup_in_a_mail_is_text_on_the_mail_page(dev_client, submit):
    submit(subject='<script>alert(1)</script> "><a href="http://evil.example">x</a>')
    html = dev_client.get("/dev/mail").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and 'href="http://evil.example"' not in html


def test_production_has_no_mail_page(app_config, app, submit):
    prod = create_app(dict(app_config, CASEFLOW_ENV="production"))
    assert "dev.mail" not in {r.endpoint for r in prod.url_map.iter_rules()}
    submit()
    assert prod.test_client().get("/dev/mail").status_code == 404
    with prod.app_context(), pytest.raises(NotFound):
        devmail.sent_mails()  # the service refuses too
    assert not devmail.enabled(prod.config)
