"""Duplicates: each judgment shown once, whatever formats it came in; distinct look-alikes kept.

The corpus is a list of files of ../shared/corpora, ingested in place into a temporary index
(nothing is copied into the project). Each file carries a label naming the document it holds,
set by reading (MANIFEST.tsv, the HUDOC metadata of the JSON records, the texts), never by
running the parser: files with one label are copies of one judgment in 2-4 formats; a label of
its own is a document that looks like another one (same applicant, same case, same day, another
language, the appeal of a ruling) and must stay apart.

Scores: **shown twice** = over labels, the documents shown for it beyond the first;
**wrongly merged** = over shown documents, the labels beyond the first that it stands for.
Targets: 0 and 0.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from pipeline.catalogue import Catalogue
from pipeline.ingest import ingest

__all__ = ["CORPUS", "evaluate"]

_DOCX = "echr/docx_hudoc_en/CASE_OF_{}.docx"
_TXT = "echr/txt_hudoc_en_cp1252/CASE_OF_{}.txt"
_BULK = "bulk/echr_roma_watch_json/{}.json"

#: label -> its files. A label with several files: one judgment in several formats.
CORPUS: dict[str, tuple[str, ...]] = {
    # -- one judgment, several formats ---------------------------------------------------------
    "A.N. v. Lithuania (2016)": (_DOCX.format("A.N._v._LITHUANIA"), _TXT.format("A.N._v._LITHUANIA")),
    "Nagmetov v. Russia (GC 2017)": (_DOCX.format("NAGMETOV_v._RUSSIA"),
                                     _TXT.format("NAGMETOV_v._RUSSIA")),
    "Carvalho Pinto de Sousa Morais v. Portugal (2017)": (
        _DOCX.format("CARVALHO_PINTO_DE_SOUSA_MORAIS_v._PORTUGAL"),
        _TXT.format("CARVALHO_PINTO_DE_SOUSA_MORAIS_v._PORTUGAL"), _BULK.format("001-175659")),
    "Garib v. the Netherlands (GC 2017), English": (
        _DOCX.format("GARIB_v._THE_NETHERLANDS"), _TXT.format("GARIB_v._THE_NETHERLANDS"),
        _BULK.format("001-177406")),
    "Lopes de Sousa Fernandes v. Portugal (GC 2017), English": (
        _DOCX.format("LOPES_DE_SOUSA_FERNANDES_v._PORTUGAL"),
        _TXT.format("LOPES_DE_SOUSA_FERNANDES_v._PORTUGAL"), _BULK.format("001-179556")),
    "R.B. v. Hungary (2016)": (_DOCX.format("R.B._v._HUNGARY"), _TXT.format("R.B._v._HUNGARY"),
                               _BULK.format("001-161983")),
    "V.M. and Others v. Belgium (GC 2016)": (
        _DOCX.format("V.M._AND_OTHERS_v._BELGIUM"), _TXT.format("V.M._AND_OTHERS_v._BELGIUM"),
        _BULK.format("001-169047")),
    "Kiyutin v. Russia (2011), one record in two collections": (
        "echr/json_v_russia/001-103904.json", _BULK.format("001-103904")),
    "Velykoda v. Ukraine (decision), Ukrainian, two typesettings": (
        "echr/pdf_hrights/3_pdf_Velykoda_v._Ukraine.pdf", "echr/pdf_hrights/4_pdf_Velykopada.pdf"),
    "Arbitrazh Court of Moscow A40-5590/2023: text PDF and scan (OCR)": (
        "ru/pdf_arbitrazh/A40-5590-2023_20230424_Reshenija_i_postanovlenija.pdf",
        "scanned/derived_ru_arbitrazh_A40-5590-2023_image_only.pdf"),
    "2nd Cassation Court 88-14715/2026: act page and case card": (
        "ru/html_sudrf/2kas_88-14715-2026_cassation_ruling.html",
        "ru/html_sudrf/ksoyu_case_card.html"),
    # -- distinct documents that look alike -------------------------------------------------
    "Garib v. the Netherlands (GC 2017), French version": (_BULK.format("001-178633"),),
    "Lopes de Sousa Fernandes v. Portugal, Ukrainian translation": (
        "echr/pdf_hrights/2_CASE_OF_LOPES_DE_SOUSA_FERNANDES_v._PORTUGAL_ukr.pdf",),
    "V.M. and Others v. Belgium, Chamber judgment (2015)": (_BULK.format("001-156243"),),
    "Winterstein and Others v. France (2013)": (_BULK.format("001-126910"),),
    "Winterstein and Others v. France, Article 41 judgment (2016)": (_BULK.format("001-162215"),),
    "Yordanova and Others v. Bulgaria, decision (2010)": (_BULK.format("001-100741"),),
    "Yordanova and Others v. Bulgaria, judgment (2012)": (_BULK.format("001-110449"),),
    "M.B. and Others v. Slovakia (2021)": (_BULK.format("001-208879"),),
    "M.B. and Others v. Slovakia (No. 2) (2023)": (_BULK.format("001-223108"),),
    "Muratovic v. Denmark, decision 14513/03 (19.02.2004)": (_BULK.format("001-23753"),),
    "Muratovic v. Denmark, decision 14923/03 (same day)": (_BULK.format("001-23756"),),
    "CCIA Timişoara v. Romania, judgment 13248/05 etc. (16.07.2009)": (_BULK.format("001-93509"),),
    "CCIA Timişoara v. Romania, judgment 23520/05 etc. (same day)": (_BULK.format("001-93540"),),
    "Talpis v. Italy (2017), English": (_BULK.format("001-171994"),),
    "Talpis v. Italy (2017), French": (_BULK.format("001-171508"),),
    "Van Marle and Others v. the Netherlands, judgment (1986)": (
        "echr/pdf_hrights/4_pdf_van_Marle.pdf",),
    "Van Marle and Others v. the Netherlands, Commission report": (
        "scanned/echr_commission_report_van_marle_scan_with_ocr_layer.pdf",),
    "Syktyvkar City Court 2-7212/2025, first instance": ("ru/html_sudrf/sgs_1inst.html",),
    "Supreme Court of Komi 33-4818/2025, its appeal": ("ru/html_sudrf/vsrk_appeal.html",),
    "3rd Cassation Court 88-4097/2026, its cassation": ("ru/html_sudrf/ksoy_cassation.html",),
}


def _shown_ids(index: Path, paths: list[str]) -> dict[str, set[str]]:
    """file -> the ids of the documents it is shown as (an identical file: its twin's)."""
    cat = Catalogue.open(index, readonly=True)
    try:
        merged = cat.merged_into()
        shown: dict[str, set[str]] = {}
        for path in paths:
            docs = cat.documents_for_path(path)
            shown[path] = {merged.get(d.id, d.id) for d in docs}
        return shown
    finally:
        cat.close()


def _formats(index: Path, ids: set[str]) -> dict[str, str]:
    """shown document id -> the format its text comes from."""
    cat = Catalogue.open(index, readonly=True)
    try:
        return {i: d.format for i, d in cat.documents(ids).items()}
    finally:
        cat.close()


def evaluate(corpora: Path, *, jobs: int | None = None) -> tuple[str, dict[str, float]]:
    """The Markdown section and its headline numbers."""
    missing = [p for files in CORPUS.values() for p in files if not (corpora / p).is_file()]
    if missing:
        return (f"## Duplicates\n\nNot measured: {len(missing)} files missing, e.g. "
                f"`{missing[0]}`.\n", {})
    files = {str((corpora / p).resolve()): label for label, ps in CORPUS.items() for p in ps}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="precedents-dedup-") as tmp:
        index = Path(tmp) / "index"
        report = ingest([Path(p) for p in files], index, jobs=jobs or os.cpu_count() or 1)
        seconds = time.perf_counter() - started
        shown = _shown_ids(index, list(files))
        formats = _formats(index, {i for ids in shown.values() for i in ids})
    failed = [o.path for o in report.outcomes if o.status not in ("ok", "duplicate")]
    by_label: dict[str, set[str]] = {}
    by_doc: dict[str, set[str]] = {}
    for path, label in files.items():
        for doc_id in shown[path]:
            by_label.setdefault(label, set()).add(doc_id)
            by_doc.setdefault(doc_id, set()).add(label)
    twice = sum(len(ids) - 1 for ids in by_label.values() if ids)
    wrong = sum(len(labels) - 1 for labels in by_doc.values())
    groups = {label: ps for label, ps in CORPUS.items() if len(ps) > 1}
    lines = ["## Duplicates (one document per judgment)\n",
             f"{len(files)} files of `../shared/corpora`: {len(groups)} judgments in 2-4 "
             f"formats and {len(CORPUS) - len(groups)} distinct look-alikes (same applicant, "
             "same case, same day, Article 41, decision and judgment, another language, first "
             f"instance and appeal); ingested in {seconds:.0f} s.\n",
             f"**Shown twice: {twice}. Wrongly merged: {wrong}.** (targets 0 and 0)\n",
             "| judgment | files | documents shown | text shown from |",
             "|---|---:|---:|---|"]
    for label, paths in groups.items():
        ids = by_label.get(label, set())
        shown_from = ", ".join(sorted(formats.get(i, "-") for i in ids))
        lines.append(f"| {label} | {len(paths)} | {len(ids)} | {shown_from} |")
    merged_apart = [label for label, ps in CORPUS.items() if len(ps) == 1
                    and any(len(by_doc[i]) > 1 for i in by_label.get(label, ()))]
    lines.append("")
    lines.append("Look-alikes merged with another document: "
                 + (", ".join(merged_apart) if merged_apart else "none") + ".")
    if failed:
        lines.append(f"\nFiles not ingested: {', '.join(Path(p).name for p in failed)}.")
    return "\n".join(lines) + "\n", {"shown twice": float(twice), "wrongly merged": float(wrong)}


def merged_in(index: Path) -> str:
    """What one document per judgment did to an existing index: documents stored, shown, and
    the merged copies by the formats involved (``--index``: e.g. the whole shared corpora)."""
    cat = Catalogue.open(index, readonly=True)
    try:
        stored = cat.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        shown = cat.count_documents()
        pairs: dict[str, int] = {}
        for m in cat.merges():
            pair = f"{m['why'].get('format')} into {m['why'].get('shown_format')}"
            pairs[pair] = pairs.get(pair, 0) + 1
    finally:
        cat.close()
    kinds = ", ".join(f"{n} {pair}" for pair, n in sorted(pairs.items()))
    return (f"{index}: {stored} documents stored, {shown} shown; "
            f"{stored - shown} copies merged ({kinds or 'none'}).")


if __name__ == "__main__":
    import argparse

    from tools.paths import SHARED_CORPORA

    parser = argparse.ArgumentParser(prog="python -m tools.evaluate.duplicates")
    parser.add_argument("--index", type=Path, help="report on this index instead")
    args = parser.parse_args()
    print(merged_in(args.index) if args.index else evaluate(SHARED_CORPORA)[0])
