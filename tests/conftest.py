"""Shared fixtures: where the real corpora are, and how to need a system tool.

Under ``CI=true`` a missing ``../shared/corpora`` or a missing system package is a failure, not a
skip, so a green CI run really exercised the real documents and Tesseract.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpora"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
IN_CI = os.environ.get("CI", "").lower() == "true"


def need(condition: bool, message: str) -> None:
    """Skip with ``message`` when ``condition`` is false; under CI=true, fail instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required under CI=true: {message}")
    pytest.skip(message)


@pytest.fixture(scope="session")
def shared_corpora() -> Path:
    """The real documents in ../shared/corpora (never copied into the project)."""
    need((SHARED / "MANIFEST.tsv").is_file(), f"real corpora not found at {SHARED}")
    return SHARED


def need_binary(name: str, package: str) -> str:
    """Return the path of a system program, skipping (or failing under CI) when it is absent."""
    found = shutil.which(name)
    need(found is not None, f"{name} not installed (Debian package {package})")
    return found  # type: ignore[return-value]


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES
