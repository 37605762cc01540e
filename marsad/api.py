"""The public Python API: ``marsad.open(url)`` gives an :class:`Observatory`.

The command line is a thin shell over this module: ``marsad ingest`` is
``Observatory.ingest``, ``marsad events`` is ``Observatory.export`` and so on.

    >>> import marsad
    >>> obs = marsad.open("observatory.db")          # or postgresql+psycopg://...
    >>> obs.ingest(["examples/"]).exit_code
    0
    >>> df = obs.to_pandas(country="Syria", since="2018-06-01")
"""

from __future__ import annotations

import builtins
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from itertools import islice
from os import PathLike
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from marsad.model import Article, ArticleResult, ReadError
from marsad.store import IngestSummary, Store
from marsad.store import knowledge as _knowledge
from marsad.store.filters import FilterError, check_filters, check_page
from marsad.store.write import extractor_version

if TYPE_CHECKING:
    import pandas

__all__ = ["FilterError", "IngestSummary", "Observatory", "Store", "open"]

Paths = str | PathLike[str] | Iterable[str | PathLike[str]]
FORMATS = ("jsonl", "csv", "geojson", "plover", "cameo", "ucdp")
EMPTY = "no text after boilerplate removal"


class Observatory:
    """A marsad database with the whole pipeline in front of it: ingest, query, export."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __repr__(self) -> str:
        return f"<Observatory {self.store.display_url}>"

    def __enter__(self) -> Observatory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    # -- ingest --------------------------------------------------------------------

    def ingest(
        self,
        paths: Paths,
        *,
        workers: int = 1,
        publish_date: date | str | None = None,
        progress: bool = False,
        batch_size: int = 50,
        max_bytes: int | None = None,
        on_reject: Callable[[ReadError], None] | None = None,
        cluster: Any = None,
    ) -> IngestSummary:
        """Read, extract and store files, directories (recursive), globs or ``-``.

        Texts already stored are skipped before extraction, so re-running an ingest
        (after a crash, say) only does what is left. Rejected inputs are kept in
        ``summary.rejected`` with their reasons (and passed to ``on_reject``);
        everything else is stored. ``progress`` shows a bar on a terminal, plain
        lines on stderr otherwise. ``max_bytes`` refuses larger files unread.

        ``cluster`` (a Dask scheduler address such as ``tcp://10.0.0.5:8786``, a
        ``distributed`` cluster or client) extracts on that cluster's workers instead of
        ``workers`` local processes; reading and storing stay here (see docs/scale.md).
        Losing the scheduler raises :class:`marsad.errors.ClusterError`, keeping what
        was stored.
        """
        from marsad.read import read_paths  # readers pull in trafilatura: only when ingesting

        if isinstance(publish_date, str):
            publish_date = date.fromisoformat(publish_date)
        limit = {} if max_bytes is None else {"max_bytes": max_bytes}  # else the readers' default
        path_list = _path_list(paths)
        total = _estimate(path_list, max_bytes) if progress else None
        items = read_paths(path_list, publish_date=publish_date, **limit)
        return self.ingest_articles(
            items,
            workers=workers,
            progress=progress,
            batch_size=batch_size,
            on_reject=on_reject,
            total=total,
            cluster=cluster,
        )

    def ingest_articles(
        self,
        items: Iterable[Article | ReadError],
        *,
        workers: int = 1,
        progress: bool = False,
        batch_size: int = 50,
        on_reject: Callable[[ReadError], None] | None = None,
        total: int | None = None,
        cluster: Any = None,
    ) -> IngestSummary:
        """``ingest`` for articles you read yourself (or a reader's mixed output).

        ``total`` (how many items to expect, if known) gives the progress a bar, a rate
        and the time left; ``cluster`` is as in :meth:`ingest`."""
        from marsad.extract import extract_many

        started = time.monotonic()
        summary = IngestSummary()
        version = extractor_version()
        reporter = _Reporter(progress, on_reject, total=total)

        def fresh() -> Iterator[Article]:
            seen: set[str] = set()
            it = iter(items)
            while chunk := list(islice(it, batch_size)):
                good: list[Article] = []
                for item in chunk:
                    if isinstance(item, Article) and not item.text.strip():
                        item = ReadError(item.source_path or item.article_id, EMPTY)
                    if isinstance(item, ReadError):
                        summary.rejected.append(item)
                        reporter.reject(item)
                        continue
                    summary.read += 1
                    good.append(item)
                pending = self.store.pending([a.content_hash for a in good], extractor_version=version)
                for article in good:
                    h = article.content_hash
                    if h in seen or h not in pending:
                        summary.duplicates += 1
                        reporter.skip()
                    else:
                        yield article
                    seen.add(h)

        def failed(article: Article, reason: str) -> None:  # costs this article only
            error = ReadError(article.source_path or article.article_id, reason)
            if article.source_path and article.article_id != Path(article.source_path).stem:
                error = ReadError(article.source_path, f"(id {article.article_id}) {reason}")
            summary.rejected.append(error)
            reporter.reject(error)

        with reporter:
            if cluster is None:
                extracted = extract_many(fresh(), workers=workers, on_error=failed)
            else:
                from marsad.cluster import extract_on_cluster

                extracted = extract_on_cluster(fresh(), cluster, on_error=failed)
            results = reporter.count(extracted)
            stored = self.store.add(
                results, batch_size=batch_size, extractor_version=version, on_batch=reporter.batch
            )
        summary.merge(stored)
        summary.seconds = time.monotonic() - started
        return summary

    # -- live monitoring -----------------------------------------------------------

    def add_feed(self, url: str, *, name: str | None = None, every: str | float = "5m") -> dict[str, Any]:
        """Register a feed for :meth:`watch` (a known URL gets the new name and interval)."""
        from marsad.store.monitor import Monitor
        from marsad.watch import parse_every

        feed, _ = Monitor(self.store).add_feed(
            url, name=name, every_seconds=max(1, round(parse_every(every)))
        )
        return feed.to_dict()

    def remove_feed(self, url_or_name: str) -> bool:
        """Forget a feed by URL or name (its items stay seen); False if there was none."""
        from marsad.store.monitor import Monitor

        return Monitor(self.store).remove_feed(url_or_name) is not None

    def feeds(self) -> list[dict[str, Any]]:
        """The registered feeds with their health: last success, last error, items seen, items per day."""
        from marsad.store.monitor import Monitor

        return [f.to_dict() for f in Monitor(self.store).feeds()]

    def watch(
        self,
        *,
        every: str | float | None = None,
        once: bool = False,
        cycles: int | None = None,
        alerts: str | PathLike[str] | Any | None = None,
        feeds: str | PathLike[str] | None = None,
        fetcher: Any | None = None,
        log: Callable[[str], None] | None = None,
        stdout: IO[str] | None = None,
    ) -> list[Any]:
        """Poll the registered feeds (plus those of a ``feeds`` TOML file) until stopped.

        Each new item's article goes through :meth:`ingest_articles`; ``alerts`` (a rules
        TOML file or a loaded ``AlertConfig``) sends alerts for the events it is in.
        ``every`` overrides every feed's interval ("10s", "5m", or seconds); ``once`` polls
        once; SIGTERM or Ctrl-C stop after the article in hand. Returns each cycle's stats.
        """
        from marsad.export.alerts import load_alerts
        from marsad.store.monitor import Monitor
        from marsad.watch import Watcher, add_feeds, load_feeds, parse_every

        config = load_alerts(alerts) if isinstance(alerts, str | PathLike) else alerts
        if feeds is not None:
            add_feeds(Monitor(self.store), load_feeds(feeds))
        watcher = Watcher(
            self,
            every=parse_every(every) if every is not None else None,
            alerts=config,
            fetcher=fetcher,
            log=log,
            stdout=stdout,
        )
        return watcher.run(once=once, cycles=cycles)

    # -- users (who may log in to marsad serve, and as what) --------------------------

    def add_user(self, name: str, password: str, *, role: str = "viewer") -> dict[str, Any]:
        """A new user with a role (viewer < analyst < admin); the password is kept argon2-hashed.

        Raises :class:`marsad.errors.AccessError` for a taken name, an unknown role or a
        password shorter than 8 characters."""
        from marsad.store.users import Users

        return Users(self.store).add(name, password, role=role).to_dict()

    def remove_user(self, name: str) -> bool:
        """Remove a user with their tokens and sessions; False if there was none."""
        from marsad.store.users import Users

        return Users(self.store).remove(name)

    def users(self) -> list[dict[str, Any]]:
        """Every user (name, role, created_at, tokens, live sessions), by name."""
        from marsad.store.users import Users

        return [u.to_dict() for u in Users(self.store).all()]

    def set_role(self, name: str, role: str) -> dict[str, Any]:
        """Give a user another role; AccessError for an unknown user or role."""
        from marsad.store.users import Users

        return Users(self.store).set_role(name, role).to_dict()

    def set_password(self, name: str, password: str) -> None:
        """Set a user's password (argon2-hashed); their open sessions end, their tokens stay."""
        from marsad.store.users import Users

        Users(self.store).set_password(name, password)

    def new_token(self, name: str) -> str:
        """A new bearer token for a user's scripts (``Authorization: Bearer ...``); shown only now."""
        from marsad.store.users import Users

        return Users(self.store).new_token(name)

    def revoke_tokens(self, name: str) -> int:
        """Revoke every bearer token of a user; how many there were."""
        from marsad.store.users import Users

        return Users(self.store).revoke_tokens(name)

    def authenticate(self, name: str, password: str) -> dict[str, Any] | None:
        """The user (as :meth:`users` lists them) if the password is right, else None."""
        from marsad.store.users import Users

        user = Users(self.store).authenticate(name, password)
        return None if user is None else user.to_dict()

    # -- query ---------------------------------------------------------------------

    def events(self, *, as_of: datetime | date | str | None = None, **filters: Any) -> list[dict[str, Any]]:
        """EVENT dicts; filters: country, admin1, since, until, actor, event_type,
        sub_event_type, min_fatalities, text, status, limit, offset (``status``: provisional,
        verified, edited, rejected, several, or "all"; default: all but the rejected).

        ``as_of`` (a datetime, or a date meaning the end of that day, UTC; ISO text too)
        gives the dataset as it was then: each event's fields at that time, events deleted
        since back, later ones absent; the filters test the fields as they were (``text``
        searches notes, actors and place: quotes are not kept in the history)."""
        if as_of is not None:
            return self.store.events_as_of(_when(as_of), **_dates(filters))
        return self.store.events(**_dates(filters))

    def history(self, event_id: str) -> list[dict[str, Any]]:
        """Every change to the event, oldest first: ``{at, by, why, kind, field, old, new}``.

        ``kind`` is ``added`` (``new``: the record), ``changed`` (one entry per field that
        changed), ``deleted``, or ``merged`` (its reports went to the event in ``new``). ``by``
        is the analyst, or ``marsad <version>`` for the machine. [] for an id never stored."""
        return self.store.history(event_id)

    def changes(self, *, since: datetime | date | str) -> list[dict[str, Any]]:
        """Events added, changed and deleted at or after ``since`` (a date: from its start,
        UTC), compared with the dataset just before it: ``{event_id, kind, at, by, why,
        fields, merged_into}``; ``fields`` names what changed, ``merged_into`` where a
        deleted event's reports went (None if they went with it). ACLED's deletion list is
        the ``deleted`` ones."""
        return self.store.changed_since(_when(since))

    def count_events(self, **filters: Any) -> int:
        return self.store.count_events(**_dates(filters))

    def event(self, event_id: str) -> dict[str, Any] | None:
        return self.store.event(event_id)

    def article(self, article_id: str) -> dict[str, Any] | None:
        return self.store.article(article_id)

    def actors(self) -> list[dict[str, Any]]:
        return self.store.actors()

    def stats(self, **filters: Any) -> dict[str, list[dict[str, Any]]]:
        return self.store.stats(**_dates(filters))

    # -- review (docs/review.md) ---------------------------------------------------

    def verify(self, event_id: str, *, user: str, reason: str = "") -> dict[str, Any]:
        """Confirm an event as it is: status ``verified``; its fields are the analyst's from now
        on (a new report that says otherwise flags the event instead of changing it)."""
        return self.store.review_action("verify", event_id, user=user, reason=reason)[0]

    def edit(self, event_id: str, fields: dict[str, Any], *, user: str, reason: str = "") -> dict[str, Any]:
        """Set fields (``{"fatalities": 15, "actor2": "Civilians (Sudan)"}``): status ``edited``;
        re-extraction, re-linking and re-ingest keep these values. EditError for a field that
        cannot be edited or a bad value."""
        return self.store.review_action("edit", event_id, user=user, reason=reason, fields=fields)[0]

    def reject(self, event_id: str, *, user: str, reason: str = "") -> dict[str, Any]:
        """Not an event (or not one to publish): status ``rejected``, left out of listings and
        exports unless asked for (``status="rejected"`` or ``"all"``)."""
        return self.store.review_action("reject", event_id, user=user, reason=reason)[0]

    def merge(self, keep_id: str, other_id: str, *, user: str, reason: str = "") -> dict[str, Any]:
        """One event from two: their reports stay together whatever later reports say. The
        merged event's id is its founding (first published) report's, as for any event."""
        return self.store.review_action("merge", keep_id, user=user, reason=reason, other=other_id)[0]

    def split(
        self, event_id: str, report_ids: list[str], *, user: str, reason: str = ""
    ) -> list[dict[str, Any]]:
        """Two events from one: ``report_ids`` (some of its reports) leave it and stay apart
        from the rest. Returns [the rest, the part split off]."""
        return self.store.review_action("split", event_id, user=user, reason=reason, report_ids=report_ids)

    def review_queue(self, limit: int = 20, **filters: Any) -> list[dict[str, Any]]:
        """Events waiting for an analyst: flagged first, then the least confident (when
        events have a confidence), the largest tolls, sources that disagree. Each is the
        event with its evidence (``claims``) and ``review_reasons``."""
        return self.store.review_queue(limit, **_dates(filters))

    def edits(self, event_id: str) -> list[dict[str, Any]]:
        """The analysts' actions that apply to this event now, oldest first."""
        return self.store.edits(event_id)

    def to_pandas(self, *, acled: bool = False, **filters: Any) -> pandas.DataFrame:
        """Events as a DataFrame: EVENT columns (event_date as datetime64), or ACLED's."""
        import pandas as pd

        from marsad.export import ACLED_COLUMNS, acled_row
        from marsad.store.query import EVENT_KEYS

        rows = self.events(**filters)
        if acled:
            cats = self._categories()
            stamps = self.store.timestamps()
            return pd.DataFrame(
                [
                    acled_row(e, category=lambda n: cats.get(n, ""), timestamp=stamps.get(e["event_id"]))
                    for e in rows
                ],
                columns=list(ACLED_COLUMNS),
            )
        df = pd.DataFrame(rows, columns=list(EVENT_KEYS))
        df["event_date"] = pd.to_datetime(df["event_date"])
        return df

    def export(
        self,
        out: IO[str],
        *,
        format: Literal["jsonl", "csv", "geojson", "plover", "cameo", "ucdp"] = "jsonl",
        limit: int | None = None,
        as_of: datetime | date | str | None = None,
        **filters: Any,
    ) -> int:
        """Write matching events to ``out`` as jsonl, ACLED csv, GeoJSON, PLOVER JSON lines,
        CAMEO (GDELT-style) csv or UCDP GED csv; returns how many records were written
        (PLOVER, CAMEO and UCDP leave out the events their scheme cannot express).

        Streams from one database snapshot, so exports larger than memory work.
        ``as_of`` exports the dataset as it was then (see :meth:`events`).
        """
        from marsad.export import write_csv, write_geojson, write_jsonl

        if format not in FORMATS:
            raise ValueError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
        limit = check_page(limit, 0)[0]
        events: Iterable[dict[str, Any]]
        stamps_of: Callable[[], dict[str, int]]
        if as_of is not None:
            rows = self.store.events_as_of(_when(as_of), **_dates(filters))
            then = {e["event_id"]: _unix(e["updated_at"]) for e in rows}  # ACLED's timestamp: its version's
            events, stamps_of = rows, then.copy
        else:
            events, stamps_of = self.store.iter_events(**_dates(filters)), self.store.timestamps
        if limit is not None:
            events = islice(events, limit)
        if format == "jsonl":
            return write_jsonl(events, out)
        if format == "csv":
            stamps = stamps_of()
            return write_csv(events, out, categories=self._categories(), timestamps=stamps.get)
        if format == "geojson":
            return write_geojson(events, out)
        if format in ("plover", "cameo", "ucdp"):
            from marsad.export import write_scheme

            stamps = stamps_of()
            cats = self._categories()
            return write_scheme(
                format, events, out, categories=cats, timestamps=stamps.get, articles=self.article
            )
        raise ValueError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")

    def _categories(self) -> dict[str, str]:
        """Actor categories: the knowledge base now, else what was known at ingest."""
        return {a["name"]: _knowledge.category(a["name"]) or a["category"] for a in self.store.actors()}


