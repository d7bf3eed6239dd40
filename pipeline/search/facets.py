"""Facet values as the user sees them: labels, the filter clause selecting each, and the order.

Engine-neutral: an engine counts documents per raw value (``russia``, ``3:violation``, a court
key, ``2019``); the labels, clauses and order come from here, so a facet reads the same whoever
counted it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from pipeline.present.labels import (ENGLISH, KIND_LABELS, LANGUAGE_LABELS, Translator,
                                     article_label, charge_label, outcome_label)
from pipeline.search.base import FACETS, FacetCount
from pipeline.search.provisions import is_procedural
from pipeline.reference.names import state_label

__all__ = ["FACET_FIELDS", "FACET_VALUES", "OVERLAPPING", "facet_counts", "facet_label",
           "facet_field"]

#: Most values listed per facet (the largest counts).
FACET_VALUES = 100
#: Facets over multi-valued fields count a document once under each of its values.
OVERLAPPING = frozenset({"state", "article", "outcome"})
#: The index field a facet counts, where it is not the facet's own name.
FACET_FIELDS = {"court": "court_id"}

#: ``court_name(court_id)``: the printed court name of a court key (None when unknown).
CourtName = Callable[[str], "str | None"]


def facet_field(name: str) -> str:
    """The index field behind a facet (``court`` counts ``court_id``)."""
    return FACET_FIELDS.get(name, name)


def facet_label(name: str, value: str, court_name: CourtName,
                tr: Translator = ENGLISH) -> tuple[str, str]:
    """(label, filter clause) of one facet value, its label in the language of ``tr``
    (a state's name is given by ``court_name``'s caller; see the web page's ``_facets``).

    >>> facet_label("outcome", "p1-1:violation", lambda key: None)
    ('Article 1 of Protocol No. 1: violation', 'outcome:p1-1:violation')
    """
    if name == "state":
        return state_label(value), f"state:{value}" if " " not in value else f'state:"{value}"'
    if name == "article":
        if ":" in value:  # a charge: "УК:286:3" -> "ч. 3 ст. 286 УК РФ"
            parts = value.split(":")
            part, point = (parts[2:] + ["", ""])[:2]
            return (charge_label({"code": parts[0], "article": parts[1], "part": part or None,
                                  "point": point or None, "key": value}), f"article:{value}")
        return article_label(value, tr), f"article:{value}"
    if name == "outcome":
        article, _, outcome = value.rpartition(":")
        return (f"{article_label(article.upper() if article.startswith('p') else article, tr)}: "
                f"{outcome_label(outcome, tr)}", f"outcome:{value}")
    if name == "court":
        return court_name(value) or value, f"court_id:{value}"
    if name == "kind":
        return (tr.gettext(KIND_LABELS[value]) if value in KIND_LABELS else value), f"kind:{value}"
    if name == "language":
        return (tr.gettext(LANGUAGE_LABELS[value]) if value in LANGUAGE_LABELS else value,
                f"language:{value}")
    return value, f"{name}:{value}"


def facet_counts(counts: Mapping[str, Mapping[object, int]],
                 court_name: CourtName) -> dict[str, list[FacetCount]]:
    """Every facet's values, labelled and ordered: years newest first, the others by count,
    except that the Court's procedural articles (34, 35, 41, 44, 46, ...) come after the rights:
    almost every judgment rules on 41 and every decision on 35, so by count alone they would
    head the facet and push the rights a lawyer filters by out of sight.

    ``counts`` maps a facet name to {raw value: documents}; empty values are left out.
    """
    out: dict[str, list[FacetCount]] = {}
    for name in FACETS:
        values = []
        for value, count in (counts.get(name) or {}).items():
            if value is None or value == "" or not count:
                continue
            if isinstance(value, bytes):
                value = value.decode("utf-8")
            value = str(value)
            label, clause = facet_label(name, value, court_name)
            values.append(FacetCount(value=value, label=label, count=count, filter=clause))
        if name == "year":
            values.sort(key=lambda c: c.value, reverse=True)
        elif name == "article":
            values.sort(key=lambda c: (is_procedural(c.value), -c.count, c.label.lower()))
        else:
            values.sort(key=lambda c: (-c.count, c.label.lower()))
        out[name] = values[:FACET_VALUES]
    return out
