"""Measure the Russian ruling parser against the hand-marked rulings in ``gold/ru_judgement_parts_markup``.

Run ``python -m tools.evaluate.russian`` from the project root (or call ``evaluate`` from the
project's ``make eval``); it reads ``../shared/corpora`` in place and prints a Markdown section.

The markup (1,010 rulings: ``mitingi/`` administrative cases on public assemblies, ``papaver/``
drug sentences) puts LaTeX-like tags into the text: ``\\intb … \\inte`` bound the вводная часть,
``\\resb … \\rese`` the резолютивная часть, ``\\accusedb … \\accusede`` the accused,
``\\prisontermb … \\term{Y-M-D} … \\prisonterme`` a prison term, ``\\fineb … \\fn{10000} …
\\finee`` a fine, ``\\condb … \\term{…} … \\conde`` a suspended sentence's probation. Tags are
removed to give the plain text; each tag's position in that plain text is the gold position.

Scoring:

* **Boundaries** — intro start (``\\intb``; a bare ``\\int`` where the annotator dropped the "b"),
  intro end (``\\inte``), operative start (``\\resb``), operative end (``\\rese``) against the
  parser's ``intro``/``operative`` section offsets. A predicted boundary counts when it lies within
  50 characters of the gold position; a far one is both a false positive and a false negative.
  A file whose markup lacks a tag is not scored for that boundary (the annotator's omission says
  nothing about the parser).
* **Accused** — per file, the set of marked names against ``Judgment.accused``, matched by surname
  stem (the name without its last three letters, at least three kept), so "Мышанского С.И." in the
  intro and "Мышанский С.И." count as one person. Marked spans without a name (a redaction marker
  such as "ФИО1", a legal entity behind "<данные изъяты>") are left out of the gold set.
* **Prison terms, fines, probation** — per file, the multiset of marked months (years·12+months;
  days ignored) or amounts against the parser's ``penalties``: prison terms against
  ``imprisonment`` (the markup marks the term to serve, not a suspended one, and not the per-count
  terms before "окончательно назначить"), fines against ``fine``, probation against the
  ``probation_months`` of ``suspended``.

What the misses are, read file by file: most boundary misses are annotator conventions rather
than parser errors — about one file in ten starts the вводная часть after the place-and-date
line instead of after the heading (nbsp padding puts the two >50 characters apart), some end it
before "обвиняемого в совершении…", and some end the резолютивная часть before the payment
details or the appeal notice. Many files mark no prison term or fine although the text has one,
and some mark an amount that the published text redacted (it stands only in ``\fn{…}``).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.structure.russian import parse_russian
from tools.paths import SHARED_CORPORA

__all__ = ["MarkedRuling", "load_marked", "evaluate", "main", "TOLERANCE"]

MARKUP = "gold/ru_judgement_parts_markup"
TOLERANCE = 50
BOUNDARIES = ("intro_start", "intro_end", "operative_start", "operative_end")

# A tag: backslash, Latin letters, optional {argument}. Cyrillic never belongs to a tag, so
# "\intо назначении" (tag glued to a Russian word) splits correctly.
_TAG = re.compile(r"\\([a-zA-Z]+)(?:\{([^{}\n]*)\})?")
_NAME_WORD = re.compile(r"(?<![А-Яа-яЁё])[А-ЯЁ][а-яё]{2,}")
_REDACTION = re.compile(r"ФИО\d*|<[^<>]*>|данные изъяты")


@dataclass
class MarkedRuling:
    """One marked file: the text without tags and what the annotator marked in it."""

    path: Path
    text: str
    boundaries: dict[str, int | None]
    accused: list[str] = field(default_factory=list)
    prison_months: list[int] = field(default_factory=list)
    probation_months: list[int] = field(default_factory=list)
    fines: list[float] = field(default_factory=list)


def _strip(raw: str) -> tuple[str, list[tuple[str, int, str | None]]]:
    out: list[str] = []
    tags: list[tuple[str, int, str | None]] = []
    last = pos = 0
    for m in _TAG.finditer(raw):
        out.append(raw[last:m.start()])
        pos += m.start() - last
        tags.append((m.group(1), pos, m.group(2)))
        last = m.end()
    out.append(raw[last:])
    return "".join(out), tags


def _months(term: str | None) -> int | None:
    m = re.fullmatch(r"\s*(\d+)-(\d+)-(\d+)\s*", term or "")
    return int(m.group(1)) * 12 + int(m.group(2)) if m else None


def _amount(value: str | None) -> float | None:
    digits = re.sub(r"[\s\u00a0]", "", value or "")
    return float(digits) if re.fullmatch(r"\d+(?:[.,]\d+)?", digits) else None


def _inside(tags: list[tuple[str, int, str | None]], opening: str, closing: str) -> list[tuple[int, int]]:
    """Spans between each ``opening`` tag and the next ``closing`` one (an unclosed one runs 400 chars)."""
    spans = []
    for i, (name, pos, _) in enumerate(tags):
        if name == opening:
            end = next((p for n, p, _ in tags[i + 1:] if n == closing), pos + 400)
            spans.append((pos, end))
    return spans


def load_marked(path: Path) -> MarkedRuling:
    """Read one marked file (UTF-8, BOM and mixed line ends allowed) into text + gold marks."""
    raw = path.read_text(encoding="utf-8-sig")
    text, tags = _strip(raw)
    first: dict[str, int] = {}
    for name, pos, _ in tags:
        first.setdefault(name, pos)
    boundaries = {
        "intro_start": first.get("intb", first.get("int")),
        "intro_end": first.get("inte"),
        "operative_start": first.get("resb"),
        "operative_end": first.get("rese"),
    }
    ruling = MarkedRuling(path, text, boundaries)
    for start, end in _inside(tags, "accusedb", "accusede"):
        span = " ".join(text[start:end].split())
        if _NAME_WORD.search(_REDACTION.sub(" ", span)):
            ruling.accused.append(span)
    for opening, closing, target in (("prisontermb", "prisonterme", ruling.prison_months),
                                     ("condb", "conde", ruling.probation_months)):
        spans = _inside(tags, opening, closing)
        for name, pos, arg in tags:
            if name == "term" and any(s <= pos <= e for s, e in spans):
                months = _months(arg)
                if months is not None:
                    target.append(months)
    fine_spans = _inside(tags, "fineb", "finee")
    for name, pos, arg in tags:
        if name == "fn" and any(s <= pos <= e for s, e in fine_spans):
            amount = _amount(arg)
            if amount is not None:
                ruling.fines.append(amount)
    return ruling


def _stem(name: str) -> str:
    """The surname's stem: the first name-like word ("Мышанского С.И."), the last after initials."""
    words = _NAME_WORD.findall(_REDACTION.sub(" ", name)) or [name]
    word = (words[-1] if re.match(r"\s*[А-ЯЁ]\.", name) else words[0]).lower()
    return word[:max(3, len(word) - 3)]


