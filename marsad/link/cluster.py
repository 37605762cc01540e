"""Clustering: which reports are one event, decided the same way whatever order they came in.

The candidate graph has an edge between two reports when blocking brings them together,
no hard rule separates them and their score reaches ``EDGE``. Its connected components
("link groups") are a function of the set of reports, and each is clustered on its own
by a deterministic procedure, so the events are too: ingesting articles in any order, in
one batch or many, gives the same events.

Within a group, clustering is agglomerative: start from single reports, repeatedly merge
the two clusters with the highest average score while every pair across them is an edge
(complete-link admissibility) and the average reaches ``LINK``. So there is no chaining:
if A~B and B~C but A and C differ (another day, 40 km apart), A and C never share an
event; C stays out, or B goes with whichever it matches better.
"""

from __future__ import annotations

import heapq
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from marsad.link.block import BlockIndex
from marsad.link.reconcile import reconcile
from marsad.link.report import Report
from marsad.link.score import Comparison, compare
from marsad.model import Event

EDGE = 0.64  # a pair below this is never in one event
LINK = 0.70  # two clusters merge when their average pair score reaches this


@dataclass
class LinkedEvent:
    """One event: its reconciled record, its reports (founding report first) and why each
    report is in it."""

    event: Event
    reports: list[Report]
    explanations: dict[str, str] = field(default_factory=dict)
    disagreements: list[str] = field(default_factory=list)
    group: str = ""

    @property
    def event_id(self) -> str:
        return self.event.event_id

    @property
    def report_ids(self) -> list[str]:
        return [r.report_id for r in self.reports]


@dataclass(frozen=True)
class Constraint:
    """An analyst's decision the clustering honours, replayed in the order they were made.

    ``merge``: the reports of ``first`` and ``second`` are one event (whatever the scores say).
    ``split``: the reports of ``second`` leave the event they are in and make one of their own
    (``first`` is the event's reports when split: the rest stay together).
    Reports not in the pool (their article removed) are ignored.
    """

    kind: str
    first: tuple[str, ...]
    second: tuple[str, ...]

    @property
    def report_ids(self) -> tuple[str, ...]:
        return self.first + self.second


Edges = dict[tuple[int, int], float]
Scorer = Callable[[Report, Report], float | None]  # a pair's edge score, None if not an edge


def edge_score(a: Report, b: Report) -> float | None:
    """``compare(a, b)``'s score if the pair is an edge (no conflict, at least EDGE), else None."""
    c = compare(a, b)
    return c.score if c.conflict is None and c.score >= EDGE else None


def is_edge(a: Report, b: Report, scores: Scorer = edge_score) -> bool:
    return scores(a, b) is not None


class PairScores:
    """``edge_score`` remembered while both reports live, for linking that revisits pairs.

    A score is a function of its two reports alone and a Report's features never change,
    so re-clustering a group after an update (the store's next batch, which reuses the
    reports whose rows did not change) need not score its old pairs again. Keyed by
    identity and checked through weak references: a new object that gets a dead one's id
    is scored afresh. Holds at most ``limit`` pairs (then starts over).
    """

    def __init__(self, limit: int = 100_000) -> None:
        self.limit = limit
        self._memo: dict[tuple[int, int], tuple[weakref.ref[Report], weakref.ref[Report], float | None]] = {}

    def __call__(self, a: Report, b: Report) -> float | None:
        key = (id(a), id(b))
        hit = self._memo.get(key)
        if hit is not None and hit[0]() is a and hit[1]() is b:
            return hit[2]
        score = edge_score(a, b)
        if len(self._memo) >= self.limit:
            self._memo.clear()
        self._memo[key] = (weakref.ref(a), weakref.ref(b), score)
        return score


def edges_among(reports: Sequence[Report], scores: Scorer = edge_score) -> Edges:
    """Scores of the linkable pairs (i < j, by position in ``reports``)."""
    index = BlockIndex(reports)
    position = {id(r): i for i, r in enumerate(reports)}
    out: Edges = {}
    for i, r in enumerate(reports):
        for other in index.candidates(r):
            j = position[id(other)]
            if j <= i:
                continue
            score = scores(r, other)
            if score is not None:
                out[(i, j)] = score
    return out


