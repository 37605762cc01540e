"""Analysts in the loop: verify, edit, reject, merge and split events, and keep it so.

Every action is a row of ``event_edits``, anchored to the reports the event had at the time
(``event_edit_reports``), never to the event id alone: an id follows the founding report, and
a report published earlier that joins later founds the event anew. After every re-link
(:func:`marsad.store.linking._write`, the one path ingest, re-ingest and removal take) the
edits are replayed on the events that now hold their anchors:

- an edit goes to the event holding the first of its anchor reports that still exists;
- merges and splits are constraints the clustering replays (marsad.link.cluster.Constraint),
  so a merge keeps its reports together and a split keeps them apart whatever comes later;
- an analyst's value always wins over the machine's; when a report that joined after the
  analyst looked gives another value for a checked field, the event is ``flagged`` with a
  one-line ``flag_reason`` naming the field and the new report's value;
- the status is the latest action's: ``verified``, ``edited`` (an edit, merge or split) or
  ``rejected``; events no analyst touched are ``provisional``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from marsad.errors import EditError, EventNotFound
from marsad.link import LinkedEvent
from marsad.link.cluster import Constraint
from marsad.store.schema import event_edit_reports, event_edits, reports

CHUNK = 500
KINDS = ("verify", "edit", "reject", "merge", "split")
PROVISIONAL = {"status": "provisional", "flagged": False, "flag_reason": None}
_STATUS = {"verify": "verified", "edit": "edited", "merge": "edited", "split": "edited", "reject": "rejected"}

_PLACE = ("location", "admin1", "country", "iso3", "latitude", "longitude", "geonameid", "geo_precision")
# The fields an analyst may set, in EVENT order.
EDITABLE = (
    "event_date",
    "date_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "assoc_actor_1",
    "assoc_actor_2",
    *_PLACE,
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "wounded",
    "notes",
)
# The fields a new report is checked against (the others are kept without a check: a second
# source's coordinates for the same town, or its own notes, contradict nobody).
CHECKED = (
    *("event_date", "event_type", "sub_event_type", "actor1", "actor2", "location", "country"),
    *("fatalities", "wounded"),
)
PRECISIONS = ("day", "week", "month", "year")
MAX_INT = 2**31 - 1
FLAG_MAX = 300  # characters: one line


@dataclass
class Edit:
    """One stored analyst action with its anchor reports (founding report first)."""

    edit_id: int
    event_id: str
    kind: str
    field: str | None
    old: Any
    new: Any
    editor: str
    at: datetime
    reason: str
    anchor: list[str]
    moved: list[str]

    def constraint(self) -> Constraint | None:
        if self.kind == "merge":
            return Constraint("merge", tuple(self.anchor), tuple(self.moved))
        if self.kind == "split":
            return Constraint("split", tuple(self.anchor), tuple(self.moved))
        return None

    def to_dict(self) -> dict[str, Any]:
        at = self.at.replace(tzinfo=self.at.tzinfo or UTC)
        return {
            "edit_id": self.edit_id,
            "event_id": self.event_id,
            "kind": self.kind,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "user": self.editor,
            "at": at.isoformat(),
            "reason": self.reason,
            "reports": list(self.anchor),
            "moved": list(self.moved),
        }


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    wanted = sorted(set(values))
    for i in range(0, len(wanted), CHUNK):
        yield wanted[i : i + CHUNK]


def has_edits_table(conn: Connection) -> bool:
    """False while an older migration runs (0002 re-links before this table exists)."""
    held = conn.info.get("marsad_has_edits")
    if held is None:
        from sqlalchemy import inspect

        held = conn.info["marsad_has_edits"] = inspect(conn).has_table("event_edits")
    return bool(held)


def edits_touching(conn: Connection, report_ids: Iterable[str]) -> list[Edit]:
    """Every edit anchored to (or moving) any of these reports, oldest first."""
    ids: set[int] = set()
    for chunk in _chunks(report_ids):
        ids.update(
            conn.scalars(
                select(event_edit_reports.c.edit_id).where(event_edit_reports.c.report_id.in_(chunk))
            )
        )
    return load_edits(conn, ids)


def load_edits(conn: Connection, edit_ids: Iterable[int]) -> list[Edit]:
    wanted = sorted(set(edit_ids))
    rows: dict[int, dict[str, Any]] = {}
    parts: dict[int, dict[str, list[tuple[int, str]]]] = {}
    for i in range(0, len(wanted), CHUNK):
        chunk = wanted[i : i + CHUNK]
        for found in conn.execute(select(event_edits).where(event_edits.c.edit_id.in_(chunk))):
            rows[found.edit_id] = dict(found._mapping)
        for part in conn.execute(select(event_edit_reports).where(event_edit_reports.c.edit_id.in_(chunk))):
            parts.setdefault(part.edit_id, {}).setdefault(part.part, []).append(
                (part.position, part.report_id)
            )
    out = []
    for edit_id in sorted(rows):
        row, held = rows[edit_id], parts.get(edit_id, {})
        out.append(
            Edit(
                edit_id,
                row["event_id"],
                row["kind"],
                row["field"],
                row["old"],
                row["new"],
                row["editor"],
                row["at"],
                row["reason"],
                [rid for _, rid in sorted(held.get("anchor", []))],
                [rid for _, rid in sorted(held.get("moved", []))],
            )
        )
    return out


def edits_of_event(conn: Connection, event_id: str) -> list[Edit]:
    """The edits that apply to this event now (by its reports), oldest first."""
    ids = list(conn.scalars(select(reports.c.report_id).where(reports.c.event_id == event_id)))
    edits = edits_touching(conn, ids)
    found = _targets(edits, _existing(conn, edits, set(ids)), dict.fromkeys(ids, event_id))
    return found.get(event_id, [])


def _existing(conn: Connection, edits: list[Edit], known: set[str]) -> set[str]:
    """Which of the reports these edits name are still stored (``known`` are)."""
    exists = set(known)
    unseen = {rid for e in edits for rid in (*e.anchor, *e.moved)} - exists
    for chunk in _chunks(unseen):
        exists.update(conn.scalars(select(reports.c.report_id).where(reports.c.report_id.in_(chunk))))
    return exists


def _targets(edits: list[Edit], exists: set[str], where: dict[str, str]) -> dict[str, list[Edit]]:
    """event id -> the edits that apply to it, oldest first, for the events of ``where``
    (report id -> event id). An edit goes to the event holding the first of its reports that
    is still stored, leaving out the reports a later split took away (the rest is the event
    that was edited); a split also marks the event its reports went to."""
    anchors = {e.edit_id: [r for r in e.anchor if r in exists] for e in edits}
    for split in (e for e in edits if e.kind == "split"):
        off = set(split.moved)
        for e in edits:
            if e.edit_id < split.edit_id and set(e.anchor) & set(split.anchor):
                kept = [r for r in anchors[e.edit_id] if r not in off]
                anchors[e.edit_id] = kept or anchors[e.edit_id]
    out: dict[str, list[Edit]] = {}
    for e in edits:
        firsts = [r for r in anchors[e.edit_id] if e.kind != "split" or r not in set(e.moved)][:1]
        if e.kind == "split":
            firsts += [r for r in e.moved if r in exists][:1]
        for event_id in dict.fromkeys(where[r] for r in firsts if r in where):
            out.setdefault(event_id, []).append(e)
    return out


def constraints_for(conn: Connection, report_ids: Iterable[str]) -> list[Constraint]:
    """The merges and splits naming any of these reports, oldest first (for the linker)."""
    out = []
    for edit in edits_touching(conn, report_ids):
        c = edit.constraint()
        if c is not None:
            out.append(c)
    return out


def record(
    conn: Connection,
    kind: str,
    event_id: str,
    anchor: Sequence[str],
    *,
    user: str,
    reason: str = "",
    field: str | None = None,
    old: Any = None,
    new: Any = None,
    moved: Sequence[str] = (),
) -> int:
    """Store one action (never updated afterwards); returns its id."""
    assert kind in KINDS, kind
    result = conn.execute(
        insert(event_edits).values(
            event_id=event_id,
            kind=kind,
            field=field,
            old=old,
            new=new,
            editor=user,
            at=datetime.now(UTC),
            reason=reason,
        )
    )
    pk = result.inserted_primary_key
    edit_id = int(pk[0]) if pk is not None else 0
    rows = [
        {"edit_id": edit_id, "part": "anchor", "position": i, "report_id": r} for i, r in enumerate(anchor)
    ]
    rows += [
        {"edit_id": edit_id, "part": "moved", "position": i, "report_id": r} for i, r in enumerate(moved)
    ]
    conn.execute(insert(event_edit_reports), rows)
    return edit_id


# -- replaying edits after a re-link ------------------------------------------------------


def replay(conn: Connection, linked: Sequence[LinkedEvent]) -> dict[str, dict[str, Any]]:
    """Apply the analysts' edits to these freshly linked events (their ``event`` is changed in
    place) and return each touched event's ``status``, ``flagged`` and ``flag_reason``."""
    holder = {r.report_id: item for item in linked for r in item.reports}
    edits = edits_touching(conn, holder)
    if not edits:
        return {}
    where = {rid: item.event_id for rid, item in holder.items()}
    applied = _targets(edits, _existing(conn, edits, set(holder)), where)
    by_id = {item.event_id: item for item in linked}
    return {event_id: _apply(by_id[event_id], found) for event_id, found in applied.items()}


