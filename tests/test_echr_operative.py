"""The operative part of ECHR texts: found under every heading, bounded, and read with negation.

Each excerpt below is written for this test, modelled on a phenomenon seen in HUDOC texts of
every era (1960s Plenary judgments, Series A, the 1990s "Reports", the new Court, Commission
decisions, English and French). Each table holds the phenomenon and its near-misses: the case
that must not match. The rule that matters most: a sentence that finds no violation never yields
a violation, and a point the reader is not sure of is ``other``.
"""

from __future__ import annotations

import pytest

from pipeline.structure.operative import find_operative, read_operative

Pairs = list[tuple[str | None, str]]


def pairs(text: str) -> Pairs:
    return [(h.article, h.outcome) for h in read_operative(text)[0]]


# -- headings -------------------------------------------------------------------------------------

HEADINGS = [
    # the modern heading, its vote on the same line, the point on the next
    ("FOR THESE REASONS, THE COURT, UNANIMOUSLY,\n1.  Holds that there has been a violation of Article 3;",
     [("3", "violation")]),
    # a HUDOC misprint of the 1980s
    ("FOR THE REASONS, THE COURT\n\n1. Holds by fifteen votes to four that there is a breach of Article 8 (art. 8);",
     [("8", "violation")]),
    # French without accents, as old HUDOC texts print it
    ("PAR CES MOTIFS, LA COUR, A L'UNANIMITE,\n\nDit qu'il n'y a pas eu violation de l'article 7 par. 1 (art. 7-1).",
     [("7-1", "no_violation")]),
    ("PAR CES MOTIFS, LA COUR, À L’UNANIMITÉ,\n1. Dit qu’il y a eu violation de l’article 5 § 4 de la Convention ;",
     [("5-4", "violation")]),
    # a roman-numeral sub-heading right after the heading, on its own line
    ("FOR THESE REASONS, THE COURT\n\nI. ON THE GOVERNMENT’S PRELIMINARY PLEA\n\n1. Holds by fourteen votes to one "
     "that the applicants can claim to be \"victims\" within the meaning of Article 25 (art. 25);\n\n"
     "II. ON THE MANNER OF ESTABLISHING MATERNAL AFFILIATION\n\n2. Holds by ten votes to five that there has been "
     "breach of Article 8 (art. 8) of the Convention, taken alone;",
     [(None, "other"), ("8", "violation")]),
    # a long French sub-heading that itself speaks of a violation: it is no point
    ("PAR CES MOTIFS, LA COUR,\n\nI. QUANT AU POINT DE SAVOIR SI LE REQUÉRANT A ÉTÉ VICTIME D’UNE VIOLATION DE "
     "L’ARTICLE 6 PAR. 1 (art. 6-1) DANS LES PROCÉDURES QU’IL POURSUIVIT POUR OBTENIR L’APPROBATION D’UNE MUTATION\n\n"
     "1. Dit, à l’unanimité, que dans lesdites procédures il n’y a pas eu violation de l’article 6 par. 1 (art. 6-1);",
     [("6-1", "no_violation")]),
    # a flattened export: the number at the end of the heading line, the sub-heading inline
    ("FOR THESE REASONS, THE COURT I.\n\nPreliminary issues 1.\n\nHolds unanimously that it has jurisdiction "
     "to examine the preliminary issues;", [(None, "other")]),
    # lower-case verbs
    ("FOR THESE REASONS, THE COURT\n1. holds that there has been a violation of Article 10 of the Convention;",
     [("10", "violation")]),
    # small capitals flattened to lower case by an HTML export, the verb inline
    ("for these reasons, the court unanimously Declares the application inadmissible.", [(None, "inadmissible")]),
    # the Commission, in capitals
    ("For these reasons, the Commission, by a majority,\n\nDECLARES THE APPLICATION INADMISSIBLE.",
     [(None, "inadmissible")]),
    ("En conséquence, la Commission, à l'unanimité,\n\nDECLARE LA REQUETE RECEVABLE, tous moyens de fond réservés.",
     [(None, "other")]),
    # 1960s Plenary: points numbered (i), (ii)
    ("FOR THESE REASONS, THE COURT,\n\nUnanimously,\n\n(i) Dismisses the plea in bar;\n\n(ii) States that there "
     "was no breach of Article 7 (art. 7) of the Convention;", [(None, "other"), ("7", "no_violation")]),
    # elided points of an extract
    ("FOR THESE REASONS, THE COURT\n...\n\n4. Holds, by six votes to one, that there has been a violation of "
     "Article 8 of the Convention;", [("8", "violation")]),
]


