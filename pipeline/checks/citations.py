"""A draft's text -> every citation in it, checked against the index and the Court's list.

What is found: Strasbourg citations (``entities.citations.find_citations``, full and "cited
above"), Russian case numbers and УИД (``entities.identifiers``) and provisions of Russian codes
(``entities.codes``). What each is checked against: the catalogue (documents by their own
identifiers, and ECHR documents by the date a citation prints) and the Court's list of case-law
references (``reference.caselaw``).

A lawyer files what this says, so a verdict is ``mismatch`` only when the judgment meant is
certain and something the draft states differs from it; ``unknown`` otherwise:

* a judgment is the one meant when at least two of what the draft states (application number,
  case name, date) agree with it and it is the only such judgment. Then each stated element
  that differs is a difference: "date: draft says 26 January 2005, the judgment is of
  26 January 2006". One element agreeing (a name alone: "Ivanov v. Russia" is the name of
  dozens of cases) is never enough; what it matched is only mentioned in ``notes``;
* a pinpoint is a difference only past the last numbered paragraph of the indexed judgment
  ("§ 335" in a judgment of 150 paragraphs), read from its record and from the numbers its text
  prints in order (the structure stage misses some in unusual layouts); a number inside the
  range that neither shows is left unchecked, and so is any pinpoint when the index holds
  extracts of the judgment only. Past the last is a difference only when the indexed text is
  surely complete (its operative part follows that last paragraph, ``_incomplete``); a text
  that may have lost its end makes the citation ``unknown``, with the reason;
* a "cited above" takes the judgment of the draft's last full citation of that name, and is
  checked for what it adds (its pinpoint);
* a Russian case number is unique within one court only: a document holding it is the ruling
  meant when the court or the date the draft prints agrees (or the number names its court
  itself: arbitrazh numbers, УИД);
* a code provision: the code is one ``entities.codes`` knows, but the repo holds no list of
  each code's articles, so the article is never judged: always ``unknown``.

>>> report = check_citations("Mikheyev v. Russia, no. 77617/01, § 135, 26 January 2005", cat)  # doctest: +SKIP
>>> report.citations[0].differences[0].message                                                 # doctest: +SKIP
'date: draft says 26 January 2005, the judgment is of 26 January 2006'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from pipeline.catalogue import Catalogue, Document
from pipeline.checks.messages import N_, Message
from pipeline.entities.citations import find_citations
from pipeline.entities.codes import CODES, find_code_provisions
from pipeline.entities.identifiers import find_identifiers, normalise_identifier
from pipeline.models import Citation, empty_record
from pipeline.present.pinpoint import _date as long_date
from pipeline.present.pinpoint import case_title, citation_for
from pipeline.reference.calendar import DATES, month_alternation
from pipeline.reference.caselaw import (CaseEntry, CaseList, Printed, _same_reporter,
                                        applicant_key, caselaw_list, name_key)

__all__ = ["VERDICTS", "CheckedCitation", "CitationReport", "Difference", "check_citations"]

VERDICTS = ("confirmed", "mismatch", "unknown")

#: Full names of the codes, for notes.
CODE_NAMES = {"УПК": "Уголовно-процессуальный кодекс", "УИК": "Уголовно-исполнительный кодекс",
              "УК": "Уголовный кодекс", "ГПК": "Гражданский процессуальный кодекс",
              "ГК": "Гражданский кодекс", "КоАП": "Кодекс об административных правонарушениях",
              "КАС": "Кодекс административного судопроизводства",
              "АПК": "Арбитражный процессуальный кодекс", "СК": "Семейный кодекс",
              "ТК": "Трудовой кодекс", "НК": "Налоговый кодекс", "ЖК": "Жилищный кодекс",
              "Конституция": "Конституция"}
assert set(CODE_NAMES) == {key for key, _ in CODES}


@dataclass(frozen=True)
class Difference:
    """One thing the draft states that the matched judgment or ruling does not say."""

    #: ``name``, ``number``, ``date``, ``paragraph`` or ``court``.
    field: str
    #: As the draft prints it.
    draft: str
    #: What the document or the list gives instead.
    found: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"field": self.field, "draft": self.draft, "found": self.found,
                "message": self.message}


@dataclass
class CheckedCitation:
    """One citation of the draft with its verdict."""

    #: ``echr`` (a Strasbourg case), ``ru_case`` (a Russian case number or УИД), ``ru_code``.
    kind: str
    text: str
    start: int
    end: int
    verdict: str = "unknown"
    differences: list[Difference] = field(default_factory=list)
    #: What the draft states and was found to agree: ``number``, ``name``, ``date``,
    #: ``paragraph``, ``court``.
    agrees: list[str] = field(default_factory=list)
    #: Why a verdict is ``unknown``, and what could not be checked.
    notes: list[str] = field(default_factory=list)
    #: The indexed document matched, and its citation as ``search`` prints it.
    doc_id: str | None = None
    doc_citation: str | None = None
    #: The paragraph of that document the citation points at (its first pinpoint), when the
    #: document numbers it: where a link to the document lands.
    paragraph: str | None = None
    #: The entry of the Court's list matched, as the Court cites it.
    listed: str | None = None
    #: For "cited above": the index (in ``CitationReport.citations``) of the full citation.
    refers_to: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "span": [self.start, self.end],
                "verdict": self.verdict,
                "differences": [d.to_json() for d in self.differences],
                "agrees": self.agrees, "notes": self.notes, "doc_id": self.doc_id,
                "paragraph": self.paragraph, "doc_citation": self.doc_citation, "listed": self.listed,
                "refers_to": self.refers_to}


@dataclass
class CitationReport:
    """Every citation of a draft, in text order."""

    citations: list[CheckedCitation]

    def counts(self) -> dict[str, int]:
        return {v: sum(c.verdict == v for c in self.citations) for v in VERDICTS}

    def to_json(self) -> dict[str, Any]:
        return {"counts": self.counts(), "citations": [c.to_json() for c in self.citations]}


# -- what the draft prints around a citation ---------------------------------------------------

_MONTHS = month_alternation("en", "fr", "ru")
_APP = r"\d{1,6}/\d{2}"
_DATE_TEXT = (rf"\d{{1,2}}(?:er)?\s+{_MONTHS}\s+\d{{4}}(?:\s*(?:г\.|года))?"
              r"|\d{1,2}\.\d{1,2}\.\d{4}(?:\s*(?:г\.|года))?")
#: "постановление ЕСПЧ от 24.07.2014 по делу «Ляпин против России»": the date before the name.
_RU_BEFORE = re.compile(rf"(?:от\s+(?:{_DATE_TEXT})\s+)?по\s+делу\s*[«\"“„]?\s*$", re.IGNORECASE)
#: ...and what Russian lawyers print after it: the closing quote, the date, the application
#: in brackets and the paragraph ("» от 26 января 2006 г. (жалоба № 77617/01), п. 118").
_RU_AFTER = re.compile(
    rf"[»\"”]?(?:\s*,?\s*от\s+(?:{_DATE_TEXT}))?"
    rf"(?:\s*,?\s*\(\s*(?:жалоб\w*|заявлени\w*)?\s*(?:№|N|no\.?)?\s*{_APP}"
    rf"(?:\s*(?:,|и)\s*(?:№|N)?\s*{_APP})*\s*\))?"
    r"(?:\s*,\s*(?:§§?|пп?\.|пункт\w*)\s*\d{1,4}(?:\s*[-–]\s*\d{1,4})?)?")
#: A date (or its month and year) that the citation finder left outside the span: it reads
#: English and French months only, and takes the day of "26 января 2006 г." for a pinpoint.
_DATE_AFTER = re.compile(rf"\s*(?:{_MONTHS})\s+\d{{4}}(?:\s*(?:г\.|года))?|,\s*(?:{_DATE_TEXT})")
_CITED_ABOVE = re.compile(r"cited\s+above|précitée?s?|cité(?:e)?\s+ci-dessus|указанн\w+\s+выше",
                          re.IGNORECASE)


def _widened(text: str, cit: Citation) -> tuple[int, int]:
    """The span of a citation with what Russian drafts print around the name."""
    start, end = cit.start, cit.end
    before = _RU_BEFORE.search(text[max(0, start - 60):start])
    if before:
        start = start - (len(text[max(0, start - 60):start]) - before.start())
        after = _RU_AFTER.match(text, end)
        if after and after.end() > end:
            end = after.end()
    more = _DATE_AFTER.match(text, end)
    if more and (more.group(0).startswith(",") or re.search(r"\d$", text[start:end])):
        end = more.end()
    return start, end


def _pinpoints(text: str) -> list[tuple[int, int]]:
    """The paragraphs a citation points to, as ranges: "§§ 96-102 and 118" -> (96, 102),
    (118, 118). A number followed by a month is the day of a date, not a paragraph."""
    out: list[tuple[int, int]] = []
    for mark in re.finditer(r"(?:§§?|(?<!\w)пункт\w*|(?<!\w)пп?\.)\s*", text):
        at = mark.end()
        while True:
            m = re.compile(r"(\d{1,4})(?:\s*[-–‑]\s*(\d{1,4}))?").match(text, at)
            if not m or re.match(rf"(?:er)?\s+{_MONTHS}|\.\d|/", text[m.end():], re.IGNORECASE):
                break
            low = int(m.group(1))
            out.append((low, int(m.group(2)) if m.group(2) else low))
            sep = re.compile(r"\s*(?:,|and|et|и)\s*(?:§\s*)?").match(text, m.end())
            if not sep:
                break
            at = sep.end()
    return out


# -- names ----------------------------------------------------------------------------------------

_CYRILLIC = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya"})
_COMMON = {"and", "others", "the", "of", "de", "la", "le", "ltd", "and others", "oao", "ooo", "zao",
           "et", "autres", "и", "другие"}


def _latin(applicant: str) -> str:
    """A folded applicant in Latin letters, for comparing a Russian draft with the list."""
    return " ".join(applicant.lower().translate(_CYRILLIC).split())


def _same_applicant(printed: str, listed: str) -> bool | None:
    """True: one applicant (a shared word, a typo or a transliteration apart, or the lead
    applicant of "X and Others"); False: another; None: not comparable (the draft writes it in
    Cyrillic and no spelling of it comes close, or what was read of it names nobody: "Others",
    the tail of a name cut at a line break)."""
    words = {w for w in printed.split() if len(w) >= 3 and w not in _COMMON}
    mine, theirs = printed.split(), listed.split()
    if not [w for w in mine if w not in _COMMON]:
        return None
    if printed == listed or words & {w for w in theirs if len(w) >= 3}:
        return True
    if f" {printed} " in f" {listed} " or f" {listed} " in f" {printed} ":
        return True
    lead = theirs[:theirs.index("and")] if "and" in theirs else theirs
    if lead and mine[:len(lead)] == lead:
        return True  # "I.G., M.K. and R.H." is "I.G. and Others"
    if SequenceMatcher(None, printed, listed).ratio() >= 0.75:
        return True
    # "Tchoban" among "Ognyanova and Choban": one applicant spelt another way.
    if any(SequenceMatcher(None, a, b).ratio() >= 0.8 for a in mine if len(a) >= 4
           for b in theirs if len(b) >= 4):
        return True
    if re.search(r"[а-яё]", printed) and not re.search(r"[а-яё]", listed):
        latin = _latin(printed.replace("и другие", "and others"))
        return True if SequenceMatcher(None, latin, listed).ratio() >= 0.75 else None
    return False


_VERSUS = re.compile(r"\s+(?:v\.?|vs\.?|c\.|против)\s+", re.IGNORECASE)


def _name_agrees(printed: str | None, titles: list[str]) -> bool | None:
    """Whether the draft's case name is the judgment's (see ``_same_applicant``): the State
    must be the same, the applicant alike, with or without what its title prints in brackets
    ("Verein gegen Tierfabriken Schweiz (VgT)"). A name read cut short ("VgT) v. Switzerland")
    is not compared."""
    key = name_key(printed) if printed else None
    if key is None or not printed or printed.count(")") > printed.count("("):
        return None
    states = [(k, t) for t in titles if (k := name_key(t))]
    if not states:
        return None
    same_state = [(k[0], applicant_key(_VERSUS.split(t, maxsplit=1)[0])) for k, t in states
                  if set(k[1].split(" & ")) <= set(key[1].split(" & "))
                  or set(key[1].split(" & ")) <= set(k[1].split(" & "))]
    if not same_state:
        return False
    answers = [_same_applicant(key[0], a) for pair in same_state for a in pair]
    if True in answers:
        return True
    return None if None in answers else False


def _whole_name(printed: str | None, titles: list[str]) -> bool:
    """The draft's applicant is the judgment's as a whole (a letter or two apart)."""
    key = name_key(printed) if printed else None
    return key is not None and any(
        (k := name_key(t)) is not None and SequenceMatcher(None, key[0], k[0]).ratio() >= 0.85
        for t in titles)


# -- the judgments a citation may name ----------------------------------------------------------

@dataclass
class _Judgment:
    """One judgment or decision, as the list and/or the index know it."""

    titles: list[str]
    numbers: set[str]
    date: str | None
    year: int | None
    decision: bool
    grand_chamber: bool
    entry: CaseEntry | None = None
    docs: list[Document] = field(default_factory=list)

    def label(self) -> str:
        if self.entry is not None:
            return self.entry.citation
        doc = self.docs[0]
        return citation_for(_citable(doc)) or doc.title or doc.id


def _citable(doc: Document) -> Any:
    from pipeline.search.hits import citable

    return citable(doc)


def _doc_judgment(doc: Document) -> _Judgment:
    record = doc.record or empty_record()
    title = record.get("title") or doc.title or ""
    titles = [case_title(title, "fr" if doc.language == "fr" else "en"), title]
    day = record.get("date")
    return _Judgment(titles=titles, numbers={n.lower() for n in record.get("case_numbers") or []},
                     date=day, year=int(day[:4]) if day else None,
                     decision=record.get("kind") == "echr_decision",
                     grand_chamber=(record.get("formation") or "").lower() in (
                         "grand chamber", "grande chambre"), docs=[doc])


def _entry_judgment(entry: CaseEntry) -> _Judgment:
    return _Judgment(titles=[t for t in (entry.title, entry.title_fr) if t],
                     numbers=set(entry.numbers), date=entry.date, year=entry.year,
                     decision=entry.kind == "decision", grand_chamber=entry.marks.grand_chamber,
                     entry=entry)


def _same_judgment(doc: _Judgment, entry: _Judgment) -> bool:
    if not doc.numbers & entry.numbers or doc.decision != entry.decision:
        return False
    if entry.date and doc.date:
        return entry.date == doc.date
    return entry.date is None and doc.year is not None and doc.year == entry.year \
        and doc.grand_chamber == entry.grand_chamber


class _Index:
    """What the catalogue holds, asked once per draft."""

    def __init__(self, catalogue: Catalogue | None):
        self.catalogue = catalogue
        self._docs: dict[str, Document] = {}
        self._by_date: dict[str, set[str]] = {}
        self.merged: dict[str, str] = {}

    def by_keys(self, keys: set[str]) -> list[Document]:
        if self.catalogue is None or not keys:
            return []
        ids = set(self.catalogue.sharing_keys(keys))
        return self._load(ids)

    def on_dates(self, dates: set[str]) -> None:
        """Read which ECHR documents were delivered on each of ``dates`` (every date the draft
        prints), in one pass over the catalogue: a citation printing no number is looked up by
        its date and compared by name."""
        self._by_date = {d: set() for d in dates}
        if self.catalogue is None or not dates:
            return
        marks = ",".join("?" * len(dates))
        for doc_id, day in self.catalogue.conn.execute(
                f"SELECT id, json_extract(record, '$.date') FROM documents"
                f" WHERE json_extract(record, '$.date') IN ({marks})"
                " AND json_extract(record, '$.kind') LIKE 'echr%'", sorted(dates)):
            self._by_date[day].add(doc_id)

    def echr_on(self, dates: set[str]) -> list[Document]:
        """ECHR documents delivered on one of ``dates`` (read by ``on_dates`` first)."""
        if self.catalogue is None or not dates:
            return []
        missing = dates - set(self._by_date)
        if missing:
            known = self._by_date
            self.on_dates(missing)
            self._by_date.update(known)
        return self._load({i for d in dates for i in self._by_date.get(d, ())})

    def _load(self, ids: set[str]) -> list[Document]:
        assert self.catalogue is not None
        wanted = [i for i in ids if i not in self._docs]
        if wanted:
            self._docs.update(self.catalogue.documents(wanted, without=("entities", "citations")))
        # A copy merged into another document (another file or language of one judgment)
        # still counts for its paragraphs; it is linked as the document it is shown as.
        self.merged.update(self.catalogue.merged_into(ids))
        return [self._docs[i] for i in sorted(ids) if i in self._docs]

    def shown(self, docs: list[Document]) -> Document | None:
        """The document a judgment is linked to: one shown in the index, the one a merged copy
        is shown as otherwise."""
        for doc in docs:
            if doc.id not in self.merged:
                return doc
        if self.catalogue is None or not docs:
            return None
        into = self.merged[docs[0].id]
        if into not in self._docs:
            self._docs.update(self.catalogue.documents([into], without=("entities", "citations")))
        return self._docs.get(into)


def _judgments(printed: Printed, index: _Index, cases: CaseList) -> list[_Judgment]:
    entries: list[CaseEntry] = [e for n in printed.numbers for e in cases.by_number.get(n, ())]
    if printed.name:
        entries += cases.by_name.get(printed.name, ())
    found = [_entry_judgment(e) for e in dict.fromkeys(entries)]
    docs = index.by_keys(set(printed.numbers)) + index.echr_on(set(printed.dates))
    for doc in {d.id: d for d in docs}.values():
        if not ((doc.record or empty_record()).get("kind") or "").startswith("echr"):
            continue
        own = _doc_judgment(doc)
        same = [j for j in found if j.entry is not None and _same_judgment(own, j)]
        same = same or [j for j in found if j.entry is None and j.numbers == own.numbers
                        and j.date == own.date]
        if same:
            same[0].docs.append(doc)
            # The list dates a Grand Chamber judgment by its reporter; the record by its day.
            same[0].date = same[0].date or own.date
        else:
            found.append(own)
    return found


def _marks_fit(printed: Printed, judgment: _Judgment) -> bool:
    """A "(dec.)" is not a judgment, nor a judgment a decision; a "[GC]" is not a Chamber
    judgment of another date."""
    if judgment.date and judgment.date in printed.dates:
        return True  # its own date outweighs a mark the draft left out or added ("(no. 2)")
    if printed.marks.decision != judgment.decision:
        return False
    if printed.marks.grand_chamber and not judgment.grand_chamber \
            and not (judgment.date and judgment.date in printed.dates):
        return False
    if judgment.entry is not None:
        # "(no. 2)", "(just satisfaction)", "(friendly settlement)": another judgment of the
        # same application unless the draft prints the same marks.
        marks = judgment.entry.marks
        if (printed.marks.series or 1) != (marks.series or 1) or printed.marks.phases != marks.phases:
            return False
    return True


@dataclass
class _Fit:
    judgment: _Judgment
    number: bool | None
    name: bool | None
    date: bool | None
    #: The reporter ("Reports 1998-I", "Series A no. 31") identifies an old judgment as a
    #: number does a newer one; it only ever agrees (volumes are printed loosely).
    reporter: bool | None = None
    #: The list dates the judgment by its reporter's year only, and the draft's date is of
    #: another year: not this judgment, though not a difference to claim either.
    other_year: bool = False

    @property
    def agreeing(self) -> int:
        return sum(x is True for x in (self.number, self.name, self.date, self.reporter))

    @property
    def clean(self) -> bool:
        return False not in (self.number, self.name, self.date) and not self.other_year


def _fit(printed: Printed, case_name: str | None, judgment: _Judgment) -> _Fit:
    number = bool(set(printed.numbers) & judgment.numbers) \
        if printed.numbers and judgment.numbers else None
    name = _name_agrees(case_name, judgment.titles)
    if number is False and name is True and not _whole_name(case_name, judgment.titles):
        # "United Macedonian Organisation Ilinden and Ivanov" shares words with another
        # decision of the same day: a shared word is not enough to say the number is wrong.
        name = None
    date: bool | None = None
    if printed.dates and judgment.date:
        date = judgment.date in printed.dates
    entry = judgment.entry
    reporter = True if entry is not None and entry.reporter and not judgment.numbers and any(
        _same_reporter(entry.reporter, r) for r in printed.reporters) else None
    other_year = bool(printed.dates and not judgment.date and judgment.year
                      and judgment.year not in printed.years)
    return _Fit(judgment, number, name, date, reporter, other_year)


# -- the checks ------------------------------------------------------------------------------------

def _language(text: str) -> str:
    return "ru" if re.search(r"[а-яё]", text, re.IGNORECASE) else "en"


def _differences(fit: _Fit, text: str, case_name: str | None, printed: Printed) -> list[Difference]:
    out = []
    judgment = fit.judgment
    what = N_("decision") if judgment.decision else N_("judgment")
    if fit.number is False:
        draft = ", ".join(printed.numbers)
        found = ", ".join(sorted(judgment.numbers))
        out.append(Difference("number", draft, found, Message(
            "number: draft says %(draft)s, the %(what)s is no. %(found)s", ("what",),
            draft=draft, what=what, found=found)))
    if fit.name is False:
        found = judgment.titles[0]
        out.append(Difference("name", case_name or "", found, Message(
            "name: draft says %(draft)s, the %(what)s is %(found)s", ("what",),
            draft=case_name, what=what, found=found)))
    if fit.date is False and judgment.date:
        draft = next((d.text for d in DATES.find(text)), "")
        found = long_date(judgment.date, _language(draft)) or judgment.date
        out.append(Difference("date", draft, found, Message(
            "date: draft says %(draft)s, the %(what)s is of %(found)s", ("what",),
            draft=draft, what=what, found=found)))
    return out


def _numbered(text: str, number: int, at: int = 0) -> re.Match[str] | None:
    """Where paragraph ``number`` opens in a judgment's text, from ``at``: "135." before a
    space or a line break (or "135" alone at a line's end, as texts that lost the dot print
    it), not a pinpoint ("§ 135."), a date or part of a longer number."""
    return re.compile(rf"(?<![\w§/.,\-])(?<!§ )(?<!§\u00a0){number}"
                      r"(?: ?\.(?=\s)|[ \t]*\n\s*(?=[A-ZÀ-ÝА-ЯЁ«\"“]))").search(text, at)


#: Paragraph numbers a text may lack in a row before the run of its numbers is taken to end.
_MAX_SKIPPED = 10


def _paragraphs(docs: list[Document]) -> tuple[set[int], int | None]:
    """The paragraph numbers of a judgment's indexed documents, and the last of them.

    The record's paragraphs are what the structure stage read, and it misses some in texts laid
    out unusually (a HUDOC text may have 21 read of 180, or section numbers read for
    paragraphs), so the numbers the text prints in order count too, read one after the other
    from "1.": a year or a pinpoint in the prose never extends the judgment, as it does not
    follow the paragraph before it."""
    numbers: set[int] = set()
    for doc in docs:
        own = {int(p["number"]) for p in (doc.record or empty_record()).get("paragraphs") or []
               if str(p.get("number", "")).isdigit()}
        run: set[int] = set()
        at, following = 0, 1
        while True:
            # Numbers the text lost (a page break, a typo, a part left out of a translation:
            # "see paragraphs 29-34 of the judgment") do not end the run.
            for skip in range(_MAX_SKIPPED + 1):
                if (found := _numbered(doc.text, following + skip, at)) is not None:
                    following += skip
                    break
            if found is None:
                break
            run.add(following)
            at, following = found.end(), following + 1
        numbers |= own | (run if own or len(run) >= 5 else set())
    return numbers, (max(numbers) if numbers else None)


def _in_text(docs: list[Document], number: int) -> bool:
    return any(_numbered(d.text, number) for d in docs)


def _incomplete(doc: Document, last: int) -> Message | None:
    """Why the indexed text of ``doc`` may lack numbered paragraphs past ``last``, its last
    read; None when it surely holds them all: its operative part ("FOR THESE REASONS, THE
    COURT", which follows the last numbered paragraph of a judgment or decision) is there
    after paragraph ``last``, no line between them opens with a higher number (a paragraph
    the run of numbers did not reach, past a gap of more than ``_MAX_SKIPPED``), and no
    omission mark stands there or in the operative heading (extracts: "... FOR THESE
    REASONS, THE COURT ...").

    A text cut short (a HUDOC export that lost its end, a record of part of a judgment) has
    no operative part after its last paragraph: there a pinpoint past it may well exist."""
    from pipeline.structure.operative import find_operative

    text = doc.text
    operative = find_operative(text)
    if operative is None:
        return Message("the text holds no operative part")
    opening, at = None, 0
    while (found := _numbered(text, last, at)) is not None and found.start() < operative.start:
        opening, at = found, found.end()
    if opening is None:
        return Message("no operative part follows § %(last)s", last=last)
    between = text[opening.end():operative.start]
    if any(int(m.group(1)) > last for m in _LINE_NUMBER.finditer(between)):
        return Message("higher numbers open lines after § %(last)s, not read as its paragraphs", last=last)
    # Extracts mark what they leave out with an ellipsis: after the last paragraph kept
    # ("... FOR THESE REASONS, THE COURT ...") it stands for the paragraphs left out.
    # An ellipsis inside the last paragraph's quotation ("they beat me ... for hours") is not
    # one: only a mark standing alone, or right before or inside the heading, counts.
    heading = text[operative.start:operative.start + 200].split("\n", 1)[0]
    if _OMISSION_ALONE.search(between) or re.search(rf"(?:{_OMISSION.pattern})\s*$", between) \
            or _OMISSION.search(heading):
        return Message("a passage is marked as left out after § %(last)s (extracts)", last=last)
    return None


#: The mark of a passage left out: "...", "…", "[...]", "(…)", standing apart from words.
_OMISSION = re.compile(r"(?<![\w.])(?:\[\s*(?:\.\.\.|…)\s*\]|\(\s*(?:\.\.\.|…)\s*\)|\.\.\.|…)(?![\w.])")
_OMISSION_ALONE = re.compile(rf"(?m)^[ \t]*(?:{_OMISSION.pattern})[ \t]*$")
#: A number opening a line as a paragraph's does ("46. The Court", "46 ."); a number alone on
#: a line is not taken (a PDF's page numbers are printed so).
_LINE_NUMBER = re.compile(r"(?m)^[ \t]*(\d{1,4})[ \t]?\.(?=\s)")


def _check_pinpoints(result: CheckedCitation, text: str, judgment: _Judgment) -> bool:
    """Check the citation's pinpoints against the judgment's numbered paragraphs; True when
    one could not be judged and the citation, however right otherwise, cannot be confirmed
    (a pinpoint past the end of a text that may be incomplete)."""
    pins = _pinpoints(text)
    if not pins:
        return False
    if not judgment.docs:
        result.notes.append(Message("paragraphs not checked: the judgment is not in the index"))
        return False
    numbers, last = _paragraphs(judgment.docs)
    if last is None:
        result.notes.append(Message("paragraphs not checked: the indexed document has no numbered "
                                    "paragraphs"))
        return False
    printed = ", ".join(f"§ {a}" if a == b else f"§§ {a}-{b}" for a, b in pins)
    beyond = [(a, b) for a, b in pins if b > last]
    extracts = all(re.search(r"\[(?:extracts|extraits)\]", (d.title or "") + " " + str(
        (d.record or empty_record()).get("title") or ""), re.IGNORECASE) for d in judgment.docs)
    if beyond and extracts:
        result.notes.append(Message("paragraphs not checked: the index holds extracts of the judgment "
                                    "only"))
        return False
    if beyond:
        shown = ", ".join(f"§ {a}" if a == b else f"§§ {a}-{b}" for a, b in beyond)
        reasons = [_incomplete(d, last) for d in judgment.docs]
        if None not in reasons:
            result.notes.append(Message(
                "%(shown)s: past § %(last)s, the last numbered paragraph of the indexed text, "
                "which may be incomplete (%(reason)s); not checked",
                shown=shown, last=last, reason=reasons[0]))
            return True
        result.differences.append(Difference(
            "paragraph", shown, str(last),
            Message("paragraph: draft says %(shown)s, the judgment's last numbered paragraph is "
                    "§ %(last)s", shown=shown, last=last)))
        return False
    gaps = [n for a, b in pins for n in (a, b)
            if n not in numbers and not _in_text(judgment.docs, n)]
    if gaps:
        result.notes.append(Message("%(printed)s: within the judgment's %(last)s paragraphs, but not "
                                    "found numbered in the indexed text; not checked",
                                    printed=printed, last=last))
        return False
    result.agrees.append("paragraph")
    return False


def _verdict(result: CheckedCitation, doubtful: bool) -> str:
    """A difference is certain; else a pinpoint that could not be judged leaves it unknown."""
    return "mismatch" if result.differences else "unknown" if doubtful else "confirmed"


def _matched(result: CheckedCitation, judgment: _Judgment, text: str, index: _Index) -> None:
    result.listed = judgment.entry.citation if judgment.entry is not None else None
    doc = index.shown(judgment.docs)
    if doc is not None:
        pins = _pinpoints(text)
        numbers, _ = _paragraphs([doc])
        pin = str(pins[0][0]) if pins and pins[0][0] in numbers else None
        result.doc_id = doc.id
        result.paragraph = pin
        result.doc_citation = citation_for(_citable(doc), pin)


def _check_echr(text: str, cit: Citation, start: int, end: int, index: _Index,
                cases: CaseList) -> tuple[CheckedCitation, _Judgment | None]:
    span = text[start:end]
    numbers = [i.key for i in find_identifiers(span) if i.kind == "application"]
    printed = Printed.of(span, cit.case_name, numbers)
    result = CheckedCitation("echr", span, start, end)
    judgments = _judgments(printed, index, cases)
    fits = [_fit(printed, cit.case_name, j) for j in judgments if _marks_fit(printed, j)]
    certain = [f for f in fits if f.agreeing >= 2]
    clean = [f for f in certain if f.clean]
    if len(clean) > 1:
        # One application, several judgments: the one agreeing with most of what the draft
        # prints (its date), else the one indexed.
        most = max(f.agreeing for f in clean)
        clean = [f for f in clean if f.agreeing == most]
        indexed = [f for f in clean if f.judgment.docs]
        clean = indexed if len(indexed) == 1 else clean
    if len(clean) == 1 or (not clean and len(certain) == 1):
        fit = (clean or certain)[0]
        result.agrees = [k for k in ("number", "name", "date", "reporter") if getattr(fit, k) is True]
        result.differences = _differences(fit, span, cit.case_name, printed)
        if not fit.clean and not result.differences:
            result.notes.append(Message("the draft's date is not of the year the Court's list gives: "
                                        "%(judgment)s", judgment=fit.judgment.label()))
            return result, None
        if printed.dates and fit.date is None:
            result.notes.append(Message("date not checked: the list dates this judgment by its "
                                        "reporter only"))
        doubtful = _check_pinpoints(result, span, fit.judgment)
        _matched(result, fit.judgment, span, index)
        result.verdict = _verdict(result, doubtful)
        return result, fit.judgment
    if len(clean) > 1:
        result.notes.append(Message("several judgments fit what the draft states: %(list)s",
                                    list="; ".join(f.judgment.label() for f in clean[:3])))
        return result, None
    if certain:
        result.notes.append(Message("not sure which judgment is meant: %(list)s",
                                    list="; ".join(f.judgment.label() for f in certain[:3])))
        return result, None
    near = [f for f in fits if f.agreeing == 1]
    if not fits and judgments:
        result.notes.append(Message("the draft's marks ((no. 2), (dec.), [GC], (just satisfaction)...) "
                                    "fit none of the judgments of this case: %(list)s",
                                    list="; ".join(j.label() for j in judgments[:3])))
    elif not fits or not near:
        result.notes.append(Message("not in the index nor in the Court's list of case-law references"))
    else:
        result.notes.append(Message("too little agrees to tell which judgment is meant; close: %(list)s",
                                    list="; ".join(f.judgment.label() for f in near[:3])))
    return result, None


def _short_of(cit: Citation, earlier: list[tuple[Citation, CheckedCitation, _Judgment | None, int]]
              ) -> list[tuple[CheckedCitation, _Judgment | None, int]]:
    """The full citations before ``cit`` of the case it names "cited above", last first."""
    if not cit.case_name:
        return []
    key = name_key(cit.case_name)
    applicant = key[0] if key else applicant_key(_VERSUS.split(cit.case_name)[0])
    found = []
    for full, checked, judgment, n in reversed(earlier):
        full_key = name_key(full.case_name or "")
        if full_key is None:
            continue
        # "McCann and Others, cited above" after "McCann v. the United Kingdom" in full names
        # more applicants than that case has: another case (the Grand Chamber's of 1995, not
        # the judgment of 2008), never its short form. Dropping "and Others" is a short form.
        others = applicant.endswith("and others") and not full_key[0].endswith("and others")
        if (key and key == full_key) or (key is None and full_key[0] == applicant) \
                or (key is None and not others
                    and _same_applicant(applicant, full_key[0]) is True
                    and applicant.split()[0] == full_key[0].split()[0]):
            found.append((checked, judgment, n))
    return found


def _check_cited_above(text: str, cit: Citation, start: int, end: int,
                       earlier: list[tuple[Citation, CheckedCitation, _Judgment | None, int]],
                       index: _Index) -> CheckedCitation:
    span = text[start:end]
    result = CheckedCitation("echr", span, start, end)
    found = _short_of(cit, earlier)
    if not found:
        result.notes.append(Message("cited above, but the draft cites no %(name)s in full before",
                                    name=cit.case_name))
        return result
    full, judgment, n = found[0]
    result.refers_to = n
    if len({j.label() for _, j, _ in found if j is not None}) > 1:
        # "Winterstein, cited above" after the merits and the just-satisfaction judgments.
        result.notes.append(Message("cited above, but the draft cites %(n)s judgments of %(name)s in "
                                    "full before: which one is meant is not certain",
                                    n=len(found), name=cit.case_name))
        return result
    if judgment is None:
        result.notes.append(Message("cited above: %(full)s, whose judgment is not known for certain",
                                    full=full.text))
        return result
    doubtful = _check_pinpoints(result, span, judgment)
    _matched(result, judgment, span, index)
    result.verdict = _verdict(result, doubtful)
    return result


# -- Russian rulings --------------------------------------------------------------------------------

_COURT = re.compile(
    r"(?:[А-ЯЁ][\w-]*\s+){0,3}?(?:(?:[\w-]+(?:ого|ой|ый|ий|ая|ом|ым|ему|ую)\s+){1,3})?(?:[Сс]уд(?:а|у|ом|е)?)\b"
    r"(?:\s+(?:г\.|города|район\w*|[А-ЯЁ][\w-]*|Российской|Федерации|РФ|\w+ской|\w+ского|"
    r"\w+ской|\w+ого|области|края|республики|Республики|автономного|округа)){0,5}")
_GENERIC = {"суд", "суда", "суду", "судом", "суде", "город", "город", "района", "район", "област",
            "края", "респу", "росси", "федер", "рф", "г"}
_ACTS = ("приговор", "решени", "определени", "постановлени")
_LEVELS = ("районн", "городск", "областн", "краев", "верховн", "мирово", "арбитраж", "гарнизон",
           "окружн", "межрайон", "конститу", "апелляц", "кассац", "военн")


def _stems(court: str) -> tuple[set[str], set[str]]:
    """(distinctive stems, level stems) of a court's name in any grammatical case."""
    words = [w.lower().replace("ё", "е") for w in re.findall(r"[А-Яа-яЁё]+", court)]
    # "Апелляционным определением Энского областного суда": the act is not the court.
    acts = [i for i, w in enumerate(words) if w.startswith(_ACTS)]
    words = words[acts[-1] + 1:] if acts else words
    levels = {lvl for w in words for lvl in _LEVELS if w.startswith(lvl)}
    names = {w[:5] for w in words if len(w) >= 3 and w[:5] not in _GENERIC
             and not any(w.startswith(lvl) for lvl in _LEVELS)}
    return names, levels


def _court_agrees(draft: str, court: str | None) -> bool | None:
    if not court:
        return None
    d_names, d_levels = _stems(draft)
    r_names, r_levels = _stems(court)
    if not d_names and not d_levels:
        return None
    if d_names <= r_names and d_levels <= r_levels:
        return True
    if (d_levels and r_levels and not d_levels & r_levels) or (d_names and r_names and d_names - r_names):
        return False
    return None


#: Abbreviations that end in a full stop inside a sentence ("г. Энска", "ч. 3 ст. 286").
_ABBREVIATIONS = {"г", "гг", "ст", "п", "пп", "ч", "чч", "им", "обл", "д", "ул", "см", "т", "е",
                  "no", "nos", "v", "c", "cf", "e.g", "i.e", "р", "руб", "коп"}


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around a case number (at most 300 characters before it, 120 after): a
    full stop after an abbreviation ("г. Энска") does not end it."""
    left = boundary = max(0, start - 300)
    for m in re.finditer(r"[;\n]|\.\s+(?=[«\"“]?[А-ЯЁA-Z])", text[left:start]):
        word = re.search(r"([\w.]+)$", text[left:left + m.start()])
        if m.group(0).startswith(".") and word and (word.group(1).lower() in _ABBREVIATIONS
                                                    or re.fullmatch(r"[А-ЯЁA-Z]", word.group(1))):
            continue
        boundary = left + m.end()
    right_m = re.compile(r"[;\n]|\.\s+[А-ЯЁA-Z]").search(text, end)
    right = min(right_m.start() if right_m else len(text), end + 120)
    return boundary, right


#: What stands between a ruling's date and its number: "от 15.09.2020 по делу № ".
_CASE_WORDS = re.compile(r"[\s,]*(?:по\s+(?:\w+\s+)?делу|\(?\s*дело|\(?\s*case|in\s+case)"
                         r"\s*(?:№|N|no\.?)?\s*", re.IGNORECASE)


def _check_ru_case(text: str, kind: str, key: str, start: int, end: int,
                   index: _Index) -> CheckedCitation:
    left, right = _clause(text, start, end)
    before, after = text[left:start], text[end:right]
    result = CheckedCitation("ru_case", text[start:end], start, end)
    court_at, draft_court = 0, None
    for named in reversed(list(_COURT.finditer(before))):
        acts = list(re.finditer(r"\w*(?:риговор|ешени|пределени|остановлени)\w*\s+", named.group(0)))
        at = named.start() + (acts[-1].end() if acts else 0)
        # Only a Russian court's name is compared: "Европейский суд" is not the ruling's court.
        if _stems(before[at:named.end()])[1]:
            court_at, draft_court = at, before[at:named.end()].strip()
        break
    # The ruling's date: printed after the court ("... суда г. Энска от 15 сентября 2020 г. по
    # делу № ..."), right before the number, or right after it ("№ 1-123/2020 от 15.09.2020").
    draft_date = None
    near = [d for d in DATES.find(before)
            if (draft_court and d.start >= court_at) or _CASE_WORDS.fullmatch(before[d.end:])]
    if near:
        draft_date = near[-1]
        result.start = min(result.start, left + draft_date.start)
    elif (tail := re.match(r"\s*,?\s*от\s+", after)) and (following := DATES.find(after[:60])) \
            and following[0].start == tail.end():
        draft_date = following[0]
        result.end = end + draft_date.end
    if draft_court:
        result.start = min(result.start, left + court_at)
    result.text = text[result.start:result.end]
    docs = [d for d in index.by_keys({key})
            if kind == "uid" or key in {normalise_identifier(n) for n in
                                        (d.record or empty_record()).get("case_numbers") or []}]
    unique = kind == "uid" or key.startswith(("a", "sip"))
    if not docs:
        result.notes.append(Message("not in the index"))
        return result
    rated = []
    for doc in docs:
        record = doc.record or empty_record()
        court = _court_agrees(draft_court, record.get("court")) if draft_court else None
        date = (record.get("date") == draft_date.iso) if draft_date and record.get("date") else None
        rated.append((doc, court, date))
    fitting = [r for r in rated if False not in r[1:]]
    if len(fitting) >= 1:
        doc, court, date = fitting[0]
        result.agrees = ["number"] + [k for k, v in (("court", court), ("date", date)) if v]
        if draft_court and court is None:
            result.notes.append(Message("court not checked: its name could not be compared"))
        if not draft_court and not draft_date and not unique:
            result.notes.append(Message("the draft names no court or date: a case number is unique "
                                        "within one court only"))
        result.verdict = "confirmed"
        _ru_matched(result, doc)
        return result
    # The number agrees; the ruling meant is certain when one more element agrees, or when the
    # number names its court itself.
    certain = [r for r in rated if r[1] is True or r[2] is True or unique]
    if len(certain) != 1:
        result.notes.append(Message(
            "the index holds this number for another court or date: %(list)s",
            list="; ".join(citation_for(_citable(d)) or d.id for d, _, _ in rated[:3])))
        return result
    doc, court, date = certain[0]
    record = doc.record or empty_record()
    result.agrees = ["number"] + [k for k, v in (("court", court), ("date", date)) if v]
    if court is False:
        result.differences.append(Difference(
            "court", draft_court or "", record.get("court") or "",
            Message("court: draft says %(draft)s, the ruling is of %(found)s",
                    draft=draft_court, found=record.get("court"))))
    if date is False and draft_date is not None:
        found = long_date(record.get("date"), "ru") or record.get("date") or ""
        result.differences.append(Difference(
            "date", draft_date.text, found,
            Message("date: draft says %(draft)s, the ruling is of %(found)s",
                    draft=draft_date.text, found=found)))
    result.verdict = "mismatch" if result.differences else "confirmed"
    _ru_matched(result, doc)
    return result


def _ru_matched(result: CheckedCitation, doc: Document) -> None:
    result.doc_id = doc.id
    result.doc_citation = citation_for(_citable(doc))


def _check_code(text: str, start: int, end: int, key: str) -> CheckedCitation:
    code = key.split(":", 1)[0]
    return CheckedCitation(
        "ru_code", text[start:end], start, end, agrees=["code"],
        notes=[Message("%(code)s: a code this tool knows; the article is not checked (the repo "
                       "holds no list of the code's articles)", code=CODE_NAMES.get(code, code))])


# -- the whole draft --------------------------------------------------------------------------------

def check_citations(text: str, catalogue: Catalogue | None = None,
                    cases: CaseList | None = None) -> CitationReport:
    """Every citation in ``text`` (a draft), checked against ``catalogue`` (open; None checks
    against the Court's list alone) and the Court's list of case-law references.

    >>> [c.verdict for c in check_citations("See Ivanov v. Russia, § 12.").citations]
    ['unknown']
    """
    cases = cases or caselaw_list()
    index = _Index(catalogue)
    index.on_dates({d.iso for d in DATES.find(text)})
    out: list[CheckedCitation] = []
    earlier: list[tuple[Citation, CheckedCitation, _Judgment | None, int]] = []
    taken: list[tuple[int, int]] = []
    for cit in find_citations(text):
        start, end = _widened(text, cit)
        span = text[start:end]
        short = bool(_CITED_ABOVE.search(span)) and not find_identifiers(span) \
            and not DATES.find(span)
        if short:
            checked = _check_cited_above(text, cit, start, end, earlier, index)
        else:
            checked, judgment = _check_echr(text, cit, start, end, index, cases)
            earlier.append((cit, checked, judgment, len(out)))
        out.append(checked)
        taken.append((start, end))
    for ident in find_identifiers(text):
        if ident.kind not in ("case_number", "uid") or any(s <= ident.start < e for s, e in taken):
            continue
        out.append(_check_ru_case(text, ident.kind, ident.key, ident.start, ident.end, index))
    seen: set[tuple[int, int]] = set()
    for entity in find_code_provisions(text):
        if (entity.start, entity.end) in seen or entity.key is None:
            continue
        seen.add((entity.start, entity.end))
        out.append(_check_code(text, entity.start, entity.end, entity.key))
    order = sorted(range(len(out)), key=lambda i: out[i].start)
    where = {old: new for new, old in enumerate(order)}
    ordered = [out[i] for i in order]
    for c in ordered:
        if c.refers_to is not None:
            c.refers_to = where[c.refers_to]
    return CitationReport(ordered)

