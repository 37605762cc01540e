"""What ``marsad watch`` keeps in the store: the feeds, the items already read, the alerts sent.

Every write is its own short transaction, taken with the store's writer lock. The watcher
marks an item seen only after its article's events are committed and its alerts recorded,
so a crash at any point makes the restart redo the item (ingest skips a text it already
stored, alerts are keyed by what they say) and never skip it.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, delete, func, insert, select, update

from marsad.errors import StoreError
from marsad.store import engine as _engine
from marsad.store.schema import alert_deliveries, alerts, feed_items, feeds, reports
from marsad.store.write import CHUNK

if TYPE_CHECKING:
    from marsad.store.store import Store

#: A URL longer than this is refused as a feed (no real feed has one; an index row must fit).
MAX_URL = 2000
#: The window of ``items_per_day``.
RATE_DAYS = 7


def utc(value: datetime | None) -> datetime | None:
    """A stored time as an aware UTC datetime (SQLite gives them back naive)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Feed:
    """One registered feed with its polling state and health."""

    feed_id: int
    url: str
    name: str
    every_seconds: int
    added_at: datetime
    etag: str | None = None
    last_modified: str | None = None
    last_polled_at: datetime | None = None
    last_success_at: datetime | None = None
    last_error_at: datetime | None = None
    last_error: str | None = None
    failures: int = 0
    next_poll_at: datetime | None = None
    items_seen: int = 0
    items_per_day: float = 0.0

    @property
    def healthy(self) -> bool:
        """No error since the last success."""
        return self.failures == 0

    def to_dict(self) -> dict[str, Any]:
        def iso(t: datetime | None) -> str | None:
            return t.isoformat(timespec="seconds") if t is not None else None

        return {
            "name": self.name,
            "url": self.url,
            "every_seconds": self.every_seconds,
            "added_at": iso(self.added_at),
            "last_polled_at": iso(self.last_polled_at),
            "last_success_at": iso(self.last_success_at),
            "last_error_at": iso(self.last_error_at),
            "last_error": self.last_error,
            "failures": self.failures,
            "next_poll_at": iso(self.next_poll_at),
            "items_seen": self.items_seen,
            "items_per_day": round(self.items_per_day, 1),
        }


@dataclass(frozen=True)
class Delivery:
    """An alert still to deliver to one sink."""

    alert_id: str
    sink: str
    attempts: int
    payload: dict[str, Any]


def alert_id(rule: str, event_id: str, kind: str, fatalities: int) -> str:
    """The same alert (rule, event, kind, toll) always has the same id: made once."""
    return hashlib.sha256(f"{rule}\x00{event_id}\x00{kind}\x00{fatalities}".encode()).hexdigest()[:20]


