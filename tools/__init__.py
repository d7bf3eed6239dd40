"""Development tools: evaluation, benchmarks, attack suites and the builders of committed data.

Not part of the installed package (``pyproject.toml`` ships ``pipeline`` only). Run them from
the project root with ``python -m``, which puts the root on ``sys.path``::

    python -m tools.evaluate                  (make eval)
    python -m tools.bench.corpus --out BENCHMARKS.md
    python -m tools.suites.robustness         (make robustness)
    python -m tools.build_corpora             (make corpora)
"""
