"""Hostile and awkward inputs, built on the fly: what a court site, a scraper or an attacker sends.

Each case is a ``Case``: a builder that writes one file (or a link, a folder, a FIFO) into a
folder, and what a correct outcome is. ``expect="ok"`` means the text must come out (and contain
``contains`` if given, and never ``absent``); ``expect="fail"`` means a ``failed`` or
``unsupported`` status with a one-line error naming the file; ``expect="skip"`` means the file
must not be ingested at all (a symlink met in a folder, a file inside a precedents index). Nothing here is a real document: the
texts are fictional and the attacks are generated, so no hostile file is ever committed.

Used by ``tools.suites.robustness`` (``make robustness``: all cases) and
``tests/test_robustness.py`` (the fast ones, in ``make test``).
"""

from __future__ import annotations

import os
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

RULING_RU = ("ПРИГОВОР\nИменем Российской Федерации\nЛенинский районный суд г. Самары рассмотрел "
             "уголовное дело № 1-77/2021 по обвинению сотрудника полиции по п. «а» ч. 3 ст. 286 "
             "УК РФ. Потерпевший показал, что к нему применялись пытки в отделе полиции.\n")
RULING_EN = ("CASE OF NOVIKOV v. RUSSIA\n(Application no. 12345/10)\nJUDGMENT\nSTRASBOURG\n"
             "5 March 2015\nThe applicant complained of ill-treatment in police custody.\n")


@dataclass(frozen=True)
class Case:
    """One hostile input and what a correct outcome is."""

    name: str
    build: Callable[[Path], Path]
    expect: str  # "ok", "fail" or "skip"
    contains: str | None = None
    absent: str | None = None
    slow: bool = False
    #: True when the right outcome needs a worker killed by its time or memory limit.
    limit: bool = False


# -- PDF -------------------------------------------------------------------------------------

