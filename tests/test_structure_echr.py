"""parse_echr on small made-up texts in each layout, then on the hand-made gold of real judgments.

The snippets imitate the layouts found in ../shared/corpora/echr: the modern HUDOC judgment, the
French one, the Series A era ("In the Tyrer case, ..."), Court and Commission decisions, a
communicated case, a registry summary printed above the judgment, and HTML exports whose lines
were flattened ("... adopted on that date: PROCEDURE 1.\\n\\nThe case ...").
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.reference.states import state_names
from pipeline.structure.echr import COMMISSION, COURT, SAMPLE, parse_echr
from tools.evaluate.echr import GOLD, evaluate, load_gold

COMPOSITION = """The European Court of Human Rights (First Section), sitting as a {formation} composed of:

Nina Vajić, President,
Anatoly Kovler,
Julia Laffranque, judges,
and Søren Nielsen, Section Registrar,

Having deliberated in private on 17 February 2011,

Delivers the following judgment, which was adopted on that date:
"""

FRENCH = """TROISIÈME SECTION

AFFAIRE BAGDONAVICIUS ET AUTRES c. RUSSIE

(Requête n o 19841/06)

ARRÊT

STRASBOURG

11 octobre 2016

DÉFINITIF

06/03/2017

En l’affaire Bagdonavicius et autres c. Russie,

La Cour européenne des droits de l’homme (troisième section), siégeant en une chambre composée de :

Luis López Guerra, président,
Helena Jäderblom,
Helen Keller, juges,
et de Stephen Phillips, greffier de section,

Après en avoir délibéré en chambre du conseil le 13 septembre 2016,

Rend l’arrêt que voici, adopté à cette date :

PROCÉDURE

1. À l’origine de l’affaire se trouve une requête (no 19841/06) dirigée contre la Fédération de Russie.

2. Les requérants ont été représentés par Mes R. Skilbeck, J. Goldston, avocats à New York.

EN FAIT

3. Les requérants sont des Roms.

EN DROIT

4. La Cour rappelle.

PAR CES MOTIFS, LA COUR, À L’UNANIMITÉ,

1. Déclare la requête recevable quant au grief tiré de l’article 8 de la Convention et irrecevable quant au \
grief tiré de l’article 1 du Protocole n o 1 à la Convention ;

2. Dit qu’il y a eu violation de l’article 8 de la Convention ;

3. Dit, par six voix contre une, qu’il n’y a pas lieu d’examiner le grief tiré de l’article 14 combiné avec \
l’article 8 de la Convention ;

4. Dit
a) que l’État défendeur doit verser à chacun des requérants les sommes suivantes :
i. 500 EUR (cinq cents euros) pour dommage matériel ;
ii. 7 500 EUR (sept mille cinq cents euros) pour dommage moral ;

5. Rejette la demande de satisfaction équitable pour le surplus.

Fait en français, puis communiqué par écrit le 11 octobre 2016.
"""

TYRER_BODY = """In the Tyrer case,

The European Court of Human Rights, taking its decision in plenary session in pursuance of Rule 48 of the Rules \
of Court and composed of the following judges:

Mr. G. BALLADORE PALLIERI, President,
Mr. G. WIARDA,
Sir Gerald FITZMAURICE,
Mr. F. MATSCHER,
and also Mr. M.-A. EISSEN, Registrar, and Mr. H. PETZOLD, Deputy Registrar,

Having deliberated in private on 17 and 18 January 1978,

Delivers the following judgment, which was adopted on the last-mentioned date:

PROCEDURE

1. The Tyrer case was referred to the Court by the European Commission of Human Rights. The case originated in \
an application (no. 5856/72) against the United Kingdom of Great Britain and Northern Ireland lodged with the \
Commission under Article 25 (art. 25).

AS TO THE FACTS

2. The applicant, Mr. Anthony M. Tyrer, was born in 1956.

AS TO THE LAW

3. The Court recalls.

FOR THESE REASONS, THE COURT

1. Decides by six votes to one not to strike the case off its list;

2. Holds by six votes to one that the judicial corporal punishment inflicted on Mr. Anthony M. Tyrer amounted \
to degrading punishment within the meaning of Article 3 (art. 3).

Done in English and French, the English text being authentic, at the Human Rights Building, Strasbourg, this \
twenty-fifth day of April one thousand nine hundred and seventy-eight.
"""

TYRER = "COURT (PLENARY)\n\nCASE OF TYRER v. THE UNITED KINGDOM\n\n(Application no. 5856/72)\n\nJUDGMENT\n\n" \
        "STRASBOURG\n\n25 April 1978\n\n" + TYRER_BODY

DECISION = """THIRD SECTION

DECISION

Application no. 52286/14
Abdullazhon Mamadzhanovich ISAKOV
against Russia

The European Court of Human Rights (Third Section), sitting on 5 July 2016 as a Chamber composed of:

Luis López Guerra, President,
Helena Jäderblom,
Helen Keller, judges,
and Stephen Phillips, Section Registrar,

