"""CSV with GDELT's event-table column names: CAMEO codes, quad class, Goldstein value, actor codes.

One row per event whose sub-event type has a CAMEO code (``event_types.json``); the three
ACLED sub-event types CAMEO has no verb for ("Change to group/activity", "Disrupted
weapons use", "Other") are left out, as PLOVER leaves out CAMEO's statements. Actor1 is
the side that acts (actor2 for "Excessive force against protesters": the forces fire on
the protesters ACLED names first). Actor codes are the country's ISO alpha-3 code and the
CAMEO type code of the actor's category ("SYRMIL", "SOMREB"); GDELT's location columns get
the FIPS country code, and GeoNames ids stand in for GDELT's feature ids.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from typing import IO, Any

from marsad.export.actors import ActorBook, ActorInfo, country, sides
from marsad.knowledge.codes import ExportCodes, load_codes

CAMEO_COLUMNS = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1Type1Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2Type1Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
)

ArticleLookup = Callable[[str], Mapping[str, Any] | None]


def type_code(info: ActorInfo, codes: ExportCodes, scheme: str) -> str:
    """The actor's CAMEO type (``scheme="cameo"``) or PLOVER sector (``"plover"``); "" when unknown."""
    for kind in info.kinds:
        if kind in codes.kinds:
            return codes.kinds[kind][scheme]
    row = codes.categories.get(info.category)
    return row[scheme] if row else ""


def _actor(name: str | None, book: ActorBook, codes: ExportCodes) -> dict[str, str]:
    if not name:
        return {"Code": "", "Name": "", "CountryCode": "", "Type1Code": ""}
    info = book(name)
    iso3 = info.country.iso3 if info.country else ""
    role = type_code(info, codes, "cameo")
    return {"Code": iso3 + role, "Name": name, "CountryCode": iso3, "Type1Code": role}


def _geo(event: Mapping[str, Any]) -> dict[str, Any]:
    lat, lon = event.get("latitude"), event.get("longitude")
    place = country(event.get("iso3"))
    us = event.get("iso3") == "USA"
    if lat is None or lon is None:
        geo_type: int | str = 1 if place else ""
    elif event.get("location") and event.get("geo_precision") in (1, 2):
        geo_type = 3 if us else 4  # GDELT: a (US) city or landmark
    elif event.get("admin1"):
        geo_type = 2 if us else 5  # a (US) state or first-level division
    else:
        geo_type = 1 if place else ""
    parts = [event.get("location"), event.get("admin1"), event.get("country")]
    if geo_type in (1, 2, 5):
        parts = parts[1:] if geo_type != 1 else parts[2:]
    names: list[str] = []
    for part in parts:
        if part and part not in names:
            names.append(part)
    fips = place.fips if place else ""
    return {
        "ActionGeo_Type": geo_type,
        "ActionGeo_FullName": ", ".join(names),
        "ActionGeo_CountryCode": fips,
        "ActionGeo_ADM1Code": fips if geo_type == 1 else "",
        "ActionGeo_Lat": "" if lat is None else lat,
        "ActionGeo_Long": "" if lon is None else lon,
        "ActionGeo_FeatureID": event.get("geonameid") or "",
    }


def _dates(value: str | None) -> dict[str, Any]:
    if not value:
        return {"SQLDATE": "", "MonthYear": "", "Year": "", "FractionDate": ""}
    d = date.fromisoformat(value)
    fraction = round(d.year + d.timetuple().tm_yday / 365, 4)  # GDELT's YYYY.FFFF
    return {
        "SQLDATE": int(d.strftime("%Y%m%d")),
        "MonthYear": d.year * 100 + d.month,
        "Year": d.year,
        "FractionDate": fraction,
    }


def cameo_row(
    event: Mapping[str, Any],
    *,
    book: ActorBook | None = None,
    timestamp: int | None = None,
    articles: ArticleLookup | None = None,
    codes: ExportCodes | None = None,
) -> dict[str, Any] | None:
    """One EVENT as a GDELT-style row, or None when its sub-event type has no CAMEO code."""
    codes = codes or load_codes()
    sub = codes.sub_types.get(event.get("sub_event_type") or "")
    if sub is None or sub.cameo is None:
        return None
    book = book or ActorBook()
    acting, acted_on = sides(event, sub.roles)
    a1 = _actor(acting[0] if acting else None, book, codes)
    a2 = _actor(acted_on[0] if acted_on else None, book, codes)
    sources = event.get("sources") or []
    article_ids = list(dict.fromkeys(s["article_id"] for s in sources))
    publishers = {s.get("publisher") or s["article_id"] for s in sources}
    url = ""
    for article_id in article_ids:
        meta = articles(article_id) if articles else None
        if meta and meta.get("url"):
            url = meta["url"]
            break
    added: int | str = ""
    if timestamp is not None:
        added = int(datetime.fromtimestamp(timestamp, UTC).strftime("%Y%m%d%H%M%S"))
    row: dict[str, Any] = {"GLOBALEVENTID": event["event_id"], **_dates(event.get("event_date"))}
    row.update({f"Actor1{k}": v for k, v in a1.items()})
    row.update({f"Actor2{k}": v for k, v in a2.items()})
    row.update(
        {
            "IsRootEvent": 1,  # marsad keeps only the events an article reports as news
            "EventCode": sub.cameo,
            "EventBaseCode": sub.cameo[:3],
            "EventRootCode": sub.cameo[:2],
            "QuadClass": codes.quad_class(sub.cameo),
            "GoldsteinScale": codes.goldstein[sub.cameo],
            "NumMentions": len(sources),
            "NumSources": len(publishers),
            "NumArticles": int(event.get("n_sources") or len(article_ids)),
            **_geo(event),
            "DATEADDED": added,
            "SOURCEURL": url,
        }
    )
    return {column: row[column] for column in CAMEO_COLUMNS}


def write_cameo(
    events: Iterable[Mapping[str, Any]],
    out: IO[str],
    *,
    categories: Mapping[str, str] | None = None,
    timestamps: Callable[[str], int | None] | None = None,
    articles: ArticleLookup | None = None,
) -> int:
    """Write a header and one row per event CAMEO can code; returns how many rows."""
    codes, book = load_codes(), ActorBook(categories)
    writer = csv.DictWriter(out, fieldnames=CAMEO_COLUMNS)
    writer.writeheader()
    n = 0
    for event in events:
        stamp = timestamps(event["event_id"]) if timestamps else None
        row = cameo_row(event, book=book, timestamp=stamp, articles=articles, codes=codes)
        if row is not None:
            writer.writerow(row)
            n += 1
    return n
