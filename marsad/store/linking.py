"""Linking inside the store: each batch's reports join existing events or start new ones.

The store is the linker's memory (:class:`marsad.link.ReportSource`): blocking keys live in
``link_blocks``, link groups in ``reports.link_group``. A batch links in the same
transaction that writes it, re-clusters only the groups its reports touch (and groups that
lost reports to a new version or re-extraction), and rewrites those groups' events with
reconciled fields and one explanation per report. Reports are always read back from the
tables before linking, new ones included, so a report scores the same whether it arrives
now or was stored a year ago: that is what makes the record independent of ingest order.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence, Set
from datetime import date
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select, update

from marsad.link import LinkedEvent, Report
from marsad.link import relink as link_relink
from marsad.link.cluster import Constraint, PairScores
from marsad.model import Event, Source
from marsad.store import changes, review
from marsad.store.schema import (
    EVENT_FIELDS,
    articles,
    claims,
    event_actors,
    events,
    link_blocks,
    places,
    reports,
)

CHUNK = 500
_PLACE_FIELDS = ("location", "admin1", "country", "iso3", "latitude", "longitude", "geonameid")


def _chunks(values: Sequence[str]) -> Iterable[list[str]]:
    for i in range(0, len(values), CHUNK):
        yield list(values[i : i + CHUNK])


# Reports built from rows, kept across batches: building one (folding its text into a
# vector, resolving its actors) costs far more than reading its row, and a report is
# read again every time a later report of its place and week is linked. An entry is
# reused only when every value it was built from is the same as in the row just read.
_BUILT: OrderedDict[str, tuple[tuple[Any, ...], Report]] = OrderedDict()
BUILT_MAX = 4096
# Their pairs' scores, for the same reason: a batch re-clusters whole link groups.
_SCORES = PairScores()


def load_reports(
    conn: Connection, report_ids: Iterable[str], *, loaded: dict[str, Report] | None = None
) -> dict[str, Report]:
    """Stored reports as linker reports (event fields, place, claims, article metadata).

    ``loaded`` holds reports already read in this transaction: those are not read again
    (and the ones read now are added to it).
    """
    wanted = sorted(set(report_ids) - set(loaded or ()))
    rows: list[dict[str, Any]] = []
    quotes: dict[str, list[tuple[Any, ...]]] = {}
    for chunk in _chunks(wanted):
        stmt = (
            select(
                reports.c.report_id,
                reports.c.content_hash,
                reports.c.report_index,
                reports.c.link_group,
                *(reports.c[name] for name in EVENT_FIELDS),
                *(places.c[name] for name in _PLACE_FIELDS),
                articles.c.article_id,
                articles.c.publisher,
                articles.c.publish_date,
            )
            .select_from(
                reports.join(articles, reports.c.content_hash == articles.c.content_hash).outerjoin(
                    places, reports.c.place_id == places.c.place_id
                )
            )
            .where(reports.c.report_id.in_(chunk))
        )
        rows.extend(dict(r._mapping) for r in conn.execute(stmt))
        claim_cols = (
            claims.c[name] for name in ("article_id", "publisher", "claimant", "quote", "start", "end")
        )
        claim_rows = conn.execute(
            select(claims.c.report_id, *claim_cols)
            .where(claims.c.report_id.in_(chunk))
            .order_by(claims.c.report_id, claims.c.claim_index)
        )
        for c in claim_rows:
            quotes.setdefault(c[0], []).append(tuple(c[1:]))
    out: dict[str, Report] = {}
    for row in rows:
        rid = row["report_id"]
        group = row.pop("link_group")
        basis = (tuple(row.values()), tuple(quotes.get(rid, ())))
        cached = _BUILT.get(rid)
        if cached is not None and cached[0] == basis:
            report = cached[1]
            _BUILT.move_to_end(rid)
        else:
            report = _build(row, quotes.get(rid, []))
            _BUILT[rid] = (basis, report)
            if len(_BUILT) > BUILT_MAX:
                _BUILT.popitem(last=False)
        report.group = group
        out[rid] = report
    if loaded is not None:
        loaded.update(out)
        out.update((rid, loaded[rid]) for rid in set(report_ids) if rid in loaded)
    return out


def _build(row: dict[str, Any], quotes: list[tuple[Any, ...]]) -> Report:
    from marsad.store.write import stable_id

    fields = {name: row[name] for name in (*EVENT_FIELDS, *_PLACE_FIELDS)}
    when = fields["event_date"]
    fields["event_date"] = when.isoformat() if isinstance(when, date) else when
    fields["assoc_actor_1"] = list(fields["assoc_actor_1"] or [])
    fields["assoc_actor_2"] = list(fields["assoc_actor_2"] or [])
    fields["fatalities_by_actor"] = dict(fields["fatalities_by_actor"] or {})
    fields["fatalities"] = int(fields["fatalities"] or 0)
    fields["notes"] = fields["notes"] or ""
    event_key = stable_id("event", row["content_hash"], row["report_index"])
    event = Event(event_id=event_key, sources=[Source(*q) for q in quotes], **fields)
    return Report(
        row["report_id"],
        event,
        row["article_id"],
        publisher=row["publisher"],
        publish_date=row["publish_date"],
        event_key=event_key,
    )


class StoredReports:
    """The store's tables as the linker's :class:`~marsad.link.linker.ReportSource`."""

    def __init__(self, conn: Connection, loaded: dict[str, Report] | None = None) -> None:
        self.conn = conn
        self.loaded = {} if loaded is None else loaded  # read in this transaction

    def candidates(self, keys: Set[str]) -> Iterable[Report]:
        ids: set[str] = set()
        for chunk in _chunks(sorted(keys)):
            ids.update(
                self.conn.scalars(select(link_blocks.c.report_id).where(link_blocks.c.block.in_(chunk)))
            )
        return load_reports(self.conn, ids, loaded=self.loaded).values()

    def members(self, groups: Set[str]) -> Iterable[Report]:
        ids: set[str] = set()
        for chunk in _chunks(sorted(groups)):
            ids.update(self.conn.scalars(select(reports.c.report_id).where(reports.c.link_group.in_(chunk))))
        return load_reports(self.conn, ids, loaded=self.loaded).values()


def groups_of(conn: Connection, hashes: Sequence[str]) -> set[str]:
    """The link groups of these article versions' reports (about to be deleted)."""
    out: set[str] = set()
    for chunk in _chunks(list(hashes)):
        out.update(conn.scalars(select(reports.c.link_group).where(reports.c.content_hash.in_(chunk))))
    return out