@pytest.mark.parametrize("text,expected", HEADINGS, ids=[h[0][:40] for h in HEADINGS])
def test_headings(text: str, expected: Pairs) -> None:
    assert find_operative(text) is not None
    assert pairs(text) == expected


NOT_HEADINGS = [
    # the reasoning's own conclusion, and a judge's
    "54. For these reasons, the Court considers that there has been a violation of Article 8 of the Convention.",
    "99. Par ces motifs, la Cour conclut à l’absence de violation de l’article 6 par. 1 (art. 6-1).",
    "Par ces motifs, j’estime qu’il y a eu violation de l’article 5 par. 3.",
    "For these reasons, I voted for a violation of Article 6.",
    # a heading with no point after it is a sentence
    "For these reasons, the Court must reject the Government's objection.",
]


@pytest.mark.parametrize("text", NOT_HEADINGS, ids=[t[:40] for t in NOT_HEADINGS])
def test_reasoning_sentences_are_not_headings(text: str) -> None:
    assert find_operative(text) is None


# -- bounds ---------------------------------------------------------------------------------------

SIGNED = ("\n\nDone in English, and notified in writing on 10 March 2011.\n\nSøren Nielsen\tNina Vajić\n"
          "Registrar\tPresident\n")

AFTER_THE_POINTS = [
    # the separate opinion after the signatures
    ("FOR THESE REASONS, THE COURT\n1. Holds, by four votes to three, that there has been no violation of Article 6 "
     "§ 1 of the Convention;" + SIGNED + "\nPARTLY DISSENTING OPINION OF JUDGE X\n\nI voted for a violation of "
     "Article 6. In my opinion, there has been a violation of Article 13 as well.", [("6-1", "no_violation")]),
    # no heading line for the opinion, only its announcement
    ("FOR THESE REASONS, THE COURT\n1. Holds that there has been no violation of Article 8;" + SIGNED +
     "In accordance with Article 45 § 2 of the Convention and Rule 74 § 2 of the Rules of Court, the separate "
     "opinion of Judge Y is annexed to this judgment.\nThere has been a violation of Article 8.",
     [("8", "no_violation")]),
    # French: "Fait en français", an opinion heading inline in a flattened export, without accents
    ("PAR CES MOTIFS, LA COUR, 1.\n\nDit , à l'unanimité, qu'il y a eu violation de l'article 6 § 1 de la "
     "Convention\n\n;"
     "\n\n2. Rejette , par cinq voix contre deux, la demande de satisfaction équitable pour le surplus. Fait en "
     "français, puis communiqué par écrit le 21 décembre 2010. Stanley Naismith Françoise Tulkens Greffier "
     "Présidente F.T. S.H.N. OPINION PARTIELLEMENT DISSIDENTE COMMUNE AUX JUGES A ET B\n\n1. Il y a eu violation "
     "de l'article 13 et de l'article 1 du Protocole no 1. 2. Dit qu'il y a eu violation de l'article 8.",
     [("6-1", "violation"), (None, "other")]),
    ("PAR CES MOTIFS, LA COUR\n1. Dit qu'il n'y a pas eu violation de l'article 8;\nFait en français, puis "
     "communiqué par écrit le 6 juin 2013.\nOPINION SEPAREE DU JUGE Z\n1. Dit qu'il y a eu violation de l'article 8.",
     [("8", "no_violation")]),
    # a decision signed without "Done in": the names, then the Registrar and the President
    ("For these reasons, the Court unanimously Declares the application inadmissible.\n\nSantiago Quesada\n\n"
     "Josep Casadevall\n\nRegistrar\n\nPresident\n\n[1] The applicant alleged a violation of Article 3.",
     [(None, "inadmissible")]),
    ("Par ces motifs, la Cour, à l’unanimité, Déclare la requête irrecevable. Stanley Naismith\n\nDanutė Jočienė\n\n"
     "Greffier\n\nPrésidente\n\n", [(None, "inadmissible")]),
    # the registry's footnotes and an appendix
    ("FOR THESE REASONS, THE COURT UNANIMOUSLY\n\n1. Holds that there has been a breach of Article 5 § 1;\n\n"
     "Signed: Rolv Ryssdal\n\nPresident\n\n[2] . The case is numbered 119/1996/738/937; the Commission found a "
     "violation of Article 13.\n\nAPPENDIX\n\n1. Holds that there has been a violation of Article 2.",
     [("5-1", "violation")]),
]


