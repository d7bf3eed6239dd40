"""Text from documents, bundles and file names, made safe to print for people.

A title comes from a JSON record or a foreign bundle, a file name from whoever named the file:
either may hold escape sequences a terminal acts on instead of showing (clear the screen, retitle
the window, a hyperlink whose text lies about its target, a carriage return that overwrites the
line before it). Everything ``cli.py`` prints goes through ``for_terminal``; its ``--json``
output through ``json_text``.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: What a terminal may act on rather than show: C0 controls but tab and newline, DEL, C1 controls
#: (0x9b is a one-character CSI in some terminals), the bidi embeddings, overrides and isolates
#: (they reorder what follows: "ruling\u202efdp.exe" reads as another name), and lone
#: surrogates (undecodable file-name bytes; they cannot even be encoded for output).
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
#: The same, less what ``json.dumps`` already escapes (C0 controls).
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_terminal(text: str) -> str:
    r"""``text`` with every character a terminal could act on shown as its escape, so a
    hostile title stays recognisable and does nothing.

    >>> print(for_terminal("Case of X\x1b]8;;http://evil/\x07 v. Russia\x1b[2J"))
    Case of X\x1b]8;;http://evil/\x07 v. Russia\x1b[2J
    >>> for_terminal("Дело № 1-5/2021\n\tпытка") == "Дело № 1-5/2021\n\tпытка"
    True
    """
    return UNSAFE.sub(_escape, text)


def json_text(data: Any) -> str:
    r"""``data`` as indented JSON with non-ASCII text kept readable, but every character a
    terminal could act on escaped as ``\uXXXX``: the same data for a JSON reader, and nothing
    for a terminal to act on when a person runs ``--json`` by hand.

    >>> print(json_text({"title": "X\x9b2J \u202eY"}))
    {
      "title": "X\u009b2J \u202eY"
    }
    """
    # Outside strings JSON text holds only ASCII punctuation, digits and letters, so every
    # match is inside a string literal, where \uXXXX means the character itself.
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}",
                               json.dumps(data, ensure_ascii=False, indent=2))
