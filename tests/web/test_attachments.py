"""Attachments through the pages: accepted, refused with a message that keeps the text, served safely."""
import io

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import Attachment, Message
from tests.conftest import login

PDF = b"%PDF-1.4\n%test\n"


def test_company_answer_with_a_pdf_is_registered_and_downloadable_by_both(client, app, submit, make_user, offices):
    r = submit()
    resp = client.post(f"/track/{r.token}", data={"body": "Ritning bifogad.",
                                                 "attachments": [(io.BytesIO(PDF), "../ritning.pdf")]},
                       content_type="multipart/form-data")
    assert resp.status_code == 302
    att = db.session.scalar(sa.select(Attachment))
    assert att.filename == "ritning.pdf" and att.content_type == "application/pdf" and att.uploader_kind == "company"
    assert "ritning" not in att.storage_name
    dl = client.get(f"/track/{r.token}/attachments/{att.id}")
    assert dl.status_code == 200 and dl.data == PDF
    assert dl.headers["Content-Disposition"].startswith("attachment")
    assert dl.headers["X-Content-Type-Options"] == "nosniff" and "sandbox" in dl.headers["Content-Security-Policy"]
    officer_client = app.test_client()
    login(officer_client, make_user("officer", offices["samhallsbyggnad"]))
    assert officer_client.get(f"/staff/cases/{r.case_id}/attachments/{att.id}").data == PDF
    other = app.test_client()
    login(other, make_user("officer", offices["miljo"]))
    assert other.get(f"/staff/cases/{r.case_id}/attachments/{att.id}").status_code == 404


def test_disguised_executable_is_refused_and_the_text_is_kept(client, submit):
    r = submit()
    resp = client.post(f"/track/{r.token}", data={"body": "Här är filen jag lovade.",
                                                 "attachments": [(io.BytesIO(b"MZ\x90\x00..."), "ritning.pdf")]},
                       content_type="multipart/form-data")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "Här är filen jag lovade." in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Message)) == 0  # nothing half-written


def test_oversize_file_is_refused(client, app, submit):
    app.config["ATTACHMENT_MAX_BYTES"] = 100
    r = submit()
    resp = client.post(f"/track/{r.token}", data={"body": "Stor fil", "attachments": [
        (io.BytesIO(PDF + b"x" * 200), "stor.pdf")]}, content_type="multipart/form-data")
    assert resp.status_code == 422 and "Varje fil får vara högst" in resp.get_data(as_text=True)


def test_attachment_of_another_case_cannot_be_fetched_with_my_token(client, submit):
    a, b = submit(), submit()
    client.post(f"/track/{a.token}", data={"body": "x", "attachments": [(io.BytesIO(PDF), "a.pdf")]},
                content_type="multipart/form-data")
    att = db.session.scalar(sa.select(Attachment))
    assert client.get(f"/track/{b.token}/attachments/{att.id}").status_code == 404


def test_officer_reply_with_attachment_reaches_the_company(client, app, submit, make_user, offices):
    r = submit()
    login(client, make_user("officer", offices["samhallsbyggnad"]))
    resp = client.post(f"/staff/cases/{r.case_id}/reply", data={
        "reply-body": "Här är beslutet.", "reply-attachments": [(io.BytesIO(PDF), "beslut.pdf")]},
        content_type="multipart/form-data")
    assert resp.status_code == 302
    page = app.test_client().get(f"/track/{r.token}").get_data(as_text=True)
    assert "beslut.pdf" in page


def _too_large(limit: int) -> list:
    return [(io.BytesIO(PDF + b"x" * (limit - len(PDF) + 1)), "ritning.pdf")]


def test_the_oversize_message_and_hint_name_the_configured_limit_as_the_page_writes_numbers(client, app, submit):
    """The limit is ATTACHMENT_MAX_BYTES, not a typed "10 MB": 2.5 MiB reads "2,5 MB" in Swedish, "2.5 MB" in
    English, in the field's error and its hint."""
    app.config["ATTACHMENT_MAX_BYTES"] = 2_621_440
    r = submit()
    sv = client.post(f"/track/{r.token}", data={"body": "Stor fil", "attachments": _too_large(2_621_440)},
                     content_type="multipart/form-data").get_data(as_text=True)
    assert "Varje fil får vara högst 2,5\xa0MB" in sv and "Upp till 5 filer, högst 2,5\xa0MB var" in sv
    assert "10 MB" not in sv
    en = client.post(f"/track/{r.token}?lang=en", data={"body": "Big file", "attachments": _too_large(2_621_440)},
                     content_type="multipart/form-data").get_data(as_text=True)
    assert "Each file must be 2.5\xa0MB or smaller" in en and "Up to 5 files, 2.5\xa0MB each" in en
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Message)) == 0


def test_the_officers_oversize_message_follows_the_setting(client, app, submit, make_user, offices):
    app.config["ATTACHMENT_MAX_BYTES"] = 512_000
    r = submit()
    login(client, make_user("officer", offices["samhallsbyggnad"]))
    page = client.post(f"/staff/cases/{r.case_id}/reply?lang=en", data={
        "reply-body": "Här är beslutet.", "reply-attachments": _too_large(512_000)},
        content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "One of the files is larger than 500\xa0kB." in page and "Up to 5 files, 500\xa0kB each" in page
