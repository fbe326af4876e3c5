"""The dated office-holders of people.tsv: dates, offices that cannot be held by two people at
once, names that must lead to one country, and a few sentences through the real pipeline.

The data checks read the file with the stdlib only (like tests/test_lexicon_files.py); the
pipeline checks use the session-wide spaCy model from conftest.py.
"""

from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "src" / "kibaru" / "data"
FILE_DATE = date(2026, 11, 29)

#: Roles that make someone the head of state (one at a time per country) ...
HEAD_OF_STATE = frozenset({
    "président", "président de la transition", "président par intérim", "chef de l'État",
    "roi", "reine", "émir", "sultan", "empereur", "chah",
})
#: ... and the head of government (one at a time per country).
HEAD_OF_GOVERNMENT = frozenset({
    "Premier ministre", "chancelier", "président du Conseil", "président du gouvernement",
})
#: A note containing this marks a documented period of two rival claimants (kept, not a typo).
RIVAL_MARK = "rival claimant"

#: Family names deliberately shared by relatives who held the same country's office at
#: different times; the loader picks the one in office on the article's date
#: (Lexicon.person(name, on)). Every other name or alias belongs to one person.
SHARED_FAMILY_NAMES = frozenset({"bush", "assad"})

#: Single words that must never be a person alias: first names, common French words, and
#: family names shared by leaders of different countries or by relatives.
NEVER_ALONE = frozenset(
    "sharon kim lee ali khan sharif diop traore toure hollande philippe borne cresson major "
    "may johnson brown kabila bongo kenyatta aliev aliyev gandhi bhutto mutharika jugnauth "
    "wade diouf sall conte conde keita maiga deby botha ghannouchi tshisekedi medvedev "
    "castro fernandez hassan abdallah mohamed ahmed nguema barre francois jonathan "
    "carter ford clinton cameron martin moon park yoon".split()
)


def _loose(s: str) -> str:
    """As the loader's kibaru.nlp.lexicon.norm: case, accents, hyphens and apostrophes."""
    s = s.replace("\u2019", "'").replace("\u00a0", " ").replace("-", " ")
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return " ".join(s.casefold().split())


