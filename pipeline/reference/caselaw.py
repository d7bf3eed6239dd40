"""The Court's own list of case-law references, and a printed citation resolved against it.

The European Court of Human Rights publishes the canonical citation of each judgment and
decision it lists ("Mikheyev v. Russia, no. 77617/01, § ..., 26 January 2006"), about 21,000
cases in English and French (``caselaw_list.tsv.gz`` beside this module, built by
``tools/build_caselaw_list.py``; provenance and rights in ``CASELAW_LIST.md``). A citation found
in a document is matched to one entry, so the case gets its canonical name, application numbers
and date even when the index does not hold it.

A lawyer cites what this returns, so a match must be certain; anything else is left unresolved:

* by application number first: an entry holding a printed number, against the same State, whose
  name shares a word with the printed one (or, for a name in another script, whose date is the
  printed date). A number with a typo finds no such entry and falls through to the name;
* by name second: the folded applicant and State (``names.case_key``), and only when the citation
  also prints the entry's own date or reporter ("ECHR 2015-V", "Series A no. 25"): the list
  does not hold every case ("Ivanov v. Russia" is the name of dozens of cases and of one
  entry), so a name with no date, or with a year only, is never enough;
* printed marks narrow both: "[GC]" takes Grand Chamber entries only; "(dec.)", "(no. 2)",
  "(just satisfaction)", "(revision)"... must agree unless the printed date is the entry's own;
* two entries left (a Chamber and a Grand Chamber judgment of one application, two "Ivanov v.
  Russia" without a date): unresolved, never the first of them.

>>> entry = resolve("Mikheyev v. Russia, no. 77617/01, § 135, 26 January 2006",
...                 "Mikheyev v. Russia", ["77617/01"])
>>> entry.citation, entry.numbers, entry.date
('Mikheyev v. Russia, no. 77617/01, 26 January 2006', ('77617/01',), '2006-01-26')
"""

from __future__ import annotations

import csv
import gzip
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property, lru_cache
from importlib import resources

from pipeline.limits import one_time_load
from pipeline.reference.calendar import DATES
from pipeline.reference.names import state_key
from pipeline.reference.states import STATES

__all__ = ["CaseEntry", "CaseList", "Marks", "Printed", "applicant_key", "caselaw_list", "marks_agree",
           "name_key", "resolve", "resolve_printed"]

DATA_FILE = "caselaw_list.tsv.gz"


_NON_WORD = re.compile(r"[^\w]+")
#: Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans({"İ": "I", "ı": "i", "ß": "ss", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O",
                          "đ": "d", "Đ": "D", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th"})


def _fold(text: str) -> str:
    """Lower case, accents and punctuation removed: "Kudła", "Kudla" and "KUDLA" are one."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_LETTERS).lower())
        text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", text.lower()).split())


def _state_keys() -> dict[str, str]:
    """Every printed form of a State (English, French, Russian, with or without its article) ->
    one key; former names share their successor's ("the former Yugoslav Republic of
    Macedonia" and "North Macedonia", "Türkiye" and "Turkey")."""
    keys: dict[str, str] = {}
    for state in STATES:
        key = state_key(state.name)
        for form in (state.name, *state.en, *state.fr, *state.ru, *state.titles):
            keys[_fold(form)] = key
            keys[_fold(re.sub(r"^(?:the|les?|la|l['’])\s*", "", form, flags=re.I))] = key
    return keys


_STATES = _state_keys()


@lru_cache(maxsize=4096)
def _state(printed: str) -> str:
    """The key of a respondent part as printed: "la Russie", "России", "the Russian Federation"."""
    parts = re.split(r"\s+(?:and|et|и)\s+", printed.strip(" .,"))
    return " & ".join(_STATES.get(_fold(p)) or _fold(state_key(p)) for p in parts)


_OTHERS = re.compile(r"\b(?:and others|et autres|и другие)\b")


def applicant_key(printed: str) -> str:
    """An applicant's name folded for comparing: "Ananyev et autres" -> "ananyev and others"."""
    return _OTHERS.sub("and others", _fold(printed))


_VERSUS = re.compile(r"\s+(?:v\.?|vs\.?|c\.|против)\s+", re.IGNORECASE)
_MARKS = re.compile(r"\s*[(\[].*$")
_BRACKETS = re.compile(r"\s*(?:\([^()]*\)|\[[^\]]*\])")


