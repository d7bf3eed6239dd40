"""The Whoosh schema, in one place, with its version.

Bump ``SCHEMA_VERSION`` whenever a field or an analyzer changes: an index built with another
version is rebuilt from the catalogue on open (a notice goes to stderr), never patched.
"""

from __future__ import annotations

from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from pipeline.search.analysis import (
    english_analyzer,
    french_analyzer,
    mixed_analyzer,
    plain_analyzer,
    russian_analyzer,
)

SCHEMA_VERSION = 3

#: Fields a free-text query searches, in the order shown to the parser.
TEXT_FIELDS = ("title", "body_ru", "body_en", "body_fr", "body_xx")


def get_schema() -> Schema:
    """Identifiers live in KEYWORD fields so "12345/06" and "1-123/2020" stay whole terms."""
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=mixed_analyzer(), stored=True, field_boost=2.0),
        kind=ID(stored=True),
        court=TEXT(analyzer=mixed_analyzer(), stored=True),
        date=DATETIME(stored=True, sortable=True),
        language=ID(stored=True),
        format=ID(stored=True),
        own_ids=KEYWORD(lowercase=True, commas=True, scorable=True, field_boost=8.0),
        ids=KEYWORD(lowercase=True, commas=True, scorable=True),
        body_ru=TEXT(analyzer=russian_analyzer(), phrase=True),
        body_en=TEXT(analyzer=english_analyzer(), phrase=True),
        body_fr=TEXT(analyzer=french_analyzer(), phrase=True),
        body_xx=TEXT(analyzer=plain_analyzer(), phrase=True),
        pages=STORED(),
        # Filterable fields from the legal-understanding stage (facets come with the search issue).
        instance=ID(stored=True),
        year=NUMERIC(stored=True, sortable=True),
        state=KEYWORD(stored=True, commas=True, lowercase=True),
        article=KEYWORD(stored=True, commas=True),
        outcome=KEYWORD(stored=True, commas=True, lowercase=True),
        charge=KEYWORD(stored=True, commas=True),
    )
