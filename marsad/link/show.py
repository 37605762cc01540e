"""A linked event as text for a person: what happened, who says what, and why each report
is part of it (``marsad event ID --format text``)."""

from __future__ import annotations

import textwrap
from typing import Any


def _wrap(text: str, indent: str, first: str | None = None) -> str:
    return textwrap.fill(text, width=100, initial_indent=first or indent, subsequent_indent=indent)


def describe(detail: dict[str, Any]) -> str:
    """Render ``Store.event(id)`` (an EVENT dict with reports, claims and links)."""
    e = detail
    n = e.get("n_sources", len(e.get("reports") or []))
    lines = [f"event {e['event_id']}  ({n} source{'' if n == 1 else 's'})"]
    if e.get("status"):  # a stored event's review state (docs/review.md)
        state = f"  status  {e['status']}"
        if e.get("flagged"):
            state += f"; FLAGGED: {e.get('flag_reason') or 'a new report contradicts an analyst'}"
        lines.append(state)
    when = e.get("event_date") or "date unknown"
    if e.get("date_precision") and e["date_precision"] != "day":
        when += f" ({e['date_precision']})"
    place = ", ".join(p for p in (e.get("location"), e.get("admin1"), e.get("country")) if p)
    lines.append(f"  {when}  {place or 'place unknown'}")
    lines.append(f"  {e.get('event_type') or '?'}: {e.get('sub_event_type') or '?'}")
    sides = [e.get("actor1") or "?", e.get("actor2") or "?"]
    assoc = [", ".join(e.get("assoc_actor_1") or []), ", ".join(e.get("assoc_actor_2") or [])]
    lines.append(
        "  actors  "
        + "  vs  ".join(
            f"{side} (with {extra})" if extra else side for side, extra in zip(sides, assoc, strict=True)
        )
    )
    toll = f"  killed  {e.get('fatalities', 0)}"
    if e.get("fatalities_low") is not None and e.get("fatalities_low") != e.get("fatalities_high"):
        toll += f" (sources: {e['fatalities_low']}-{e['fatalities_high']})"
    if e.get("fatalities_by_actor"):
        toll += "; " + ", ".join(f"{k} {v}" for k, v in e["fatalities_by_actor"].items())
    if e.get("wounded"):
        toll += f"; wounded {e['wounded']}"
    lines.append(toll)
    if e.get("notes"):
        lines.append(_wrap(e["notes"], "  "))
    why = {link["report_id"]: link["explanation"] for link in e.get("links") or []}
    claims = e.get("claims") or []
    for r in e.get("reports") or []:
        lines.append("")
        published = f", published {r['publish_date']}" if r.get("publish_date") else ""
        lines.append(f"  report {r['report_id']}: {r.get('publisher') or '?'} {r['article_id']}{published}")
        lines.append(
            f"    says: {r.get('event_date') or '?'} {r.get('location') or '?'}; "
            f"{r.get('actor1') or '?'} vs {r.get('actor2') or '?'}; {r.get('sub_event_type') or '?'}; "
            f"killed {r.get('fatalities') or 0}"
        )
        if r["report_id"] in why:
            lines.append(_wrap(f"why: {why[r['report_id']]}", "    "))
        for c in claims:
            if c["article_id"] == r["article_id"]:
                who = c.get("claimant") or "(no claimant)"
                lines.append(
                    _wrap(f"{who}: \u201c{c['quote']}\u201d [{c['start']}:{c['end']}]", "      ", "    - ")
                )
    return "\n".join(lines)