def _parts(printed: str) -> tuple[str, str | None]:
    """(applicant, State) of a case name as printed. Unlike ``names.case_name_parts`` no word
    in capitals is taken for the surname: the list and citations print names in mixed case,
    and "Prince Hans-Adam II of Liechtenstein" is not "II"."""
    parts = _VERSUS.split(printed.strip(), maxsplit=1)
    applicant = _BRACKETS.sub("", parts[0]).strip(" ,")
    return applicant, (_MARKS.sub("", parts[1]).strip(" ,.") if len(parts) > 1 else None)


def name_key(printed: str) -> tuple[str, str] | None:
    """(folded applicant, State key) of a case name, marks dropped; None without a State.

    >>> name_key("Ananyev et autres c. la Russie") == name_key("Ananyev and Others v. Russia [GC]")
    True
    """
    applicant, state = _parts(printed)
    if not state or not applicant:
        return None
    applicant = applicant_key(applicant)
    return (applicant, _state(state)) if applicant and state else None


#: Words in names that say nothing of who the applicant is.
_COMMON = {"and", "others", "et", "autres", "v", "c", "the", "of", "de", "la", "le", "les", "du",
           "des", "and others", "ltd", "limited", "sa", "s", "a", "srl", "ooo", "ao", "oao", "zao",
           "as", "gmbh", "ag", "company", "companies", "inc", "association"}


def _words(applicant: str) -> set[str]:
    return {w for w in applicant.split() if len(w) >= 3 and w not in _COMMON}


def marks_agree(entry: CaseEntry, marks: Marks) -> bool:
    """The marks a citation prints do not contradict the entry: "Georgia v. Russia (II), cited
    above" is not (I), nor "X (dec.), cited above" the judgment. A citation printing no mark
    of a kind says nothing of it, except that it is not numbered beyond "(no. 1)"."""
    if (marks.series or 1) != (entry.marks.series or 1):
        return False
    if marks.grand_chamber and not entry.marks.grand_chamber:
        return False
    if marks.decision and not entry.marks.decision:
        return False
    return not marks.phases or marks.phases == entry.marks.phases


def _bare(applicant: str) -> str:
    """"S.H. and Others" is cited "S.H." too."""
    return applicant.removesuffix(" and others")


def _wildcard(printed: str | None) -> re.Pattern[str] | None:
    """A text converted to Windows-1252 prints "?" for each letter it lacks ("Kova?i? and
    Others", "Tavl?"): the applicant as a pattern with one letter for each "?", else None."""
    if not printed or "?" not in printed:
        return None
    applicant, state = _parts(printed.replace("?", "9"))
    if not state:
        return None
    return re.compile(re.escape(applicant_key(applicant)).replace("9", r"\w"))


def _alike(printed: str, listed: str) -> bool:
    """Two folded applicants are one despite a typo or a transliteration ("Schwitzgebel" and
    "Schwizgebel", "Baio" and "Biao"): only used beside an application number and a State."""
    return SequenceMatcher(None, printed, listed).ratio() >= 0.75


# -- marks: [GC], (dec.), (no. 2), (II), (just satisfaction)... --------------------------------

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
#: Printed phase marks, English and French, -> one name.
_PHASES = {
    "just satisfaction": "just_satisfaction", "satisfaction equitable": "just_satisfaction",
    "article 50": "just_satisfaction", "article 41": "just_satisfaction",
    "friendly settlement": "friendly_settlement", "reglement amiable": "friendly_settlement",
    "striking out": "striking_out", "radiation": "striking_out",
    "revision": "revision", "interpretation": "interpretation",
    "preliminary objection": "preliminary_objections", "preliminary objections": "preliminary_objections",
    "exception preliminaire": "preliminary_objections",
    "exceptions preliminaires": "preliminary_objections",
}
_MARK = re.compile(r"\(([^()]{1,60})\)|\[(GC|Plenary|plénière|Plénière|БП|ВП)\]")


@dataclass(frozen=True)
class Marks:
    """What the bracketed marks of a citation say of the document cited."""

    grand_chamber: bool = False
    decision: bool = False
    #: "(no. 2)", "(II)": which of several cases of one name; None when unnumbered.
    series: int | None = None
    phases: frozenset[str] = frozenset()


