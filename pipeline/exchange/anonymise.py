"""Anonymise precedent records for sharing: personal data out, the law in.

The documents are about victims of police torture. Another NGO may take our precedents without
the people in them, so an anonymised export replaces person names with pseudonyms that are
consistent within one export (a per-export secret salt: two exports cannot be linked), removes
dates of birth, addresses, phone numbers, e-mails and passport or other ID numbers, and coarsens
the exact dates of private events to month and year. It keeps what a lawyer cites: judges,
courts, case numbers, ECLI, articles, holdings, awards and case citations.

It works in two passes over the whole export, because a name is personal wherever it appears:

>>> plan = Anonymiser(salt=b"0" * 32)
>>> record = {"text": "Mr Pavel Zarechnev was born in 1987 and lives in Ensk. "
...           "Zarechnev complained.", "language": "en", "applicants": ["Zarechnev"],
...           "entities": [], "citations": [], "sections": [], "paragraphs": []}
>>> plan.collect(record)
>>> out, counts = plan.apply(record)
>>> out["text"]
'Mr Person-AFS4 was [born: removed] and lives in [address: removed]. Person-AFS4 complained.'
>>> counts["person"], counts["date_of_birth"], counts["address"]
(2, 1, 1)

Names come from the structure (applicants, representatives, the accused), from NER (PERSON,
outside case citations), and from patterns (``Фамилия И.О.``, ``И.О. Фамилия``, ``Mr X``). A
surname is replaced in every form: Russian surnames by their stem, so "Иванов" also takes
"Иванова", "Иванову", "Ивановым". Judges, registrars and the president are kept, as are names
inside case citations of *other* people ("Bouyid v. Belgium") — unless that name is also replaced
elsewhere in the export, because then keeping it would leak the person it names.

It fails closed: a record that NER could not tag (no ``entities`` list) is refused with
``AnonymisationError``; the exporter leaves it out and counts it. ``residual_names`` scans the
finished bundle's bytes for every replaced name: the export must fail if any is found.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pipeline.errors import AnonymisationError
from pipeline.models import PublicRecord
from pipeline.reference.calendar import MONTHS, month_alternation

__all__ = ["Anonymiser", "PII_KINDS", "residual_names"]



#: What the report counts, per document.
PII_KINDS = ("person", "date_of_birth", "address", "phone", "email", "id_number",
             "date_coarsened")

# -- names -----------------------------------------------------------------------------------

_CYR_UPPER = "А-ЯЁ"
_CYR = "А-Яа-яЁё"
_LAT_UPPER = "A-ZÀ-ÖØ-Þ"
_UPPER = _CYR_UPPER + _LAT_UPPER
_WORD = rf"[{_UPPER}][\w'’-]+"
_INITIAL = rf"[{_UPPER}]\.\s?"
#: "Иванов И.И.", "Иванова И. И."
_RU_SURNAME_INITIALS = re.compile(rf"\b([{_CYR_UPPER}][{_CYR}-]{{2,}})\s+((?:[{_CYR_UPPER}]\.\s?){{1,2}})(?![{_CYR}])")
#: "И.И. Иванов"
_RU_INITIALS_SURNAME = re.compile(rf"(?<![{_CYR}])((?:[{_CYR_UPPER}]\.\s?){{1,2}})\s*([{_CYR_UPPER}][{_CYR}-]{{2,}})\b")
#: "Mr Ivanov", "Ms N. Pribylova", "M. Dupont", "Mme Travnikova": a title and one or two names.
_TITLED = re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Dr|Mme|Mlle|Messrs|M\.)\s+((?:{_INITIAL})*{_WORD}(?:\s+{_WORD}){{0,2}})")
#: Context before a name that makes it a judge, prosecutor's office or registrar: kept.
_KEEP_BEFORE = re.compile(
    r"(?:судь[яиейю]|председательствующ\w*|секретар\w*\s+судебного\s+заседания\s+|Registrar|"
    r"President|Judge|juge|greffi\w+|président\w*)[\s,:–-]*$", re.I)
#: Words that look like names to NER or to the patterns but are not people.
_NOT_NAMES = {
    "court", "section", "registrar", "president", "judge", "judges", "government", "state",
    "russia", "russian", "federation", "convention", "protocol", "protocols", "article", "admin",
    "commission", "committee", "chamber", "grand", "european", "human", "rights", "applicant",
    "applicants", "others", "and", "v", "the", "of", "affaire", "cour", "requérant", "suisse",
    "суд", "судья", "россии", "российской", "федерации", "истец", "ответчик", "потерпевший",
    "обвиняемый", "подсудимый", "энск", "энска", "министерство", "финансов", "прокурор",
    "acting", "deputy", "greffier", "greffière", "greffe", "дело", "lord", "lady", "sir",
    "justice", "mr", "mrs", "ms", "dr", "mme", "mlle", "secretary", "minister", "police",
    "председательствующий", "председательствующего", "судьи", "судей", "секретарь", "секретаря",
    "представитель", "представителя", "адвокат", "адвоката", "истца", "ответчика", "заявитель",
    "заявителя", "потерпевшего", "гражданин", "гражданина", "установил", "постановил", "решил",
    "facts", "law", "end",
    "number", "date", "procedure", "procédure", "eur", "rub", "usd", "amount", "title", "status",
    "non", "faits", "droit", "annex", "appendix", "table", "dissenting", "concurring", "opinion",
    # words of legal texts NER or the patterns took for names on the bulk judgments
    "une", "neither", "san", "jr", "code", "part", "point", "article", "months", "type", "final",
    "record", "version", "president", "title", "court", "judges", "section",
}
#: Russian participles and adjectives ("Опрошенный", "Допрошенная", "Указанного"), never surnames.
_PARTICIPLE = re.compile(r"(?:нн|вш|ющ|ящ|ущ|ащ|ем|им|анн|енн)(?:ый|ий|ая|ое|ого|ому|ой|ым|ую)$", re.I)
_PATRONYMIC = re.compile(r"(?:vich|vna|ovich|evich|ovna|evna|ich|ична|вич|вна|ьич|тич)$", re.I)
_AND_OTHERS = re.compile(r"\s+(?:and\s+others|et\s+autres|и\s+другие)\s*$", re.I)
#: Case endings stripped to compare two printed forms of one Russian surname (longest first).
_RU_CASE_ENDINGS = tuple(sorted({
    "ского", "скому", "ским", "ском", "ская", "ской", "скую", "ский", "цкого", "цкая", "цкой",
    "цкий", "овой", "овым", "ову", "ова", "ове", "ого", "ому", "евой", "евым", "еву", "ева", "еве",
    "иной", "иным", "ину", "ина", "ине", "ым", "им", "ой", "ая", "ую", "ий", "ый", "ов", "ев", "ин",
    "ын", "а", "у", "е", "ю", "я", "ы", "и", "ом", "ем"}, key=len, reverse=True))
#: A name followed by one of these is a judge's or registrar's: kept.
_KEEP_AFTER = re.compile(
    r"^[\s,]*(?:(?:Section|Deputy|Acting)\s+)*(?:Registrar|President|judges?|Greffi\w+|Président\w*|"
    r"juges?|Vice-President)\b", re.I)


def _fold(text: str) -> str:
    """Lowercase, no accents, ё as е: the key two spellings of one name share."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("ё", "е"))
    return "".join(c for c in text if not unicodedata.combining(c))