@pytest.mark.parametrize("text,expected", AFTER_THE_POINTS, ids=[t[0][30:70] for t in AFTER_THE_POINTS])
def test_nothing_after_the_points_is_read(text: str, expected: Pairs) -> None:
    assert pairs(text) == expected


def test_the_operative_span_stops_at_the_opinion() -> None:
    text = AFTER_THE_POINTS[2][0]
    bounds = find_operative(text)
    assert bounds is not None and bounds.opinions is not None
    assert "OPINION" not in text[bounds.start: bounds.end]
    assert text[bounds.start: bounds.end].rstrip().endswith("F.T. S.H.N.")


def test_a_decision_keeps_its_point_without_the_signatures() -> None:
    holdings = read_operative(AFTER_THE_POINTS[4][0])[0]
    assert [h.text for h in holdings] == ["Declares the application inadmissible"]


# -- reading a point ------------------------------------------------------------------------------

POINTS = [
    # negation
    ("Holds that there has been no violation of Article 8 of the Convention", [("8", "no_violation")]),
    ("Holds that the non-enforcement of his right of custody did not constitute a violation of Article 8 (art. 8) "
     "of the Convention", [("8", "no_violation")]),
    ("Holds that the facts found do not disclose a breach of Article 5", [("5", "no_violation")]),
    # a Committee's formula: the complaints are the subject, the breach is found
    ("Holds that these complaints disclose a breach of Article 5 § 3 of the Convention concerning the excessive "
     "length of pre-trial detention", [("5-3", "violation")]),
    ("Dit que ces griefs révèlent une violation de l’article 5 § 3 de la Convention", [("5-3", "violation")]),
    ("Holds that these complaints do not disclose a breach of Article 5 § 3", [("5-3", "no_violation")]),
    ("Holds that the applicant complained of a breach of Article 3", [(None, "other")]),
    ("Holds that Article 10 has not been violated", [("10", "no_violation")]),
    ("Holds that neither Article 8 nor Article 14 of the Convention has been violated",
     [("8", "no_violation"), ("14", "no_violation")]),
    ("Holds that there has been no procedural violation of Article 3 of the Convention", [("3", "no_violation")]),
    ("Holds that no violation of Article 1 of Protocol No. 1 has been established", [("P1-1", "no_violation")]),
    ("Holds that the applicant’s removal to Sudan would not give rise to a violation of Article 3",
     [("3", "no_violation")]),
    ("Dit qu'il n'y a eu violation ni de l'article 3 (art. 3) ni de l'article 12 (art. 12) de la Convention",
     [("3", "no_violation"), ("12", "no_violation")]),
    ("Dit qu’il n’y a pas eu violation de l’article 1 du Protocole no 1", [("P1-1", "no_violation")]),
    ("Dit que l'État défendeur n'a pas manqué aux obligations lui incombant au titre de l'article 34 de la Convention",
     [("34", "no_violation")]),
    ("Dit qu'il y n'a pas eu violation de l'article 3 de la Convention", [("3", "no_violation")]),
    ("Dit que la mesure litigieuse n'emporte pas violation de l'article 8", [("8", "no_violation")]),
    # near-misses of negation: the finding stands, or nothing is read
    ("Holds that there has been a violation of Article 6 § 1 of the Convention in that the applicant did not have "
     "a fair hearing", [("6-1", "violation")]),
    ("Holds that the fact that the applicant was not heard constituted a violation of Article 6",
     [(None, "other")]),
    ("Holds that the voluntary reporting by the applicants does not suffice to establish the absence of any "
     "violation of the Convention", [(None, "other")]),
    ("Holds that, in respect of application no. 12345/06, there has been a violation of Article 3",
     [("3", "violation")]),
    ("Holds that the dismissal cannot be regarded as a violation of Article 8", [(None, "other")]),
    # scope: two findings in one point
    ("Holds that there has been a violation of Article 3 under its procedural limb and no violation under its "
     "substantive limb", [("3", "violation"), ("3", "no_violation")]),
    ("Holds that there has been a violation of the procedural limb of Article 3 on account of the authorities’ "
     "failure to investigate the applicants’ allegations of ill-treatment and no violation of the substantive limb "
     "of that Article", [("3", "violation"), ("3", "no_violation")]),
    ("Holds that there has been a breach of Article 6 § 1 and no other violation", [("6-1", "violation")]),
    ("Holds that there has been a violation of Article 5 § 1 and no violation of Article 5 § 4",
     [("5-1", "violation"), ("5-4", "no_violation")]),
    ("Holds that there has been a violation of Article 3 in respect of the first applicant and of Article 5 § 1 "
     "in respect of the second applicant", [("3", "violation"), ("5-1", "violation")]),
    ("Holds that there has been a violation of Article 13 in relation to the applicant’s complaint under Article 8",
     [("13", "violation")]),
    ("Holds that Article 6 para. 1 (art. 6-1) is applicable in the present case and has been violated",
     [("6-1", "violation")]),
    ("Holds that the detention continued after 14 January 1966 in violation of Article 5 § 3",
     [("5-3", "violation")]),
    ("Holds that the applicant's removal to Somalia would be in violation of Article 3", [("3", "violation")]),
    # not necessary to examine, no separate issue
    ("Holds that it is not necessary to examine the complaint under Article 13", [("13", "not_necessary_to_examine")]),
    ("Holds that no separate issue arises under Article 14 taken together with Article 3",
     [("14+3", "not_necessary_to_examine")]),
    ("Holds that the applicant’s complaint under Article 5 § 4 of the Convention gives rise to no separate issue",
     [("5-4", "not_necessary_to_examine")]),
    ("Holds that a separate examination of the complaint under Article 13 is not called for",
     [("13", "not_necessary_to_examine")]),
    ("Dit, à l’unanimité, qu’il ne s’impose pas de rechercher s’il y a eu violation de l’article 14 combiné avec "
     "l’article 10 (art. 14+10)", [("14+10", "not_necessary_to_examine")]),
    ("Dit qu'aucune question distincte ne se pose sous l'angle de l'article 17 de la Convention",
     [("17", "not_necessary_to_examine")]),
    ("Holds that it is not called upon to pronounce on the alleged breach of Article 6 (art. 6)",
     [("6", "not_necessary_to_examine")]),
    ("Holds that it is unnecessary to rule on the Government's preliminary objection", [(None, "other")]),
    ("Holds that it is not necessary to apply Article 50 (art. 50) in this instance", [(None, "other")]),
    # applicability: other, with its provision
    ("Holds that Article 6 § 1 of the Convention is not applicable in the instant case", [("6-1", "other")]),
    ("Holds that Article 6 (art. 6) of the Convention does not apply to the said special supervision",
     [("6", "other")]),
    ("Dit que l'article 8 de la Convention (art. 8) s'applique en l'espèce", [("8", "other")]),
    # objections, jurisdiction, standing, admissibility, strike-out, just satisfaction
    ("Dismisses the Government’s preliminary objection", [(None, "other")]),
    ("Joins to the merits the Government’s objection concerning the alleged violation of Article 3",
     [(None, "other")]),
    ("Rejette l’exception préliminaire du Gouvernement tirée du non-épuisement des voies de recours internes",
     [(None, "other")]),
    ("Holds that the applicants can claim to be victims of a violation of Article 8", [(None, "other")]),
    ("Holds that it has jurisdiction to examine the alleged violation of Article 2", [(None, "other")]),
    ("Declares the complaint under Article 13 inadmissible", [("13", "inadmissible")]),
    ("Declares admissible the complaint concerning the alleged violation of Article 3", [(None, "other")]),
    ("Decides to strike the application out of its list of cases", [(None, "other")]),
    ("Dit que le constat de violation constitue une satisfaction suffisante pour le préjudice moral",
     [(None, "other")]),
    ("Decides to give notice to the Government of the complaint about the alleged transfers, in violation of "
     "Article 8", [(None, "other")]),
]