def marks_of(head: str) -> Marks:
    """The marks printed in ``head`` (a citation up to its application numbers).

    >>> marks_of("Georgia v. Russia (I) (just satisfaction) [GC]")
    Marks(grand_chamber=True, decision=False, series=1, phases=frozenset({'just_satisfaction'}))
    >>> marks_of("De Nigris c. Italie (no 1) (déc.)")
    Marks(grand_chamber=False, decision=True, series=1, phases=frozenset())
    >>> marks_of("Kurt v. Turkey (just satisfaction - friendly settlement)").phases == {"just_satisfaction", "friendly_settlement"}
    True
    """
    gc = decision = False
    series: int | None = None
    phases: set[str] = set()
    for m in _MARK.finditer(head):
        if m.group(2):
            gc = gc or m.group(2) in ("GC", "БП", "ВП")  # Большая / Велика палата
            continue
        for part in re.split(r"\s+[-–]\s+|\s*[;,]\s*", m.group(1)):
            word = _fold(part)
            if word in ("dec", "dec dec"):
                decision = True
            elif word == "gc":
                gc = True
            elif found := re.fullmatch(r"n\s?[o°]?\s*(\d{1,2})", word):
                series = int(found.group(1))
            elif word in _ROMAN and part.strip().isupper():
                series = _ROMAN[word]
            elif word in _PHASES:
                phases.add(_PHASES[word])
            elif (found := re.fullmatch(r"(.+?)\s+n\s?[o°]?\s*(\d{1,2})", word)) and found.group(1) in _PHASES:
                phases.add(_PHASES[found.group(1)])  # "(revision no. 2)"
    return Marks(gc, decision, series, frozenset(phases))


# -- dates, years and reporters ---------------------------------------------------------------

_REPORTER = re.compile(
    r"(?P<echr>ECHR|CEDH)\s+(?P<ey>\d{4})(?:-(?P<ev>[IVXL]+))?"
    r"|(?:Reports|Recueil)(?:\s+of\s+Judgments\s+and\s+Decisions|\s+des\s+arrêts\s+et\s+décisions)?"
    r"\s+(?P<ry>\d{4})-(?P<rv>[IVXL]+)"
    r"|(?:Series|série)\s+A\s+n\s?[o°]\.?\s*(?P<sa>\d{1,3}(?:-[A-C])?)")


def _reporters(text: str) -> tuple[set[str], set[int]]:
    """Normalised reporters ("ECHR 2001-IV", "Reports 1998-VIII", "Series A 25") and the years
    they print, from ``text``."""
    found, years = set(), set()
    for m in _REPORTER.finditer(text):
        if m.group("echr"):
            found.add(f"ECHR {m.group('ey')}" + (f"-{m.group('ev')}" if m.group("ev") else ""))
            years.add(int(m.group("ey")))
        elif m.group("ry"):
            found.add(f"Reports {m.group('ry')}-{m.group('rv')}")
            years.add(int(m.group("ry")))
        else:
            found.add(f"Series A {m.group('sa')}")
    return found, years


@dataclass(frozen=True)
class Printed:
    """What a citation as printed tells of the case it names."""

    name: tuple[str, str] | None
    numbers: tuple[str, ...]
    marks: Marks
    dates: frozenset[str]
    years: frozenset[int]
    reporters: frozenset[str]
    #: The applicant as a pattern when the text lost letters to "?" (``_wildcard``).
    pattern: re.Pattern[str] | None = None

    @classmethod
    def of(cls, text: str, case_name: str | None, numbers: list[str] | tuple[str, ...]) -> Printed:
        """``text`` is the citation as printed, ``case_name`` and ``numbers`` what
        ``entities.citations`` read in it."""
        dates = {d.iso for d in DATES.find(text)}
        reporters, years = _reporters(text)
        return cls(name=name_key(case_name) if case_name else None,
                   numbers=tuple(n.strip().lower() for n in numbers),
                   marks=marks_of(_head(text)),
                   dates=frozenset(dates),
                   years=frozenset(years | {int(d[:4]) for d in dates}),
                   reporters=frozenset(reporters), pattern=_wildcard(case_name))