Having regard to the above application lodged on 22 July 2014,

Having deliberated, decides as follows:

THE FACTS

1. Mr Isakov was born in 1963. The application was submitted by Ms N. Yermolayeva, a lawyer practising in Moscow.

THE LAW

2. The Court notes.

For these reasons, the Court, by a majority,

Declares the application inadmissible.

Done in English and notified in writing on 28 July 2016.
"""

COMMISSION_DECISION = """AS TO THE ADMISSIBILITY OF

Application No. 30913/96

by Dezider, Anna and Milan SLEPCIK,

against the Netherlands and

the Czech Republic

The European Commission of Human Rights sitting in private on 2 September 1996, the following members being present:

Mr.

S. TRECHSEL, President

Mrs.

G.H. THUNE

MM.

E. BUSUTTIL

Mr.

H.C. KRÜGER, Secretary to the Commission

Having regard to Article 25 of the Convention;

Having deliberated;

Decides as follows:

THE FACTS

The applicants are Roma.

THE LAW

The Commission recalls.

For these reasons, the Commission, unanimously,

DECLARES THE APPLICATION INADMISSIBLE.
"""

COMMUNICATED = """Communicated on 12 May 2015

THIRD SECTION

Application no. 12345/14
Ivan IVANOV
against Russia
lodged on 1 March 2014

STATEMENT OF FACTS

The applicant, Mr Ivan Ivanov, is a Russian national. He was beaten at the police station (see Mikheyev v. \
Russia, no. 77617/01, § 135, 26 January 2006).

QUESTIONS TO THE PARTIES

1. Has the applicant been subjected to torture, in breach of Article 3 of the Convention?
"""

SUMMARY_FIRST = """Information Note on the Court’s case-law No. 139

March 2011

CASE OF SOMEONE ELSE v. TURKEY (Application no. 99999/99) Judgment 1.1.2001

Article 14 – Discrimination – Refusal of residence permit to HIV-positive foreigner: violation

"""

FLATTENED = """FIRST SECTION

CASE OF KIM v. RUSSIA

(Application no. 44260/13)

JUDGMENT

STRASBOURG

17 July 2014

FINAL

17/10/2014

In the case of Kim v. Russia, The European Court of Human Rights (First Section), sitting as a Chamber composed of:

Isabelle Berro-Lefèvre, President,

Erik Møse, judges, and Søren Nielsen, Section Registrar, Having deliberated in private on 24 June 2014, \
Delivers the following judgment, which was adopted on that date: PROCEDURE 1.

The case originated in an application (no. 44260/13) against the Russian Federation. 2.

The applicant was represented by Mr Yu. Serov and Ms O.

Tseytlina, lawyers practising in St Petersburg. The Russian Government were represented by Mr G. Matyushkin. \
THE FACTS I.

THE CIRCUMSTANCES OF THE CASE 3.

The applicant was born in 1962. THE LAW I.

ALLEGED VIOLATION OF ARTICLE 3 4.

The Court reiterates. FOR THESE REASONS, THE COURT UNANIMOUSLY 1.

Declares the application admissible;

2. Holds that there has been a violation of Article 5 § 1 (f) of the Convention;

3. Holds (a)

that the respondent State is to pay the applicant the following amounts: (i)

EUR 30,000 (thirty thousand euros), plus any tax that may be chargeable, in respect of non-pecuniary damage; (ii)

