"""Citations resolved against the Court's list of case-law references.

``find_citations`` reads what a document prints; this fills each citation's ``canonical`` fields
from the one entry of the list it names (``pipeline.reference.caselaw.resolve``), or leaves them
empty. A citation printing no number, date or reporter ("Mikheyev, cited above, § 102",
"Cyprus v. Turkey, cited above") is never looked up itself: it takes the entry of the document's
full citations of the same case name, when they all name the same one.

>>> from pipeline.models import Citation
>>> found = resolve_citations([
...     Citation("Mikheyev v. Russia, no. 77617/01, § 135, 26 January 2006", "Mikheyev v. Russia",
...              ["77617/01"], 10, 66),
...     Citation("Mikheyev, cited above, § 102", "Mikheyev", [], 90, 118)], "en")
>>> [(c.canonical, c.canonical_date) for c in found]
[('Mikheyev v. Russia, no. 77617/01, 26 January 2006', '2006-01-26'), ('Mikheyev v. Russia, no. 77617/01, 26 January 2006', '2006-01-26')]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pipeline.models import Citation
from pipeline.reference.caselaw import (CaseEntry, Printed, applicant_key, marks_agree, name_key,
                                        resolve_printed)
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


def _keys(citation: Citation) -> tuple[str, tuple[str, str] | None] | None:
    """(folded applicant, (applicant, State) or None for a short form) of a citation."""
    if not citation.case_name:
        return None
    applicant, state = case_name_parts(citation.case_name)
    folded = applicant_key(applicant)
    if not folded:
        return None
    return folded, (name_key(citation.case_name) if state else None)


def resolve_citations(citations: Iterable[Citation], language: str | None) -> list[Citation]:
    """``citations`` (the document's, in text order) with their canonical fields set where
    certain.

    A citation printing an application number, a date or a reporter is looked up itself. One
    printing none of them ("Cyprus v. Turkey, cited above", "in Aksu v. Turkey", "Mikheyev,
    cited above, § 102") names a case the document cites in full elsewhere: it takes the entry
    of the document's full citations of that name (of that applicant, for a short form without
    a State), when they all name the same one.
    """
    out = list(citations)
    entries: list[CaseEntry | None] = []
    printed = [Printed.of(c.text, c.case_name, c.case_numbers) for c in out]
    by_name: dict[tuple[str, str], set[CaseEntry | None]] = {}
    by_applicant: dict[str, set[CaseEntry | None]] = {}
    for cit, seen in zip(out, printed):
        keys = _keys(cit)
        dated = bool(seen.numbers or seen.dates or seen.reporters)
        entry = resolve_printed(seen) if dated and keys and keys[1] else None
        entries.append(entry)
        if dated and keys and keys[1]:
            by_name.setdefault(keys[1], set()).add(entry)
            by_applicant.setdefault(keys[0], set()).add(entry)
    for n, cit in enumerate(out):
        keys = _keys(cit)
        if entries[n] is None and keys and not cit.case_numbers:
            named = by_name.get(keys[1], set()) if keys[1] else by_applicant.get(keys[0], set())
            # The one case of that name the document cites in full, unless the marks printed
            # here say it is another ("Georgia v. Russia (II), cited above" after (I) in full).
            if len(named) == 1 and (entry := next(iter(named))) is not None \
                    and marks_agree(entry, printed[n].marks):
                entries[n] = entry
        for key, value in canonical_fields(entries[n], language).items():
            setattr(cit, key, value)
    return out
