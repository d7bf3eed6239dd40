"""Quality against gold data: structure, named entities, OCR and PDF text (``make eval``).

Each section is a module with an ``evaluate(corpora)`` that returns a Markdown section and its
headline numbers; ``report`` runs them all and writes EVAL.md. Numbers are reported here and
asserted only where a test in tests/ says so.
"""