def _head(text: str) -> str:
    """The citation up to its first element after the name: marks are printed there, and a
    later bracket ("ECHR 2014 (extracts)") is not a mark."""
    m = re.search(r",\s*(?:nos?\.?|n[o°]s?\b|req|requête|\d|ECHR|CEDH|Series|série|Reports|"
                  r"Recueil|§|cited|précité)", text)
    return text[: m.start()] if m else text


# -- the list ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CaseEntry:
    """One entry of the Court's list: its citation as the Court prints it (without a pinpoint),
    in English and in French when the list has both."""

    citation: str
    title: str
    numbers: tuple[str, ...]
    date: str | None
    #: ``judgment``, ``decision`` or ``advisory``.
    kind: str
    citation_fr: str | None
    title_fr: str | None
    marks: Marks
    year: int | None
    reporter: str | None

    def citation_in(self, language: str | None) -> str:
        """The canonical citation in a document's language (French when it is French and the
        list has it; English otherwise)."""
        return self.citation_fr if language == "fr" and self.citation_fr else self.citation

    def name_in(self, language: str | None) -> str:
        return self.title_fr if language == "fr" and self.title_fr else self.title


@dataclass(frozen=True)
class CaseList:
    """The list with its look-up tables: by application number and by folded name."""

    entries: tuple[CaseEntry, ...]
    by_number: dict[str, tuple[CaseEntry, ...]]
    by_name: dict[tuple[str, str], tuple[CaseEntry, ...]]
    #: The ``# key: value`` lines heading the data file (source, its SHA-256, updated through).
    provenance: dict[str, str]

    @cached_property
    def by_state(self) -> dict[str, list[tuple[str, tuple[CaseEntry, ...]]]]:
        """(folded applicant, entries) by State key: for names whose letters were lost."""
        table: dict[str, list[tuple[str, tuple[CaseEntry, ...]]]] = defaultdict(list)
        for (applicant, state), entries in self.by_name.items():
            table[state].append((applicant, entries))
        return dict(table)

    @classmethod
    def parse(cls, lines: list[str]) -> CaseList:
        provenance = {}
        while lines and lines[0].startswith("#"):
            label, _, value = lines.pop(0)[1:].partition(":")
            if value:
                provenance[label.strip()] = value.strip()
        entries = []
        by_number: dict[str, list[CaseEntry]] = defaultdict(list)
        by_name: dict[tuple[str, str], list[CaseEntry]] = defaultdict(list)
        reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\")
        for row in reader:
            reporters, years = _reporters(row["citation"])
            date = row["date"] or None
            marks = marks_of(_head(row["citation"]))
            if row["kind"] == "decision" and not marks.decision:
                marks = Marks(marks.grand_chamber, True, marks.series, marks.phases)
            entry = CaseEntry(
                citation=row["citation"], title=row["title"],
                numbers=tuple(n.lower() for n in row["numbers"].split(";") if n),
                date=date, kind=row["kind"], citation_fr=row["citation_fr"] or None,
                title_fr=row["title_fr"] or None, marks=marks,
                year=int(date[:4]) if date else (min(years) if years else None),
                reporter=min(reporters) if reporters else None)
            entries.append(entry)
            for number in entry.numbers:
                by_number[number].append(entry)
            for title in (entry.title, entry.title_fr):
                if title and (key := name_key(title)):
                    if entry not in by_name[key]:
                        by_name[key].append(entry)
        return cls(tuple(entries), {k: tuple(v) for k, v in by_number.items()},
                   {k: tuple(v) for k, v in by_name.items()}, provenance)


@lru_cache(maxsize=1)
def caselaw_list() -> CaseList:
    """The list shipped with the pipeline, read once per process (about 0.3 s)."""
    with one_time_load():
        data = resources.files("pipeline.reference").joinpath(DATA_FILE).read_bytes()
        return CaseList.parse(gzip.decompress(data).decode("utf-8").splitlines())


# -- resolution ----------------------------------------------------------------------------------

