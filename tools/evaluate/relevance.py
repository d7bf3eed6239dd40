"""Which bulk judgments answer a query: relevance read from HUDOC's own conclusions, never from our search.

Every judgment of ``../shared/corpora/bulk`` carries HUDOC's ``conclusion`` field: one item per
finding, e.g. ``Violation of Article 3 - Prohibition of torture (Article 3 - Effective
investigation) (Procedural aspect)``, or in a French record ``Violation de l'article 3 -
Interdiction de la torture (Article 3 - Enquête effective) (Volet procédural)``, or in older
records just ``Violation of Art. 3 (procedural aspect)``. A concept's relevance is a predicate
over these items (``Clause``): the provision the finding is under, and a pattern its wording
must (or must not) match. Grades, for nDCG:

* 2: the Court found a violation on the issue;
* 1: the Court examined the issue and found no violation (a lawyer still wants that precedent);
* 0: anything else, including decisions (whose conclusion names no issue) and findings under
  the same article on another issue (a substantive Article 3 finding is not an answer to a
  question about the investigation).

>>> items = conclusion_items("Violation of Art. 3 (substantive aspect);No violation of Art. 3 (procedural aspect)")
>>> [(i.outcome, i.article, i.detail) for i in items]
[('violation', '3', '(substantive aspect)'), ('no_violation', '3', '(procedural aspect)')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tools.evaluate.echr_eras import article_key

__all__ = ["Clause", "Finding", "JUDGMENT_TYPES", "conclusion_items", "grade", "parse_clauses"]

#: HUDOC document types that are judgments (decisions' conclusions name no issue: never judged).
JUDGMENT_TYPES = frozenset({"CHAMBER", "GRANDCHAMBER", "COMMITTEE"})

# "Violation of", "Violations of", "No violation of", "Non-violation de", "Violation de".
_OUTCOME = re.compile(r"^(?P<neg>No[n]?[- ])?violations?\s+(?:of|de)\s+", re.IGNORECASE)
# The provision after the outcome. "Article 1 of Protocol No. 1" and "l'article 4 du Protocole
# n° 4" are Protocol articles (P1-1, P4-4), not Article 1 or 4 of the Convention.
_PROTOCOL = re.compile(
    r"^(?:l')?(?:article|art\.)\s*(?P<art>\d+)\s+(?:of\s+Protocol\s+No\.?|du\s+Protocole\s+n\s*[°ºo]\.?)\s*"
    r"(?P<prot>\d+)", re.IGNORECASE)
_ARTICLE = re.compile(r"^(?:l')?(?:article|art\.)\s*(?P<code>[0-9P][\w+\-]*)", re.IGNORECASE)
_CODE = re.compile(r"^(?P<code>P\d+-\d[\w+\-]*)")


@dataclass(frozen=True)
class Finding:
    """One item of a HUDOC conclusion: its outcome, article-level key and the words after it."""

    outcome: str  # "violation" | "no_violation"
    article: str  # article_key: "3", "14+3", "P4-4", "14+P1-2"
    detail: str   # the rest of the item: "- Prohibition of torture (Article 3 - ...) (Procedural aspect)"


def _split_top_level(text: str) -> list[str]:
    """Split at ';' outside parentheses: HUDOC lists aspects inside one item with ';' too
    ("(Article 3 - Degrading treatment;Inhuman treatment)")."""
    items, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        elif ch == ";" and depth == 0:
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    return [i.strip() for i in items if i.strip()]


def conclusion_items(conclusion: str) -> list[Finding]:
    """The findings of a HUDOC conclusion; items that are no finding (damage, admissibility,
    struck out) are left out.

    >>> [(f.outcome, f.article) for f in conclusion_items(
    ...     "Violation de l'article 4 du Protocole n° 4 - Interdiction des expulsions collectives;"
    ...     "Non-violation de l'art. 14+P1-2;Pecuniary damage - claim dismissed")]
    [('violation', 'P4-4'), ('no_violation', '14+P1-2')]
    """
    found: list[Finding] = []
    for item in _split_top_level(conclusion or ""):
        head = _OUTCOME.match(item)
        if not head:
            continue
        rest = item[head.end():]
        if m := _PROTOCOL.match(rest):
            code = f"P{m['prot']}-{m['art']}"
        elif m := _ARTICLE.match(rest) or _CODE.match(rest):
            code = m["code"]
        else:
            continue
        outcome = "no_violation" if head["neg"] else "violation"
        found.append(Finding(outcome, article_key(code), rest[m.end():].strip()))
    return found


@dataclass(frozen=True)
class Clause:
    """A finding that answers the concept: under one of ``articles`` (article-level keys; a
    combination such as ``14+3`` is its own key, so ``3`` does not match a discrimination
    finding), with ``detail`` matching ``pattern`` (case-insensitive) and not ``unless``."""

    articles: tuple[str, ...]
    pattern: str = ""
    unless: str = ""

    def matches(self, finding: Finding) -> bool:
        if finding.article not in self.articles:
            return False
        if self.pattern and not re.search(self.pattern, finding.detail, re.IGNORECASE):
            return False
        return not (self.unless and re.search(self.unless, finding.detail, re.IGNORECASE))


@dataclass(frozen=True)
class Predicate:
    """A concept's relevance: any clause matches a finding of a judgment (``doc_type`` in
    JUDGMENT_TYPES); ``exclude`` names judgments read and found to be on another issue, each
    with the reason."""

    clauses: tuple[Clause, ...]
    exclude: Mapping[str, str] = field(default_factory=dict)


def parse_clauses(data: Mapping[str, Any]) -> Predicate:
    """The predicate of a gold file's ``relevance`` object (see tests/gold/retrieval_queries.json)."""
    clauses = tuple(Clause(tuple(c["articles"]), c.get("pattern", ""), c.get("unless", ""))
                    for c in data["any"])
    return Predicate(clauses, dict(data.get("exclude", {})))


def grade(predicate: Predicate, record: Mapping[str, Any]) -> int:
    """2 (violation found on the issue), 1 (issue examined, no violation) or 0, for one HUDOC
    metadata record (``doc_type``, ``conclusion``, ``itemid``)."""
    if record.get("doc_type") not in JUDGMENT_TYPES or record.get("itemid") in predicate.exclude:
        return 0
    best = 0
    for finding in conclusion_items(record.get("conclusion", "")):
        if any(c.matches(finding) for c in predicate.clauses):
            best = max(best, 2 if finding.outcome == "violation" else 1)
    return best


def grades(predicate: Predicate, records: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """itemid -> grade, for the records with a grade above 0."""
    out = {}
    for record in records:
        if g := grade(predicate, record):
            out[record["itemid"]] = g
    return out
