"""Reconciling the reports of one event into one record, keeping every claim.

The rules (docs/linking.md says the same for users):

- **date and place**: the most precise any report gives; among equally precise ones the
  value most reports give, then the earliest date / the first report's place;
- **event type and actors**: the coding most reports give; actors keep the side most
  reports put them on, so a source that swaps attacker and target does not swap the event;
- **fatalities**: ``best`` is the most conservative credible figure, as ACLED does: the
  lowest figure among independent sources, where a later figure from the same source
  replaces its earlier one (a toll that rises is an update, not a second opinion) and a
  party's own claims (the group's news agency, an army spokesman) count only when no
  independent source gives a figure. ``low`` and ``high`` span every source's figure, as
  UCDP's do. The same rule gives each side's figure and the wounded;
- **sources**: every report's claims, each with claimant, article and quote;
- **disagreements**: when sources differ on date, place, type, initiator or toll, the
  event's notes say so and name who said what;
- **confidence** (docs/confidence.md): each field's is that of the most confident report that
  gives the event's value, raised by every other report that agrees (each counting half, as
  reports of one event are not independent: 1 - (1 - p1) * sqrt(1 - p2) * ...) and lowered by
  the share of confidence that reports giving another value hold; the event's is the chance that
  its type, place and date are all right, as for a single report.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from marsad.knowledge.confidence import FIELDS, joint
from marsad.link.knowledge import actor_book, claimant_key, fold
from marsad.link.report import PRECISION_RANK, Report, parse_date
from marsad.model import Event

_CASUALTY_WORDS = (
    "kill",
    "dead",
    "death",
    "died",
    "die ",
    "toll",
    "slain",
    "lost their lives",
    "wound",
    "injur",
)


@dataclass(frozen=True)
class Figure:
    """One source's number for one quantity (total killed, one side's dead, wounded)."""

    claimant: str
    published: date | None
    best: int
    low: int
    high: int
    party: bool
    label: str


def reconcile(reports: list[Report], event_id: str) -> tuple[Event, list[str]]:
    """One event from its reports (founding report first) and the disagreements found."""
    if len(reports) == 1:
        single = copy.deepcopy(reports[0].event)
        single.event_id = event_id
        return single, []
    ev = Event(event_id=event_id)
    notes: list[str] = []
    updates: list[str] = []
    _date(reports, ev, notes)
    _place(reports, ev, notes)
    _type(reports, ev, notes)
    _actors(reports, ev, notes)
    _numbers(reports, ev, notes, updates)
    ev.sources = [copy.copy(s) for r in reports for s in r.event.sources]
    ev.notes = _notes(ev, reports, notes, updates)
    _confidence(reports, ev)
    return ev, notes


def _who(reports: Iterable[Report]) -> str:
    names: list[str] = []
    for r in reports:
        name = r.publisher or r.article_id
        if name not in names:
            names.append(name)
    return ", ".join(names)


def _vote(reports: list[Report], key: Callable[[Report], object]) -> object:
    """The value most reports give; ties go to the first report (canonical order)."""
    counts = Counter(key(r) for r in reports)
    top = max(counts.values())
    return next(key(r) for r in reports if counts[key(r)] == top)


def _date(reports: list[Report], ev: Event, notes: list[str]) -> None:
    dated = [r for r in reports if r.precision is not None]
    if not dated:
        return
    finest = min(PRECISION_RANK[r.precision or "day"] for r in dated)
    best = [r for r in dated if PRECISION_RANK[r.precision or "day"] == finest]
    counts = Counter(r.event.event_date for r in best)
    top = max(counts.values())
    chosen = min(d for d, n in counts.items() if n == top and d)
    ev.event_date, ev.date_precision = chosen, best[0].precision
    if len(counts) > 1:
        said = "; ".join(
            f"{d} ({_who(r for r in best if r.event.event_date == d)})" for d in sorted(counts, key=str)
        )
        notes.append(f"the date: {said}")


def _place_rank(r: Report) -> int:
    if r.precise:
        return r.event.geo_precision or 1
    return 3 if r.admin else 4


def _place_key(r: Report) -> str:
    if r.event.geonameid is not None and r.precise:
        return f"g{r.event.geonameid}"
    return fold(r.event.location or r.event.admin1 or r.event.country or "")


def _place(reports: list[Report], ev: Event, notes: list[str]) -> None:
    rank = min(_place_rank(r) for r in reports)
    best = [r for r in reports if _place_rank(r) == rank]
    key = _vote(best, _place_key)
    chosen = next(r for r in best if _place_key(r) == key).event
    for name in ("location", "admin1", "country", "iso3", "latitude", "longitude", "geonameid"):
        setattr(ev, name, getattr(chosen, name))
    ev.geo_precision = chosen.geo_precision
    precise = [r for r in reports if r.precise]
    keys = {_place_key(r) for r in precise}
    if len(keys) > 1:
        said = "; ".join(
            f"{next(r for r in precise if _place_key(r) == k).event.location} "
            f"({_who(r for r in precise if _place_key(r) == k)})"
            for k in sorted(keys)
        )
        notes.append(f"the place: {said}")


def _type(reports: list[Report], ev: Event, notes: list[str]) -> None:
    typed = [r for r in reports if r.event.event_type]
    if not typed:
        return
    ev.event_type, ev.sub_event_type = _vote(typed, lambda r: (r.event.event_type, r.event.sub_event_type))  # type: ignore[misc]
    kinds = Counter(r.event.event_type for r in typed)
    if len(kinds) > 1:
        said = "; ".join(
            f"{k} ({_who(r for r in typed if r.event.event_type == k)})" for k in sorted(kinds, key=str)
        )
        notes.append(f"the event type: {said}")


def _actors(reports: list[Report], ev: Event, notes: list[str]) -> None:
    book = actor_book()
    when = parse_date(ev.event_date)

    def canon(name: str | None) -> str | None:
        return book.canonical(name, when) if name else None

    first = _named_first(Counter(c for r in reports if (c := canon(r.event.actor1))))
    second = _named_first(Counter(c for r in reports if (c := canon(r.event.actor2))))
    order = {name: i for i, name in enumerate(_mentions(reports, canon))}

    def pick(counts: Counter[str], other: Counter[str], exclude: set[str]) -> str | None:
        names = [n for n in counts if n not in exclude]
        if not names:
            return None
        return min(names, key=lambda n: (-counts[n], other[n], order[n]))

    actor1 = pick(first, second, set())
    actor2 = pick(second, first, {actor1} if actor1 else set())
    if actor2 is None and actor1 is not None:  # a report with only the target named
        actor2 = pick(first, second, {actor1})
    ev.actor1, ev.actor2 = actor1, actor2
    sides: dict[str, list[int]] = {}
    for r in reports:
        swap = _swapped(r, actor1, actor2, canon)
        one = [canon(r.event.actor1), *map(canon, r.event.assoc_actor_1 or [])]
        two = [canon(r.event.actor2), *map(canon, r.event.assoc_actor_2 or [])]
        if swap:
            one, two = two, one
        for side, names in ((0, one), (1, two)):
            for name in names:
                if name and name not in (actor1, actor2) and not _placeholder(name):
                    sides.setdefault(name, [0, 0])[side] += 1
    ordered = sorted(sides, key=lambda n: order.get(n, len(order)))
    ev.assoc_actor_1 = [n for n in ordered if sides[n][0] >= sides[n][1]]
    ev.assoc_actor_2 = [n for n in ordered if sides[n][0] < sides[n][1]]
    swapped = [r for r in reports if _swapped(r, actor1, actor2, canon)]
    if swapped and actor1:
        others = [r for r in reports if r not in swapped and r.event.actor1]
        notes.append(
            f"who attacked: {actor1} according to {_who(others)}, "
            f"{canon(swapped[0].event.actor1)} according to {_who(swapped)}"
        )


def _placeholder(name: str) -> bool:
    """ACLED's name for a side no report could name ("Unidentified Armed Group (Somalia)")."""
    return name.startswith("Unidentified ")


