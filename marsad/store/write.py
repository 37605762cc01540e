"""The one write path: a batch of article results in one transaction.

Idempotence comes from keys derived from content: an article version is its content
hash, a report is a hash of that content hash and the report's index, and an event is
named after the report that founds it (the first published; see marsad.link).
Writing the same batch twice therefore finds everything in place and changes nothing,
and a batch cut short by a crash leaves nothing behind but its rolled-back transaction.
Each batch links its reports into events before it commits (marsad.store.linking).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from marsad.model import Article, ArticleResult, Event
from marsad.store import changes, knowledge, linking
from marsad.store.schema import (
    EVENT_FIELDS,
    actors,
    articles,
    claims,
    event_actors,
    events,
    link_blocks,
    places,
    reports,
)
from marsad.store.summary import IngestSummary

ROLES = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")
SINGLE_LINK = "one report, one event (not yet linked with other sources)"  # until its batch links
CHUNK = 500  # bound the parameters of IN (...) lists on both backends


def stable_id(kind: str, content_hash: str, index: int) -> str:
    """A short id that is the same on every run and backend for the same text and index."""
    return hashlib.sha256(f"{kind}:{content_hash}:{index}".encode()).hexdigest()[:20]


MAX_ID = 200  # characters: an id, key or URL far longer would break a btree index row


def capped(value: str, limit: int = MAX_ID) -> str:
    """``value`` if short enough, else its start and a hash of the whole (still distinct)."""
    if len(value) <= limit:
        return value
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{value[: limit - 17]}~{digest}"


def doc_key(article: Article) -> str:
    """What makes two texts versions of one document: the URL, else the file and the id.

    Not the id alone: a reader's id defaults to the file name (``report.txt`` -> report,
    ``articles.jsonl`` -> articles-1 ...), and two files of the same name in different
    folders are different documents. Standard input and hand-made articles without a
    path are known by their id.
    """
    if article.url:
        key = f"url:{article.url}"
    elif article.source_path and article.source_path != "<stdin>":
        key = f"file:{os.path.abspath(article.source_path)}#{article.article_id}"
    else:
        key = f"id:{article.article_id}"
    return capped(key, 3 * MAX_ID)  # 600 characters: at most 2,400 bytes, under the 2,704 of a btree row


def extractor_version() -> str:
    """The running extractor's version: stored per article, compared on re-ingest."""
    try:
        import marsad.extract as extract
    except Exception:
        return "0"
    for candidate in (
        getattr(extract, "EXTRACTOR_VERSION", None),
        getattr(extract, "__version__", None),
        getattr(getattr(extract, "Extractor", None), "version", None),
    ):
        if isinstance(candidate, str) and candidate:
            return candidate
    try:
        from importlib.metadata import version

        return version("marsad")
    except Exception:
        return "0"


def is_newer(candidate: str, stored: str) -> bool:
    """Does ``candidate`` supersede ``stored``? Dotted numbers compare numerically."""
    if candidate == stored:
        return False

    def parts(v: str) -> tuple[int, ...] | None:
        nums = re.findall(r"\d+", v)
        return tuple(int(n) for n in nums) if nums and re.fullmatch(r"[\d.]+", v.strip()) else None

    a, b = parts(candidate), parts(stored)
    if a is not None and b is not None:
        return a > b
    return True  # unorderable and different: the extractor running now wins


def known_versions(conn: Connection, hashes: Iterable[str]) -> dict[str, tuple[str, bool]]:
    """content hash -> (extractor version, is current), for the hashes already stored."""
    wanted = sorted(set(hashes))
    found: dict[str, tuple[str, bool]] = {}
    for i in range(0, len(wanted), CHUNK):
        rows = conn.execute(
            select(articles.c.content_hash, articles.c.extractor_version, articles.c.is_current).where(
                articles.c.content_hash.in_(wanted[i : i + CHUNK])
            )
        )
        found.update({h: (v, bool(c)) for h, v, c in rows})
    return found


def is_duplicate(version: str, stored: tuple[str, bool] | None) -> bool:
    """Nothing to do for this text: stored by this or a newer extractor, or superseded.

    A superseded text read again is not news: its correction stays the current version.
    """
    if stored is None:
        return False
    stored_version, current = stored
    return not current or not is_newer(version, stored_version)