def components(n: int, edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Connected components of positions 0..n-1, each sorted, ordered by first member."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in edges:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def cluster(n: int, edges: Edges) -> list[list[int]]:
    """Average-link agglomeration under complete-link admissibility; deterministic.

    Positions must be in canonical order: ties go to the clusters with the earliest
    members, so the result depends only on the reports, never on arrival order. Work is
    proportional to the edges (a merge only revisits the merged clusters' neighbours), so a
    long link group (a town shelled every day for a year) stays cheap.
    """
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    # cluster pair (a < b, by founding position) -> (sum of scores, pairs); absent = not admissible
    links: dict[tuple[int, int], tuple[float, int]] = {pair: (s, 1) for pair, s in edges.items()}
    neighbours: dict[int, set[int]] = {i: set() for i in range(n)}
    for a, b in edges:
        neighbours[a].add(b)
        neighbours[b].add(a)
    heap = [(-s, a, b, 1, 1) for (a, b), s in edges.items()]
    heapq.heapify(heap)
    while heap:
        neg, a, b, size_a, size_b = heapq.heappop(heap)
        if a not in members or b not in members or (len(members[a]), len(members[b])) != (size_a, size_b):
            continue  # stale: one side has merged since
        if -neg < LINK:
            break
        members[a] = sorted(members[a] + members.pop(b))
        around = (neighbours.pop(b) | neighbours[a]) - {a, b}
        neighbours[a] = set()
        links.pop((a, b), None)
        for k in sorted(around):
            neighbours[k].discard(b)
            la = links.pop((min(a, k), max(a, k)), None)
            lb = links.pop((min(b, k), max(b, k)), None)
            if la is None or lb is None:
                neighbours[k].discard(a)
                continue  # some pair across would not be an edge: never one event
            total, count = la[0] + lb[0], la[1] + lb[1]
            key = (min(a, k), max(a, k))
            links[key] = (total, count)
            neighbours[a].add(k)
            neighbours[k].add(a)
            heapq.heappush(
                heap, (-(total / count), key[0], key[1], len(members[key[0]]), len(members[key[1]]))
            )
    return sorted(members.values(), key=lambda m: m[0])


def link_group(
    reports: Sequence[Report], scores: Scorer = edge_score, constraints: Sequence[Constraint] = ()
) -> list[LinkedEvent]:
    """Cluster and reconcile reports closed under edges (one link group or several).

    ``scores`` gives a pair's edge score (a :class:`PairScores` to remember them).
    ``constraints`` (analysts' merges and splits, oldest first) are replayed on the clusters;
    the reports each one names are kept in one link group, so a later re-link sees them all."""
    ordered = sorted(reports, key=lambda r: r.order)
    edges = edges_among(ordered, scores)
    position = {r.report_id: i for i, r in enumerate(ordered)}
    ties: list[tuple[int, int]] = []
    for decision in constraints:
        held = sorted(position[rid] for rid in set(decision.report_ids) if rid in position)
        ties += zip(held, held[1:], strict=False)
    comps = components(len(ordered), [*edges, *ties])
    where: dict[int, tuple[int, int]] = {}  # position -> (component, position within it)
    for c, comp in enumerate(comps):
        for k, i in enumerate(comp):
            where[i] = (c, k)
    sub: list[Edges] = [{} for _ in comps]
    for (i, j), s in edges.items():
        (c, ki), (_, kj) = where[i], where[j]
        sub[c][(ki, kj)] = s
    out: list[LinkedEvent] = []
    for c, comp in enumerate(comps):
        group = [ordered[i] for i in comp]
        gid = min(r.report_id for r in group)
        clusters = [[group[i] for i in m] for m in cluster(len(group), sub[c])]
        decided: dict[str, str] = {}
        if constraints:
            clusters = _replay(clusters, constraints, decided)
        for members in clusters:
            event, disagreements = reconcile(members, members[0].event_key)
            linked = LinkedEvent(event, members, disagreements=disagreements, group=gid)
            linked.explanations = _explain(members, clusters)
            for r in members:
                if r.report_id in decided:
                    linked.explanations[r.report_id] = decided[r.report_id]
            out.append(linked)
    return out


def _replay(
    clusters: list[list[Report]], constraints: Sequence[Constraint], decided: dict[str, str]
) -> list[list[Report]]:
    """The clusters after the analysts' merges and splits, in the order they were made;
    ``decided`` gets, for each report a decision placed, why (its link explanation)."""
    for c in constraints:
        ids = set(c.report_ids)
        if c.kind == "merge":
            hit = [m for m in clusters if any(r.report_id in ids for r in m)]
            if len(hit) > 1:
                clusters = [m for m in clusters if not any(m is h for h in hit)]
                clusters.append([r for m in hit for r in m])
                # the reports the machine had put elsewhere say why they are here
                for r in (r for m in hit[1:] for r in m):
                    decided[r.report_id] = "in this event by an analyst's merge (marsad merge)"
        elif c.kind == "split":
            off = set(c.second)
            moved = [r for m in clusters for r in m if r.report_id in off]
            if not moved:
                continue
            clusters = [[r for r in m if r.report_id not in off] for m in clusters] + [moved]
            clusters = [m for m in clusters if m]
            for r in moved:
                decided[r.report_id] = "split off into an event of its own by an analyst (marsad split)"
            for m in clusters:
                for r in m:
                    if r.report_id in set(c.first) - off:
                        decided[r.report_id] = "kept apart from reports an analyst split off (marsad split)"
    key = {r.report_id: r.order for m in clusters for r in m}
    out = [sorted(m, key=lambda r: key[r.report_id]) for m in clusters]
    return sorted(out, key=lambda m: m[0].order)


def _explain(members: list[Report], clusters: list[list[Report]]) -> dict[str, str]:
    founder = members[0]
    out: dict[str, str] = {}
    if len(members) > 1:
        out[founder.report_id] = (
            f"founding report (first published) of an event with {len(members)} reports; "
            "every pair of its reports passed the link test"
        )
        for r in members[1:]:
            out[r.report_id] = f"linked to {founder.label}: {compare(r, founder, explain=True).explain()}"
        return out
    others = [c for c in clusters if c is not members]
    if not others:
        out[founder.report_id] = "one report, one event: no other report passed the link test"
        return out
    best: tuple[float, Comparison, Report] | None = None
    for c in others:
        comp = compare(founder, c[0], explain=True)
        score = -1.0 if comp.conflict else comp.score
        if best is None or score > best[0]:
            best = (score, comp, c[0])
    assert best is not None
    _, comp, rep = best
    out[founder.report_id] = f"kept apart from the event of {rep.label}: {comp.explain()}" + (
        "" if comp.conflict else f" (an event needs every pair to link and an average of {LINK:.2f})"
    )
    return out
