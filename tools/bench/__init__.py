"""Speed on the real corpora and at scale: ingest, search, the web page (``make bench``).

Numbers are reported into BENCHMARKS.md, never asserted: the machine may be shared. Each
benchmark replaces only its own marked section of that file (``report.put_section``), so the
sections written by the others stay.
"""

import os

# A new index gets the meaning layer by default; here the figures of ingest, search and the page measure the word pipeline as they always have, and
# the layer is measured where it is asked for by name (``meaning=True``). Set
# PRECEDENTS_MEANING=on to measure everything with it. Subprocesses inherit this.
os.environ.setdefault("PRECEDENTS_MEANING", "off")