def _named_first(counts: Counter[str]) -> Counter[str]:
    """A side one report names and another leaves unidentified is the named one."""
    named = Counter({n: c for n, c in counts.items() if not _placeholder(n)})
    return named or counts


def _mentions(reports: list[Report], canon: Callable[[str | None], str | None]) -> list[str]:
    seen: list[str] = []
    for r in reports:
        e = r.event
        for name in [e.actor1, e.actor2, *(e.assoc_actor_1 or []), *(e.assoc_actor_2 or [])]:
            c = canon(name)
            if c and c not in seen:
                seen.append(c)
    return seen


def _swapped(
    r: Report, actor1: str | None, actor2: str | None, canon: Callable[[str | None], str | None]
) -> bool:
    """Does this report name the event's target as the initiator (or the reverse)?"""
    book = actor_book()
    a1, a2 = canon(r.event.actor1), canon(r.event.actor2)
    if actor1 is None or a1 is None:
        return False
    if book.related(a1, actor1):
        return False
    return bool(actor2 and book.related(a1, actor2)) or bool(a2 and book.related(a2, actor1))


def _claimant(r: Report) -> str:
    """Who a report's casualty figure is from: the claimant of its casualty sentence."""
    sources = r.event.sources
    for s in sources:
        if s.claimant and any(w in s.quote.lower() for w in _CASUALTY_WORDS):
            return s.claimant
    for s in sources:
        if s.claimant:
            return s.claimant
    return r.publisher or r.article_id


