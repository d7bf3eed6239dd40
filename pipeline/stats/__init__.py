"""Statistics over a search: outcomes and awards."""
