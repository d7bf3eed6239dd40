"""Measure named-entity tagging (PERSON, ORG, LOC) against hand-labelled gold, in French and Russian.

Run ``python -m tools.evaluate.ner`` from the project root; it prints a Markdown section and
writes nothing. ``evaluate()`` returns the same section and a dict of headline numbers, for
``make eval``.

* **French**: ``fr_core_news_sm`` (through ``tag_entities``, so label mapping and redaction
  filtering are measured too) against the hand-made annotations of ECHR judgments in
  ``gold/echr_fr_es_anonymisation_ner/corpora-manual-annots/FR-manual-{train,dev,test}.tsv``. The
  model was never trained on them, so all three files are test data. Format: one
  ``token<space>tag`` per line (CRLF), BIO tags, a blank line between paragraphs. Mapping:

  ====================  =======  =====================================================
  gold label            ours     note
  ====================  =======  =====================================================
  PER                   PERSON   leading titles (M., Mme, MM., Sir, Lord, "et") removed
  LEGAL_PROFESSIONAL    PERSON   judges, agents, counsel: a person; titles removed
  LOC                   LOC      leading elided article (d', l') removed
  ORG                   ORG      leading elided article removed
  DATE, TIME, DATETIME, (ignored: not NER labels of ours)
  CODE, QUANTITY,
  CURRENCY, NATIONALITY,
  ETHNIC_CATEGORY
  ====================  =======  =====================================================

  Gold PERSON spans that are initials only ("L.", "M. et Mme T.") are dropped: they are how the
  Court anonymises applicants, and ``tag_entities`` never returns anonymisation initials. The
  text is rebuilt from the tokens (no space before ``, . ) ;``, none after ``(``, hyphens,
  apostrophes and slashes joined), so the model sees ordinary prose.
* **Russian**: ``tests/gold/ru_ner.jsonl``, sentences from ``../shared/corpora/ru`` labelled by hand
  (guidelines in ``docs/russian-ner.md``). The Russian rules in ``pipeline/entities/nlp.py`` were
  written from the errors on the even lines only; the odd lines are reported apart as held out.

A prediction counts when its label and both character offsets equal a gold span (exact match).
The "overlap" columns give the looser view: one-to-one pairs of same-label spans that overlap,
which shows how much of the exact-match loss is boundaries (``Ленинского районного суда`` for
``Ленинского районного суда г. Кирова``).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.entities.nlp import MODELS, tag_entities_many
from tools.paths import GOLD, SHARED_CORPORA

__all__ = ["evaluate", "read_bio_paragraphs", "score", "GoldText", "main"]

RU_GOLD = GOLD / "ru_ner.jsonl"
FR_GOLD_DIR = Path("gold/echr_fr_es_anonymisation_ner/corpora-manual-annots")
FR_GOLD_FILES = ("FR-manual-train.tsv", "FR-manual-dev.tsv", "FR-manual-test.tsv")
LABELS = ("PERSON", "ORG", "LOC")
FR_LABELS = {"PER": "PERSON", "LEGAL_PROFESSIONAL": "PERSON", "LOC": "LOC", "ORG": "ORG"}

Span = tuple[int, int, str]

_TITLES = {"M", "MM", "Mme", "Mmes", "Mlle", "Mlles", "Me", "Sir", "Lord", "Lady", "Dame", "Mr",
           "Mrs", "Ms", "Dr", "et", "."}
_ELISION = re.compile(r"^(?:[dlDL]|qu|Qu)['’]")
_INITIALS = re.compile(r"^(?:[A-ZÀ-Ý]\.?\s?-?\s?)+$")
_NO_SPACE_BEFORE = {",", ".", ")", ";", ":", "?", "!", "%", "]", "…"}
_NO_SPACE_AFTER = {"(", "["}
_JOINERS = {"-", "'", "’", "/"}


@dataclass
class GoldText:
    """One gold paragraph or sentence: its text and its entity spans (start, end, label)."""

    text: str
    spans: set[Span] = field(default_factory=set)


def _detokenize(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Rebuild prose from tokens; return the text and each token's (start, end) in it."""
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    length = 0
    quote_open = False
    glue_next = True
    for token in tokens:
        space = not glue_next
        if token in _NO_SPACE_BEFORE or token in _JOINERS:
            space = False
        if token == '"':
            space = space and not quote_open
        if space:
            parts.append(" ")
            length += 1
        offsets.append((length, length + len(token)))
        parts.append(token)
        length += len(token)
        glue_next = token in _NO_SPACE_AFTER or token in _JOINERS
        if token == '"':
            glue_next = not quote_open
            quote_open = not quote_open
    return "".join(parts), offsets