EUR 1,070 (one thousand and seventy euros) in respect of costs and expenses. Done in English, and notified \
in writing on 17 July 2014.
"""


def judgment(points: str, formation: str = "Chamber") -> str:
    """A minimal modern judgment around an operative part."""
    head = SAMPLE.split("In the case of")[0]
    return (head + "In the case of Kiyutin v. Russia,\n\n" + COMPOSITION.format(formation=formation)
            + "\nPROCEDURE\n\n1. The case originated in an application.\n\nTHE LAW\n\n2. The Court.\n\n"
            + "FOR THESE REASONS, THE COURT, UNANIMOUSLY,\n\n" + points + "\n\nDone in English, and notified in "
            "writing on 10 March 2011.\n")


# -- header fields by layout ----------------------------------------------------------------------

HEADERS = [
    # (name, text, expected fields)
    ("modern English", SAMPLE, dict(
        kind="echr_judgment", court=COURT, title="CASE OF KIYUTIN v. RUSSIA", case_numbers=["2700/10"],
        respondent_states=["Russia"], date="2011-03-10", final_date="2011-09-15", formation="Chamber",
        president="Nina Vajić", judges=["Nina Vajić", "Anatoly Kovler", "Julia Laffranque"],
        representatives=["L. Komolova"], applicants=["Kiyutin"])),
    ("French", FRENCH, dict(
        kind="echr_judgment", title="AFFAIRE BAGDONAVICIUS ET AUTRES c. RUSSIE", case_numbers=["19841/06"],
        respondent_states=["Russia"], date="2016-10-11", final_date="2017-03-06", formation="Chamber",
        president="Luis López Guerra", representatives=["R. Skilbeck", "J. Goldston"])),
    ("Series A, with heading", TYRER, dict(
        kind="echr_judgment", title="CASE OF TYRER v. THE UNITED KINGDOM", case_numbers=["5856/72"],
        respondent_states=["United Kingdom"], date="1978-04-25", formation="Plenary",
        president="G. BALLADORE PALLIERI", judges=["G. BALLADORE PALLIERI", "G. WIARDA", "Gerald FITZMAURICE",
                                                   "F. MATSCHER"])),
    # without a heading nothing names the case as "X v. Y": no title, but § 1 gives number and State
    ("Series A, no heading", TYRER_BODY, dict(
        kind="echr_judgment", title=None, case_numbers=["5856/72"], respondent_states=["United Kingdom"],
        formation="Plenary", date=None)),
    ("Court decision", DECISION, dict(
        kind="echr_decision", court=COURT, title="Abdullazhon Mamadzhanovich ISAKOV v. Russia",
        case_numbers=["52286/14"], respondent_states=["Russia"], date="2016-07-05", formation="Chamber",
        final_date=None, applicants=["Abdullazhon Mamadzhanovich ISAKOV"])),
    ("Commission decision", COMMISSION_DECISION, dict(
        kind="echr_decision", court=COMMISSION, formation="Commission", case_numbers=["30913/96"],
        title="Dezider, Anna and Milan SLEPCIK v. the Netherlands and the Czech Republic",
        respondent_states=["Netherlands", "Czech Republic"], date="1996-09-02",
        president="S. TRECHSEL", judges=["S. TRECHSEL", "G.H. THUNE", "E. BUSUTTIL"])),
    ("communicated case", COMMUNICATED, dict(
        kind="echr_communicated", title="Ivan IVANOV v. Russia", case_numbers=["12345/14"],
        respondent_states=["Russia"], date="2015-05-12", formation=None, president=None, judges=[])),
    ("registry summary first", SUMMARY_FIRST + SAMPLE, dict(
        kind="echr_judgment", title="CASE OF KIYUTIN v. RUSSIA", case_numbers=["2700/10"],
        respondent_states=["Russia"], date="2011-03-10")),
    ("flattened HTML export", FLATTENED, dict(
        kind="echr_judgment", title="CASE OF KIM v. RUSSIA", case_numbers=["44260/13"], date="2014-07-17",
        final_date="2014-10-17", representatives=["Yu. Serov", "O. Tseytlina"],
        judges=["Isabelle Berro-Lefèvre", "Erik Møse"])),
    ("application range", SAMPLE.replace("(Application no. 2700/10)", "(Applications nos. 23878/94 to 23883/94)"),
     dict(case_numbers=["23878/94", "23879/94", "23880/94", "23881/94", "23882/94", "23883/94"])),
    ("range too long to be one", SAMPLE.replace("(Application no. 2700/10)", "(Applications nos. 100/94 to 900/94)"),
     dict(case_numbers=["100/94", "900/94"])),
    ("'and 2 others': the list in § 1", SAMPLE.replace(
        "(Application no. 2700/10)", "(Applications nos. 13122/11 and 2 others - see appended list)").replace(
        "an application (no. 2700/10)", "three applications (nos. 13122/11, 73303/11 and 19315/13)"),
     dict(case_numbers=["13122/11", "73303/11", "19315/13"])),
    ("Grand Chamber, two States", SAMPLE.replace("CASE OF KIYUTIN v. RUSSIA", "CASE OF X v.\nCYPRUS AND TURKEY")
     .replace("sitting as a Chamber", "sitting as a Grand Chamber"),
     dict(respondent_states=["Cyprus", "Turkey"], formation="Grand Chamber", title="CASE OF X v. CYPRUS AND TURKEY")),
    ("Committee", SAMPLE.replace("sitting as a Chamber", "sitting as a Committee"), dict(formation="Committee")),
]


@pytest.mark.parametrize("name,text,expected", HEADERS, ids=[h[0] for h in HEADERS])
def test_header_fields(name: str, text: str, expected: dict) -> None:
    j = parse_echr(text)
    got = {field: getattr(j, field) for field in expected}
    assert got == expected


def test_metadata_only_fills_gaps() -> None:
    """GIVEN a HUDOC record's metadata WHEN the text prints the field THEN the text wins."""
    j = parse_echr(SAMPLE, {"ecli": "ECLI:CE:ECHR:2011:0310JUD000270010", "app_no": "9999/99",
                            "date": "2000-01-01"})
    assert (j.ecli, j.case_numbers, j.date) == ("ECLI:CE:ECHR:2011:0310JUD000270010", ["2700/10"], "2011-03-10")
    bare = parse_echr(TYRER_BODY, {"date": "1978-04-25"})
    assert bare.date == "1978-04-25"


