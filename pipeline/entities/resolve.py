"""Citations resolved against the Court's list of case-law references.

``find_citations`` reads what a document prints; this fills each citation's ``canonical`` fields
from the one entry of the list it names (``pipeline.reference.caselaw.resolve``), or leaves them
empty. A short form ("Mikheyev, cited above, § 102") prints no State, so it is never looked up
itself: it takes the entry of the full citations of the same applicant printed before it, when
they all name the same one.

>>> from pipeline.models import Citation
>>> found = resolve_citations([
...     Citation("Mikheyev v. Russia, no. 77617/01, § 135, 26 January 2006", "Mikheyev v. Russia",
...              ["77617/01"], 10, 66),
...     Citation("Mikheyev, cited above, § 102", "Mikheyev", [], 90, 118)], "en")
>>> [(c.canonical, c.canonical_date) for c in found]
[('Mikheyev v. Russia, no. 77617/01, 26 January 2006', '2006-01-26'), ('Mikheyev v. Russia, no. 77617/01, 26 January 2006', '2006-01-26')]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pipeline.models import Citation
from pipeline.reference.caselaw import CaseEntry, applicant_key, resolve
from pipeline.reference.names import case_name_parts

__all__ = ["canonical_fields", "resolve_citations"]


def canonical_fields(entry: CaseEntry | None, language: str | None) -> dict[str, Any]:
    """The ``canonical*`` fields of a citation naming ``entry`` (all empty for None), in the
    citing document's language where the list has it."""
    if entry is None:
        return {"canonical": None, "canonical_name": None, "canonical_numbers": [],
                "canonical_date": None}
    return {"canonical": entry.citation_in(language), "canonical_name": entry.name_in(language),
            "canonical_numbers": list(entry.numbers), "canonical_date": entry.date}


def _short_applicant(citation: Citation | Mapping[str, Any]) -> str | None:
    name = citation.case_name if isinstance(citation, Citation) else citation.get("case_name")
    if not name:
        return None
    applicant, state = case_name_parts(name)
    return None if state else applicant_key(applicant)


def resolve_citations(citations: Iterable[Citation], language: str | None) -> list[Citation]:
    """``citations`` (in text order) with their canonical fields set where certain."""
    out = list(citations)
    seen: dict[str, set[CaseEntry | None]] = {}
    for cit in out:
        applicant = _short_applicant(cit)
        if applicant is not None:
            # "Mikheyev, cited above": the full citation printed before it, if only one.
            earlier = seen.get(applicant, set())
            entry = next(iter(earlier)) if len(earlier) == 1 else None
        else:
            entry = resolve(cit.text, cit.case_name, cit.case_numbers)
            if cit.case_name and (name := case_name_parts(cit.case_name)[0]):
                seen.setdefault(applicant_key(name), set()).add(entry)
        for key, value in canonical_fields(entry, language).items():
            setattr(cit, key, value)
    return out