def _gold_span(tokens: list[str], offsets: list[tuple[int, int]], text: str,
               label: str) -> Span | None:
    """Apply the mapping rules above to one gold span (its tokens and their offsets)."""
    i = 0
    if label == "PERSON":
        while i < len(tokens) - 1 and tokens[i] in _TITLES:
            i += 1
    if i >= len(tokens):
        return None
    start, end = offsets[i][0], offsets[-1][1]
    if label in ("LOC", "ORG"):
        elided = _ELISION.match(text[start:end])
        if elided and end - start > elided.end():
            start += elided.end()
    surface = text[start:end]
    if label == "PERSON" and _INITIALS.match(surface):
        return None
    return start, end, label


def read_bio_paragraphs(path: Path) -> list[GoldText]:
    """Read a ``token tag`` BIO file into paragraphs of rebuilt text with mapped gold spans."""
    paragraphs: list[GoldText] = []
    rows: list[tuple[str, str]] = []

    def flush() -> None:
        if not rows:
            return
        tokens = [token for token, _ in rows]
        text, offsets = _detokenize(tokens)
        gold = GoldText(text)
        current: list[int] = []
        current_label: str | None = None

        def close() -> None:
            if current and current_label in FR_LABELS:
                label = FR_LABELS[current_label]
                span = _gold_span([tokens[k] for k in current], [offsets[k] for k in current],
                                  text, label)
                if span:
                    gold.spans.add(span)

        for k, (_token, tag) in enumerate(rows):
            prefix, _, name = tag.partition("-")
            if prefix == "B" or (prefix == "I" and name != current_label):
                close()
                current, current_label = [k], name
            elif prefix == "I":
                current.append(k)
            else:
                close()
                current, current_label = [], None
        close()
        paragraphs.append(gold)
        rows.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            flush()
            continue
        token, _, tag = line.rpartition(" ")
        if not token:
            token, tag = tag, "O"
        rows.append((token, tag))
    flush()
    return paragraphs


def read_jsonl(path: Path) -> list[GoldText]:
    """Read ``tests/gold/ru_ner.jsonl`` ({"source", "text", "entities": [[start, end, label]]})."""
    gold = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            gold.append(GoldText(record["text"], {tuple(e) for e in record["entities"]}))
    return gold


def _overlap_matches(gold: set[Span], pred: set[Span], label: str) -> int:
    """One-to-one pairs of same-label spans that overlap (exact pairs first)."""
    golds = sorted(s for s in gold if s[2] == label)
    preds = sorted(s for s in pred if s[2] == label)
    used: set[int] = set()
    matched = 0
    for p in preds:
        for k, g in enumerate(golds):
            if k not in used and p[0] < g[1] and g[0] < p[1]:
                used.add(k)
                matched += 1
                break
    return matched


def score(gold: Iterable[set[Span]], pred: Iterable[set[Span]]) -> dict[str, dict[str, float]]:
    """Per-label and micro-averaged ("ALL") precision, recall, F1; exact and overlap matches.

    >>> score([{(0, 5, "LOC")}], [{(0, 5, "LOC"), (6, 9, "ORG")}])["ALL"]["precision"]
    0.5
    """
    counts = {label: {"gold": 0, "pred": 0, "exact": 0, "overlap": 0} for label in LABELS}
    for g, p in zip(gold, pred, strict=True):
        for label in LABELS:
            c = counts[label]
            c["gold"] += sum(1 for s in g if s[2] == label)
            c["pred"] += sum(1 for s in p if s[2] == label)
            c["exact"] += sum(1 for s in p & g if s[2] == label)
            c["overlap"] += _overlap_matches(g, p, label)
    counts["ALL"] = {key: sum(counts[label][key] for label in LABELS)
                     for key in ("gold", "pred", "exact", "overlap")}
    result = {}
    for label, c in counts.items():
        p = c["exact"] / c["pred"] if c["pred"] else 0.0
        r = c["exact"] / c["gold"] if c["gold"] else 0.0
        result[label] = {
            "gold": c["gold"], "pred": c["pred"], "precision": p, "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "precision_overlap": c["overlap"] / c["pred"] if c["pred"] else 0.0,
            "recall_overlap": c["overlap"] / c["gold"] if c["gold"] else 0.0,
        }
    return result