def relink(conn: Connection, new_ids: Sequence[str], dirty: Set[str] = frozenset()) -> list[LinkedEvent]:
    """Link a batch's new reports and re-cluster ``dirty`` groups; rewrite their events."""
    if not new_ids and not dirty:
        return []
    loaded: dict[str, Report] = {}
    new = load_reports(conn, new_ids, loaded=loaded)
    rows = [
        {"block": key, "report_id": rid} for rid, r in sorted(new.items()) for key in sorted(r.index_keys)
    ]
    for i in range(0, len(rows), CHUNK):
        conn.execute(link_blocks.insert(), rows[i : i + CHUNK])
    result = link_relink(
        [new[r] for r in sorted(new)], StoredReports(conn, loaded), dirty, _SCORES, _constraints(conn)
    )
    _write(conn, result.replaced_groups, list(new), result.events, lost=dirty)
    return result.events


def _constraints(conn: Connection) -> Callable[[Set[str]], Sequence[Constraint]] | None:
    """The analysts' merges and splits naming a pool's reports (none before migration 0006)."""
    if not review.has_edits_table(conn):
        return None
    return lambda ids: review.constraints_for(conn, ids)


def recheck(conn: Connection, report_ids: Iterable[str]) -> list[LinkedEvent]:
    """Re-link the link groups of these reports as they are (after an analyst's action):
    the same clustering, with the edits replayed; only events that change are stamped."""
    groups: set[str] = set()
    for chunk in _chunks(sorted(set(report_ids))):
        groups.update(conn.scalars(select(reports.c.link_group).where(reports.c.report_id.in_(chunk))))
    if not groups:
        return []
    result = link_relink([], StoredReports(conn), groups, _SCORES, _constraints(conn))
    _write(conn, result.replaced_groups, [], result.events)
    return result.events


