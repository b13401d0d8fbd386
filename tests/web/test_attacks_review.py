"""An attacker's second look at the trust features (company access, sessions, input at the edge, production
settings). Each test is an attack, replayed; those whose docstring says "held" never worked and keep it so."""
import re

import pytest

from tests.conftest import PASSWORD


# -- open redirect after the staff login ----------------------------------------------------------------------------
@pytest.mark.parametrize("target", ["/\\evil.example/", "/\\/evil.example/", "/\t/evil.example/",
                                    "/ /evil.example/", "/\\\\evil.example", "/%5C/evil.example/"])
def test_the_login_next_parameter_cannot_send_the_browser_to_another_site(client, make_user, offices, target):
    """Browsers read a backslash as a slash and drop tabs and line breaks in a URL, so ``/\\evil.example``
    typed raw into a Location header is ``//evil.example``: another site. What the browser gets must be a path
    of ours: one leading slash, then no slash, backslash, white space or control character that could make it
    another host. Held: Werkzeug percent-encodes such characters in the Location header."""
    officer = make_user("officer", offices["samhallsbyggnad"])
    resp = client.post("/staff/login", query_string={"next": target},
                       data={"email": officer.email, "password": PASSWORD})
    assert resp.status_code == 302
    location = resp.headers["Location"]
    assert location.startswith("/") and location[1:2] not in ("/", "\\")
    assert not re.search(r"[\\\x00-\x20\x7f]", location)


@pytest.mark.parametrize("target", ["/\r\nSet-Cookie: x=1", "/staff/\n", "/\n/evil.example"])
def test_a_line_break_in_the_login_next_parameter_is_no_server_error(client, make_user, offices, target):
    """Python's URL parser drops line breaks before it looks, so a ``next`` with one passed the check and then
    failed as a header value: a 500 (Werkzeug refuses the header; it never reached the browser)."""
    officer = make_user("officer", offices["samhallsbyggnad"])
    resp = client.post("/staff/login", query_string={"next": target},
                       data={"email": officer.email, "password": PASSWORD})
    assert resp.status_code == 302 and resp.headers["Location"] == "/staff/"
    assert "x=1" not in resp.headers.get("Set-Cookie", "")


def test_a_same_site_next_path_is_still_followed(client, make_user, offices):
    officer = make_user("officer", offices["samhallsbyggnad"])
    resp = client.post("/staff/login", query_string={"next": "/staff/search?q=a"},
                       data={"email": officer.email, "password": PASSWORD})
    assert resp.headers["Location"] == "/staff/search?q=a"