# Month names are capitalised like names ("May", "Mars") but are never one.
_NOT_NAMES = {_fold(w) for w in (*_NOT_NAMES, *MONTHS["en"], *MONTHS["fr"])}


def _stem_key(surname: str) -> str:
    """What two printed forms of one surname share: "Ильменской" and "Ильменская" alike.

    >>> _stem_key("Ильменской") == _stem_key("Ильменская"), _stem_key("Клёновым") == _stem_key("Клёнов")
    (True, True)
    """
    folded = _fold(surname)
    if _is_cyrillic(surname):
        for ending in _RU_CASE_ENDINGS:
            if folded.endswith(_fold(ending)) and len(folded) - len(ending) >= 3:
                return folded[: len(folded) - len(ending)]
    return folded.removesuffix("'s").removesuffix("’s")


def _is_cyrillic(word: str) -> bool:
    return bool(re.match(rf"[{_CYR}]", word))


@dataclass
class _Name:
    """A person to replace: the pseudonym key, and the phrases and surname that print them."""

    key: str
    surname: str | None
    phrases: set[str] = field(default_factory=set)


def _split_people(value: str) -> list[str]:
    value = _AND_OTHERS.sub("", value.strip())
    return [p.strip() for p in re.split(r"\s*(?:,|\band\b|\bet\b|\bи\b)\s*", value) if p.strip()]