@pytest.mark.parametrize("printed,states", [
    ("RUSSIA", ["Russia"]), ("the Netherlands", ["Netherlands"]), ("THE CZECH REPUBLIC", ["Czech Republic"]),
    ("CYPRUS AND TURKEY", ["Cyprus", "Turkey"]), ("ROYAUME-UNI", ["United Kingdom"]), ("RUSSIE", ["Russia"]),
    ("the Russian Federation", ["Russia"]), ("BOSNIA AND HERZEGOVINA", ["Bosnia and Herzegovina"]),
    ("THE REPUBLIC OF MOLDOVA", ["Moldova"]), ("the police", []),
])
def test_state_names(printed: str, states: list[str]) -> None:
    assert state_names(printed) == states


# -- operative part -------------------------------------------------------------------------------

HOLDINGS = [
    ("1. Declares the application admissible;", [(None, "other")]),
    ("1. Declares the complaint under Article 3 admissible and the remainder of the application inadmissible;",
     [(None, "inadmissible")]),
    ("1. Declares the complaint under Article 13 inadmissible;", [("13", "inadmissible")]),
    ("2. Holds that there has been a violation of Article 3 of the Convention under its substantive limb;",
     [("3", "violation")]),
    ("2. Holds that there has been no violation of Article 3 of the Convention under its procedural limb;",
     [("3", "no_violation")]),
    ("2. Holds that there has been a violation of Article 14 of the Convention taken in conjunction with Article 8;",
     [("14+8", "violation")]),
    ("2. Holds that there has been a violation of Article 14 of the Convention read together with Article 8;",
     [("14+8", "violation")]),
    ("2. Holds that there has been a violation of Article 6 of the Convention and Article 1 of Protocol No. 1;",
     [("6", "violation"), ("P1-1", "violation")]),
    ("2. Holds that there has been a violation of Article 6 §§ 1 and 3 (c) of the Convention;",
     [("6-1+6-3-c", "violation")]),
    ("2. Holds that there has been a violation of Article 5 § 1 (f) of the Convention;", [("5-1-f", "violation")]),
    ("2. Holds that there has been a violation of Articles 8 and 13 of the Convention;",
     [("8", "violation"), ("13", "violation")]),
    ("2. Holds that there is no need to examine separately the complaint under Article 13 taken in conjunction "
     "with Article 2;", [("13+2", "not_necessary_to_examine")]),
    ("2. Holds that it is not necessary to consider whether there has been a violation of Article 6 § 1;",
     [("6-1", "not_necessary_to_examine")]),
    ("2. Holds that there has been a violation of Article 13 of the Convention by reason of the lack of a remedy "
     "for interferences with rights under Article 8;", [("13", "violation")]),
    ("2. Holds that the respondent State has failed to comply with its obligations under Article 34;",
     [("34", "violation")]),
    ("2. Holds that the respondent State has not failed to comply with its obligations under Article 34;",
     [("34", "no_violation")]),
    ("2. Holds that the applicant's removal to Somalia would violate Article 3 of the Convention;",
     [("3", "violation")]),
    ("2. Holds that the applicant's removal to Sudan would not be in violation of Article 3 of the Convention;",
     [("3", "no_violation")]),
    ("2. Holds that there has been a violation of Article 3 by the Russian Federation and no violation by the "
     "Republic of Moldova;", [("3", "violation"), ("3", "no_violation")]),
    ("2. Holds that there has been a violation of Article 2 of Protocol No. 4 to the Convention;",
     [("P4-2", "violation")]),
    ("2. Holds that Article 6 para. 1 (art. 6-1) of the Convention was not applicable;", [("6-1", "other")]),
    ("2. Holds that the application is inadmissible.", [(None, "inadmissible")]),
    ("2. Holds that the finding of a violation constitutes in itself sufficient just satisfaction;",
     [(None, "other")]),
    ("1. Decides to strike the application out of its list of cases;", [(None, "other")]),
    ("1. Rejects the Government's objection that the complaint under Article 3 is inadmissible;",
     [(None, "other")]),
    ("1. Joins to the merits the Government's preliminary objection and dismisses it;", [(None, "other")]),
]


@pytest.mark.parametrize("point,expected", HOLDINGS, ids=[h[0][3:60] for h in HOLDINGS])
def test_holdings(point: str, expected: list) -> None:
    j = parse_echr(judgment(point))
    assert [(h.article, h.outcome) for h in j.holdings] == expected


def test_holdings_keep_text_and_vote() -> None:
    j = parse_echr(judgment("1. Declares the application admissible;\n\n2. Holds, by six votes to one, that "
                            "there has been a violation of Article 3 of the Convention;"))
    assert [h.vote for h in j.holdings] == ["unanimously", "by six votes to one"]
    assert j.holdings[1].text.startswith("Holds, by six votes to one, that there has been a violation")


