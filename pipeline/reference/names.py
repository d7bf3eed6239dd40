"""Names as keys: respondent states, case names and courts, normalised for matching and facets.

The same state is printed many ways ("the Russian Federation", "Russia", "Russie"), and the same
case too ("CASE OF ZARECHNEV v. RUSSIA", "Zarechnev v. Russia", "Zarechnev c. Russie"). Filters,
facets and the citation graph compare keys built here, so ``state:Russia``, the state facet and
a French citation of an English judgment all agree. Engine-neutral: no Whoosh here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["case_key", "case_name_parts", "court_key", "state_key", "state_label"]

#: Canonical display names of the states, by key. Only states whose display is not the plain
#: title-case of the key need a row.
STATE_LABELS = {
    "north macedonia": "North Macedonia", "united kingdom": "United Kingdom",
    "czech republic": "Czech Republic", "san marino": "San Marino",
    "bosnia and herzegovina": "Bosnia and Herzegovina",
}

#: Other printed forms -> key. Keys are lower case, without a leading article.
STATE_ALIASES = {
    "the former yugoslav republic of macedonia": "north macedonia",
    "former yugoslav republic of macedonia": "north macedonia", "fyrom": "north macedonia",
    "macedonia": "north macedonia", "türkiye": "turkey", "turkiye": "turkey",
    "russian federation": "russia", "republic of moldova": "moldova", "uk": "united kingdom",
    "great britain": "united kingdom", "czechia": "czech republic", "slovak republic": "slovakia",
    # French, as printed in French judgments ("c. Russie"); used to match citations across languages
    "russie": "russia", "fédération de russie": "russia", "turquie": "turkey",
    "royaume-uni": "united kingdom", "république de moldova": "moldova",
    "ex-république yougoslave de macédoine": "north macedonia",
    "macédoine du nord": "north macedonia", "allemagne": "germany", "autriche": "austria",
    "belgique": "belgium", "bulgarie": "bulgaria", "chypre": "cyprus", "croatie": "croatia",
    "danemark": "denmark", "espagne": "spain", "estonie": "estonia", "finlande": "finland",
    "géorgie": "georgia", "grèce": "greece", "hongrie": "hungary", "irlande": "ireland",
    "islande": "iceland", "italie": "italy", "lettonie": "latvia", "lituanie": "lithuania",
    "malte": "malta", "norvège": "norway", "pays-bas": "netherlands", "pologne": "poland",
    "roumanie": "romania", "serbie": "serbia", "slovaquie": "slovakia", "slovénie": "slovenia",
    "suède": "sweden", "suisse": "switzerland", "république tchèque": "czech republic",
    "arménie": "armenia", "azerbaïdjan": "azerbaijan", "albanie": "albania",
    "monténégro": "montenegro", "bosnie-herzégovine": "bosnia and herzegovina",
    "andorre": "andorra", "saint-marin": "san marino",
    # Russian
    "россия": "russia", "российская федерация": "russia",
}

_ARTICLE = re.compile(r"^(?:the|la|le|les|l['’])\s*", re.IGNORECASE)


def state_key(printed: str) -> str:
    """The key of a respondent state as printed, for filters and facets.

    >>> [state_key(s) for s in ("the Russian Federation", "Russia", "Türkiye", "FYROM", "la Russie")]
    ['russia', 'russia', 'turkey', 'north macedonia', 'russia']
    >>> state_key("the United Kingdom")
    'united kingdom'
    """
    text = " ".join(printed.split()).strip(" .,;").lower()
    text = text.replace("’", "'")
    if text in STATE_ALIASES:
        return STATE_ALIASES[text]
    text = _ARTICLE.sub("", text)
    return STATE_ALIASES.get(text, text)


def state_label(key: str) -> str:
    """A state's display name: ``"russia"`` -> ``"Russia"``."""
    return STATE_LABELS.get(key) or " ".join(w.capitalize() for w in key.split())