@pytest.mark.parametrize("point,expected", POINTS, ids=[p[0][:60] for p in POINTS])
def test_points(point: str, expected: Pairs) -> None:
    assert pairs("FOR THESE REASONS, THE COURT UNANIMOUSLY\n\n1. " + point + ";") == expected


def test_no_violation_never_reads_as_a_violation() -> None:
    """GIVEN every sentence of the table that finds no violation THEN none yields a violation."""
    for point, expected in POINTS:
        if all(outcome == "no_violation" for _, outcome in expected):
            assert "violation" not in [o for _, o in pairs("FOR THESE REASONS, THE COURT\n1. " + point + ";")]


def test_that_provision_refers_to_the_point_before() -> None:
    """'no violation of that provision', 'no such violation thereafter', 'dudit article': the
    provision of the point before, when it names one."""
    text = ("FOR THESE REASONS, THE COURT UNANIMOUSLY\n\n1. Holds that Article 6 (art. 6) of the Convention does not "
            "apply to the special supervision;\n\n2. Holds that there has been no violation of that provision as "
            "regards the length of the confiscation proceedings;\n\n3. Holds that the non-enforcement constituted a "
            "violation of Article 8;\n\n4. Holds that there was no such violation thereafter;")
    assert pairs(text) == [("6", "other"), ("6", "no_violation"), ("8", "violation"), ("8", "no_violation")]
    french = ("PAR CES MOTIFS, LA COUR, A L'UNANIMITE,\n\n1. Dit qu'il y a eu violation de l'article 6 par. 1 de la "
              "Convention (art. 6-1) en ce qui concerne la procédure pénale;\n\n2. Dit qu'il y a eu violation dudit "
              "article en ce qui concerne la procédure disciplinaire;")
    assert pairs(french) == [("6-1", "violation"), ("6-1", "violation")]


