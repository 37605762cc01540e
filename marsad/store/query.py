"""Reading the record back: filters, EVENT dicts, event detail, articles, actors, stats.

Every ordering here is total (ties broken by id or key, NULLs placed explicitly) so the
same database gives byte-identical output on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    FromClause,
    Select,
    String,
    and_,
    column,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    table,
    type_coerce,
)
from sqlalchemy import Text as TextType
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.selectable import Alias

from marsad.model import time_precision
from marsad.store import changes, knowledge
from marsad.store.filters import DEFAULT_STATUSES, STATUSES
from marsad.store.schema import EVENT_FIELDS, actors, articles, claims, event_actors, events, places, reports
from marsad.store.write import CHUNK, capped

# The EVENT table (docs/events.md), in its order (= marsad.model.Event), then the store's extra.
EVENT_KEYS = (
    "event_id",
    "event_date",
    "date_precision",
    "time_precision",
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
    "status",
    "flagged",
    "flag_reason",
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
    "status",
)


def _n_sources() -> Any:
    return (
        select(func.count(func.distinct(reports.c.content_hash)))
        .where(reports.c.event_id == events.c.event_id)
        .scalar_subquery()
        .label("n_sources")
    )


_JSON_FIELDS = ("assoc_actor_1", "assoc_actor_2", "fatalities_by_actor")


def _event_select(source: FromClause = events) -> Select[Any]:
    # JSON columns as their text: most are "[]" or "{}", which _json reads without a parser
    cols = [events.c.event_id] + [
        type_coerce(events.c[name], TextType).label(name) if name in _JSON_FIELDS else events.c[name]
        for name in EVENT_FIELDS
    ]
    place_cols = [places.c[name] for name in ("location", "admin1", "country", "iso3")]
    place_cols += [places.c[name] for name in ("latitude", "longitude", "geonameid")]
    review = [events.c.status, events.c.flagged, events.c.flag_reason]
    return select(*cols, *place_cols, _n_sources(), *review).select_from(
        source.outerjoin(places, events.c.place_id == places.c.place_id)
    )


def _iso(value: date | str | None) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


def _date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _same(column: Any, value: str) -> ColumnElement[bool]:
    return func.lower(column) == value.lower()


LISTING_INDEX = "ix_events_listing"  # (event_date IS NULL, event_date, event_id, filtered columns)


class _Listing(Alias):
    """``events`` read through the listing index on SQLite (``INDEXED BY``).

    SQLite's planner, without statistics, prefers a filter's own index (place, actor)
    and then sorts every match; walking the listing index instead stops after the page,
    and the index holds every column a filter tests, so skipped rows cost no table read.
    """

    inherit_cache = True


@compiles(_Listing)
def _listing_sql(element: _Listing, compiler: Any, **kw: Any) -> str:
    sql: str = compiler.visit_alias(element, **kw)
    if kw.get("asfrom") and compiler.dialect.name == "sqlite":
        sql += f" INDEXED BY {LISTING_INDEX}"
    return sql


# SQLite's trigram indexes of the searched text (migration 0003), by stable integer keys.
_search_events = table("search_events", column("rowid"), column("search_events"))
_search_events_keys = table("search_events_keys", column("id"), column("event_id"))
_search_claims = table("search_claims", column("rowid"), column("search_claims"))
_search_claims_keys = table("search_claims_keys", column("id"), column("event_id"))


def _trigram_search(conn: Connection | None, text: str) -> bool:
    """Whether the trigram indexes can narrow a search for ``text`` on this database.

    A trigram index finds substrings of 3+ characters; shorter searches scan.
    """
    if conn is None or conn.dialect.name != "sqlite" or len(text) < 3:
        return False
    found = conn.exec_driver_sql(
        "SELECT count(*) FROM sqlite_master WHERE name IN ('search_events', 'search_claims')"
    ).scalar()
    return found == 2


def _at_places(t: FromClause, *conds: ColumnElement[bool]) -> ColumnElement[bool]:
    # places is small: its matches first, then the events at them by index
    return t.c.place_id.in_(select(places.c.place_id).where(*conds))


def _text(conn: Connection | None, t: FromClause, text: str) -> ColumnElement[bool]:
    """Case-insensitive substring of notes, actors, place, or a claim's quote (LIKE semantics)."""

    def like(col: Any) -> ColumnElement[bool]:
        return col.icontains(text, autoescape=True)

    at_place = _at_places(t, or_(like(places.c.location), like(places.c.admin1)))
    if not _trigram_search(conn, text):
        return or_(
            *(like(t.c[name]) for name in ("notes", "actor1", "actor2")),
            at_place,
            # IN, not a correlated EXISTS: PostgreSQL costs the EXISTS form per row and
            # then spends half a second JIT-compiling the scan
            t.c.event_id.in_(select(claims.c.event_id).where(like(claims.c.quote))),
        )
    # The indexes hold lower(text), case-sensitively: the phrase of lower(search) matches
    # exactly where lower(col) LIKE '%search%' would. An FTS5 string takes every character
    # literally but '"', which doubles.
    quote = literal('"', String)
    phrase = quote + func.replace(func.lower(literal(text, String)), '"', '""') + quote
    found = select(_search_events.c.rowid).where(_search_events.c.search_events.match(phrase))
    own_text = select(_search_events_keys.c.event_id).where(_search_events_keys.c.id.in_(found))
    found = select(_search_claims.c.rowid).where(_search_claims.c.search_claims.match(phrase))
    quoted = select(_search_claims_keys.c.event_id).where(_search_claims_keys.c.id.in_(found))
    return or_(t.c.event_id.in_(own_text), at_place, t.c.event_id.in_(quoted))


