"""The query language, one parser for the CLI and the web.

Words are ANDed; "phrases" and "phrase"~N (proximity); AND / OR / NOT and brackets; fields
(``article:3`` ruled on, ``cites_article:3`` named anywhere, ``state:Russia``,
``kind:ru_sentence``, ``outcome:3:violation``, ``charge:УК:286``, ``court_id:...``,
``year:2019``, ``language:ru``, ``title:...``, ``court:...``, ``judge:...``); date ranges ``date:2005..2010``, ``date:2005-03-01..2010-12-31``,
``date:2005..``; and identifiers typed as printed, without quotes: ``77617/01``,
``1-123/2020``, ``ECLI:...``, and Russian code provisions (``ч. 3 ст. 286 УК РФ``).

Before Whoosh parses the query, each of these is rewritten into Whoosh syntax over the right
field: left to Whoosh's text analyzers, "1-123/2020" would become "1 AND 123 AND 2020" and match
a ruling that has "1-124/2020" and "123", and "УК:" would be read as a field name.

With ``expand`` (``parse_search_query``), words naming a legal concept of the thesaurus
(``thesaurus.py``) are ORed with its terms in the other languages, each a phrase in its own
language's body field; phrases, field clauses, identifiers and negated words stay as typed.

Some queries are refused, with a message saying why, because one of them can hold a server for
minutes: leading wildcards and wildcards with fewer than two letters (they enumerate the whole
vocabulary), more than ``MAX_TERMS`` words, brackets nested deeper than ``MAX_DEPTH``, and
wildcards, prefixes and word ranges that stand for more than ``MAX_EXPANSIONS`` indexed words in
all (``check_expansions``, run by each engine against its own index before searching:
``title:[a TO z]`` held a server 26 s). Such a query is refused, never run on part of its words:
a lawyer must not get an incomplete list that looks complete.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date

from whoosh import qparser
from whoosh.query import (And, AndNot, Every, MultiTerm, Not, NullQuery, NumericRange, Phrase,
                          Prefix, Query, Term, Wildcard)

from pipeline.entities.codes import CODES, find_code_provisions
from pipeline.entities.identifiers import find_identifiers, normalise_identifier
from pipeline.errors import QueryError
from pipeline.search.base import Expansion
from pipeline.search.language.analysis import BODY_FIELDS
from pipeline.search.language.schema import TEXT_FIELDS
from pipeline.search.language.thesaurus import (LANGUAGES, MAX_ADDED, MAX_PER_MATCH,
                                                Thesaurus, apostrophes,
                                                default_thesaurus)
from pipeline.reference.names import state_key

__all__ = ["MAX_DEPTH", "MAX_EXPANSIONS", "MAX_TERMS", "asked_leaves", "check_expansions",
           "check_quotes",
           "expanding",
           "concept_query", "parse_filters", "marked_terms", "parse_query", "parse_search_query",
           "rewrite_query"]

MAX_QUERY_CHARS = 1000
#: Words, phrases and field clauses one query may hold (an OR of hundreds of names is a dump).
MAX_TERMS = 64
#: Bracket depth; deeper nesting only makes the parser and the matcher tree slow.
MAX_DEPTH = 6
#: Indexed words the wildcards, prefixes and word ranges of one query (its filters included)
#: may stand for, in all: each is a posting list to read and merge.
MAX_EXPANSIONS = 2000

_QUOTED = re.compile(r'"[^"]*"')
_LEADING_WILDCARD = re.compile(r'(?:^|[\s(:\'])[*?]')
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
# A field clause: a known field name, a colon and a value (quoted, or up to a space or bracket).
_CLAUSE = re.compile(r"""(?<![\w:'])(?P<field>[a-z_]+):(?P<value>"[^"]*"|'[^']*'|[^\s()"]+)""")
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_CODE_KEYS = {key.lower(): key for key, _ in CODES}
#: User-facing field names that are the same as (or an alias of) index fields.
_ALIASES = {"state": "state", "article": "article", "outcome": "outcome", "charge": "charge",
            "kind": "kind", "language": "language", "lang": "language", "year": "year",
            "date": "date", "court_id": "court_id", "court": "court", "title": "title",
            "instance": "instance", "format": "format", "id": "id", "provision": "provision",
            "judge": "judge", "cites_article": "cites_article"}


def _literal(field: str, value: str) -> str:
    """A Whoosh single-quoted term: taken as one term, whatever punctuation it holds."""
    return f"{field}:'{value.replace(chr(39), '')}'"


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _day(text: str, *, end: bool) -> int:
    """``2005`` -> 20050101 (or 20051231 as a range end); ``2005-03`` -> 20050301 / 20050331."""
    found = _DATE.match(text.strip())
    if not found:
        raise QueryError("cannot read the date %(date)r (write 2005, 2005-03 or 2005-03-01)",
                         date=text)
    year, month, day = int(found.group(1)), found.group(2), found.group(3)
    if month is None:
        return year * 10000 + (1231 if end else 101)
    m = int(month)
    if not 1 <= m <= 12:
        raise QueryError("cannot read the date %(date)r: no month %(month)d", date=text, month=m)
    if day is None:
        last = 31 if m == 12 else (date(year, m + 1, 1) - date(year, m, 1)).days
        return year * 10000 + m * 100 + (last if end else 1)
    d = int(day)
    try:
        date(year, m, d)
    except ValueError:
        raise QueryError("cannot read the date %(date)r: no such day", date=text) from None
    return year * 10000 + m * 100 + d


def _date_clause(value: str) -> str:
    """``2005..2010``, ``2005-03-01..2010-12-31``, ``2005..``, ``..2010`` or one date/year/month."""
    if ".." in value:
        low, high = value.split("..", 1)
        if not low.strip() and not high.strip():
            raise QueryError("a date range needs at least one end, e.g. date:2005..")
        if low.strip() and high.strip() and _day(low, end=False) > _day(high, end=True):
            low, high = high, low  # "date:2010..2005" means the same years, not nothing
        start = str(_day(low, end=False)) if low.strip() else ""
        stop = str(_day(high, end=True)) if high.strip() else ""
        # Whoosh reads "[x TO ]" (a space before the bracket) as nothing at all.
        return "day:[" + " ".join(p for p in (start, "TO", stop) if p) + "]"
    return f"day:[{_day(value, end=False)} TO {_day(value, end=True)}]"


def _charge_key(value: str) -> str:
    """``ук:286:3`` -> ``УК:286:3`` (code names are case-sensitive keys in the index)."""
    head, _, rest = value.partition(":")
    code = _CODE_KEYS.get(head.lower(), head)
    return f"{code}:{rest.lower()}" if rest else code


def _article_key(value: str) -> str:
    """HUDOC article codes: ``p1-1`` -> ``P1-1``; ``6§1`` / ``6.1`` -> ``6-1``; a code
    provision as a charge key (``ук:286`` -> ``УК:286``)."""
    if ":" in value:
        return _charge_key(value)
    value = value.replace("§", "-").replace(" ", "")
    value = re.sub(r"^p(?=\d)", "P", value)  # protocols only: "35-3-a" keeps its letter
    return re.sub(r"^(\d+)\.(\d+)$", r"\1-\2", value)


def _field_clause(field: str, value: str) -> str | None:
    """Whoosh syntax for one field clause, or None to leave it to Whoosh as typed."""
    raw = _unquote(value)
    if field == "state":
        return _literal("state", state_key(raw))
    if field == "date":
        return _date_clause(raw)
    if field == "year":
        if ".." in raw:
            low, high = (p.strip() for p in raw.split("..", 1))
            if not (low or high) or not all(p.isdigit() for p in (low, high) if p):
                raise QueryError("cannot read the year range %(range)r (write year:2005..2010)",
                                 range=raw)
            return "year:[" + " ".join(p for p in (low, "TO", high) if p) + "]"
        if not raw.isdigit():
            raise QueryError("cannot read the year %(year)r", year=raw)
        return f"year:{raw}"
    if field in ("article", "cites_article"):
        return _literal(field, _article_key(raw))
    if field == "outcome":
        return _literal("outcome", raw.lower().replace(" ", "_").replace("-", "_")
                        if ":" not in raw else _outcome_key(raw))
    if field == "charge":
        key = _charge_key(raw)
        return f"({_literal('charge', key)} OR {_literal('provision', key)})"
    if field == "provision":
        return _literal("provision", _charge_key(raw))
    if field in ("kind", "language", "instance", "format"):
        return _literal(field, raw.lower())
    if field in ("court_id", "id"):
        return _literal(field, raw)
    return None


def _outcome_key(value: str) -> str:
    """``3:Violation`` -> ``3:violation``; ``6-1:no violation`` -> ``6-1:no_violation``."""
    article, _, outcome = value.rpartition(":")
    return f"{_article_key(article)}:{outcome.lower().replace(' ', '_').replace('-', '_')}"


def _free_text(text: str, keys: list[str], widening: _Widening | None = None,
               offset: int = 0) -> str:
    """Rewrite code provisions and identifiers in text outside quotes and field clauses, and
    (with ``widening``) OR the words naming a legal concept with its terms in the other
    languages, each searched as a phrase in its own language's documents. ``offset``: where
    ``text`` starts in the query."""
    if widening is None:
        return _fixed_text(text, keys)
    out, last = [], 0
    for start, end, added in widening.spans(text, offset):
        terms = " OR ".join(f'{BODY_FIELDS[a.language]}:"{form}"' for a in added
                            for form in apostrophes(a.term))
        out += [_fixed_text(text[last:start], keys),
                f"(({_fixed_text(text[start:end], keys)}) OR {terms})"]
        last = end
    out.append(_fixed_text(text[last:], keys))
    return "".join(out)


def _fixed_text(text: str, keys: list[str]) -> str:
    """Code provisions and identifiers as clauses over their fields; the rest as typed."""
    out, last = [], 0
    for mention in _provision_mentions(text):
        start, end, provisions = mention
        out.append(_identifiers(text[last:start], keys))
        terms = []
        for key in provisions:
            terms += [_literal("charge", key), _literal("provision", key)]
        out.append("(" + " OR ".join(terms) + ")")
        last = end
    out.append(_identifiers(text[last:], keys))
    return "".join(out)


def _provision_mentions(text: str) -> list[tuple[int, int, list[str]]]:
    """Spans of code provisions ("ч. 3 ст. 286 УК РФ") with the keys each names."""
    spans: dict[tuple[int, int], list[str]] = {}
    for ent in find_code_provisions(text):
        if not ent.key:
            continue
        # Provisions of one mention share or chain their spans: group them by overlap.
        for (s, e), group in list(spans.items()):
            if ent.start < e and s < ent.end or ent.start == e or s == ent.end:
                del spans[(s, e)]
                spans[(min(s, ent.start), max(e, ent.end))] = group + [ent.key]
                break
        else:
            spans[(ent.start, ent.end)] = [ent.key]
    return sorted((s, e, sorted(set(k))) for (s, e), k in spans.items())


# What a lawyer types before a number, as the document prints it: "no.", "nos", "n°", "№",
# "Application no.", "requête n°", "жалоба №", "дело №". It names the number, it is not a word
# to find: left in, "no" would have to occur in the text too.
_LABEL = re.compile(r"(?:(?<![\w])(?:applications?|requêtes?|req\.|жалоб[аыеу]|дел[оау]|case)\s+)?"
                    r"(?<![\w])(?:nos?\.?|n[°º]s?|№)\s*$", re.IGNORECASE)
# An arbitrazh number typed without its year ("А40-5590"): every year's case of that number.
_NO_YEAR = re.compile(r"(?<![\w/\-.])(?:[АAаa]\d{2}|СИП|SIP)-\d{1,7}(?![\w/\-])")


def _identifiers(text: str, keys: list[str]) -> str:
    out, last = [], 0
    for ident in find_identifiers(text):
        keys.append(ident.key)
        before = text[last:ident.start]
        if label := _LABEL.search(before):
            before = before[:label.start()]
        out += [_yearless(before, keys), f"(own_ids:'{ident.key}' OR ids:'{ident.key}')"]
        last = ident.end
    out.append(_yearless(text[last:], keys))
    return "".join(out)


def _yearless(text: str, keys: list[str]) -> str:
    """Arbitrazh numbers without a year as prefixes of the identifier keys (``a40-5590/``)."""
    out, last = [], 0
    for m in _NO_YEAR.finditer(text):
        key = normalise_identifier(m.group(0)) + "/"
        keys.append(key.rstrip("/"))
        out += [text[last:m.start()], f"(own_ids:{key}* OR ids:{key}*)"]
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def rewrite_identifiers(text: str) -> tuple[str, list[str]]:
    """Replace bare identifiers (outside quotes) by identifier-field clauses.

    >>> rewrite_identifiers("torture 17280/08")
    ("torture (own_ids:'17280/08' OR ids:'17280/08')", ['17280/08'])
    """
    return rewrite_query(text)


def _fixed_spans(text: str) -> list[tuple[int, int]]:
    """Where ``_fixed_text`` reads provisions and identifiers in ``text``."""
    spans = [(s, e) for s, e, _ in _provision_mentions(text)]
    spans += [(i.start, i.end) for i in find_identifiers(text)]
    spans += [(m.start(), m.end()) for m in _NO_YEAR.finditer(text)]
    return sorted(spans)


class _Widening:
    """Which words of a query the thesaurus widens, and with what, within ``MAX_ADDED``.

    Words under NOT or ANDNOT are not widened: excluding a concept in every language would
    remove documents the lawyer did not ask to remove. Words inside a provision or identifier
    ("УПК" of "ст. 125 УПК") are not either; a term around one ("жалоба в порядке статьи 125
    УПК") keeps it whole in its own branch of the OR."""

    def __init__(self, thesaurus: Thesaurus, negated: list[tuple[int, int]]):
        self.thesaurus = thesaurus
        self.negated = negated
        self.added: list[Expansion] = []

    def spans(self, text: str, offset: int) -> list[tuple[int, int, list[Expansion]]]:
        fixed = _fixed_spans(text)
        out: list[tuple[int, int, list[Expansion]]] = []
        for match in self.thesaurus.find(text):
            start, end = match.start, match.end
            if any(s <= start and end <= e for s, e in fixed):
                continue
            for s, e in fixed:
                if s < end and start < e:
                    start, end = min(start, s), max(end, e)
            if out and start < out[-1][1]:
                continue
            if any(s < offset + end and offset + start < e for s, e in self.negated):
                continue
            budget = MAX_ADDED - len(self.added)
            if budget <= 0:
                break
            added = self.thesaurus.additions(match, text[match.start:match.end], budget)
            if added:
                self.added += added
                out.append((start, end, added))
        return out


def _negated(text: str, protected: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of ``text`` under NOT or ANDNOT: the next word, phrase or field clause, or the
    next bracketed group whole. ``protected`` are the phrases and clauses (one token each)."""
    tokens: list[tuple[int, int]] = []
    last = 0
    for start, end in protected:
        if start < last:
            continue
        tokens += [(last + m.start(), last + m.end())
                   for m in re.finditer(r"[()]|[^\s()]+", text[last:start])]
        tokens.append((start, end))
        last = end
    tokens += [(last + m.start(), last + m.end())
               for m in re.finditer(r"[()]|[^\s()]+", text[last:])]
    spans = []
    for i, (start, end) in enumerate(tokens[:-1]):
        if text[start:end] not in ("NOT", "ANDNOT"):
            continue
        first = tokens[i + 1]
        if text[first[0]:first[1]] != "(":
            spans.append(first)
            continue
        depth, stop = 0, len(text)
        for s, e in tokens[i + 1:]:
            depth += {"(": 1, ")": -1}.get(text[s:e], 0)
            if depth == 0:
                stop = e
                break
        spans.append((first[0], stop))
    return spans


def rewrite_query(text: str) -> tuple[str, list[str]]:
    """The query in Whoosh syntax, and the identifiers it names (to centre snippets on them).

    >>> rewrite_query('state:"Russian Federation" torture')[0]
    "state:'russia' torture"
    >>> rewrite_query("date:2005..2010 article:p1-1")[0]
    "day:[20050101 TO 20101231] article:'P1-1'"
    >>> rewrite_query("ч. 3 ст. 286 УК РФ")[0]
    "(charge:'УК:286:3' OR provision:'УК:286:3')"
    """
    rewritten, keys, _ = _rewrite(text, None)
    return rewritten, keys


def _rewrite(text: str, thesaurus: Thesaurus | None) -> tuple[str, list[str], list[Expansion]]:
    """``rewrite_query``, and with a thesaurus the words naming its concepts widened (see
    ``_free_text``), with the terms added."""
    keys: list[str] = []
    protected = sorted(
        [(m.start(), m.end(), None) for m in _QUOTED.finditer(text)]
        + [(m.start(), m.end(), m) for m in _CLAUSE.finditer(text) if m.group("field") in _ALIASES],
        key=lambda x: x[0])
    widening = None if thesaurus is None else _Widening(
        thesaurus, _negated(text, [(s, e) for s, e, _ in protected]))
    out, last = [], 0
    for start, end, clause in protected:
        if start < last:
            continue  # a clause inside a phrase, or a phrase inside a clause
        out.append(_free_text(text[last:start], keys, widening, last))
        piece = text[start:end]
        if clause is not None:
            field = _ALIASES[clause.group("field")]
            piece = _field_clause(field, clause.group("value")) or f"{field}:{clause.group('value')}"
        out.append(piece)
        last = end
    out.append(_free_text(text[last:], keys, widening, last))
    return "".join(out), keys, widening.added if widening is not None else []


def word_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` holds plain words: outside quoted phrases, field clauses, identifiers and
    code provisions, which mean exactly what was typed (a spelling corrector must not touch
    them).

    >>> q = 'tortrue "police custody" article:3 17280/08 ч. 3 ст. 286 УК РФ пыьки'
    >>> " ".join(q[s:e] for s, e in word_spans(q)).split()
    ['tortrue', 'пыьки']
    """
    protected = sorted(
        [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
        + [(m.start(), m.end()) for m in _CLAUSE.finditer(text) if m.group("field") in _ALIASES],
        key=lambda x: x[0])
    free, last = [], 0
    for start, end in protected:
        if start >= last:
            free.append((last, start))
        last = max(last, end)
    free.append((last, len(text)))
    spans = []
    for start, end in free:
        part = text[start:end]
        taken = [(s, e) for s, e, _ in _provision_mentions(part)]
        taken += [(i.start, i.end) for i in find_identifiers(part)]
        taken += [(m.start(), m.end()) for m in _NO_YEAR.finditer(part)]
        at = 0
        for s, e in sorted(taken):
            if s > at:
                spans.append((start + at, start + s))
            at = max(at, e)
        if at < len(part):
            spans.append((start + at, end))
    return [(s, e) for s, e in spans if s < e]


def check_quotes(text: str) -> None:
    """Refuse a query with a quotation mark left open, saying where.

    The parser would drop the lone quote, or the words after it ('a "b c" d"' searched only
    "b c"): a lawyer would get the hits of a query she did not write, with nothing to say so.
    Which phrase she meant cannot be known, so it is not guessed.

    >>> check_quotes('"police custody" torture')
    >>> check_quotes('torture "police custody')
    Traceback (most recent call last):
    ...
    pipeline.errors.QueryError: a quotation mark is not closed: "police custody. Close the phrase with a second " or remove the quotation mark
    """
    if text.count('"') % 2:
        rest = text[text.rfind('"'):]
        shown = rest if len(rest) <= 40 else rest[:39] + "…"
        raise QueryError('a quotation mark is not closed: %(shown)s. Close the phrase with a '
                         'second " or remove the quotation mark', shown=shown)


def check_query(text: str) -> None:
    """Refuse queries that are too long, too big, too deep or too wild, with the reason."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError("query too long (%(length)d characters, limit %(limit)d)",
                         length=len(text), limit=MAX_QUERY_CHARS)
    check_quotes(text)
    bare = _QUOTED.sub(" ", text)
    if _LEADING_WILDCARD.search(bare):
        raise QueryError("a word may not start with * or ? (it would scan the whole index)")
    depth = deepest = 0
    for char in bare:
        if char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth -= 1
    if deepest > MAX_DEPTH:
        raise QueryError("brackets nested %(depth)d deep (limit %(limit)d); simplify the query",
                         depth=deepest, limit=MAX_DEPTH)
    terms = _QUOTED.findall(text) + [w for w in re.split(r"[\s()]+", bare)
                                     if w and w not in _OPERATORS]
    if len(terms) > MAX_TERMS:
        raise QueryError("too many words or clauses (%(count)d, limit %(limit)d): every word "
                         "is required, so a pasted paragraph finds next to nothing. Keep the "
                         "words that matter (torture police custody), narrow with article:3 "
                         "or state:russia; for judgments like one you have: precedents similar "
                         "DOC_ID", count=len(terms), limit=MAX_TERMS)
    # Phrases become one placeholder word here, so `state:"Russian Federation"` has a value.
    for word in re.split(r"[\s()]+", _QUOTED.sub("Q", text)):
        if re.fullmatch(r"[A-Za-z_]+:", word) and word[:-1].lower() in _ALIASES:
            raise QueryError("%(field)s needs a value right after the colon, with no space "
                             "(e.g. state:Russia, article:3)", field=word)
    for word in re.split(r"[\s()]+", bare):
        if "*" in word or "?" in word:
            value = word.split(":", 1)[-1]
            literal = re.sub(r"[\W_]", "", value)
            if len(literal) < 2:
                raise QueryError("the wildcard %(word)r needs at least two letters before it "
                                 "(it would match too many words)", word=word)


def _parser(schema) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(list(TEXT_FIELDS), schema, group=qparser.AndGroup)
    parser.remove_plugin_class(qparser.PlusMinusPlugin)
    return parser


def parse_query(text: str, schema, *, allow_empty: bool = False) -> tuple[Query, list[str]]:
    """Parse a user query into a Whoosh query; return it with the identifiers it names.

    Words are ANDed (a lawyer adding a word expects fewer, better hits). With ``allow_empty``,
    an empty query means every document (a home page browsing by filters).
    """
    query, keys, _ = parse_search_query(text, schema, allow_empty=allow_empty)
    return query, keys


def parse_search_query(text: str, schema, *, allow_empty: bool = False, expand: bool = False,
                       thesaurus: Thesaurus | None = None
                       ) -> tuple[Query, list[str], list[Expansion]]:
    """``parse_query``; with ``expand``, words naming a legal concept of the thesaurus
    (``thesaurus``, or the one shipped) also search its terms in the other languages, and the
    terms added come third. Phrases, field clauses and identifiers are never widened."""
    text = text.strip()
    if not text:
        if allow_empty:
            return Every(), [], []
        raise QueryError("empty query")
    check_query(text)
    rewritten, keys, added = _rewrite(
        text, (thesaurus or default_thesaurus()) if expand else None)
    try:
        query = _parser(schema).parse(rewritten)
    except QueryError:
        raise
    except Exception as exc:  # noqa: BLE001 - Whoosh raises assorted errors on odd syntax
        raise QueryError("cannot understand the query (%(error)s)",
                         error=type(exc).__name__) from exc
    if query is None or query.normalize() is NullQuery:
        raise QueryError("the query has no searchable words (only stop words?)")
    return query, keys, added


def concept_query(text: str, thesaurus: Thesaurus | None = None) -> str | None:
    """The legal concepts ``text`` names (thesaurus terms among its words), as one query of
    their terms in every language ORed, each a phrase in its own language's documents; None
    when it names none.

    Unlike expansion, nothing here is required: a document holding any term matches, and one
    holding more of them ranks higher. That is how a Russian description finds English
    judgments, whose words share nothing with it but the concepts ("жестокого обращения
    полицией": ill-treatment, police). Per concept named, its terms are taken a language at a
    time (the first of each language, then the second...), at most ``MAX_PER_MATCH``, and at
    most ``MAX_ADDED`` in all, within the query's length limits.
    """
    clauses: list[str] = []
    length = 0
    for match in (thesaurus or default_thesaurus()).find(text):
        queues = {lang: [t for c in match.concepts for t in c.terms[lang]] for lang in LANGUAGES}
        taken = 0
        for depth in range(max(len(q) for q in queues.values())):
            for lang in LANGUAGES:
                if depth >= len(queues[lang]) or taken >= MAX_PER_MATCH:
                    continue
                taken += 1
                for form in apostrophes(queues[lang][depth]):
                    clause = f'{BODY_FIELDS[lang]}:"{form}"'
                    if clause in clauses or len(clauses) >= MAX_ADDED or \
                            length + len(clause) + 4 > MAX_QUERY_CHARS:
                        continue
                    clauses.append(clause)
                    length += len(clause) + 4
    return " OR ".join(clauses) or None


def parse_filters(filters, schema) -> Query | None:
    """The filter clauses ANDed into one query (they restrict the hits, never score them)."""
    parsed = []
    for clause in filters or ():
        if clause and clause.strip():
            parsed.append(parse_query(clause, schema)[0])
    if len(parsed) > MAX_TERMS:
        raise QueryError("too many filters (%(count)d, limit %(limit)d)", count=len(parsed),
                         limit=MAX_TERMS)
    if not parsed:
        return None
    return parsed[0] if len(parsed) == 1 else And(parsed)


#: Indexed terms a wildcard or prefix may expand to when marking snippets.
EXPANSIONS = 64

#: ``lister(field, prefix)``: indexed terms of ``field`` starting with ``prefix``, in order.
TermLister = Callable[[str, str], Iterable[str]]


def marked_terms(query: Query, lister: TermLister) -> dict[str, set[str]]:
    """The analysed body words a hit's snippet marks, per field: the words the query asks for
    outside negations, phrases included, wildcards expanded by ``lister`` to up to
    ``EXPANSIONS`` indexed terms each.

    Both engines mark these in every hit, rather than asking the engine which of them each hit
    matched: tantivy cannot tell, and asking Whoosh made it record the matched terms of every
    hit, not only of the ten shown (a third of a search's time at 10,000 judgments). A word the
    hit does not hold is simply not found in its text.
    """
    terms: dict[str, set[str]] = {}
    for node in asked_leaves(query):
        field = getattr(node, "fieldname", None) or ""
        if not field.startswith("body_"):
            continue
        if isinstance(node, Term):
            terms.setdefault(field, set()).add(_text(node.text))
        elif isinstance(node, Phrase):
            terms.setdefault(field, set()).update(w for w in node.words if w)
        else:
            pattern = node.text + ("*" if isinstance(node, Prefix) else "")
            terms.setdefault(field, set()).update(_expand(field, pattern, lister))
    return terms


def asked_leaves(query: Query) -> Iterator[Query]:
    """The terms, phrases and patterns (prefix, wildcard) ``query`` asks for, in order, leaving
    out what it negates (``NOT x``, the right side of ``a ANDNOT b``): what a snippet and a
    document's page mark."""
    if isinstance(query, Not):
        return
    if isinstance(query, AndNot):
        yield from asked_leaves(query.a)
        return
    if isinstance(query, (Term, Phrase, Prefix, Wildcard)):
        yield query
    for child in query.children() if hasattr(query, "children") else ():
        yield from asked_leaves(child)


def _text(text: str | bytes) -> str:
    return text.decode("utf-8") if isinstance(text, bytes) else text


def _expand(field: str, pattern: str, lister: TermLister) -> list[str]:
    """Up to ``EXPANSIONS`` indexed terms matching a wildcard pattern (none if the index
    cannot list them: marking is a nicety, the hits stand)."""
    prefix = re.split(r"[*?]", pattern, maxsplit=1)[0]
    found: list[str] = []
    try:
        for n, term in enumerate(lister(field, prefix)):
            if n >= EXPANSIONS * 4 or len(found) >= EXPANSIONS:
                break
            term = _text(term)
            if fnmatch.fnmatchcase(term, pattern):
                found.append(term)
    except Exception:  # noqa: BLE001 - see the docstring
        return found
    return found


#: ``expand(node)``: the indexed terms one expanding node stands for, in the engine's index.
Expander = Callable[[Query], Iterable[object]]


def expanding(query: Query | None) -> list[Query]:
    """The nodes of ``query`` that stand for many indexed words (wildcards, prefixes, word
    ranges), negated ones included: a NOT reads its words too. Date and year ranges are not
    among them: their numeric terms are few per range, whatever its width."""
    if query is None:
        return []
    if isinstance(query, MultiTerm) and not isinstance(query, NumericRange):
        return [query]
    found: list[Query] = []
    for child in query.children() if hasattr(query, "children") else ():
        found += expanding(child)
    return found


def check_expansions(queries: Iterable[Query | None], expand: Expander, *,
                     limit: int | None = None,
                     deadline: Callable[[], None] = lambda: None) -> int:
    """How many indexed words the expanding nodes of ``queries`` stand for; a QueryError naming
    the limit as soon as they pass ``limit`` (``MAX_EXPANSIONS``), and ``deadline()`` called as
    the words are listed, so listing them counts against the search's time too."""
    limit = MAX_EXPANSIONS if limit is None else limit
    total = 0
    for query in queries:
        for node in expanding(query):
            for _ in expand(node):
                total += 1
                if total > limit:
                    raise QueryError(
                        "the wildcards, prefixes or ranges of this query stand for more than "
                        "%(limit)s indexed words (limit %(limit)s); make them longer or "
                        "narrower", limit=format(limit, ","))
                if total % 64 == 0:
                    deadline()
            deadline()
    return total
