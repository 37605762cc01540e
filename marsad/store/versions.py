"""Every event as it was after each change: ``--history``, ``--as-of`` and ``marsad changes``.

marsad.store.changes gives each write transaction one change number; ``stamp`` and
``removed`` call :func:`changed` and :func:`deleted` here, which keep one ``event_versions``
row per event and transaction: the event's record (fields, place, actors, reports; what
``marsad event ID`` shows without the quotes) as the transaction leaves it. A record the
same as the event's previous version is not kept, so re-ingesting, re-linking or
re-extracting without a difference adds nothing. Reading: an event's versions in order
(:func:`history`), the latest version of every event at or before a time (:func:`as_of`),
and what differs between two times (:func:`since`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, and_, delete, func, select

from marsad.store import knowledge
from marsad.store.filters import DEFAULT_STATUSES
from marsad.store.schema import EVENT_FIELDS, articles, event_actors, event_versions, events, places, reports

CHUNK = 500
PLACE_FIELDS = ("location", "admin1", "country", "iso3", "latitude", "longitude", "geonameid")
# The record's keys a change is reported on (``actors`` and ``reports`` follow from them).
DIFF_FIELDS = (*EVENT_FIELDS, *PLACE_FIELDS, "articles")
# Columns the review part adds to ``events`` (an analyst's verdict, a contradiction's flag):
# part of the record, and of its changes, when the schema has them.
REVIEW_FIELDS = ("status", "flagged", "flag_reason")


def review_fields(columns: Iterable[str] | None = None) -> tuple[str, ...]:
    """The review columns ``events`` has in the schema (and among ``columns``, if given)."""
    have = set(events.c.keys()) if columns is None else set(events.c.keys()) & set(columns)
    return tuple(name for name in REVIEW_FIELDS if name in have)


def _chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    wanted = sorted(set(ids))
    for i in range(0, len(wanted), CHUNK):
        yield wanted[i : i + CHUNK]


@functools.lru_cache(maxsize=1)
def _machine() -> str:
    from marsad.store.write import extractor_version

    return extractor_version()


def who(row: Any) -> str:
    """Who made a change: the analyst, else ``marsad <extractor version>``."""
    return str(row.by) if row.by else f"marsad {row.extractor or _machine()}"


def _plain(value: Any) -> Any:
    """A value as JSON keeps it (dates as ISO text), so a record compares equal after a round trip."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat() if isinstance(v, date) else str(v)))


def snapshots(
    conn: Connection, event_ids: Iterable[str], *, extra: Sequence[str] | None = None
) -> dict[str, dict[str, Any]]:
    """The current records of these events (absent: no such event row); ``extra``: the review
    columns to read (default: those the schema has; a migration passes those the table has)."""
    extra = review_fields() if extra is None else tuple(extra)
    out: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(event_ids):
        stmt = (
            select(
                events.c.event_id,
                *(events.c[n] for n in (*EVENT_FIELDS, *extra)),
                *(places.c[n] for n in PLACE_FIELDS),
            )
            .select_from(events.outerjoin(places, events.c.place_id == places.c.place_id))
            .where(events.c.event_id.in_(chunk))
        )
        for row in conn.execute(stmt):
            record = {name: row._mapping[name] for name in (*EVENT_FIELDS, *extra, *PLACE_FIELDS)}
            record["assoc_actor_1"] = list(record["assoc_actor_1"] or [])
            record["assoc_actor_2"] = list(record["assoc_actor_2"] or [])
            record["fatalities_by_actor"] = dict(record["fatalities_by_actor"] or {})
            record["fatalities"] = int(record["fatalities"] or 0)
            record["notes"] = record["notes"] or ""
            record.update(actors=[], reports=[], articles=[], n_sources=0)
            out[row.event_id] = record
        held = [e for e in chunk if e in out]
        if not held:
            continue
        for event_id, role, actor in conn.execute(
            select(event_actors.c.event_id, event_actors.c.role, event_actors.c.actor).where(
                event_actors.c.event_id.in_(held)
            )
        ):
            out[event_id]["actors"].append([role, actor])
        hashes: dict[str, set[str]] = {}
        for event_id, report_id, content_hash, article_id in conn.execute(
            select(reports.c.event_id, reports.c.report_id, reports.c.content_hash, articles.c.article_id)
            .select_from(reports.join(articles, reports.c.content_hash == articles.c.content_hash))
            .where(reports.c.event_id.in_(held))
        ):
            out[event_id]["reports"].append(report_id)
            out[event_id]["articles"].append(article_id)
            hashes.setdefault(event_id, set()).add(content_hash)
        for event_id in held:
            record = out[event_id]
            record["actors"].sort()
            record["reports"].sort()
            record["articles"] = sorted(set(record["articles"]))
            record["n_sources"] = len(hashes.get(event_id, ()))
            out[event_id] = _plain(record)
    return out