def write_batch(
    conn: Connection, batch: Sequence[ArticleResult], *, version: str, written: list[str] | None = None
) -> IngestSummary:
    """Store one batch on an open transaction and link its reports; the caller commits.

    New rows are collected and written with one multi-row statement per table; a text
    that replaces stored reports (a re-extraction or a new version) first flushes what is
    collected, so every deletion sees the rows written before it, as in article order.
    """
    summary = IngestSummary()
    stored = known_versions(conn, (r.article.content_hash for r in batch))
    docs = _documents(conn, {doc_key(r.article) for r in batch})
    _adopt_legacy(conn, [r.article for r in batch], docs)
    seen: set[str] = set()
    now = datetime.now(UTC)
    rows = Rows()
    new_reports: list[str] = []
    dirty: set[str] = set()  # link groups that lost reports: re-clustered with the batch
    for result in batch:
        article = result.article
        h = article.content_hash
        if h in seen or is_duplicate(version, stored.get(h)):
            summary.duplicates += 1
            continue
        seen.add(h)
        if h in stored:
            rows.flush(conn)
            delete_reports(conn, [h], dirty=dirty)
            conn.execute(
                update(articles).where(articles.c.content_hash == h).values(extractor_version=version)
            )
            summary.reextracted += 1
        else:
            summary.new_versions += _add_article(
                conn, rows, article, docs, version=version, now=now, dirty=dirty
            )
        summary.articles += 1
        if written is not None:
            written.append(h)
        new_reports.extend(rows.add_reports(article, result.events))
        summary.reports += len(result.events)
    rows.flush(conn)
    linked = linking.relink(conn, new_reports, dirty)
    fresh = set(new_reports)
    summary.events = len({e.event_id for e in linked if fresh.intersection(e.report_ids)})
    summary.linked = sum(
        1
        for e in linked
        if len({r.article_id for r in e.reports}) > 1
        for r in e.reports
        if r.report_id in fresh
    )
    return summary


Versions = dict[str, list[tuple[str, int, bool]]]  # doc key -> (content hash, version, is current)


def _documents(conn: Connection, keys: Iterable[str]) -> Versions:
    """The stored versions of these documents."""
    wanted = sorted(set(keys))
    out: Versions = {key: [] for key in wanted}
    cols = (articles.c.doc_key, articles.c.content_hash, articles.c.version, articles.c.is_current)
    for i in range(0, len(wanted), CHUNK):
        for key, h, number, current in conn.execute(
            select(*cols).where(articles.c.doc_key.in_(wanted[i : i + CHUNK]))
        ):
            out[key].append((h, number, bool(current)))
    return out


def _adopt_legacy(conn: Connection, batch: Sequence[Article], docs: Versions) -> None:
    """Find documents stored before file keys (schema 5 and older keyed them ``id:<id>``).

    A file's new text whose document has no version under its file key yet, but has one
    under the old id key read from the same path, is a new version of that document.
    """
    wanted = {
        (f"id:{a.article_id}", a.source_path): key
        for a in batch
        if (key := doc_key(a)).startswith("file:") and not docs.get(key)
    }
    legacy = sorted({old for old, _ in wanted})
    cols = (articles.c.doc_key, articles.c.source_path, articles.c.content_hash)
    for i in range(0, len(legacy), CHUNK):
        rows = conn.execute(
            select(*cols, articles.c.version, articles.c.is_current).where(
                articles.c.doc_key.in_(legacy[i : i + CHUNK])
            )
        )
        for old, path, h, number, current in rows:
            found = wanted.get((old, path))
            if found is not None:
                docs.setdefault(found, []).append((h, number, bool(current)))


def _add_article(
    conn: Connection,
    rows: Rows,
    article: Article,
    docs: Versions,
    *,
    version: str,
    now: datetime,
    dirty: set[str],
) -> int:
    """Queue a new text; if its document has a current version, supersede it (returns 1)."""
    key = doc_key(article)
    previous = docs.setdefault(key, [])
    current = [h for h, _, is_current in previous if is_current]
    if current:
        rows.flush(conn)  # the current version may be in this batch's queue
        delete_reports(conn, current, dirty=dirty)
        conn.execute(update(articles).where(articles.c.content_hash.in_(current)).values(is_current=False))
        previous[:] = [(h, number, False) for h, number, _ in previous]
    number = max((n for _, n, _ in previous), default=0) + 1
    rows.articles.append(_article_row(article, key=key, number=number, version=version, now=now))
    previous.append((article.content_hash, number, True))
    return 1 if current else 0


def _article_row(article: Article, *, key: str, number: int, version: str, now: datetime) -> dict[str, Any]:
    return {
        "content_hash": article.content_hash,
        "article_id": capped(article.article_id),
        "doc_key": key,
        "version": number,
        "is_current": True,
        "title": article.title,
        "publisher": article.publisher,
        "url": article.url,
        "source_path": article.source_path,
        "dateline": article.dateline,
        "publish_date": article.publish_date,
        "text": article.text,
        "read_at": now,
        "extractor_version": version,
    }


