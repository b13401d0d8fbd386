"""Attachments: checked by content and size, stored under random names, served only to those allowed."""
from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from ..domain.files import RejectedFile, check, safe_filename
from ..extensions import db
from ..models import Attachment, Case, Message
from .errors import InvalidInput, NotFound

MAX_FILES = 5


@dataclass
class Upload:
    filename: str
    data: bytes


def _dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def validate(uploads: list[Upload]) -> list[tuple[Upload, str, str]]:
    """All-or-nothing check of a message's files; InvalidInput names the first bad file's problem."""
    uploads = [u for u in uploads if u.filename or u.data]
    if len(uploads) > MAX_FILES:
        raise InvalidInput({"attachments": "too_many_files"})
    out = []
    for u in uploads:
        try:
            ctype, ext = check(u.data, current_app.config["ATTACHMENT_MAX_BYTES"])
        except RejectedFile as exc:
            raise InvalidInput({"attachments": f"file_{exc.code}"}) from None
        out.append((u, ctype, ext))
    return out


def store(case: Case, message: Message, checked: list[tuple[Upload, str, str]], uploader_kind: str,
          now: datetime) -> list[Attachment]:
    """Write the files and stage their rows (registered with the message, OSL 5 kap.). The caller commits;
    if the commit fails the files are orphans that the gallring job may remove, never half-registered rows."""
    rows = []
    for u, ctype, ext in checked:
        storage_name = secrets.token_hex(20) + ".bin"
        path = _dir() / storage_name
        with open(path, "xb") as fh:
            fh.write(u.data)
        os.chmod(path, 0o600)
        row = Attachment(case_id=case.id, message_id=message.id, filename=safe_filename(u.filename, ext),
                         storage_name=storage_name, content_type=ctype, size=len(u.data),
                         sha256=hashlib.sha256(u.data).hexdigest(), uploaded_at=now, uploader_kind=uploader_kind)
        db.session.add(row)
        rows.append(row)
    return rows


def for_messages(message_ids: list[int]) -> dict[int, list[Attachment]]:
    out: dict[int, list[Attachment]] = {}
    if message_ids:
        for a in db.session.scalars(sa.select(Attachment).where(Attachment.message_id.in_(message_ids))
                                    .order_by(Attachment.id)):
            out.setdefault(a.message_id, []).append(a)
    return out


def open_for_case(case: Case, attachment_id: int, public_only: bool) -> tuple[Attachment, Path]:
    """The file of an attachment on this case. For the company (public_only) never one on an internal note."""
    att = db.session.get(Attachment, attachment_id)
    if att is None or att.case_id != case.id:
        raise NotFound("attachment")
    if public_only:
        msg = db.session.get(Message, att.message_id) if att.message_id else None
        if msg is None or msg.internal:
            raise NotFound("attachment")
    path = _dir() / att.storage_name
    if not path.is_file():
        raise NotFound("attachment")
    return att, path