def _previous(conn: Connection, event_ids: Sequence[str], seq: int) -> dict[str, Any]:
    """Each event's latest version before change ``seq`` (rows with ``record`` and ``deleted``)."""
    last = (
        select(event_versions.c.event_id, func.max(event_versions.c.change_seq).label("seq"))
        .where(event_versions.c.event_id.in_(event_ids), event_versions.c.change_seq < seq)
        .group_by(event_versions.c.event_id)
        .subquery()
    )
    stmt = select(event_versions).join(
        last, and_(event_versions.c.event_id == last.c.event_id, event_versions.c.change_seq == last.c.seq)
    )
    return {row.event_id: row for row in conn.execute(stmt)}


def _author(conn: Connection) -> dict[str, Any]:
    by = conn.info.get("marsad_user") or None
    return {"by": by, "why": conn.info.get("marsad_reason") or None, "extractor": None if by else _machine()}


def changed(conn: Connection, event_ids: Sequence[str], seq: int, at: datetime) -> None:
    """Keep the records of these events (added or changed by transaction ``seq``) that differ
    from their previous versions; a second call in the same transaction replaces the first."""
    author = _author(conn)
    for chunk in _chunks(event_ids):
        now = snapshots(conn, chunk)
        before = _previous(conn, chunk, seq)
        rows = []
        for event_id in chunk:
            record = now.get(event_id)
            old = before.get(event_id)
            if record is None or (old is not None and not old.deleted and _plain(old.record) == record):
                continue
            rows.append(
                {
                    "event_id": event_id,
                    "change_seq": seq,
                    "at": at,
                    "deleted": False,
                    "record": record,
                    **author,
                }
            )
        _replace(conn, seq, chunk, rows)


def deleted(conn: Connection, event_ids: Sequence[str], seq: int, at: datetime) -> None:
    """Mark these events deleted by transaction ``seq`` (call before their rows go): the record
    is their last version's (else their row's now), with ``merged_into`` when the reports
    they had are now another event's."""
    author = _author(conn)
    for chunk in _chunks(event_ids):
        before = _previous(conn, chunk, seq)
        now = snapshots(conn, [e for e in chunk if e not in before or before[e].deleted])
        records = {e: _plain(before[e].record) for e in chunk if e in before and not before[e].deleted}
        records.update(now)
        records.update({e: {} for e in chunk if e not in records})
        _merged_into(conn, records)
        rows = [
            {"event_id": e, "change_seq": seq, "at": at, "deleted": True, "record": records[e], **author}
            for e in chunk
            if not (e in before and before[e].deleted)  # deleted already: nothing new
        ]
        _replace(conn, seq, chunk, rows)


def _replace(conn: Connection, seq: int, chunk: list[str], rows: list[dict[str, Any]]) -> None:
    """Write these events' versions of change ``seq``, replacing any this transaction wrote
    before (an event deleted, then linked again, in one batch: its last state counts)."""
    tx = conn.get_transaction()
    held = conn.info.get("marsad_versioned")
    if held is None or held[0] is not tx:
        held = conn.info["marsad_versioned"] = (tx, set())
    written: set[str] = held[1]
    if written.intersection(chunk):
        where = (event_versions.c.event_id.in_(chunk), event_versions.c.change_seq == seq)
        conn.execute(delete(event_versions).where(*where))
        written.difference_update(chunk)
    if rows:
        conn.execute(event_versions.insert(), rows)
        written.update(row["event_id"] for row in rows)


