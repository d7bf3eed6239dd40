"""precedents: extract, understand and search court rulings and ECHR judgments offline."""

__version__ = "0.1.0"