def _insert_article(
    conn: Connection, article: Article, *, version: str, now: datetime, dirty: set[str] | None = None
) -> int:
    """Insert one new text now (superseding its document's current version; returns 1 if so)."""
    rows = Rows()
    docs = _documents(conn, [doc_key(article)])
    n = _add_article(
        conn, rows, article, docs, version=version, now=now, dirty=set() if dirty is None else dirty
    )
    rows.flush(conn)
    return n


def delete_reports(conn: Connection, hashes: Sequence[str], *, dirty: set[str] | None = None) -> None:
    """Remove the reports of these article versions, and events left with no report.

    Events that keep reports from other articles stay until the batch re-links their
    link groups, which ``dirty`` collects.
    """
    for i in range(0, len(hashes), CHUNK):
        chunk = list(hashes[i : i + CHUNK])
        if dirty is not None:
            dirty.update(linking.groups_of(conn, chunk))
        event_ids = sorted(
            set(conn.scalars(select(reports.c.event_id).where(reports.c.content_hash.in_(chunk))))
        )
        gone = select(reports.c.report_id).where(reports.c.content_hash.in_(chunk))
        conn.execute(delete(link_blocks).where(link_blocks.c.report_id.in_(gone)))
        conn.execute(delete(claims).where(claims.c.content_hash.in_(chunk)))
        conn.execute(delete(reports).where(reports.c.content_hash.in_(chunk)))
        for j in range(0, len(event_ids), CHUNK):
            orphans = [
                e
                for e in event_ids[j : j + CHUNK]
                if not conn.scalar(select(exists().where(reports.c.event_id == e)))
            ]
            if orphans:
                changes.removed(conn, orphans)
                conn.execute(delete(event_actors).where(event_actors.c.event_id.in_(orphans)))
                conn.execute(delete(events).where(events.c.event_id.in_(orphans)))


def _event_fields(event: Event, confidence: bool = True) -> dict[str, Any]:
    """The row values of an event or report; ``confidence`` False leaves out the confidence
    columns (a migration older than 0009 that relinks)."""
    data = {name: getattr(event, name) for name in EVENT_FIELDS}
    if confidence:
        data["confidence"] = event.confidence
        data["field_confidence"] = dict(event.field_confidence or {})
        data["confidence_evidence"] = dict(event.confidence_evidence or {})
    data["assoc_actor_1"] = list(event.assoc_actor_1 or [])
    data["assoc_actor_2"] = list(event.assoc_actor_2 or [])
    data["fatalities_by_actor"] = dict(event.fatalities_by_actor or {})
    data["fatalities"] = int(event.fatalities or 0)
    data["notes"] = event.notes or ""
    data["event_date"] = _parse_date(event.event_date)
    return data


