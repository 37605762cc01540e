"""The analysts' commands: ``verify``, ``edit``, ``reject``, ``merge``, ``split`` and the
terminal queue ``review`` (docs/review.md). Each is a thin call to :mod:`marsad.api`."""

from __future__ import annotations

import getpass
import json
from typing import Any

import click

from marsad.cli import MAX_INT, _errors, _fail, _filters, db_option, event_filters, main, shown


def _login() -> str | None:
    """The login name from the environment (LOGNAME, USER, ...), None if there is none."""
    try:
        return getpass.getuser() or None
    except Exception:  # no such variable and no passwd entry (a bare container)
        return None


def user_option(f: Any) -> Any:
    return click.option(
        "--user",
        metavar="NAME",
        default=None,
        help="Who makes the change, kept with it. Default: your login name ($LOGNAME, $USER).",
    )(f)


def reason_option(f: Any) -> Any:
    return click.option("--reason", default="", help="Why (optional; kept with the change).")(f)


def format_option(f: Any) -> Any:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="text: one line per event; json: the event(s) as `marsad event` shows them.",
    )(f)


def _who(user: str | None) -> str:
    name = user or _login()
    if not name:
        _fail("[E061] user: say who makes the change with --user NAME (no login name in the environment)", 2)
    return name


def line(event: dict[str, Any]) -> str:
    """One event on one line: id, status, what, where, when, toll, sources."""
    what = event.get("sub_event_type") or event.get("event_type") or "event"
    actors = " vs ".join(a for a in (event.get("actor1"), event.get("actor2")) if a)
    place = ", ".join(p for p in (event.get("location"), event.get("country")) if p)
    text = f"{event['event_id']} [{event.get('status', 'provisional')}] {what}"
    text += f" ({actors})" if actors else ""
    text += f" in {place or 'an unknown place'} on {event.get('event_date') or 'an unknown date'}"
    text += f"; {event.get('fatalities') or 0} killed; {event.get('n_sources') or 0} source(s)"
    if event.get("flagged"):
        text += f"; FLAGGED: {event.get('flag_reason')}"
    return shown(text)


