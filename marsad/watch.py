"""Live monitoring: poll feeds, read each new item's article, store its events, send alerts.

``marsad watch`` and ``Observatory.watch`` run a :class:`Watcher`. A poll cycle:

1. deliver alerts left undelivered (a crash, a sink that was down);
2. fetch every feed that is due, a few at a time (marsad.read.fetch: timeouts, size caps,
   conditional GET, robots.txt, a pace per host); a failing feed backs off exponentially
   and its reason is kept as its health, while the other feeds go on;
3. for each item not seen before (by normalised URL, else feed and guid): fetch its page
   and take the main text (trafilatura), else the item's own description; then the same
   path as ``ingest`` (``Observatory.ingest_articles``: extract, link, store, one
   transaction), the alert rules over the events the article is in, and only then the
   item is marked seen;
4. one log line: feeds polled, new items, articles, events, alerts, errors.

Crash safety: an item is marked seen only after its article's events are committed and
its alerts recorded (an outbox in the store, delivered after). A ``kill -9`` at any point
makes the restart redo at most the item in hand: ``ingest`` skips a text already stored,
an alert is keyed by rule, event, kind and toll, and a feed's ETag is kept only once all
its items are done (else the restart would be told "304 Not Modified" and miss them).
SIGTERM and Ctrl-C finish the article in hand, then stop.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import IO, TYPE_CHECKING, Any

from marsad.errors import WatchError
from marsad.export.alerts import AlertConfig, DeliveryError, Rule, payload, read_toml, sinks
from marsad.model import ReadError
from marsad.read import feed as feeds
from marsad.read.fetch import Fetcher, FetchError, Response, normalise_url
from marsad.read.sources import one_line
from marsad.store.monitor import Feed, Monitor, alert_id, now, utc

if TYPE_CHECKING:
    from marsad.api import Observatory

DEFAULT_EVERY = 300  # seconds between polls of a feed
MAX_BACKOFF = 6 * 3600  # a failing feed is still tried at least this often
PAGE_ATTEMPTS = 3  # cycles an item whose page and description both fail is retried
DELIVERY_ATTEMPTS = 5  # an alert's delivery to one sink is tried in this many cycles
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"

_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$", re.IGNORECASE)
_UNIT = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def parse_every(value: str | int | float) -> float:
    """An interval as seconds: ``90``, ``10s``, ``5m``, ``2h``, ``1d``; WatchError otherwise."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    else:
        match = _EVERY.match(str(value))
        if not match:
            raise WatchError(f"{value!r} is not an interval; write 30s, 5m, 2h or 1d")
        seconds = float(match.group(1)) * _UNIT[(match.group(2) or "s").lower()]
    if not 0 < seconds <= 7 * 86400:
        raise WatchError(f"{value!r}: an interval must be above 0 and at most 7 days")
    return seconds


@dataclass(frozen=True)
class FeedSpec:
    url: str
    name: str | None = None
    every: float = DEFAULT_EVERY


def load_feeds(path: str | os.PathLike[str]) -> list[FeedSpec]:
    """The ``[[feed]]`` tables (url, optional name and every) of a TOML file."""
    where = str(path)
    data = read_toml(path, "feed list")
    raw = data.get("feed")
    unknown = set(data) - {"feed"}
    if unknown or not isinstance(raw, list) or not raw:
        raise WatchError(f"{where}: give the feeds as [[feed]] tables with url, name, every (docs/watch.md)")
    out = []
    for n, entry in enumerate(raw, 1):
        here = f"{where}: feed {n}"
        if not isinstance(entry, dict):
            raise WatchError(f"{here}: not a table")
        bad = set(entry) - {"url", "name", "every"}
        if bad:
            raise WatchError(f"{here}: unknown key {sorted(bad)[0]!r}; use url, name, every")
        url = entry.get("url")
        if not isinstance(url, str) or not url.strip().lower().startswith(("http://", "https://")):
            raise WatchError(f"{here}: url: give an http(s) URL")
        name = entry.get("name")
        if name is not None and (not isinstance(name, str) or not name.strip()):
            raise WatchError(f"{here}: name: give a non-empty string")
        every = parse_every(entry["every"]) if "every" in entry else DEFAULT_EVERY
        out.append(FeedSpec(url.strip(), name.strip() if name else None, every))
    return out


