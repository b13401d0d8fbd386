"""Which uploaded files are accepted: decided by their content, never by their name. Pure."""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile

# (content type, extension) by magic bytes
_MAGIC = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
]
_OOXML = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}


# Unicode categories dropped from file names: controls, format characters (bidi overrides, zero-width),
# surrogates, private use, unassigned.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


class RejectedFile(ValueError):
    """``code``: ``empty``, ``too_large`` or ``type``."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def sniff(data: bytes) -> tuple[str, str]:
    """(content type, extension) of an accepted file, from its bytes; RejectedFile('type') otherwise.

    Accepted: PDF, PNG, JPEG, GIF, Word/Excel/PowerPoint (OOXML, checked inside the zip), and plain UTF-8 text.
    HTML and SVG are refused even as text: a browser would run their scripts.
    """
    for magic, ctype, ext in _MAGIC:
        if data.startswith(magic):
            return ctype, ext
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            raise RejectedFile("type") from None
        if "[Content_Types].xml" in names:
            for prefix, result in _OOXML.items():
                if any(n.startswith(prefix) for n in names):
                    return result
        raise RejectedFile("type")
    if b"\x00" not in data:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise RejectedFile("type") from None
        head = text.lstrip()[:200].lower()
        if head.startswith(("<!doctype", "<html", "<svg", "<?xml", "<script")):
            raise RejectedFile("type")
        return "text/plain", "txt"
    raise RejectedFile("type")


def check(data: bytes, max_bytes: int) -> tuple[str, str]:
    if not data:
        raise RejectedFile("empty")
    if len(data) > max_bytes:
        raise RejectedFile("too_large")
    return sniff(data)


def safe_filename(original: str, ext: str) -> str:
    """A display/download name: no path, no control or invisible format characters, at most 100 characters,
    the extension of what the file really is. Swedish letters are kept.

    Format characters (Unicode category Cf) go with the controls (Cc): bidirectional overrides would show
    ``invoice\\u202egpj.pdf`` as "invoicefdp.jpg", and zero-width ones make two names look alike. Unassigned and
    private-use code points and lone surrogates (Cn, Co, Cs) go too; line and paragraph separators become spaces."""
    name = (original or "").replace("\\", "/").split("/")[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(" " if unicodedata.category(c) in ("Zl", "Zp") else c for c in name
                   if unicodedata.category(c) not in _INVISIBLE)
    name = re.sub(r"[<>:\"|?*;]", "", name).strip(" .")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = re.sub(r"\s+", " ", stem)[:90] or "bilaga"
    return f"{stem}.{ext}"