def _merged_into(conn: Connection, records: dict[str, dict[str, Any]]) -> None:
    """Set ``merged_into`` on the records whose reports now belong to another event."""
    owner: dict[str, str] = {}
    wanted = sorted({r for rec in records.values() for r in rec.get("reports", [])})
    for chunk in _chunks(wanted):
        stmt = select(reports.c.report_id, reports.c.event_id).where(reports.c.report_id.in_(chunk))
        owner.update((rid, eid) for rid, eid in conn.execute(stmt))
    for event_id, record in records.items():
        found = sorted({owner[r] for r in record.get("reports", []) if owner.get(r, event_id) != event_id})
        if found:
            record["merged_into"] = found[0] if len(found) == 1 else found


# -- reading ---------------------------------------------------------------------------


def instant(value: datetime | date, *, end_of_day: bool = False) -> datetime:
    """An aware UTC time; a date is its midnight (or the next one, ``end_of_day``)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    day = value + timedelta(days=1) if end_of_day else value
    return datetime.combine(day, time(), tzinfo=UTC)


def _bind(conn: Connection, when: datetime) -> datetime:
    # SQLite keeps times as UTC text without a zone: compare with the same
    return when.astimezone(UTC).replace(tzinfo=None) if conn.dialect.name == "sqlite" else when


def _iso(at: datetime) -> str:
    return at.replace(tzinfo=at.tzinfo or UTC).astimezone(UTC).isoformat()


def seq_at(conn: Connection, when: datetime, *, inclusive: bool = True) -> int:
    """The last change made at (or, ``inclusive=False``, before) ``when``; -1 if none (0 is
    the change of events stored before change numbers: migration 0007 versions them so)."""
    bound = _bind(conn, when)
    cond = event_versions.c.at <= bound if inclusive else event_versions.c.at < bound
    found = conn.scalar(select(func.max(event_versions.c.change_seq)).where(cond))
    return -1 if found is None else int(found)


def history(conn: Connection, event_id: str) -> list[dict[str, Any]]:
    """An event's changes, oldest first: {at, by, why, kind, field, old, new}. ``kind`` is
    added, changed (one entry per field), deleted or merged (``new``: the event it went into)."""
    rows = list(
        conn.execute(
            select(event_versions)
            .where(event_versions.c.event_id == event_id)
            .order_by(event_versions.c.change_seq)
        )
    )
    out: list[dict[str, Any]] = []
    previous: dict[str, Any] | None = None
    for row in rows:
        record = _plain(row.record)
        base = {"at": _iso(row.at), "by": who(row), "why": row.why, "change_seq": int(row.change_seq)}
        if row.deleted:
            target = record.get("merged_into") or _now_owner(conn, event_id, record)
            if target:
                out.append({**base, "kind": "merged", "field": "event_id", "old": event_id, "new": target})
            else:
                out.append({**base, "kind": "deleted", "field": None, "old": None, "new": None})
            previous = None
            continue
        if previous is None:
            out.append({**base, "kind": "added", "field": None, "old": None, "new": _public(record)})
        else:
            out.extend({**base, "kind": "changed", **d} for d in diff(previous, record))
        previous = record
    return out


def _now_owner(conn: Connection, event_id: str, record: dict[str, Any]) -> str | list[str] | None:
    probe = {event_id: {"reports": list(record.get("reports", []))}}
    _merged_into(conn, probe)
    found: str | list[str] | None = probe[event_id].get("merged_into")
    return found


def _public(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k in (*DIFF_FIELDS, *REVIEW_FIELDS, "n_sources")}


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields that differ between two records: [{field, old, new}]."""
    return [
        {"field": name, "old": old.get(name), "new": new.get(name)}
        for name in (*DIFF_FIELDS, *REVIEW_FIELDS)
        if old.get(name) != new.get(name)
    ]


def latest(
    conn: Connection, seq: int | None = None, event_ids: Sequence[str] | None = None
) -> dict[str, Any]:
    """event id -> its latest version row at or before change ``seq`` (None: the newest)."""
    conds = [] if seq is None else [event_versions.c.change_seq <= seq]
    out: dict[str, Any] = {}
    groups: Iterable[list[str] | None] = [None] if event_ids is None else _chunks(event_ids)
    for chunk in groups:
        where = conds + ([] if chunk is None else [event_versions.c.event_id.in_(chunk)])
        last = (
            select(event_versions.c.event_id, func.max(event_versions.c.change_seq).label("seq"))
            .where(*where)
            .group_by(event_versions.c.event_id)
            .subquery()
        )
        stmt = select(event_versions).join(
            last,
            and_(event_versions.c.event_id == last.c.event_id, event_versions.c.change_seq == last.c.seq),
        )
        out.update((row.event_id, row) for row in conn.execute(stmt))
    return out