def _rows(filename: str) -> list[dict[str, str]]:
    lines = [ln for ln in (DATA / filename).read_text("utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


PEOPLE = _rows("people.tsv")


def _names(row: dict[str, str]) -> list[str]:
    return [row["name"], *(a for a in row["aliases"].split("|") if a)]


def _span(row: dict[str, str]) -> tuple[date, date]:
    return (date.fromisoformat(row["start"]),
            date.fromisoformat(row["end"]) if row["end"] else date.max)


# --- the data -------------------------------------------------------------------------------


def test_the_file_covers_the_world() -> None:
    countries = {r["country"] for r in PEOPLE}
    assert len(PEOPLE) >= 900 and len(countries) >= 120
    g20 = set("ARG AUS BRA CAN CHN FRA DEU IND IDN ITA JPN MEX RUS SAU ZAF KOR TUR GBR USA".split())
    assert g20 <= countries, sorted(g20 - countries)


@pytest.mark.parametrize("row", PEOPLE, ids=lambda r: f"{r['name']}-{r['start']}")
def test_dates_are_plausible(row: dict[str, str]) -> None:
    start, end = _span(row)
    assert date(1900, 1, 1) <= start <= FILE_DATE
    assert start <= end
    assert end == date.max or end <= FILE_DATE, "an end date after the file date is a guess"


def _overlaps(roles: frozenset[str]) -> list[str]:
    by_country: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in PEOPLE:
        if r["role"] in roles:
            by_country[r["country"]].append(r)
    found = []
    for country, rows in by_country.items():
        rows.sort(key=lambda r: _span(r))
        for i, a in enumerate(rows):
            for b in rows[i + 1:]:
                if _span(b)[0] >= _span(a)[1]:
                    continue
                if RIVAL_MARK in a["note"] or RIVAL_MARK in b["note"]:
                    continue
                found.append(f"{country}: {a['name']} {a['start']}..{a['end'] or 'now'} / "
                             f"{b['name']} {b['start']}..{b['end'] or 'now'}")
    return found


def test_one_head_of_state_at_a_time() -> None:
    assert _overlaps(HEAD_OF_STATE) == []


def test_one_head_of_government_at_a_time() -> None:
    assert _overlaps(HEAD_OF_GOVERNMENT) == []


def test_at_most_one_open_ended_term_per_office() -> None:
    open_ended: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in PEOPLE:
        if not r["end"] and r["country"] not in ("UNO", "EUR", "IGO"):
            group = ("HOS" if r["role"] in HEAD_OF_STATE
                     else "HOG" if r["role"] in HEAD_OF_GOVERNMENT else r["role"])
            open_ended[(r["country"], group)].append(r["name"])
    assert {k: v for k, v in open_ended.items() if len(v) > 1} == {}


def test_every_name_leads_to_one_country_on_any_date() -> None:
    """A name never stands for two countries; the one exception is a single person with a
    national office and, at another time, an international one (Guterres: Portugal, then
    the UN), which the loader tells apart by the article's date."""
    rows_of: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in PEOPLE:
        for n in _names(r):
            rows_of[_loose(n)].append(r)
    bad = {}
    for n, rows in rows_of.items():
        if len({r["country"] for r in rows}) == 1:
            continue
        people = {r["name"] for r in rows}
        clash = any(_span(a)[0] < _span(b)[1] and _span(b)[0] < _span(a)[1]
                    for a in rows for b in rows if a["country"] != b["country"])
        if len(people) > 1 or clash:
            bad[n] = sorted(f"{r['country']} {r['name']} {r['start']}" for r in rows)
    assert bad == {}


def test_every_name_leads_to_one_person_unless_a_listed_family_name() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for r in PEOPLE:
        for n in _names(r):
            owners[_loose(n)].add(r["name"])
    shared = {n for n, people in owners.items() if len(people) > 1}
    assert shared == set(SHARED_FAMILY_NAMES)


def test_shared_family_names_are_resolved_by_date() -> None:
    from kibaru.nlp.lexicon import get_lexicon

    lex = get_lexicon()
    assert lex.person("Bush", "1991-02-01").name == "George H. W. Bush"
    assert lex.person("Bush", "2003-03-20").name == "George W. Bush"


def test_single_word_aliases_are_safe() -> None:
    from spacy.lang.fr.stop_words import STOP_WORDS

    sector_terms = {_loose(t) for r in _rows("sectors.tsv") for t in r["term"].split("|")}
    bad = []
    for r in PEOPLE:
        for n in _names(r):
            key = _loose(n)
            if " " in key:
                continue
            if not n[:1].isupper():
                bad.append((n, "a one-word name is matched only when capitalised"))
            if key in NEVER_ALONE or key in STOP_WORDS or key in sector_terms:
                bad.append((n, r["name"]))
    assert bad == []


def test_person_names_are_not_places_or_organisations() -> None:
    """The loader prefers place and organisation names, so such an alias would never match."""
    taken = set()
    for r in _rows("countries.tsv"):
        for col in ("name", "aliases", "capitals", "seats"):
            taken |= {_loose(v) for v in r[col].split("|") if v}
    for r in _rows("organisations.tsv"):
        taken |= {_loose(v) for v in r["names"].split("|") if v}
    assert sorted({n for r in PEOPLE for n in _names(r) if _loose(n) in taken}) == []


@pytest.mark.parametrize(("name", "on", "country", "role"), [
    ("Boris Eltsine", "1995-06-01", "RUS", "président"),
    ("Poutine", "2005-01-01", "RUS", "président"),
    ("Poutine", "2010-01-01", "RUS", "Premier ministre"),
    ("Gorbatchev", "1987-01-01", "RUS", "secrétaire général du PCUS"),
    ("Hosni Moubarak", "2005-01-01", "EGY", "président"),
    ("Kadhafi", "2000-01-01", "LBY", "chef de l'État"),
    ("Omar Hassan al-Bashir", "2005-01-01", "SDN", "président"),
    ("Omar el-Bechir", "2005-01-01", "SDN", "président"),
    ("Ariel Sharon", "2003-01-01", "ISR", "Premier ministre"),
    ("Yasser Arafat", "1999-01-01", "PSE", "président"),
    ("Saddam Hussein", "1990-01-01", "IRQ", "président"),
    ("Bouteflika", "2010-01-01", "DZA", "président"),
    ("Museveni", "2016-01-01", "UGA", "président"),
    ("Mugabe", "1985-01-01", "ZWE", "Premier ministre"),
    ("Mugabe", "2000-01-01", "ZWE", "président"),
    ("Angela Merkel", "2015-01-01", "DEU", "chancelier"),
    ("Lula", "2005-01-01", "BRA", "président"),
    ("Lula", "2024-01-01", "BRA", "président"),
    ("Narendra Modi", "2020-01-01", "IND", "Premier ministre"),
    ("Kofi Annan", "2000-01-01", "UNO", "secrétaire général de l'ONU"),
    ("Erdogan", "2010-01-01", "TUR", "Premier ministre"),
])
def test_dated_lookups(name: str, on: str, country: str, role: str) -> None:
    from kibaru.nlp.lexicon import get_lexicon

    person = get_lexicon().person(name, on)
    assert person is not None
    assert (person.country, person.role) == (country, role)
    assert (person.start or "") <= on and (person.end is None or on <= person.end)


# --- through the pipeline -------------------------------------------------------------------


@pytest.mark.parametrize(("text", "published", "actor", "recipient"), [
    ("Le président Yoweri Museveni a rencontré jeudi le président kényan William Ruto à "
     "Kampala.", "2023-05-04", "UGA", "KEN"),
    ("Boris Eltsine a condamné mardi les frappes de l'OTAN contre la Serbie.",
     "1999-03-24", "RUS", "IGO"),
    ("Mouammar Kadhafi a menacé mercredi les États-Unis de représailles.",
     "1986-04-16", "LBY", "USA"),
    ("Omar el-Béchir a accusé lundi le Tchad de soutenir les rebelles du Darfour.",
     "2008-05-12", "SDN", "TCD"),
    ("Le chancelier Helmut Kohl a rencontré vendredi François Mitterrand à Bonn.",
     "1990-02-16", "DEU", "FRA"),
    ("Narendra Modi a accusé vendredi le Pakistan d'abriter des terroristes.",
     "2019-02-15", "IND", "PAK"),
    ("Saddam Hussein a menacé jeudi le Koweït.", "1990-07-19", "IRQ", "KWT"),
])
def test_leaders_code_events(code, text: str, published: str, actor: str,
                             recipient: str) -> None:
    events = code(text, published=published).events
    assert events, text
    e = events[0]
    assert e.actor is not None and e.actor.country == actor
    assert e.recipient is not None and e.recipient.country == recipient


@pytest.mark.parametrize(("published", "name"), [
    ("1991-01-17", "George H. W. Bush"),
    ("2004-04-12", "George W. Bush"),
])
def test_a_shared_family_name_is_resolved_by_the_article_date(code, published: str,
                                                              name: str) -> None:
    (e, *_) = code("Bush a rencontré lundi Ariel Sharon.", published=published).events
    assert e.actor is not None and (e.actor.name, e.actor.country) == (name, "USA")


def test_a_new_leader_name_is_marked_as_a_person(nlp) -> None:
    doc = nlp("Jacques Chirac et Ariel Sharon se sont parlé au téléphone.")
    marked = {s.text: s.kb_id_ for s in doc.spans["kibaru_actors"]}
    assert marked["Jacques Chirac"].startswith("FRA|GOV|")
    assert marked["Ariel Sharon"].startswith("ISR|GOV|")
