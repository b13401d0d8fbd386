"""Swedish is the default language: every user-visible string has a Swedish translation, compiled."""
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
SV = ROOT / "caseflow" / "translations" / "sv" / "LC_MESSAGES"


def _source_msgids() -> set[str]:
    keywords = dict(DEFAULT_KEYWORDS, _l=None, lazy_gettext=None)
    ids = set()
    for method_map, where in (([("**.py", "python")], ROOT / "caseflow"),
                              ([("**.html", "jinja2"), ("**.txt", "jinja2")], ROOT / "templates")):
        for _file, _line, message, _comments, _ctx in extract_from_dir(where, method_map, keywords=keywords):
            ids.add(message if isinstance(message, str) else message[0])
    return ids


def test_every_string_in_code_and_templates_has_a_swedish_translation():
    with open(SV / "messages.po", "rb") as fh:
        po = {m.id: m.string for m in read_po(fh) if m.id}
    missing = sorted(i for i in _source_msgids() if not po.get(i))
    assert missing == [], "run the i18n commands in README.md and translate: " + repr(missing[:10])


def test_compiled_catalog_is_up_to_date_with_the_po_file():
    with open(SV / "messages.po", "rb") as fh:
        po = {m.id: m.string for m in read_po(fh) if m.id and m.string}
    with open(SV / "messages.mo", "rb") as fh:
        mo = {m.id: m.string for m in read_mo(fh) if m.id}
    assert po == mo, "run: pybabel compile -d caseflow/translations"
