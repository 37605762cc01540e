"""An event's history and the changes since a date, as terminal tables and CSV.

The data come from :meth:`marsad.api.Observatory.history` and
:meth:`marsad.api.Observatory.changes`; this module only lays them out.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

from rich import box
from rich.table import Table

CHANGE_COLUMNS = ("event_id", "change", "at", "by", "why", "fields", "merged_into")
WIDE = 70  # characters of a value shown in a table cell (notes can be long)


def _short(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    elif isinstance(value, dict):
        text = ", ".join(f"{k}: {v}" for k, v in value.items())
    else:
        text = str(value)
    return text if len(text) <= WIDE else text[: WIDE - 1] + "…"


def _pair(old: Any, new: Any) -> tuple[str, str]:
    """Old and new for a table cell; two long texts are shown around where they first differ."""
    if not (isinstance(old, str) and isinstance(new, str)) or max(len(old), len(new)) <= WIDE:
        return _short(old), _short(new)
    start = next(
        (i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new))
    )
    start = max(0, start - 20)

    def window(text: str) -> str:
        part = text[start : start + WIDE // 2]
        return ("…" if start else "") + part + ("…" if start + WIDE // 2 < len(text) else "")

    return window(old), window(new)


def summary(record: dict[str, Any]) -> str:
    """One line for an added event: type, date, place, toll."""
    place = ", ".join(str(record[k]) for k in ("location", "country") if record.get(k))
    parts = [record.get("event_type") or "untyped", record.get("event_date") or "undated", place]
    toll = f"{record.get('fatalities') or 0} killed"
    return "; ".join(p for p in (*parts, toll) if p)


def _when(at: str) -> str:
    return at[:16].replace("T", " ")


def render_history(event_id: str, changes: list[dict[str, Any]]) -> Table:
    """The changes of one event, oldest first: when, who, what (field: old → new), why."""
    table = Table(
        title=f"history of event {event_id}", title_justify="left", box=box.SIMPLE_HEAD, expand=True
    )
    reasons = any(c["why"] for c in changes)  # a column for them only when someone gave one
    for name in ("at (UTC)", "by", "change", "what", *(["why"] if reasons else [])):
        wraps = name in ("what", "why")  # the rest stay one line; these share the width left
        table.add_column(
            name, overflow="fold", no_wrap=not wraps, ratio=(2 if name == "what" else 1) if wraps else None
        )
    for c in changes:
        if c["kind"] == "added":
            what = summary(c["new"] or {})
        elif c["kind"] == "merged":
            what = f"into {_short(c['new'])}"
        elif c["kind"] == "changed":
            old, new = _pair(c["old"], c["new"])
            what = f"{c['field']}: {old} → {new}"
        else:
            what = ""
        table.add_row(_when(c["at"]), c["by"], c["kind"], what, *([c["why"] or ""] if reasons else []))
    return table


def render_changes(since: str, changes: list[dict[str, Any]]) -> Table:
    """Events added, changed and deleted since a time."""
    counts = {k: sum(1 for c in changes if c["kind"] == k) for k in ("added", "changed", "deleted")}
    title = f"since {since}: " + ", ".join(f"{n} {k}" for k, n in counts.items())
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, expand=True)
    for name in ("event_id", "change", "at (UTC)", "by", "what"):
        wraps = name == "what"  # the rest stay one line; this takes the width left
        table.add_column(name, overflow="fold", no_wrap=not wraps, ratio=1 if wraps else None)
    for c in changes:
        what = ", ".join(c["fields"])
        if c.get("merged_into"):
            what = f"merged into {_short(c['merged_into'])}"
        table.add_row(c["event_id"], c["kind"], _when(c["at"]), c["by"], what)
    return table


def write_changes_csv(changes: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """The changes as CSV (ACLED-style: a deletion list is the rows whose change is "deleted");
    ``fields`` and several merge targets are separated by spaces."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CHANGE_COLUMNS)
    n = 0
    for c in changes:
        merged = c.get("merged_into")
        merged_text = " ".join(merged) if isinstance(merged, list) else merged or ""
        writer.writerow(
            [c["event_id"], c["kind"], c["at"], c["by"], c["why"] or "", " ".join(c["fields"]), merged_text]
        )
        n += 1
    return n