def _is_party(claimant: str | None, ev: Event) -> bool:
    """Is this source one side's own voice (its agency, army or spokesman)?"""
    if not claimant:
        return False
    book = actor_book()
    if book.own_voice(claimant):
        return True
    when = parse_date(ev.event_date)
    actors = [a for a in (ev.actor1, ev.actor2, *ev.assoc_actor_1, *ev.assoc_actor_2) if a]
    return any(book.related(s, a) for s in book.speaks_for(claimant, when) for a in actors)


def _figures(
    reports: list[Report], ev: Event, value: Callable[[Report], tuple[int, int, int] | None]
) -> list[Figure]:
    out = []
    for r in reports:
        got = value(r)
        if got is None:
            continue
        claimant = _claimant(r)
        out.append(
            Figure(
                claimant_key(claimant) or claimant,
                r.publish_date,
                *got,
                party=_is_party(claimant, ev) or _is_party(r.publisher, ev),
                label=r.publisher or r.article_id,
            )
        )
    return out


def latest(figures: list[Figure]) -> list[Figure]:
    """Each claimant's latest figure (the higher on a tie: tolls rise); earlier ones are updates."""
    held: dict[str, Figure] = {}
    for f in figures:
        old = held.get(f.claimant)
        if old is None or (f.published or date.min, f.best) > (old.published or date.min, old.best):
            held[f.claimant] = f
    return list(held.values())


def conservative(figures: list[Figure]) -> tuple[int, int, int] | None:
    """(best, low, high): a source's latest figure replaces its earlier ones; best is the
    lowest independent figure (a party's only when nobody else counts); low and high span
    every surviving figure."""
    if not figures:
        return None
    kept = latest(figures)
    credible = [f for f in kept if not f.party] or kept
    best = min(f.best for f in credible)
    low = min(min(f.low, f.best) for f in kept)
    high = max(max(f.high, f.best) for f in kept)
    return best, min(low, best), max(high, best)


def _killed(r: Report) -> tuple[int, int, int] | None:
    e = r.event
    if not e.fatalities:
        return None
    low = e.fatalities_low if e.fatalities_low is not None else e.fatalities
    high = e.fatalities_high if e.fatalities_high is not None else e.fatalities
    return e.fatalities, low, high


def _numbers(reports: list[Report], ev: Event, notes: list[str], updates: list[str]) -> None:
    figures = _figures(reports, ev, _killed)
    got = conservative(figures)
    if got is None:
        ev.fatalities = 0
    else:
        ev.fatalities, ev.fatalities_low, ev.fatalities_high = got
        kept = latest(figures)
        values = sorted({f.best for f in kept})
        if len(values) > 1:
            said = "; ".join(
                f"{v} ({', '.join(dict.fromkeys(f.label for f in kept if f.best == v))})" for v in values
            )
            notes.append(
                f"the death toll: {said}; best {ev.fatalities} is the most conservative credible figure"
            )
        for claimant in sorted({f.claimant for f in figures}):
            own = sorted({(f.published or date.min, f.best) for f in figures if f.claimant == claimant})
            if len({n for _, n in own}) > 1:
                steps = ", then ".join(str(n) for n in dict.fromkeys(n for _, n in own))
                updates.append(f"{claimant} gave {steps}: its latest figure counts")
    # a party's figure for one side counts only when no independent source gives a toll at all
    independent = any(not f.party for f in figures)
    book = actor_book()
    when = parse_date(ev.event_date)
    sides: dict[str, dict[str, int]] = {}
    for r in reports:
        for name, n in (r.event.fatalities_by_actor or {}).items():
            sides.setdefault(book.canonical(name, when), {})[r.report_id] = int(n)
    by_actor: dict[str, int] = {}
    for name, counts in sides.items():
        side_figures = _figures(reports, ev, lambda r, c=counts: _same(c.get(r.report_id)))  # type: ignore[misc]
        if independent:
            side_figures = [f for f in side_figures if not f.party]
        side = conservative(side_figures)
        if side is not None:
            by_actor[name] = side[0]
    ev.fatalities_by_actor = by_actor
    hurt = conservative(_figures(reports, ev, lambda r: _same(r.event.wounded)))
    ev.wounded = hurt[0] if hurt else None