def _run(gold: list[GoldText], language: str) -> tuple[list[set[Span]], float]:
    """Tag the gold texts; return the predicted spans per text and the speed in words/s."""
    tag_entities_many(["Прогрев." if language == "ru" else "Warm-up."], language)  # load first
    started = time.perf_counter()
    predicted = tag_entities_many([g.text for g in gold], language)
    seconds = time.perf_counter() - started
    words = sum(len(g.text.split()) for g in gold)
    return [{(e.start, e.end, e.label) for e in ents} for ents in predicted], \
        words / seconds if seconds else 0.0


def _table(result: dict[str, dict[str, float]]) -> list[str]:
    lines = ["| label | gold | predicted | P | R | F1 | P (overlap) | R (overlap) |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for label in (*LABELS, "ALL"):
        r = result[label]
        name = "**all**" if label == "ALL" else label
        lines.append(f"| {name} | {r['gold']} | {r['pred']} | {r['precision']:.3f} | "
                     f"{r['recall']:.3f} | {r['f1']:.3f} | {r['precision_overlap']:.3f} | "
                     f"{r['recall_overlap']:.3f} |")
    return lines


def evaluate(corpora: Path = SHARED_CORPORA, ru_gold: Path = RU_GOLD) -> tuple[str, dict[str, float]]:
    """Measure French and Russian NER; return a Markdown section and headline numbers.

    Headline keys: ``{fr,ru}_ner_{precision,recall,f1}`` (micro over PERSON/ORG/LOC, exact),
    ``{fr,ru}_ner_f1_{PERSON,ORG,LOC}`` and ``{fr,ru}_ner_words_per_s``.
    """
    lines = ["## Named entities (PERSON, ORG, LOC)", ""]
    headline: dict[str, float] = {}
    fr_paths = [corpora / FR_GOLD_DIR / name for name in FR_GOLD_FILES]
    runs = []
    if all(p.is_file() for p in fr_paths):
        fr_gold = [g for p in fr_paths for g in read_bio_paragraphs(p) if g.text.strip()]
        runs.append(("fr", f"French: `{MODELS['fr']}` on {len(fr_gold)} paragraphs of "
                     f"`{FR_GOLD_DIR}/FR-manual-*.tsv` (train+dev+test, all unseen by the model)",
                     fr_gold))
    else:
        lines += [f"French gold not found under `{corpora / FR_GOLD_DIR}`: skipped.", ""]
    if ru_gold.is_file():
        ru = read_jsonl(ru_gold)
        runs.append(("ru", f"Russian: slovnet NER (natasha 1.6.0 weights) in `spacy.blank(\"ru\")` "
                     f"on {len(ru)} hand-labelled sentences of `tests/gold/ru_ner.jsonl`", ru))
    for language, title, gold in runs:
        predicted, speed = _run(gold, language)
        result = score([g.spans for g in gold], predicted)
        words = sum(len(g.text.split()) for g in gold)
        lines += [f"{title}; {words:,} words, {speed:,.0f} words/s.", "", *_table(result), ""]
        prefix = f"{language}_ner"
        if language == "ru":
            # The legal-naming rules in pipeline/entities/nlp.py were written from the errors on
            # the even lines of the gold; the odd lines are the held-out check.
            held = score([g.spans for g in gold[1::2]], predicted[1::2])["ALL"]
            lines += [f"Held-out half (odd lines, {len(gold[1::2])} sentences, never looked at "
                      f"while writing the rules): P {held['precision']:.3f}, "
                      f"R {held['recall']:.3f}, F1 {held['f1']:.3f}.", ""]
            headline[f"{prefix}_f1_heldout"] = held["f1"]
        headline[f"{prefix}_precision"] = result["ALL"]["precision"]
        headline[f"{prefix}_recall"] = result["ALL"]["recall"]
        headline[f"{prefix}_f1"] = result["ALL"]["f1"]
        for label in LABELS:
            headline[f"{prefix}_f1_{label}"] = result[label]["f1"]
        headline[f"{prefix}_words_per_s"] = speed
    lines.append("Exact match: same label and same start and end character. Overlap: one-to-one "
                 "pairs of overlapping same-label spans.")
    return "\n".join(lines) + "\n", headline


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", type=Path, default=SHARED_CORPORA)
    args = parser.parse_args(argv)
    markdown, _ = evaluate(args.corpora)
    print(markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