def _surname_of(name: str) -> str | None:
    """The surname of a printed name, or None when it has none we can tell.

    >>> [_surname_of(n) for n in ("Pavel Igorevich Zarechnev", "Иванов И.И.", "И.И. Иванов",
    ...                           "Ivan Mikhaïlovitch POLYNTSEV", "N. Pribylova", "Denis Valeryevich")]
    ['Zarechnev', 'Иванов', 'Иванов', 'POLYNTSEV', 'Pribylova', None]
    """
    words = [w for w in re.findall(r"[\w'’-]+", name) if len(w) > 1]
    if not words:
        return None
    caps = [w for w in words if w.isupper() and len(w) > 2]
    if caps:
        return caps[-1]
    found = _RU_SURNAME_INITIALS.fullmatch(name.strip())
    if found:
        return found.group(1)
    candidates = [w for w in words if not _PATRONYMIC.search(w)]
    if len(words) >= 2 and _PATRONYMIC.search(words[-1]):
        return None  # first name and patronymic: no surname printed
    return candidates[-1] if candidates else None


def _plausible(name: str) -> bool:
    words = re.findall(r"[\w'’-]+", name)
    # Initials are never stop words: "V. Zadunaiskaya" is a name although "v" is in "X v. Y".
    if not words or any(len(w) > 1 and _fold(w) in _NOT_NAMES for w in words):
        return False
    if len(words) == 1 and _PATRONYMIC.search(words[0]):
        return False  # a patronymic alone ("Ильича") is a form of address, not a name
    if any(_PARTICIPLE.search(w) for w in words):
        return False  # "Опрошенный С.И.": a participle starting a sentence, then the initials
    return all(w[0].isupper() for w in words if len(w) > 1) and any(len(w) > 2 for w in words)


# -- other personal data ---------------------------------------------------------------------

_MONTHS = month_alternation("en", "fr", "ru")
_DATE = rf"(?:\d{{1,2}}(?:er)?\s+{_MONTHS}\s+\d{{4}}|\d{{1,2}}\.\d{{1,2}}\.\d{{2,4}}|{_MONTHS}\s+\d{{4}}|\d{{4}})"

