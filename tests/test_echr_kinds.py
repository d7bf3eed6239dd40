"""Every kind and era of the Court's and the Commission's documents, in English and French.

Each row is a short excerpt written for the test after the layout of real HUDOC texts (the 1990s
plain texts without a cover, Commission decisions and reports, communicated cases, information
notes, press releases, advisory opinions, the covers of the Reports era), with the fields a hit
list and a citation need. Near-misses follow: a layout quoted inside another document must not
change what that document is or what it is called.

The routing is tested through ``records.structure``, which is what ingest runs: a document the
router does not recognise as the Court's never reaches the ECHR parser.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.models import ExtractedText
from pipeline.records import structure
from pipeline.structure import describe
from pipeline.structure.echr import COMMISSION, COURT, parse_echr

from conftest import need

# -- excerpts ------------------------------------------------------------------------------------

PLAIN_1990S = """\ufeff
In the case of B. and Others v. Norway (1),

The European Court of Human Rights, sitting, in
accordance with Article 43 (art. 43) of the Convention for the
Protection of Human Rights and Fundamental Freedoms ("the
Convention") and the relevant provisions of Rules of Court A (2),
as a Chamber composed of the following judges:

Mr R. Ryssdal, President,
Mr F. Matscher,
Mr J. De Meyer,

and also of Mr H. Petzold, Registrar,

Having deliberated in private on 22 June and 25 September 1995,

Delivers the following judgment, which was adopted on the
last-mentioned date:

PROCEDURE

1. The case was referred to the Court by the European Commission of
Human Rights ("the Commission") on 12 July 1994. It originated in an
application (no. 21234/93) against the Kingdom of Norway lodged with the
Commission under Article 25 (art. 25) by three Norwegian nationals.

AS TO THE FACTS

2. The applicants live in Oslo.

FOR THESE REASONS, THE COURT UNANIMOUSLY

1. Holds that there has been a violation of Article 6 para. 1 (art. 6-1) of the Convention;

Done in English and in French, and delivered at a public hearing in
the Human Rights Building, Strasbourg, on 27 October 1995.
"""

PLAIN_1990S_FR = """En l'affaire Dupont c. France*,

La Cour européenne des Droits de l'Homme, constituée,
conformément à l'article 43 (art. 43) de la Convention de
sauvegarde des Droits de l'Homme et des Libertés fondamentales
("la Convention")** et aux clauses pertinentes de son règlement,
en une chambre composée des juges dont le nom suit:

MM. R. Ryssdal, président,
J. Cremona,
L.-E. Pettiti,

ainsi que de M. M.-A. Eissen, greffier,

Après en avoir délibéré en chambre du conseil les 23 février et 26 août 1993,

Rend l'arrêt que voici, adopté à cette dernière date:

PROCEDURE

1. L'affaire a été déférée à la Cour par la Commission européenne des Droits de l'Homme. A son
origine se trouve une requête (n° 16432/90) dirigée contre la République française.

Fait en français et en anglais, puis prononcé en audience publique au Palais des Droits de
l'Homme à Strasbourg, le 24 septembre 1993.
"""

COMMISSION_EN = """AS TO THE ADMISSIBILITY OF

Application No. 12345/86
by John SMITH
against the United Kingdom

The European Commission of Human Rights sitting in private on
9 May 1988, the following members being present:

MM. C.A. NØRGAARD, President
J.A. FROWEIN
S. TRECHSEL

Mr. H.C. KRÜGER, Secretary to the Commission

Having regard to Article 25 (art. 25) of the Convention;

Having deliberated;

Decides as follows:

THE FACTS

The applicant is a British citizen born in 1950.
"""

COMMISSION_FR = """SUR LA RECEVABILITÉ

de la requête No 23456/94
présentée par Jean DURAND
contre la France
__________

La Commission européenne des Droits de l'Homme (Deuxième
Chambre), siégeant en chambre du conseil le 4 septembre 1996 en présence
de

MM. H. DANELIUS, Président
G. JÖRUNDSSON
Mme M.-T. SCHOEPFER, Secrétaire de la Chambre;

Vu l'article 25 de la Convention;

Après avoir délibéré,

Rend la décision suivante:

EN FAIT

Le requérant est un ressortissant français né en 1948.
"""

COMMISSION_REPORT = """EUROPEAN COMMISSION OF HUMAN RIGHTS

Application No. 14234/88

John DOE

against

Ireland

REPORT OF THE COMMISSION

(adopted on 5 March 1991)

TABLE OF CONTENTS

