"""ExtractedText -> what a lawyer sees in a hit list: title, date, court, kind.

This is the foundation's header reader (issue 2); the full judgment structure (parties,
formation, holdings, paragraphs) is the legal-understanding stage's work.
"""

from pipeline.structure.header import Header, describe

__all__ = ["Header", "describe"]