def where(
    conn: Connection | None = None,
    t: FromClause = events,
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
    status: Sequence[str] | None = None,
) -> list[ColumnElement[bool]]:
    """SQL conditions for the event filters (all case-insensitive, all ANDed) on ``t``
    (``events`` or an alias of it); they need no join: places and actors are subqueries.

    ``conn`` lets a text search use the database's text indexes (SQLite). ``status`` (checked
    statuses) None means every status but ``rejected``.
    """
    conds: list[ColumnElement[bool]] = []
    wanted = tuple(status) if status is not None else DEFAULT_STATUSES
    if wanted != STATUSES:
        conds.append(t.c.status.in_(wanted))
    if country:
        conds.append(_at_places(t, or_(_same(places.c.country, country), _same(places.c.iso3, country))))
    if admin1:
        conds.append(_at_places(t, _same(places.c.admin1, admin1)))
    if since is not None or until is not None:
        # implied by either bound; lets the listing index range over its second column
        conds.append(t.c.event_date.is_(None) == false())
    if since is not None:
        conds.append(t.c.event_date >= _date(since))
    if until is not None:
        conds.append(t.c.event_date <= _date(until))
    if actor:
        names = {actor.lower(), knowledge.canonical(actor).lower()}
        # every event_actors.actor is an actors.name (foreign key): match the few names first
        named = select(actors.c.name).where(func.lower(actors.c.name).in_(names))
        conds.append(t.c.event_id.in_(select(event_actors.c.event_id).where(event_actors.c.actor.in_(named))))
    if event_type:
        conds.append(_same(t.c.event_type, event_type))
    if sub_event_type:
        conds.append(_same(t.c.sub_event_type, sub_event_type))
    if min_fatalities is not None:
        conds.append(t.c.fatalities >= int(min_fatalities))
    if text:
        conds.append(_text(conn, t, text))
    return conds


def _check(filters: dict[str, Any]) -> None:
    unknown = sorted(set(filters) - set(FILTERS))
    if unknown:
        raise TypeError(f"unknown event filter(s): {', '.join(unknown)}; known: {', '.join(FILTERS)}")