def _same(n: int | None) -> tuple[int, int, int] | None:
    return (n, n, n) if n else None


def _notes(ev: Event, reports: list[Report], disagreements: list[str], updates: list[str]) -> str:
    what = ev.sub_event_type or ev.event_type or "Event"
    if ev.actor1:
        what += f" by {ev.actor1}"
    if ev.actor2:
        what += f" against {ev.actor2}"
    if ev.location:
        what += f" in {ev.location}"
    if ev.event_date:
        what += (
            f" on {ev.event_date}"
            if ev.date_precision == "day"
            else f" ({ev.date_precision} of {ev.event_date})"
        )
    if ev.fatalities:
        span = (
            f" ({ev.fatalities_low}-{ev.fatalities_high} across sources)"
            if ev.fatalities_low != ev.fatalities_high
            else ""
        )
        what += f"; {ev.fatalities} killed{span}"
    if ev.wounded:
        what += f", {ev.wounded} wounded"
    text = f"{what}. Reported by {len(reports)} sources: {_who(reports)}."
    if disagreements:
        text += " Sources disagree on " + "; and on ".join(disagreements) + "."
    if updates:
        said = "; ".join(updates)
        text += " " + said[0].upper() + said[1:] + "."
    return text


def _field_value(ev: Event, name: str) -> object:
    """What a report says of one main field, in a form that two reports agree on."""
    if name == "event_type":
        return ev.event_type
    if name == "actors":
        return fold(ev.actor1 or "")
    if name == "place":
        return ev.geonameid if ev.geonameid is not None else fold(ev.location or ev.country or "")
    if name == "date":
        return ev.event_date
    return ev.fatalities


def combined(agree: list[float], differ: list[float]) -> float:
    """One field's confidence from the reports that give the event's value (``agree``) and
    those that give another (``differ``): more agreeing reports, higher; disagreement, lower."""
    if not agree:
        return 0.0
    first, *rest = sorted(agree, reverse=True)
    doubt = 1.0 - first
    for p in rest:
        doubt *= (1.0 - p) ** 0.5  # a second report of one event is not a second independent look
    p = 1.0 - doubt
    if differ:
        p *= sum(agree) / (sum(agree) + sum(differ))
    return min(1.0, max(0.0, p))


def _confidence(reports: list[Report], ev: Event) -> None:
    """The event's field confidences from its reports' (reports stored before confidence
    existed give none, and are left out)."""
    scored = [r for r in reports if r.event.field_confidence]
    if not scored:
        return
    fields: dict[str, float] = {}
    evidence: dict[str, str] = {}
    for name in FIELDS:
        mine = _field_value(ev, name)
        agree = [
            r for r in scored if name in r.event.field_confidence and _field_value(r.event, name) == mine
        ]
        differ = [r for r in scored if name in r.event.field_confidence and r not in agree]
        if not agree and not differ:
            continue
        fields[name] = round(
            combined(
                [r.event.field_confidence[name] for r in agree],
                [r.event.field_confidence[name] for r in differ],
            ),
            3,
        )
        best = max(agree, key=lambda r: r.event.field_confidence[name], default=None)
        said = best.event.confidence_evidence.get(name, "none") if best is not None else "none"
        evidence[name] = f"{said} (reports: {len(agree)} agree, {len(differ)} differ)"
    ev.field_confidence = fields
    ev.confidence_evidence = evidence
    ev.confidence = joint(fields)
