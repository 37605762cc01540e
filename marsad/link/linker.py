"""Linking in batch (:func:`link_reports`) and incrementally (:class:`Linker`).

Incremental linking re-clusters only what new reports can change: the link groups
(connected components of the candidate graph) that a new report has an edge into, merged
with the new reports, plus any group that lost a report. Old pairs keep their scores (a
score depends on its two reports only), so the groups after an update are exactly the
groups a batch run over everything would find, and so are the events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence, Set
from dataclasses import dataclass
from typing import Protocol

from marsad.link.block import BlockIndex
from marsad.link.cluster import Constraint, LinkedEvent, Scorer, edge_score, is_edge, link_group
from marsad.link.report import Report
from marsad.model import Event


class ReportSource(Protocol):
    """Where the reports linked so far live (memory, or the store's tables)."""

    def candidates(self, keys: Set[str]) -> Iterable[Report]:
        """Stored reports filed under any of these blocking keys."""
        ...

    def members(self, groups: Set[str]) -> Iterable[Report]:
        """Every stored report of these link groups."""
        ...


@dataclass
class Relinked:
    """What an update changed: these groups' events are replaced by ``events``."""

    replaced_groups: set[str]
    events: list[LinkedEvent]


def relink(
    new: Sequence[Report],
    source: ReportSource,
    dirty: Set[str] = frozenset(),
    scores: Scorer = edge_score,
    constraints: Callable[[Set[str]], Sequence[Constraint]] | None = None,
) -> Relinked:
    """Link ``new`` reports into what ``source`` holds; also re-cluster the ``dirty``
    groups (ones that lost reports). Returns the groups to replace and their new events.
    ``scores`` gives a pair's edge score (a :class:`~marsad.link.cluster.PairScores`
    remembers them across calls). ``constraints`` gives the analysts' merges and splits that
    name any of the pool's reports (the store keeps them; their reports share a link group)."""
    fresh = {r.report_id for r in new}
    keys: set[str] = set()
    for r in new:
        keys.update(r.query_keys)
    stored = [r for r in source.candidates(keys) if r.report_id not in fresh] if keys else []
    touched = set(dirty)
    if stored:
        index = BlockIndex(stored)
        for r in new:
            for other in index.lookup(r.query_keys):
                if other.group not in touched and is_edge(r, other, scores):
                    touched.add(other.group or other.report_id)
    pool = {r.report_id: r for r in source.members(touched)} if touched else {}
    for r in new:
        pool[r.report_id] = r
    decided = constraints(set(pool)) if constraints is not None else ()
    return Relinked(touched, link_group(list(pool.values()), scores, decided))


class Linker:
    """Incremental linking in memory: ``add`` reports in batches, read ``events``.

    The store does the same through :func:`relink` with its tables as the source.
    """

    def __init__(self) -> None:
        self.reports: dict[str, Report] = {}
        self.index = BlockIndex()
        self.groups: dict[str, list[LinkedEvent]] = {}

    # ReportSource
    def candidates(self, keys: Set[str]) -> Iterable[Report]:
        return self.index.lookup(keys)

    def members(self, groups: Set[str]) -> Iterable[Report]:
        for g in sorted(groups):
            for event in self.groups.get(g, []):
                yield from (r for r in event.reports if self.reports.get(r.report_id) is r)

    def add(self, reports: Iterable[Report | Event]) -> Relinked:
        """Link new reports; a report id already held is replaced (its group re-clustered)."""
        new = [as_report(r) for r in reports]
        dirty = {self.reports[r.report_id].group or "" for r in new if r.report_id in self.reports}
        for r in new:
            old = self.reports.pop(r.report_id, None)
            if old is not None:
                self.index.remove(old)
        dirty.discard("")
        return self._apply(relink(new, self, dirty), new)

    def remove(self, report_ids: Iterable[str]) -> Relinked:
        """Forget reports (a retracted or superseded article) and re-cluster their groups."""
        dirty: set[str] = set()
        for rid in report_ids:
            old = self.reports.pop(rid, None)
            if old is not None:
                self.index.remove(old)
                dirty.add(old.group or rid)
        return self._apply(relink([], self, dirty), [])

    def _apply(self, result: Relinked, new: list[Report]) -> Relinked:
        for g in result.replaced_groups:
            self.groups.pop(g, None)
        for r in new:
            self.reports[r.report_id] = r
            self.index.add(r)
        for event in result.events:
            self.groups.setdefault(event.group, []).append(event)
            for r in event.reports:
                r.group = event.group
        return result

    @property
    def events(self) -> list[LinkedEvent]:
        """Every event, in a canonical order (event date, then id)."""
        out = [e for events in self.groups.values() for e in events]
        return sorted(out, key=lambda e: (e.event.event_date or "9999", e.event_id))


def as_report(item: Report | Event) -> Report:
    """Wrap an extractor :class:`Event` as a report: its id is the report id, its first
    source names the article."""
    if isinstance(item, Report):
        return item
    source = item.sources[0] if item.sources else None
    return Report(
        report_id=item.event_id,
        event=item,
        article_id=source.article_id if source else item.event_id,
        publisher=source.publisher if source else None,
        event_key=item.event_id,
    )


def link_reports(reports: Sequence[Event | Report]) -> list[LinkedEvent]:
    """Link reports of many articles into events (batch; the same as adding them to a
    :class:`Linker` in any order and any batches).

    Events come in a canonical order (event date, then id). Report ids must be unique:
    extractor events carry ids made from their article's content and position.
    """
    wrapped = [as_report(r) for r in reports]
    seen: set[str] = set()
    for r in wrapped:
        if r.report_id in seen:
            raise ValueError(f"report id {r.report_id!r} appears twice; report ids must be unique")
        seen.add(r.report_id)
    events = link_group(wrapped)
    return sorted(events, key=lambda e: (e.event.event_date or "9999", e.event_id))