def _show(found: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "json":
        for event in found:
            click.echo(json.dumps(event, ensure_ascii=False))
        return
    for event in found:
        click.echo(line(event))


@main.command()
@click.argument("event_id")
@reason_option
@user_option
@db_option
@format_option
def verify(event_id: str, reason: str, user: str | None, db: str | None, fmt: str) -> None:
    """Confirm an event as it is (status verified). Its values are the analyst's from now on:
    a new report that says otherwise flags the event instead of changing it.

    Example: marsad verify 8558f4c196eb84aeaf1d --reason "matches the hospital's list"
    """
    from marsad import api

    with _errors(), api.open(db, create=False) as obs:
        _show([obs.verify(event_id, user=_who(user), reason=reason)], fmt)


@main.command()
@click.argument("event_id")
@click.option(
    "--set",
    "assignments",
    metavar="FIELD=VALUE",
    multiple=True,
    required=True,
    help="A field and its value, e.g. --set fatalities=15 (repeat for more; an empty value clears "
    "the field; actor lists are separated by ';').",
)
@reason_option
@user_option
@db_option
@format_option
def edit(
    event_id: str, assignments: tuple[str, ...], reason: str, user: str | None, db: str | None, fmt: str
) -> None:
    """Set fields of an event (status edited). Re-extraction, re-linking and re-ingest keep
    the values; a later report that says otherwise flags the event.

    Example: marsad edit 8558f4c196eb84aeaf1d --set fatalities=15 --set "actor2=Civilians (Ukraine)"
    """
    from marsad import api

    fields: dict[str, str] = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            _fail(f"--set: {item!r} is not FIELD=VALUE (e.g. --set fatalities=15)", 2)
        fields[name.strip()] = value
    with _errors(), api.open(db, create=False) as obs:
        _show([obs.edit(event_id, fields, user=_who(user), reason=reason)], fmt)


@main.command()
@click.argument("event_id")
@reason_option
@user_option
@db_option
@format_option
def reject(event_id: str, reason: str, user: str | None, db: str | None, fmt: str) -> None:
    """Reject an event (not an event, or not one to publish). Listings and exports leave it
    out unless asked for it (marsad events --status rejected); re-ingest keeps it rejected.

    Example: marsad reject 5172d2cc11b9304fbc70 --reason "a drill, not an attack"
    """
    from marsad import api

    with _errors(), api.open(db, create=False) as obs:
        _show([obs.reject(event_id, user=_who(user), reason=reason)], fmt)


@main.command()
@click.argument("event_id")
@click.argument("other_id")
@reason_option
@user_option
@db_option
@format_option
def merge(event_id: str, other_id: str, reason: str, user: str | None, db: str | None, fmt: str) -> None:
    """Merge OTHER_ID into EVENT_ID: one event whose reports stay together whatever later
    reports say. Its id is its first published report's, as for every event.

    Example: marsad merge 8558f4c196eb84aeaf1d 0563bc84cde2a4f3a284 --reason "the same strike"
    """
    from marsad import api

    with _errors(), api.open(db, create=False) as obs:
        _show([obs.merge(event_id, other_id, user=_who(user), reason=reason)], fmt)


@main.command()
@click.argument("event_id")
@click.option(
    "--reports",
    "report_ids",
    metavar="R1,R2",
    required=True,
    help="The reports to split off (ids from marsad event ID), comma-separated.",
)
@reason_option
@user_option
@db_option
@format_option
def split(event_id: str, report_ids: str, reason: str, user: str | None, db: str | None, fmt: str) -> None:
    """Split reports off an event into an event of their own; they stay apart from the rest
    whatever later reports say. Prints the rest, then the new event.

    Example: marsad split bb31be9198ad246532eb --reports a38ec01646e5f06b6ef6 --reason "another blast"
    """
    from marsad import api

    wanted = [r.strip() for r in report_ids.split(",") if r.strip()]
    with _errors(), api.open(db, create=False) as obs:
        _show(obs.split(event_id, wanted, user=_who(user), reason=reason), fmt)


def _evidence(event: dict[str, Any]) -> list[str]:
    out = []
    for c in event.get("claims") or []:
        who = c.get("claimant") or c.get("publisher") or "?"
        figures = ", ".join(
            f"{n} {label}"
            for n, label in ((c.get("fatalities"), "killed"), (c.get("wounded"), "wounded"))
            if n
        )
        quote = " ".join(str(c.get("quote") or "").split())
        out.append(
            shown(f'  {c.get("article_id")} ({who}){" [" + figures + "]" if figures else ""}: "{quote}"')
        )
    return out


def _card(event: dict[str, Any], n: int, total: int) -> list[str]:
    lines = [f"[{n}/{total}] {line(event)}"]
    lines += [shown(f"  why: {r}") for r in event.get("review_reasons") or []]
    fields = ("event_type", "sub_event_type", "actor1", "actor2", "location", "admin1", "country") + (
        "event_date",
        "date_precision",
        "fatalities",
        "wounded",
    )
    lines.append(shown("  " + "; ".join(f"{k}={event.get(k)}" for k in fields)))
    lines.append("  evidence:")
    lines += _evidence(event) or ["  (no quotes)"]
    return lines


ACTIONS = {"v": "verify", "e": "edit", "r": "reject", "s": "skip", "q": "quit"}


@main.command()
@click.option(
    "--limit", type=click.IntRange(1, MAX_INT), default=20, show_default=True, help="Events to go through."
)
@event_filters
@user_option
@db_option
def review(limit: int, user: str | None, db: str | None, **params: Any) -> None:
    """Go through the events waiting for an analyst: flagged first, then the least confident,
    the largest tolls and the ones whose sources disagree. Each is shown with its evidence;
    answer v(erify), e(dit), r(eject), s(kip) or q(uit).

    Example: marsad review --country Sudan --limit 10
    """
    from marsad import api
    from marsad.errors import MarsadError

    filters = _filters(params)
    who = _who(user)
    done: dict[str, int] = {"verify": 0, "edit": 0, "reject": 0, "skip": 0}
    with _errors(), api.open(db, create=False) as obs:
        waiting = obs.review_queue(limit, **filters)
        if not waiting:
            click.echo("nothing to review: no provisional or flagged event matches")
            return
        for n, event in enumerate(waiting, 1):
            click.echo("")
            for text in _card(event, n, len(waiting)):
                click.echo(text)
            while True:
                answer = click.prompt(
                    "v(erify) e(dit) r(eject) s(kip) q(uit)",
                    type=click.Choice(list(ACTIONS)),
                    show_choices=False,
                )
                action = ACTIONS[answer]
                if action == "quit":
                    _summary(done)
                    return
                if action == "skip":
                    done["skip"] += 1
                    break
                try:
                    if action == "edit":
                        fields = _ask_fields()
                        if not fields:
                            continue
                        why = click.prompt("reason (optional)", default="", show_default=False)
                        result = obs.edit(event["event_id"], fields, user=who, reason=why)
                    else:
                        why = click.prompt("reason (optional)", default="", show_default=False)
                        method = obs.verify if action == "verify" else obs.reject
                        result = method(event["event_id"], user=who, reason=why)
                except MarsadError as exc:  # a bad value: say so and ask again
                    click.echo(f"marsad: {shown(exc)}", err=True)
                    continue
                click.echo(f"  -> {line(result)}")
                done[action] += 1
                break
    _summary(done)


def _ask_fields() -> dict[str, str]:
    fields: dict[str, str] = {}
    while True:
        item = click.prompt("  field=value (empty line: done)", default="", show_default=False)
        if not item.strip():
            return fields
        name, sep, value = item.partition("=")
        if not sep:
            click.echo("marsad: give FIELD=VALUE, e.g. fatalities=15", err=True)
            continue
        fields[name.strip()] = value


def _summary(done: dict[str, int]) -> None:
    click.echo(
        f"verified {done['verify']}, edited {done['edit']}, rejected {done['reject']}, skipped {done['skip']}"
    )
