"""Human labels for facet values and record fields, shared by the CLI, the web page and every engine.

Kept apart from the engines so the web page and a second engine (tantivy) use the same words:
a kind must not read "Russian other act" in a facet and something else in a hit.
"""

from __future__ import annotations

KIND_LABELS = {
    "echr_judgment": "ECHR judgment", "echr_decision": "ECHR decision",
    "echr_communicated": "ECHR communicated case", "echr_other": "ECHR other document",
    "ru_sentence": "Russian sentence", "ru_decision": "Russian decision",
    "ru_ruling": "Russian ruling", "ru_other": "Russian other act", "uk_judgment": "UK judgment",
    "other": "Other document",
    "document": "Other document",
}
LANGUAGE_LABELS = {"ru": "Russian", "en": "English", "fr": "French", "uk": "Ukrainian",
                   "de": "German", "it": "Italian", "unknown": "Unknown"}
OUTCOME_LABELS = {"violation": "violation", "no_violation": "no violation",
                  "inadmissible": "inadmissible",
                  "not_necessary_to_examine": "not necessary to examine", "other": "other"}


def article_label(code: str) -> str:
    """``3`` -> ``Article 3``; ``6-1`` -> ``Article 6 § 1``; ``P1-1`` -> ``Article 1 of Protocol No. 1``.

    >>> [article_label(c) for c in ("3", "6-1", "P1-1", "14+8", "35-3-a")]
    ['Article 3', 'Article 6 § 1', 'Article 1 of Protocol No. 1', 'Article 14+8', 'Article 35 § 3 (a)']
    """
    if "+" in code:
        return f"Article {code}"
    protocol = None
    if code.startswith("P") and "-" in code:
        protocol, _, code = code[1:].partition("-")
    article, *rest = code.split("-")
    text = f"Article {article}"
    if rest:
        text += f" § {rest[0]}" + "".join(f" ({r})" for r in rest[1:])
    return text + (f" of Protocol No. {protocol}" if protocol else "")