def test_each_holding_keeps_its_sentence_and_vote() -> None:
    holdings, _ = read_operative("PAR CES MOTIFS, LA COUR, A L'UNANIMITE,\n\n1. Dit, par six voix contre une, "
                                 "qu'il n'y a pas eu violation de l'article 8;\n2. Rejette la demande de "
                                 "satisfaction équitable.\nFait en français, puis communiqué par écrit.")
    assert [(h.text, h.vote) for h in holdings] == [
        ("Dit, par six voix contre une, qu'il n'y a pas eu violation de l'article 8", "par six voix contre une"),
        ("Rejette la demande de satisfaction équitable", "a l'unanimite")]


# -- translations ---------------------------------------------------------------------------------
# Judgments translated in Ukraine and Russia keep the Court's layout: "ЗА ЦИХ ПІДСТАВ СУД
# ОДНОГОЛОСНО", "ПО ЭТИМ ОСНОВАНИЯМ ЕВРОПЕЙСКИЙ СУД", points "1. Оголошує ...", "2. Постановляє, що
# ...", and "Вчинено англійською мовою ..." / "Совершено на английском языке ..." for "Done in".

TRANSLATED = [
    ("ЗА ЦИХ ПІДСТАВ СУД ОДНОГОЛОСНО\n\n1. Оголошує заяву прийнятною.\n\n2. Постановляє, що у цій справі мало "
     "місце порушення пункту 1 статті 5 Конвенції.\n\nВчинено англійською мовою і повідомлено письмово 18 лютого "
     "2010 року.\n\nСекретар Голова\n\nОКРЕМА ДУМКА СУДДІ Х\n\n1. Постановляє, що було порушення статті 3.",
     [(None, "other"), ("5-1", "violation")]),
    # the negation after the provision, a Latin "c" typed inside "статті"
    ("З ЦИХ ПІДСТАВ СУД\n\n1. Постановляє, п’ятнадцятьма голосами проти двох, що порушення матеріального аспекту "
     "cтатті 2 Конвенції не було;\n\n2. Постановляє, одноголосно, що мало місце порушення процесуального аспекту "
     "cтатті 2 Конвенції;", [("2", "no_violation"), ("2", "violation")]),
    ("НА ЦИХ ПІДСТАВАХ СУД:\n\n1. 1. Одноголосно вирішує об’єднати заяви;\n\n2. Одноголосно постановляє, що немає "
     "необхідності розглядати скаргу за статтею 7 Конвенції;",
     [(None, "other"), ("7", "not_necessary_to_examine")]),
    ("ЗА ЦИХ ПІДСТАВ СУД ОДНОГОЛОСНО\n\n1. Вирішує, що було порушено статтю 1 Першого протоколу;\n\n2. Постановляє, "
     "що було порушення статті 13 у поєднанні зі статтею 8 Конвенції;\n\n3. Постановляє, що визнання порушення "
     "як таке становить достатню сатисфакцію;\n\n4. Постановляє, що зазначені вище порушення є наслідком "
     "несумісної з положеннями Конвенції практики;\n\n5. Вирішує, що необхідність окремо розглядати скаргу за "
     "п. 1 ст. 6 Конвенції відсутня;",
     [("P1-1", "violation"), ("13+8", "violation"), (None, "other"), (None, "other"),
      ("6-1", "not_necessary_to_examine")]),
    ("ПО ЭТИМ ОСНОВАНИЯМ ЕВРОПЕЙСКИЙ СУД\n\nпостановил, что по настоящему делу требования статьи 1 Протокола № 1 "
     "к Конвенции нарушены не были (принято пятнадцатью голосами «за» и двумя голосами «против»).\n\nСовершено "
     "на английском и на французском языке.", [("P1-1", "no_violation")]),
    ("НА ЭТИХ ОСНОВАНИЯХ СУД ЕДИНОГЛАСНО:\n\n1) постановил, что в данном деле имело место нарушение статьи 1 "
     "Протокола N 1 к Конвенции; 2) решил не присуждать \"справедливую компенсацию\".",
     [("P1-1", "violation"), (None, "other")]),
    ("ПО ЭТИМ ОСНОВАНИЯМ СУД ЕДИНОГЛАСНО\n\n1. Постановляет, что не было допущено нарушения статьи 3 Конвенции;\n\n"
     "2. Постановляет, что имело место нарушение пункта 1 статьи 6 Конвенции;",
     [("3", "no_violation"), ("6-1", "violation")]),
]


