"""Which events changed, and in what order: the watermark behind the live map's stream.

Every write transaction that adds, changes or deletes events takes the next value of the
``events`` counter (once per transaction) and stamps those events with it (``change_seq``;
``created_seq`` too when it adds them); a deleted event (merged into another) is kept in
``event_removals`` with it; each event's record after the change is kept as a version
(marsad.store.versions: ``--history``, ``--as-of``, ``marsad changes``). Writers are
serialised (SQLite's BEGIN IMMEDIATE, PostgreSQL's advisory lock), so the values are
committed in increasing order: a reader that has seen everything up to
``(change_seq, event_id)`` finds everything newer with ``> cursor``, on either backend,
from any process (``marsad watch`` writes, ``marsad serve`` reads).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, and_, case, delete, insert, or_, select, update

from marsad.store import versions
from marsad.store.schema import counters, event_removals, events

CHUNK = 500
_CURSOR = re.compile(r"^(\d{1,18})(?:-([0-9a-f]{1,32}))?$")


@dataclass(frozen=True, order=True)
class Cursor:
    """A position in the change order: everything up to this change and event id is seen
    (without an event id: all of this change)."""

    seq: int
    event_id: str = ""

    def __str__(self) -> str:
        return f"{self.seq}-{self.event_id}" if self.event_id else str(self.seq)

    @classmethod
    def parse(cls, text: str) -> Cursor:
        """``12`` or ``12-<event id>`` (what the stream sends as each message's id); ValueError else."""
        match = _CURSOR.match(text.strip())
        if not match:
            raise ValueError(
                f"{text[:40]!r} is not a stream position; give one the stream sent (e.g. 12-1a2b)"
            )
        return cls(int(match.group(1)), match.group(2) or "")


def _change(conn: Connection) -> tuple[int, datetime]:
    """This transaction's change number (the counter's next value) and time, taken once per
    transaction: every event it touches has the same (marsad.store.versions reads them)."""
    tx = conn.get_transaction()
    held = conn.info.get("marsad_change")
    if held is not None and held[0] is tx:
        return int(held[1]), held[2]
    # under the writer lock: no other transaction can take the same number
    conn.execute(update(counters).where(counters.c.name == "events").values(value=counters.c.value + 1))
    seq = int(conn.scalar(select(counters.c.value).where(counters.c.name == "events")) or 0)
    at = datetime.now(UTC)
    conn.info["marsad_change"] = (tx, seq, at)
    return seq, at


def _this_transaction(conn: Connection, key: str) -> set[str]:
    """A set kept on the connection for the current transaction only."""
    tx = conn.get_transaction()
    held = conn.info.get(key)
    if held is None or held[0] is not tx:
        held = conn.info[key] = (tx, set())
    found: set[str] = held[1]
    return found


def inserted(conn: Connection, event_ids: Iterable[str]) -> None:
    """Note events first written by this transaction: deleting them again is no news to a reader."""
    _this_transaction(conn, "marsad_inserted").update(event_ids)


def _chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    wanted = sorted(set(ids))
    for i in range(0, len(wanted), CHUNK):
        yield wanted[i : i + CHUNK]


def stamp(conn: Connection, event_ids: Iterable[str]) -> None:
    """Mark these events added or changed by this transaction."""
    chunks = list(_chunks(event_ids))
    if not chunks:
        return
    seq, at = _change(conn)
    first = case((events.c.created_seq == 0, seq), else_=events.c.created_seq)
    for chunk in chunks:
        conn.execute(
            update(events)
            .where(events.c.event_id.in_(chunk))
            .values(change_seq=seq, created_seq=first, updated_at=at)
        )
        conn.execute(delete(event_removals).where(event_removals.c.event_id.in_(chunk)))
        versions.changed(conn, chunk, seq, at)


def removed(conn: Connection, event_ids: Iterable[str]) -> None:
    """Record these events as deleted by this transaction (call before or after deleting them).

    Events this transaction wrote itself (a batch's provisional events, merged before the
    commit) were never seen by a reader: they are not recorded."""
    fresh = _this_transaction(conn, "marsad_inserted")
    chunks = list(_chunks(e for e in event_ids if e not in fresh))
    if not chunks:
        return
    seq, at = _change(conn)
    for chunk in chunks:
        versions.deleted(conn, chunk, seq, at)
        conn.execute(delete(event_removals).where(event_removals.c.event_id.in_(chunk)))
        conn.execute(
            insert(event_removals), [{"event_id": e, "change_seq": seq, "removed_at": at} for e in chunk]
        )


def current(conn: Connection) -> Cursor:
    """The newest change committed: a new reader's starting point."""
    return Cursor(int(conn.scalar(select(counters.c.value).where(counters.c.name == "events")) or 0))


def after(table: Table, cursor: Cursor) -> Any:
    """SQL condition: a row of ``events`` or ``event_removals`` changed after ``cursor``
    (a position without an event id has seen all of its change)."""
    if not cursor.event_id:
        return table.c.change_seq > cursor.seq
    return or_(
        table.c.change_seq > cursor.seq,
        and_(table.c.change_seq == cursor.seq, table.c.event_id > cursor.event_id),
    )


def removals(conn: Connection, cursor: Cursor, limit: int) -> list[dict[str, Any]]:
    """Events deleted after ``cursor``, in change order."""
    stmt = (
        select(event_removals)
        .where(after(event_removals, cursor))
        .order_by(event_removals.c.change_seq, event_removals.c.event_id)
        .limit(limit)
    )
    out = []
    for row in conn.execute(stmt):
        at = row.removed_at
        out.append(
            {
                "event_id": row.event_id,
                "change_seq": int(row.change_seq),
                "removed_at": at.replace(tzinfo=at.tzinfo or UTC).isoformat(),
            }
        )
    return out