def _write(
    conn: Connection,
    replaced: Set[str],
    new_ids: list[str],
    linked: list[LinkedEvent],
    *,
    lost: Set[str] = frozenset(),
    track: bool = True,
) -> None:
    """Replace the events of the re-clustered groups; rows that did not change stay untouched.

    The events added, changed, given new reports or (in ``lost`` groups) left by reports are
    stamped with this transaction's change number (marsad.store.changes), and the events
    deleted recorded, unless ``track`` is False (a migration older than those columns).
    """
    from marsad.store.write import Rows, _event_fields

    state: dict[str, tuple[str, str, str]] = {}  # report id -> (event id, group, explanation)
    cols = (reports.c.report_id, reports.c.event_id, reports.c.link_group, reports.c.link_explanation)
    for chunk in _chunks(sorted(replaced)):
        state.update(
            (r[0], r[1:]) for r in conn.execute(select(*cols).where(reports.c.link_group.in_(chunk)))
        )
    for chunk in _chunks(sorted(new_ids)):
        state.update((r[0], r[1:]) for r in conn.execute(select(*cols).where(reports.c.report_id.in_(chunk))))
    current: dict[str, dict[str, Any]] = {}
    held_cols = [events.c.event_id, events.c.place_id, *(events.c[name] for name in EVENT_FIELDS)]
    # analysts' edits win over the machine's values (marsad.store.review): not while an older
    # migration runs (``track`` False), before the review columns exist
    reviewed = track and review.has_edits_table(conn)
    states = review.replay(conn, linked) if reviewed else {}
    if reviewed:
        held_cols += [events.c.status, events.c.flagged, events.c.flag_reason]
    for chunk in _chunks(sorted({event_id for event_id, _, _ in state.values()})):
        # the columns compared below only: a migration may run this before later columns exist
        rows = conn.execute(select(*held_cols).where(events.c.event_id.in_(chunk)))
        current.update((row.event_id, dict(row._mapping)) for row in rows)
    queue = Rows()
    changed: list[dict[str, Any]] = []
    report_rows: list[dict[str, Any]] = []
    for item in linked:
        ev = item.event
        values = {"place_id": queue.place(ev), **_event_fields(ev)}
        if reviewed:
            values.update(states.get(item.event_id, review.PROVISIONAL))
        held = current.get(item.event_id)
        if held is None:
            queue.event(item.event_id, ev, values)
        elif any(held[k] != v for k, v in values.items()):
            changed.append({"b_event_id": item.event_id, **values})
            queue.event_actor_rows(item.event_id, ev)
        for r in item.reports:
            now = (item.event_id, item.group, item.explanations[r.report_id])
            if state.get(r.report_id) != now:
                report_rows.append({"rid": r.report_id, "eid": now[0], "grp": now[1], "why": now[2]})
    for chunk in _chunks([row["b_event_id"] for row in changed]):
        conn.execute(delete(event_actors).where(event_actors.c.event_id.in_(chunk)))
    queue_added = list(queue.events)
    queue.flush(conn)  # places, actors, new events, the actors of new and changed events
    if changed:
        conn.execute(update(events).where(events.c.event_id == bindparam("b_event_id")), changed)
    if report_rows:
        conn.execute(
            update(reports)
            .where(reports.c.report_id == bindparam("rid"))
            .values(
                event_id=bindparam("eid"), link_group=bindparam("grp"), link_explanation=bindparam("why")
            ),
            report_rows,
        )
        conn.execute(
            update(claims).where(claims.c.report_id == bindparam("rid")).values(event_id=bindparam("eid")),
            [{"rid": row["rid"], "eid": row["eid"]} for row in report_rows],
        )
    fresh = set(new_ids)
    touched = {item.event_id for item in linked if any(r.report_id in fresh for r in item.reports)}
    touched.update(row["b_event_id"] for row in changed)
    touched.update(row["eid"] for row in report_rows)
    touched.update(r["event_id"] for r in queue_added)
    touched.update(event_id for event_id, group, _ in state.values() if group in lost)
    gone = sorted(set(current) - {e.event_id for e in linked})
    if track:
        changes.stamp(conn, touched & {e.event_id for e in linked})
        changes.removed(conn, gone)
    for chunk in _chunks(gone):
        conn.execute(delete(event_actors).where(event_actors.c.event_id.in_(chunk)))
        conn.execute(delete(events).where(events.c.event_id.in_(chunk)))


def relink_all(conn: Connection, *, track: bool = True) -> int:
    """Block and link every stored report from scratch (after an upgrade); returns events.

    ``track=False`` records no changes (migration 0002 runs before their columns exist)."""
    conn.execute(delete(link_blocks))
    ids = list(conn.scalars(select(reports.c.report_id)))
    conn.execute(update(reports).values(link_group=reports.c.report_id))
    groups = set(ids)
    new = load_reports(conn, ids)
    rows = [{"block": k, "report_id": rid} for rid, r in sorted(new.items()) for k in sorted(r.index_keys)]
    for i in range(0, len(rows), CHUNK):
        conn.execute(link_blocks.insert(), rows[i : i + CHUNK])
    from marsad.link.cluster import link_group

    decided = _constraints(conn) if track else None
    linked = link_group(list(new.values()), constraints=decided(set(new)) if decided else ())
    _write(conn, groups, ids, linked, track=track)
    return len(linked)
