"""A communicated case -> the Convention provisions it puts to the parties (``complaints``).

When the Court gives notice of an application to the respondent Government it publishes the
facts, the complaints and its questions ("QUESTIONS TO THE PARTIES / 1. Has the applicant been
subjected to torture ... in breach of Article 3 of the Convention?"). Nothing is ruled yet, so a
communicated case has no holdings; what it is about is the provisions its questions and its
statement of the complaints name. Those are its provisions at issue (``search/provisions.py``):
a lawyer filtering ``article:3`` finds the pending cases about Article 3 beside the decided ones.

Only those two parts are read: the statement of facts quotes domestic law and other cases,
which name provisions the case is not about.

>>> complaints("THE FACTS\\nThe applicant relied on Article 8 before the courts.\\nCOMPLAINTS\\n"
...            "The applicant complains under Article 3 of the Convention.\\nQUESTIONS TO THE PARTIES\\n"
...            "1. Was the applicant subjected to torture, in breach of Article 3?\\n2. Has there been a "
...            "violation of Article 14 read in conjunction with Article 1 of Protocol No. 1?\\n"
...            "APPENDIX\\nArticle 5")
['3', '14+P1-1']
"""

from __future__ import annotations

import re

from pipeline.structure.operative import provisions_named

__all__ = ["complaints"]

# Their headings, each on a line of its own: English, French, Ukrainian and Russian.
_PARTS = re.compile(r"^[ \t]*(?:QUESTIONS?\s+(?:TO\s+THE|AUX)\s+PARTIES|COMPLAINTS?|GRIEFS?|СКАРГИ|ЖАЛОБЫ|"
                    r"ПИТАННЯ\s+ДО\s+СТОРІН|ВОПРОСЫ\s+(?:К\s+)?СТОРОНАМ)[ \t]*\.?[ \t]*$", re.M)
# What ends the last of them: the annexed list of applications, or the facts of a second case.
_END = re.compile(r"^[ \t]*(?:ANNEX|ANNEXE|APPENDIX|ДОДАТОК|ПРИЛОЖЕНИЕ|STATEMENT\s+OF\s+FACTS|EXPOSÉ\s+DES\s+FAITS|"
                  r"THE\s+FACTS|EN\s+FAIT)\b", re.M)
#: The longest a part is read for: questions run to a few pages.
MAX_PART = 30_000


def complaints(text: str) -> list[str]:
    """HUDOC codes of the provisions a communicated case's complaints and questions name, in
    order, without repeats; [] when it prints neither part."""
    found: dict[str, None] = {}
    for m in _PARTS.finditer(text):
        end = min(m.end() + MAX_PART, len(text))
        for stop in (_PARTS.search(text, m.end(), end), _END.search(text, m.end(), end)):
            if stop:
                end = min(end, stop.start())
        found.update(dict.fromkeys(provisions_named(text[m.end(): end])))
    return list(found)