def pdf_bytes(objects: list[bytes], *, root: int = 1, xref: bool = True) -> bytes:
    """A PDF file from object bodies (object n is ``objects[n-1]``), with a correct xref."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    start = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, start)
    return bytes(out)


def _page_pdf(stream: bytes, *, compress: bool = True) -> bytes:
    data = zlib.compress(stream, 9) if compress else stream
    flt = b" /Filter /FlateDecode" if compress else b""
    return pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d%s >>\nstream\n" % (len(data), flt) + data + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def _text_pdf(text: str) -> bytes:
    ops = b"BT /F1 12 Tf 72 770 Td " + b" ".join(
        b"(" + line.encode("latin-1", "replace").replace(b"(", b"").replace(b")", b"") + b") Tj 0 -16 Td"
        for line in text.splitlines()) + b" ET"
    return _page_pdf(ops)


def _write(name: str, data: bytes | Callable[[], bytes]) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data() if callable(data) else data)
        return path
    return build


def pdf_bomb(gigabytes: float = 2) -> bytes:
    """A page stream that inflates to ``gigabytes`` of zeros: a few MB on disk."""
    comp = zlib.compressobj(9)
    chunk = b"\0" * (64 << 20)
    data = b"".join(comp.compress(chunk) for _ in range(int(gigabytes * 16))) + comp.flush()
    return pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
    ])


def pdf_endless() -> bytes:
    """One page of ~60 million no-op operators: parsing it never ends in time."""
    return _page_pdf(b"q Q " * 15_000_000)


def _pdf_self_xref() -> bytes:
    """A page tree whose Kids point back at itself, and a Contents that refers to itself."""
    return pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>",
    ])


def _pdf_page_count_lie() -> bytes:
    """A page tree claiming a billion pages, all the same object."""
    kids = b" ".join([b"3 0 R"] * 5000)
    return pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count 1000000000 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ])


def _pdf_encrypted(user: str, owner: str) -> Callable[[], bytes]:
    def build() -> bytes:
        from fpdf import FPDF

        pdf = FPDF()
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        for line in RULING_EN.splitlines():
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_encryption(owner_password=owner, user_password=user)
        return bytes(pdf.output())
    return build


def _pdf_javascript() -> bytes:
    return pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 770 Td (Judgment text) Tj ET\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /S /JavaScript /JS (app.alert\\('x'\\);) >>",
    ])


# -- DOCX ------------------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
          'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
          'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="'
          'application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.'
          'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
         f'.org/package/2006/relationships"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
         'Target="word/document.xml"/></Relationships>')


def docx_bytes(document: str | bytes, *, extra: dict[str, bytes] | None = None) -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _TYPES)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("word/document.xml", document)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def _document(paragraphs: str, prolog: str = "") -> str:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs.split("\n") if p)
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<w:document xmlns:w="{_W}">'
            f"<w:body>{body}</w:body></w:document>")


def _docx_bomb() -> bytes:
    """document.xml inflating to 1 GB of spaces inside a valid element: ~1 MB on disk."""
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _TYPES)
        zf.writestr("_rels/.rels", _RELS)
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(f'<w:document xmlns:w="{_W}"><w:body><w:p><w:r><w:t>'.encode())
            block = b" " * (16 << 20)
            for _ in range(64):
                member.write(block)
            member.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buf.getvalue()


_XXE = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
_LAUGHS = ('<!DOCTYPE w:document [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                     for i in range(1, 10)) + "]>")


def _docx_many_members() -> bytes:
    return docx_bytes(_document(RULING_EN), extra={f"word/media/{i}.xml": b"" for i in range(20_000)})


# -- text, HTML, RTF, JSON -------------------------------------------------------------------

def _long_text() -> bytes:
    """Over spaCy's 1,000,000-character limit: tagged in chunks, never refused."""
    return (RULING_EN * (1_200_000 // len(RULING_EN) + 1)).encode()


def _html_script() -> bytes:
    return ("<html><head><title>Приговор</title><script>alert('xss')</script>"
            "<style>body{}</style></head><body><div>" + RULING_RU.replace("\n", "<br>")
            + "<script>document.write('<b>x</b>')</script><img src=x onerror=alert(1)></div>"
            "</body></html>").encode("utf-8")


def _html_deep() -> bytes:
    return b"<html><body>" + b"<div>" * 100_000 + RULING_EN.encode() + b"</div>" * 100_000 + b"</body></html>"


def _rtf_deep() -> bytes:
    return b"{\\rtf1\\ansi " + b"{" * 200_000 + RULING_EN.encode() + b"}" * 200_000 + b"}"


def _rtf_bin() -> bytes:
    """A \\bin control word claiming 2 GB of binary data, and an unbalanced group."""
    return b"{\\rtf1\\ansi Judgment text \\bin2000000000 " + os.urandom(1024) + b"{{{{"


def _json_deep() -> bytes:
    return b"[" * 100_000 + b"]" * 100_000


def _surrogates() -> bytes:
    """UTF-8 with CESU-style encoded surrogates and a lone one: invalid UTF-8 mid-text."""
    return RULING_RU.encode() + b"\xed\xa0\x80 \xed\xb0\x80 " + RULING_RU.encode()


# -- names and file types --------------------------------------------------------------------

def _symlink_out(folder: Path) -> Path:
    path = folder / "passwd-link.txt"
    path.symlink_to("/etc/passwd")
    return path


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.txt"
    os.mkfifo(path)
    return path


def _socket(folder: Path) -> Path:
    import socket

    path = folder / "sock"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
    return path


def _symlink_loop(folder: Path) -> Path:
    path = folder / "loop.txt"
    path.symlink_to(path)
    return path


def _symlink_dangling(folder: Path) -> Path:
    path = folder / "dangling.txt"
    path.symlink_to(folder / "gone.txt")
    return path


def _nested_index(folder: Path) -> Path:
    """A copy of a precedents index inside the tree: its files are never documents."""
    index = folder / "old-index"
    (index / "whoosh").mkdir(parents=True)
    (index / "catalogue.sqlite").write_bytes(b"SQLite format 3\0" + bytes(4080))
    (index / "ENGINE").write_text("whoosh\n")
    (index / "stray-ruling.txt").write_text(RULING_EN + "inside an index")
    return index / "stray-ruling.txt"


def _empty_copies(folder: Path) -> Path:
    """Six identical empty files: each must get its own failed line, the last one too."""
    paths = [folder / f"empty-copy-{n}.txt" for n in range(6)]
    for path in paths:
        path.write_bytes(b"")
    return paths[-1]


def _pdf_digits_only() -> bytes:
    """Pages whose lines differ from page to page only in their digits (a payment register):
    to a digit-blind running-head rule every line is a head, and the whole text went."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_font("helvetica", size=11)
    k = 0
    for _ in range(5):
        pdf.add_page()
        for row in range(3):
            k += 1
            pdf.text(x=72, y=60 + 16 * row, text=f"Payment {k} of {100 + 7 * k} roubles on "
                                                  f"{k % 28 + 1}.03.2020")
    return bytes(pdf.output())


def _folder_named_pdf(folder: Path) -> Path:
    path = folder / "folder.pdf"
    path.mkdir()
    (path / "inside.txt").write_text(RULING_EN + "folder")
    return path / "inside.txt"


def _named(name: str, data: bytes) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path
    return build


def _bad_bytes_name(folder: Path) -> Path:
    path = Path(os.fsdecode(os.fsencode(folder) + b"/\xff\xfe-ruling.txt"))
    path.write_bytes((RULING_EN + "bad bytes").encode())
    return path


CASES: list[Case] = [
    # PDF
    Case("pdf-stream-bomb", _write("bomb.pdf", pdf_bomb), "fail", limit=True, slow=True),
    Case("pdf-endless-page", _write("endless.pdf", pdf_endless), "fail", limit=True, slow=True),
    Case("pdf-self-referencing-tree", _write("self-xref.pdf", _pdf_self_xref), "fail"),
    Case("pdf-billion-pages", _write("billion-pages.pdf", _pdf_page_count_lie), "fail"),
    Case("pdf-encrypted-user-password", _write("user-pw.pdf", _pdf_encrypted("secret", "owner")), "fail"),
    Case("pdf-encrypted-owner-only", _write("owner-pw.pdf", _pdf_encrypted("", "owner")), "ok",
         contains="NOVIKOV"),
    Case("pdf-truncated", _write("truncated.pdf", lambda: _text_pdf(RULING_EN)[:300]), "fail"),
    Case("pdf-no-xref", _write("no-xref.pdf", lambda: pdf_bytes([b"<< /Type /Catalog >>"], xref=False)), "fail"),
    Case("pdf-junk-right-extension", _write("junk.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 40), "fail"),
    Case("pdf-empty", _write("empty.pdf", b""), "fail"),
    Case("pdf-lines-differ-only-in-digits", _write("register.pdf", _pdf_digits_only), "ok",
         contains="Payment 15 of 205 roubles"),
    Case("pdf-javascript", _write("javascript.pdf", _pdf_javascript), "ok", contains="Judgment text",
         absent="alert"),
    # DOCX
    Case("docx-zip-bomb", _write("bomb.docx", _docx_bomb), "fail"),
    Case("docx-xxe", _write("xxe.docx", lambda: docx_bytes(_document("Text &xxe; end", _XXE))), "fail",
         absent="root:"),
    Case("docx-billion-laughs", _write("laughs.docx", lambda: docx_bytes(_document("&lol9;", _LAUGHS))), "fail"),
    Case("docx-truncated", _write("truncated.docx", lambda: docx_bytes(_document(RULING_EN))[:200]), "fail"),
    Case("docx-junk-right-extension", _write("junk.docx", b"PK\x03\x04" + os.urandom(2000)), "fail"),
    Case("docx-20000-members", _write("many.docx", _docx_many_members), "fail"),
    Case("docx-zip-slip-member", _write("slip.docx", lambda: docx_bytes(
        _document(RULING_EN + "slip"), extra={"../../evil.txt": b"x"})), "ok", contains="NOVIKOV"),
    # text encodings and bytes
    Case("txt-cp1251", _write("cp1251.txt", RULING_RU.encode("cp1251")), "ok", contains="Потерпевший"),
    Case("txt-koi8r", _write("koi8r.txt", (RULING_RU * 3).replace("№", "N").replace("«", '"').replace("»", '"').encode("koi8-r")), "ok", contains="Потерпевший"),
    Case("txt-utf16", _write("utf16.txt", RULING_RU.encode("utf-16")), "ok", contains="Потерпевший"),
    # A stray NUL or two, as scrapers leave them (a text with more control bytes than 1 % is
    # taken for binary: see extract/txt.looks_like_text).
    # UTF-16 without a BOM (Windows tools write it): NULs on alternate bytes, yet text.
    Case("txt-utf16-le-no-bom", _write("utf16le.txt", RULING_RU.encode("utf-16-le")), "ok",
         contains="Потерпевший"),
    Case("txt-utf16-be-no-bom", _write("utf16be", RULING_EN.encode("utf-16-be")), "ok",
         contains="NOVIKOV"),
    Case("txt-nul-bytes", _write("nul.txt", (RULING_EN * 5).encode().replace(b" ", b"\0 ", 3)), "ok",
         contains="NOVIKOV", absent="\0"),
    Case("txt-lone-surrogates", _write("surrogates.txt", _surrogates), "ok", contains="Потерпевший"),
    Case("txt-random-binary", _write("random.txt", bytes(range(256)) * 64), "fail"),
    Case("txt-empty", _write("empty.txt", b""), "fail"),
    Case("txt-over-spacy-limit", _write("long.txt", _long_text), "ok", contains="NOVIKOV", slow=True),
    # HTML, RTF, JSON
    Case("html-scripts", _write("script.html", _html_script), "ok", contains="Потерпевший", absent="alert"),
    Case("html-deep-nesting", _write("deep.html", _html_deep), "ok", contains="NOVIKOV"),
    Case("rtf-deep-groups", _write("deep.rtf", _rtf_deep), "ok", contains="NOVIKOV"),
    Case("rtf-bin-2gb", _write("bin.rtf", _rtf_bin), "ok", contains="Judgment text"),
    Case("json-deep-nesting", _write("deep.json", _json_deep), "fail"),
    Case("json-bad", _write("bad.json", b'{"itemid": "001-1", "full_text": "unterminated'), "fail"),
    # names and file types
    # A name starting with a dot is a hidden file: a walked folder skips it (ingest.scan).
    Case("name-dot-dot", _named("..ruling.txt", (RULING_EN + "dot-dot").encode()), "skip"),
    Case("name-dots-inside", _named("ruling..%2e%2f..txt", (RULING_EN + "dots").encode()), "ok",
         contains="NOVIKOV"),
    Case("name-newline", _named("line\nbreak.txt", (RULING_EN + "newline").encode()), "ok",
         contains="NOVIKOV"),
    Case("name-nfd", _named("Решение-и\u0306.txt", (RULING_RU + "nfd").encode()), "ok",
         contains="Потерпевший"),
    Case("name-bidi-override", _named("ruling-\u202etxt.exe.txt", (RULING_EN + "bidi").encode()), "ok",
         contains="NOVIKOV"),
    # Reported (rename it), never stored under another name: see ingest._storable.
    Case("name-invalid-utf8", _bad_bytes_name, "fail"),
    Case("symlink-out-of-folder", _symlink_out, "skip"),
    Case("fifo", _fifo, "fail"),
    Case("socket", _socket, "fail"),
    # Met while walking a folder, a symlink is skipped on purpose (named on the command line,
    # a loop or a dangling link is a failed line instead: tests/test_ingest.py).
    Case("symlink-loop", _symlink_loop, "skip"),
    Case("symlink-dangling", _symlink_dangling, "skip"),
    Case("precedents-index-in-the-tree", _nested_index, "skip"),
    Case("identical-empty-copies", _empty_copies, "fail"),
    Case("folder-named-pdf", _folder_named_pdf, "ok", contains="NOVIKOV"),
]