ORDERS = ("date", "newest")  # oldest first, or newest first; undated events last either way


def select_events(
    conn: Connection, *, limit: int | None = None, offset: int = 0, order: str = "date", **filters: Any
) -> list[dict[str, Any]]:
    _check(filters)
    # the page's ids first, from the listing index alone; then only those rows are read
    t = _Listing._construct(events, name="events")
    conds = where(conn, t, **filters)

    def by_date(date: Any, event_id: Any) -> list[ColumnElement[Any]]:
        return [date.desc(), event_id.desc()] if order == "newest" else [date, event_id]

    keys: list[ColumnElement[Any]]
    if filters.get("since") is not None or filters.get("until") is not None:
        keys = by_date(t.c.event_date, t.c.event_id)  # no undated rows: the same order
    else:
        keys = [t.c.event_date.is_(None), *by_date(t.c.event_date, t.c.event_id)]
    ids = select(t.c.event_id, t.c.event_date).where(*conds).order_by(*keys).offset(offset or 0)
    if limit is not None:
        ids = ids.limit(limit)
    page = ids.subquery("page")
    stmt = _event_select(events.join(page, page.c.event_id == events.c.event_id)).order_by(
        page.c.event_date.is_(None), *by_date(page.c.event_date, page.c.event_id)
    )
    rows = [row._asdict() for row in conn.execute(stmt)]
    sources = _sources(conn, [row["event_id"] for row in rows])
    return [_event_dict(row, sources.get(row["event_id"], [])) for row in rows]


def select_changes(
    conn: Connection, cursor: changes.Cursor, *, limit: int = 100, **filters: Any
) -> list[dict[str, Any]]:
    """Events added or changed after ``cursor``, in change order, each with ``change_seq``,
    ``created_seq`` and ``updated_at`` besides its EVENT fields; the filters as for events."""
    _check(filters)
    stmt = (
        _event_select()
        .add_columns(events.c.change_seq, events.c.created_seq, events.c.updated_at)
        .where(changes.after(events, cursor), *where(conn, **filters))
        .order_by(events.c.change_seq, events.c.event_id)
        .limit(limit)
    )
    rows = [row._asdict() for row in conn.execute(stmt)]
    sources = _sources(conn, [row["event_id"] for row in rows])
    out = []
    for row in rows:
        event = _event_dict(row, sources.get(row["event_id"], []))
        event["change_seq"] = int(row["change_seq"])
        event["created_seq"] = int(row["created_seq"])
        at = row["updated_at"]
        event["updated_at"] = at.replace(tzinfo=at.tzinfo or UTC).isoformat() if at is not None else None
        out.append(event)
    return out


def count_events(conn: Connection, **filters: Any) -> int:
    _check(filters)
    stmt = select(func.count()).select_from(events).where(*where(conn, **filters))
    return int(conn.scalar(stmt) or 0)


def _json(value: Any) -> Any:
    """A JSON column's value: decoded already (PostgreSQL's driver), or its text (SQLite)."""
    if not isinstance(value, str):
        return value
    if value in ("[]", "{}", "null"):
        return None
    return json.loads(value)


def _event_dict(row: dict[str, Any], sources: list[dict[str, Any]]) -> dict[str, Any]:
    row = dict(row)
    row["assoc_actor_1"] = list(_json(row["assoc_actor_1"]) or [])
    row["assoc_actor_2"] = list(_json(row["assoc_actor_2"]) or [])
    row["fatalities_by_actor"] = dict(_json(row["fatalities_by_actor"]) or {})
    row["fatalities"] = int(row["fatalities"] or 0)
    row["notes"] = row["notes"] or ""
    row["event_date"] = _iso(row["event_date"])
    row["time_precision"] = time_precision(row["date_precision"])  # ACLED's, from date_precision
    row["sources"] = sources
    row["n_sources"] = int(row["n_sources"] or 0)
    row["status"] = row.get("status") or "provisional"
    row["flagged"] = bool(row.get("flagged"))
    return {key: row.get(key) for key in EVENT_KEYS}