def _fold(text: str) -> str:
    """Lower case, accents removed, punctuation to spaces: for comparing names only."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


_CASE_PREFIX = re.compile(r"^\s*(?:case\s+of|affaire|дело)\s+", re.IGNORECASE)
_VERSUS = re.compile(r"\s+(?:v\.?|vs\.?|c\.|против)\s+", re.IGNORECASE)
_SUFFIXES = re.compile(r"\s*(?:\[GC\]|\((?:dec|déc)\.?\)|\(no\.\s*\d+\)|\(n[o°]\s*\d+\))", re.IGNORECASE)
_CONNECTORS = frozenset({"AND", "OTHERS", "ET", "AUTRES", "И", "ДРУГИЕ"})
_OTHERS = re.compile(r"\b(?:et autres|and others)\b")


def case_name_parts(name: str) -> tuple[str, str | None]:
    """(applicant, state) of a case title or a cited case name, as printed.

    Decision titles name the applicant in full with the surname in capitals; only the capitals
    are kept, as citations print the surname alone.

    >>> case_name_parts("CASE OF MIKHEYEV v. RUSSIA")
    ('MIKHEYEV', 'RUSSIA')
    >>> case_name_parts("Denis Valeryevich LUGOVSKIKH v. Russia")
    ('LUGOVSKIKH', 'Russia')
    >>> case_name_parts("Bouyid v. Belgium [GC]")
    ('Bouyid', 'Belgium')
    >>> case_name_parts("CASE OF X AND Y v. NORTH MACEDONIA")
    ('X AND Y', 'NORTH MACEDONIA')
    >>> case_name_parts("Ion POPESCU and Maria IONESCU v. Romania")
    ('POPESCU and IONESCU', 'Romania')
    """
    name = _SUFFIXES.sub("", _CASE_PREFIX.sub("", name)).strip()
    parts = _VERSUS.split(name, maxsplit=1)
    applicant = parts[0].strip(" ,")
    state = parts[1].strip(" ,.") if len(parts) > 1 else None
    words = applicant.split()
    # Only a name printed in mixed case has its surname told apart by capitals: in "X AND Y" or
    # "A AND OTHERS" every word is upper case, and the initials are the applicants.
    mixed = any(c.islower() for w in words for c in w)
    caps = [w for w in words if len(w) > 1 and w.isupper() and w not in _CONNECTORS]
    if mixed and caps and len(caps) < len(words) and words[0] not in caps:
        # "Ion POPESCU and Maria IONESCU" -> "POPESCU and IONESCU": a connector between two
        # surnames stays
        where = [i for i, w in enumerate(words) if w in caps]
        applicant = " ".join(w for i, w in enumerate(words) if w in caps or (
            w.upper() in _CONNECTORS and where[0] < i < where[-1]))
    return applicant, state


@lru_cache(maxsize=1 << 16)
def case_key(name: str) -> str | None:
    """A key shared by every printed form of one case name (case, accents, v./c., language).

    >>> case_key("CASE OF ZARECHNEV v. RUSSIA") == case_key("Zarechnev c. Russie") == case_key("Zarechnev v. the Russian Federation")
    True
    >>> case_key("Ananyev et autres c. Russie")
    'ananyev and others|russia'
    >>> case_key("Lyapin") is None
    True
    """
    applicant, state = case_name_parts(name)
    if not state or not applicant:
        return None
    folded = _OTHERS.sub("and others", _fold(applicant))
    return f"{folded}|{_fold(state_key(state))}" if folded else None


def court_key(court: str) -> str:
    """A court's name as one query-safe term (no spaces, quotes or colons), for exact filters.

    >>> court_key("Заречный районный суд г. Энска Энской области")
    'заречный_районный_суд_г_энска_энской_области'
    """
    return "_".join(re.findall(r"\w+", court.lower().replace("ё", "е")))
