"""precedents: extract, understand and search court rulings and ECHR judgments offline."""

# Also the pipeline version recorded per file: bump it when extraction or analysis output
# changes, so the next ingest redoes those files (0.4.0: ECHR kinds of every era and translations,
# negation-safe holdings, citations resolved against the Court's list, Russian titles; 0.4.1:
# translations' operative parts read as the Court's own, their States in Latin-script languages,
# the provisions a communicated case asks about).
__version__ = "0.5.0"