def _apply(item: LinkedEvent, edits: list[Edit]) -> dict[str, Any]:
    ev = item.event
    status = "provisional"
    analyst: dict[str, Any] = {}
    how: dict[str, str] = {}  # field -> "verified" or "set by an analyst"
    unknown: set[str] = set()  # fields a verification found empty: the reports may fill them
    seen: set[str] = set()
    for edit in edits:
        seen.update(edit.anchor, edit.moved)
        status = _STATUS.get(edit.kind, status)
        if edit.kind == "verify" and isinstance(edit.new, dict):
            for name, value in edit.new.items():
                if _empty(name, value):
                    unknown.add(name)
                    analyst.pop(name, None)
                else:
                    unknown.discard(name)
                    analyst[name], how[name] = value, "verified"
        elif edit.kind == "edit" and edit.field in EDITABLE:
            analyst[edit.field], how[edit.field] = edit.new, "set by an analyst"
            unknown.discard(edit.field)
    reasons = []
    for name in CHECKED:
        if name not in analyst and name not in unknown:
            continue
        against = []
        for r in item.reports:
            said = None if r.report_id in seen else _said(r.event, name)
            if said is not None and (name in unknown or not _same(said, analyst[name])):
                against.append(f"{_text(said)} ({r.label})")
        if against:
            says = "new report says" if len(against) == 1 else "new reports say"
            held = "unknown when verified" if name in unknown else f"{_text(analyst[name])} {how[name]}"
            reasons.append(f"{name}: {held}; {says} {', '.join(against)}")
    corrected = [
        f"{name} {_text(getattr(ev, name, None))} to {_text(analyst[name])}"
        for name in CHECKED
        if name in analyst and not _same(getattr(ev, name, None), _typed(name, analyst[name]))
    ]
    for name, value in analyst.items():
        setattr(ev, name, _typed(name, value))
    if corrected and "notes" not in analyst:  # the machine's summary says what it read: say what changed
        ev.notes = f"{ev.notes or ''} Corrected by an analyst: {'; '.join(corrected)}.".strip()
    reason = "; ".join(reasons)
    if len(reason) > FLAG_MAX:
        reason = reason[: FLAG_MAX - 1] + "…"
    return {"status": status, "flagged": bool(reasons), "flag_reason": reason or None}