def as_of(conn: Connection, when: datetime) -> list[tuple[str, dict[str, Any], datetime]]:
    """(event id, record, version time) of every event that existed at ``when``."""
    seq = seq_at(conn, when)
    if seq < 0:
        return []
    return [(e, _plain(row.record), row.at) for e, row in latest(conn, seq).items() if not row.deleted]


def since(conn: Connection, when: datetime) -> list[dict[str, Any]]:
    """Events added, changed and deleted at or after ``when``: each {event_id, kind, at,
    by, why, fields} (``fields``: what changed; a deleted event may name ``merged_into``)."""
    start = seq_at(conn, when, inclusive=False)
    ids = list(
        conn.scalars(select(event_versions.c.event_id).where(event_versions.c.change_seq > start).distinct())
    )
    before = latest(conn, start, ids) if start >= 0 else {}
    after = latest(conn, None, ids)
    out = []
    for event_id in sorted(ids):
        old, new = before.get(event_id), after[event_id]
        existed = old is not None and not old.deleted
        base = {"event_id": event_id, "at": _iso(new.at), "by": who(new), "why": new.why}
        if new.deleted:
            if existed:
                record = _plain(new.record)
                target = record.get("merged_into") or _now_owner(conn, event_id, record)
                out.append({**base, "kind": "deleted", "fields": [], "merged_into": target})
        elif old is None or not existed:
            out.append({**base, "kind": "added", "fields": [], "merged_into": None})
        elif fields := [d["field"] for d in diff(_plain(old.record), _plain(new.record))]:
            out.append({**base, "kind": "changed", "fields": fields, "merged_into": None})
    out.sort(key=lambda c: (c["at"], c["event_id"]))
    return out


# -- the dataset as of a time: EVENT dicts and the event filters on the records -------------


def event_dict(event_id: str, record: dict[str, Any], at: datetime) -> dict[str, Any]:
    """A record as an EVENT dict (``sources`` empty: versions keep no quotes) with ``updated_at``."""
    from marsad.model import time_precision
    from marsad.store.query import EVENT_KEYS

    row = {**record, "event_id": event_id, "sources": []}
    row["time_precision"] = time_precision(row.get("date_precision"))
    out = {key: row.get(key) for key in EVENT_KEYS}
    out["updated_at"] = _iso(at)
    return out


def matches(event: dict[str, Any], filters: dict[str, Any]) -> bool:
    """The event filters of marsad.store.query on an EVENT dict (text: notes, actors and place)."""

    def same(a: Any, b: str) -> bool:
        return isinstance(a, str) and a.casefold() == b.casefold()

    if (c := filters.get("country")) and not (same(event["country"], c) or same(event["iso3"], c)):
        return False
    if (a1 := filters.get("admin1")) and not same(event["admin1"], a1):
        return False
    day = date.fromisoformat(event["event_date"]) if event["event_date"] else None
    if filters.get("since") is not None and (day is None or day < filters["since"]):
        return False
    if filters.get("until") is not None and (day is None or day > filters["until"]):
        return False
    for key in ("event_type", "sub_event_type"):
        if filters.get(key) and not same(event[key], filters[key]):
            return False
    if (
        filters.get("min_fatalities") is not None
        and int(event["fatalities"] or 0) < filters["min_fatalities"]
    ):
        return False
    names = [event["actor1"], event["actor2"], *event["assoc_actor_1"], *event["assoc_actor_2"]]
    if actor := filters.get("actor"):
        wanted = {actor.casefold(), knowledge.canonical(actor).casefold()}
        if not any(isinstance(n, str) and n.casefold() in wanted for n in names):
            return False
    if text := filters.get("text"):
        hay = [event["notes"], *names, event["location"], event["admin1"]]
        if not any(isinstance(h, str) and text.casefold() in h.casefold() for h in hay):
            return False
    # the status it had then (versions written before the review columns: the machine's)
    return (event.get("status") or "provisional") in (filters.get("status") or DEFAULT_STATUSES)