def test_unnumbered_points_of_html_exports() -> None:
    """GIVEN points that lost their numbers ("...; Holds , unanimously, ...") THEN each is a holding."""
    text = judgment("Declares , by a majority, the complaint under Article 8 admissible, and the remainder "
                    "inadmissible; Holds , unanimously, that there has been a violation of Article 8 of the "
                    "Convention; Dismisses , by five votes to two, the remainder of the claim.")
    assert [(h.article, h.outcome, h.vote) for h in parse_echr(text).holdings] == [
        (None, "inadmissible", "by a majority"), ("8", "violation", "unanimously"),
        (None, "other", "by five votes to two")]


def test_reasoning_sentence_is_not_the_operative_part() -> None:
    """'For these reasons, the Court considers that ...' in the law is not the operative part."""
    text = judgment("1. Holds that there has been no violation of Article 3;").replace(
        "2. The Court.", "2. For these reasons, the Court considers that there has been a violation of Article 8.")
    assert [(h.article, h.outcome) for h in parse_echr(text).holdings] == [("3", "no_violation")]


AWARDS = [
    ("3. Holds (a) that the respondent State is to pay the applicant EUR 20,000 (twenty thousand euros) in respect "
     "of non-pecuniary damage and EUR 350 (three hundred and fifty euros) in respect of costs and expenses;",
     [(20000.0, "EUR", "non_pecuniary"), (350.0, "EUR", "costs")]),
    ("3. Holds (a) that the respondent State is to pay: (i) EUR 5,000 (five thousand euros), plus any tax, in "
     "respect of pecuniary and non-pecuniary damage; (ii) GBP 28,642.87 (twenty-eight thousand pounds), in "
     "respect of costs and expenses;", [(5000.0, "EUR", "other"), (28642.87, "GBP", "costs")]),
    # a heading before a group of sums
    ("3. Holds (a) that the respondent State is to pay the applicants: (i) in respect of non-pecuniary damage: "
     "EUR 6,000 (six thousand euros) to Ms K.; EUR 3,200 (three thousand two hundred euros) to Mr S.; (ii) in "
     "respect of costs and expenses: EUR 500 (five hundred euros) to Mr S.;",
     [(6000.0, "EUR", "non_pecuniary"), (3200.0, "EUR", "non_pecuniary"), (500.0, "EUR", "costs")]),
    ("3. Holds (a) that the respondent State is to pay EUR 1,000 for pecuniary damage;",
     [(1000.0, "EUR", "pecuniary")]),
    ("3. Holds that the finding of a violation constitutes in itself sufficient just satisfaction;", []),
    ("4. Dismisses the remainder of the applicant's claim for just satisfaction (EUR 1,000,000).", []),
    # one head after several sums of an item covers them all; the next item has its own
    ("3. Holds (a) that the respondent State is to pay the applicants: (i) EUR 150 (one hundred and fifty "
     "euros) to the first applicant and EUR 180 (one hundred and eighty euros) to the second applicant, plus "
     "any tax that may be chargeable, in respect of pecuniary damage; (ii) EUR 3,000 (three thousand euros) to "
     "the first applicant and EUR 4,100 (four thousand one hundred euros) to the second applicant, in respect "
     "of non-pecuniary damage;",
     [(150.0, "EUR", "pecuniary"), (180.0, "EUR", "pecuniary"), (3000.0, "EUR", "non_pecuniary"),
      (4100.0, "EUR", "non_pecuniary")]),
    # the head before its sum; a sum deducted (legal aid already paid) is not ordered paid
    ("6. Holds (a) that the respondent State is to pay the applicant the following amounts: (i) for "
     "non-pecuniary damage, FRF 100,000 (one hundred thousand French francs); (ii) for costs and expenses, "
     "BGN 10,000 (ten thousand Bulgarian levs), less FRF 14,693 (fourteen thousand six hundred and ninety "
     "three French francs);",
     [(100000.0, "FRF", "non_pecuniary"), (10000.0, "BGN", "costs")]),
    # ... also with an article before the sum; a deduction that prints no sum drops none
    ("5. Holds unanimously (a) that the respondent State is to pay the applicant EUR 10,000 (ten thousand "
     "euros) in respect of costs and expenses, less the EUR 2,286.50 (two thousand two hundred and eighty-six "
     "euros fifty cents) already received from the Council of Europe;", [(10000.0, "EUR", "costs")]),
    ("5. Holds (a) that the respondent State is to pay the applicant EUR 10,000 (ten thousand euros) in "
     "respect of costs and expenses, less the legal aid, and EUR 2,000 (two thousand euros) in respect of "
     "non-pecuniary damage;", [(10000.0, "EUR", "costs"), (2000.0, "EUR", "non_pecuniary")]),
    # near miss of the head before its sum: a head that ends a clause is not the next sum's
    ("3. Holds (a) that the respondent State is to pay the applicant EUR 45,000 (forty-five thousand euros) in "
     "respect of non-pecuniary damage and EUR 8,000 (eight thousand euros) in respect of costs and expenses;",
     [(45000.0, "EUR", "non_pecuniary"), (8000.0, "EUR", "costs")]),
    # a total restating the sums before it is not a second award
    ("3. Holds (a) that the respondent State is to pay each of the applicants EUR 12,000 (twelve thousand "
     "euros) in respect of non-pecuniary damage, making a total of EUR 36,000 (thirty-six thousand euros), "
     "plus any tax that may be chargeable;", [(12000.0, "EUR", "non_pecuniary")]),
    # the shares of one sum paid to several payees add up to it: not further awards ...
    ("5. Holds (a) that the respondent State is to pay: (i) EUR 8,000 (eight thousand euros) to the applicant "
     "in respect of non-pecuniary damage; (ii) EUR 14,271 (fourteen thousand two hundred and seventy one "
     "euros) in respect of costs and expenses, to be paid as follows: (α) EUR 605 (six hundred and five "
     "euros) to the European Roma Rights Centre; (β) EUR 13,366 (thirteen thousand three hundred and "
     "sixty-six euros) to Ms M.; and (γ) EUR 300 (three hundred) to the Helsinki Committee;",
     [(8000.0, "EUR", "non_pecuniary"), (14271.0, "EUR", "costs")]),
    # ... but sums after "as follows" that do not add up to the one before are awards of their own
    ("5. Holds (a) that the respondent State is to pay EUR 5,000 (five thousand euros) in respect of "
     "costs and expenses and, as follows: (α) EUR 2,000 (two thousand euros) to Ms M. in respect of "
     "non-pecuniary damage; (β) EUR 1,000 (one thousand euros) to Mr S. in respect of non-pecuniary damage;",
     [(5000.0, "EUR", "costs"), (2000.0, "EUR", "non_pecuniary"), (1000.0, "EUR", "non_pecuniary")]),
    # a sum whose item names no head is not given another item's head
    ("3. Holds (a) that the respondent State is to pay: (i) EUR 2,000 (two thousand euros) in respect of "
     "pecuniary damage; (ii) EUR 700 (seven hundred euros) to the applicant's widow;",
     [(2000.0, "EUR", "pecuniary"), (700.0, "EUR", "other")]),
    # both heads named in full are still one head for both
    ("6. Holds (a) that the respondent State is to pay the applicants the following sums: (i) EUR 60,000 "
     "(sixty thousand euros) to Iulius M. in respect of pecuniary damage and non-pecuniary damage; (ii) EUR "
     "13,000 (thirteen thousand euros) to Melenuta M. in respect of pecuniary damage;",
     [(60000.0, "EUR", "other"), (13000.0, "EUR", "pecuniary")]),
    ("6. Holds by six votes to one that Sweden is to pay to the applicant company, for costs and expenses, "
     "60,000 (sixty thousand) Swedish crowns;", [(60000.0, "SEK", "costs")]),
    # Russian and Ukrainian translations name the heads in their words
    ("4. Постановляет относительно возмещения расходов и издержек, (а) что государство-ответчик обязано "
     "выплатить заявителям в течение трех месяцев 24 евро (двадцать четыре евро) плюс любые возможные налоги;",
     [(24.0, "EUR", "costs")]),
    ("3. Постановляет (a) что государство-ответчик обязано выплатить заявителю 10 000 евро (десять тысяч "
     "евро) в качестве компенсации морального вреда и 2 000 евро (две тысячи евро) в качестве компенсации "
     "судебных расходов;", [(10000.0, "EUR", "non_pecuniary"), (2000.0, "EUR", "costs")]),
    ("3. Постановляє (a) що держава-відповідач повинна сплатити заявнику 3 600 (три тисячі шістсот) євро "
     "відшкодування моральної шкоди;", [(3600.0, "EUR", "non_pecuniary")]),
    # near misses: both heads together are one head; a head of a claim dismissed is no award's
    ("3. Постановляет (a) что государство-ответчик обязано выплатить заявителю 5 000 евро (пять тысяч евро) "
     "в качестве компенсации материального ущерба и морального вреда;", [(5000.0, "EUR", "other")]),
    ("3. Постановляет, что государство-ответчик обязано выплатить заявителю 7 000 евро (семь тысяч евро) "
     "в качестве компенсации материального ущерба;", [(7000.0, "EUR", "pecuniary")]),
    # the currency only in the words after the figure; in capitals; a Ukrainian decimal comma
    ("5. Постановляє, що: a) держава-відповідач повинна виплатити заявниці 1200 (тисячу двісті євро) "
     "відшкодування моральної шкоди; (iii) 885,87 (вісімсот вісімдесят п’ять євро та вісімдесят сім центів) "
     "компенсації судових та інших витрат;", [(1200.0, "EUR", "non_pecuniary"), (885.87, "EUR", "costs")]),
    ("3. Встановлює, що: (a) держава-відповідач має сплатити заявникові: (i) 5890 ЄВРО (п'ять тисяч вісімсот "
     "дев'яносто ЄВРО) як відшкодування матеріальної шкоди; (ii) 1,40 євро (один євро і сорок центів) як "
     "відшкодування витрат;", [(5890.0, "EUR", "pecuniary"), (1.4, "EUR", "costs")]),
    # a judgment debt's loss to inflation is pecuniary; near miss: a moral-damage sum named next to it
    ("8. Постановляє, що: a) держава-відповідач має виплатити заявнику: i) існуючу заборгованість за "
     "судовими рішеннями, а також 174 (сто сімдесят чотири) євро, призначених з урахуванням інфляції; "
     "ii) 2500 (дві тисячі п'ятсот) євро - на відшкодування моральної шкоди;",
     [(174.0, "EUR", "pecuniary"), (2500.0, "EUR", "non_pecuniary")]),
    ("3. Постановляет, что государство-ответчик обязано выплатить заявителю 3 000 евро (три тысячи евро) "
     "в качестве компенсации морального вреда, с учетом инфляции;", [(3000.0, "EUR", "non_pecuniary")]),
    # near misses: words in brackets after a provision's number are no sum; a figure with its
    # currency only outside its brackets is read as before
    ("3. Постановляє, що держава-відповідач має сплатити відповідно до статті 41 (справедлива сатисфакція "
     "в євро) заявнику 2 000 (дві тисячі) євро відшкодування моральної шкоди;",
     [(2000.0, "EUR", "non_pecuniary")]),
]


