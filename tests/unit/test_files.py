import io
import zipfile

import pytest

from caseflow.domain.files import RejectedFile, check, safe_filename, sniff


def _zip(names):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n in names:
            z.writestr(n, "x")
    return buf.getvalue()


@pytest.mark.parametrize("data,ctype", [
    (b"%PDF-1.7\n...", "application/pdf"), (b"\x89PNG\r\n\x1a\n....", "image/png"),
    (b"\xff\xd8\xff\xe0..", "image/jpeg"),
    ("Hej, här är texten.".encode(), "text/plain"),
])
def test_accepted_types_are_recognised_by_content(data, ctype):
    assert sniff(data)[0] == ctype


def test_word_document_is_recognised_inside_the_zip():
    assert sniff(_zip(["[Content_Types].xml", "word/document.xml"]))[1] == "docx"


@pytest.mark.parametrize("data", [
    b"MZ\x90\x00 executable", _zip(["evil.exe"]), b"<!DOCTYPE html><script>alert(1)</script>",
    b"<svg onload=alert(1)>", b"\x00\x01\x02binary", b"\xff\xfe\xfd not utf-8",
])
def test_other_content_is_refused_whatever_its_name(data):
    with pytest.raises(RejectedFile) as exc:
        sniff(data)
    assert exc.value.code == "type"


def test_size_and_emptiness_are_checked_first():
    with pytest.raises(RejectedFile) as exc:
        check(b"", 10)
    assert exc.value.code == "empty"
    with pytest.raises(RejectedFile) as exc:
        check(b"%PDF-" + b"x" * 20, 10)
    assert exc.value.code == "too_large"


@pytest.mark.parametrize("original,ext,expected", [
    ("../../etc/passwd", "txt", "passwd.txt"), ("C:\\Users\\x\\ritning.exe", "pdf", "ritning.pdf"),
    ("Situationsplan Öst.PDF", "pdf", "Situationsplan Öst.pdf"), ("", "png", "bilaga.png"),
    ("..", "txt", "bilaga.txt"), ("a\x00b<script>.pdf", "pdf", "abscript.pdf"),
])
def test_safe_filename_strips_paths_and_forces_the_real_extension(original, ext, expected):
    assert safe_filename(original, ext) == expected