def _parse_date(value: object) -> date | None:
    """EVENT dates are ISO strings; anything else cannot be filtered on, so it is None."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


_PLACE_FIELDS = ("location", "admin1", "country", "iso3", "latitude", "longitude", "geonameid")


class Rows:
    """New rows for one transaction, written with one multi-row statement per table.

    ``flush`` writes them in foreign-key order (articles, places, actors, events,
    reports, event actors, claims) and empties the queue.
    """

    def __init__(self) -> None:
        self._clear()

    def _clear(self) -> None:
        self.articles: list[dict[str, Any]] = []
        self.places: dict[str, dict[str, Any]] = {}
        self.actors: dict[str, str] = {}  # name -> category
        self.events: list[dict[str, Any]] = []
        self.reports: list[dict[str, Any]] = []
        self.event_actors: list[dict[str, Any]] = []
        self.claims: list[dict[str, Any]] = []

    def place(self, event: Event) -> str | None:
        """The event's place id, its row queued (places are shared: inserted if new)."""
        values = {name: getattr(event, name) for name in _PLACE_FIELDS}
        if all(v is None or v == "" for v in values.values()):
            return None
        place_id = _place_id(values)
        self.places.setdefault(place_id, {"place_id": place_id, **values})
        return place_id

    def event(self, event_id: str, event: Event, values: dict[str, Any]) -> None:
        """Queue an event row (``values``: place id and fields) and its actors."""
        self.events.append({"event_id": event_id, **values})
        self.event_actor_rows(event_id, event)

    def event_actor_rows(self, event_id: str, event: Event) -> None:
        for role, name in _actor_pairs(event):
            if name not in self.actors:
                self.actors[name] = knowledge.category(name)
            self.event_actors.append({"event_id": event_id, "role": role, "actor": name})

    def add_reports(self, article: Article, found: Sequence[Event]) -> list[str]:
        """Queue an article's reports, each its own provisional event; returns the report ids."""
        h = article.content_hash
        ids: list[str] = []
        for index, event in enumerate(found):
            report_id = stable_id("report", h, index)
            event_id = stable_id("event", h, index)
            fields = _event_fields(event)
            place_id = self.place(event)
            self.event(event_id, event, {"place_id": place_id, **fields})
            self.reports.append(
                {
                    "report_id": report_id,
                    "content_hash": h,
                    "report_index": index,
                    "event_id": event_id,
                    "link_explanation": SINGLE_LINK,
                    "link_group": report_id,
                    "place_id": place_id,
                    **fields,
                }
            )
            single = len(event.sources) == 1
            for claim_index, source in enumerate(event.sources):
                self.claims.append(
                    {
                        "report_id": report_id,
                        "claim_index": claim_index,
                        "event_id": event_id,
                        "content_hash": h,
                        "article_id": capped(source.article_id or article.article_id),
                        "publisher": source.publisher if source.publisher is not None else article.publisher,
                        "claimant": source.claimant,
                        "quote": source.quote,
                        "start": source.start,
                        "end": source.end,
                        # a lone claim carries the report's numbers; with several claims the
                        # extractor has to say which number whose (Source.fatalities, if it has it)
                        "fatalities": getattr(source, "fatalities", event.fatalities if single else None),
                        "wounded": getattr(source, "wounded", event.wounded if single else None),
                    }
                )
            ids.append(report_id)
        return ids

    def flush(self, conn: Connection) -> None:
        if self.articles:
            conn.execute(articles.insert(), self.articles)
        if self.places:
            rows = [self.places[k] for k in sorted(self.places)]
            conn.execute(_insert(conn, places).on_conflict_do_nothing(), rows)
        if self.actors:
            _upsert_actors(conn, self.actors)
        held = self._stored_events(conn)
        changes.inserted(conn, (r["event_id"] for r in self.events if r["event_id"] not in held))
        for table, rows in (
            (events, [r for r in self.events if r["event_id"] not in held]),
            (reports, self.reports),
            (event_actors, [r for r in self.event_actors if r["event_id"] not in held]),
            (claims, self.claims),
        ):
            if rows:
                conn.execute(table.insert(), rows)
        self._clear()

    def _stored_events(self, conn: Connection) -> set[str]:
        """Queued provisional events whose id is already stored.

        A re-extracted article's report gets the same provisional id as before; when
        other articles' reports joined the event it founded, that event is still there
        (held by them) until the batch re-links the group, so the report points at it
        and the linker rewrites its row and actors.
        """
        ids = sorted({r["event_id"] for r in self.events})
        held: set[str] = set()
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i : i + CHUNK]
            held.update(conn.scalars(select(events.c.event_id).where(events.c.event_id.in_(chunk))))
        return held


def _place_id(values: dict[str, Any]) -> str:
    # every field is in the key, so two events never overwrite each other's coordinates
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:20]


def _actor_pairs(event: Event) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for role in ROLES:
        value = getattr(event, role)
        for name in [value] if isinstance(value, str) or value is None else value:
            if name and (role, name) not in pairs:
                pairs.append((role, name))
    return pairs


def _upsert_actors(conn: Connection, categories: dict[str, str]) -> None:
    """Insert new actor names; a newer knowledge base may have learnt a known name's category."""
    names = sorted(categories)
    known = [{"name": n, "category": categories[n]} for n in names if categories[n]]
    unknown = [{"name": n, "category": ""} for n in names if not categories[n]]
    if known:
        stmt = _insert(conn, actors)
        conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["name"],
                set_={"category": stmt.excluded.category},
                where=actors.c.category != stmt.excluded.category,
            ),
            known,
        )
    if unknown:
        conn.execute(_insert(conn, actors).on_conflict_do_nothing(), unknown)


def _upsert_place(conn: Connection, event: Event) -> str | None:
    """Insert the event's place if it is new; returns its id (None: no place at all)."""
    rows = Rows()
    place_id = rows.place(event)
    rows.flush(conn)
    return place_id


def _insert_actors(conn: Connection, event_id: str, event: Event) -> None:
    """Insert the event's actors (the names if new) and its event_actors rows."""
    rows = Rows()
    rows.event_actor_rows(event_id, event)
    rows.flush(conn)


def _insert(conn: Connection, table: Table) -> Any:
    """INSERT with ON CONFLICT support in this connection's dialect."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def count_events_of(conn: Connection, hashes: Sequence[str]) -> int:
    """How many distinct events the reports of these article versions are in now."""
    found: set[str] = set()
    for i in range(0, len(hashes), CHUNK):
        chunk = list(hashes[i : i + CHUNK])
        found.update(conn.scalars(select(reports.c.event_id).where(reports.c.content_hash.in_(chunk))))
    return len(found)


def count_articles(conn: Connection) -> int:
    return int(conn.scalar(select(func.count()).select_from(articles)) or 0)
