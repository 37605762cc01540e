"""CSV with UCDP GED's columns and codes, filled from marsad's sides, claims and precisions.

UCDP's Georeferenced Event Dataset records lethal organised violence only, so this export
holds the events of ACLED's three political-violence types (battles, explosions/remote
violence, violence against civilians) with at least one death; protests, riots and
strategic developments are outside UCDP's definitions and left out.

- ``type_of_violence``: 3 (one-sided) for violence against civilians, or when the only
  side acted on is civilians; otherwise 1 (state-based) when a government's forces are on
  either side, 2 (non-state) between organised non-state groups; empty when the other
  side is unknown. State forces are named UCDP's way ("Government of Syria") and are
  ``side_a`` in state-based violence; ``side_b`` is "Civilians" in one-sided violence.
- ``deaths_a``/``deaths_b``/``deaths_civilians`` add up ``fatalities_by_actor`` per side,
  ``deaths_unknown`` is the rest of ``best`` (marsad's best estimate; raised to the sum of
  the sides if they exceed it, as UCDP's four always add up to ``best``). ``low``/``high``
  are the lowest and highest figure any source gave.
- ``where_prec``, ``date_prec``, ``event_clarity``: from marsad's precisions
  (``data/export_codes.json``); ``date_start``/``date_end`` span the day, ISO week, month
  or year the date is known to.
- ``source_*``: one entry per article, separated by "; ". UCDP's own ids (conflict, dyad,
  side ids, Gleditsch-Ward numbers, PRIO-GRID cell) are left empty: marsad does not know them.
"""

from __future__ import annotations

import calendar
import csv
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from typing import IO, Any

from marsad.export.actors import ActorBook, country, sides
from marsad.knowledge.codes import ExportCodes, load_codes

UCDP_COLUMNS = (
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "gwnoa",
    "gwnob",
)

ArticleLookup = Callable[[str], Mapping[str, Any] | None]
STATE_BASED, NON_STATE, ONE_SIDED = 1, 2, 3


def date_range(value: str, precision: str | None) -> tuple[date, date]:
    """The first and last day a date of this precision can mean (ISO week, calendar month or year)."""
    d = date.fromisoformat(value)
    if precision == "week":
        start = d - timedelta(days=d.weekday())
        return start, start + timedelta(days=6)
    if precision == "month":
        return d.replace(day=1), d.replace(day=calendar.monthrange(d.year, d.month)[1])
    if precision == "year":
        return date(d.year, 1, 1), date(d.year, 12, 31)
    return d, d


class _Sides:
    """Who is side_a and side_b of one event, and which actors' deaths count for each."""

    def __init__(self, event: Mapping[str, Any], roles: str, book: ActorBook, codes: ExportCodes) -> None:
        def role(name: str) -> str:
            category = codes.categories.get(book(name).category)
            return category["ucdp"] if category else "organised"  # an unknown named actor is a group

        acting, acted_on = sides(event, roles)
        armed1 = [n for n in acting if role(n) in ("government", "organised")]
        armed2 = [n for n in acted_on if role(n) in ("government", "organised")]
        killed = event.get("fatalities_by_actor") or {}
        self.civilians = [n for n in {*acting, *acted_on, *killed} if role(n) == "civilians"]
        self.type: int | None = None
        self.a: list[str] = armed1
        self.b: list[str] = []
        if event.get("event_type") == "Violence against civilians" or (not armed2 and self.civilians):
            self.type = ONE_SIDED if armed1 else None
        elif armed1 and armed2:
            government = [n for n in armed1 + armed2 if role(n) == "government"]
            self.type = STATE_BASED if government else NON_STATE
            if government and role(armed1[0]) != "government":
                armed1, armed2 = armed2, armed1  # UCDP: side_a of state-based violence is a government
            self.a, self.b = armed1, armed2
        self._role = role

    def name(self, actor: str, book: ActorBook, codes: ExportCodes) -> str:
        info = book(actor)
        if self._role(actor) == "government" and info.country is not None:
            return str(codes.ucdp["government_name"]).format(country=info.country.name)
        return actor


def _region(iso3: str | None, codes: ExportCodes) -> str:
    for region, members in codes.ucdp["regions_by_country"].items():
        if iso3 in members:
            return str(region)
    place = country(iso3)
    return str(codes.ucdp["regions_by_continent"].get(place.continent, "")) if place else ""


def _where_prec(event: Mapping[str, Any], codes: ExportCodes) -> int | str:
    table = codes.ucdp["where_prec"]
    precision = event.get("geo_precision")
    if precision == 3 and not event.get("admin1"):
        return int(table["country"]) if event.get("country") else ""
    if precision is not None and str(precision) in table:
        return int(table[str(precision)])
    if event.get("admin1"):
        return int(table["3"])
    return int(table["country"]) if event.get("country") else ""


def _joined(values: Iterable[str | None]) -> str:
    return "; ".join((v or "").replace(";", ",") for v in values)


