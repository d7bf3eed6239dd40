"""Read the head of an English/UK judgment: neutral citation, court, date, parties, case number.

UK judgments do not open with a title: their first line is "Neutral Citation Number: ...",
"Case No: ...", a law term ("Michaelmas Term") or a reporting-restrictions warning, and their
heads print several dates (hearing dates, dates of earlier decisions). Lawyers cite them by case
name and neutral citation (``Dubravin v Government of the Russian Federation [2019] EWHC 9917
(Admin)``), so that is what this module builds, from the layouts the National Archives' judgments
use: "Between: X | Appellant - and - Y | Respondent" tables, UKSC's
"Lloyd (Respondent) v Google LLC (Appellant)" line, and criminal heads "REGINA / v / NAME".

Only the head (and, for the decision date of tribunals that sign at the end, the tail) is read;
nothing here logs text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.reference.calendar import DateReader

__all__ = ["UKHead", "read_uk_head", "uk_date"]

HEAD_CHARS = 4000
TAIL_CHARS = 2500
#: Case names longer than this are cut (a head may list a dozen parties on one line).
MAX_NAME = 120

_COURT_CODES = (r"UKSC|UKPC|UKHL|EWCA\s+(?:Civ|Crim)|EWHC|EWFC|EWCOP|UKUT|UKFTT|UKEAT|EAT|"
                r"UKAITUR|UKIPTrib|NICA|NIQB|NIKB|NICh|NIFam|CSIH|CSOH|HCJAC|SAC")
# "[2019] EWHC 9917 (Admin)", "[2003] EWCA Civ 547", "[2021] UKUT 00116 (IAC)", "[2023] EAT 173".
# The division must follow on the same line: "[2021] UKSC 50" is often followed by "(Appellant)"
# lines, which are not a division.
_NCIT = re.compile(r"\[((?:19|20)\d{2})\][ \t]*(" + _COURT_CODES + r")[ \t]+(\d{1,5})\b"
                   r"(?:[ \t]*\(([A-Z][A-Za-z]{0,9})\))?")
# "Neutral Citation Number:", "Neutral Citation No.[2022]", "UT Neutral citation number:", "NCN:".
_NCIT_LABEL = re.compile(r"(?:Neutral\s+Citation(?:\s+(?:Number|No))?\.?|\bNCN)[ \t]*:?[ \t]*(?=\[)", re.I)
#: An unlabelled citation counts as the document's own only this near the top.
_OWN_LINES = 12
_NOT_OWN_LINE = re.compile(r"appeal\s+from|referred\s+to|see\s+also|cited", re.I)

_CASE_NO = re.compile(
    r"(?:\bCase\s+(?:No|Number)s?\.?|\bUTLC\s+No\.?|\bAppeal\s+(?:No|Number)\.?)[ \t]*:?[ \t]*"
    r"((?=[A-Z0-9\-/]*\d)[A-Z0-9][A-Za-z0-9/\-]*(?:[ \t]+Folio[ \t]+\d+)?)", re.I)

#: English courts' dates: English month names, "23rd September, 2021" with its comma, numeric
#: dates day first with slashes ("04/05/2022" is 4 May), never the American order, years 1900-.
_UK_DATES = DateReader(languages=("en",), separators="/", month_first=False, years=(1900, 2099),
                       comma_after_month=True)
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?[ \t]+)?"
# A line that may print a date and nothing else: "Thursday 23rd September 2021.".
_DATE_LINE = re.compile(r"^[ \t]*" + _WEEKDAY + r"(?P<date>[^\n]*?)[ \t.]*$", re.I | re.M)
# Labels whose date is the judgment's; hearing dates ("Hearing date", "Heard on") never are.
_DATE_LABELS = re.compile(
    r"^[ \t]*Date(?:\s+of\s+(?:judgment|decision|hand(?:ing)?[- ]down))?[ \t]*:|"
    r"(?:judgment|decision)\s+given\s+on\b|\brelease\s+date\b|\bdate\s+of\s+release\b|"
    r"\bdecision\s+date\b|\bhanded\s+down\s+on\b", re.I | re.M)
_HEARING = re.compile(r"hearing|heard|sitting|listed", re.I)

# -- courts ------------------------------------------------------------------------------------

_HIGH_COURT_PARTS = (
    "Administrative Court", "Planning Court", "Commercial Court", "Circuit Commercial Court",
    "Admiralty Court", "Senior Courts Costs Office", "Technology and Construction Court",
    "Patents Court", "Intellectual Property Enterprise Court", "Court of Protection",
    "Chancery Division", "Family Division", "King's Bench Division", "Queen's Bench Division",
)
_HIGH_COURT_PART = re.compile(
    "|".join(re.escape(p).replace("'", "['’]").replace(r"\ ", r"\s+") for p in _HIGH_COURT_PARTS), re.I)
_COURT_LINES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"COURT\s+OF\s+APPEAL\W*(CIVIL|CRIMINAL)\s+DIVISION", re.I), "Court of Appeal ({} Division)"),
    (re.compile(r"HIGH\s+COURT\s+OF\s+JUSTICE", re.I), "High Court of Justice"),
    (re.compile(r"UPPER\s+TRIBUNAL\W*\(?\s*([A-Z][A-Za-z ,&]*?\s+CHAMBER)", re.I), "Upper Tribunal ({})"),
    (re.compile(r"FIRST[- ]TIER\s+TRIBUNAL\W*\(?\s*([A-Z][A-Za-z ,&]*?\s+CHAMBER)", re.I), "First-tier Tribunal ({})"),
    (re.compile(r"EMPLOYMENT\s+APPEAL\s+TRIBUNAL", re.I), "Employment Appeal Tribunal"),
    (re.compile(r"COURT\s+OF\s+APPEAL", re.I), "Court of Appeal"),
    (re.compile(r"UPPER\s+TRIBUNAL", re.I), "Upper Tribunal"),
    (re.compile(r"SUPREME\s+COURT(?!\s+OF\s+JUDICATURE)", re.I), "Supreme Court"),
    (re.compile(r"PRIVY\s+COUNCIL", re.I), "Privy Council"),
)
#: The court a neutral citation names, when the head prints no court line (UKSC heads).
_CODE_COURTS = {
    "UKSC": "Supreme Court", "UKPC": "Privy Council", "UKHL": "House of Lords",
    "EWCA CIV": "Court of Appeal (Civil Division)", "EWCA CRIM": "Court of Appeal (Criminal Division)",
    "EWHC": "High Court of Justice", "EWFC": "Family Court", "EWCOP": "Court of Protection",
    "UKUT": "Upper Tribunal", "UKFTT": "First-tier Tribunal", "EAT": "Employment Appeal Tribunal",
    "UKEAT": "Employment Appeal Tribunal", "NICA": "Court of Appeal in Northern Ireland",
    "CSIH": "Court of Session, Inner House", "CSOH": "Court of Session, Outer House",
}
_CODE_PARTS = {
    "ADMIN": "Administrative Court", "PLANNING": "Planning Court", "COMM": "Commercial Court",
    "SCCO": "Senior Courts Costs Office", "TCC": "Technology and Construction Court",
    "PAT": "Patents Court", "IPEC": "Intellectual Property Enterprise Court",
    "CH": "Chancery Division", "FAM": "Family Division", "KB": "King's Bench Division",
    "QB": "Queen's Bench Division", "ADMLTY": "Admiralty Court",
}
_UT_CHAMBERS = {"IAC": "Immigration and Asylum Chamber", "LC": "Lands Chamber",
                "TCC": "Tax and Chancery Chamber", "AAC": "Administrative Appeals Chamber",
                "TC": "Tax Chamber", "GRC": "General Regulatory Chamber"}

# -- parties -----------------------------------------------------------------------------------

_BETWEEN = re.compile(r"^[ \t]*Between[ \t]*:?[ \t]*$", re.I | re.M)
_BLOCK_END = re.compile(
    r"^[ \t]*(?:(?:[-–—_=.*][ \t]*){5,}$|And\s+between|Representation|Re:|Hearing|Heard|Before\b|"
    r"©|Approved|JUDGMENT|DECISION|.*\binstructed\s+by\b|.*\bfor\s+the\s+(?:appellant|respondent|"
    r"claimant|defendant|applicant)|.*\bappeared\b|.*\brepresented\b)", re.I)
_VERSUS_LINE = re.compile(r"^[ \t]*[-–—]*[ \t]*(?:and|v\.?|vs\.?|versus)[ \t]*[-–—]*[ \t]*$", re.I)
_ROLE = (r"(?:appellant|respondent|claimant|defendant|applicant|intervener|petitioner|"
         r"interested\s+part(?:y|ies)|requested\s+person|prosecutor)s?")
_ROLE_WORDS = {"appellant", "respondent", "claimant", "defendant", "applicant", "intervener",
               "petitioner", "interested", "party", "parties", "part", "20", "first", "second",
               "third", "fourth", "fifth", "and", "the", "proposed", "additional", "cross",
               "requested", "person", "prosecutor", "1st", "2nd", "3rd", "4th", "to", "on"}
# Parentheses that say a role, not a name: "(Appellant)", "(1)", "(AP)", "(formerly ...)".
_ROLE_PAREN = re.compile(r"\s*\((?:[^()]*\b" + _ROLE + r"\b[^()]*|AP|\d{1,2}|formerly[^()]*|"
                         r"a\s+protected\s+party[^()]*)\)", re.I)
_INLINE_ROLE = re.compile(r"\s+[-–—]\s+(?:(?:first|second|third|fourth|\d+\w*)\s+)?" + _ROLE + r"\s*$", re.I)
_UKSC_NAMES = re.compile(
    r"^[ \t]*(.+?\((?:Appellant|Respondent)s?\))\s+v\.?\s+(.+?\((?:Appellant|Respondent)s?\)"
    r"(?:\s*\((?:Northern\s+Ireland|Scotland|England\s+and\s+Wales|Wales)\))?)", re.I | re.M)
_CROWN = re.compile(r"^(?:R|REGINA|REX|THE\s+QUEEN|THE\s+KING|HER\s+MAJESTY['’]S\s+ATTORNEY.*)$", re.I)
_ON_APPLICATION = re.compile(r"^(?:R|REGINA|REX|THE\s+QUEEN|THE\s+KING)\s*\(?\s*ON\s+THE\s+APPLICATION\s+OF\s+"
                             r"(.+?)\)?$", re.I)
_TITLES = {"MR", "MRS", "MS", "MISS", "DR", "SIR", "DAME", "PROFESSOR", "PROF", "LORD", "LADY"}
_CORP_SUFFIXES = {"LIMITED", "LTD", "PLC", "LLP", "LLC", "GMBH", "INC", "S.A.", "SA", "AG", "N.V.",
                  "B.V.", "SE", "SARL", "SPA", "S.P.A."}
# Words that make a name an organisation's, not a person's (whose case name is the surname).
_ORG_WORDS = set("""limited ltd plc llp llc inc gmbh sa ag bv nv company co corporation corp council
    authority government university trust court service services bank commissioners commission
    secretary state hospital borough department ministry office police board tribunal group holdings
    partners partnership association society club school college foundation fund agency insurance
    republic kingdom federation city county district england wales scotland ireland british national
    international investments properties property management estates health chief constable
    commissioner mayor crown regina queen king prosecution director revenue customs home justice nhs
    of the and for in on at & chambers solicitors bar energy capital finance securities airlines
    media news press""".split())
_SMALL = {"of", "the", "and", "for", "in", "on", "at", "to", "by", "a", "an", "de", "du", "la", "le",
          "von", "van", "der", "as", "known", "formerly", "trading"}
_ACRONYMS = {"UK", "NHS", "LLP", "LLC", "PLC", "HMRC", "BBC", "EU", "USA", "US", "PPS", "HM", "QC",
             "KC", "AG", "SA", "S.A.", "N.V.", "B.V.", "UAE", "II", "III", "IV", "BV", "NV", "SE", "CPS",
             "ITV", "RBS", "HSBC", "BP", "IBM"}


@dataclass
class UKHead:
    """What the head of a UK judgment says about the judgment itself."""

    neutral_citation: str
    court: str | None = None
    date: str | None = None         # ISO yyyy-mm-dd
    case_name: str | None = None
    case_number: str | None = None

    @property
    def title(self) -> str:
        """The judgment as cited: case name and neutral citation (the citation alone if no name)."""
        return f"{self.case_name} {self.neutral_citation}" if self.case_name else self.neutral_citation


def uk_date(text: str) -> str | None:
    """The first date in ``text`` as ISO, read the English way (numeric dates are day first).

    >>> uk_date("Date: 15TH April 2003"), uk_date("Date: 04/05/2022"), uk_date("Thursday 23rd September 2021")
    ('2003-04-15', '2022-05-04', '2021-09-23')
    >>> uk_date("Date: 31/02/2022") is None
    True
    """
    return _UK_DATES.first(text)


def _date_lines(zone: str) -> list[str]:
    """ISO dates of the lines of ``zone`` that print one date and nothing else."""
    out: list[str] = []
    for m in _DATE_LINE.finditer(zone):
        printed = m.group("date")
        found = _UK_DATES.find(printed)
        if found and found[0].start == 0 and found[0].end == len(printed):
            out.append(found[0].iso)
    return out


def _format_citation(m: re.Match[str]) -> str:
    year, code, number, part = m.groups()
    text = f"[{year}] {' '.join(code.split())} {number}"
    return f"{text} ({part})" if part else text


def _own_citation(head: str) -> re.Match[str] | None:
    """The judgment's own neutral citation: the labelled one, else the first one near the top
    that is not the decision appealed from ("On appeal from: [2019] EWCA Civ 1599")."""
    for label in _NCIT_LABEL.finditer(head):
        if m := _NCIT.match(head, label.end()):
            return m
    offset = 0
    lines = [ln for ln in head.splitlines(keepends=True)]
    seen = 0
    for line in lines:
        if line.strip():
            seen += 1
            if seen > _OWN_LINES:
                break
            if not _NOT_OWN_LINE.search(line) and (m := _NCIT.search(head, offset, offset + len(line))):
                return m
        offset += len(line)
    return None


def _court_zone(head: str) -> str:
    """The court lines at the top: up to the parties, the bench, the judgment, or the court
    appealed from (whose name must not be read as the court's)."""
    end = re.search(r"^[ \t]*(?:Between|Before|Heard|Hearing|JUDGMENT|J U D G M E N T)\b|"
                    r"^.*\bappeal\s+(?:from|against)\b", head, re.I | re.M)
    return head[: end.start() if end else 2500][:2500]


def _court(head: str, citation: re.Match[str]) -> str | None:
    zone = _court_zone(head)
    for pattern, template in _COURT_LINES:
        m = pattern.search(zone)
        if not m:
            continue
        if template == "High Court of Justice":
            parts = _HIGH_COURT_PART.findall(zone[m.end():])
            # The most specific court is printed last ("KING'S BENCH DIVISION / ADMINISTRATIVE COURT").
            return f"{template}, {_recase(' '.join(parts[-1].split()), force=True)}" if parts else template
        return template.format(*(_recase(" ".join(g.split()), force=True) for g in m.groups()))
    code = " ".join(citation.group(2).split()).upper()
    court = _CODE_COURTS.get(code)
    part = (citation.group(4) or "").upper()
    if code == "EWHC" and part in _CODE_PARTS:
        return f"{court}, {_CODE_PARTS[part]}"
    if code in ("UKUT", "UKFTT") and part in _UT_CHAMBERS:
        return f"{court} ({_UT_CHAMBERS[part]})"
    return court


def _labelled_date(head: str) -> str | None:
    for label in _DATE_LABELS.finditer(head):
        line_end = head.find("\n", label.end())
        same_line = head[label.end(): line_end if line_end >= 0 else len(head)]
        if same_line.strip():
            if found := uk_date(same_line):
                return found
            continue
        # "JUDGMENT GIVEN ON\n10 November 2021": the date is on the next non-empty line.
        following = head[label.end():].lstrip().split("\n", 1)[0]
        if found := uk_date(following):
            return found
    return _promulgated(head)


def _promulgated(head: str) -> str | None:
    """'Decision & Reasons Promulgated' heads are two-column tables: the date is in the same
    column of the next row ("On 10 February and 24 March 2021 | 16 April 2021")."""
    lines = head.splitlines()
    for i, line in enumerate(lines):
        if not re.search(r"\bpromulgated\b", line, re.I):
            continue
        cells = line.split("|")
        column = next(n for n, c in enumerate(cells) if re.search(r"promulgated", c, re.I))
        after = cells[column].split("romulgated", 1)[1] if len(cells) == 1 else ""
        if found := uk_date(after):
            return found
        for row in lines[i + 1: i + 4]:
            if not row.strip():
                continue
            row_cells = row.split("|")
            cell = row_cells[column] if len(cells) > 1 and len(row_cells) == len(cells) else row
            if found := uk_date(cell):
                return found
    return None


def _date(text: str, head: str) -> str | None:
    """Judgment date: a labelled one, else a date on its own line above the parties, else the
    date a tribunal signs at the end. Hearing dates are never taken."""
    if found := _labelled_date(head):
        return found
    top = re.search(r"^[ \t]*(?:Between|Before)\b|^\s*[-–—]*\s*v\.?\s*[-–—]*\s*$", head, re.I | re.M)
    if lines := _date_lines(head[: top.start() if top else len(head)]):
        return lines[0]
    tail = text[-TAIL_CHARS:] if len(text) > HEAD_CHARS else ""
    if tail:
        for label in re.finditer(r"\brelease\s+date\b|\bdate\s+of\s+(?:decision|release)\b", tail, re.I):
            if found := uk_date(tail[label.end(): label.end() + 40]):
                return found
        if lines := _date_lines(tail):
            return lines[-1]
    return None


# -- case names --------------------------------------------------------------------------------

def _word(word: str, first: bool) -> str:
    bare = word.strip("“”\"‘’'(),")
    upper = bare.upper()
    if upper in _ACRONYMS or re.fullmatch(r"(?:[A-Z]\.){2,}", bare):
        return word.replace(bare, upper if upper in _ACRONYMS else bare)
    if upper == "GMBH":
        return word.replace(bare, "GmbH")
    if not first and bare.lower() in _SMALL:
        return word.lower()
    out = "-".join(p[:1].upper() + p[1:].lower() for p in word.lower().split("-"))
    out = re.sub(r"^([“\"‘(]?)([a-z])", lambda g: g.group(1) + g.group(2).upper(), out)
    # O'BRIEN -> O'Brien
    return re.sub(r"^(\W?[A-Z]['’])([a-z])", lambda g: g.group(1) + g.group(2).upper(), out)


def _recase(text: str, force: bool = False) -> str:
    """Title case for names printed in capitals (or all in lower case); mixed case is kept.

    >>> _recase("GOVERNMENT OF THE RUSSIAN FEDERATION"), _recase("NHS ENGLAND"), _recase("Google LLC")
    ('Government of the Russian Federation', 'NHS England', 'Google LLC')
    """
    letters = [c for c in text if c.isalpha()]
    if not force and letters and not (all(c.isupper() for c in letters) or all(c.islower() for c in letters)):
        return text
    return " ".join(_word(w, i == 0) for i, w in enumerate(text.split()))


def _split_parties(name: str) -> list[str]:
    """One line may hold several parties: "(1) X (2) Y", "X LIMITED Y LIMITED", "DR A DR B"."""
    numbered = [p for p in re.split(r"\(\d{1,2}\)", name) if p.strip()]
    if len(numbered) > 1:
        return [p.strip() for p in numbered]
    if name != name.upper():
        return [name.strip()]
    parties: list[str] = []
    current: list[str] = []
    words = name.split()
    for i, word in enumerate(words):
        if current and word.rstrip(".") in _TITLES and i + 1 < len(words):
            parties.append(" ".join(current))
            current = []
        current.append(word)
        if word.rstrip(",") in _CORP_SUFFIXES and i + 1 < len(words) and not words[i + 1].startswith("("):
            parties.append(" ".join(current))
            current = []
    if current:
        parties.append(" ".join(current))
    return parties


def _party_name(raw: str) -> str | None:
    """A party as cited: roles dropped, capitals recased, the Crown as "R", people by surname.

    >>> [_party_name(p) for p in ("ALEKSEI DUBRAVIN (Appellant)", "THE ROYAL BOROUGH OF GREENWICH",
    ...  "THE QUEEN ON THE APPLICATION OF “B”", "R E G I N A", "Miss Maureen Ngozi Obi-Ezekpazu")]
    ['Dubravin', 'Royal Borough of Greenwich', 'R (on the application of “B”)', 'R', 'Obi-Ezekpazu']
    """
    text = _ROLE_PAREN.sub("", raw)
    text = _INLINE_ROLE.sub("", text)
    text = " ".join(text.split()).strip(" ,;:-–—")
    if re.fullmatch(r"(?:[A-Z] ){2,}[A-Z]", text):
        text = text.replace(" ", "")        # "R E G I N A"
    if not text:
        return None
    if _CROWN.match(text):
        return "R"
    if m := _ON_APPLICATION.match(text):
        return f"R (on the application of {_recase(m.group(1).strip())})"
    if text.lower().startswith("r (on the application of"):
        return text
    words = text.split()
    titled = words[0].rstrip(".").upper() in _TITLES
    names = words[1:] if titled and len(words) > 1 else words
    person = ((titled or 2 <= len(names) <= 4) and len(names) <= 4
              and all(re.fullmatch(r"[A-Za-z][A-Za-z'’\-]*\.?", w) for w in names)
              and not any(w.lower().strip(".") in _ORG_WORDS or w.upper() in _ACRONYMS for w in names))
    if person:
        return _recase(names[-1], force=names[-1].isupper())
    text = _recase(text)
    return re.sub(r"^the\s+", "", text, flags=re.I) or None


def _side(parties: list[str]) -> str | None:
    names = [n for n in (_party_name(p) for p in parties) if n]
    if not names:
        return None
    extra = {1: "", 2: " and another"}.get(len(names), " and others")
    return names[0] + extra


def _is_role_line(line: str) -> bool:
    words = re.sub(r"[()/,|]", " ", line).lower().split()
    return bool(words) and all(w.rstrip("s") in _ROLE_WORDS or w in _ROLE_WORDS for w in words)


def _between_block(head: str) -> list[list[str]] | None:
    """The parties of a "Between" block, one list of raw party names per side."""
    m = _BETWEEN.search(head) or re.search(r"^[ \t]*Between[ \t]*:?", head, re.I | re.M)
    if m:
        start = m.end()
    elif table := re.search(r"^[^|\n]+\|[ \t]*" + _ROLE + r"\b", head, re.I | re.M):
        start = table.start()       # a "NAME | Appellant" table without "Between" above it
    else:
        return None
    sides: list[list[str]] = [[]]
    piped = False
    for line in head[start:].splitlines()[:40]:
        line = line.strip()
        if not line:
            continue
        if _BLOCK_END.match(line):
            if any(sides):
                break
            continue
        if _VERSUS_LINE.match(line):
            sides.append([])
            piped = False
            continue
        if re.fullmatch(r"\(.*\)", line) or _is_role_line(line):
            continue
        name, bar, role = line.partition("|")
        if bar and not re.search(_ROLE, role, re.I):
            break                               # "TRIBUNAL: | Judge ...": the parties are over
        if bar and re.search(r"interested|intervener", role, re.I):
            continue
        if not bar and piped and sides[-1]:
            sides[-1][-1] += " " + name.strip()    # a name wrapped onto the next table row
            continue
        piped = bool(bar)
        sides[-1].extend(_split_parties(name.strip()))
    sides = [s for s in sides if s]
    return sides if len(sides) >= 2 else None


def _versus_lines(head: str) -> list[list[str]] | None:
    """Criminal heads: "REGINA" / "- v -" / "NAME", or "REGINA" / "v FRASER"."""
    lines = [ln.strip() for ln in head.splitlines() if ln.strip()]
    for i, line in enumerate(lines[1:], 1):
        if _VERSUS_LINE.match(line) and not line.lower().strip("-–— ") == "and" and i + 1 < len(lines):
            return [[lines[i - 1]], [lines[i + 1]]]
        if m := re.match(r"^v\.?\s+(\S.*)$", line):
            return [[lines[i - 1]], [m.group(1)]]
    return None


def _case_name(head: str) -> str | None:
    sides = _between_block(head)
    if sides is None and (m := _UKSC_NAMES.search(head)):
        sides = [[m.group(1)], [m.group(2)]]
    if sides is None:
        sides = _versus_lines(head[:3000])
    if not sides:
        return None
    first, second = _side(sides[0]), _side(sides[1])
    if not (first and second):
        return None
    name = f"{first} v {second}"
    return name if len(name) <= MAX_NAME else name[: MAX_NAME - 1].rstrip() + "…"


def read_uk_head(text: str) -> UKHead | None:
    """The head of a UK judgment, or None when the text has no neutral citation of its own.

    >>> h = read_uk_head("Neutral Citation Number: [2019] EWHC 9917 (Admin)\\n\\nCase No: CO/4417/2019\\n"
    ...     "IN THE HIGH COURT OF JUSTICE\\nQUEEN'S BENCH DIVISION\\nADMINISTRATIVE COURT\\n"
    ...     "Date: 12/12/2019\\nBetween:\\nALEKSEI DUBRAVIN (Appellant)\\n- and -\\n"
    ...     "GOVERNMENT OF THE RUSSIAN FEDERATION (Respondent)\\nHearing date: 26 November 2019\\n")
    >>> h.title, h.court, h.date, h.case_number
    ('Dubravin v Government of the Russian Federation [2019] EWHC 9917 (Admin)', 'High Court of Justice, Administrative Court', '2019-12-12', 'CO/4417/2019')
    >>> read_uk_head("Case No: 12\\nNo neutral citation here.") is None
    True
    """
    head = text.lstrip("\ufeff")[:HEAD_CHARS]
    citation = _own_citation(head)
    if citation is None:
        return None
    number = _CASE_NO.search(head)
    return UKHead(
        neutral_citation=_format_citation(citation),
        court=_court(head, citation),
        date=_date(text, head),
        case_name=_case_name(head),
        case_number=" ".join(number.group(1).split()) if number else None,
    )
