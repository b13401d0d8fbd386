"""Realistic incoming mails, built here: the shapes Outlook, Gmail and Apple Mail really send, in Swedish and
English, with quotes, signatures, attachments, inline images, odd charsets, auto-replies and bounces."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime
from email.header import Header
from email.message import EmailMessage, Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, make_msgid, parseaddr

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100


def _base(msg, sender: str, to: str, subject: str, in_reply_to: str | None = None, message_id: str | None = None):
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime(2026, 11, 30, 9, 30, tzinfo=UTC))
    msg["Message-ID"] = message_id or make_msgid(idstring=uuid.uuid4().hex[:8], domain="mail.test-sender.se")
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    return msg


def outlook_sv_reply(sender, to, subject, answer, quoted, in_reply_to=None, files=()):
    """Outlook (Windows, Swedish): text and HTML, the "Från/Skickat/Till/Ämne" block, a signature, files."""
    text = (f"{answer}\n\nMed vänliga hälsningar\nAnna Andersson\nKanalkaféet AB\n070-123 45 67\n\n"
            "________________________________\n"
            "Från: Företagsservice <noreply@norrkoping.se>\nSkickat: den 27 november 2026 10:12\n"
            f"Till: Anna Andersson <anna@kanalkafeet.se>\nÄmne: {subject}\n\n{quoted}\n")
    html = (f"<html><head><style>p{{margin:0}}</style></head><body><p>{answer}</p><p>&nbsp;</p>"
            "<p>Med vänliga hälsningar<br>Anna Andersson<br>Kanalkaféet AB</p>"
            "<div id=\"appendonsend\"></div><hr><div id=\"divRplyFwdMsg\"><b>Från:</b> Företagsservice"
            f"<br><b>Skickat:</b> den 27 november 2026 10:12<br><b>Ämne:</b> {subject}</div>"
            f"<div>{quoted}</div></body></html>")
    msg = EmailMessage()
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    for name, data, ctype in files:
        maintype, subtype = ctype.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    msg["Thread-Topic"] = subject
    return _base(msg, sender, to, f"SV: {subject}", in_reply_to)


def gmail_en_reply(sender, to, subject, answer, quoted, in_reply_to=None, inline_logo=False, files=()):
    """Gmail (English): multipart/alternative, "On … wrote:" and "> " quotes, a div.gmail_quote in HTML;
    optionally an inline image (a signature logo) shown by Content-ID, and files."""
    quoted_text = "\n".join(f"> {line}" for line in quoted.splitlines())
    text = (f"{answer}\n\nBest regards,\nJohn\n\nOn Fri, 27 Nov 2026 at 10:12, Foretagsservice "
            f"<noreply@norrkoping.se> wrote:\n{quoted_text}\n")
    html = (f"<div dir=\"ltr\">{answer.replace(chr(10), '<br>')}<br><br>Best regards,<br>John"
            + ("<br><img src=\"cid:logo123\" alt=\"logo\">" if inline_logo else "")
            + "</div><br><div class=\"gmail_quote\"><div class=\"gmail_attr\">On Fri, 27 Nov 2026 at 10:12, "
            "Foretagsservice &lt;noreply@norrkoping.se&gt; wrote:<br></div>"
            f"<blockquote class=\"gmail_quote\">{quoted}</blockquote></div>")
    msg = EmailMessage()
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    if inline_logo:
        msg.get_payload()[1].add_related(PNG, maintype="image", subtype="png", cid="<logo123>")
    for name, data, ctype in files:
        maintype, subtype = ctype.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return _base(msg, sender, to, f"Re: {subject}", in_reply_to)


def apple_sv_html_only(sender, to, subject, answer, quoted, in_reply_to=None):
    """Apple Mail, HTML only (no text part), Swedish attribution and a blockquote type=cite."""
    html = (f"<html><body style=\"overflow-wrap: break-word;\"><div>{answer}</div><div><br></div>"
            "<script>alert(1)</script><div>Hälsningar<br>Erik</div><div><br><blockquote type=\"cite\">"
            "<div>27 nov. 2026 kl. 10:12 skrev Företagsservice &lt;noreply@norrkoping.se&gt;:</div>"
            f"<div>{quoted}</div></blockquote></div></body></html>")
    msg = EmailMessage()
    msg.set_content(html, subtype="html")
    return _base(msg, sender, to, f"Sv: {subject}", in_reply_to)


def latin1_new_mail(sender, to, subject, body, charset="iso-8859-1"):
    """An old mail program: a single text part in ISO-8859-1 (really Windows-1252: curly quotes), the subject
    as an RFC 2047 encoded word."""
    msg = MIMEText(body, "plain", charset)
    msg["Subject"] = Header(subject, charset).encode()
    name, address = parseaddr(sender)
    msg["From"] = formataddr((name, address), charset=charset) if name else address
    msg["To"] = to
    msg["Message-ID"] = make_msgid(domain="old.example.se")
    return msg


def cp1252_bytes_mail(sender, to, subject, body) -> bytes:
    """Raw bytes: labelled iso-8859-1 but containing Windows-1252 quotes (0x93 0x94) and raw 8-bit bytes in the
    Subject header, as broken mailers send."""
    head = (f"From: {sender}\r\nTo: {to}\r\nMessage-ID: <{uuid.uuid4().hex}@broken.example.se>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
            "Content-Transfer-Encoding: 8bit\r\n").encode("ascii")
    return head + b"Subject: " + subject.encode("cp1252") + b"\r\n\r\n" + body.encode("cp1252") + b"\r\n"


def auto_reply(sender, to, subject, style="rfc3834"):
    msg = EmailMessage()
    msg.set_content("Jag är på semester till och med 7 december. Vid brådskande ärenden ring växeln.")
    msg = _base(msg, sender, to, f"Automatiskt svar: {subject}")
    if style == "rfc3834":
        msg["Auto-Submitted"] = "auto-replied"
    elif style == "exchange":
        del msg["Subject"]
        msg["Subject"] = f"Re: {subject}"
        msg["X-Auto-Response-Suppress"] = "All"
    elif style == "precedence":
        del msg["Subject"]
        msg["Subject"] = f"Re: {subject}"
        msg["Precedence"] = "auto_reply"
    return msg


def dsn_bounce(to, failed_recipient, original_message_id="<x@y>"):
    """A Postfix-style delivery status notification (RFC 3464): multipart/report; report-type=delivery-status."""
    msg = MIMEMultipart("report", report_type="delivery-status")
    msg.attach(MIMEText(f"This is the mail system at host mx.example.se.\n\nI'm sorry to have to inform you that "
                        f"your message could not be delivered.\n\n<{failed_recipient}>: host said: 550 5.1.1 "
                        "User unknown\n"))
    per_message = Message()
    per_message["Reporting-MTA"] = "dns; mx.example.se"
    per_recipient = Message()
    per_recipient["Final-Recipient"] = f"rfc822; {failed_recipient}"
    per_recipient["Original-Recipient"] = f"rfc822; {failed_recipient}"
    per_recipient["Action"] = "failed"
    per_recipient["Status"] = "5.1.1"
    per_recipient["Diagnostic-Code"] = f"smtp; 550 5.1.1 <{failed_recipient}>: Recipient address rejected"
    status = MIMEBase("message", "delivery-status")
    status.set_payload([per_message, per_recipient])
    msg.attach(status)
    headers = MIMEText(f"Message-ID: {original_message_id}\nSubject: Komplettering\n", "rfc822-headers")
    msg.attach(headers)
    msg["From"] = "MAILER-DAEMON@mx.example.se (Mail Delivery System)"
    msg["To"] = to
    msg["Subject"] = "Undelivered Mail Returned to Sender"
    msg["Message-ID"] = make_msgid(domain="mx.example.se")
    msg["Auto-Submitted"] = "auto-replied"
    return msg


def forwarded_chain(sender, to):
    """A company forwards a thread to the service's address: the forwarded text is the substance, kept whole."""
    body = ("Hej, se nedan. Vi vill ansöka om tillstånd för uteservering på Drottninggatan.\n\n"
            "---------- Vidarebefordrat meddelande ---------\n"
            "Från: Lars Berg <lars@bergsbygg.se>\nDatum: tors 26 nov. 2026 14:03\nÄmne: Uteservering\n"
            "Till: Maria <maria@kanalkafeet.se>\n\n"
            "Hej Maria! Markupplåtelse behövs innan vi kan bygga trädäcket. /Lars\n")
    msg = EmailMessage()
    msg.set_content(body)
    return _base(msg, sender, to, "VB: Uteservering")