def _fits(entry: CaseEntry, printed: Printed, *, numbered: bool) -> bool:
    """Nothing printed contradicts the entry. Found by its application number, the entry's own
    date outweighs a mark the citing text left out or added ("(dec.)", "(no. 1)"); found by name
    alone, every mark must agree: "Ivanov v. Russia (no. 2)" is not "Ivanov v. Russia", whatever
    the date."""
    if printed.dates and entry.date and entry.date not in printed.dates:
        return False
    if printed.years and entry.year and entry.year not in printed.years:
        return False
    dated = bool(entry.date and entry.date in printed.dates)
    if printed.reporters and entry.reporter and not dated \
            and not any(_same_reporter(entry.reporter, r) for r in printed.reporters):
        return False
    # The list marks no judgment before 1998 "[GC]", when texts cited the old Grand Chamber.
    if printed.marks.grand_chamber and not entry.marks.grand_chamber and not dated:
        return False
    if numbered and dated:
        return True
    mine, theirs = printed.marks, entry.marks
    if mine.decision != theirs.decision or mine.phases != theirs.phases:
        return False
    return (mine.series or 1) == (theirs.series or 1)


def _same_case(entry: CaseEntry, printed: Printed) -> bool:
    """An entry holding a printed number is that case when the State agrees and the name is
    alike (a shared word, a letter or two apart, "?" for a lost letter), or (a name in another
    script: "Михеев против России") the printed date is the entry's."""
    if printed.name is None:
        return bool(entry.date and entry.date in printed.dates)
    applicant, state = printed.name
    names = [a for t in (entry.title, entry.title_fr) if t and (k := name_key(t))
             for a, s in [k] if s == state]
    if not names:
        return False
    if any(_bare(applicant) == _bare(a) or _words(applicant) & _words(a) or _alike(applicant, a)
           or (printed.pattern and printed.pattern.fullmatch(a)) for a in names):
        return True
    return bool(entry.date and entry.date in printed.dates)


def _one(found: list[CaseEntry]) -> CaseEntry | None:
    unique = list(dict.fromkeys(found))
    return unique[0] if len(unique) == 1 else None


def resolve_printed(printed: Printed, cases: CaseList | None = None) -> CaseEntry | None:
    """The one entry of the list ``printed`` names, or None (not listed, or not certain)."""
    cases = cases or caselaw_list()
    by_number = [e for n in printed.numbers for e in cases.by_number.get(n, ())]
    if by_number:
        same = [e for e in by_number if _same_case(e, printed)]
        fitting = [e for e in same if _fits(e, printed, numbered=True)]
        if fitting or same:
            # The number names this case: several judgments of it and nothing to choose by is
            # ambiguous, not a reason to try the name.
            return _one(fitting)
    if printed.name is None:
        return None
    named = list(cases.by_name.get(printed.name, ()))
    if printed.pattern:
        named += [e for applicant, entries in cases.by_state.get(printed.name[1], ())
                  if printed.pattern.fullmatch(applicant) for e in entries]
    return _one([e for e in named if _fits(e, printed, numbered=False) and _dated(e, printed)])


def _same_reporter(one: str, other: str) -> bool:
    """"ECHR 2001-IV" and "ECHR 2001" are one volume year; a volume printed on both must agree.

    >>> _same_reporter("ECHR 2001-IV", "ECHR 2001"), _same_reporter("ECHR 2001-IV", "ECHR 2001-V")
    (True, False)
    """
    if one == other:
        return True
    a, b = sorted((one, other), key=len)
    return a.startswith("ECHR ") and b.startswith(a + "-")


def _dated(entry: CaseEntry, printed: Printed) -> bool:
    """A name alone needs the entry's own date or reporter printed beside it; a year alone is
    enough only for an entry the list dates by its reporter ("Bouyid v. Belgium [GC], ...,
    ECHR 2015" cited with its delivery date)."""
    if entry.date:
        return entry.date in printed.dates
    if entry.reporter and any(_same_reporter(entry.reporter, r) for r in printed.reporters):
        return True
    return entry.year is not None and entry.year in printed.years


def resolve(text: str, case_name: str | None, numbers: list[str] | tuple[str, ...],
            cases: CaseList | None = None) -> CaseEntry | None:
    """The entry of the Court's list that a citation names, or None.

    >>> resolve("Ivanov v. Russia, § 12", "Ivanov v. Russia", []) is None
    True
    >>> resolve("Bouyid v. Belgium [GC], no. 23380/09, § 81, ECHR 2015", "Bouyid v. Belgium",
    ...         ["23380/09"]).citation
    'Bouyid v. Belgium [GC], no. 23380/09, ECHR 2015'
    """
    return resolve_printed(Printed.of(text, case_name, numbers), cases)
