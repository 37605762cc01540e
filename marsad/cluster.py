"""Extraction on a Dask cluster: ``marsad ingest --cluster tcp://SCHEDULER:8786``.

Reading, the duplicate check and storing stay in the process that runs the ingest (the
one writer); only extraction, the slow part, goes out. Chunks of articles become tasks
on the cluster's workers; each worker process loads the language model once (the same
per-process cache the local pool uses) and returns, for each article of its chunk, the
events it reports or a one-line reason why it could not be extracted. Results come back
in the order they complete and are stored in batches exactly as a local run stores them,
so a cluster run and a local run of the same articles give the same database.

Faults: a task whose worker dies is rerun elsewhere by the scheduler; a chunk that keeps
killing workers is split so that the one article doing it is reported and the others are
stored; losing the scheduler ends the ingest with a :class:`~marsad.errors.ClusterError`
(committed batches stay; running the same command again extracts only what is missing).

Workers need marsad and its language model installed (the same version as here) and
should run one thread each (``dask worker ADDRESS --nthreads 1``): spaCy parses in one
thread, so extra threads of one worker only wait for each other here.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import CancelledError
from itertools import islice
from typing import TYPE_CHECKING, Any

from marsad.errors import ClusterError
from marsad.extract.pipeline import OnError, _isolated
from marsad.model import Article, ArticleResult, Event

if TYPE_CHECKING:
    from distributed import Client, Future

#: Articles per task: small enough to spread a few hundred articles over many workers,
#: large enough that spaCy batches well and the scheduler is not the bottleneck.
CHUNK = 8
#: Retries of a task that raised (a worker that died is handled by the scheduler itself).
RETRIES = 2
#: Seconds between looks for finished chunks (and at whether the scheduler is still there).
POLL = 0.02

#: How often (seconds) to ask how many worker threads there are, and how long to wait.
WIDTH_EVERY = 5.0
WIDTH_TIMEOUT = 2.0

_parse_lock = threading.Lock()


def extract_chunk(articles: list[Article]) -> list[list[Event] | str]:
    """Runs on a worker: each article's events, or the reason it failed (it alone).

    The model is loaded on the first call in each worker process and kept. A worker
    with several threads parses one chunk at a time (one model, one parser).
    """
    with _parse_lock:
        done = _isolated(None, articles)
    return [item.events if isinstance(item, ArticleResult) else item[1] for item in done]


def address_of(cluster: Any) -> str:
    """The scheduler address of ``tcp://host:8786``, a ``distributed`` cluster or a client."""
    if isinstance(cluster, str):
        return cluster
    found = getattr(cluster, "scheduler_address", None)
    if found is None and getattr(cluster, "scheduler", None) is not None:
        found = cluster.scheduler.address  # a Client
    if not isinstance(found, str):
        raise TypeError(f"not a Dask scheduler address, cluster or client: {cluster!r}")
    return found


def connect(cluster: Any) -> tuple[Client, bool]:
    """A client of ``cluster`` and whether it is ours to close; ClusterError if unreachable."""
    from distributed import Client

    if isinstance(cluster, Client):
        return cluster, False
    address = address_of(cluster)
    try:
        # waits as long as Dask's distributed.comm.timeouts.connect (30 s unless configured)
        client = Client(address, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {_one_line(exc)}") from None
    return client, True


def extract_on_cluster(
    articles: Iterable[Article],
    cluster: Any,
    *,
    chunk: int = CHUNK,
    on_error: OnError | None = None,
    retries: int = RETRIES,
) -> Iterator[ArticleResult]:
    """``extract_many`` on a Dask cluster: results in the order chunks complete.

    ``cluster`` is a scheduler address (``tcp://host:8786``), a ``distributed`` cluster
    object or a connected ``Client``. Articles are read from ``articles`` only as fast
    as the workers take them (a few chunks per worker thread in flight), so an input
    larger than memory streams. An article that cannot be extracted goes to ``on_error``
    with a one-line reason (ValueError without one); the others go on.
    """
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    client, own = connect(cluster)
    address = address_of(client)
    it = iter(articles)
    in_flight: dict[Future, list[Article]] = {}
    completed = as_completed(loop=client.loop)  # fed as chunks go out

    def lost() -> ClusterError:
        return ClusterError(
            f"lost the Dask scheduler at {address}; the batches already stored are kept: "
            "run the same command again to finish"
        )

    def submit(batch: list[Article]) -> None:
        if client.status != "running":
            raise lost()
        future = client.submit(extract_chunk, batch, retries=retries, pure=False)
        in_flight[future] = batch
        completed.add(future)

    width = [2, 0.0]  # chunks to keep in flight, and when that was last asked

    def fill() -> None:
        if time.monotonic() - width[1] > WIDTH_EVERY:  # workers may come and go
            width[1] = time.monotonic()
            with contextlib.suppress(OSError, TimeoutError, CancelledError):
                # bounded: a scheduler that has just gone is noticed below, not waited for
                threads = client.nthreads(callback_timeout=WIDTH_TIMEOUT)
                width[0] = max(2, 2 * sum(threads.values()))
        while len(in_flight) < width[0] and (batch := list(islice(it, chunk))):
            submit(batch)

    def failed(article: Article, reason: str) -> None:
        if on_error is None:
            raise ValueError(f"{article.source_path or article.article_id}: {reason}")
        on_error(article, reason)

    levels = _quiet("distributed")  # a lost scheduler is reported once, by us, not by a log storm
    try:
        fill()
        while in_flight:
            for future in _next_done(completed, client, lost):
                batch = in_flight.pop(future)
                try:
                    out = future.result()
                except KilledWorker:
                    if len(batch) > 1:  # one article may be killing workers: find it
                        for article in batch:
                            submit([article])
                    else:
                        failed(batch[0], "extraction killed every worker that tried it; skipped")
                    continue
                except CancelledError:
                    raise lost() from None
                except Exception as exc:  # the task itself failed: not one article, the worker
                    if client.status != "running":
                        raise lost() from None
                    raise ClusterError(
                        f"a worker of {address} cannot extract ({type(exc).__name__}: {_one_line(exc)}); "
                        "every worker needs marsad and its language model, at this version"
                    ) from None
                for article, item in zip(batch, out, strict=True):
                    if isinstance(item, str):
                        failed(article, item)
                    else:
                        yield ArticleResult(article, item)
            fill()
    finally:
        for future in in_flight:
            with contextlib.suppress(Exception):
                future.release()
        if own:
            with contextlib.suppress(Exception):
                client.close(timeout=5)  # ends a reconnection attempt too: still quiet
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def _next_done(completed: Any, client: Client, lost: Any) -> list[Future]:
    """The futures that have finished since the last call, as soon as one has;
    ClusterError if the scheduler goes away meanwhile (its futures would never finish)."""
    while True:
        if done := completed.next_batch(block=False):
            return list(done)
        if client.status != "running":
            raise lost()
        time.sleep(POLL)


def _quiet(prefix: str) -> dict[str, int]:
    """Silence the loggers under ``prefix`` (Dask configures some of them one by one);
    returns their levels, to restore."""
    names = [prefix] + [n for n in logging.root.manager.loggerDict if n.startswith(prefix + ".")]
    levels = {n: logging.getLogger(n).level for n in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    return levels


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