# A page footnote that a PDF's text puts inside a point is no award; near miss: a sum on its own line
# inside a sentence is one.
PAGE_NOTES = [
    ("4. Постановляє, що: (b) держава-відповідач має сплатити заявнику 4000 (чотири тисячі) євро "
     "відшкодування моральної шкоди і 33 (тридцять три) євро компенсації судових витрат разом з будь-якими "
     "податками,\n\n7 Приблизно 72,32 євро.\n\nякі можуть нараховуватись;",
     [(4000.0, "EUR", "non_pecuniary"), (33.0, "EUR", "costs")]),
    ("4. Постановляє, що: (b) держава-відповідач має сплатити заявнику\n\n4000 (чотири тисячі) євро "
     "відшкодування моральної шкоди та\n\n33 (тридцять три) євро компенсації судових витрат.\n\nразом з податками;",
     [(4000.0, "EUR", "non_pecuniary"), (33.0, "EUR", "costs")]),
]


@pytest.mark.parametrize("point,expected", AWARDS + PAGE_NOTES, ids=[a[0][3:50] for a in AWARDS + PAGE_NOTES])
def test_awards(point: str, expected: list) -> None:
    j = parse_echr(judgment(point))
    assert [(a.amount, a.currency, a.head) for a in j.awards] == expected


