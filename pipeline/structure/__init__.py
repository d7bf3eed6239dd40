"""ExtractedText -> the structure of a judgment or a ruling.

``describe`` reads what a hit list shows (title, date, court, kind) from any document's head and
metadata; ``echr`` and ``russian`` read the whole structure (parties, formation, holdings,
paragraphs) of ECHR judgments and Russian rulings, and ``common_law`` the heads of English ones.
"""

from pipeline.structure.header import Header, describe

__all__ = ["Header", "describe"]