def item_key(item: feeds.Item, feed_url: str) -> str:
    """What makes two items the same: the normalised URL, else the feed and guid, else the text."""
    if item.link:
        basis = "url:" + normalise_url(item.link)
    elif item.guid:
        basis = f"guid:{normalise_url(feed_url)}\x00{item.guid}"
    else:
        basis = f"text:{normalise_url(feed_url)}\x00{item.title or ''}\x00{item.description}"
    return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class CycleStats:
    """What one poll cycle did (the log line, and for tests and scripts)."""

    cycle: int = 0
    polled: int = 0
    not_modified: int = 0
    failed: int = 0
    new_items: int = 0
    articles: int = 0
    events: int = 0
    alerts: int = 0
    errors: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"marsad watch: cycle {self.cycle}: {self.polled} feeds polled "
            f"({self.not_modified} not modified, {self.failed} failed), {self.new_items} new items, "
            f"{self.articles} articles stored, "
            f"{self.events} events, {self.alerts} alerts, {self.errors} errors ({self.seconds:.1f} s)"
        )


@dataclass
class _Polled:
    feed: Feed
    response: Response | None = None
    error: FetchError | None = None


class Watcher:
    """Polls the store's feeds into the store; :meth:`run` until stopped, or one :meth:`cycle`."""

    def __init__(
        self,
        obs: Observatory,
        *,
        every: float | None = None,
        alerts: AlertConfig | None = None,
        fetcher: Fetcher | None = None,
        log: Callable[[str], None] | None = None,
        stdout: IO[str] | None = None,
        workers: int = 4,
    ) -> None:
        self.obs = obs
        self.monitor = Monitor(obs.store)
        self.every = every
        self.rules: tuple[Rule, ...] = alerts.rules if alerts else ()
        self.map_url = alerts.delivery.map_url if alerts else ""
        self.sinks = sinks(alerts.delivery, stdout=stdout) if alerts else {}
        self.fetcher = fetcher or Fetcher()
        self._own_fetcher = fetcher is None
        self.log = log or (lambda line: print(line, file=sys.stderr, flush=True))
        self.workers = max(1, workers)
        self.stopping = threading.Event()
        self.cycles = 0
        self._attempts: dict[str, int] = {}  # item key -> cycles its page and description failed

    # -- running ----------------------------------------------------------------------

    def stop(self) -> None:
        """Finish the article in hand, then return from :meth:`run`."""
        self.stopping.set()

    def run(self, *, once: bool = False, cycles: int | None = None) -> list[CycleStats]:
        """Poll until :meth:`stop`, SIGTERM or Ctrl-C (or ``once``, or ``cycles`` cycles)."""
        handlers = self._install_signals()
        done: list[CycleStats] = []
        try:
            while not self.stopping.is_set():
                done.append(self.cycle(every_feed=once))
                if once or (cycles is not None and len(done) >= cycles):
                    break
                self.stopping.wait(self._sleep())
        finally:
            for sig, old in handlers.items():
                signal.signal(sig, old)
            if self._own_fetcher:
                self.fetcher.close()
        return done

    def _install_signals(self) -> dict[int, Any]:
        if threading.current_thread() is not threading.main_thread():
            return {}
        old: dict[int, Any] = {}

        def graceful(signum: int, _frame: object) -> None:
            if self.stopping.is_set() and signum == signal.SIGINT:
                raise KeyboardInterrupt  # a second Ctrl-C: stop now (the transaction rolls back)
            self.log(
                f"marsad watch: {signal.Signals(signum).name}: finishing the article in hand, then stopping"
            )
            self.stop()

        for sig in (signal.SIGTERM, signal.SIGINT):
            old[sig] = signal.signal(sig, graceful)
        return old

    def _interval(self, feed: Feed) -> float:
        return float(self.every or feed.every_seconds)

    def _due(self, feed: Feed, at: datetime) -> bool:
        if feed.next_poll_at is None or feed.next_poll_at <= at:
            return True
        last = feed.last_polled_at
        return (
            feed.failures == 0 and last is not None and last + timedelta(seconds=self._interval(feed)) <= at
        )

    def _sleep(self) -> float:
        """Seconds until the next feed is due (at least 0.2, at most one interval)."""
        at = now()
        waits = []
        for f in self.monitor.feeds():
            nxt = f.next_poll_at or at
            if f.failures == 0 and f.last_polled_at is not None:
                nxt = min(nxt, f.last_polled_at + timedelta(seconds=self._interval(f)))
            waits.append((nxt - at).total_seconds())
        default = float(self.every or DEFAULT_EVERY)
        return max(0.2, min(waits or [default], default=default))

    # -- one cycle ----------------------------------------------------------------------

    def cycle(self, *, every_feed: bool = False) -> CycleStats:
        """Poll the feeds that are due (``every_feed``: all of them, backing off or not)."""
        started = time.monotonic()
        self.cycles += 1
        stats = CycleStats(cycle=self.cycles)
        self._deliver(stats)
        at = now()
        due = [f for f in self.monitor.feeds() if every_feed or self._due(f, at)]
        pool = ThreadPoolExecutor(max_workers=self.workers)
        try:
            polled = list(pool.map(self._poll, due))
            for p in polled:
                if self.stopping.is_set():
                    break
                stats.polled += 1
                self._feed(p, pool, stats)
        finally:  # on a stop, page fetches not yet started are dropped (their items stay unseen)
            pool.shutdown(wait=True, cancel_futures=True)
        self._deliver(stats)
        stats.seconds = time.monotonic() - started
        self.log(stats.line())
        return stats

    def _poll(self, feed: Feed) -> _Polled:
        try:
            response = self.fetcher.get(
                feed.url, etag=feed.etag, last_modified=feed.last_modified, accept=FEED_ACCEPT
            )
        except FetchError as exc:
            return _Polled(feed, error=exc)
        return _Polled(feed, response=response)

    def _failed(self, feed: Feed, reason: str, stats: CycleStats, retry_after: float | None = None) -> None:
        interval = self._interval(feed)
        delay = min(interval * 2 ** min(feed.failures + 1, 16), max(interval, MAX_BACKOFF))
        if retry_after is not None:
            delay = max(delay, min(retry_after, 86400.0))
        if feed.last_error != reason or feed.failures == 0:  # a new fault: say it once
            self.log(f"marsad watch: feed {feed.name}: {reason}")
        self.monitor.record_poll(feed.feed_id, error=reason, next_poll_at=now() + timedelta(seconds=delay))
        stats.failed += 1
        stats.errors += 1
        stats.problems.append(f"{feed.name}: {reason}")

    def _feed(self, polled: _Polled, pool: ThreadPoolExecutor, stats: CycleStats) -> None:
        feed = polled.feed
        if polled.error is not None:
            self._failed(feed, str(polled.error), stats, polled.error.retry_after)
            return
        response = polled.response
        assert response is not None
        next_poll = now() + timedelta(seconds=self._interval(feed))
        if response.not_modified:
            stats.not_modified += 1
            self.monitor.record_poll(feed.feed_id, error=None, next_poll_at=next_poll)
            return
        found = feeds.items(feed.url, response.body, headers=response.headers, base=response.url)
        if isinstance(found, ReadError):
            self._failed(feed, found.reason, stats)
            return
        # repeated items (in this feed, or read from another feed before) are dealt with once
        keyed: dict[str, feeds.Item] = {}
        for item in found:
            keyed.setdefault(item_key(item, feed.url), item)
        seen = self.monitor.seen(keyed)
        new = [(k, item) for k, item in keyed.items() if k not in seen]
        stats.new_items += len(new)
        finished = True
        pages = pool.map(self._page, [item for _, item in new])
        for (key, item), page in zip(new, pages, strict=True):
            if self.stopping.is_set():
                finished = False
                break
            if not self._item(feed, key, item, page, stats):
                finished = False
        # the validators only once every item is done: else a restart would get a 304 and miss some
        self.monitor.record_poll(
            feed.feed_id,
            error=None,
            next_poll_at=next_poll if finished else now(),
            etag=response.etag,
            last_modified=response.last_modified,
            validators=finished,
        )

    def _page(self, item: feeds.Item) -> str | FetchError | None:
        """The item's page as text, a FetchError, or None when there is no page to fetch."""
        if self.stopping.is_set() or not item.link:
            return None
        try:
            response = self.fetcher.get(item.link, accept=PAGE_ACCEPT)
        except FetchError as exc:
            return exc
        if response.content_type and not any(t in response.content_type for t in ("html", "xml", "text")):
            return FetchError(f"not a web page ({response.content_type})")
        text = response.text()
        return text if text is not None else FetchError("the page is not UTF-8 and its charset is unknown")

    def _item(
        self, feed: Feed, key: str, item: feeds.Item, page: str | FetchError | None, stats: CycleStats
    ) -> bool:
        """Read, store and alert one item; True once it is marked seen (False: retry later)."""
        source = item.link or f"{feed.name} item {item.guid or item.title or key[:12]}"
        article_id = (
            feeds.safe_id(item.link or item.guid or "") or f"{feeds.safe_id(feed.name) or 'feed'}-{key[:16]}"
        )
        text = page if isinstance(page, str) else None
        if isinstance(page, FetchError):
            stats.problems.append(f"{source}: page {page}; read from the feed's description")
        article = feeds.item_article(item, text, article_id=article_id, source=source)
        if isinstance(article, ReadError):
            tries = self._attempts.get(key, 0) + 1
            reason = article.reason if not isinstance(page, FetchError) else f"page {page}; {article.reason}"
            stats.errors += 1
            stats.problems.append(f"{source}: {reason}")
            if isinstance(page, FetchError) and tries < PAGE_ATTEMPTS:
                self._attempts[key] = tries  # the page may come back: try again next cycle
                return False
            self._attempts.pop(key, None)
            self.monitor.mark_seen(
                key, feed_id=feed.feed_id, url=item.link, content_hash=None, outcome=reason
            )
            return True
        summary = self.obs.ingest_articles([article], batch_size=1)
        if summary.rejected:
            reason = one_line(summary.rejected[0].reason)
            stats.errors += 1
            stats.problems.append(f"{source}: {reason}")
            self.monitor.mark_seen(
                key, feed_id=feed.feed_id, url=item.link, content_hash=None, outcome=reason
            )
            return True
        events = self.monitor.events_of(article.content_hash)
        stats.articles += summary.articles
        stats.events += len(events) if summary.articles else 0
        if self.rules:
            stats.alerts += self._alert(events)
            self._deliver(stats)
        outcome = "stored" if summary.articles else "duplicate"
        self.monitor.mark_seen(
            key, feed_id=feed.feed_id, url=item.link, content_hash=article.content_hash, outcome=outcome
        )
        self._attempts.pop(key, None)
        return True

    # -- alerts -------------------------------------------------------------------------

    def _alert(self, event_ids: Iterable[str]) -> int:
        """Record the alerts these events call for (each once); returns how many were new."""
        made = 0
        names = list(self.sinks)
        for event_id in event_ids:
            event = self.obs.event(event_id)
            if event is None:
                continue
            toll = int(event.get("fatalities") or 0)
            for rule in self.rules:
                if not rule.matches(event):
                    continue
                before = self.monitor.alerted_toll(rule.name, event_id)
                if before is None:
                    kind, to = "new", names if "new" in rule.on else []  # silent: the toll's baseline
                elif toll > before:
                    kind, to = "toll", names if "toll" in rule.on else []
                else:
                    continue
                aid = alert_id(rule.name, event_id, kind, toll)
                body = payload(aid, rule, event, kind=kind, previous=before, map_url=self.map_url)
                if self.monitor.add_alert(
                    alert_id=aid,
                    rule=rule.name,
                    event_id=event_id,
                    kind=kind,
                    fatalities=toll,
                    payload=body,
                    sinks=to,
                ):
                    made += 1 if to else 0
        return made

    def _deliver(self, stats: CycleStats) -> None:
        for d in self.monitor.pending(max_attempts=DELIVERY_ATTEMPTS):
            sink = self.sinks.get(d.sink)
            if sink is None:  # a sink no longer configured: leave it for a run that has it
                continue
            try:
                sink.send(d.payload)
            except DeliveryError as exc:
                stats.errors += 1
                stats.problems.append(f"alert {d.alert_id} to {d.sink}: {exc}")
                self.log(f"marsad watch: alert {d.alert_id} to {d.sink}: {exc}")
                self.monitor.delivered(d.alert_id, d.sink, error=str(exc))
                continue
            self.monitor.delivered(d.alert_id, d.sink)


def add_feeds(monitor: Monitor, specs: Iterable[FeedSpec]) -> list[tuple[Feed, bool]]:
    """Register feeds (known URLs get the file's name and interval): [(feed, created)]."""
    return [monitor.add_feed(s.url, name=s.name, every_seconds=max(1, round(s.every))) for s in specs]


__all__ = ["CycleStats", "FeedSpec", "Watcher", "add_feeds", "load_feeds", "parse_every", "utc"]
