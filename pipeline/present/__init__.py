"""How a record reads to people: pinpoint citations, labels of kinds, outcomes and articles.

Shared by the CLI, the web page and both search engines, so that a value reads the same
everywhere; nothing here searches.
"""
