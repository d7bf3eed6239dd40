"""No committed file names a path of the machine it was made on.

Reports (EVAL.md, BENCHMARKS.md) are written by tools that once printed absolute paths; a reader
elsewhere learns nothing from them, and a home folder can name a person.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import ROOT


def tracked_text_files() -> list[Path]:
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                                check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    files = []
    for name in listed.decode().split("\0"):
        path = ROOT / name
        if name and path.is_file() and path.suffix not in {".png", ".pdf", ".docx", ".sqlite"}:
            files.append(path)
    return files


def machine_paths() -> list[str]:
    """This checkout's own folder and the one above it, and the home folder (not the temporary
    folder or /, which tests name on purpose: an archive member "/tmp/evil.txt")."""
    generic = {"/", tempfile.gettempdir().rstrip("/") or "/"}
    folders = {str(ROOT), str(ROOT.parent), str(Path.home())} - generic
    return sorted(folder + "/" for folder in folders)


def test_no_committed_file_names_this_machines_folders() -> None:
    found = []
    for path in tracked_text_files():
        text = path.read_bytes().decode("utf-8", "replace")
        found += [f"{path.relative_to(ROOT)}: {p}" for p in machine_paths() if p in text]
    assert not found, found


def test_reports_name_no_temporary_folder() -> None:
    tmp = tempfile.gettempdir().rstrip("/") + "/"
    reports = [p for p in tracked_text_files() if p.suffix == ".md"]
    assert reports
    found = [str(p.relative_to(ROOT)) for p in reports if tmp in p.read_text(encoding="utf-8")]
    assert not found, found
