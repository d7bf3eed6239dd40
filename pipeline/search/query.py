"""The query language: words, "phrases", "phrase"~N, AND/OR/NOT, field:value, and identifiers.

Identifiers are typed as printed — ``17280/08``, ``1-123/2020``, ``ECLI:CE:ECHR:...`` — and need
no quoting: before Whoosh parses the query, each one is replaced by a search of the identifier
fields, where it is a single term. Left to Whoosh's text analyzers, "1-123/2020" would become
"1 AND 123 AND 2020" and match a ruling that has "1-124/2020" and "123".
"""

from __future__ import annotations

import re

from whoosh import qparser
from whoosh.query import NullQuery, Query

from pipeline.entities.identifiers import find_identifiers
from pipeline.errors import QueryError
from pipeline.search.schema import TEXT_FIELDS

MAX_QUERY_CHARS = 1000
_QUOTED = re.compile(r'"[^"]*"')
_LEADING_WILDCARD = re.compile(r'(?:^|[\s(:])[*?]')
# Keyword fields whose values contain colons ("УК:286:3:а", "3:violation"): Whoosh would read
# "УК:" as another field name, so such values are quoted as one literal term.
_COLON_VALUES = re.compile(r"\b(charge|outcome):(?!')([^\s()]+:[^\s()]+)")


def rewrite_identifiers(text: str) -> tuple[str, list[str]]:
    """Replace bare identifiers (outside quotes) by identifier-field clauses.

    >>> rewrite_identifiers("torture 17280/08")
    ("torture (own_ids:'17280/08' OR ids:'17280/08')", ['17280/08'])
    """
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    keys: list[str] = []
    out, last = [], 0
    for ident in find_identifiers(text):
        if any(s <= ident.start < e for s, e in quoted):
            continue
        # "kind:foo/12" style field values are the user's own business.
        if ident.start > 0 and text[ident.start - 1] in ":'":
            continue
        keys.append(ident.key)
        out += [text[last:ident.start], f"(own_ids:'{ident.key}' OR ids:'{ident.key}')"]
        last = ident.end
    out.append(text[last:])
    return "".join(out), keys


def parse_query(text: str, schema) -> tuple[Query, list[str]]:
    """Parse a user query into a Whoosh query; return it with the identifiers it names.

    Words are ANDed (a lawyer adding a word expects fewer, better hits).
    """
    text = text.strip()
    if not text:
        raise QueryError("empty query")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long ({len(text)} characters, limit {MAX_QUERY_CHARS})")
    if _LEADING_WILDCARD.search(_QUOTED.sub("", text)):
        raise QueryError("a word may not start with * or ? (it would scan the whole index)")
    rewritten, keys = rewrite_identifiers(_COLON_VALUES.sub(r"\1:'\2'", text))
    parser = qparser.MultifieldParser(list(TEXT_FIELDS), schema, group=qparser.AndGroup)
    try:
        query = parser.parse(rewritten)
    except Exception as exc:  # noqa: BLE001 - Whoosh raises assorted errors on odd syntax
        raise QueryError(f"cannot understand the query ({exc})") from exc
    if query is None or query.normalize() is NullQuery:
        raise QueryError("the query has no searchable words (only stop words?)")
    return query, keys
