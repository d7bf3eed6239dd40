"""Named fault points for the crash suite: a process killed at a chosen place, on purpose.

A test sets ``PRECEDENTS_FAULT=NAME`` (or ``NAME:N``, the Nth time the point is reached) in the
environment of an ingest; when that point is reached the process kills itself with SIGKILL, as
a power cut or the OOM killer would. Points sit where a crash would hurt most: just before and
just after a catalogue transaction commits, and before and after the search index commits (the
Whoosh table of contents or tantivy's meta file is written inside that call).

``json.record.N`` kills a parser worker as it reaches record N of a JSON file (numbered from 1):
a record that crashes or exhausts its worker, whichever batch it is in.

Unset (always, outside tests), ``fault`` costs one dictionary lookup.

>>> fault("catalogue.before_commit")   # nothing happens without PRECEDENTS_FAULT
"""

from __future__ import annotations

import os
import signal

ENV = "PRECEDENTS_FAULT"
POINTS = ("catalogue.before_commit", "catalogue.after_commit", "index.before_commit",
          "index.after_commit")
_hits: dict[str, int] = {}


def fault(name: str) -> None:
    """Kill this process with SIGKILL if ``PRECEDENTS_FAULT`` names this point (and count)."""
    spec = os.environ.get(ENV)
    if not spec:
        return
    wanted, _, nth = spec.partition(":")
    if wanted != name:
        return
    _hits[name] = _hits.get(name, 0) + 1
    if _hits[name] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