@pytest.mark.parametrize("delivered, currency", [
    ("28 October 1998", "BGL"),     # before the lev was redenominated (5 July 1999)
    ("18 May 2000", "BGN"),
])
def test_a_redenominated_currency_is_read_as_of_the_judgment(delivered: str, currency: str) -> None:
    text = judgment("3. Holds that the respondent State is to pay the applicant, in respect of non-pecuniary "
                    "damage, 6,000,000 (six million) Bulgarian levs;").replace("10 March 2011", delivered)
    j = parse_echr(text)
    assert [(a.amount, a.currency, a.head) for a in j.awards] == [(6000000.0, currency, "non_pecuniary")]


def test_french_operative_part() -> None:
    j = parse_echr(FRENCH)
    assert [(h.article, h.outcome) for h in j.holdings] == [
        ("P1-1", "inadmissible"), ("8", "violation"), ("14+8", "not_necessary_to_examine"), (None, "other"),
        (None, "other")]
    assert [h.vote for h in j.holdings][:3] == ["à l’unanimité", "à l’unanimité", "par six voix contre une"]
    assert [(a.amount, a.currency, a.head) for a in j.awards] == [
        (500.0, "EUR", "pecuniary"), (7500.0, "EUR", "non_pecuniary")]


def test_old_layout_operative_part() -> None:
    j = parse_echr(TYRER)
    assert [(h.article, h.outcome, h.vote) for h in j.holdings] == [
        (None, "other", "by six votes to one"), ("3", "violation", "by six votes to one")]


def test_decision_and_communicated_operative() -> None:
    assert [(h.article, h.outcome, h.vote) for h in parse_echr(DECISION).holdings] == [
        (None, "inadmissible", "by a majority")]
    assert parse_echr(COMMUNICATED).holdings == []


# -- parts, paragraphs, citations ---------------------------------------------------------------

@pytest.mark.parametrize("text,names", [
    (SAMPLE, ["procedure", "facts", "law", "operative"]),
    (FRENCH, ["procedure", "facts", "law", "operative"]),
    (TYRER, ["procedure", "facts", "law", "operative"]),
    (FLATTENED, ["procedure", "facts", "law", "operative"]),
    (DECISION, ["facts", "law", "operative"]),
])
def test_sections_in_order(text: str, names: list[str]) -> None:
    sections = parse_echr(text).sections
    assert [s.name for s in sections] == names
    assert all(a.end <= b.start for a, b in zip(sections, sections[1:]))


