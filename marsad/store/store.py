"""``Store``: the durable event record behind the CLI, the Python API and the web API."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from marsad.errors import StoreError
from marsad.model import ArticleResult, ReadError
from marsad.store import changes, query, review, write
from marsad.store import engine as _engine
from marsad.store.filters import DEFAULT_STATUSES, STATUSES, FilterError, check_filters, check_page
from marsad.store.summary import IngestSummary


class Store:
    """A marsad database: SQLite file (WAL) by default, PostgreSQL by URL.

    Opening migrates the schema to the newest version. Reads never block the writer
    (WAL on SQLite, MVCC on PostgreSQL); writes are one transaction per batch.
    """

    def __init__(self, url: str | None = None, *, create: bool = True) -> None:
        """``create=False`` refuses a SQLite file that does not exist yet (a typo in
        ``--db`` should not quietly make an empty database to query)."""
        self.url = _engine.resolve_url(url)
        self.engine = _engine.create(self.url, must_exist=not create)
        try:
            _engine.migrate(self.engine)
        except SQLAlchemyError as exc:
            self.engine.dispose()
            raise StoreError(f"cannot open {self.display_url}: {_reason(exc)}") from None

    @property
    def display_url(self) -> str:
        """The URL with any password hidden, for messages."""
        return make_url(self.url).render_as_string(hide_password=True)

    def __repr__(self) -> str:
        return f"Store({self.display_url!r})"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    # -- writing -------------------------------------------------------------------

    def add(
        self,
        results: Iterable[ArticleResult],
        *,
        batch_size: int = 50,
        extractor_version: str | None = None,
        on_batch: Callable[[IngestSummary], None] | None = None,
    ) -> IngestSummary:
        """Store extraction results, one transaction per batch; idempotent by content hash.

        A text already stored by this (or a newer) extractor is skipped; one stored by an
        older extractor has its reports replaced; a new text whose URL (or id) is known
        becomes the document's current version and its predecessor's reports go.
        ``on_batch`` sees each committed batch's counts (for progress output).
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        version = extractor_version or write.extractor_version()
        total = IngestSummary()
        started = time.monotonic()
        iterator = iter(results)
        written: list[str] = []
        while batch := list(islice(iterator, batch_size)):
            done = self._write(batch, version, written)
            total.merge(done)
            if on_batch is not None:
                on_batch(done)
        if written:  # a later batch may have merged an earlier batch's events: count at the end
            with self._reader() as conn:
                total.events = write.count_events_of(conn, written)
        total.seconds = time.monotonic() - started
        return total

    def _write(self, batch: list[ArticleResult], version: str, written: list[str]) -> IngestSummary:
        """One transaction for the batch; if it fails, one per article, so that a bad
        record costs only itself (it is rejected with the database's reason)."""
        try:
            return self._write_once(batch, version, written)
        except _RECORD_ERRORS as exc:
            if not self._reachable():
                first = _name(batch[0])
                raise StoreError(f"cannot store the batch starting at {first}: {_reason(exc)}") from None
        done = IngestSummary()
        for result in batch:
            try:
                done.merge(self._write_once([result], version, written))
            except _RECORD_ERRORS as exc:
                if not self._reachable():
                    raise StoreError(f"cannot store {_name(result)}: {_reason(exc)}") from None
                reason = f"could not be stored ({_reason(exc)[:300]}); the rest of its batch was"
                done.rejected.append(ReadError(_name(result), reason))
        return done

    def _write_once(self, batch: list[ArticleResult], version: str, written: list[str]) -> IngestSummary:
        mine: list[str] = []
        with self._writer() as conn, conn.begin():
            _engine.lock(conn)  # one writer at a time, so "already stored?" stays true
            done = write.write_batch(conn, batch, version=version, written=mine)
        written.extend(mine)  # only once committed
        return done

    def _reachable(self) -> bool:
        """Does the database still answer? (Else a failed write is its fault, not a record's.)"""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            return False

    def _writer(self) -> Connection:
        conn = self.engine.connect().execution_options(marsad_write=True)
        return conn

    def known(self, hashes: Iterable[str]) -> dict[str, tuple[str, bool]]:
        """content hash -> (extractor version, is current) for texts already stored."""
        with self._reader() as conn:
            return write.known_versions(conn, hashes)

    def pending(self, hashes: Iterable[str], *, extractor_version: str | None = None) -> set[str]:
        """Which of these texts still need extracting (the rest would be duplicates)."""
        version = extractor_version or write.extractor_version()
        wanted = list(hashes)
        known = self.known(wanted)
        return {h for h in wanted if not write.is_duplicate(version, known.get(h))}

    # -- reading -------------------------------------------------------------------

    def _reader(self) -> Connection:
        try:
            return self.engine.connect()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read {self.display_url}: {_reason(exc)}") from None

    def events(
        self,
        *,
        country: str | None = None,
        admin1: str | None = None,
        since: date | None = None,
        until: date | None = None,
        actor: str | None = None,
        event_type: str | None = None,
        sub_event_type: str | None = None,
        min_fatalities: int | None = None,
        text: str | None = None,
        status: str | Iterable[str] | None = None,
        limit: int | None = None,
        offset: int = 0,
        order: str = "date",
    ) -> list[dict[str, Any]]:
        """EVENT dicts (docs/events.md) plus ``n_sources``, ``status``, ``flagged`` and
        ``flag_reason``, ordered by event_date then event_id (``order="newest"``: newest
        first), undated events last. ``status``: one of provisional, verified, edited,
        rejected, several (a list or ``"verified,edited"``) or ``"all"``; by default every
        event but the rejected."""
        filters = check_filters(
            dict(
                country=country,
                admin1=admin1,
                since=since,
                until=until,
                actor=actor,
                event_type=event_type,
                sub_event_type=sub_event_type,
                min_fatalities=min_fatalities,
                text=text,
                status=status,
            )
        )
        limit, offset = check_page(limit, offset)
        if order not in query.ORDERS:
            raise FilterError(f"order: {order!r} is not an order; use one of: {', '.join(query.ORDERS)}")
        with self._reader() as conn:
            return query.select_events(conn, limit=limit, offset=offset, order=order, **filters)

    def iter_events(self, *, page_size: int = 1000, **filters: Any) -> Iterator[dict[str, Any]]:
        """All matching events, a page at a time, from one snapshot of the database.

        For exports larger than memory: one read transaction (a snapshot on both
        backends), so an ingest running meanwhile cannot make pages skip or repeat.
        """
        filters = check_filters(filters)
        with self._reader() as conn:
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            offset = 0
            while True:
                page = query.select_events(conn, limit=page_size, offset=offset, **filters)
                yield from page
                if len(page) < page_size:
                    return
                offset += page_size

    def changes(
        self, after: changes.Cursor | str | None = None, *, limit: int = 100, **filters: Any
    ) -> tuple[list[dict[str, Any]], changes.Cursor]:
        """What happened to events after the position ``after`` (None: the newest change, so
        nothing yet), oldest change first, at most ``limit``; and the position to ask from next.

        Each item is ``{"kind": "added" | "updated" | "removed", "event": ...}``. An added or
        updated event is an EVENT dict with ``change_seq`` (its latest change),
        ``created_seq`` (its first) and ``updated_at``; "added" means first stored after
        ``after``. A removed one (merged into another event, or changed to a status the
        filter does not show: rejected, by default) is its ``event_id``,
        ``change_seq`` and ``removed_at``; removals ignore the filters (a reader drops what it
        has). The filters are those of :meth:`events`. Positions print as ``12-1a2b...``.
        """
        checked = check_filters(filters)
        limit = check_page(limit, 0)[0] or 1
        with self._reader() as conn:
            if after is None:
                return [], changes.current(conn)
            cursor = after if isinstance(after, changes.Cursor) else changes.Cursor.parse(after)
            # every status read, so that an event leaving the statuses shown (rejected by an
            # analyst) reaches a reader as removed; the other filters stay in SQL
            shown = checked.pop("status", None) or DEFAULT_STATUSES
            found: list[dict[str, Any]] = []
            for e in query.select_changes(conn, cursor, limit=limit, **checked, status=STATUSES):
                if e["status"] in shown:
                    found.append(
                        {"kind": "added" if e["created_seq"] > cursor.seq else "updated", "event": e}
                    )
                else:
                    gone = {
                        "event_id": e["event_id"],
                        "change_seq": e["change_seq"],
                        "removed_at": e["updated_at"],
                    }
                    found.append({"kind": "removed", "event": gone})
            found += [{"kind": "removed", "event": r} for r in changes.removals(conn, cursor, limit)]
        found.sort(key=lambda c: (c["event"]["change_seq"], c["event"]["event_id"]))
        found = found[:limit]
        if found:
            last = found[-1]["event"]
            cursor = changes.Cursor(last["change_seq"], last["event_id"])
        return found, cursor

    def count_events(self, **filters: Any) -> int:
        """How many events ``events(**filters)`` would return without limit."""
        with self._reader() as conn:
            return query.count_events(conn, **check_filters(filters))

    def event(self, event_id: str) -> dict[str, Any] | None:
        """One EVENT dict with its ``reports``, ``claims`` and ``links``; None if unknown."""
        with self._reader() as conn:
            return query.select_event(conn, event_id)

    def article(self, article_id: str) -> dict[str, Any] | None:
        """The current version of an article with its evidence ``spans``; None if unknown."""
        with self._reader() as conn:
            return query.select_article(conn, article_id)

    def actors(self) -> list[dict[str, Any]]:
        """Actors with events: name, category, events, fatalities; most events first."""
        with self._reader() as conn:
            return query.select_actors(conn)

    def timestamps(self) -> dict[str, int]:
        """event id -> Unix time its newest article was read (for ACLED's ``timestamp``)."""
        with self._reader() as conn:
            return query.select_timestamps(conn)

    def stats(self, **filters: Any) -> dict[str, list[dict[str, Any]]]:
        """Events and fatalities by month, country, actor and type (filters optional)."""
        with self._reader() as conn:
            return query.select_stats(conn, **check_filters(filters))

    # -- review: analysts' actions (marsad.store.review) ---------------------------

    def review_action(
        self, kind: str, event_id: str, *, user: str, reason: str | None = "", **details: Any
    ) -> list[dict[str, Any]]:
        """Verify, edit, reject, merge or split (``kind``) in one transaction; the resulting
        events (two for a split). EventNotFound / EditError for what cannot be done."""
        with self._writer() as conn, conn.begin():
            _engine.lock(conn)
            ids = review.act(
                conn, kind, event_id, user=user, reason=reason, where=self.display_url, **details
            )
            found = [query.select_event(conn, i) for i in ids]
        return [e for e in found if e is not None]

    def review_queue(self, limit: int = 20, **filters: Any) -> list[dict[str, Any]]:
        """Events waiting for an analyst, most pressing first (marsad.store.review.queue)."""
        checked = check_filters(filters)
        limit = check_page(limit, 0)[0] or 0
        with self._reader() as conn:
            return review.queue(conn, limit, checked)

    def edits(self, event_id: str) -> list[dict[str, Any]]:
        """The analysts' actions that apply to this event now, oldest first."""
        with self._reader() as conn:
            return [e.to_dict() for e in review.edits_of_event(conn, event_id)]


# What one bad record can raise: the database's refusal, or a driver's (an int too large for
# SQLite's INTEGER is an OverflowError, not a DBAPI error).
_RECORD_ERRORS = (SQLAlchemyError, ArithmeticError)


def _name(result: ArticleResult) -> str:
    article = result.article
    if article.source_path and article.article_id != Path(article.source_path).stem:
        return f"{article.source_path} (id {write.capped(article.article_id, 80)})"
    return article.source_path or write.capped(article.article_id, 80)


def _reason(exc: Exception) -> str:
    """The driver's own message, on one line, without SQLAlchemy's boilerplate."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc)
    return " ".join(text.split()) or type(exc).__name__
