"""The respondent States of the European Court of Human Rights, and every way they are printed.

One row per State as HUDOC titles name it ("Russia", "United Kingdom", "Czech Republic"). A row
holds the forms case names print after "v.", "c." or "против" (``find_citations`` takes exactly
these), the other forms HUDOC titles and metadata print (long forms, French titles), and the
ISO 3166 alpha-3 code of HUDOC's ``country`` field. States that changed name keep a row per name
(``Türkiye``, ``North Macedonia``): a title is cited as it was printed.

>>> state_names("CYPRUS AND TURKEY"), state_names("the Netherlands"), state_names("RUSSIE")
(['Cyprus', 'Turkey'], ['Netherlands'], ['Russia'])
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

__all__ = ["CITED_FORMS", "STATES", "State", "latin_state_names", "state_names", "states_from_codes"]


@dataclass(frozen=True)
class State:
    """A respondent State and its printed forms."""

    #: The English short name HUDOC titles print; "the" is dropped ("the Netherlands").
    name: str
    #: ISO 3166 alpha-3, as HUDOC's ``country`` field gives it; None for a former name.
    iso3: str | None
    #: English forms in case names. Only those the Court prints: "v. the Netherlands", never
    #: "v. Netherlands".
    en: tuple[str, ...]
    #: French forms in case names ("c. les Pays-Bas", "c. Pays-Bas").
    fr: tuple[str, ...] = ()
    #: Russian forms in case names, in the genitive after "против".
    ru: tuple[str, ...] = ()
    #: Other forms of titles and metadata, never looked for in case names ("RUSSIAN FEDERATION").
    titles: tuple[str, ...] = ()


def _state(name: str, iso3: str | None, fr: tuple[str, ...] = (), ru: tuple[str, ...] = (),
           titles: tuple[str, ...] = (), en: tuple[str, ...] | None = None) -> State:
    return State(name, iso3, (name,) if en is None else en, fr, ru, titles)


STATES: tuple[State, ...] = (
    _state("Albania", "ALB", fr=("Albanie",)),
    _state("Andorra", "AND", fr=("Andorre",)),
    _state("Armenia", "ARM", fr=("Arménie",), ru=("Армении",)),
    _state("Austria", "AUT", fr=("Autriche",), ru=("Австрии",)),
    _state("Azerbaijan", "AZE", fr=("Azerbaïdjan",), ru=("Азербайджана",)),
    _state("Belgium", "BEL", fr=("Belgique",), ru=("Бельгии",)),
    _state("Bosnia and Herzegovina", "BIH", fr=("Bosnie-Herzégovine",)),
    _state("Bulgaria", "BGR", fr=("Bulgarie",), ru=("Болгарии",)),
    _state("Croatia", "HRV", fr=("Croatie",)),
    _state("Cyprus", "CYP", fr=("Chypre",)),
    _state("Czech Republic", "CZE", en=("the Czech Republic",),
           fr=("la République tchèque", "République tchèque")),
    _state("Denmark", "DNK", fr=("Danemark",)),
    _state("Estonia", "EST", fr=("Estonie",), ru=("Эстонии",)),
    _state("Finland", "FIN", fr=("Finlande",)),
    _state("France", "FRA", ru=("Франции",), titles=("FRENCH REPUBLIC",)),
    _state("Georgia", "GEO", fr=("Géorgie",), ru=("Грузии",)),
    _state("Germany", "DEU", en=("Germany", "the Federal Republic of Germany"), fr=("Allemagne",),
           ru=("Германии",), titles=("FEDERAL REPUBLIC OF GERMANY",)),
    _state("Greece", "GRC", fr=("Grèce",), ru=("Греции",), titles=("HELLENIC REPUBLIC",)),
    _state("Hungary", "HUN", fr=("Hongrie",)),
    _state("Iceland", "ISL", fr=("Islande",)),
    _state("Ireland", "IRL", fr=("Irlande",)),
    _state("Italy", "ITA", fr=("Italie",), ru=("Италии",), titles=("ITALIAN REPUBLIC",)),
    _state("Latvia", "LVA", fr=("Lettonie",), ru=("Латвии",)),
    _state("Liechtenstein", "LIE"),
    _state("Lithuania", "LTU", fr=("Lituanie",), ru=("Литвы",)),
    _state("Luxembourg", "LUX"),
    _state("Malta", "MLT", fr=("Malte",)),
    _state("Moldova", "MDA", en=("Moldova", "the Republic of Moldova"), fr=("République de Moldova",),
           ru=("Молдовы", "Республики Молдова"), titles=("REPUBLIC OF MOLDOVA",)),
    _state("Monaco", "MCO"),
    _state("Montenegro", "MNE", fr=("Monténégro",)),
    _state("Netherlands", "NLD", en=("the Netherlands",), fr=("les Pays-Bas", "Pays-Bas"),
           ru=("Нидерландов",)),
    _state("North Macedonia", "MKD", fr=("Macédoine du Nord",)),
    _state("the former Yugoslav Republic of Macedonia", None,
           fr=("l'ex-République yougoslave de Macédoine", "l’ex-République yougoslave de Macédoine")),
    _state("Norway", "NOR", fr=("Norvège",)),
    _state("Poland", "POL", fr=("Pologne",), ru=("Польши",)),
    _state("Portugal", "PRT", titles=("PORTUGUESE REPUBLIC",)),
    _state("Romania", "ROU", fr=("Roumanie",), ru=("Румынии",)),
    _state("Russia", "RUS", fr=("Russie",), ru=("Российской Федерации", "России"),
           titles=("RUSSIAN FEDERATION",)),
    _state("San Marino", "SMR", fr=("Saint-Marin",)),
    _state("Serbia", "SRB", fr=("Serbie",)),
    _state("Serbia and Montenegro", None, titles=("SERBIE ET MONTENEGRO",)),
    _state("Slovakia", "SVK", fr=("Slovaquie",)),
    _state("Slovak Republic", None, en=("the Slovak Republic",), fr=("la République slovaque",)),
    _state("Slovenia", "SVN", fr=("Slovénie",)),
    _state("Spain", "ESP", fr=("Espagne",)),
    _state("Sweden", "SWE", fr=("Suède",)),
    _state("Switzerland", "CHE", fr=("Suisse",), ru=("Швейцарии",)),
    _state("Turkey", "TUR", fr=("Turquie",), ru=("Турции",)),
    _state("Türkiye", None),
    _state("Ukraine", "UKR", ru=("Украины",)),
    _state("United Kingdom", "GBR", en=("the United Kingdom", "United Kingdom"),
           fr=("le Royaume-Uni", "Royaume-Uni"), ru=("Соединенного Королевства", "Соединённого Королевства"),
           titles=("UNITED KINGDOM OF GREAT BRITAIN AND NORTHERN IRELAND",
                   "ROYAUME UNI DE GRANDE BRETAGNE ET D'IRLANDE DU NORD")),
)

#: The respondent State in the genitive after "проти" (Ukrainian) or "против" (Russian) as
#: translations of the Court's documents print it in their titles ("«Гарькавий проти України»",
#: "Ткачевы против Российской Федерации"), beyond the Russian forms of case names above.
TRANSLATED_FORMS: dict[str, tuple[str, ...]] = {
    "Albania": ("Албанії", "Албании"), "Armenia": ("Вірменії",), "Austria": ("Австрії",),
    "Azerbaijan": ("Азербайджану",), "Belgium": ("Бельгії",), "Bulgaria": ("Болгарії",),
    "Croatia": ("Хорватії", "Хорватии"), "Cyprus": ("Кіпру", "Кипра"),
    "Czech Republic": ("Чеської Республіки", "Чехії", "Чешской Республики", "Чехии"),
    "Denmark": ("Данії", "Дании"), "Estonia": ("Естонії",), "Finland": ("Фінляндії", "Финляндии"),
    "France": ("Франції",), "Georgia": ("Грузії",), "Germany": ("Німеччини",), "Greece": ("Греції",),
    "Hungary": ("Угорщини", "Венгрии"), "Ireland": ("Ірландії", "Ирландии"), "Italy": ("Італії",),
    "Latvia": ("Латвії",), "Lithuania": ("Литви",), "Moldova": ("Молдови", "Республіки Молдова"),
    "Netherlands": ("Нідерландів",), "Norway": ("Норвегії", "Норвегии"), "Poland": ("Польщі",),
    "Portugal": ("Португалії", "Португалии"), "Romania": ("Румунії",),
    "Russia": ("Росії", "Російської Федерації"), "Serbia": ("Сербії", "Сербии"),
    "Slovakia": ("Словаччини", "Словакии"), "Slovenia": ("Словенії", "Словении"),
    "Spain": ("Іспанії", "Испании"), "Sweden": ("Швеції", "Швеции"), "Switzerland": ("Швейцарії",),
    "Turkey": ("Туреччини",), "Ukraine": ("України",),
    "United Kingdom": ("Сполученого Королівства", "Великої Британії", "Великобритании"),
}

#: Every form a case name prints its respondent State in, English, French and Russian.
CITED_FORMS: tuple[str, ...] = tuple(f for s in STATES for f in (*s.en, *s.fr, *s.ru))

_FR_ARTICLE = re.compile(r"^(?:les?|la)\s+|^l['’]")


def _fold(text: str) -> str:
    """Upper case without accents, hyphens as spaces: "Royaume-Uni", "ROYAUME UNI" compare equal."""
    text = text.replace("İ", "I").replace("ı", "i")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\-‐‑–]", " ", text).upper().split())


def _title_keys() -> dict[str, str]:
    """Folded printed form -> name, for titles. Titles print the bare French form ("RUSSIE",
    "PAYS BAS"), so French articles are dropped; English case-name forms are not used, since a
    title names the State as HUDOC does. Translated titles print it in the genitive."""
    keys: dict[str, str] = {}
    for state in STATES:
        for form in (state.name, *(_FR_ARTICLE.sub("", f) for f in state.fr), *state.titles, *state.ru,
                     *TRANSLATED_FORMS.get(state.name, ())):
            keys[_fold(form)] = state.name
    return keys


_TITLE_KEYS = _title_keys()
_ISO3 = {s.iso3: s.name for s in STATES if s.iso3}
_TITLE_RE = re.compile(r"(?<![A-ZА-ЯІЇЄҐ])(?:" + "|".join(
    re.escape(k) for k in sorted(_TITLE_KEYS, key=len, reverse=True)) + r")(?![A-ZА-ЯІЇЄҐ])")


def state_names(printed: str) -> list[str]:
    """English short names of the States named in a title's respondent part, in order.

    >>> state_names("the Republic of Turkey"), state_names("BOSNIA AND HERZEGOVINA")
    (['Turkey'], ['Bosnia and Herzegovina'])
    """
    out: list[str] = []
    for m in _TITLE_RE.finditer(_fold(printed)):
        name = _TITLE_KEYS[m.group(0)]
        if name not in out:
            out.append(name)
    return out


def states_from_codes(codes: str) -> list[str]:
    """States of a HUDOC ``country`` field (ISO 3166 alpha-3, ";"-separated); ISO codes are looked
    up in metadata only, never in text ("AND", "EST" are words).

    >>> states_from_codes("CYP;TUR")
    ['Cyprus', 'Turkey']
    """
    return [_ISO3[c] for c in re.findall(r"[A-Z]{3}", codes) if c in _ISO3]


# -- the respondent State in translations into languages written in Latin script -----------------
# HUDOC holds translations of the Court's judgments into German, Italian, Spanish, Portuguese,
# Turkish, Polish and Romanian. Their titles name the State in that language: "gegen
# Deutschland", "c. Italia", "przeciwko Polsce", "împotriva României", "KOSTOV / TÜRKİYE". The
# names come from the Unicode CLDR (Babel), in the case the title prints them in: the
# nominative, but the dative after Polish "przeciwko" and the genitive after Romanian
# "împotriva", made by the regular endings below; the official names translations also print
# ("Federazione Russa", "Tschechische Republik") are added by hand.

_ISO2 = {
    "ALB": "AL", "AND": "AD", "ARM": "AM", "AUT": "AT", "AZE": "AZ", "BEL": "BE", "BIH": "BA", "BGR": "BG",
    "HRV": "HR", "CYP": "CY", "CZE": "CZ", "DNK": "DK", "EST": "EE", "FIN": "FI", "FRA": "FR", "GEO": "GE",
    "DEU": "DE", "GRC": "GR", "HUN": "HU", "ISL": "IS", "IRL": "IE", "ITA": "IT", "LVA": "LV", "LIE": "LI",
    "LTU": "LT", "LUX": "LU", "MLT": "MT", "MDA": "MD", "MCO": "MC", "MNE": "ME", "NLD": "NL", "MKD": "MK",
    "NOR": "NO", "POL": "PL", "PRT": "PT", "ROU": "RO", "RUS": "RU", "SMR": "SM", "SRB": "RS", "SVK": "SK",
    "SVN": "SI", "ESP": "ES", "SWE": "SE", "CHE": "CH", "TUR": "TR", "UKR": "UA", "GBR": "GB",
}
#: Locales whose territory names a language's translations print (Portugal's and Brazil's).
_LOCALES = {"de": ("de",), "it": ("it",), "es": ("es",), "pt": ("pt_PT", "pt"), "tr": ("tr",),
            "pl": ("pl",), "ro": ("ro",)}
#: Official and older names the CLDR does not give, in the case titles print them.
_LATIN_EXTRA: dict[str, dict[str, tuple[str, ...]]] = {
    "de": {"Russia": ("Russische Föderation", "Russischen Föderation"), "Czech Republic": ("Tschechische Republik",
           "Tschechischen Republik"), "Slovakia": ("Slowakische Republik", "Slowakischen Republik"),
           "Moldova": ("Moldawien", "Republik Moldova"), "United Kingdom": ("Vereinigte Königreich",),
           "North Macedonia": ("Mazedonien", "ehemalige jugoslawische Republik Mazedonien"),
           "Turkey": ("Türkei",)},
    "it": {"Russia": ("Federazione Russa", "Federazione di Russia"), "Czech Republic": ("Repubblica Ceca",),
           "Slovakia": ("Repubblica Slovacca",), "Moldova": ("Repubblica di Moldavia", "Repubblica Moldova"),
           "North Macedonia": ("ex Repubblica jugoslava di Macedonia",)},
    "es": {"Russia": ("Federación Rusa", "Federación de Rusia"), "Czech Republic": ("República Checa",),
           "Slovakia": ("República Eslovaca",), "Moldova": ("República de Moldavia", "República de Moldova")},
    "pt": {"Russia": ("Federação Russa", "Federação da Rússia"), "Czech Republic": ("República Checa",),
           "Slovakia": ("República Eslovaca",), "Moldova": ("República da Moldávia", "República da Moldova")},
    "tr": {"Russia": ("Rusya Federasyonu",), "Czech Republic": ("Çek Cumhuriyeti",),
           "Moldova": ("Moldova Cumhuriyeti",), "United Kingdom": ("İngiltere",)},
    "pl": {"Russia": ("Federacji Rosyjskiej", "Federacja Rosyjska"), "Czech Republic": ("Republice Czeskiej",),
           "United Kingdom": ("Zjednoczonemu Królestwu", "Zjednoczone Królestwo", "Wielkiej Brytanii"),
           "Bosnia and Herzegovina": ("Bośni i Hercegowinie",), "North Macedonia": ("Macedonii Północnej",
           "byłej Jugosłowiańskiej Republice Macedonii"), "Moldova": ("Republice Mołdawii",)},
    "ro": {"Russia": ("Federației Ruse", "Federatia Rusa"), "Czech Republic": ("Republicii Cehe",),
           "Moldova": ("Republicii Moldova",), "United Kingdom": ("Regatului Unit",),
           "Netherlands": ("Țărilor de Jos", "Olandei"), "Bosnia and Herzegovina": ("Bosniei și Herțegovina",),
           "North Macedonia": ("Macedoniei de Nord", "fostei Republici Iugoslave a Macedoniei"),
           "Romania": ("României",)},
}


def polish_dative(name: str) -> str:
    """The dative a Polish title prints after "przeciwko", by the regular endings of one-word
    names (the others are in ``_LATIN_EXTRA``).

    >>> [polish_dative(n) for n in ("Rosja", "Polska", "Ukraina", "Niemcy", "Litwa", "Cypr", "Andora")]
    ['Rosji', 'Polsce', 'Ukrainie', 'Niemcom', 'Litwie', 'Cyprowi', 'Andorze']
    """
    for ending, dative in (("ja", "ji"), ("ia", "ii"), ("ka", "ce"), ("ra", "rze"), ("ta", "cie"), ("wa", "wie"),
                           ("na", "nie"), ("y", "om")):
        if name.endswith(ending):
            return name[: -len(ending)] + dative
    return name if name[-1] in "aeiou" else name + "owi"


def romanian_genitive(name: str) -> str:
    """The genitive a Romanian title prints after "împotriva".

    >>> [romanian_genitive(n) for n in ("Rusia", "Franța", "Ucraina", "Cipru", "Luxemburg")]
    ['Rusiei', 'Franței', 'Ucrainei', 'Ciprului', 'Luxemburgului']
    """
    if name.endswith("a"):
        return name[:-1] + "ei"
    if name.endswith("u"):
        return name + "lui"
    return name if name[-1] in "eio" else name + "ului"


@cache
def _latin_keys(language: str) -> dict[str, str]:
    """Folded printed form -> name, for one language of ``_LOCALES``."""
    from babel import Locale  # only translations into these languages need it

    keys: dict[str, str] = {}
    for state in STATES:
        if state.iso3 not in _ISO2:
            continue
        forms = {Locale.parse(loc).territories[_ISO2[state.iso3]] for loc in _LOCALES[language]}
        if language == "pl":
            forms |= {polish_dative(f) for f in forms if " " not in f}
        elif language == "ro":
            forms |= {romanian_genitive(f) for f in forms if " " not in f}
        forms |= set(_LATIN_EXTRA.get(language, {}).get(state.name, ()))
        for form in forms:
            keys.setdefault(_fold(form), state.name)
    return keys


@cache
def _latin_re(language: str) -> re.Pattern[str]:
    keys = _latin_keys(language)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
                      + r")(?!\w)")


def latin_state_names(printed: str, language: str) -> list[str]:
    """English short names of the States a translated title's respondent part names, in the
    language of ``_LOCALES`` it is printed in ([] for any other language).

    >>> latin_state_names("Deutschland", "de"), latin_state_names("Polsce", "pl")
    (['Germany'], ['Poland'])
    >>> latin_state_names("României", "ro"), latin_state_names("TÜRKİYE", "tr")
    (['Romania'], ['Turkey'])
    """
    if language not in _LOCALES:
        return []
    keys = _latin_keys(language)
    return list(dict.fromkeys(keys[m.group(0)] for m in _latin_re(language).finditer(_fold(printed))))
