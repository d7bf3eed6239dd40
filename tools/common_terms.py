"""Derive the common terms that Whoosh indexes word pairs for (search/whoosh/common_terms.txt).

    python -m tools.common_terms ../shared/corpora/bulk ../shared/corpora/gold/ru_judgement_parts_markup \
        ../shared/corpora/echr ../shared/corpora/ru --top 100 > pipeline/search/whoosh/common_terms.txt

Reads every file under the given folders with the project's own extractors, tells its language,
runs the analyzer of that language's body field, and ranks each analyzer's terms by how many
documents hold them. The ``--top`` terms of each kind (ru, en, fr; ``xx`` gets the union, as it
holds any other language with Russian quotes) are printed one per line as ``kind<TAB>term``.

Why a fixed, committed list rather than one counted per index: an index records pairs when it is
written, so the rule must be the same for every index and every later batch; a list measured
once on the real judgments is reproducible from this command, and a change to it is a schema
change (``SCHEMA_VERSION``).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.extract import extract_file
from pipeline.language import detect_language
from pipeline.search.language.analysis import FastAnalyzer

KINDS = ("ru", "en", "fr")
#: The section markers of the gold Russian markup (``\\intb``, ``\\accusede``): not words.
MARKUP = re.compile(r"\\[a-z]+\b")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=100)
    args = parser.parse_args()
    frequency = {kind: Counter() for kind in KINDS}
    documents = Counter()
    for folder in args.folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            try:
                texts = extract_file(path)
            except (PipelineError, OSError, ValueError) as exc:
                print(f"skipped {path.name}: {type(exc).__name__}", file=sys.stderr)
                continue
            for extracted in texts:
                kind = extracted.language or detect_language(extracted.text)
                if kind not in KINDS:
                    continue
                text = MARKUP.sub(" ", extracted.text)
                terms = {t.text for t in FastAnalyzer(kind)(text)}
                frequency[kind].update(terms)
                documents[kind] += 1
    print(f"documents per language: {dict(documents)}", file=sys.stderr)
    print(f"# {args.top} most frequent terms per analyzer (document frequency), "
          f"from {sum(documents.values())} documents: tools/common_terms.py")
    union: set[str] = set()
    for kind in KINDS:
        top = [term for term, _ in frequency[kind].most_common(args.top)]
        union.update(top)
        for term in sorted(top):
            print(f"{kind}\t{term}")
    for term in sorted(union):
        print(f"xx\t{term}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
