"""Anonymisation: people out, the law in; consistent pseudonyms; fail closed; no residue.

Planted names are invented here (never real people); the sample corpus is fictional too.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from pipeline.errors import AnonymisationError
from pipeline.exchange.anonymise import Anonymiser, residual_names

SALT = b"s" * 32


def _record(text: str, language: str = "en", **fields) -> dict:
    base = {"id": "doc-1", "text": text, "language": language, "entities": [], "citations": [],
            "sections": [], "paragraphs": [], "applicants": [], "representatives": [],
            "accused": [], "judges": [], "president": None}
    base.update(fields)
    return base


def _run(*records: dict, salt: bytes = SALT) -> tuple[Anonymiser, list[dict], list]:
    plan = Anonymiser(salt)
    for r in records:
        plan.collect(r)
    outs = [plan.apply(r) for r in records]
    return plan, [o for o, _ in outs], [c for _, c in outs]


# (text, what must be gone, what must stay) — personal data by pattern, and near misses.
PII_CASES = [
    ("The applicant was born in 1987 and lives in Ensk.", ["1987", "Ensk"], ["The applicant"]),
    ("He was born on 3 February 1975 in Samara.", ["3 February 1975"], []),
    ("ФИО1, 12.03.1985 года рождения, уроженец г. Самары", ["12.03.1985"], ["ФИО1"]),
    ("проживающего по адресу: г. Энск, ул. Ленина, д. 5, кв. 12, ранее не судимого",
     ["Ленина", "кв. 12"], ["ранее не судимого"]),
    ("телефон +7 (912) 345-67-89 и 8-912-345-67-89", ["345-67-89"], ["телефон"]),
    ("write to ivanov.lawyer@example.org today", ["ivanov.lawyer@example.org"], ["today"]),
    ("паспорт серии 36 04 № 123456 выдан", ["123456"], ["выдан"]),
    ("ИНН 631234567890, СНИЛС 123-456-789 01", ["631234567890", "123-456-789 01"], []),
    ("Mme Travnikova est née le 4 mai 1980 et réside à Ensk.", ["4 mai 1980", "Travnikova"], []),
    # near misses: legal identifiers are not phones, passports or dates of birth
    ("Дело № 1-123/2020, УИД 99RS0004-01-2020-000871-13", [], ["1-123/2020", "99RS0004-01-2020-000871-13"]),
    ("(Application no. 41234/15), judgment of 14 March 2019", [], ["41234/15", "14 March 2019"]),
    ("п. «а» ч. 3 ст. 286 УК РФ, 3 года 6 месяцев", [], ["ст. 286 УК РФ", "3 года 6 месяцев"]),
    ("EUR 26,000 in respect of non-pecuniary damage", [], ["EUR 26,000"]),
]


@pytest.mark.parametrize(("text", "gone", "kept"), PII_CASES)
def test_personal_data_patterns(text: str, gone: list[str], kept: list[str]) -> None:
    lang = "ru" if re.search("[а-я]", text) else ("fr" if "née" in text else "en")
    _, (out,), _ = _run(_record(text, lang))
    for value in gone:
        assert value not in out["text"], out["text"]
    for value in kept:
        assert value in out["text"], out["text"]


def test_names_replaced_in_every_form_judges_and_citations_kept() -> None:
    text = ("CASE OF PLANTOVSKIY v. RUSSIA\nThe Court, composed of Helga Richterin, President, "
            "and Omar Kammer, Section Registrar, ... Mr Pyotr Plantovskiy (\"the applicant\") was "
            "represented by Ms Z. Sovetnikova. Plantovskiy's brother saw him. See Bouyid v. "
            "Belgium [GC], no. 23380/09, § 81.")
    cite = text.index("Bouyid")
    cited = "Bouyid v. Belgium [GC], no. 23380/09, § 81"
    record = _record(text, applicants=["Plantovskiy"], representatives=["Z. Sovetnikova"],
                     judges=["Helga Richterin"], president="Helga Richterin",
                     entities=[{"label": "PERSON", "text": "Bouyid", "start": cite, "end": cite + 6}],
                     citations=[{"text": cited, "case_name": "Bouyid v. Belgium",
                                 "case_numbers": ["23380/09"], "start": cite,
                                 "end": cite + len(cited)}])
    plan, (out,), (counts,) = _run(record)
    assert "Plantovskiy".lower() not in out["text"].lower()
    assert "Sovetnikova" not in out["text"]
    assert "Helga Richterin" in out["text"] and "Omar Kammer" in out["text"]
    assert "Bouyid v. Belgium [GC], no. 23380/09, § 81" in out["text"]
    assert out["applicants"] == [plan.pseudonym(plan.names["plantovskiy"].key, "en")]
    assert counts["person"] >= 4
    assert out["citations"][0]["text"] == "Bouyid v. Belgium [GC], no. 23380/09, § 81"


def test_russian_surname_forms_and_initials_share_one_pseudonym() -> None:
    text = ("Потерпевший Перелётов С.И. пояснил. Опрошенный С.И. Перелётов подтвердил. "
            "Физическая сила к Перелётову С.И. не применялась. Председательствующий судья "
            "Ильменская О.Н. огласила приговор.")
    _, (out,), _ = _run(_record(text, "ru"))
    assert "Перелёт" not in out["text"] and "С.И" not in out["text"]
    assert len(set(re.findall(r"Лицо-\w{4}", out["text"]))) == 1
    assert "Ильменская О.Н." in out["text"]


def test_pseudonyms_consistent_within_an_export_and_unlinkable_across_exports() -> None:
    a = _record("Mr Ivan Plantovskiy complained.", id="a", applicants=["Plantovskiy"])
    b = _record("See the case of Plantovskiy, cited above.", id="b")
    _, (out_a, out_b), _ = _run(a, b)
    code = re.search(r"Person-\w{4}", out_a["text"]).group(0)
    assert code in out_b["text"]
    _, (other_a, _), _ = _run(a, b, salt=b"t" * 32)
    assert code not in other_a["text"]
    assert out_a["id"] != "a" and out_a["id"].startswith("anon-")


def test_dates_of_private_events_coarsened_procedural_dates_kept() -> None:
    text = ("THE FACTS\n6. On 3 February 2014 the applicant was arrested. The complaint lodged on "
            "5 March 2014 was dismissed by a decision of 9 April 2014.\nTHE LAW\n")
    dates = [(m.start(), m.end()) for m in re.finditer(r"\d+ \w+ 2014", text)]
    record = _record(text, sections=[{"name": "facts", "start": 0, "end": text.index("THE LAW")}],
                     entities=[{"label": "DATE", "text": text[s:e], "start": s, "end": e}
                               for s, e in dates])
    _, (out,), (counts,) = _run(record)
    assert "In February 2014 the applicant was arrested" in out["text"]
    assert "5 March 2014" in out["text"] and "9 April 2014" in out["text"]
    assert counts["date_coarsened"] == 1


def test_offsets_follow_the_new_text() -> None:
    text = "1. Mr Ivan Plantovskiy was born on 1 May 1970.\n\n2. The Court notes the facts."
    second = text.index("2. The Court")
    record = _record(text, applicants=["Plantovskiy"],
                     paragraphs=[{"number": "1", "start": 0, "end": second - 2},
                                 {"number": "2", "start": second, "end": len(text)}],
                     sections=[{"name": "law", "start": second, "end": len(text)}])
    _, (out,), _ = _run(record)
    para = out["paragraphs"][1]
    assert out["text"][para["start"]:para["end"]] == "2. The Court notes the facts."
    assert out["text"][out["sections"][0]["start"]:].startswith("2. The Court")


def test_untagged_document_is_refused_fail_closed() -> None:
    record = _record("Mr Plantovskiy complained.")
    record["entities"] = None
    with pytest.raises(AnonymisationError, match="doc-1"):
        Anonymiser(SALT).collect(record)


def test_residual_scan_finds_leaks_in_any_form() -> None:
    blobs = [json.dumps({"t": "…the applicant Plantovskiy…"}).encode(),
             "дело Перелётову".encode()]
    found = residual_names(blobs, ["Plantovskiy", "Перелётов", "Nobody Here"])
    assert found == {"Plantovskiy": 1, "Перелётов": 1}


def test_sample_corpus_leaves_no_residue_and_keeps_the_law(sample_index: Path) -> None:
    """GIVEN the fictional sample corpus, ingested
    WHEN every record is anonymised in one export
    THEN no replaced name remains anywhere in the records, and identifiers, articles, holdings
    and awards are as before."""
    from pipeline.catalogue import Catalogue
    from pipeline.records import public_record

    cat = Catalogue.open(sample_index, readonly=True)
    assert cat.count_documents() >= 10
    records = [public_record(d, cat.source(d.source_path)) for d in cat.iter_documents()]
    cat.close()
    plan = Anonymiser(os.urandom(32))
    for r in records:
        plan.collect(r)
    outs = [plan.apply(r)[0] for r in records]
    assert len(plan.replaced()) >= 20
    assert residual_names([json.dumps(outs, ensure_ascii=False).encode()], plan.replaced()) == {}
    for before, after in zip(records, outs):
        for key in ("case_numbers", "identifiers", "holdings", "charges", "judges", "court"):
            assert after[key] == before[key], key
        assert [a["amount"] for a in after["awards"]] == [a["amount"] for a in before["awards"]]
        assert after["source"]["path"] is None and after["source"]["meta"] == {}
    zarechnev = next(o for o, r in zip(outs, records) if "zarechnev" in r["id"])
    assert "Zarechnev" not in zarechnev["text"] and "41234/15" in zarechnev["text"]
