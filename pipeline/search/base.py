"""Engine-neutral search types: what the CLI and the web see, whatever engine is underneath.

Whoosh is the engine today; tantivy will join it behind the same names, so nothing outside
``pipeline/search/`` may import either.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Snippet:
    """A passage of the document around the matches; ``marks`` are (start, end) in ``text``."""

    text: str
    marks: list[tuple[int, int]] = field(default_factory=list)
    page: int | None = None

    def marked(self, left: str = "**", right: str = "**") -> str:
        """The passage with every match wrapped, e.g. ``**пытки**``."""
        out, last = [], 0
        for start, end in self.marks:
            out += [self.text[last:start], left, self.text[start:end], right]
            last = end
        out.append(self.text[last:])
        return "".join(out)


@dataclass
class Hit:
    id: str
    title: str | None
    date: str | None
    court: str | None
    kind: str | None
    language: str | None
    score: float
    snippet: Snippet | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["score"] = round(self.score, 4)
        data["snippet"] = self.snippet.marked() if self.snippet else None
        data["page"] = self.snippet.page if self.snippet else None
        return data


@dataclass
class SearchResults:
    query: str
    total: int
    hits: list[Hit]
    page: int = 1

    def to_json(self) -> dict[str, Any]:
        return {"query": self.query, "total": self.total, "page": self.page,
                "hits": [h.to_json() for h in self.hits]}
