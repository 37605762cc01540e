"""Reading the record back: filters, EVENT dicts, event detail, articles, actors, stats.

Every ordering here is total (ties broken by id or key, NULLs placed explicitly) so the
same database gives byte-identical output on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, case, exists, func, or_, select

from marsad.store import knowledge
from marsad.store.schema import EVENT_FIELDS, actors, articles, claims, event_actors, events, places, reports
from marsad.store.write import CHUNK

# DESIGN.md's EVENT table, in its order (= marsad.model.Event), then the store's extra.
EVENT_KEYS = (
    "event_id",
    "event_date",
    "date_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "assoc_actor_1",
    "assoc_actor_2",
    "location",
    "admin1",
    "country",
    "iso3",
    "latitude",
    "longitude",
    "geonameid",
    "geo_precision",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "fatalities_by_actor",
    "wounded",
    "sources",
    "notes",
    "n_sources",
)
FILTERS = (
    "country",
    "admin1",
    "since",
    "until",
    "actor",
    "event_type",
    "sub_event_type",
    "min_fatalities",
    "text",
)


def _n_sources() -> Any:
    return (
        select(func.count(func.distinct(reports.c.content_hash)))
        .where(reports.c.event_id == events.c.event_id)
        .scalar_subquery()
        .label("n_sources")
    )


def _event_select() -> Select[Any]:
    cols = [events.c.event_id, *(events.c[name] for name in EVENT_FIELDS)]
    place_cols = [places.c[name] for name in ("location", "admin1", "country", "iso3")]
    place_cols += [places.c[name] for name in ("latitude", "longitude", "geonameid")]
    return select(*cols, *place_cols, _n_sources()).select_from(
        events.outerjoin(places, events.c.place_id == places.c.place_id)
    )


def _iso(value: date | str | None) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


def _date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _same(column: Any, value: str) -> ColumnElement[bool]:
    return func.lower(column) == value.lower()


def where(
    *,
    country: str | None = None,
    admin1: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    actor: str | None = None,
    event_type: str | None = None,
    sub_event_type: str | None = None,
    min_fatalities: int | None = None,
    text: str | None = None,
) -> list[ColumnElement[bool]]:
    """SQL conditions for the event filters (all case-insensitive, all ANDed)."""
    conds: list[ColumnElement[bool]] = []
    if country:
        conds.append(or_(_same(places.c.country, country), _same(places.c.iso3, country)))
    if admin1:
        conds.append(_same(places.c.admin1, admin1))
    if since is not None:
        conds.append(events.c.event_date >= _date(since))
    if until is not None:
        conds.append(events.c.event_date <= _date(until))
    if actor:
        names = {actor.lower(), knowledge.canonical(actor).lower()}
        conds.append(
            exists().where(
                and_(
                    event_actors.c.event_id == events.c.event_id, func.lower(event_actors.c.actor).in_(names)
                )
            )
        )
    if event_type:
        conds.append(_same(events.c.event_type, event_type))
    if sub_event_type:
        conds.append(_same(events.c.sub_event_type, sub_event_type))
    if min_fatalities is not None:
        conds.append(events.c.fatalities >= int(min_fatalities))
    if text:
        columns = (events.c.notes, events.c.actor1, events.c.actor2, places.c.location, places.c.admin1)
        conds.append(
            or_(
                *(col.icontains(text, autoescape=True) for col in columns),
                exists().where(
                    and_(
                        claims.c.event_id == events.c.event_id,
                        claims.c.quote.icontains(text, autoescape=True),
                    )
                ),
            )
        )
    return conds


def _check(filters: dict[str, Any]) -> None:
    unknown = sorted(set(filters) - set(FILTERS))
    if unknown:
        raise TypeError(f"unknown event filter(s): {', '.join(unknown)}; known: {', '.join(FILTERS)}")


def select_events(
    conn: Connection, *, limit: int | None = None, offset: int = 0, **filters: Any
) -> list[dict[str, Any]]:
    _check(filters)
    stmt = (
        _event_select()
        .where(*where(**filters))
        .order_by(case((events.c.event_date.is_(None), 1), else_=0), events.c.event_date, events.c.event_id)
        .offset(offset or 0)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    rows = [dict(row._mapping) for row in conn.execute(stmt)]
    sources = _sources(conn, [row["event_id"] for row in rows])
    return [_event_dict(row, sources.get(row["event_id"], [])) for row in rows]


def count_events(conn: Connection, **filters: Any) -> int:
    _check(filters)
    stmt = (
        select(func.count())
        .select_from(events.outerjoin(places, events.c.place_id == places.c.place_id))
        .where(*where(**filters))
    )
    return int(conn.scalar(stmt) or 0)


def _event_dict(row: dict[str, Any], sources: list[dict[str, Any]]) -> dict[str, Any]:
    row = dict(row)
    row["assoc_actor_1"] = list(row["assoc_actor_1"] or [])
    row["assoc_actor_2"] = list(row["assoc_actor_2"] or [])
    row["fatalities_by_actor"] = dict(row["fatalities_by_actor"] or {})
    row["fatalities"] = int(row["fatalities"] or 0)
    row["notes"] = row["notes"] or ""
    row["event_date"] = _iso(row["event_date"])
    row["sources"] = sources
    row["n_sources"] = int(row["n_sources"] or 0)
    return {key: row.get(key) for key in EVENT_KEYS}


def _claim_rows(conn: Connection, column: Any, ids: Sequence[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i in range(0, len(ids), CHUNK):
        stmt = select(claims).where(column.in_(ids[i : i + CHUNK]))
        out.extend(dict(row._mapping) for row in conn.execute(stmt))
    # sorted here, not in SQL: PostgreSQL's collation would order article ids differently
    return sorted(out, key=lambda c: (c["article_id"], c["report_id"], c["claim_index"]))


def _sources(conn: Connection, event_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """event id -> its claims in EVENT.sources shape."""
    keys = ("article_id", "publisher", "claimant", "quote", "start", "end")
    out: dict[str, list[dict[str, Any]]] = {}
    for row in _claim_rows(conn, claims.c.event_id, event_ids):
        out.setdefault(row["event_id"], []).append({k: row[k] for k in keys})
    return out


def select_event(conn: Connection, event_id: str) -> dict[str, Any] | None:
    row = conn.execute(_event_select().where(events.c.event_id == event_id)).first()
    if row is None:
        return None
    claim_rows = _claim_rows(conn, claims.c.event_id, [event_id])
    source_keys = ("article_id", "publisher", "claimant", "quote", "start", "end")
    detail = _event_dict(dict(row._mapping), [{k: c[k] for k in source_keys} for c in claim_rows])
    detail["reports"] = _reports(conn, event_id)
    claim_keys = ("article_id", "publisher", "claimant", "quote", "start", "end", "fatalities", "wounded")
    detail["claims"] = [{k: c[k] for k in claim_keys} for c in claim_rows]
    detail["links"] = [
        {"report_id": r["report_id"], "explanation": r.pop("link_explanation")} for r in detail["reports"]
    ]
    return detail


def _reports(conn: Connection, event_id: str) -> list[dict[str, Any]]:
    stmt = (
        select(
            reports.c.report_id,
            reports.c.event_id,
            reports.c.report_index,
            reports.c.content_hash,
            *(reports.c[name] for name in EVENT_FIELDS),
            *(places.c[name] for name in ("location", "admin1", "country", "iso3")),
            *(places.c[name] for name in ("latitude", "longitude", "geonameid")),
            reports.c.link_explanation,
            articles.c.article_id,
            articles.c.publisher,
            articles.c.title,
            articles.c.publish_date,
            articles.c.extractor_version,
        )
        .select_from(
            reports.join(articles, reports.c.content_hash == articles.c.content_hash).outerjoin(
                places, reports.c.place_id == places.c.place_id
            )
        )
        .where(reports.c.event_id == event_id)
    )
    out = []
    for row in conn.execute(stmt):
        d = dict(row._mapping)
        d["event_date"] = _iso(d["event_date"])
        d["publish_date"] = _iso(d["publish_date"])
        d["assoc_actor_1"] = list(d["assoc_actor_1"] or [])
        d["assoc_actor_2"] = list(d["assoc_actor_2"] or [])
        d["fatalities_by_actor"] = dict(d["fatalities_by_actor"] or {})
        out.append(d)
    return sorted(out, key=lambda r: (r["publish_date"] or "", r["article_id"], r["report_id"]))


def select_article(conn: Connection, article_id: str) -> dict[str, Any] | None:
    """The current version of an article, by its id (or by content hash)."""
    cols = [articles.c[name] for name in ("content_hash", "article_id", "title", "publisher", "publish_date")]
    cols += [articles.c[name] for name in ("url", "source_path", "text")]
    row = conn.execute(
        select(*cols)
        .where(
            or_(
                and_(articles.c.article_id == article_id, articles.c.is_current.is_(True)),
                articles.c.content_hash == article_id,
            )
        )
        .order_by(articles.c.is_current.desc(), articles.c.read_at.desc(), articles.c.content_hash)
        .limit(1)
    ).first()
    if row is None:
        return None
    d = dict(row._mapping)
    spans = conn.execute(
        select(claims.c.start, claims.c.end, claims.c.event_id)
        .where(claims.c.content_hash == d["content_hash"])
        .order_by(claims.c.start, claims.c.end, claims.c.event_id)
    )
    return {
        "article_id": d["article_id"],
        "title": d["title"],
        "publisher": d["publisher"],
        "publish_date": _iso(d["publish_date"]),
        "url": d["url"],
        "source_path": d["source_path"],
        "text": d["text"],
        "spans": [dict(s._mapping) for s in spans],
    }


def _grouped(conn: Connection, key: Any, conds: list[ColumnElement[bool]]) -> list[dict[str, Any]]:
    stmt = (
        select(
            key.label("key"), func.count().label("events"), func.sum(events.c.fatalities).label("fatalities")
        )
        .select_from(events.outerjoin(places, events.c.place_id == places.c.place_id))
        .where(*conds)
        .group_by(key)
    )
    return [{"key": k, "events": int(n), "fatalities": int(f or 0)} for k, n, f in conn.execute(stmt)]


def _by_actor(conn: Connection, conds: list[ColumnElement[bool]]) -> list[dict[str, Any]]:
    # one row per (event, actor) whatever the roles, so no event is counted twice
    pairs = select(event_actors.c.event_id, event_actors.c.actor).distinct().subquery()
    stmt = (
        select(pairs.c.actor, func.count(), func.sum(events.c.fatalities))
        .select_from(
            pairs.join(events, events.c.event_id == pairs.c.event_id).outerjoin(
                places, events.c.place_id == places.c.place_id
            )
        )
        .where(*conds)
        .group_by(pairs.c.actor)
    )
    return [{"key": k, "events": int(n), "fatalities": int(f or 0)} for k, n, f in conn.execute(stmt)]


def _by_count(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (-r["events"], r["key"] is None, r["key"] or ""))


def select_actors(conn: Connection) -> list[dict[str, Any]]:
    categories = dict(conn.execute(select(actors.c.name, actors.c.category)).all())
    rows = _by_count(_by_actor(conn, []))
    return [
        {
            "name": r["key"],
            "category": categories.get(r["key"], ""),
            "events": r["events"],
            "fatalities": r["fatalities"],
        }
        for r in rows
    ]


def select_stats(conn: Connection, **filters: Any) -> dict[str, list[dict[str, Any]]]:
    _check(filters)
    conds = where(**filters)
    months: dict[str | None, dict[str, Any]] = {}
    for day in _grouped(conn, events.c.event_date, conds):  # by day in SQL: portable
        key = day["key"].isoformat()[:7] if day["key"] is not None else None
        month = months.setdefault(key, {"key": key, "events": 0, "fatalities": 0})
        month["events"] += day["events"]
        month["fatalities"] += day["fatalities"]
    by_month = sorted(months.values(), key=lambda r: (r["key"] is None, r["key"] or ""))
    return {
        "by_month": by_month,
        "by_country": _by_count(_grouped(conn, places.c.country, conds)),
        "by_actor": _by_count(_by_actor(conn, conds)),
        "by_type": _by_count(_grouped(conn, events.c.event_type, conds)),
    }


def select_timestamps(conn: Connection) -> dict[str, int]:
    """event id -> Unix time of the newest article read into it (ACLED's ``timestamp``)."""
    stmt = (
        select(reports.c.event_id, func.max(articles.c.read_at))
        .select_from(reports.join(articles, reports.c.content_hash == articles.c.content_hash))
        .group_by(reports.c.event_id)
    )
    out = {}
    for event_id, read_at in conn.execute(stmt):
        if read_at is not None:
            out[event_id] = int(read_at.replace(tzinfo=read_at.tzinfo or UTC).timestamp())
    return out
