"""Text clean-up shared by the format modules: decoding, line ends, control characters.

Every input is hostile: NUL bytes, lone surrogates and bidi controls can come from any format and
must never reach SQLite, Whoosh or a terminal.
"""

from __future__ import annotations

import re
import unicodedata

from charset_normalizer import from_bytes

#: The encodings a ruling in Russian, English or French arrives in. Left to itself
#: charset-normalizer calls HUDOC's cp1252 files cp1250 (and once hp_roman8), turning
#: "Søren" into "Sřren"; limiting it to the encodings of our languages fixes that.
CANDIDATE_ENCODINGS = ["utf_8", "cp1251", "cp1252", "koi8_r", "utf_16", "cp866", "mac_cyrillic"]

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# C0/C1 controls except tab and newline; lone surrogates; zero-width and bidi marks that hide text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes of unknown encoding and return ``(text, encoding)``.

    A BOM wins; otherwise charset-normalizer decides (it tells cp1251 from koi8-r and cp1252 from
    utf-8 by language statistics). ``declared`` (an HTML meta charset, say) is only a fallback:
    the sudrf.ru pages declare windows-1251 and are UTF-8.

    >>> decode_bytes("Приговор".encode("cp1251"))[0]
    'Приговор'
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_keeping_surrogates(data[len(bom):], encoding), encoding
    if not data:
        return "", "utf-8"
    try:
        # surrogatepass: an encoded lone surrogate must not send a UTF-8 file to the
        # statistical guess (which reads it as cp1252 mojibake); clean_text drops it.
        return data.decode("utf-8", errors="surrogatepass"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return data.decode("utf-8", errors="replace"), "utf-8"
    best = from_bytes(data[:2_000_000], cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is not None:
        return data.decode(best.encoding, errors="replace"), best.encoding
    encoding = declared or "cp1252"
    try:
        return data.decode(encoding, errors="replace"), encoding
    except LookupError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _decode_keeping_surrogates(data: bytes, encoding: str) -> str:
    """Decode with lone surrogates kept (for clean_text to drop), other bad bytes replaced."""
    try:
        return data.decode(encoding, errors="surrogatepass")
    except UnicodeDecodeError:
        return data.decode(encoding, errors="replace")


def _mostly_utf8(data: bytes) -> bool:
    """True when a few stray bytes spoil otherwise valid UTF-8 (a cut or spliced file).

    cp1251/koi8-r/cp1252 text read as UTF-8 is nearly all errors, so one bad sequence per
    hundred good multi-byte characters cannot come from those encodings.
    """
    text = data[:2_000_000].decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    return good > 0 and bad * 100 <= good


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF (RU court texts mix all three in one file).

    A form feed (page break in text exports) also ends a line, so the words around it
    are not glued together when the control characters are stripped.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")


def clean_text(text: str) -> str:
    """Return text safe to store: NFC, LF line ends, no control characters, tidy blank lines.

    Paragraph breaks (blank lines) are kept; runs of spaces collapse to one.
    """
    text = normalise_newlines(text)
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip()
