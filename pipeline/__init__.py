"""precedents: extract, understand and search court rulings and ECHR judgments offline."""

# Also the pipeline version recorded per file: bump it when extraction or analysis output
# changes, so the next ingest redoes those files (Russian judges and penalties in 0.3.0).
__version__ = "0.3.0"
