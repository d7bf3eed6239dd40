"""Quality against gold data: structure, named entities, OCR and PDF text (``make eval``).

Each section is a module with an ``evaluate(corpora)`` that returns a Markdown section and its
headline numbers; ``report`` runs them all and writes EVAL.md. Numbers are reported here and
asserted only where a test in tests/ says so.
"""

import os

# A new index gets the meaning layer by default; here the sections measure parsing and the word index, and
# the layer is measured where it is asked for by name (``meaning=True``). Set
# PRECEDENTS_MEANING=on to measure everything with it. Subprocesses inherit this.
os.environ.setdefault("PRECEDENTS_MEANING", "off")