def open(url: str | None = None, *, create: bool = True) -> Observatory:
    """Open (creating and migrating if needed) the marsad database at ``url``.

    ``None`` means $MARSAD_DB or ./marsad.db; a plain path is a SQLite file;
    ``postgresql+psycopg://user@host/db`` is PostgreSQL. ``create=False`` refuses a
    SQLite file that does not exist rather than making an empty one.
    """
    return Observatory(Store(url, create=create))


def _path_list(paths: Paths) -> list[str]:
    if isinstance(paths, str | PathLike):
        return [str(paths)]  # one path, not its characters
    return [str(p) for p in paths]


def _dates(filters: dict[str, Any]) -> dict[str, Any]:
    """Filters checked and canonical (ISO date strings as dates); ValueError naming the
    valid values for one that could never match (``event_type="bombing"``)."""
    return check_filters(filters)


def _when(value: datetime | date | str) -> datetime | date:
    """A time or a date; ISO text is either (``2026-12-01``, ``2026-12-01T12:00:00+00:00``)."""
    if isinstance(value, datetime | date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    except ValueError:
        raise FilterError(
            f"{text[:40]!r} is not a date or time; use YYYY-MM-DD or YYYY-MM-DDTHH:MM"
        ) from None


def _unix(iso: str) -> int:
    return int(datetime.fromisoformat(iso).timestamp())


def _estimate(paths: list[str], max_bytes: int | None) -> int | None:
    """How many articles these paths hold, roughly: one a file, one a line of JSON Lines.

    For the progress bar only (feeds and JSON lists count one until read); None when
    standard input is among them (it cannot be read twice).
    """
    from marsad.read import sources

    limit = max_bytes or 5_000_000
    n = 0
    for item in sources.expand(paths):
        if isinstance(item, ReadError):
            n += 1
            continue
        if item.path is None:
            return None
        if Path(item.path).suffix.lower() in (".jsonl", ".ndjson", ".jsonlines"):
            try:
                if os.path.getsize(item.path) <= limit:
                    with builtins.open(item.path, "rb") as handle:
                        n += max(1, sum(1 for line in handle if line.strip()))
                    continue
            except OSError:
                pass
        n += 1
    return n


def _rate_column() -> Any:
    """A rich column: articles a second, from rich's own speed estimate (rich loads late)."""
    from rich.progress import ProgressColumn
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            return Text("" if speed is None else f"{speed:.1f}/s")

    return Rate()


class _Reporter:
    """Ingest progress: a rich bar on a terminal, one line per batch in a pipe.

    With a ``total`` both show how far along the run is, its rate and the time left.
    """

    def __init__(
        self, enabled: bool, on_reject: Callable[[ReadError], None] | None, *, total: int | None = None
    ) -> None:
        self.enabled = enabled
        self.on_reject = on_reject
        self.total = total
        self.stream = sys.stderr
        self.live = enabled and self.stream.isatty()
        self.extracted = self.skipped = self.rejected = self.stored = self.reports = 0
        self.started = time.monotonic()
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> _Reporter:
        if self.live:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            columns: list[Any] = [SpinnerColumn()]
            if self.total is not None:  # kept narrow: an 80-column terminal shows it all
                columns += [BarColumn(bar_width=12), MofNCompleteColumn(), _rate_column()]
                columns += [TextColumn("ETA"), TimeRemainingColumn()]
            else:
                columns += [TimeElapsedColumn()]
            columns += [TextColumn("{task.description}")]
            self._progress = Progress(*columns, console=Console(stderr=True), transient=True)
            self._progress.start()
            self._task = self._progress.add_task(self._text(), total=self.total)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    @property
    def done(self) -> int:
        return self.extracted + self.skipped + self.rejected

    def _text(self) -> str:
        if self.done == 0 and self.stored == 0:
            # the first article waits for the language model and the place index to load
            return "loading the model and place index (first run: 1-2 min)"
        if self.live and self.total is not None:  # the bar shows how many were extracted
            return f"stored {self.stored}, skipped {self.skipped}, rejected {self.rejected}"
        return (
            f"extracted {self.extracted}, stored {self.stored} articles / {self.reports} reports, "
            f"skipped {self.skipped}, rejected {self.rejected}"
        )

    def _update(self) -> None:
        if self._progress is not None:
            if self.total is not None and self.done > self.total:
                self.total = self.done  # a feed or JSON list held more than one article
            self._progress.update(self._task, description=self._text(), completed=self.done, total=self.total)

    def _eta(self, elapsed: float) -> str:
        """'120/500 articles (24%), 3.1 articles/s, about 2 min left; ' (empty without a total)."""
        if self.total is None or self.done == 0:
            return ""
        total = max(self.total, self.done)
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = (total - self.done) / rate if rate > 0 else 0.0
        when = f"{left:.0f} s" if left < 90 else f"{left / 60:.0f} min"
        share = 100 * self.done // total
        return f"{self.done}/{total} articles ({share}%), {rate:.1f} articles/s, about {when} left; "

    def count(self, results: Iterable[ArticleResult]) -> Iterator[ArticleResult]:
        for result in results:
            self.extracted += 1
            self._update()
            yield result

    def skip(self) -> None:
        self.skipped += 1
        self._update()

    def reject(self, error: ReadError) -> None:
        self.rejected += 1
        if self.on_reject is not None:
            self.on_reject(error)  # rich redirects stderr above the bar while it is live
        self._update()

    def batch(self, done: IngestSummary) -> None:
        for error in done.rejected:  # a record the database refused: it alone is lost
            self.reject(error)
        self.stored += done.articles
        self.reports += done.reports
        self._update()
        if self.enabled and not self.live:
            elapsed = time.monotonic() - self.started
            print(
                f"marsad: {self._eta(elapsed)}{self._text()} ({elapsed:.1f} s)", file=self.stream, flush=True
            )