I. INTRODUCTION (paras. 1-15)
"""

# The cover as an OCR layer of a scanned report reads it: mixed case, words split.
COMMISSION_REPORT_SCAN = """COUNCIL OF EUROPE

EUROPEAN COMMISSION OF HUMAN RIGHT S

Applications Nos. 8544/79 and 8676/79

SMIT and JANSEN against

THE NETHERLANDS

Report of the Commissio n (Adopted on 8 May 1984)

STRASBOURG

TABLE 0F CONTENTS
"""

COMMUNICATED_EN = """4 June 2009

FIFTH SECTION

Application no. 11111/08
by Anna PETROVA
against Estonia
lodged on 24 March 2008

STATEMENT OF FACTS

THE FACTS

The applicant is an Estonian national (see, mutatis mutandis, Ivanov v. Estonia, no. 22222/05).

QUESTIONS TO THE PARTIES

1. Has there been a violation of Article 8 of the Convention?
"""

COMMUNICATED_FR = """CINQUIÈME SECTION

Requête n o 6190/11
présentée par Marie DUPONT
contre la France
introduite le 8 janvier 2011

EXPOSÉ DES FAITS

EN FAIT

La requérante est une ressortissante française née en 1968.

QUESTION AUX PARTIES

Y a-t-il eu violation de l'article 8 de la Convention ?
"""

COMMUNICATED_MODERN = """Communicated on 12 May 2015

THIRD SECTION

Application no. 12346/14
Pavel SIDOROV
against Russia
lodged on 1 March 2014

SUBJECT MATTER OF THE CASE

The applicant complains of his detention (see Smirnov v. Russia, no. 71362/01).

QUESTIONS TO THE PARTIES

1. Was the applicant's detention lawful?
"""

COMMUNICATED_JOINED = """4 June 2009

FIFTH SECTION

Application no. 11111/08 by Anna PETROVA and Others
Application no. 33333/08 by Olga SMIRNOVA
against Estonia
lodged on 24 March and 2 October 2008, respectively

STATEMENT OF FACTS

The applicants are former servicemen (see Petrov v. Estonia (dec.), no. 44444/04).
"""

NOTE_EN = """Information Note on the Court’s case-law 210
August-September 2017

Brown v. Sweden - 12345/12

Judgment 12.9.2017 [Section III]

Article 8
Article 8-1
Respect for private life

Publication of a photograph of the applicant: violation

Facts – The applicant complained that ...
"""

NOTE_FR = """Note d’information sur la jurisprudence de la Cour N o 130
Mai 2010

Martin et autres c. Belgique (déc.) - 29061/08

Décision 11.5.2010 [Section V]

Article 35
Article 35-3
Ratione materiae
"""

LEGAL_SUMMARY = """Legal summary
March 2021

Green v. Norway [GC] - 23456/18, 34567/18

Judgment 2.3.2021 [GC]

Article 6
Article 6-1
Access to court
"""

RELEASE_OLD = """EUROPEAN COURT OF HUMAN RIGHTS
710
23.10.2007
Press release issued by the Registrar
CHAMBER JUDGMENT
WHITE AND GREEN v. MOLDOVA
The European Court of Human Rights has today notified in writing its Chamber judgment [1] in the case of \
White and Green v. Moldova (application no. 28701/03).
The Court held unanimously that there had been a violation of Article 10.
"""

RELEASE_NEW = """issued by the Registrar of the Court
ECHR 123 (2019)
04.04.2019

Refusal to register a religious association breached the Convention

In today’s Chamber judgment in the case of Church of the Good Shepherd v. Latvia (application no. \
12345/15) the European Court of Human Rights held, unanimously, that there had been:
a violation of Article 9.
"""

RELEASE_FR = """411
20.05.2010
Communiqué du Greffier
Arrêt de chambre [1]
Lefèvre et autres c. Turquie (requête n o 12337/03)
USAGE DISPROPORTIONNÉ DE LA FORCE
Violation de l’article 2
"""

RELEASE_SEVERAL = """ECHR 200 (2018)
14.06.2018

Forthcoming judgments and decisions

The European Court of Human Rights will be notifying in writing 3 judgments on Tuesday 19 June.
Ivanov v. Russia (application no. 11111/11)
Petrov v. Bulgaria (application no. 22222/12)
"""

ADVISORY = """GRAND CHAMBER

Advisory opinion concerning the use of the “legislation by reference” technique for the definition \
of an offence, requested by the Armenian Constitutional Court

(Request no. P16-2019-001)

STRASBOURG

29 May 2020

The European Court of Human Rights, sitting as a Grand Chamber composed of:

