"""Findings the Court's digests report for their one case: an information note's "Conclusion"
lines, a press release's headline. Near-misses: what is not plain is left out, never guessed.
"""

from __future__ import annotations

import pytest

from pipeline.structure.digest_findings import release_findings, summary_findings
from pipeline.structure.echr import parse_echr

NOTES = [
    ("law part names the article", "Law – Article 10: The refusal was not justified.\nConclusion: violation "
     "(unanimously).", [("10", "violation")]),
    ("French, no violation", "En droit : Article 2 – La Cour n'est pas en mesure de dire ...\nConclusion : "
     "non-violation (unanimité).", [("2", "no_violation")]),
    ("a paragraph and a Protocol", "Article 1 of Protocol No. 1: The deprivation was lawful.\nConclusion: no "
     "violation (five votes to two).", [("P1-1", "no_violation")]),
    ("inadmissible complaint", "En droit – Article 6 § 1 : la nouvelle requête ne contient rien de nouveau.\n"
     "Conclusion : irrecevable (incompatibilité ratione materiae).", [("6-1", "inadmissible")]),
    ("the conclusion names its article", "Law – The Court examined the complaints together.\nConclusion: "
     "violation of Article 8 (unanimously).", [("8", "violation")]),
    # near-misses
    ("friendly settlement is not a finding", "Law – Article 37: The parties reached a settlement.\nConclusion: "
     "struck out (friendly settlement).", []),
    ("two outcomes in one line are not plain", "Law – Article 3: ...\nConclusion: violation of Article 3 and "
     "no violation of Article 5.", []),
    ("no article named anywhere", "Law – The Court considered the facts.\nConclusion: violation (unanimously).", []),
    ("just satisfaction is not a finding", "Article 41: EUR 2,000 in respect of non-pecuniary damage.\n"
     "Conclusion: violation.", []),
]


@pytest.mark.parametrize("name,text,expected", NOTES, ids=[n[0] for n in NOTES])
def test_note_conclusions(name: str, text: str, expected: list) -> None:
    assert [(h.article, h.outcome) for h in summary_findings(text)] == expected


RELEASES = [
    ("headline bullets", "In today’s Chamber judgment the Court held, unanimously, that there had been:\n"
     "a violation of Article 3 (prohibition of torture), and\nno violation of Article 5 § 1 (right to liberty).\n"
     "Principal facts\nThe applicant alleged a violation of Article 8.",
     [("3", "violation"), ("5-1", "no_violation")]),
    ("held sentence", "The Court held unanimously that there had been a violation of Article 10 (freedom of "
     "expression).\n1. Principal facts\n", [("10", "violation")]),
    ("held no violation", "The Court held by four votes to three that there had been no violation of Article 8.\n",
     [("8", "no_violation")]),
    ("French plural", "Violation des articles 2 et 3 (absence d’enquête effective)\nPrincipaux faits\n",
     [("2", "violation"), ("3", "violation")]),
    ("complaints left unexamined, in the account of the judgment", "Violation de l’article 2\nPrincipaux faits\n"
     "Décision de la Cour\nLa Cour ne juge pas nécessaire de procéder à un examen séparé des griefs tirés des "
     "articles 6 et 13 ; les arguments sont analysés sous l’angle de l’article 2.\n",
     [("2", "violation"), ("6", "not_necessary_to_examine"), ("13", "not_necessary_to_examine")]),
    ("the same in English", "No violation of Article 8\nPrincipal facts\nDecision of the Court\nThe Court did not "
     "consider it necessary to examine separately the complaint under Article 13.\n",
     [("8", "no_violation"), ("13", "not_necessary_to_examine")]),
    # near-misses
    ("'these complaints' name no article", "Violation of Article 3\nPrincipal facts\nThe Court found that it "
     "was not necessary to examine these complaints.\n", [("3", "violation")]),
    ("a necessity in the facts is no ruling", "Violation of Article 3\nPrincipal facts\nThe applicant argued it "
     "was not necessary to examine the complaint under Article 5 before the domestic courts.\n",
     [("3", "violation")]),
    ("after the account of the judgment, just satisfaction", "Violation of Article 3\nPrincipal facts\n"
     "Just satisfaction (Article 41)\nThe Court did not consider it necessary to examine separately the "
     "complaint under Article 13.\n", [("3", "violation")]),
    ("a complaint is not a finding", "The applicant complained of a violation of Article 6.\n"
     "Principal facts\n", []),
    ("the facts are not the headline", "Principal facts\nViolation of Article 3 was alleged by the applicant.\n", []),
]