#: (kind, pattern, replacement). Order matters: a date of birth before a bare date.
_PII: list[tuple[str, re.Pattern[str], str]] = [
    ("email", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"), "[e-mail: removed]"),
    ("phone", re.compile(r"(?<![\w/.-])(?:\+7|8|\+33|\+44|0)[\s(.-]*\d{3}[\s).-]*\d{3}[\s.-]*\d{2}[\s.-]*\d{2}(?![\w/])"),
     "[phone: removed]"),
    ("id_number", re.compile(
        r"(?:паспорт\w*(?:\s+гражданина\s+РФ)?(?:\s+серии)?\s*\d{2}\s?\d{2}\s*(?:№|N|номер)?\s*\d{6}"
        r"|(?:СНИЛС|ИНН)\s*:?\s*[\d -]{9,14}\d"
        r"|passport\s+(?:no\.?|number)\s*[A-Z]{0,2}\s?\d[\d ]{5,10}\d)", re.I), "[ID number: removed]"),
    ("date_of_birth", re.compile(
        rf"(?:born\s+(?:on|in)\s+{_DATE}|née?\s+(?:le|en)\s+{_DATE}"
        rf"|(?:родил(?:ся|ась)|дата\s+рождения:?)\s+{_DATE}(?:\s+года)?"
        rf"|{_DATE}(?:\s+г(?:ода|\.)?)?\s+рождения)", re.I), "[born: removed]"),
    ("address", re.compile(
        r"(?:(?<=lives in )|(?<=living in )|(?<=résidant à )|(?<=réside à )|(?<=demeurant à )"
        r"|(?<=проживающ\w{2} по адресу: )|(?<=зарегистрированн\w{2} по адресу: )"
        r"|(?<=проживает по адресу: )|(?<=по адресу: ))"
        r"(?!<адрес>)[^.;\n]{2,120}?(?=[.;\n]|,\s+(?:ранее|гражданин|имеющ|and\b|et\b))", re.I),
     "[address: removed]"),
    ("address", re.compile(
        r"\b(?:ул\.|улица|пр-т|проспект|пер\.|переулок)\s+[^,\n]{2,40},\s*(?:д\.|дом)\s*\d+\w?"
        r"(?:,\s*(?:корп\.|к\.)\s*\d+)?(?:,\s*(?:кв\.|квартира)\s*\d+)?", re.I), "[address: removed]"),
]

_DAY_FIRST = re.compile(rf"^(\d{{1,2}})(?:er)?\s+({_MONTHS}\s+\d{{4}})$", re.I)
_NUMERIC = re.compile(r"^\d{1,2}\.(\d{1,2}\.\d{2,4})$")
#: A date right after one of these is procedural (a judgment, a complaint lodged): kept exact.
_PROCEDURAL = re.compile(
    r"(?:judgment|decision|ruling|lodged|introduced|communicated|delivered|adopted|deliberated|"
    r"приговор\w*|решени\w*|постановлени\w*|определени\w*|жалоб\w*|заявлени\w*|arrêt|décision|"
    r"introduite|requête)[^.]{0,40}$", re.I)
_PRIVATE_SECTIONS = ("facts", "circumstances", "мотивировочная", "описательно-мотивировочная")


def _coarsen(date_text: str) -> str | None:
    """"3 February 2014" -> "February 2014"; "03.02.2014" -> "02.2014"; None if already coarse."""
    found = _DAY_FIRST.match(date_text.strip())
    if found:
        return found.group(2)
    found = _NUMERIC.match(date_text.strip())
    if found:
        return found.group(1)
    return None


# -- the two passes --------------------------------------------------------------------------

#: Record keys whose strings are legal data, never rewritten.
_LEGAL_KEYS = {"case_numbers", "ecli", "uid", "identifiers", "own_identifiers", "charges", "kind",
               "instance", "language", "date", "final_date", "outcome", "article", "label",
               "currency", "amount", "head", "vote", "name", "number", "section", "sha256", "id",
               "format", "record_version"}
#: Span lists whose offsets follow the text.
_SPAN_KEYS = ("entities", "citations", "sections", "paragraphs")


_LETTER_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_INITIALS_BEFORE = re.compile(rf"(?:[{_CYR_UPPER}]\.\s?){{1,2}}\s*$")
_INITIALS_AFTER = re.compile(rf"\s+(?:[{_CYR_UPPER}]\.\s?){{1,2}}(?![{_CYR}])")


class _Matcher:
    """Finds the names to replace in one pass over the words of a text.

    One regex alternating over thousands of names tried every name at every character: an
    export of the 575 bulk judgments did not finish in minutes. Here each word is looked up once
    (its folded form and its surname stem, cached): phrases by their first word, lone surnames
    by stem, so any case form of a Russian surname is found ("Ивановым" -> "иванов"), and a
    Russian surname takes the initials beside it.
    """

    def __init__(self, targets: Iterable[tuple[str, str, bool]]):
        self.lone: dict[str, str] = {}
        self.phrases: dict[str, list[tuple[int, re.Pattern[str], str]]] = {}
        self._words: dict[str, tuple[str, str]] = {}
        for printed, key, lone in targets:
            first = _LETTER_WORD.search(printed)
            if first is None:
                continue
            if lone:
                self.lone.setdefault(_stem_key(printed), key)
                continue
            body = r"\s+".join(map(re.escape, printed.split()))
            rx = re.compile(body + r"(?![\w])", re.I)
            self.phrases.setdefault(_fold(first.group(0)), []).append((len(printed), rx, key))
        for options in self.phrases.values():
            options.sort(key=lambda o: -o[0])  # "Вересков К.П." before "Вересков"

    def _word(self, word: str) -> tuple[str, str]:
        found = self._words.get(word)
        if found is None:
            if len(self._words) > 500_000:
                self._words.clear()
            found = self._words[word] = (_fold(word), _stem_key(word))
        return found

    def find(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, pseudonym key) of every name in ``text``, in order, not overlapping."""
        done = 0
        for m in _LETTER_WORD.finditer(text):
            if m.start() < done:
                continue
            folded, stem = self._word(m.group(0))
            hit = None
            for _, rx, key in self.phrases.get(folded, ()):
                whole = rx.match(text, m.start())
                if whole:
                    hit = (m.start(), whole.end(), key)
                    break
            if hit is None:
                lone = self.lone.get(stem)
                if lone is None:
                    continue
                start, end = m.start(), m.end()
                if _is_cyrillic(m.group(0)):
                    before = _INITIALS_BEFORE.search(text[max(0, start - 8):start])
                    if before:
                        start -= len(before.group(0))
                    after = _INITIALS_AFTER.match(text, end)
                    if after:
                        end = after.end()
                hit = (max(start, done), end, lone)
            done = hit[1]
            yield hit


class Anonymiser:
    """One export's pseudonyms: ``collect`` every record first, then ``apply`` to each."""

    def __init__(self, salt: bytes):
        if len(salt) < 16:
            raise ValueError("the salt must be at least 16 random bytes")
        self.salt = salt
        self.names: dict[str, _Name] = {}
        #: Documents ``collect`` refused (not tagged): the exporter leaves them out and counts them.
        self.left_out_ids: set[str] = set()
        #: Per surname stem: times printed in lower case, and capitalised, across the export.
        self.lower: dict[str, int] = {}
        self.capital: dict[str, int] = {}
        self.keep: set[str] = set()  # folded surnames of judges, registrars and presidents

    # pass 1 --------------------------------------------------------------------------------

    def collect(self, record: PublicRecord) -> None:
        """Learn the people of one record (structure, NER, patterns) and the names to keep."""
        if not isinstance(record.get("entities"), list):
            raise AnonymisationError(f"{record.get('id', 'a document')}: not tagged, so it cannot "
                                     "be anonymised safely; left out")
        text = record.get("text") or ""
        for judge in [*(record.get("judges") or []), record.get("president"),
                      *(record.get("respondent_states") or [])]:
            if isinstance(judge, str):
                # Every word of a judge's name: "Mirjana Lazarova Trajkovska" is printed whole
                # in the composition, and the judges list is kept as it is. States too: NER
                # takes "THE NETHERLANDS" in a title for a person.
                for word in _LETTER_WORD.findall(judge):
                    if len(word) > 2:
                        self.keep.add(_stem_key(word))
        for pattern in (_RU_SURNAME_INITIALS, _RU_INITIALS_SURNAME, _TITLED):
            for found in pattern.finditer(text):
                if self._kept_context(text, found.start(), found.end()):
                    surname = _surname_of(found.group(0))
                    if surname:
                        self.keep.add(_stem_key(surname))
        people: list[str] = []
        for value in [*(record.get("applicants") or []), *(record.get("representatives") or []),
                      *(record.get("accused") or [])]:
            people += _split_people(str(value))
        spans = [(c.get("start"), c.get("end")) for c in record.get("citations") or []]
        for ent in record["entities"]:
            if ent.get("label") == "JUDGE":
                surname = _surname_of(ent.get("text", ""))
                if surname:
                    self.keep.add(_stem_key(surname))
            if ent.get("label") != "PERSON":
                continue
            start, end = ent.get("start", 0), ent.get("end", 0)
            if any(s is not None and s <= start and end <= e for s, e in spans):
                continue  # a party named in a case citation: the law, kept
            if self._kept_context(text, start, end):
                surname = _surname_of(ent.get("text", ""))
                if surname:
                    self.keep.add(_stem_key(surname))
                continue
            people.append(ent.get("text", ""))
        for pattern, group in ((_RU_SURNAME_INITIALS, 0), (_RU_INITIALS_SURNAME, 0), (_TITLED, 1)):
            for found in pattern.finditer(text):
                if not self._kept_context(text, found.start(), found.end()):
                    people.append(found.group(group))
        words = Counter(_LETTER_WORD.findall(text))
        for person in people:
            self._add(person)
            surname = _surname_of(" ".join(person.split()))
            if surname:
                # How often this text prints the word in lower case, as a common word ("End",
                # "Law", "May") and not a name: decided over the whole export in _targets.
                stem = _stem_key(surname)
                self.lower[stem] = self.lower.get(stem, 0) + words[surname.lower()]
                self.capital[stem] = self.capital.get(stem, 0) + words[surname.capitalize()] \
                    + words[surname.upper()] + (words[surname] if not surname.isupper() else 0)

    @staticmethod
    def _kept_context(text: str, start: int, end: int) -> bool:
        """A judge, president or registrar by what surrounds the name."""
        return bool(_KEEP_BEFORE.search(text[max(0, start - 60):start])
                    or _KEEP_AFTER.search(text[end:end + 40]))

    def _add(self, printed: str) -> None:
        printed = " ".join(printed.split()).strip(" ,.;")
        if len(printed) < 4 or not _plausible(printed):
            return
        surname = _surname_of(printed)
        if surname and (len(_stem_key(surname)) < 3 or _fold(surname) in _NOT_NAMES):
            surname = None  # "J’s", "Ли": too short to replace everywhere safely
        key = _stem_key(surname) if surname else _fold(printed)
        name = self.names.setdefault(key, _Name(key, surname))
        if name.surname is None and surname:
            name.surname = surname
        name.phrases.add(printed)

    # pass 2 --------------------------------------------------------------------------------

    def pseudonym(self, key: str, language: str | None) -> str:
        """"Person-QXKM": four letters from an HMAC of the name under this export's salt."""
        digest = hmac.new(self.salt, key.encode("utf-8"), hashlib.sha256).digest()
        code = base64.b32encode(digest).decode()[:4]
        word = {"ru": "Лицо", "fr": "Personne"}.get(language or "", "Person")
        return f"{word}-{code}"

    def _is_kept(self, phrase: str) -> bool:
        """A phrase naming a judge, registrar or president (by any of its words)."""
        return any(_stem_key(w) in self.keep for w in re.findall(r"[\w'’-]{3,}", phrase))

    def _targets(self) -> list[tuple[str, str, bool]]:
        """(printed form, pseudonym key, is a lone surname) for every name to replace; names
        of the people kept are dropped here, once all records are collected."""
        out = []
        for name in self.names.values():
            if name.key in self.keep:
                continue
            for phrase in name.phrases:
                if not self._is_kept(phrase) and not self._common(phrase):
                    out.append((phrase, name.key, False))
            if name.surname and not self._common(name.surname):
                out.append((name.surname, name.key, True))
        return out

    def _common(self, name: str) -> bool:
        """A one-word "name" the export prints more often in lower case than capitalised is a
        common word NER or a pattern took for a name ("End", "Law", "May"): replacing it
        everywhere would wreck the text and hide no one."""
        if len(name.split()) > 1:
            return False
        stem = _stem_key(name)
        return self.lower.get(stem, 0) > 0 and self.lower[stem] >= self.capital.get(stem, 0)

    def _matcher(self) -> _Matcher:
        if getattr(self, "_built", None) is None:
            self._built = _Matcher(self._targets())
        return self._built

    def _replace_names(self, text: str, language: str | None) -> str:
        out, last = [], 0
        for start, end, key in self._matcher().find(text):
            out += [text[last:start], self.pseudonym(key, language)]
            last = end
        out.append(text[last:])
        return "".join(out)

    def apply(self, record: PublicRecord) -> tuple[dict[str, Any], Counter]:
        """The anonymised copy of ``record`` and the counts of what was replaced, by kind."""
        if not isinstance(record.get("entities"), list):
            raise AnonymisationError(f"{record.get('id', 'a document')}: not tagged; left out")
        language = record.get("language")
        text = record.get("text") or ""
        edits: list[tuple[int, int, str, str]] = []  # start, end, replacement, kind
        for start, end, key in self._matcher().find(text):
            edits.append((start, end, self.pseudonym(key, language), "person"))
        for kind, pattern, replacement in _PII:
            for found in pattern.finditer(text):
                edits.append((found.start(), found.end(), replacement, kind))
        edits += self._coarse_dates(record, text)
        edits = _no_overlaps(edits)
        new_text, shift = _rewrite(text, edits)
        out: dict[str, Any] = copy.deepcopy(dict(record))
        out["text"] = new_text
        for key in _SPAN_KEYS:
            for span in out.get(key) or []:
                if isinstance(span.get("start"), int) and isinstance(span.get("end"), int):
                    span["start"], span["end"] = shift(span["start"]), shift(span["end"], end=True)
                    if "text" in span:
                        span["text"] = new_text[span["start"]:span["end"]]
        source = out.get("source")
        if isinstance(source, dict):
            for offsets in source.get("page_offsets") or []:
                for k in ("start", "end"):
                    if isinstance(offsets.get(k), int):
                        offsets[k] = shift(offsets[k], end=(k == "end"))
        self._rewrite_strings(out, language)
        self._strip_envelope(out)
        return out, Counter(kind for *_, kind in edits)

    def _strip_envelope(self, out: dict[str, Any]) -> None:
        """File names, paths and file metadata (authors, comments) out; the id made anonymous.

        A document id is often the file's name ("...-zarechnev-v-russia-41234-15"), and the hash
        of the original file would let whoever holds that file confirm who the document is
        about: the id becomes an HMAC of the old one under this export's salt, and the file
        hash is dropped (an import deduplicates by the text's own hash).
        """
        if isinstance(out.get("id"), str):
            out["id"] = self.document_id(out["id"])
        if "sha256" in out:
            out["sha256"] = None
        source = out.get("source")
        if isinstance(source, dict):
            out["source"] = {"format": source.get("format"), "pages": source.get("pages"),
                             "page_offsets": source.get("page_offsets") or [], "path": None,
                             "record_key": None, "meta": {}, "status": source.get("status"),
                             "pipeline_version": source.get("pipeline_version"), "timings": {}}

    def source_name(self, name: str) -> str:
        """A source's name in this export: "source-" and an HMAC, the extension kept
        (a file name such as "Ivanov_prigovor.pdf" is personal data too)."""
        digest = hmac.new(self.salt, b"src:" + name.encode("utf-8", "surrogateescape"),
                          hashlib.sha256).hexdigest()
        ext = name.rsplit(".", 1)[1].lower() if "." in name.strip(".") else ""
        ext = ext if ext.isalnum() and len(ext) <= 5 else ""
        return f"source-{digest[:12]}" + (f".{ext}" if ext else "")

    def document_id(self, doc_id: str) -> str:
        """The id a document has in this export: "anon-" and 12 hex digits of an HMAC."""
        digest = hmac.new(self.salt, b"id:" + doc_id.encode("utf-8"), hashlib.sha256).hexdigest()
        return f"anon-{digest[:12]}"

    def _coarse_dates(self, record: PublicRecord, text: str) -> list[tuple[int, int, str, str]]:
        sections = [(s["start"], s["end"]) for s in record.get("sections") or []
                    if s.get("name") in _PRIVATE_SECTIONS]
        edits = []
        for ent in record.get("entities") or []:
            if ent.get("label") != "DATE":
                continue
            start, end = ent["start"], ent["end"]
            if not any(s <= start and end <= e for s, e in sections):
                continue
            if _PROCEDURAL.search(text[max(0, start - 80):start]):
                continue
            coarse = _coarsen(text[start:end])
            if coarse:
                # "on 3 February 2014" reads "in February 2014"; "le 3 février" "en février".
                before = text[max(0, start - 3):start]
                if before in ("on ", "le ", "On ", "Le "):
                    start -= 3
                    coarse = {"on ": "in ", "On ": "In ", "le ": "en ", "Le ": "En "}[before] + coarse
                edits.append((start, end, coarse, "date_coarsened"))
        return edits

    def _rewrite_strings(self, node: Any, language: str | None, key: str | None = None) -> Any:
        """Names out of every other string of the record (titles, holdings, penalties...)."""
        if isinstance(node, dict):
            for k, v in list(node.items()):
                if k in _LEGAL_KEYS or k == "text" and key is None:
                    continue
                node[k] = self._rewrite_strings(v, language, k)
            return node
        if isinstance(node, list):
            return [self._rewrite_strings(v, language, key) for v in node]
        if isinstance(node, str):
            node = self._replace_names(node, language)
            for kind, pattern, replacement in _PII:
                node = pattern.sub(replacement, node)
        return node

    # the safety net --------------------------------------------------------------------------

    def replaced(self) -> list[str]:
        """Every surname and phrase this export replaces (for the residual scan; never logged)."""
        return sorted({printed for printed, _, _ in self._targets()})


def _no_overlaps(edits: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """Earliest first; two overlapping edits become one over both spans, with the longer one's
    replacement: a name reaching past an address must not leave its tail behind."""
    edits.sort(key=lambda e: (e[0], -(e[1] - e[0])))
    out: list[tuple[int, int, str, str]] = []
    for edit in edits:
        if out and edit[0] < out[-1][1]:
            last = out[-1]
            longer = edit if edit[1] - edit[0] > last[1] - last[0] else last
            out[-1] = (last[0], max(last[1], edit[1]), longer[2], longer[3])
            continue
        out.append(edit)
    return out


def _rewrite(text: str, edits: list[tuple[int, int, str, str]]):
    """Apply edits; return the new text and a function mapping old offsets to new ones."""
    parts, last = [], 0
    marks: list[tuple[int, int, int]] = []  # old start, old end, delta after it
    delta = 0
    for start, end, replacement, _ in edits:
        parts += [text[last:start], replacement]
        last = end
        marks.append((start, end, delta))
        delta += len(replacement) - (end - start)
        marks[-1] = (start, end, delta)
    parts.append(text[last:])

    def shift(offset: int, end: bool = False) -> int:
        moved = 0
        for start, stop, after in marks:
            if offset >= stop or (offset > start and end):
                moved = after
            elif offset <= start:
                break
            else:  # inside a replaced span: snap to its start
                return start + (moved)
        return offset + moved

    return "".join(parts), shift


def _strings(blob: bytes) -> Iterator[str]:
    """The text a bundle member shows a reader: the string values of a JSON or JSON-lines
    member (its keys are our fixed schema, and its escapes are not letters), else the bytes."""
    text = unicodedata.normalize("NFC", blob.decode("utf-8", "replace"))
    try:
        values = [json.loads(line) for line in text.splitlines() if line.strip()]
    except ValueError:
        yield text
        return
    stack: list[Any] = values
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def residual_names(blobs: Iterable[bytes], names: Iterable[str]) -> dict[str, int]:
    """How often each replaced name still occurs in the finished bundle's members.

    Case- and accent-insensitive, whole words; Russian surnames in any case form. The exporter
    fails when the result is not empty; it reports only the count, never the names.
    """
    names = list(names)
    matcher = _Matcher((name, name, len(name.split()) == 1) for name in names)
    found: dict[str, int] = {}
    for blob in blobs:
        for text in _strings(blob):
            for _, _, name in matcher.find(text):
                found[name] = found.get(name, 0) + 1
    return found
