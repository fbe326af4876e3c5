"""Actor knowledge loaded from the versioned TSV files in ``kibaru/data``.

Files (tab-separated, ``#`` comments, ``|`` between variants; see each file's header):

- ``countries.tsv``: ISO 3166-1 alpha-3/alpha-2, French names and aliases, the four adjective
  forms (demonyms), capitals and seats of power standing for governments.
- ``organisations.tsv``: international and armed organisations with PLOVER 2.0 country codes
  (UNO, EUR, IGO, NGO, IMG or ISO3) and sectors.
- ``sectors.tsv``: French nouns naming a PLOVER 2.0 sector (armée → MIL, police → COP...).
- ``people.tsv``: dated office-holders (name, country, sector, role, start, end).
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = [
    "grammar_table",
    "word_set",
    "ActorEntry",
    "Person",
    "Lexicon",
    "get_lexicon",
    "norm",
    "strip_article",
]

_ARTICLES = ("le ", "la ", "les ", "l'", "l’", "l ")


@lru_cache(maxsize=200_000)
def norm(s: str) -> str:
    """Case-folded, accent-free form with apostrophes and hyphens unified (lookup key).
    Cached: the same words come back all the time."""
    s = s.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ").replace("-", " ")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    return " ".join(s.split())


def strip_article(s: str) -> str:
    """``"le Kremlin"`` → ``"Kremlin"``; ``"l'Élysée"`` → ``"Élysée"``."""
    low = s.lower()
    for art in _ARTICLES:
        if low.startswith(art):
            return s[len(art):].strip()
    return s.strip()


@dataclass(frozen=True)
class ActorEntry:
    """What a name means: ``kind`` is COUNTRY, CAPITAL, SEAT, ORG, PERSON or ADJ; ``country``
    an ISO3 or PLOVER international code; ``sector`` a PLOVER sector or None; ``name`` the
    canonical name (country or organisation name, person's full name)."""

    kind: str
    country: str | None
    sector: str | None
    name: str


@dataclass(frozen=True)
class Person:
    """A dated office-holder from ``people.tsv`` (dates ISO, ``end`` None while in office)."""

    name: str
    country: str | None
    sector: str | None
    role: str
    start: str | None
    end: str | None


def _rows(filename: str) -> list[dict[str, str]]:
    raw = resources.files("kibaru.data").joinpath(filename).read_text("utf-8")
    lines = [ln for ln in raw.splitlines() if ln.strip() and not ln.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def _split(cell: str) -> list[str]:
    return [v.strip() for v in cell.split("|") if v.strip()]


class Lexicon:
    """All actor knowledge, indexed for lookups by normalised name (:func:`norm`).

    Attributes:
        names: normalised multiword/single name → ActorEntry (countries, capitals, seats,
            organisations, people's names and aliases).
        acronyms: case-sensitive acronyms (``UE``, ``PAM``) → ActorEntry.
        adjectives: normalised adjective/demonym form → ISO3.
        sectors: normalised sector term (singular and plural forms) → PLOVER sector code.
        people: normalised name/alias → list of dated :class:`Person` rows.
        country_names: ISO3 → French short name.
        lower_case: normalised one-word names the data files list in lower case ("shebab",
            "talibans", "al-Bashir"): the press writes them so, and they match in lower case
            (other one-word names must be capitalised in the text).
    """

    def __init__(self) -> None:
        self.names: dict[str, ActorEntry] = {}
        self.acronyms: dict[str, ActorEntry] = {}
        self.adjectives: dict[str, str] = {}
        self.sectors: dict[str, str | None] = {}
        self.people: dict[str, list[Person]] = {}
        self.country_names: dict[str, str] = {}
        self.iso2: dict[str, str] = {}
        self.lower_case: set[str] = set()
        self._load()
        #: first words of every multiword-capable key (names, people, sector terms)
        # (a key's first word, and its part up to an apostrophe: "N'" + "Djamena" are two
        # tokens of the key "n'djamena")
        firsts = {k.split(" ")[0] for k in (*self.names, *self.people, *self.sectors) if k}
        firsts |= {w[:w.index("'") + 1] for w in list(firsts) if "'" in w}
        self.first_words: frozenset[str] = frozenset(firsts)
        #: every character prefix of every name, person and sector key (n-gram pruning)
        self.key_prefixes: frozenset[str] = frozenset(
            k[:n] for k in (*self.names, *self.people, *self.sectors) for n in range(1, len(k) + 1))

    def _add_name(self, surface: str, entry: ActorEntry) -> None:
        surface = strip_article(surface) if entry.kind == "SEAT" else surface
        if not surface:
            return
        letters = surface.replace(".", "").replace("-", "")
        if letters.isupper() and len(letters) <= 6:
            self.acronyms.setdefault(surface, entry)
        else:
            self.names.setdefault(norm(surface), entry)
            if surface[:1].islower():
                self.lower_case.add(norm(surface))

    def _load(self) -> None:
        for row in _rows("countries.tsv"):
            iso3 = row["iso3"]
            self.country_names[iso3] = row["name"]
            if row.get("iso2"):
                self.iso2[row["iso2"]] = iso3
            country = ActorEntry("COUNTRY", iso3, "GOV", row["name"])
            for n in [row["name"], *_split(row.get("aliases", ""))]:
                self._add_name(n, country)
            for n in _split(row.get("capitals", "")):
                self._add_name(n, ActorEntry("CAPITAL", iso3, "GOV", n))
            for n in _split(row.get("seats", "")):
                self._add_name(n, ActorEntry("SEAT", iso3, "GOV", strip_article(n)))
            for col in ("adj_ms", "adj_fs", "adj_mp", "adj_fp"):
                for form in _split(row.get(col, "")):
                    self.adjectives.setdefault(norm(form), iso3)
        for row in _rows("organisations.tsv"):
            names = _split(row["names"])
            if not names:
                continue
            entry = ActorEntry("ORG", row.get("country") or None, row.get("sector") or None,
                               row.get("canonical") or names[0])
            for n in names:
                self._add_name(n, entry)
        for row in _rows("sectors.tsv"):
            for term in _split(row["term"]):
                key = norm(term)
                sector = row.get("sector") or None
                self.sectors.setdefault(key, sector)
                for plural in _plurals(key):
                    self.sectors.setdefault(plural, sector)
        for row in _rows("people.tsv"):
            person = Person(row["name"], row.get("country") or None, row.get("sector") or None,
                            row.get("role", ""), row.get("start") or None, row.get("end") or None)
            for n in [row["name"], *_split(row.get("aliases", ""))]:
                self.people.setdefault(norm(n), []).append(person)
                if n[:1].islower():
                    self.lower_case.add(norm(n))

    def person(self, name: str, on: str | None = None) -> Person | None:
        """The office-holder called ``name`` on ISO date ``on`` (or the latest, if ``on`` is
        None); None when unknown."""
        rows = self.people.get(norm(name))
        if not rows:
            return None
        if on:
            dated = [p for p in rows if (p.start or "") <= on and (p.end is None or on <= p.end)]
            if dated:
                return dated[0]
        return sorted(rows, key=lambda p: p.start or "", reverse=True)[0]

    def sector_of(self, word: str) -> str | None:
        """PLOVER sector of a sector noun or phrase (``"armée"`` → ``"MIL"``), else None."""
        return self.sectors.get(norm(word))

    def is_sector_term(self, word: str) -> bool:
        """True when ``word`` is listed in ``sectors.tsv`` (even with an empty sector)."""
        return norm(word) in self.sectors


_INVARIABLE = frozenset({"de", "du", "des", "d'", "l'", "la", "le", "et", "a"})


def _plurals(key: str) -> set[str]:
    """Regular French plurals of a sector term ("casque bleu" → "casques bleus"); words
    in -al/-au/-eu get both forms (chevaux/bleus), irregular ones are listed in the file."""
    forms = [""]
    for w in key.split(" "):
        if w in _INVARIABLE or w.endswith(("s", "x", "z")):
            options = [w]
        elif w.endswith("al"):
            options = [w[:-2] + "aux", w + "s"]
        elif w.endswith(("au", "eu")):
            options = [w + "x", w + "s"]
        else:
            options = [w + "s"]
        forms = [f"{f} {o}".strip() for f in forms for o in options]
    return set(forms)


@lru_cache(maxsize=1)
def get_lexicon() -> Lexicon:
    """The process-wide :class:`Lexicon` (loaded once)."""
    return Lexicon()


@lru_cache(maxsize=1)
def _grammar() -> dict[str, object]:
    import tomllib

    return tomllib.loads(resources.files("kibaru.data").joinpath("grammar.toml").read_text("utf-8"))


def grammar_table(name: str) -> dict[str, object]:
    """A table of ``data/grammar.toml`` (e.g. ``"future_stems"``). Raises ``KeyError`` for an
    unknown table name."""
    table = _grammar()[name]
    assert isinstance(table, dict)
    return table


def word_set(name: str) -> frozenset[str]:
    """A closed word class of ``data/grammar.toml`` (e.g. ``"town_nouns"``), normalised with
    :func:`norm`. Raises ``KeyError`` for an unknown list name."""
    words = _grammar()[name]
    assert isinstance(words, list)
    return frozenset(norm(str(w)) for w in words)
