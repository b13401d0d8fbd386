"""Form fields written once per process (helpers.widget_html) read exactly as WTForms writes them, in both
languages, and a field carrying anything from a request is never kept."""
from contextlib import contextmanager
from datetime import date

import pytest
from flask_babel import refresh
from werkzeug.datastructures import MultiDict

from caseflow.web import helpers
from caseflow.web.officer.routes import CASE_FORMS
from caseflow.web.public.forms import SubmitForm


@contextmanager
def request_in(app, language, csrf=True):
    app.config["WTF_CSRF_ENABLED"] = csrf
    try:
        with app.test_request_context(f"/?lang={language}"):
            refresh()
            yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def all_forms():
    forms = [cls(prefix=prefix, formdata=None) for cls, prefix in CASE_FORMS.values()]
    by_prefix = {f._prefix: f for f in forms}
    by_prefix["fl12-"].requested_on.data = date(2026, 11, 27)
    by_prefix["assign-"].assignee_id.choices = [(0, "Jag"), (7, "Anna <Andersson>")]
    by_prefix["reroute-"].office_id.choices = [(0, "Välj…"), (3, "Miljö & hälsa")]
    submit = SubmitForm(formdata=None)
    submit.category_id.choices = [(0, "Välj…"), (3, "Bygglov")]
    return forms + [submit]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_case_page_and_submission_field_reads_as_wtforms_writes_it_from_the_cache_too(app, language):
    helpers._widgets.clear()
    with request_in(app, language):
        for _ in range(2):  # the first pass fills the cache, the second reads from it
            for form in all_forms():
                for f in form:
                    if f.type in ("CSRFTokenField", "RadioField"):
                        continue
                    for attrs in ({}, {"rows": 3, "aria-describedby": f"{f.id}-hint"}):
                        assert helpers.widget_html(f, dict(attrs), language) == f(**attrs), (f.id, attrs)
    assert helpers._widgets, "nothing was cached"


def test_the_select_options_follow_the_language(app):
    helpers._widgets.clear()
    rendered = {}
    for language in ("sv", "en"):
        with request_in(app, language):
            f = CASE_FORMS["close_form"][0](prefix="close", formdata=None).outcome
            rendered[language] = helpers.widget_html(f, {}, language)
    assert "Besvarat" in rendered["sv"] and "Answered" in rendered["en"]


def test_a_field_with_posted_text_or_errors_is_written_anew_and_never_kept(app):
    helpers._widgets.clear()
    with request_in(app, "sv", csrf=False):
        cls, prefix = CASE_FORMS["reply_form"]
        form = cls(prefix=prefix, formdata=MultiDict({"reply-body": "Hemlig <b>text</b>"}))
        field = app.jinja_env.get_template("_macros.html").module.field  # what the pages call
        html = field(form.body)
        empty = cls(prefix=prefix, formdata=MultiDict({}))
        empty.validate()
        with_error = field(empty.body)
    assert "Hemlig &lt;b&gt;text&lt;/b&gt;" in html
    assert 'aria-invalid="true"' in with_error
    assert not helpers._widgets, "a field bound to a request was cached"


def test_changed_choices_are_written_anew(app):
    helpers._widgets.clear()
    with request_in(app, "sv"):
        outputs = []
        for name in ("Anna", "Bertil"):
            f = CASE_FORMS["assign_form"][0](prefix="assign", formdata=None).assignee_id
            f.choices = [(0, "Jag"), (7, name)]
            outputs.append(helpers.widget_html(f, {}, "sv"))
    assert "Anna" in outputs[0] and "Bertil" in outputs[1]


def test_the_csrf_field_is_written_as_wtforms_writes_it_and_never_cached(app):
    helpers._widgets.clear()
    with request_in(app, "sv"):
        for form in all_forms():
            assert helpers.hidden_csrf(form) == form.csrf_token()
    assert not helpers._widgets
    with request_in(app, "sv", csrf=False):
        assert helpers.hidden_csrf(CASE_FORMS["note_form"][0](prefix="note", formdata=None)) == ""


def test_a_changed_value_or_selection_is_written_anew(app):
    helpers._widgets.clear()
    with request_in(app, "sv"):
        dates, selections = [], []
        for day, outcome in ((27, None), (28, "rejected")):
            fl12 = CASE_FORMS["fl12_form"][0](prefix="fl12", formdata=None).requested_on
            fl12.data = date(2026, 11, day)
            dates.append(helpers.widget_html(fl12, {"type": "date"}, "sv"))
            close = CASE_FORMS["close_form"][0](prefix="close", formdata=None).outcome
            close.data = outcome
            selections.append(helpers.widget_html(close, {}, "sv"))
    assert "2026-11-27" in dates[0] and "2026-11-28" in dates[1]
    assert "selected" not in selections[0].split("rejected")[1][:20]
    assert 'selected value="rejected"' in selections[1]