@pytest.mark.parametrize("text,expected", TRANSLATED, ids=[t[0][30:70] for t in TRANSLATED])
def test_translated_operative_parts(text: str, expected: Pairs) -> None:
    assert pairs(text) == expected


def test_a_translation_keeps_its_vote() -> None:
    holdings, _ = read_operative(TRANSLATED[1][0])
    assert [h.vote for h in holdings] == ["п’ятнадцятьма голосами проти двох", "одноголосно"]


def test_reasons_of_a_violation_are_not_rulings() -> None:
    """'not necessary in a democratic society' gives the reason for a violation; it is no
    'not necessary to examine'. GIVEN 'applicable and that it was breached' THEN the provision of
    the applicability is the one breached."""
    assert pairs("FOR THESE REASONS, THE COURT\n1. Holds that there has been a violation of Article 8 in that the "
                 "interference was not necessary in a democratic society;") == [("8", "violation")]
    assert pairs("FOR THESE REASONS, THE COURT\n1. Holds that Article 8 of the Convention was applicable and that it "
                 "was breached;") == [("8", "violation")]


def test_a_wrapped_line_ending_in_a_role_is_no_signature() -> None:
    """Old fixed-width texts wrap lines anywhere: 'refers the question back to the Registrar' at a
    line end is part of a point; 'Registrar' on a line of names is a signature."""
    text = ("FOR THESE REASONS, THE COURT\n\n1. Holds unanimously that the request is to be sent to the Registrar\n"
            "and that there has been a violation of Article 6 para. 1 (art. 6-1);\n\nSøren Nielsen Nina Vajić\n"
            "Registrar President\n\n[1] There has been a violation of Article 13.")
    assert pairs(text) == [("6-1", "violation")]


def test_whether_or_not_is_no_finding() -> None:
    text = ("FOR THESE REASONS, THE COURT\n1. Holds unanimously that the complaint under Article 8 falls to be "
            "considered in the context of the global assessment of whether or not there has been a violation of "
            "that Article;")
    assert pairs(text) == [(None, "other")]


def test_an_advisory_opinion_finds_no_violation() -> None:
    text = ("FOR THESE REASONS, THE COURT\n1. Declares, unanimously, the request for an advisory opinion admissible;\n"
            "2. Delivers, unanimously, the following opinion: a refusal to register the birth would not be in breach "
            "of Article 8 of the Convention.")
    assert pairs(text) == [(None, "other"), (None, "other")]