def _said(event: Any, name: str) -> Any:
    """What one report says of a field, or None when it says nothing (or too little: a date
    by its week)."""
    value = getattr(event, name, None)
    if name == "event_date" and event.date_precision not in (None, "day"):
        return None
    if name == "fatalities" and not value:
        return None
    return None if value in (None, "", []) else value


def _empty(name: str, value: Any) -> bool:
    """A value that says nothing (no toll is 0 killed as far as a report tells)."""
    return value in (None, "", [], {}) or (name == "fatalities" and not value)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.strip().casefold() == b.strip().casefold()
    return bool(a == b)


def _text(value: Any, limit: int = 80) -> str:
    """A value on one line, cut at a word (with an ellipsis) past ``limit`` characters."""
    text = " ".join(str(value).split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def _typed(name: str, value: Any) -> Any:
    """A stored (JSON) value as the Event field holds it."""
    if name in ("assoc_actor_1", "assoc_actor_2"):
        return list(value or [])
    if name == "fatalities":
        return int(value or 0)
    if name == "notes":
        return value or ""
    return value


# -- checking what an analyst asks for ------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _taxonomy() -> dict[str, tuple[str, ...]]:
    from marsad.knowledge.taxonomy import EVENT_TYPES, load_taxonomy

    subs: dict[str, list[str]] = {t: [] for t in EVENT_TYPES}
    for s in load_taxonomy().sub_types:
        if s.sub_event_type not in subs.setdefault(s.event_type, []):
            subs[s.event_type].append(s.sub_event_type)
    return {t: tuple(v) for t, v in subs.items()}


def _one_line(name: str, value: Any, *, limit: int = 500) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise EditError(f"{name}: {_text(value)!r} is not text")
    text = value.strip()
    if any(not c.isprintable() for c in text):
        raise EditError(f"{name}: control characters (a newline, say) are not allowed; give one line")
    if len(text) > limit:
        raise EditError(f"{name}: {len(text)} characters is too long; at most {limit}")
    return text or None


def _number(name: str, value: Any, *, low: float, high: float, whole: bool = True) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise EditError(f"{name}: {value!r} is not a number")
    try:
        number = int(str(value).strip()) if whole else float(str(value).strip())
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise EditError(f"{name}: {_text(value)!r} is not {kind}") from None
    if not low <= number <= high:
        raise EditError(f"{name}: {number} is out of range; use {low:g} to {high:g}")
    return number


def check_fields(fields: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The analyst's values, checked and in stored form (JSON-ready); EditError on the first
    that cannot be used. ``current`` is the event as it is (for a sub-event type's type)."""
    if not isinstance(fields, dict) or not fields:
        raise EditError(f"no field given; editable: {', '.join(EDITABLE)}")
    unknown = [k for k in fields if k not in EDITABLE]
    if unknown:
        raise EditError(f"{_text(unknown[0])!r} cannot be edited; editable: {', '.join(EDITABLE)}")
    out: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "event_date":
            if value in (None, ""):
                out[name] = None
                continue
            try:
                out[name] = date.fromisoformat(str(value).strip()).isoformat()
            except ValueError:
                raise EditError(f"event_date: {_text(value)!r} is not a date; use YYYY-MM-DD") from None
        elif name == "date_precision":
            text = _one_line(name, value)
            if text is not None and text.lower() not in PRECISIONS:
                raise EditError(f"date_precision: {text!r} is not one; use one of: {', '.join(PRECISIONS)}")
            out[name] = text.lower() if text else None
        elif name == "event_type":
            text = _one_line(name, value)
            found = {t.casefold(): t for t in _taxonomy()}.get((text or "").casefold())
            if found is None:
                raise EditError(
                    f"event_type: {text!r} is not an ACLED event type; use one of: {', '.join(_taxonomy())}"
                )
            out[name] = found
        elif name == "sub_event_type":
            text = _one_line(name, value)
            subs = [s for t in _taxonomy().values() for s in t]
            found = {s.casefold(): s for s in subs}.get((text or "").casefold())
            if found is None:
                raise EditError(
                    f"sub_event_type: {text!r} is not an ACLED sub-event type; use one of: {', '.join(subs)}"
                )
            out[name] = found
        elif name in ("assoc_actor_1", "assoc_actor_2"):
            items = value.split(";") if isinstance(value, str) else list(value or [])
            out[name] = [t for t in (_one_line(name, str(i), limit=200) for i in items) if t]
        elif name in ("fatalities", "fatalities_low", "fatalities_high", "wounded", "geonameid"):
            number = _number(name, value, low=0, high=MAX_INT)
            if number is None and name == "fatalities":
                raise EditError("fatalities: give a number (0 when nobody was killed)")
            out[name] = number
        elif name == "geo_precision":
            out[name] = _number(name, value, low=1, high=3)
        elif name == "latitude":
            out[name] = _number(name, value, low=-90, high=90, whole=False)
        elif name == "longitude":
            out[name] = _number(name, value, low=-180, high=180, whole=False)
        elif name == "iso3":
            text = _one_line(name, value)
            if text is not None and not (len(text) == 3 and text.isalpha()):
                raise EditError(f"iso3: {text!r} is not an ISO 3166 alpha-3 code (e.g. SYR)")
            out[name] = text.upper() if text else None
        else:
            out[name] = _one_line(name, value, limit=5000 if name == "notes" else 500)
    kind = str(out.get("event_type", current.get("event_type")) or "")
    sub = out.get("sub_event_type")
    if "event_type" in out and "sub_event_type" not in out and current.get("sub_event_type"):
        sub = current.get("sub_event_type")
        if sub not in _taxonomy().get(kind or "", ()):
            raise EditError(
                f"sub_event_type: {sub!r} is not a kind of {kind!r}; set both, e.g. "
                f"--set event_type={kind!r} --set sub_event_type={_taxonomy()[kind][0]!r}"
            )
    if sub is not None and kind and sub not in _taxonomy().get(kind, ()):
        raise EditError(
            f"sub_event_type: {sub!r} is not a kind of {kind!r}; use one of: {', '.join(_taxonomy()[kind])}"
        )
    if ("location" in out or "admin1" in out or "country" in out) and not (
        "latitude" in out or "longitude" in out
    ):
        # a new place without coordinates: no pin at the old place's
        out.update(latitude=None, longitude=None, geonameid=None)
    if ("latitude" in out) != ("longitude" in out):
        raise EditError("latitude and longitude go together; set both")
    return out


def snapshot(event: dict[str, Any]) -> dict[str, Any]:
    """The editable fields of an EVENT dict but the notes (the machine's summary, which keeps
    following the reports): what a verification confirms."""
    return {name: event.get(name) for name in EDITABLE if name != "notes"}


# -- the actions ----------------------------------------------------------------------------


def _reports_of(conn: Connection, event_id: str, where: str) -> list[str]:
    """The event's report ids, founding report first; EventNotFound if there is no such event."""
    from marsad.store.linking import load_reports
    from marsad.store.schema import events

    if (
        not isinstance(event_id, str)
        or conn.scalar(select(events.c.event_id).where(events.c.event_id == event_id)) is None
    ):
        raise EventNotFound(
            f"no event {_text(event_id)!r} in {where}; list ids with: marsad events "
            "(an id changes when an earlier report founds the event: find it by its place or date)"
        )
    ids = list(conn.scalars(select(reports.c.report_id).where(reports.c.event_id == event_id)))
    loaded = load_reports(conn, ids)
    return [r.report_id for r in sorted(loaded.values(), key=lambda r: r.order)]


def _user(user: str) -> str:
    name = _one_line("user", user, limit=200) if isinstance(user, str) else None
    if not name:
        raise EditError("user: say who makes the edit (--user NAME; default: your login name)")
    return name


def _reason(reason: str | None) -> str:
    return _one_line("reason", reason or "", limit=1000) or ""


def holder(conn: Connection, report_id: str) -> str | None:
    """The event a report is in now."""
    return conn.scalar(select(reports.c.event_id).where(reports.c.report_id == report_id))


def act(
    conn: Connection,
    kind: str,
    event_id: str,
    *,
    user: str,
    reason: str | None = "",
    where: str = "the database",
    fields: dict[str, Any] | None = None,
    other: str | None = None,
    report_ids: Sequence[str] | None = None,
) -> list[str]:
    """Record one analyst action on an open write transaction and re-link what it touches.

    Returns the ids of the resulting events (two for a split: the rest, then the part split
    off). ``where`` names the database in messages.
    """
    from marsad.store import linking, query

    user, why = _user(user), _reason(reason)
    anchor = _reports_of(conn, event_id, where)
    moved: list[str] = []
    if kind == "verify":
        current = query.select_event(conn, event_id) or {}
        record(conn, kind, event_id, anchor, user=user, reason=why, new=snapshot(current))
    elif kind == "edit":
        current = query.select_event(conn, event_id) or {}
        for name, value in check_fields(fields or {}, current).items():
            old = current.get(name)
            record(conn, kind, event_id, anchor, user=user, reason=why, field=name, old=old, new=value)
    elif kind == "reject":
        record(conn, kind, event_id, anchor, user=user, reason=why)
    elif kind == "merge":
        if other is None or other == event_id:
            raise EditError(f"merge: give another event than {_text(event_id)!r} to merge into it")
        moved = _reports_of(conn, other, where)
        record(conn, kind, event_id, anchor, user=user, reason=why, new=other, moved=moved)
    elif kind == "split":
        wanted = [str(r).strip() for r in (report_ids or []) if str(r).strip()]
        stray = [r for r in wanted if r not in anchor]
        if stray:
            raise EditError(
                f"split: report {_text(stray[0])!r} is not in event {event_id}; "
                f"its reports: {', '.join(anchor)}"
            )
        moved = [r for r in anchor if r in set(wanted)]
        if not moved or len(moved) == len(anchor):
            raise EditError(
                f"split: name some but not all of the event's {len(anchor)} reports to split off "
                f"(--reports R1,R2); its reports: {', '.join(anchor)}"
            )
        record(conn, kind, event_id, anchor, user=user, reason=why, new=moved, moved=moved)
    else:
        raise EditError(f"unknown action {kind!r}; use one of: {', '.join(KINDS)}")
    # who and why, for marsad.store.changes.stamp (the history part reads them); cleared after
    conn.info["marsad_user"], conn.info["marsad_reason"] = user, why
    try:
        linking.recheck(conn, [*anchor, *moved])
        # an action that changed no value (a second verification) is still a change to record
        _stamp_unstamped(conn, [e for rid in (anchor[0], *moved[:1]) if (e := holder(conn, rid))])
    finally:
        conn.info.pop("marsad_user", None)
        conn.info.pop("marsad_reason", None)
    if kind == "split":
        rest = next(r for r in anchor if r not in set(moved))
        return [e for e in (holder(conn, rest), holder(conn, moved[0])) if e is not None]
    found = holder(conn, anchor[0])
    return [found] if found is not None else []


def _stamp_unstamped(conn: Connection, event_ids: list[str]) -> None:
    """Stamp these events unless this transaction has already (once is one snapshot)."""
    from marsad.store import changes
    from marsad.store.schema import events

    held = conn.info.get("marsad_change")
    seq = held[1] if held is not None and held[0] is conn.get_transaction() else None
    rows = conn.execute(
        select(events.c.event_id, events.c.change_seq).where(events.c.event_id.in_(event_ids))
    )
    todo = [event_id for event_id, change_seq in rows if seq is None or change_seq != seq]
    if todo:
        changes.stamp(conn, todo)


# -- the review queue -----------------------------------------------------------------------


def queue(conn: Connection, limit: int, filters: dict[str, Any]) -> list[dict[str, Any]]:
    """Events waiting for an analyst: provisional or flagged ones (``status`` narrows it),
    flagged first, then the least confident (when events have a ``confidence``), the
    largest tolls, sources that disagree, then date and id. Each is the full event (with
    its claims: the evidence) plus ``review_reasons``."""
    from sqlalchemy import case, or_

    from marsad.store import query
    from marsad.store.schema import events

    status = filters.pop("status", None)
    conds = query.where(conn, events, **filters, status=status if status is not None else STATUSES_OPEN)
    if status is None:
        conds.append(or_(events.c.status == "provisional", events.c.flagged.is_(True)))
    disagree = events.c.notes.like("%Sources disagree on%")
    confidence = events.c.get("confidence")  # the confidence part's column, when it is there
    keys: list[Any] = [events.c.flagged.desc()]
    if confidence is not None:
        keys += [confidence.is_(None), confidence]
    keys += [
        events.c.fatalities.desc(),
        case((disagree, 0), else_=1),
        events.c.event_date.desc(),
        events.c.event_id,
    ]
    stmt = select(events.c.event_id).where(*conds)
    ids = list(conn.scalars(stmt.order_by(*keys).limit(limit)))
    out = []
    for event_id in ids:
        event = query.select_event(conn, event_id)
        if event is None:
            continue
        event["review_reasons"] = reasons(event, confidence is not None)
        out.append(event)
    return out


STATUSES_OPEN = ("provisional", "verified", "edited")


def reasons(event: dict[str, Any], with_confidence: bool = False) -> list[str]:
    """Why an event is in the queue, most pressing first, one line each."""
    out = []
    if event.get("flagged"):
        out.append(f"flagged: {event.get('flag_reason') or 'a new report contradicts an analyst'}")
    if with_confidence and event.get("confidence") is not None:
        out.append(f"confidence {float(event['confidence']):.2f}")
    if event.get("fatalities"):
        out.append(f"{event['fatalities']} killed")
    notes = event.get("notes") or ""
    if "Sources disagree on " in notes:
        said = notes.split("Sources disagree on ", 1)[1].split(". ", 1)[0].rstrip(".")
        out.append(f"sources disagree on {_text(said, 200)}")
    if event.get("status") == "provisional":
        out.append("not yet reviewed (machine coding)")
    return out