def ucdp_row(
    event: Mapping[str, Any],
    *,
    book: ActorBook | None = None,
    articles: ArticleLookup | None = None,
    codes: ExportCodes | None = None,
) -> dict[str, Any] | None:
    """One EVENT as a GED row, or None when UCDP would not record it (not lethal organised violence)."""
    codes = codes or load_codes()
    sub = codes.sub_types.get(event.get("sub_event_type") or "")
    fatalities = int(event.get("fatalities") or 0)
    if sub is None or sub.event_type not in codes.ucdp["event_types"] or fatalities < 1:
        return None
    book = book or ActorBook()
    parties = _Sides(event, sub.roles, book, codes)
    killed: dict[str, int] = {k: int(v or 0) for k, v in (event.get("fatalities_by_actor") or {}).items()}
    deaths_civilians = sum(killed.get(n, 0) for n in parties.civilians)
    deaths_a = sum(killed.get(n, 0) for n in parties.a) if parties.type else 0
    deaths_b = sum(killed.get(n, 0) for n in parties.b) if parties.type in (STATE_BASED, NON_STATE) else 0
    best = max(fatalities, deaths_a + deaths_b + deaths_civilians)
    low = min(event.get("fatalities_low") or best, best)
    high = max(event.get("fatalities_high") or best, best)
    side_a = parties.name(parties.a[0], book, codes) if parties.type and parties.a else ""
    if parties.type == ONE_SIDED:
        side_b = str(codes.ucdp["civilians_name"])
    else:
        side_b = parties.name(parties.b[0], book, codes) if parties.b else ""

    sources = event.get("sources") or []
    article_ids = list(dict.fromkeys(s["article_id"] for s in sources))
    metas = [(articles(a) if articles else None) or {} for a in article_ids]
    publishers = [
        m.get("publisher") or next(s["publisher"] for s in sources if s["article_id"] == a)
        for a, m in zip(article_ids, metas, strict=True)
    ]
    dates = [m.get("publish_date") or "" for m in metas]
    titles = [m.get("title") or "" for m in metas]
    claimants = list(dict.fromkeys(s["claimant"] for s in sources if s.get("claimant")))

    where_prec = _where_prec(event, codes)
    value, precision = event.get("event_date"), event.get("date_precision")
    start, end = date_range(value, precision) if value else (None, None)
    date_prec = codes.ucdp["date_prec"].get(precision or "", "")
    lat, lon = event.get("latitude"), event.get("longitude")
    row: dict[str, Any] = dict.fromkeys(UCDP_COLUMNS, "")
    row.update(
        {
            "id": event["event_id"],
            "year": start.year if start else "",
            "type_of_violence": parties.type or "",
            "dyad_name": f"{side_a} - {side_b}" if side_a and side_b else "",
            "side_a": side_a,
            "side_b": side_b,
            "number_of_sources": int(event.get("n_sources") or len(article_ids)),
            "source_article": _joined(
                f"{p or ''}, {d}, {t or a}"
                for p, d, t, a in zip(publishers, dates, titles, article_ids, strict=True)
            ),
            "source_office": _joined(publishers),
            "source_date": _joined(dates) if any(dates) else "",
            "source_headline": _joined(titles) if any(titles) else "",
            "source_original": _joined(claimants),
            "where_prec": where_prec,
            "where_coordinates": event.get("location") or "",
            "where_description": ", ".join(p for p in (event.get("location"), event.get("admin1")) if p),
            "adm_1": event.get("admin1") or "",
            "latitude": "" if lat is None else lat,
            "longitude": "" if lon is None else lon,
            "geom_wkt": "" if lat is None or lon is None else f"POINT ({lon} {lat})",
            "country": event.get("country") or "",
            "region": _region(event.get("iso3"), codes),
            "event_clarity": 1 if precision == "day" and where_prec in (1, 2) else 2,
            "date_prec": date_prec,
            "date_start": start.isoformat() if start else "",
            "date_end": end.isoformat() if end else "",
            "deaths_a": deaths_a,
            "deaths_b": deaths_b,
            "deaths_civilians": deaths_civilians,
            "deaths_unknown": best - deaths_a - deaths_b - deaths_civilians,
            "best": best,
            "high": high,
            "low": low,
        }
    )
    return row


def write_ucdp(
    events: Iterable[Mapping[str, Any]],
    out: IO[str],
    *,
    categories: Mapping[str, str] | None = None,
    articles: ArticleLookup | None = None,
) -> int:
    """Write a header and one GED row per event UCDP would record; returns how many rows."""
    codes, book = load_codes(), ActorBook(categories)
    writer = csv.DictWriter(out, fieldnames=UCDP_COLUMNS)
    writer.writeheader()
    n = 0
    for event in events:
        row = ucdp_row(event, book=book, articles=articles, codes=codes)
        if row is not None:
            writer.writerow(row)
            n += 1
    return n
