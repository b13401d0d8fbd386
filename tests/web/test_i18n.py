"""Translations looked up once per language (caseflow/web/i18n.py) still follow the request's language,
``force_locale`` blocks and the absence of any app context."""
import threading

from flask_babel import force_locale

from caseflow.web import i18n
from caseflow.web.auth.forms import REQUIRED  # any lazy text of a module


def request_in(app, language):
    """A request of its own (Flask-Babel keeps the locale on ``g``, which belongs to the app context)."""
    ctx = app.app_context()
    ctx.push()
    req = app.test_request_context(f"/?lang={language}")
    req.push()
    return lambda: (req.pop(), ctx.pop())


def test_a_lazy_text_is_written_in_the_language_of_each_request(app):
    for language, text in [("en", "Please fill in this field."), ("sv", "Fyll i det här fältet."),
                           ("en", "Please fill in this field.")]:  # Swedish, once kept, does not leak into English
        done = request_in(app, language)
        try:
            assert str(REQUIRED) == text
        finally:
            done()


def test_force_locale_inside_a_request_translates_into_the_forced_language(app):
    with app.test_request_context("/?lang=sv"):
        assert i18n.lang() == "sv"
        assert i18n.gettext("Please fill in this field.") == "Fyll i det här fältet."
        with force_locale("en"):  # e.g. a mail to an English-speaking company sent during a Swedish request
            assert i18n.lang() == "en"
            assert str(REQUIRED) == "Please fill in this field."
        assert str(REQUIRED) == "Fyll i det här fältet."


def test_a_text_looked_up_outside_any_app_context_is_not_kept_as_swedish(app):
    msgid = "Please fill in this field."
    i18n._translated.pop(("sv", msgid), None)
    out = []  # the ``app`` fixture holds an app context; look up from a thread that has none
    t = threading.Thread(target=lambda: out.append((i18n.lang(), i18n.gettext(msgid))))
    t.start()
    t.join()
    assert out == [("sv", msgid)]  # untranslated outside a context, and …
    assert ("sv", msgid) not in i18n._translated  # … not remembered as the Swedish text
    done = request_in(app, "sv")
    try:
        assert i18n.gettext(msgid) == "Fyll i det här fältet."
    finally:
        done()


def test_variables_are_filled_in_after_translation(app):
    # filled in first, "5 working h" would be looked up in the catalogue, not found, and shown in English
    done = request_in(app, "sv")
    try:
        assert i18n.gettext("%(n)s working h", n=5) == "5 arbetstimmar"
        assert str(i18n.lazy_gettext("%(n)s working h", n=7)) == "7 arbetstimmar"
    finally:
        done()
