"""Engine-neutral search types: what the CLI and the web see, whatever engine is underneath.

Both engines return these, so nothing outside ``pipeline/search/`` needs to import either.
Every type has ``to_json()``: its keys are a public contract (``precedents search --json`` and
the web API), so keys are only ever added.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: The orders a search may be sorted in.
SORTS = ("relevance", "newest", "oldest")
#: What a search matches by: the word index, the meaning layer, or both fused.
MODES = ("words", "meaning", "both")
#: The facets ``search(..., facets=True)`` counts, in display order.
FACETS = ("state", "article", "outcome", "court", "year", "language", "kind")


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

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "marks": [list(m) for m in self.marks], "page": self.page}


@dataclass
class Hit:
    """One matching document, with the passage that matched and where it sits in the document.

    ``paragraph`` is the number of the numbered paragraph holding the snippet ("135"),
    ``section`` the part of the document ("law", "facts", "мотивировочная"), and ``citation``
    a pinpoint citation a lawyer can paste into a brief.

    ``matched_by`` says why the document is a hit: ``words`` (the word index), ``meaning``
    (a paragraph close in meaning to the query, in any language: ``search/meaning/``) or
    ``both``; ``paragraph_text`` is the paragraph the pinpoint cites, cut short, when the hit
    came from a search that reads paragraphs (modes ``meaning`` and ``both``).
    """

    id: str
    title: str | None
    date: str | None
    court: str | None
    kind: str | None
    language: str | None
    score: float
    snippet: Snippet | None = None
    paragraph: str | None = None
    section: str | None = None
    citation: str | None = None
    matched_by: str = "words"
    paragraph_text: str | None = None

    def to_json(self) -> dict[str, Any]:
        """``snippet`` marks matches **like this** (for terminals); a web page should use
        ``snippet_text`` and ``marks`` ([start, end] into it) to build <mark> without parsing."""
        data = asdict(self)
        data["score"] = round(self.score, 4)
        data["snippet"] = self.snippet.marked() if self.snippet else None
        data["page"] = self.snippet.page if self.snippet else None
        data["snippet_text"] = self.snippet.text if self.snippet else None
        data["marks"] = [list(m) for m in self.snippet.marks] if self.snippet else []
        return data


@dataclass
class Expansion:
    """A term a word query was widened with: a term of the same legal concept in another
    language (search/language/thesaurus.tsv), searched in ``language``'s documents.
    ``matched`` is the query's words it was added for, ``concept`` the concept's id."""

    term: str
    language: str
    concept: str
    matched: str

    def label(self) -> str:
        """``torture`` (English, the Court's and most readers' common language, unmarked) or
        ``torture (fr)``, ``пытки (ru)``."""
        return self.term if self.language == "en" else f"{self.term} ({self.language})"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class FacetCount:
    """How many matching documents have one value of a facet.

    ``filter`` is a query-language clause selecting exactly this value (``state:russia``,
    ``outcome:3:violation``): a web page adds it to ``filters`` when the value is clicked.
    """

    value: str
    label: str
    count: int
    filter: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Suggestion:
    """A spelling of the query that finds more: ``query`` is the query as typed with its
    unknown words replaced by words of the index ("torture" for "tortrue"), ``total`` the
    documents it matches (with the same filters). Offered, never run in place of the query."""

    query: str
    total: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SearchResults:
    """One page of hits, the total over all pages, (when asked) facet counts over all hits,
    and spellings that find more when the query found almost nothing (``spelling.py``)."""

    query: str
    total: int
    hits: list[Hit]
    page: int = 1
    limit: int = 10
    sort: str = "relevance"
    filters: list[str] = field(default_factory=list)
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    suggestions: list[Suggestion] = field(default_factory=list)
    #: Terms of other languages the query was widened with (empty when expansion is off).
    expanded: list[Expansion] = field(default_factory=list)

    @property
    def pages(self) -> int:
        """Number of pages of ``limit`` hits (0 when nothing matched)."""
        return -(-self.total // self.limit) if self.limit > 0 else 0

    def to_json(self) -> dict[str, Any]:
        return {"query": self.query, "total": self.total, "page": self.page, "limit": self.limit,
                "pages": self.pages, "sort": self.sort, "filters": list(self.filters),
                "hits": [h.to_json() for h in self.hits],
                "facets": {name: [c.to_json() for c in counts]
                           for name, counts in self.facets.items()},
                "suggestions": [s.to_json() for s in self.suggestions],
                "expanded": [e.to_json() for e in self.expanded]}


@dataclass
class CitedCase:
    """One case cited in a document, as printed there.

    ``paragraph`` is the first numbered paragraph citing it; ``target`` the id of the cited
    document when the index holds it (``target_title`` its title), else None. ``canonical``
    (with its name, numbers and date) is the case as the Court's list of case-law references
    cites it, when the citation names one of its entries for certain, indexed or not.
    """

    text: str
    case_name: str | None
    case_numbers: list[str]
    paragraph: str | None = None
    target: str | None = None
    target_title: str | None = None
    canonical: str | None = None
    canonical_name: str | None = None
    canonical_numbers: list[str] = field(default_factory=list)
    canonical_date: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CitingDocument:
    """A document citing a given one; ``text`` is the citation as printed in it."""

    id: str
    title: str | None
    date: str | None
    kind: str | None
    text: str
    paragraph: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