Robert Spano, President,
Jon Fridrik Kjølbro, judges,
and Søren Prebensen, Deputy to the Registrar,

Having deliberated in private on 4 March and 6 May 2020,

Delivers the following opinion, which was adopted on the last-mentioned date:

PROCEDURE

1. By a letter of 2 August 2019 the Constitutional Court of Armenia requested the Court ...
"""

SERIES_A_DECIDES = """COURT (PLENARY)

CASES OF ALPHA, BETA AND GAMMA ("VAGRANCY") v. BELGIUM (MERITS)

(Application no. 2832/66; 2835/66)

JUDGMENT

STRASBOURG

18 June 1971

In the Alpha, Beta and Gamma cases,

The European Court of Human Rights, taking its decision in plenary session in accordance with Rule 48 \
of its Rules and composed of the following Judges:

Sir Humphrey WALDOCK, President,
MM. H. ROLIN,

and also Mr. M.-A. EISSEN, Registrar,

Decides as follows:

PROCEDURE

1. The cases were referred to the Court by the Government of the Kingdom of Belgium.
"""

REPORTS_COVER = """CASE OF JONES v. THE UNITED KINGDOM

( 119/1996/738/937 )

JUDGMENT

STRASBOURG

24 October 1997

The present judgment is subject to editorial revision before its reproduction in final form in \
Reports of Judgments and Decisions 1997.

In the case of Jones v. the United Kingdom [1] ,

The European Court of Human Rights, sitting, in accordance with Article 43 (art. 43) of the Convention \
and the relevant provisions of Rules of Court A, as a Chamber composed of the following judges:

Mr R. Bernhardt, President,
Mr F. Matscher,

and also of Mr H. Petzold, Registrar,

Having deliberated in private on 27 June and 24 September 1997,

Delivers the following judgment, which was adopted on the last-mentioned date:

PROCEDURE

1. The case originated in an application (no. 22520/93) against the United Kingdom.
"""

SERIES_FR = """AFFAIRES ALPHA, GALLO, BETA ET GAMMA

AFFAIRE GALLO C. ITALIE (No. 2)

(28/1996/647/832)

ARRÊT

STRASBOURG

2 septembre 1997

En l’affaire Gallo c. Italie (n o 2) [1] ,

La Cour européenne des Droits de l’Homme, constituée, conformément à l’article 43 (art. 43) de la \
Convention, en une chambre composée des juges dont le nom suit:

MM. R. Ryssdal, président,
F. Gölcüklü,

ainsi que de M. H. Petzold, greffier,

Après en avoir délibéré en chambre du conseil les 23 juin et 28 août 1997,

Rend l’arrêt que voici, adopté à cette dernière date:

PROCÉDURE

1. L’affaire a pour origine une requête (n o 25575/94) dirigée contre la République italienne.
"""

BILINGUAL_COVER = """COUR EUROPÉENNE DES DROITS DE L'HOMME
EUROPEAN COURT OF HUMAN RIGHTS

AFFAIRE SMITH c. FRANCE
CASE OF SMITH v. FRANCE

(Application no. 12121/92)

JUDGMENT
ARRÊT

STRASBOURG

10 February 1995

In the case of Smith v. France,

The European Court of Human Rights, sitting as a Chamber composed of the following judges:

Mr R. Ryssdal, President,
Mr L.-E. Pettiti,

and also of Mr H. Petzold, Registrar,

Having deliberated in private on 29 September 1994 and 26 January 1995,

Delivers the following judgment, which was adopted on the last-mentioned date:

PROCEDURE

1. The case originated in an application (no. 12121/92).
"""

# -- near-misses -----------------------------------------------------------------------------------

JUDGMENT_WITH_HISTORY = """FIRST SECTION

CASE OF KOVALEV v. RUSSIA

(Application no. 55555/10)

JUDGMENT

STRASBOURG

10 March 2015

In the case of Kovalev v. Russia,

The European Court of Human Rights (First Section), sitting as a Chamber composed of:

Isabelle Berro, President,
Khanlar Hajiyev, judges,
and Søren Nielsen, Section Registrar,

Having deliberated in private on 17 February 2015,

Delivers the following judgment, which was adopted on that date:

PROCEDURE

1. The case originated in an application (no. 55555/10) against the Russian Federation.

2. On 4 May 2012 the application was communicated to the Government with a STATEMENT OF FACTS and \
QUESTIONS TO THE PARTIES. The Court's press release ECHR 12 (2013) described it.
"""

FRENCH_QUOTING = """AFFAIRE MARTIN c. FRANCE

