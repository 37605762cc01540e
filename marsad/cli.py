"""marsad's command line: each command parses its options and calls :mod:`marsad.api`.

Exit codes: 0 all fine, 1 some inputs rejected (or a one-line ``marsad: [E0xx]`` error),
2 usage. Heavy modules are imported inside commands so ``marsad --help`` stays fast.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any, NoReturn, TypeVar

import click

from marsad.errors import MarsadError

F = TypeVar("F", bound=Callable[..., Any])
MAX_INT = 2**31 - 1  # the store's bound on every number (marsad.store.filters)

DB_HELP = (
    "SQLite file or database URL (postgresql+psycopg://user@host/db). Default: $MARSAD_DB or ./marsad.db."
)


def db_option(f: F) -> F:
    """The same ``--db`` on every command that touches the database."""
    return click.option("--db", metavar="URL", default=None, help=DB_HELP)(f)


def shown(text: object) -> str:
    """Text safe to print on a terminal: control characters (a newline in a file name,
    an escape sequence) are shown escaped, so one message stays one line and a name
    cannot drive the terminal."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in str(text))


def plural(n: int, noun: str) -> str:
    """``1 article``, ``2 articles``: counts people read."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"marsad: {shown(message)}", err=True)
    sys.exit(code)


@contextlib.contextmanager
def _errors() -> Iterator[None]:
    """Library errors become one stderr line and exit 1; a closed pipe ends quietly."""
    try:
        yield
    except MarsadError as exc:
        _fail(str(exc))
    except BrokenPipeError:  # `marsad events | head`
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except Exception as exc:
        if type(exc).__module__.startswith("sqlalchemy"):  # e.g. the server went away mid-query
            _fail(f"[E030] database error: {' '.join(str(getattr(exc, 'orig', exc)).split())}")
        raise


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=__import__("marsad").__version__, prog_name="marsad")
def main() -> None:
    """marsad: a sourced, geocoded, deduplicated record of conflict events from news."""


# -- store commands (ingest, events, event, stats) ----------------------------------------

_FORMAT_DATE = click.DateTime(formats=["%Y-%m-%d"])


def event_filters(f: F) -> F:
    """The event filters shared by ``events`` and ``stats`` (one vocabulary everywhere)."""
    options = [
        click.option("--country", help="Country name or ISO3 code (case-insensitive)."),
        click.option("--admin1", help="First-level division, e.g. 'Deir ez-Zor'."),
        click.option("--since", type=_FORMAT_DATE, help="Events on or after YYYY-MM-DD."),
        click.option("--until", type=_FORMAT_DATE, help="Events on or before YYYY-MM-DD."),
        click.option("--actor", help="An actor in any role (aliases resolve to the canonical name)."),
        click.option("--type", "event_type", help="ACLED event type, e.g. 'Battles'."),
        click.option("--sub-type", "sub_event_type", help="ACLED sub-event type, e.g. 'Armed clash'."),
        click.option("--min-fatalities", type=click.IntRange(0, MAX_INT), help="At least this many killed."),
        click.option("--text", help="Words in the notes, actors, place or quoted evidence."),
        click.option(
            "--status",
            metavar="STATUS",
            help="provisional, verified, edited, rejected (several: verified,edited) or all. "
            "Default: all but rejected.",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _filters(params: dict[str, Any]) -> dict[str, Any]:
    """The event filters, checked like the Python and web APIs check them: a type outside
    the taxonomy or an empty date range is a usage error (exit 2) naming the valid values."""
    from marsad.store.filters import FilterError, check_filters

    keys = ("country", "admin1", "actor", "event_type", "sub_event_type", "min_fatalities", "text", "status")
    out = {k: params[k] for k in keys if params.get(k) is not None}
    for key in ("since", "until"):
        if params.get(key) is not None:
            out[key] = _day(params[key])
    try:
        return check_filters(out)
    except FilterError as exc:
        name, sep, rest = str(exc).partition(": ")
        flag = _FLAGS.get(name)
        _fail(f"{flag}: {rest}" if sep and flag else str(exc), 2)


_FLAGS = {
    "event_type": "--type",
    "sub_event_type": "--sub-type",
    "min_fatalities": "--min-fatalities",
    "text": "--text",
    "country": "--country",
    "admin1": "--admin1",
    "actor": "--actor",
    "status": "--status",
}


@main.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Extract in a pool of this many processes (0 = one per core).",
)
@click.option(
    "--cluster",
    metavar="ADDRESS",
    envvar="MARSAD_CLUSTER",
    default=None,
    help="Extract on a Dask cluster: its scheduler's address, e.g. tcp://10.0.0.5:8786 "
    "(default: $MARSAD_CLUSTER). Reading and storing stay here; see docs/scale.md.",
)
@click.option("--publish-date", type=_FORMAT_DATE, help="Publication date for articles that give none.")
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="Articles per transaction: a crash loses at most the batch in flight.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=None,
    help="Refuse files larger than this many bytes (default: the readers' 5 MB).",
)
@click.option(
    "--progress/--no-progress",
    default=True,
    show_default=True,
    help="A progress bar on a terminal, one line per batch on a pipe.",
)
@click.option(
    "--summary",
    "summary_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="The closing summary as text or one JSON object.",
)
def ingest(
    paths: tuple[str, ...],
    db: str | None,
    workers: int,
    cluster: str | None,
    publish_date: datetime | None,
    batch_size: int,
    max_bytes: int | None,
    progress: bool,
    summary_format: str,
) -> None:
    """Read, extract and store articles; re-running is safe and finishes an interrupted run.

    PATHS are files (.txt, .html, .json, .jsonl, RSS/Atom), directories (recursive), globs
    or - for standard input. Each rejected input is named on stderr with its reason;
    the rest is stored and the exit code is 1.

    Example: marsad ingest examples/ feeds/*.xml --db observatory.db --workers 4
    """
    from click.core import ParameterSource

    from marsad import api
    from marsad.model import ReadError
    from marsad.read.sources import expand

    def rejected(error: Any) -> None:
        click.echo(f"marsad: rejected {shown(error)}", err=True)

    cluster = cluster.strip() if cluster else None  # MARSAD_CLUSTER= (empty) means none
    workers_given = click.get_current_context().get_parameter_source("workers") == ParameterSource.COMMANDLINE
    if cluster and workers_given:
        _fail("--workers and --cluster exclude each other: the cluster's workers extract", 2)
    inputs = list(expand(paths))
    if all(isinstance(item, ReadError) for item in inputs):  # no database file made for nothing
        for item in inputs:
            rejected(item)
        _fail("nothing to read; check the paths (no database was created or changed)")
    with _errors(), api.open(db) as obs:
        try:
            summary = obs.ingest(
                list(paths),
                workers=workers,
                publish_date=_day(publish_date),
                progress=progress,
                batch_size=batch_size,
                max_bytes=max_bytes,
                on_reject=rejected,
                cluster=cluster or None,
            )
        except KeyboardInterrupt:
            _fail("interrupted; committed batches are kept: run the same command again to finish", 130)
    if summary_format == "json":
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False))
    else:
        click.echo(f"read {plural(summary.read, 'article')} in {summary.seconds:.1f} s")
        click.echo(f"  duplicates skipped  {summary.duplicates}")
        note = " (reasons on stderr)" if summary.rejected else ""
        click.echo(f"  rejected            {len(summary.rejected)}{note}")
        click.echo(
            f"  stored              {plural(summary.articles, 'article')} "
            f"({plural(summary.new_versions, 'new version')}, {summary.reextracted} re-extracted), "
            f"{plural(summary.reports, 'report')}, {plural(summary.events, 'event')}"
        )
        linked = plural(summary.linked, "report")
        click.echo(f"  linked              {linked} matched to events that other sources also report")
    sys.exit(summary.exit_code)


@main.command()
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "geojson", "plover", "cameo", "ucdp"]),
    default="jsonl",
    show_default=True,
    help="jsonl: EVENT objects; csv: ACLED's columns; geojson: points; plover: PLOVER JSON lines; "
    "cameo: GDELT-style CAMEO csv; ucdp: UCDP GED csv.",
)
@event_filters
@click.option("--limit", type=click.IntRange(0, MAX_INT), help="At most this many events.")
@click.option(
    "--as-of",
    metavar="WHEN",
    callback=lambda _ctx, _param, value: _when(value, "--as-of"),
    help="The dataset as it was then: YYYY-MM-DD (the end of that day, UTC) or "
    "YYYY-MM-DDTHH:MM[:SS][+HH:MM]; events deleted since come back, later ones are absent. "
    "Every filter tests the fields as they were then (--text: notes, actors and place only, "
    "as the history keeps no quotes); jsonl events carry updated_at, their version's time.",
)
def events(db: str | None, fmt: str, limit: int | None, as_of: Any, **params: Any) -> None:
    """Query and export events, ordered by date then id.

    Rejected events are left out unless --status asks for them (--status rejected, or all).

    Example: marsad events --country Syria --since 2018-06-01 --format csv > syria.csv
    """
    from marsad import api

    filters = _filters(params)
    with _errors(), api.open(db, create=False) as obs:
        obs.export(sys.stdout, format=fmt, limit=limit, as_of=as_of, **filters)  # type: ignore[arg-type]
        sys.stdout.flush()


def _when(value: str | None, flag: str) -> date | datetime | None:
    """YYYY-MM-DD as a date, anything longer as an ISO time (UTC unless it names a zone)."""
    if value is None:
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(
            f"{shown(text[:40])!r} is not a date or time; use YYYY-MM-DD or YYYY-MM-DDTHH:MM", param_hint=flag
        ) from None


@main.command()
@click.argument("event_id")
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "text", "table"]),
    default=None,
    help="json (the default): the event with reports, claims and links; text: the same for reading, "
    "with why each report was linked. With --history: table (the default) or json.",
)
@click.option(
    "--history",
    is_flag=True,
    help="Every change to the event instead: when, by whom (an analyst, or marsad and its version), "
    "what changed from what to what, and why; also for an event since deleted or merged into another.",
)
def event(event_id: str, db: str | None, fmt: str | None, history: bool) -> None:
    """Show one event with its reports, claims and link explanations, or its history.

    Example: marsad event 3f2a9c0d1e4b5a6c7d8e --format text
    """
    from marsad import api

    if history:
        _history(event_id, db, fmt or "table")
        return
    fmt = fmt or "json"
    if fmt == "table":
        _fail("--format table is for --history; use json or text", 2)
    with _errors(), api.open(db, create=False) as obs:
        found = obs.event(event_id)
        if found is None:
            _fail(f"[E030] no event {event_id!r} in {obs.store.display_url}; list ids with: marsad events")
        if fmt == "text":
            from marsad.link.show import describe

            click.echo(describe(found))
            return
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))


def _history(event_id: str, db: str | None, fmt: str) -> None:
    from marsad import api

    with _errors(), api.open(db, create=False) as obs:
        found = obs.history(event_id)
        if not found:
            where = obs.store.display_url
            _fail(f"[E030] no event {event_id!r} was ever in {where}; list ids with: marsad events")
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    from rich.console import Console

    from marsad.export.history import render_history

    Console().print(render_history(event_id, found))


@main.command()
@click.option(
    "--since",
    "since",
    metavar="WHEN",
    required=True,
    callback=lambda _ctx, _param, value: _when(value, "--since"),
    help="YYYY-MM-DD (from the start of that day, UTC) or YYYY-MM-DDTHH:MM[:SS][+HH:MM].",
)
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="table; csv: event_id, change, at, by, why, fields, merged_into; json: a list of objects.",
)
def changes(since: date | datetime, db: str | None, fmt: str) -> None:
    """Events added, changed and deleted since a date, compared with the dataset just before it.

    A changed event names the fields that changed; a deleted one (ACLED-style deletion list)
    names the event its reports were merged into, if any. Each event appears once.

    Example: marsad changes --since 2026-12-01 --format csv > changes.csv
    """
    from marsad import api

    with _errors(), api.open(db, create=False) as obs:
        found = obs.changes(since=since)
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        from marsad.export.history import write_changes_csv

        write_changes_csv(found, sys.stdout)
    else:
        from rich.console import Console

        from marsad.export.history import render_changes

        Console().print(render_changes(since.isoformat(), found))


@main.command()
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Rich tables, or one JSON object.",
)
@event_filters
def stats(db: str | None, fmt: str, **params: Any) -> None:
    """Events and fatalities by month, country, actor and event type.

    Example: marsad stats --country Syria --since 2018-01-01
    """
    from marsad import api

    filters = _filters(params)
    with _errors(), api.open(db, create=False) as obs:
        result = obs.stats(**filters)
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    from rich.console import Console

    from marsad.export import render_stats

    console = Console()
    for table in render_stats(result):
        console.print(table)


# -- live monitoring (feeds, watch) ---------------------------------------------------------


def _every(value: str) -> float:
    from marsad.watch import parse_every

    try:
        return parse_every(value)
    except MarsadError as exc:
        raise click.BadParameter(str(exc).split("] ", 1)[-1]) from None


def _ago(value: str | None) -> str:
    if value is None:
        return "never"
    seconds = (datetime.now().astimezone() - datetime.fromisoformat(value)).total_seconds()
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f}{unit} ago"
    return f"{max(0.0, seconds):.0f}s ago"


@main.group()
def feeds() -> None:
    """The feeds marsad watch polls, kept in the database with their health.

    Example: marsad feeds add https://example.org/world.rss --name example --every 5m
    """


@feeds.command(name="add")
@click.argument("url")
@click.option("--name", help="A short name for messages and feeds remove (default: the URL).")
@click.option("--every", default="5m", show_default=True, help="Poll interval: 30s, 5m, 2h, 1d.")
@db_option
def feeds_add(url: str, name: str | None, every: str, db: str | None) -> None:
    """Register a feed (a known URL gets the new name and interval).

    Example: marsad feeds add https://example.org/world.rss --name example --every 5m
    """
    from marsad import api
    from marsad.read.sources import web_url

    if web_url(url) is None:
        _fail(f"{url}: not an http(s) URL; give the feed's address", 2)
    seconds = _every(every)
    with _errors(), api.open(db) as obs:
        feed = obs.add_feed(url, name=name, every=seconds)
    click.echo(f"feed {shown(feed['name'])}: {shown(feed['url'])}, every {feed['every_seconds']} s")


@feeds.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@db_option
def feeds_import(file: str, db: str | None) -> None:
    """Register the [[feed]] tables (url, name, every) of a TOML file (docs/watch.md).

    Example: marsad feeds import feeds.toml
    """
    from marsad import api
    from marsad.store.monitor import Monitor
    from marsad.watch import add_feeds, load_feeds

    with _errors():
        specs = load_feeds(file)
        with api.open(db) as obs:
            done = add_feeds(Monitor(obs.store), specs)
    created = sum(1 for _, new in done if new)
    click.echo(f"{plural(created, 'feed')} added, {len(done) - created} updated")


@feeds.command(name="list")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
def feeds_list(db: str | None, fmt: str) -> None:
    """The feeds with their health: last success, last error, items seen, items per day.

    Example: marsad feeds list --format jsonl
    """
    from marsad import api

    with _errors(), api.open(db, create=False) as obs:
        found = obs.feeds()
    if fmt == "jsonl":
        for feed in found:
            click.echo(json.dumps(feed, ensure_ascii=False))
        return
    if not found:
        click.echo("no feeds; add one with: marsad feeds add URL")
        return
    for f in found:
        state = "ok" if not f["failures"] else f"failing ({f['failures']} in a row)"
        click.echo(f"{shown(f['name'])}  {shown(f['url'])}")
        click.echo(
            f"  every {f['every_seconds']} s, {state}, last success {_ago(f['last_success_at'])}, "
            f"{f['items_seen']} items seen, {f['items_per_day']:.1f} a day"
        )
        if f["last_error"]:
            click.echo(f"  last error {_ago(f['last_error_at'])}: {shown(f['last_error'])}")


@feeds.command(name="remove")
@click.argument("feed")
@db_option
def feeds_remove(feed: str, db: str | None) -> None:
    """Stop polling a feed, given by URL or name (its items stay seen).

    Example: marsad feeds remove example
    """
    from marsad import api

    with _errors(), api.open(db, create=False) as obs:
        if not obs.remove_feed(feed):
            _fail(f"no feed with the URL or name {feed!r}; see marsad feeds list")
    click.echo(f"removed {shown(feed)}")


@main.command()
@db_option
@click.option("--every", help="Poll every feed this often (30s, 5m); default: each feed's own interval.")
@click.option("--once", is_flag=True, help="Poll every feed once, then exit.")
@click.option(
    "--alerts", "alerts_file", type=click.Path(exists=True, dir_okay=False), help="Alert rules (TOML)."
)
@click.option(
    "--feeds",
    "feeds_file",
    type=click.Path(exists=True, dir_okay=False),
    help="Also register these feeds (TOML).",
)
@click.option("--user-agent", help="The User-Agent to send (default: marsad/VERSION (+project URL)).")
@click.option(
    "--host-interval",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    help="Seconds between the starts of two requests to one host.",
)
def watch(
    db: str | None,
    every: str | None,
    once: bool,
    alerts_file: str | None,
    feeds_file: str | None,
    user_agent: str | None,
    host_interval: float,
) -> None:
    """Poll the feeds, store each new article's events, send alerts; until SIGTERM or Ctrl-C.

    One log line a poll cycle on stderr; alerts as JSON lines on stdout (and wherever the
    rules file sends them). Stopping finishes the article in hand; a restart goes on where
    the last run stopped, without losing or repeating an item.

    Example: marsad watch --feeds feeds.toml --alerts alerts.toml --every 5m
    """
    from marsad import api
    from marsad.read.fetch import Fetcher

    seconds = _every(every) if every is not None else None
    with _errors():
        fetcher = Fetcher(agent=user_agent, min_interval=host_interval)
        with api.open(db) as obs:
            if not feeds_file and not obs.feeds():
                _fail("no feeds to watch; add one with marsad feeds add URL, or give --feeds FILE.toml")
            try:
                obs.watch(every=seconds, once=once, alerts=alerts_file, feeds=feeds_file, fetcher=fetcher)
            except KeyboardInterrupt:
                _fail("interrupted; the article in hand was rolled back and will be read again", 130)
            finally:
                fetcher.close()


# -- users ----------------------------------------------------------------------------------


@main.group()
def users() -> None:
    """Who may log in to marsad serve, and as what: viewer < analyst < admin.

    Viewers read (needed only with serve --private), analysts also edit events, admins
    everything. Passwords are kept argon2-hashed, tokens as their SHA-256 (docs/users.md).

    Example: marsad users add amina --role analyst
    """


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True))


@users.command(name="add")
@click.argument("name")
@click.option(
    "--role", type=click.Choice(["viewer", "analyst", "admin"]), default="viewer", show_default=True
)
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@db_option
def users_add(name: str, role: str, password_stdin: bool, db: str | None) -> None:
    """Add a user; the password is asked twice (or read from stdin), at least 8 characters.

    Example: marsad users add amina --role analyst
    """
    from marsad import api
    from marsad.store.users import check_name, check_password

    with _errors():
        check_name(name)
        password = _password(password_stdin)
        check_password(password)
        with api.open(db) as obs:
            user = obs.add_user(name, password, role=role)
    click.echo(f"added {shown(user['name'])} ({user['role']})")


@users.command(name="list")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
def users_list(db: str | None, fmt: str) -> None:
    """The users with their roles, bearer tokens and open sessions.

    Example: marsad users list
    """
    from marsad import api

    with _errors(), api.open(db, create=False) as obs:
        found = obs.users()
    if fmt == "jsonl":
        for user in found:
            click.echo(json.dumps(user, ensure_ascii=False))
        return
    if not found:
        click.echo("no users; add one with: marsad users add NAME --role analyst")
        return
    for u in found:
        click.echo(
            f"{shown(u['name'])}  {u['role']}  since {u['created_at'][:10]}, "
            f"{plural(u['tokens'], 'token')}, {plural(u['sessions'], 'session')}"
        )


@users.command(name="remove")
@click.argument("name")
@db_option
def users_remove(name: str, db: str | None) -> None:
    """Remove a user; their tokens and sessions stop working at once.

    Example: marsad users remove amina
    """
    from marsad import api

    with _errors(), api.open(db, create=False) as obs:
        if not obs.remove_user(name):
            _fail(f"no user {name!r}; see marsad users list")
    click.echo(f"removed {shown(name)}")


@users.command(name="role")
@click.argument("name")
@click.argument("role", type=click.Choice(["viewer", "analyst", "admin"]))
@db_option
def users_role(name: str, role: str, db: str | None) -> None:
    """Give a user another role (their sessions and tokens keep working, with the new role).

    Example: marsad users role amina admin
    """
    from marsad import api

    with _errors(), api.open(db, create=False) as obs:
        user = obs.set_role(name, role)
    click.echo(f"{shown(user['name'])} is now {user['role']}")


@users.command(name="password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@db_option
def users_password(name: str, password_stdin: bool, db: str | None) -> None:
    """Set a user's password (asked twice, or from stdin); their open sessions end.

    Example: marsad users password amina
    """
    from marsad import api
    from marsad.store.users import check_password

    with _errors():
        password = _password(password_stdin)
        check_password(password)
        with api.open(db, create=False) as obs:
            obs.set_password(name, password)
    click.echo(f"new password for {shown(name)}; their sessions ended")


@users.command(name="token")
@click.argument("name")
@click.option("--revoke", is_flag=True, help="Revoke every token of NAME instead of making one.")
@db_option
def users_token(name: str, revoke: bool, db: str | None) -> None:
    """Print a new bearer token for NAME's scripts (shown once: only its hash is kept).

    Send it as the header Authorization: Bearer TOKEN.

    Example: marsad users token amina
    """
    from marsad import api

    with _errors(), api.open(db, create=False) as obs:
        if revoke:
            n = obs.revoke_tokens(name)
            click.echo(f"revoked {plural(n, 'token')} of {shown(name)}")
            return
        token = obs.new_token(name)
    click.echo(token)


# -- serve ----------------------------------------------------------------------------------


@main.command()
@db_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but loopback lets the network read the database.",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="TCP port.")
@click.option(
    "--tiles",
    "tile_url",
    metavar="URL",
    default=None,
    help="Online map tiles ({z}/{x}/{y} template) under the offline outlines. Default: none, "
    "so the page makes no external request.",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    metavar="NAME",
    multiple=True,
    help="Also answer requests for this host name (repeatable). Others get 400, so a web page "
    "cannot reach marsad by DNS rebinding. Default: the loopback names, or the --host address.",
)
@click.option(
    "--private",
    is_flag=True,
    help="Reading needs a login too (a viewer at least; marsad users add). Default: reading is open, "
    "editing needs an analyst's login.",
)
def serve(
    db: str | None, host: str, port: int, tile_url: str | None, allow_hosts: tuple[str, ...], private: bool
) -> None:
    """Serve the JSON API and the map page until Ctrl-C (edits need a login: marsad users).

    The page (map, timeline, filters, event evidence) is at http://HOST:PORT/, the API
    under /api, its docs at /docs, versions at /-/versions.

    Example: marsad serve --db observatory.db --port 8000
    """
    from marsad.serve import serve as run

    extra: dict[str, Any] = {}
    if allow_hosts:
        extra["allow_hosts"] = allow_hosts
    if private:
        extra["private"] = True
    with _errors():
        run(db, host=host, port=port, tile_url=tile_url, **extra)


# -- extraction commands (extract, annotate, eval) -----------------------------------------


def _read_for_cli(
    paths: tuple[str, ...], publish_date: datetime | None, rejected: list[Any]
) -> Iterator[Any]:
    """Articles from PATHS; each rejected input is named on stderr and kept in ``rejected``."""
    from marsad.model import ReadError
    from marsad.read import read_paths

    for item in read_paths(paths, publish_date=_day(publish_date)):
        if isinstance(item, ReadError):
            click.echo(f"marsad: {shown(item)}", err=True)
            rejected.append(item)
        else:
            yield item


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--publish-date", type=_FORMAT_DATE, help="Publication date (YYYY-MM-DD) for every article.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "json"]),
    default="jsonl",
    show_default=True,
    help="jsonl: one article per line; json: one indented array.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=None,
    help="Processes to extract with (0 = one per core). Default: one per core for more than "
    "32 articles, else one.",
)
def extract(paths: tuple[str, ...], publish_date: datetime | None, fmt: str, workers: int | None) -> None:
    """Print the events each article reports, without a database.

    PATHS are files (.txt, .html, .json, .jsonl, RSS/Atom), directories, globs or '-'.
    One JSON object per article: article_id, source_path, publish_date, title,
    publisher, events (the EVENT fields of docs/events.md, each with its evidence).

    Example: marsad extract examples/articles/*.txt --publish-date 2018-06-10
    """
    from marsad.extract import extract_many

    rejected: list[Any] = []

    def failed(article: Any, reason: str) -> None:  # costs this article only
        click.echo(f"marsad: {shown(article.source_path or article.article_id)}: {reason}", err=True)
        rejected.append(article)

    with _errors():
        articles = _read_for_cli(paths, publish_date, rejected)
        results = extract_many(articles, workers=workers, on_error=failed)
        if fmt == "json":
            click.echo(json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False))
        else:
            for r in results:
                click.echo(json.dumps(r.to_dict(), ensure_ascii=False))
    sys.exit(1 if rejected else 0)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--publish-date", type=_FORMAT_DATE, help="Publication date (YYYY-MM-DD) for every article.")
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True, help="Output format."
)
def annotate(paths: tuple[str, ...], publish_date: datetime | None, fmt: str) -> None:
    """Print the annotation layers (places, dates, actors, numbers) with offsets.

    For inspecting what extraction sees, and for scoring the geocoder and the date
    resolver on their own. Dates carry TIMEX3-style values (2018-06-09, 2018-W23).

    Example: marsad annotate article.txt --publish-date 2018-06-10
    """
    from marsad.annotate.pipeline import Annotator
    from marsad.extract.pipeline import too_long

    rejected: list[Any] = []

    def parseable(articles: Iterator[Any]) -> Iterator[Any]:
        for article in articles:
            if (reason := too_long(article)) is not None:
                click.echo(f"marsad: {shown(article.source_path or article.article_id)}: {reason}", err=True)
                rejected.append(article)
            else:
                yield article

    with _errors():
        annotator = Annotator()
        for ann in annotator.annotate_many(parseable(_read_for_cli(paths, publish_date, rejected))):
            click.echo(json.dumps(ann.to_dict(), ensure_ascii=False))
    sys.exit(1 if rejected else 0)


@main.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.argument("pred", type=click.Path(exists=True, dir_okay=False))
@click.option("--supplied-dates", is_flag=True, help="Score dates with the gold's publish_date_if_supplied.")
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
def evaluate(gold: str, pred: str, supplied_dates: bool, as_json: bool) -> None:
    """Score `marsad extract` output against a gold file: event P/R/F1 and field accuracy.

    GOLD has one article per line in the format of shared/gold/seeds.jsonl.

    Example: marsad eval gold.jsonl pred.jsonl
    """
    from marsad.evaluate import evaluate_files

    with _errors():
        result = evaluate_files(gold, pred, supplied_dates=supplied_dates)
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    for key, value in result["fields"].items():
        value_text = "n/a" if value is None else f"{value:.2f}"
        click.echo(f"  {key:16s} {value_text}")
    click.echo(
        f"events P {result['precision']:.2f} R {result['recall']:.2f} F1 {result['f1']:.2f}; "
        f"field accuracy {result['fields_mean']:.2f}"
    )


@main.command(name="eval-linking")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
@click.option(
    "--errors/--no-errors", default=True, show_default=True, help="List merged and split gold clusters."
)
@click.option(
    "--extract",
    "use_extractor",
    is_flag=True,
    help="Link what the real extractor finds in the gold texts instead of the gold's own coding.",
)
def eval_linking(gold: str, as_json: bool, errors: bool, use_extractor: bool) -> None:
    """Score linking on a gold set: pairwise and B-cubed P/R/F1, hard negatives kept apart.

    GOLD has one report a line with its gold cluster and hard-negative groups, in the format
    of tests/link/data/linking_gold.jsonl (docs/linking.md). Exit code 1 if a hard
    negative was merged.

    Example: marsad eval-linking tests/link/data/linking_gold.jsonl
    """
    from marsad.link.evaluate import evaluate, extracted_reports, load_gold

    with _errors():
        result = evaluate(extracted_reports(gold) if use_extractor else load_gold(gold))
    if as_json:
        click.echo(json.dumps(result, indent=2))
    else:
        click.echo(
            f"{result['reports']} reports, {result['gold_clusters']} gold events "
            f"({result['multi_report_clusters']} told by several reports), "
            f"{result['events']} linked events"
        )
        for name in ("pairwise", "bcubed"):
            r = result[name]
            label = "B-cubed" if name == "bcubed" else "pairwise"
            click.echo(f"  {label:9s} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}")
        merged = result["hard_negatives_merged"]
        kept, total = result["hard_negatives_kept_apart"], result["hard_negatives"]
        note = f" (merged: {', '.join(merged)})" if merged else ""
        click.echo(f"  hard negatives kept apart {kept}/{total}{note}")
        if errors:
            for line in result["errors"]:
                click.echo(f"  {line}")
    sys.exit(1 if result["hard_negatives_merged"] else 0)


# analysts' commands (verify, edit, reject, merge, split, review): registered on ``main``
from marsad import cli_review  # noqa: E402,F401

if __name__ == "__main__":
    main()
