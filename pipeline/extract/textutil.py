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
    # Before UTF-8: English UTF-16 is valid UTF-8 too (ASCII and NULs), and Russian UTF-16LE
    # ("П" = 1F 04) would come out as control characters, all stripped.
    utf16 = sniff_utf16(data[:UTF16_SNIFF_BYTES])
    if utf16:
        return _decode_keeping_surrogates(data, utf16), utf16
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


#: How much of a file ``sniff_utf16`` looks at (the picker's head is this size too).
UTF16_SNIFF_BYTES = 4096
#: The characters a ruling in Russian, English or French is made of: ASCII, Latin-1 and
#: Latin Extended-A letters, Cyrillic, and the typographic dashes, quotes, "№" and "€". Binary
#: data read as UTF-16 is mostly CJK, private-use and control code units instead.
_RULING_CHARS = re.compile(r"[\t\n\r\x20-\x7e\xa0-\u017f\u0400-\u04ff\u2010-\u2027\u2030-\u203a"
                           r"\u2116\u20ac]")
#: Share of code units that must be ruling characters for a BOM-less UTF-16 guess.
UTF16_MIN_SHARE = 0.95


def sniff_utf16(head: bytes) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` when ``head`` is UTF-16 text without a BOM, else None.

    The sign is NUL bytes (spaces, digits and Latin letters have a zero high byte) together
    with code units that, read in one byte order, are nearly all characters of our languages.
    Read in the wrong order, or when the bytes are not text at all (numbers, pixels, UTF-32),
    they are not. Text in 8-bit encodings has no NULs and never gets here.

    >>> sniff_utf16("Приговор суда".encode("utf-16-le")), sniff_utf16(bytes(range(256)))
    ('utf-16-le', None)
    """
    head = head[: len(head) - len(head) % 2]
    if len(head) < 8 or b"\0" not in head:
        return None
    best, best_share = None, 0.0
    for encoding in ("utf-16-le", "utf-16-be"):
        text = head.decode(encoding, errors="replace")
        share = len(_RULING_CHARS.findall(text)) / len(text)
        if share > best_share and any(ch.isalpha() for ch in text):
            best, best_share = encoding, share
    return best if best_share >= UTF16_MIN_SHARE else None


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