(Requête no 33333/05)

ARRÊT

STRASBOURG

12 janvier 2010

En l'affaire Martin c. France,

La Cour européenne des droits de l'homme (cinquième section), siégeant en une chambre composée de :

Peer Lorenzen, président,
Renate Jaeger, juges,
et de Claudia Westerdiek, greffière de section,

Après en avoir délibéré en chambre du conseil le 8 décembre 2009,

Rend l'arrêt que voici, adopté à cette date :

PROCÉDURE

1. A l'origine de l'affaire se trouve une requête (no 33333/05) dirigée contre la République française.

2. Le Gouvernement cite l'arrêt rendu en 1993 :
« En l'affaire Dupont c. Belgique,
La Cour européenne des Droits de l'Homme, constituée ... »
"""

MEMO_QUOTING = """Note de service du cabinet
En l'affaire Bozano c. France, la Cour a conclu à la violation de l'article 5.
Nous en tirons les conséquences suivantes pour nos dossiers.
"""

# -- the table ---------------------------------------------------------------------------------------

CASES = [
    ("1990s plain text, no cover", PLAIN_1990S, dict(
        kind="echr_judgment", title="B. and Others v. Norway", case_numbers=["21234/93"],
        respondent_states=["Norway"], date="1995-10-27", court=COURT)),
    ("1990s plain text without its end: no date, never the deliberation date",
     PLAIN_1990S.split("FOR THESE REASONS")[0], dict(
         kind="echr_judgment", title="B. and Others v. Norway", case_numbers=["21234/93"], date=None)),
    ("1990s plain text, French", PLAIN_1990S_FR, dict(
        kind="echr_judgment", title="Dupont c. France", case_numbers=["16432/90"],
        respondent_states=["France"], date="1993-09-24")),
    ("Commission decision, English", COMMISSION_EN, dict(
        kind="echr_decision", court=COMMISSION, title="John SMITH v. the United Kingdom",
        case_numbers=["12345/86"], respondent_states=["United Kingdom"], date="1988-05-09",
        applicants=["John SMITH"])),
    ("Commission decision, French", COMMISSION_FR, dict(
        kind="echr_decision", court=COMMISSION, title="Jean DURAND c. la France", case_numbers=["23456/94"],
        respondent_states=["France"], date="1996-09-04")),
    ("Commission report", COMMISSION_REPORT, dict(
        kind="echr_report", court=COMMISSION, case_numbers=["14234/88"], respondent_states=["Ireland"],
        date="1991-03-05", title="John DOE v. Ireland")),
    ("Commission report, scanned cover", COMMISSION_REPORT_SCAN, dict(
        kind="echr_report", court=COMMISSION, case_numbers=["8544/79", "8676/79"], respondent_states=["Netherlands"],
        date="1984-05-08")),
    ("communicated case, its date on the first line", COMMUNICATED_EN, dict(
        kind="echr_communicated", title="Anna PETROVA v. Estonia", case_numbers=["11111/08"],
        respondent_states=["Estonia"], date="2009-06-04")),
    ("communicated case, French: the lodging date is not its date", COMMUNICATED_FR, dict(
        kind="echr_communicated", title="Marie DUPONT c. la France", case_numbers=["6190/11"],
        respondent_states=["France"], date=None)),
    ("communicated case, modern layout", COMMUNICATED_MODERN, dict(
        kind="echr_communicated", title="Pavel SIDOROV v. Russia", case_numbers=["12346/14"],
        respondent_states=["Russia"], date="2015-05-12")),
    ("communicated case, two applications under one 'against'", COMMUNICATED_JOINED, dict(
        kind="echr_communicated", case_numbers=["11111/08", "33333/08"], respondent_states=["Estonia"],
        applicants=["Anna PETROVA and Others", "Olga SMIRNOVA"], date="2009-06-04")),
    ("information note", NOTE_EN, dict(
        kind="echr_summary", title="Brown v. Sweden", case_numbers=["12345/12"], respondent_states=["Sweden"],
        date="2017-09-12")),
    ("information note, French decision", NOTE_FR, dict(
        kind="echr_summary", title="Martin et autres c. Belgique", case_numbers=["29061/08"],
        respondent_states=["Belgium"], date="2010-05-11")),
    ("legal summary, Grand Chamber, two numbers", LEGAL_SUMMARY, dict(
        kind="echr_summary", title="Green v. Norway", case_numbers=["23456/18", "34567/18"],
        respondent_states=["Norway"], date="2021-03-02")),
    ("press release, 2000s", RELEASE_OLD, dict(
        kind="echr_press_release", title="White and Green v. Moldova", case_numbers=["28701/03"],
        respondent_states=["Moldova"], date="2007-10-23")),
    ("press release, ECHR number", RELEASE_NEW, dict(
        kind="echr_press_release", title="Church of the Good Shepherd v. Latvia", case_numbers=["12345/15"],
        respondent_states=["Latvia"], date="2019-04-04")),
    ("press release, French", RELEASE_FR, dict(
        kind="echr_press_release", title="Lefèvre et autres c. Turquie", case_numbers=["12337/03"],
        respondent_states=["Turkey"], date="2010-05-20")),
    ("press release of several cases names none of them: its own number is its title", RELEASE_SEVERAL, dict(
        kind="echr_press_release", title="ECHR 200 (2018)", case_numbers=[], respondent_states=[],
        date="2018-06-14")),
    ("advisory opinion", ADVISORY, dict(
        kind="echr_advisory_opinion", case_numbers=["P16-2019-001"], date="2020-05-29",
        formation="Grand Chamber", respondent_states=[])),
    ("Series A judgment closing its composition with 'Decides as follows'", SERIES_A_DECIDES, dict(
        kind="echr_judgment", case_numbers=["2832/66", "2835/66"], respondent_states=["Belgium"],
        date="1971-06-18", formation="Plenary",
        title='CASES OF ALPHA, BETA AND GAMMA ("VAGRANCY") v. BELGIUM (MERITS)')),
    ("Reports era cover: the Court's case number is not the title's", REPORTS_COVER, dict(
        kind="echr_judgment", title="CASE OF JONES v. THE UNITED KINGDOM", case_numbers=["22520/93"],
        respondent_states=["United Kingdom"], date="1997-10-24")),
    ("series heading above the case's own; 'C.' in capitals; '(No. 2)' kept", SERIES_FR, dict(
        kind="echr_judgment", title="AFFAIRE GALLO C. ITALIE (No. 2)", case_numbers=["25575/94"],
        respondent_states=["Italy"], date="1997-09-02")),
    ("bilingual cover", BILINGUAL_COVER, dict(
        kind="echr_judgment", title="CASE OF SMITH v. FRANCE", case_numbers=["12121/92"],
        respondent_states=["France"], date="1995-02-10")),
    # near-misses
    ("judgment quoting the communication's headings and a press release", JUDGMENT_WITH_HISTORY, dict(
        kind="echr_judgment", title="CASE OF KOVALEV v. RUSSIA", case_numbers=["55555/10"], date="2015-03-10")),
    ("French judgment quoting 'En l'affaire' of another case", FRENCH_QUOTING, dict(
        kind="echr_judgment", title="AFFAIRE MARTIN c. FRANCE", case_numbers=["33333/05"],
        respondent_states=["France"], date="2010-01-12")),
]


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_kind_and_header(name: str, text: str, expected: dict) -> None:
    j = structure(ExtractedText(text=text, format="txt", language=None))
    got = {key: getattr(j, key) for key in expected}
    assert got == expected


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_router_and_parser_agree(name: str, text: str, expected: dict) -> None:
    """The header reader routes each of these to the ECHR parser, and the parser alone (as the
    evaluation runs it) reads the same kind."""
    assert describe(text).kind.startswith("echr")
    assert parse_echr(text).kind == expected["kind"]


def test_a_memo_quoting_a_case_is_not_that_case() -> None:
    j = structure(ExtractedText(text=MEMO_QUOTING, format="txt", language="fr"))
    assert not j.kind.startswith("echr")
    assert j.title != "Bozano c. France"


@pytest.mark.parametrize("name", ["001-57969_ENG.txt", "001-62332_FRE.txt", "001-62540_FRE.txt"])
def test_real_1990s_plain_texts(shared_corpora: Path, name: str) -> None:
    path = shared_corpora / "echr" / "hudoc_eras" / name
    need(path.is_file(), f"{path} not found")
    text = path.read_text(encoding="utf-8-sig")
    j = structure(ExtractedText(text=text, format="txt", language=None))
    assert j.kind == "echr_judgment"
    assert j.case_numbers and j.respondent_states and j.title and j.date
    # the date is the delivery date, printed after "Done in"/"Fait", never a deliberation date
    assert j.date not in {d for d in _deliberation_dates(text)}


def _deliberation_dates(text: str) -> list[str]:
    from pipeline.reference.calendar import DATES
    import re
    return [d.iso for m in re.finditer(r"(?:deliberated|délibéré)[^:]{0,200}", text) for d in DATES.find(m.group(0))]
