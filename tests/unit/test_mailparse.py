"""What an incoming mail says, read from its bytes (domain/mailparse.py): pure, no app."""
from email import policy

import pytest

from caseflow.domain import mailparse
from tests.integration import mailcorpus as corpus

DOMAIN = "svar.foretag.example.se"


def parsed(msg):
    return mailparse.parse(msg if isinstance(msg, bytes) else msg.as_bytes(policy=policy.SMTP))


def test_html_becomes_text_without_markup_scripts_or_styles():
    text = mailparse.html_to_text("<style>p{color:red}</style><p>Hej <b>Anna</b> &amp; Erik</p><script>x()</script>"
                                  "<ul><li>ett</li><li>två</li></ul><a href='https://norrkoping.se'>länk</a>")
    assert text == "Hej Anna & Erik\n\n- ett\n- två\n\nlänk (https://norrkoping.se)"


def test_quoted_html_is_marked_so_it_is_cut():
    text = mailparse.html_to_text("<div>Svar</div><blockquote type='cite'><div>gammalt</div></blockquote>")
    assert text.splitlines()[0] == "Svar" and "> gammalt" in text
    assert mailparse.visible_reply(text) == "Svar"


@pytest.mark.parametrize("charset", ["iso-8859-1", "ISO-8859-1", "us-ascii", "windows-1252", "bogus-charset"])
def test_text_in_latin1_labels_reads_windows_1252_quotes(charset):
    data = "“Hej” – åäö".encode("cp1252")
    assert mailparse.decode_text(data, charset) == "“Hej” – åäö"


@pytest.mark.parametrize("address, token", [
    (f"svar+12-{'a' * 32}@{DOMAIN}", f"12-{'a' * 32}"),
    (f"SVAR+12-{'A' * 32}@SVAR.FORETAG.EXAMPLE.SE", f"12-{'a' * 32}"),
    (f"svar+12-{'a' * 31}@{DOMAIN}", None),  # too short a proof
    (f"svar+12-{'a' * 32}@evil.example.se", None),  # another domain
    (f"svar12-{'a' * 32}@{DOMAIN}", None),
    ("foretag@foretag.example.se", None),
])
def test_reply_token_is_read_only_from_our_reply_addresses(address, token):
    assert mailparse.reply_token(address, DOMAIN) == token


@pytest.mark.parametrize("subject, text, kind", [
    ("Klagomål", "Ni svarade aldrig.", "complaint"),
    ("Förslag", "Öppna tidigare.", "feedback"),
    ("Fråga om bygglov", "Vad gäller?", "question"),
    ("Bygglov", "Vi vill bygga en carport.", "errand"),
    ("Hej", "Vem kontaktar jag?", "question"),
])
def test_the_kind_of_a_new_mail_comes_from_its_words_with_question_as_default(subject, text, kind):
    assert mailparse.guess_kind(subject, text) == kind


def test_category_words_are_the_whole_name_and_its_first_part():
    assert mailparse.category_words("Bygglov och förhandsbesked") == ["bygglov och förhandsbesked", "bygglov"]
    assert mailparse.category_words("Övrigt / vet inte") == ["övrigt / vet inte", "övrigt"]
    assert mailparse.category_words("API") == ["api"]


def test_outlook_swedish_reply_keeps_only_the_answer():
    mail = parsed(corpus.outlook_sv_reply("a@b.se", "c@d.se", "Komplettering", "Här är ritningen.", "Skicka den."))
    assert mailparse.visible_reply(mail.text) == "Här är ritningen."
    assert not mail.html_only and mail.subject == "SV: Komplettering"


def test_gmail_english_reply_keeps_only_the_answer_and_the_logo_is_inline():
    mail = parsed(corpus.gmail_en_reply("a@b.se", "c@d.se", "Completion", "Attached.", "Send it.", inline_logo=True))
    assert mailparse.visible_reply(mail.text) == "Attached."
    assert mail.attachments == [] and [p.inline for p in mail.parts] == [True]


def test_apple_mail_html_only_reply_keeps_only_the_answer():
    mail = parsed(corpus.apple_sv_html_only("a@b.se", "c@d.se", "Komplettering", "Kommer i morgon.", "Skicka."))
    assert mail.html_only and mailparse.visible_reply(mail.text) == "Kommer i morgon."


@pytest.mark.parametrize("style", ["rfc3834", "exchange", "precedence"])
def test_automatic_mails_are_recognised(style):
    assert parsed(corpus.auto_reply("a@b.se", "c@d.se", "Hej", style)).auto_reply


def test_an_ordinary_reply_is_not_automatic():
    assert parsed(corpus.gmail_en_reply("a@b.se", "c@d.se", "Hej", "Svar.", "")).auto_reply is None


def test_a_dsn_names_its_failed_recipient():
    mail = parsed(corpus.dsn_bounce("c@d.se", "anna@kanalkafeet.se"))
    assert mail.is_report
    [bounce] = mailparse.failed_recipients(mail)
    assert bounce.recipient == "anna@kanalkafeet.se" and bounce.status == "5.1.1"


def test_raw_8bit_headers_read_as_utf8_or_windows_1252():
    raw = corpus.cp1252_bytes_mail("a@b.se", "c@d.se", "Ärende “x”", "Text")
    assert parsed(raw).subject == "Ärende “x”"
    utf8 = raw.replace("Ärende “x”".encode("cp1252"), "Ärende “x”".encode())
    assert parsed(utf8).subject == "Ärende “x”"


def test_the_same_message_id_from_another_sender_is_another_mail():
    a = corpus.gmail_en_reply("a@b.se", "c@d.se", "Hej", "Svar.", "")
    b = corpus.gmail_en_reply("x@y.se", "c@d.se", "Hej", "Svar.", "")
    del b["Message-ID"]
    b["Message-ID"] = a["Message-ID"]
    assert parsed(a).key != parsed(b).key
    assert parsed(a).key == parsed(a).key


@pytest.mark.parametrize("subject, text, language", [
    ("Moving here", "Hello, who do I talk to about moving my company to Norrköping? Thanks", "en"),
    ("Fråga", "Hej! Vem kontaktar vi om uteservering? Tack", "sv"),
    ("Hej", "", "sv"),
    ("Re: tillstånd", "Thank you, we will send the drawing. Med vänliga hälsningar, Anna", "sv"),
])
def test_a_new_mail_is_answered_in_english_only_when_plainly_written_in_it(subject, text, language):
    assert mailparse.guess_language(subject, text) == language