def test_section_offsets_point_at_headings() -> None:
    j = parse_echr(SAMPLE)
    starts = {s.name: SAMPLE[s.start: s.start + 17] for s in j.sections}
    assert starts == {"procedure": "PROCEDURE\n\n1. The", "facts": "THE FACTS\n\n3. The", "law": "THE LAW\n\n4. The C",
                      "operative": "FOR THESE REASONS"}


@pytest.mark.parametrize("text", [SAMPLE, FRENCH, TYRER, FLATTENED])
def test_paragraph_offsets_are_exact(text: str) -> None:
    paragraphs = parse_echr(text).paragraphs
    assert [p.number for p in paragraphs] == [str(n) for n in range(1, len(paragraphs) + 1)]
    assert len(paragraphs) >= 3
    for p in paragraphs:
        assert text[p.start:].startswith(p.number) and text[p.start: p.end] == text[p.start: p.end].strip()
    assert paragraphs[0].section == "procedure"


def test_table_of_contents_is_not_the_parts() -> None:
    """GIVEN a table of contents above the judgment THEN the parts are read from the judgment."""
    text = SAMPLE.replace("In the case of", "Table of Contents\n\nPROCEDURE 1\n\nTHE FACTS 3\n\nTHE LAW 29\n\n"
                                            "In the case of")
    j = parse_echr(text)
    assert j.sections[0].start > text.index("In the case of")
    assert j.title == "CASE OF KIYUTIN v. RUSSIA"


def test_citations_leave_out_the_document_itself() -> None:
    j = parse_echr(COMMUNICATED)
    names = [c.case_name for c in j.citations]
    if names:  # pipeline.entities.citations may not be installed in this tree yet
        assert names == ["Mikheyev v. Russia"]
        assert j.citations[0].case_numbers == ["77617/01"]


def test_not_an_echr_text() -> None:
    j = parse_echr("ПРИГОВОР\nИменем Российской Федерации\n12 марта 2020 года Советский районный суд")
    assert (j.kind, j.title, j.case_numbers, j.holdings, j.date) == ("echr_other", None, [], [], None)


# -- the gold: judgments read by hand ------------------------------------------------------------

def test_gold_file_covers_the_required_documents() -> None:
    docs = load_gold()
    folders = [d["file"].split("/")[1] for d in docs]
    assert folders.count("docx_hudoc_en") >= 15
    json_docs = [d for d in docs if d["file"].split("/")[1] == "json_v_russia"]
    assert len(json_docs) >= 3 and any(d["language"] == "fr" for d in json_docs)
    assert any(d["date"] < "1995-01-01" for d in docs), "an old (Series A era) judgment"
    for d in docs:
        assert {"file", "title", "case_numbers", "respondent_states", "date", "formation", "holdings",
                "awards"} <= set(d)
        assert all(h["outcome"] in {"violation", "no_violation", "inadmissible", "not_necessary_to_examine",
                                    "other"} for h in d["holdings"])
        assert all(a["head"] in {"pecuniary", "non_pecuniary", "costs", "other"} for a in d["awards"])
    assert json.loads(GOLD.read_text(encoding="utf-8"))["conventions"]


@pytest.fixture(scope="module")
def measured(shared_corpora: Path) -> tuple[str, dict[str, float]]:
    return evaluate(shared_corpora, unseen=False)


def test_gold_files_exist(shared_corpora: Path) -> None:
    missing = [d["file"] for d in load_gold() if not (shared_corpora / d["file"]).is_file()]
    assert missing == []


def test_done_when_on_docx_hudoc_en(measured: tuple[str, dict[str, float]]) -> None:
    """Every application number, respondent State and delivery date right; holdings P and R >= 0.9."""
    markdown, numbers = measured
    for field in ("case_numbers", "respondent_states", "date"):
        assert numbers[f"docx_hudoc_en.{field}"] == 1.0, markdown
    assert numbers["docx_hudoc_en.holdings_precision"] >= 0.9, markdown
    assert numbers["docx_hudoc_en.holdings_recall"] >= 0.9, markdown
    assert numbers["docx_hudoc_en.findings_recall"] >= 0.9, markdown


def test_unseen_layouts_in_the_gold(measured: tuple[str, dict[str, float]]) -> None:
    """French, flattened JSON exports, decisions and the Series A era: headers and findings hold up."""
    markdown, numbers = measured
    for group in ("json_v_russia", "old"):
        for field in ("case_numbers", "respondent_states", "date", "formation", "title", "kind"):
            assert numbers[f"{group}.{field}"] >= 0.85, markdown
        assert numbers[f"{group}.findings_precision"] >= 0.85, markdown
        assert numbers[f"{group}.findings_recall"] >= 0.85, markdown
    assert numbers["all.awards_recall"] >= 0.85, markdown
    assert "| docx_hudoc_en |" in markdown
