"""``marsad stats`` as rich tables: events and fatalities by month, country, actor, type."""

from __future__ import annotations

from typing import Any

from rich.table import Table

TITLES = {"by_month": "month", "by_country": "country", "by_actor": "actor", "by_type": "event type"}


def render_stats(stats: dict[str, list[dict[str, Any]]], *, top: int | None = 20) -> list[Table]:
    """One table per dimension; all but months are cut to the ``top`` rows by events."""
    tables = []
    for name, label in TITLES.items():
        rows = stats.get(name, [])
        table = Table(title=f"by {label}", title_justify="left")
        table.add_column(label)
        table.add_column("events", justify="right")
        table.add_column("fatalities", justify="right")
        shown = rows if name == "by_month" or top is None else rows[:top]
        for row in shown:
            table.add_row(
                "(unknown)" if row["key"] is None else str(row["key"]),
                str(row["events"]),
                str(row["fatalities"]),
            )
        if len(shown) < len(rows):
            rest = rows[len(shown) :]
            if name == "by_actor":  # events have several actors: their sums would overcount
                table.add_row(f"({len(rest)} more)", "", "")
            else:
                events = sum(r["events"] for r in rest)
                table.add_row(f"({len(rest)} more)", str(events), str(sum(r["fatalities"] for r in rest)))
        tables.append(table)
    return tables