def _claim_rows(conn: Connection, column: Any, ids: Sequence[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i in range(0, len(ids), CHUNK):
        stmt = select(claims).where(column.in_(ids[i : i + CHUNK]))
        out.extend(dict(row._mapping) for row in conn.execute(stmt))
    # sorted here, not in SQL: PostgreSQL's collation would order article ids differently
    return sorted(out, key=lambda c: (c["article_id"], c["report_id"], c["claim_index"]))


_SOURCE_KEYS = ("article_id", "publisher", "claimant", "quote", "start", "end")


def _sources(conn: Connection, event_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """event id -> its claims in EVENT.sources shape (plain tuples: a page may hold 10,000)."""
    cols = [claims.c[k] for k in _SOURCE_KEYS]
    rows: list[tuple[Any, ...]] = []
    for i in range(0, len(event_ids), CHUNK):
        stmt = select(claims.c.event_id, claims.c.report_id, claims.c.claim_index, *cols).where(
            claims.c.event_id.in_(event_ids[i : i + CHUNK])
        )
        rows.extend(tuple(row) for row in conn.execute(stmt))
    # sorted here, not in SQL: PostgreSQL's collation would order article ids differently
    rows.sort(key=lambda r: (r[3], r[1], r[2]))
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row[0], []).append(dict(zip(_SOURCE_KEYS, row[3:], strict=True)))
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
                and_(articles.c.article_id == capped(article_id), articles.c.is_current.is_(True)),
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


def _grouped(
    conn: Connection, key: Any, conds: list[ColumnElement[bool]], source: FromClause = events
) -> list[dict[str, Any]]:
    stmt = (
        select(
            key.label("key"), func.count().label("events"), func.sum(events.c.fatalities).label("fatalities")
        )
        .select_from(source)
        .where(*conds)
        .group_by(key)
    )
    return [{"key": k, "events": int(n), "fatalities": int(f or 0)} for k, n, f in conn.execute(stmt)]


def _by_actor(conn: Connection, conds: list[ColumnElement[bool]]) -> list[dict[str, Any]]:
    ea, other = event_actors.alias("ea"), event_actors.alias("other")
    # one row per (event, actor) whatever the roles, so no event is counted twice
    first_role = ~exists().where(
        other.c.event_id == ea.c.event_id, other.c.actor == ea.c.actor, other.c.role < ea.c.role
    )
    # SQLite: the (filtered) events first, then each one's actors by primary key; the
    # other way round looks up every actor row's event in the large events table
    event_id = events.c.event_id + "" if conn.dialect.name == "sqlite" else events.c.event_id
    stmt = (
        select(ea.c.actor, func.count(), func.sum(events.c.fatalities))
        .select_from(events.join(ea, ea.c.event_id == event_id))
        .where(*conds, first_role)
        .group_by(ea.c.actor)
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


def _month(conn: Connection) -> ColumnElement[str]:
    """'YYYY-MM' of the event date (NULL if undated), in SQL."""
    if conn.dialect.name == "sqlite":  # dates are stored as 'YYYY-MM-DD' text
        return func.substr(events.c.event_date, 1, 7, type_=String)
    return func.to_char(events.c.event_date, "YYYY-MM", type_=String)


def select_stats(conn: Connection, **filters: Any) -> dict[str, list[dict[str, Any]]]:
    _check(filters)
    conds = where(conn, **filters)
    by_month = sorted(_grouped(conn, _month(conn), conds), key=lambda r: (r["key"] is None, r["key"] or ""))
    with_places = events.outerjoin(places, events.c.place_id == places.c.place_id)
    return {
        "by_month": by_month,
        "by_country": _by_count(_grouped(conn, places.c.country, conds, with_places)),
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
