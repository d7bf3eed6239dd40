"""Speed on the real corpora and at scale: ingest, search, the web page (``make bench``).

Numbers are reported into BENCHMARKS.md, never asserted: the machine may be shared. Each
benchmark replaces only its own marked section of that file (``report.put_section``), so the
sections written by the others stay.
"""
