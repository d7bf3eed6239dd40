"""Checks of a lawyer's own text against the index: a draft -> its text (``draft``) -> each
citation it makes, found and checked (``citations``).

>>> report = check_citations(read_draft(Path("application.docx")), catalogue)  # doctest: +SKIP
>>> [c.verdict for c in report.citations]                                      # doctest: +SKIP
['confirmed', 'mismatch', 'unknown']
"""

from pipeline.checks.citations import (VERDICTS, CheckedCitation, CitationReport, Difference,
                                       check_citations)
from pipeline.checks.draft import Draft, read_draft

__all__ = ["VERDICTS", "CheckedCitation", "CitationReport", "Difference", "Draft",
           "check_citations", "read_draft"]