def _same_person(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


@dataclass
class _Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: _Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


def _score_multiset(gold: list, predicted: list) -> _Score:
    g, p = Counter(gold), Counter(predicted)
    tp = sum((g & p).values())
    return _Score(tp, sum(p.values()) - tp, sum(g.values()) - tp)


def _score_people(gold: list[str], predicted: list[str]) -> _Score:
    gold_stems = list(dict.fromkeys(_stem(n) for n in gold))
    pred_stems = list(dict.fromkeys(_stem(n) for n in predicted))
    matched = {g for g in gold_stems if any(_same_person(g, p) for p in pred_stems)}
    right = [p for p in pred_stems if any(_same_person(g, p) for g in gold_stems)]
    return _Score(len(matched), len(pred_stems) - len(right), len(gold_stems) - len(matched))


def marked_files(corpora: Path) -> list[Path]:
    return sorted((corpora / MARKUP).rglob("*.txt"))


def evaluate(corpora: Path) -> tuple[str, dict[str, float]]:
    """Score ``parse_russian`` on every marked ruling; return a Markdown section and the numbers.

    The numbers' keys: ``<boundary>_precision|recall|f1`` for each boundary, ``sections_*`` for
    all four together, ``accused_*``, ``prison_terms_*``, ``fines_*``, ``probation_*``, and
    ``files`` / ``seconds``.
    """
    files = marked_files(corpora)
    started = time.perf_counter()
    scores = {b: _Score() for b in BOUNDARIES}
    unscored = Counter()
    extra = {k: _Score() for k in ("accused", "prison_terms", "fines", "probation")}
    misses: Counter[str] = Counter()
    for path in files:
        ruling = load_marked(path)
        judgment = parse_russian(ruling.text)
        sections = {s.name: s for s in judgment.sections}
        predicted = {
            "intro_start": sections["intro"].start if "intro" in sections else None,
            "intro_end": sections["intro"].end if "intro" in sections else None,
            "operative_start": sections["operative"].start if "operative" in sections else None,
            "operative_end": sections["operative"].end if "operative" in sections else None,
        }
        for b in BOUNDARIES:
            gold, pred = ruling.boundaries[b], predicted[b]
            if gold is None:
                unscored[b] += 1
                continue
            if pred is None:
                scores[b].fn += 1
                misses[b] += 1
            elif abs(pred - gold) <= TOLERANCE:
                scores[b].tp += 1
            else:
                scores[b].fp += 1
                scores[b].fn += 1
                misses[b] += 1
        penalties = judgment.penalties
        extra["accused"].add(_score_people(ruling.accused, judgment.accused))
        extra["prison_terms"].add(_score_multiset(
            ruling.prison_months, [p.months for p in penalties
                                   if p.type == "imprisonment" and p.months is not None]))
        extra["probation"].add(_score_multiset(
            ruling.probation_months, [p.probation_months for p in penalties
                                      if p.type == "suspended" and p.probation_months is not None]))
        extra["fines"].add(_score_multiset(
            ruling.fines, [p.amount for p in penalties if p.type == "fine" and p.amount is not None]))
    seconds = time.perf_counter() - started

    overall = _Score()
    for s in scores.values():
        overall.add(s)
    numbers: dict[str, float] = {"files": float(len(files)), "seconds": round(seconds, 2)}
    rows = []
    labels = {"intro_start": "вводная: start (\\intb)", "intro_end": "вводная: end (\\inte)",
              "operative_start": "резолютивная: start (\\resb)", "operative_end": "резолютивная: end (\\rese)"}
    for b in BOUNDARIES:
        s = scores[b]
        rows.append(f"| {labels[b]} | {s.tp + s.fn} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} |")
        numbers.update({f"{b}_precision": s.precision, f"{b}_recall": s.recall, f"{b}_f1": s.f1})
    rows.append(f"| **all four boundaries** | {overall.tp + overall.fn} | **{overall.precision:.3f}** | "
                f"**{overall.recall:.3f}** | **{overall.f1:.3f}** |")
    numbers.update({"sections_precision": overall.precision, "sections_recall": overall.recall,
                    "sections_f1": overall.f1})
    extra_rows = []
    extra_labels = {"accused": "accused (\\accusedb…\\accusede, by surname)",
                    "prison_terms": "prison terms (\\term in \\prisontermb…, months)",
                    "probation": "probation of suspended sentences (\\term in \\condb…, months)",
                    "fines": "fines (\\fn in \\fineb…, amount)"}
    for key, s in extra.items():
        extra_rows.append(f"| {extra_labels[key]} | {s.tp + s.fn} | {s.precision:.3f} | {s.recall:.3f} | "
                          f"{s.f1:.3f} |")
        numbers.update({f"{key}_precision": s.precision, f"{key}_recall": s.recall, f"{key}_f1": s.f1})
    skipped = ", ".join(f"{b} {n}" for b, n in unscored.items() if n) or "none"
    markdown = "\n".join([
        "## Russian rulings: parts, accused, penalties",
        "",
        f"`pipeline.structure.russian.parse_russian` on the {len(files)} hand-marked rulings in "
        f"`{MARKUP}` ({seconds:.1f} s). A boundary counts when it lies within {TOLERANCE} characters "
        "of the tag's position in the text with all tags removed.",
        "",
        f"**Section boundaries: F1 {overall.f1:.3f}** (precision {overall.precision:.3f}, "
        f"recall {overall.recall:.3f}).",
        "",
        "| boundary | gold | precision | recall | F1 |",
        "|---|---:|---:|---:|---:|",
        *rows,
        "",
        f"Files without the tag, not scored for that boundary: {skipped}. Most remaining misses are "
        "annotator conventions (the вводная часть started after the place-and-date line in about one "
        "file in ten; the резолютивная часть ended before payment details or the appeal notice).",
        "",
        "| field | gold | precision | recall | F1 |",
        "|---|---:|---:|---:|---:|",
        *extra_rows,
        "",
    ])
    return markdown, numbers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", type=Path, default=SHARED_CORPORA, help="path of ../shared/corpora")
    args = parser.parse_args(argv)
    if not (args.corpora / MARKUP).is_dir():
        print(f"marked rulings not found at {args.corpora / MARKUP}", file=sys.stderr)
        return 1
    markdown, _ = evaluate(args.corpora)
    print(markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
