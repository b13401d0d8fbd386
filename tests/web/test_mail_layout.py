"""Every HTML mail extends the mail layout (templates/email/_base.html), directly or through the case layouts."""
from pathlib import Path

import pytest
from jinja2 import nodes

EMAIL = Path(__file__).resolve().parents[2] / "templates" / "email"
LAYOUT = "email/_base.html"
MAILS = sorted(p.name for p in EMAIL.glob("*.html") if not p.name.startswith("_"))


def _extends(app, name: str) -> str | None:
    source = (EMAIL / name).read_text(encoding="utf-8")
    found = app.jinja_env.parse(source).find(nodes.Extends)
    return found.template.value if found is not None else None


def test_there_are_mails_to_check():
    assert len(MAILS) >= 15


@pytest.mark.parametrize("name", MAILS)
def test_every_html_mail_extends_the_mail_layout(app, name):
    chain, current = [], f"email/{name}"
    while current != LAYOUT:
        parent = _extends(app, current.removeprefix("email/"))
        assert parent is not None, f"{' -> '.join([name, *chain])} extends no layout"
        assert parent not in chain, "a circle of layouts"
        chain.append(parent)
        current = parent