@pytest.mark.parametrize("name,text,expected", RELEASES, ids=[r[0] for r in RELEASES])
def test_release_findings(name: str, text: str, expected: list) -> None:
    assert [(h.article, h.outcome) for h in release_findings(text)] == expected


def test_a_release_of_several_cases_reports_no_findings() -> None:
    text = ("ECHR 200 (2018)\n14.06.2018\nForthcoming judgments\n"
            "Ivanov v. Russia (application no. 11111/11)\nViolation of Article 3\n"
            "Petrov v. Bulgaria (application no. 22222/12)\nNo violation of Article 6\n")
    j = parse_echr(text)
    assert (j.kind, j.title, j.holdings) == ("echr_press_release", None, [])


def test_a_note_reports_its_findings_through_the_parser() -> None:
    text = ("Information Note on the Court’s case-law 210\nAugust 2017\nBrown v. Sweden - 12345/12\n"
            "Judgment 12.9.2017 [Section III]\nArticle 8\nLaw – Article 8: The publication was unjustified.\n"
            "Conclusion: violation (unanimously).\n")
    j = parse_echr(text)
    assert (j.kind, [(h.article, h.outcome) for h in j.holdings]) == ("echr_summary", [("8", "violation")])


CONCLUSIONS = [
    ("Information Note on the Court’s case-law 203\n\nArticle 10\n\nArticle 10-1\n\nFreedom to receive information\n\n"
     "Law – Article 10: The interference was not justified.\n\nConclusion : violation (unanimously).\n\n"
     "Article 41: Finding of a violation constituted sufficient just satisfaction.", [("10", "violation")]),
    ("Article 2\n\nObligations positives\n\na) Responsabilité quant à l’homicide présumé : ...\n\nConclusion : "
     "non-violation (unanimité).\n\nb) Effectivité de l’enquête : ...\n\nConclusion :violation(unanimité).\n\n"
     "Article 3 – Le requérant a connu désarroi et angoisse.\n\nConclusion : violation en ce qui concerne le "
     "requérant (unanimité).\n\nArticle 41 – 30 000 EUR pour dommage moral.",
     [("2", "no_violation"), ("2", "violation"), ("3", "violation")]),
    ("Article 6\n\nConclusion : irrecevable (incompatibilité ratione materiae).", [("6", "inadmissible")]),
    # a conclusion that is no holding on a provision
    ("Article 35\n\nConclusion : preliminary objection dismissed (unanimously).", []),
    # press releases: headlines and "The Court held"; a complaint is no holding
    ("Violation des articles 2 et 3 (absence d’enquête effective) concernant tous les requérants\n\n"
     "Non-violation de l’article 3 concernant les proches\n\nPrincipaux faits\n\nLes requérants dénonçaient une "
     "violation de l’article 8.", [("2", "violation"), ("3", "violation"), ("3", "no_violation")]),
    ("In today’s Chamber judgment the European Court of Human Rights held unanimously that there had been a "
     "violation of Article 10 (freedom of expression). Relying on Article 8, the applicant complained about a "
     "violation of her right to reputation.", [("10", "violation")]),
    ("The Court held, by four votes to three, that there had been no violation of Article 8.",
     [("8", "no_violation")]),
]


@pytest.mark.parametrize("text,expected", CONCLUSIONS, ids=[c[0][:40] for c in CONCLUSIONS])
def test_conclusions_of_notes_and_press_releases(text: str, expected: list) -> None:
    """Either reader finds these; the parser picks one by the document's kind."""
    assert [(h.article, h.outcome) for h in summary_findings(text) or release_findings(text)] == expected
