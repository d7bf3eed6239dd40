"""Text as flattened exports print it: HUDOC's HTML and Word saves break lines inside sentences
and split marks ("n o 1", "non ‑ pecuniary"). The ECHR parser and the operative-part reader
compare and quote such text the same way, so both fold it here.

>>> repaired("Holds that there has been a violation of Article 1 of Protocol n o 1 ,\\n the non \\u2011 pecuniary")
'Holds that there has been a violation of Article 1 of Protocol no 1, the non-pecuniary'
"""

from __future__ import annotations

import re

__all__ = ["one_line", "repaired"]


def one_line(text: str) -> str:
    """One space for any run of whitespace: HUDOC HTML exports break lines inside sentences."""
    return " ".join(text.split())


def repaired(text: str) -> str:
    """Whitespace folded and the typographic accidents of flattened exports repaired:
    "n o 1" (a superscript o) -> "no 1", "non ‑ pecuniary" -> "non-pecuniary", "Declares ," -> ","."""
    text = one_line(text.replace("\u00a0", " "))
    text = re.sub(r"\s*[\u2010\u2011]\s*", "-", text)
    text = re.sub(r"\bn\s+(os?)\s*(?=\d)", r"n\1 ", text)
    text = re.sub(r"\bn\s?°\s*(?=\d)", "no ", text)
    text = re.sub(r"\s+([,;:)])", r"\1", text)
    return re.sub(r"\(\s+", "(", text)