class Monitor:
    """Feeds, seen items and alerts in one marsad store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- connections ------------------------------------------------------------------

    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        conn = self.store._writer()
        try:
            with conn.begin():
                _engine.lock(conn)
                yield conn
        finally:
            conn.close()

    def _read(self) -> Connection:
        return self.store._reader()

    # -- feeds ------------------------------------------------------------------------

    def add_feed(self, url: str, *, name: str | None = None, every_seconds: int = 300) -> tuple[Feed, bool]:
        """Register a feed (or update the name and interval of a known URL); (feed, created)."""
        if len(url) > MAX_URL:
            raise StoreError(f"a feed URL of {len(url)} characters; at most {MAX_URL} are kept")
        name = (name or url).strip() or url
        with self._write() as conn:
            row = conn.execute(select(feeds.c.feed_id).where(feeds.c.url == url)).first()
            clash = conn.execute(select(feeds.c.url).where(feeds.c.name == name, feeds.c.url != url)).scalar()
            if clash is not None:
                raise StoreError(f"the name {name!r} is already the feed {clash}; pick another with --name")
            if row is not None:
                conn.execute(
                    update(feeds)
                    .where(feeds.c.feed_id == row.feed_id)
                    .values(name=name, every_seconds=every_seconds)
                )
                feed_id, created = int(row.feed_id), False
            else:
                values = dict(url=url, name=name, every_seconds=every_seconds, added_at=now())
                values.update(failures=0, items_seen=0)
                key = conn.execute(insert(feeds).values(**values)).inserted_primary_key
                assert key is not None
                feed_id = int(key[0])
                created = True
        found = self.feed(feed_id)
        assert found is not None
        return found, created

    def remove_feed(self, url_or_name: str) -> Feed | None:
        """Forget a feed by URL or name (its seen items stay seen); the feed removed, or None."""
        found = [f for f in self.feeds() if url_or_name in (f.url, f.name)]
        if not found:
            return None
        with self._write() as conn:
            conn.execute(delete(feeds).where(feeds.c.feed_id == found[0].feed_id))
        return found[0]

    def feeds(self) -> list[Feed]:
        """Every feed, oldest first, with its items per day."""
        return self._feeds()

    def feed(self, feed_id: int) -> Feed | None:
        found = self._feeds(feed_id)
        return found[0] if found else None

    def _feeds(self, feed_id: int | None = None) -> list[Feed]:
        since = now() - timedelta(days=RATE_DAYS)
        query = select(feeds).order_by(feeds.c.feed_id)
        if feed_id is not None:
            query = query.where(feeds.c.feed_id == feed_id)
        with self._read() as conn:
            rows = [dict(r._mapping) for r in conn.execute(query)]
            recent: dict[int, int] = dict(
                conn.execute(
                    select(feed_items.c.feed_id, func.count())
                    .where(feed_items.c.seen_at >= since)
                    .group_by(feed_items.c.feed_id)
                ).all()
            )
        out = []
        for row in rows:
            for key in ("added_at", "last_polled_at", "last_success_at", "last_error_at", "next_poll_at"):
                row[key] = utc(row[key])
            days = min(float(RATE_DAYS), max(1.0, (now() - row["added_at"]).total_seconds() / 86400))
            row["items_per_day"] = recent.get(row["feed_id"], 0) / days
            out.append(Feed(**row))
        return out

    def record_poll(
        self,
        feed_id: int,
        *,
        error: str | None,
        next_poll_at: datetime,
        etag: str | None = None,
        last_modified: str | None = None,
        validators: bool = False,
    ) -> None:
        """A poll's outcome: success (error None) resets the back-off, an error counts one more.

        ``validators`` says the response carried ETag/Last-Modified to keep (a 200 or 304).
        """
        t = now()
        values: dict[str, Any] = {"last_polled_at": t, "next_poll_at": next_poll_at}
        if error is None:
            values.update(last_success_at=t, failures=0)
            if validators:
                values.update(etag=etag, last_modified=last_modified)
        else:
            values.update(last_error_at=t, last_error=error, failures=feeds.c.failures + 1)
        with self._write() as conn:
            conn.execute(update(feeds).where(feeds.c.feed_id == feed_id).values(**values))

    # -- items ------------------------------------------------------------------------

    def seen(self, keys: Iterable[str]) -> set[str]:
        """Which of these item keys are already dealt with."""
        wanted = sorted(set(keys))
        found: set[str] = set()
        with self._read() as conn:
            for i in range(0, len(wanted), CHUNK):
                chunk = wanted[i : i + CHUNK]
                found.update(
                    conn.scalars(select(feed_items.c.item_key).where(feed_items.c.item_key.in_(chunk)))
                )
        return found

    def mark_seen(
        self, item_key: str, *, feed_id: int | None, url: str | None, content_hash: str | None, outcome: str
    ) -> None:
        """Record an item as dealt with (idempotent: a second mark changes nothing)."""
        with self._write() as conn:
            if conn.execute(select(feed_items.c.item_key).where(feed_items.c.item_key == item_key)).first():
                return
            conn.execute(
                insert(feed_items).values(
                    item_key=item_key,
                    feed_id=feed_id,
                    url=url,
                    content_hash=content_hash,
                    outcome=outcome[:500],
                    seen_at=now(),
                )
            )
            if feed_id is not None:
                conn.execute(
                    update(feeds).where(feeds.c.feed_id == feed_id).values(items_seen=feeds.c.items_seen + 1)
                )

    def events_of(self, content_hash: str) -> list[str]:
        """The events an article version's reports are in now."""
        with self._read() as conn:
            found = conn.scalars(select(reports.c.event_id).where(reports.c.content_hash == content_hash))
            return sorted(set(found))

    # -- alerts -----------------------------------------------------------------------

    def alerted_toll(self, rule: str, event_id: str) -> int | None:
        """The highest toll already alerted for this rule and event; None if never alerted."""
        with self._read() as conn:
            value = conn.execute(
                select(func.max(alerts.c.fatalities)).where(
                    alerts.c.rule == rule, alerts.c.event_id == event_id
                )
            ).scalar()
            n = conn.execute(
                select(func.count()).where(alerts.c.rule == rule, alerts.c.event_id == event_id)
            ).scalar()
        return int(value) if n and value is not None else None

    def add_alert(
        self,
        *,
        alert_id: str,
        rule: str,
        event_id: str,
        kind: str,
        fatalities: int,
        payload: dict[str, Any],
        sinks: Sequence[str],
    ) -> bool:
        """Record an alert and one pending delivery per sink; False if it was already made."""
        with self._write() as conn:
            if conn.execute(select(alerts.c.alert_id).where(alerts.c.alert_id == alert_id)).first():
                return False
            conn.execute(
                insert(alerts).values(
                    alert_id=alert_id,
                    rule=rule,
                    event_id=event_id,
                    kind=kind,
                    fatalities=fatalities,
                    payload=payload,
                    created_at=now(),
                )
            )
            if sinks:
                conn.execute(
                    insert(alert_deliveries),
                    [{"alert_id": alert_id, "sink": s, "attempts": 0} for s in sinks],
                )
        return True

    def pending(self, *, max_attempts: int) -> list[Delivery]:
        """Deliveries not yet made (oldest alert first), short of ``max_attempts`` tries."""
        query = (
            select(
                alert_deliveries.c.alert_id,
                alert_deliveries.c.sink,
                alert_deliveries.c.attempts,
                alerts.c.payload,
            )
            .join(alerts, alerts.c.alert_id == alert_deliveries.c.alert_id)
            .where(
                and_(alert_deliveries.c.delivered_at.is_(None), alert_deliveries.c.attempts < max_attempts)
            )
            .order_by(alerts.c.created_at, alerts.c.alert_id, alert_deliveries.c.sink)
        )
        with self._read() as conn:
            return [
                Delivery(r.alert_id, r.sink, int(r.attempts), dict(r.payload)) for r in conn.execute(query)
            ]

    def delivered(self, alert_id: str, sink: str, *, error: str | None = None) -> None:
        """A delivery's outcome: done, or one more failed attempt with its reason."""
        values: dict[str, Any] = {"attempts": alert_deliveries.c.attempts + 1}
        if error is None:
            values["delivered_at"] = now()
        else:
            values["last_error"] = error[:500]
        with self._write() as conn:
            conn.execute(
                update(alert_deliveries)
                .where(alert_deliveries.c.alert_id == alert_id, alert_deliveries.c.sink == sink)
                .values(**values)
            )

    def counts(self) -> dict[str, int]:
        """How many feeds, items, alerts and undelivered deliveries the store holds."""
        with self._read() as conn:

            def n(query: Any) -> int:
                return int(conn.execute(query).scalar() or 0)

            return {
                "feeds": n(select(func.count()).select_from(feeds)),
                "items": n(select(func.count()).select_from(feed_items)),
                "alerts": n(select(func.count()).select_from(alerts)),
                "undelivered": n(
                    select(func.count())
                    .select_from(alert_deliveries)
                    .where(alert_deliveries.c.delivered_at.is_(None))
                ),
            }
