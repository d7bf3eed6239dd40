"""Which passages of a document the meaning layer embeds, and the text of each.

A passage is a paragraph as a lawyer cites it: an ECHR judgment's numbered paragraph (its
offsets come from the record), or a paragraph of a ruling that numbers none (a Russian
ruling's lines, split at line breaks). Headers, signatures and captions are too short to carry
a meaning of their own and are left out (``MIN_WORDS``). The encoder averages its token
features, so a long paragraph blurs into its subject matter and costs time in proportion to its
length: only its first ``MAX_WORDS`` words are embedded (the opening sentence of a Court
paragraph states what the paragraph is about). Repeated boilerplate is embedded once per
batch (``unique``): the same normalised text gives the same vector.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["MAX_WORDS", "MIN_WORDS", "Passage", "clip", "normalised", "passages", "unique"]

#: Words of a paragraph that are embedded (measured: see BENCHMARKS.md, meaning layer).
MAX_WORDS = 64
#: Fewer words than this is a header, a signature or a caption, not a paragraph.
MIN_WORDS = 8
#: Passages per document at most: an appendix listing thousands of applicants is not prose.
MAX_PASSAGES = 600
#: ECHR sections whose paragraphs say how the case came to the Court (who represented whom,
#: when it was communicated): boilerplate that would match any query about procedure.
SKIPPED_SECTIONS = frozenset({"procedure"})

_WORD = re.compile(r"\w+", re.UNICODE)
_NUMBER = re.compile(r"^\s*\d+\s*\.?\s*")
_SPLIT = re.compile(r"\n\s*\n|\n")
# A line in capitals ("ПРИГОВОР", "THE FACTS", "ИМЕНЕМ РОССИЙСКОЙ ФЕДЕРАЦИИ") is a header.
_UPPER = re.compile(r"^[^a-zа-яёà-ÿ]*$")


@dataclass(frozen=True)
class Passage:
    """``text[start:end]`` of the document; ``number`` is its numbered paragraph, if any."""

    start: int
    end: int
    number: str | None = None


def passages(text: str, paragraphs: Sequence[Mapping[str, Any]] = ()) -> list[Passage]:
    """The passages of one document worth embedding, in document order.

    ``paragraphs`` are the record's numbered paragraphs (``number``, ``start``, ``end``,
    ``section``); a document without them is split at line breaks.
    """
    found: list[Passage] = []
    if paragraphs:
        for p in paragraphs:
            start, end = int(p["start"]), int(p["end"])
            if p.get("section") in SKIPPED_SECTIONS or not 0 <= start < end <= len(text):
                continue
            if _prose(text[start:end]):
                found.append(Passage(start, end, str(p["number"])))
    else:
        pos = 0
        for match in _SPLIT.finditer(text + "\n"):
            start, end = pos, match.start()
            pos = match.end()
            line = text[start:end]
            stripped = line.strip()
            if stripped and _prose(stripped):
                lead = len(line) - len(line.lstrip())
                found.append(Passage(start + lead, start + lead + len(stripped)))
    return found[:MAX_PASSAGES]


def _prose(text: str) -> bool:
    """A passage with enough words to mean something, not a header in capitals."""
    if len(_WORD.findall(text)) < MIN_WORDS:
        return False
    return not _UPPER.match(text)


def clip(text: str, max_words: int = MAX_WORDS) -> str:
    """The first ``max_words`` words of ``text`` without its paragraph number (a token that
    says nothing of the subject), whitespace collapsed."""
    words = _NUMBER.sub("", text, count=1).split()
    return " ".join(words[:max_words])


def normalised(text: str) -> str:
    """What makes two passages the same boilerplate: their words, lower-cased, without the
    paragraph's own leading number ("12. The Government ..." in one judgment is "47. The
    Government ..." in another). Other numbers stay: "Article 3" is not "Article 5"."""
    return " ".join(_WORD.findall(_NUMBER.sub("", text, count=1).lower()))


def unique(texts: Sequence[str]) -> tuple[list[str], list[int]]:
    """The distinct texts by ``normalised`` form, and for each text the position of its own
    among them: ``[distinct[i] for i in where]`` embeds like ``texts``."""
    seen: dict[str, int] = {}
    distinct: list[str] = []
    where: list[int] = []
    for text in texts:
        key = normalised(text)
        if key not in seen:
            seen[key] = len(distinct)
            distinct.append(text)
        where.append(seen[key])
    return distinct, where
