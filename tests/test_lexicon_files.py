"""Integrity checks for the analyst-editable actor lexicon files (src/kibaru/data/*.tsv).

The files are read with the stdlib csv module only, so these tests do not depend on the
loader code: they guard the data itself against editing mistakes.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "src" / "kibaru" / "data"

HEADERS: dict[str, list[str]] = {
    "countries.tsv": [
        "iso3", "iso2", "name", "aliases",
        "adj_ms", "adj_fs", "adj_mp", "adj_fp", "capitals", "seats",
    ],
    "organisations.tsv": ["names", "country", "sector", "canonical"],
    "sectors.tsv": ["term", "sector", "kind", "note"],
    "people.tsv": ["name", "aliases", "country", "sector", "role", "start", "end", "note"],
}

# Columns holding several values separated by "|".
MULTI: dict[str, set[str]] = {
    "countries.tsv": {
        "aliases", "adj_ms", "adj_fs", "adj_mp", "adj_fp", "capitals", "seats",
    },
    "organisations.tsv": {"names"},
    "sectors.tsv": set(),
    "people.tsv": {"aliases"},
}

PLOVER_SECTORS = frozenset(
    "COP GOV MIL JUD LEG PRM PTY REB SPY UAF UNK "
    "AGR BUS CRM CVL EDU ELI JRN LAB MED REF OPP PRE REL SOC".split()
)
INTERNATIONAL = frozenset({"UNO", "EUR", "IGO", "NGO", "IMG", "ISM", "MNC"})
AFRICA = frozenset(
    "DZA AGO BEN BWA BFA BDI CPV CMR CAF TCD COM COG COD CIV DJI EGY GNQ ERI SWZ ETH GAB GMB "
    "GHA GIN GNB KEN LSO LBR LBY MDG MWI MLI MRT MUS MAR MOZ NAM NER NGA RWA STP SEN SYC SLE "
    "SOM ZAF SSD SDN TZA TGO TUN UGA ZMB ZWE".split()
)
# The 193 member states of the United Nations (ISO 3166-1 alpha-3).
UN_MEMBER_STATES = frozenset(
    "AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH "
    "BWA BRA BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP "
    "CZE PRK COD DNK DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU "
    "GHA GRC GRD GTM GIN GNB GUY HTI HND HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ "
    "KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS "
    "MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN "
    "PNG PRY PER PHL POL PRT QAT KOR MDA ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN SRB SYC "
    "SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK THA TLS TGO TON TTO TUN "
    "TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB ZWE".split()
)
# Observer states and territories the press names as actors, listed besides the UN members.
OTHER_STATES_AND_TERRITORIES = frozenset("PSE VAT XKX TWN HKG MAC ESH GRL PRI".split())
ADJ_COLUMNS = ("adj_ms", "adj_fs", "adj_mp", "adj_fp")
COUNTRY_STRING_COLUMNS = ("name", "aliases", *ADJ_COLUMNS, "capitals", "seats")

# Strings deliberately shared by several countries: {casefolded string: {iso3, ...}}.
# Keep empty unless a sharing is unavoidable; document each entry here when adding one.
# ("congolais" is NOT shared: it belongs to COG only, see the comment in countries.tsv.)
SHARED_COUNTRY_STRINGS: dict[str, set[str]] = {}

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _raw(filename: str) -> tuple[list[str], list[str], list[tuple[int, list[str]]]]:
    """Return (comment lines before the header, header, [(line number, cells)])."""
    leading: list[str] = []
    header: list[str] | None = None
    body: list[tuple[int, list[str]]] = []
    with open(DATA / filename, encoding="utf-8", newline="") as fh:
        numbered = list(enumerate(fh, start=1))
    for lineno, line in numbered:
        if line.startswith("#"):
            if header is None:
                leading.append(line)
            continue
        if not line.strip():
            continue
        cells = next(csv.reader([line.rstrip("\r\n")], delimiter="\t", quoting=csv.QUOTE_NONE))
        if header is None:
            header = cells
        else:
            body.append((lineno, cells))
    assert header is not None, f"{filename}: no header line"
    return leading, header, body


def _rows(filename: str) -> list[dict[str, str]]:
    _, header, body = _raw(filename)
    return [dict(zip(header, cells, strict=False)) for _, cells in body]


def _values(cell: str) -> list[str]:
    return [v for v in cell.split("|")] if cell else []


COUNTRIES = _rows("countries.tsv")
ORGS = _rows("organisations.tsv")
SECTORS = _rows("sectors.tsv")
PEOPLE = _rows("people.tsv")
ISO3 = {r["iso3"] for r in COUNTRIES}


# --- all files ------------------------------------------------------------------------------


@pytest.mark.parametrize("filename", sorted(HEADERS))
def test_header_and_version_comment(filename: str) -> None:
    leading, header, _ = _raw(filename)
    assert leading, f"{filename}: line 1 must be the version comment"
    assert leading[0].startswith("# kibaru actor lexicon v1, "), leading[0]
    assert len(leading) == 1, f"{filename}: the header must be on line 2"
    assert header == HEADERS[filename]


@pytest.mark.parametrize("filename", sorted(HEADERS))
def test_every_row_has_the_right_column_count(filename: str) -> None:
    _, header, body = _raw(filename)
    assert body, f"{filename}: no data rows"
    bad = [(n, len(cells)) for n, cells in body if len(cells) != len(header)]
    assert not bad, f"{filename}: (line, columns) with wrong count, expected {len(header)}: {bad}"


@pytest.mark.parametrize("filename", sorted(HEADERS))
def test_cells_are_clean(filename: str) -> None:
    _, header, body = _raw(filename)
    problems = []
    for n, cells in body:
        for col, cell in zip(header, cells, strict=False):
            if cell != cell.strip():
                problems.append((n, col, "surrounding whitespace"))
            if col in MULTI[filename]:
                for v in _values(cell):
                    if not v or v != v.strip():
                        problems.append((n, col, f"empty or padded value in {cell!r}"))
            elif "|" in cell and col not in ("note", "canonical", "role"):
                problems.append((n, col, "'|' in a single-valued column"))
    assert not problems, problems


# --- countries.tsv --------------------------------------------------------------------------


@pytest.mark.parametrize("row", COUNTRIES, ids=lambda r: r["iso3"])
def test_country_codes_look_right(row: dict[str, str]) -> None:
    assert re.fullmatch(r"[A-Z]{3}", row["iso3"]), row["iso3"]
    assert re.fullmatch(r"[A-Z]{2}", row["iso2"]), row["iso2"]
    assert row["name"], "name is required"


def test_country_codes_unique() -> None:
    for col in ("iso3", "iso2"):
        seen: dict[str, int] = defaultdict(int)
        for r in COUNTRIES:
            seen[r[col]] += 1
        dups = sorted(k for k, v in seen.items() if v > 1)
        assert not dups, f"duplicate {col}: {dups}"


def test_every_african_country_is_covered() -> None:
    assert sorted(AFRICA - ISO3) == []


def test_un_member_state_list_is_complete() -> None:
    assert len(UN_MEMBER_STATES) == 193
    assert AFRICA <= UN_MEMBER_STATES


def test_every_un_member_state_is_covered() -> None:
    assert sorted(UN_MEMBER_STATES - ISO3) == []


def test_every_row_is_a_un_member_or_a_listed_state_or_territory() -> None:
    assert sorted(ISO3 - UN_MEMBER_STATES - OTHER_STATES_AND_TERRITORIES) == []


@pytest.mark.parametrize("row", COUNTRIES, ids=lambda r: r["iso3"])
def test_country_has_all_four_adjective_forms(row: dict[str, str]) -> None:
    empty = [c for c in ADJ_COLUMNS if not _values(row[c])]
    assert not empty, f"{row['iso3']}: empty adjective cells {empty}"
    for c in ADJ_COLUMNS:
        for form in _values(row[c]):
            assert form == form.lower(), f"{row['iso3']} {c}: adjectives are lower case: {form}"


def _country_string_owners() -> dict[str, set[str]]:
    owners: dict[str, set[str]] = defaultdict(set)
    for r in COUNTRIES:
        for col in COUNTRY_STRING_COLUMNS:
            for v in _values(r[col]):
                owners[v.casefold()].add(r["iso3"])
    return owners


def test_no_country_string_claimed_by_two_countries() -> None:
    clashes = {
        s: sorted(isos)
        for s, isos in _country_string_owners().items()
        if len(isos) > 1 and SHARED_COUNTRY_STRINGS.get(s) != isos
    }
    assert not clashes, f"strings claimed by several countries: {clashes}"


def _loose(s: str) -> str:
    """Accent-, case-, hyphen- and apostrophe-insensitive form, as the loader matches text."""
    s = s.replace("\u2019", "'").replace("-", " ")
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return " ".join(s.casefold().split())


def test_no_country_string_claimed_by_two_countries_ignoring_accents_and_hyphens() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for r in COUNTRIES:
        for col in COUNTRY_STRING_COLUMNS:
            for v in _values(r[col]):
                owners[_loose(v)].add(r["iso3"])
    clashes = {
        s: sorted(isos)
        for s, isos in owners.items()
        if len(isos) > 1 and SHARED_COUNTRY_STRINGS.get(s) != isos
    }
    assert not clashes, f"strings claimed by several countries: {clashes}"


@pytest.mark.parametrize(
    ("string", "iso3"),
    [
        ("nigérien", "NER"),
        ("nigérienne", "NER"),
        ("nigériens", "NER"),
        ("nigérian", "NGA"),
        ("nigériane", "NGA"),
        ("nigérians", "NGA"),
        ("burkinabè", "BFA"),
        ("burkinabé", "BFA"),
        ("guinéen", "GIN"),
        ("bissau-guinéen", "GNB"),
        ("équato-guinéen", "GNQ"),
        ("congolais", "COG"),
        ("centrafricain", "CAF"),
        ("ivoirienne", "CIV"),
        ("tchadiens", "TCD"),
        ("sénégalaise", "SEN"),
        ("mauritanien", "MRT"),
        ("russe", "RUS"),
        ("française", "FRA"),
        ("turque", "TUR"),
        ("turcs", "TUR"),
        ("américaine", "USA"),
        ("soudanais", "SDN"),
        ("sud-soudanais", "SSD"),
        ("Etats-Unis", "USA"),
        ("RDC", "COD"),
        ("Centrafrique", "CAF"),
        ("RCA", "CAF"),
        ("Côte d’Ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("Burkina", "BFA"),
        ("Fédération de Russie", "RUS"),
        ("N'Djamena", "TCD"),
        ("N’Djamena", "TCD"),
        ("Pékin", "CHN"),
        ("Kyiv", "UKR"),
        ("le Kremlin", "RUS"),
        ("l’Élysée", "FRA"),
        ("Koulouba", "MLI"),
        ("Kosyam", "BFA"),
        ("la Maison-Blanche", "USA"),
        ("afghanes", "AFG"),
        ("Kaboul", "AFG"),
        ("Corée du Nord", "PRK"),
        ("République populaire démocratique de Corée", "PRK"),
        ("RPDC", "PRK"),
        ("nord-coréen", "PRK"),
        ("sud-coréen", "KOR"),
        ("Birmanie", "MMR"),
        ("Myanmar", "MMR"),
        ("birmane", "MMR"),
        ("Viêt Nam", "VNM"),
        ("Vietnam", "VNM"),
        ("Taïwan", "TWN"),
        ("Macédoine", "MKD"),
        ("Macédoine du Nord", "MKD"),
        ("Kosovo", "XKX"),
        ("kosovar", "XKX"),
        ("albanais", "ALB"),
        ("Saint-Siège", "VAT"),
        ("Timor oriental", "TLS"),
        ("Timor-Leste", "TLS"),
        ("azéri", "AZE"),
        ("dominicain", "DOM"),
        ("dominiquais", "DMA"),
        ("guyanien", "GUY"),
        ("Santiago du Chili", "CHL"),
        ("la Moneda", "CHL"),
        ("la Casa Rosada", "ARG"),
        ("Kingston", "JAM"),
        ("El Salvador", "SLV"),
        ("La Havane", "CUB"),
        ("néo-zélandais", "NZL"),
        ("Groenland", "GRL"),
    ],
)
def test_known_country_strings(string: str, iso3: str) -> None:
    assert _country_string_owners().get(string.casefold()) == {iso3}


@pytest.mark.parametrize(
    "string",
    [
        # deliberate omissions documented in the header of countries.tsv
        "coréen", "coréenne", "Corée",  # neither Korea
        "Dominique",  # first name (Dominica is "Commonwealth de la Dominique")
        "Grenade",  # Spanish city and weapon (Grenada is "Île de la Grenade")
        "Santiago", "San José", "San Juan", "Georgetown", "Victoria", "Castries",
        "Aden", "Malé", "Sucre", "Bruxelles", "La Haye", "Vienne",
        "guyanais", "timorais", "papou", "bosniaque", "khmer", "thaï", "lao", "somali",
        "Salomon", "Marshall", "Guyane", "Nouvelle-Calédonie",
    ],
)
def test_ambiguous_strings_belong_to_no_country(string: str) -> None:
    assert string.casefold() not in _country_string_owners()


# --- organisations.tsv ----------------------------------------------------------------------


@pytest.mark.parametrize("row", ORGS, ids=lambda r: _values(r["names"])[0] if r["names"] else "?")
def test_organisation_row(row: dict[str, str]) -> None:
    assert _values(row["names"]), "names is required"
    assert row["canonical"], "canonical is required"
    country = row["country"]
    assert country == "" or country in INTERNATIONAL or re.fullmatch(r"[A-Z]{3}", country), country
    if country and country not in INTERNATIONAL:
        assert country in ISO3, f"{country} is not in countries.tsv"
    assert row["sector"] == "" or row["sector"] in PLOVER_SECTORS, row["sector"]


def test_organisation_names_unique() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for r in ORGS:
        for n in _values(r["names"]):
            owners[n.casefold()].add(r["canonical"])
    clashes = {n: sorted(c) for n, c in owners.items() if len(c) > 1}
    assert not clashes, clashes


def test_organisation_names_unique_ignoring_accents_and_hyphens() -> None:
    # the loader matches names without case, accents, hyphens or apostrophe style, so
    # "Etat islamique" in one row and "État islamique" in another would silently clash
    owners: dict[str, set[str]] = defaultdict(set)
    for r in ORGS:
        for n in _values(r["names"]):
            owners[_loose(n)].add(r["canonical"])
    clashes = {n: sorted(c) for n, c in owners.items() if len(c) > 1}
    assert not clashes, clashes


def _without_article(s: str) -> str:
    for art in ("le ", "la ", "les ", "l'", "l’"):
        if s.lower().startswith(art):
            return s[len(art):]
    return s


def test_organisation_names_are_not_country_strings() -> None:
    # countries.tsv is loaded first: an organisation name equal to a country name, alias,
    # capital or seat of power ("le Kremlin") would never be read as the organisation
    country = {_loose(_without_article(v)) for r in COUNTRIES
               for col in ("name", "aliases", "capitals", "seats") for v in _values(r[col])}
    taken = sorted(n for r in ORGS for n in _values(r["names"]) if _loose(n) in country)
    assert not taken, taken


@pytest.mark.parametrize(
    ("name", "country", "sector"),
    [
        ("PAM", "UNO", ""),
        ("MINUSMA", "UNO", "MIL"),
        ("CEDEAO", "IGO", ""),
        ("ECOWAS", "IGO", ""),
        ("Wagner", "RUS", "PRM"),
        ("JNIM", "IMG", "REB"),
        ("FAMa", "MLI", "MIL"),
        ("VDP", "BFA", "PRM"),
        ("MSF", "NGO", ""),
        # world rows
        ("Conseil de sécurité", "UNO", ""),
        ("AIEA", "UNO", ""),
        ("TPIY", "UNO", "JUD"),
        ("FINUL", "UNO", "MIL"),
        ("CEE", "EUR", ""),
        ("Otan", "IGO", ""),
        ("OPEP", "IGO", ""),
        ("OUA", "IGO", ""),
        ("CEDH", "IGO", "JUD"),
        ("Interpol", "IGO", "COP"),
        ("Greenpeace", "NGO", ""),
        ("Pentagone", "USA", "MIL"),
        ("CIA", "USA", "SPY"),
        ("FBI", "USA", "COP"),
        ("Knesset", "ISR", "LEG"),
        ("Tsahal", "ISR", "MIL"),
        ("Mossad", "ISR", "SPY"),
        ("FSB", "RUS", "SPY"),
        ("Bundestag", "DEU", "LEG"),
        ("Hamas", "PSE", "REB"),
        ("Jihad islamique", "PSE", "REB"),
        ("OLP", "PSE", ""),
        ("Fatah", "PSE", "PTY"),
        ("Hezbollah", "LBN", "REB"),
        ("Houthis", "YEM", "REB"),
        ("PKK", "TUR", "REB"),
        ("FIS", "DZA", "REB"),
        ("GIA", "DZA", "REB"),
        ("Talibans", "AFG", "REB"),
        ("LTTE", "LKA", "REB"),
        ("ETA", "ESP", "REB"),
        ("IRA", "GBR", "REB"),
        ("UCK", "XKX", "REB"),
        ("FARC", "COL", "REB"),
        ("Sentier lumineux", "PER", "REB"),
        ("Front Polisario", "ESH", "REB"),
        ("FPR", "RWA", "PTY"),
        ("UNITA", "AGO", "REB"),
        ("MPLA", "AGO", "PTY"),
        ("ANC", "ZAF", "PTY"),
        ("Likoud", "ISR", "PTY"),
        ("SPLA", "", ""),
        ("SPLM-N", "SDN", "REB"),
        ("Baas", "", "PTY"),
        ("Armée populaire de libération", "CHN", "MIL"),
        ("Armée populaire de libération du Soudan", "", ""),
    ],
)
def test_known_organisations(name: str, country: str, sector: str) -> None:
    hits = [(r["country"], r["sector"]) for r in ORGS if name in _values(r["names"])]
    assert hits == [(country, sector)]


@pytest.mark.parametrize(
    "string",
    [
        # deliberate omissions documented in the header of organisations.tsv
        "Douma", "Congrès", "Sénat", "Chambre des communes", "KGB", "CEI", "ALS", "NPA", "OMPI",
        "PCC", "RAF", "APL", "FAN", "Amal", "Action directe", "Forces nouvelles",
        "Armée de libération nationale", "Parti de la justice et du développement",
        "Parti travailliste", "Parti démocrate", "Parti républicain", "Frères musulmans", "Isis",
        # seats of power belong to countries.tsv
        "Kremlin", "Élysée", "Maison-Blanche", "Quai d'Orsay", "Downing Street",
    ],
)
def test_ambiguous_strings_belong_to_no_organisation(string: str) -> None:
    assert all(_loose(string) != _loose(n) for r in ORGS for n in _values(r["names"]))


# --- sectors.tsv ----------------------------------------------------------------------------


@pytest.mark.parametrize("row", SECTORS, ids=lambda r: r["term"])
def test_sector_row(row: dict[str, str]) -> None:
    assert row["term"], "term is required"
    assert row["sector"] == "" or row["sector"] in PLOVER_SECTORS, row["sector"]
    assert row["kind"] in {"person", "group"}, row["kind"]
    if not row["sector"]:
        assert row["note"], "an empty sector must be explained in note"


def test_sector_terms_unique() -> None:
    seen: dict[str, int] = defaultdict(int)
    for r in SECTORS:
        seen[r["term"].casefold()] += 1
    assert sorted(t for t, n in seen.items() if n > 1) == []


# --- people.tsv -----------------------------------------------------------------------------


def _iso(value: str) -> date:
    assert ISO_DATE.fullmatch(value), f"not an ISO date: {value!r}"
    return date.fromisoformat(value)


@pytest.mark.parametrize("row", PEOPLE, ids=lambda r: f"{r['name']}-{r['start']}")
def test_person_row(row: dict[str, str]) -> None:
    assert row["name"] and row["role"]
    start = _iso(row["start"])
    if row["end"]:
        assert start <= _iso(row["end"]), "start must not be after end"
    country = row["country"]
    assert country in INTERNATIONAL or country in ISO3, country
    assert row["sector"] == "" or row["sector"] in PLOVER_SECTORS, row["sector"]


# Family names deliberately shared by relatives who held one country's office at different
# times (Lexicon.person(name, on) picks the one in office on the date); see
# tests/test_people_lexicon.py, which also checks that their terms do not overlap.
SHARED_PERSON_ALIASES = frozenset({"bush", "assad"})


def test_people_aliases_point_to_one_person() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for r in PEOPLE:
        for s in [r["name"], *_values(r["aliases"])]:
            owners[s.casefold()].add(r["name"])
    clashes = {a: sorted(n) for a, n in owners.items()
               if len(n) > 1 and a not in SHARED_PERSON_ALIASES}
    assert not clashes, clashes


def test_people_terms_in_same_role_do_not_overlap() -> None:
    spans: dict[tuple[str, str], list[tuple[date, date]]] = defaultdict(list)
    for r in PEOPLE:
        end = _iso(r["end"]) if r["end"] else date.max
        spans[(r["name"], r["role"])].append((_iso(r["start"]), end))
    for key, periods in spans.items():
        periods.sort()
        for (_, end1), (start2, _) in zip(periods, periods[1:], strict=False):
            assert end1 <= start2, f"overlapping terms for {key}"
