"""Ingest on a real Dask cluster (issue 22): the same database as a local run, and no
article lost or stored twice when a worker dies, the scheduler goes away or one article
cannot be extracted.

The cluster is a ``distributed.LocalCluster`` of two worker processes (each loads the
language model once), or for the scheduler test a ``dask scheduler`` and a ``dask
worker`` started as commands, so that the scheduler can be killed like a real one.
The articles are the repository's own: examples/articles and tests/data/wire.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from distributed import Client
from store.fakes import dump

import marsad
from marsad.cli import main

REPO = Path(marsad.__file__).resolve().parent.parent
CORPUS = [str(REPO / "examples" / "articles"), str(REPO / "tests" / "data" / "wire")]
N_ARTICLES = 60  # the .txt files under those two folders


def events_jsonl(db: str) -> str:
    """What ``marsad events --format jsonl`` prints for this database."""
    result = CliRunner().invoke(main, ["events", "--db", db, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    return result.output


def stored(db: str) -> int:
    """Articles committed so far in a SQLite file another process is writing."""
    if not Path(db).exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # no tables yet
        return 0


def model_loads() -> int:
    """Run on a worker: how many times this process has loaded the model."""
    from marsad.extract.pipeline import _process_extractor

    return _process_extractor.cache_info().misses


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def poison(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with one article extraction refuses (2 MB of words: over the parser's
    limit, under the readers'), the local pool's failing article."""
    folder = tmp_path_factory.mktemp("poison")
    words = ("shelling", "near", "the", "market", "was", "reported", "again", "today.")
    (folder / "huge.txt").write_text(" ".join(words[i % len(words)] for i in range(260_000)), "utf-8")
    return folder


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory, poison: Path) -> str:
    """The corpus ingested locally, without a cluster: what every cluster run must match."""
    db = str(tmp_path_factory.mktemp("local") / "local.db")
    with marsad.open(db) as obs:
        summary = obs.ingest([*CORPUS, str(poison)], batch_size=8)
    assert (summary.articles, len(summary.rejected)) == (N_ARTICLES, 1)
    return db


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None, host="127.0.0.1"
    ) as cluster:
        yield cluster


def test_a_cluster_ingest_stores_what_a_local_ingest_stores(
    cluster: Any, local: str, poison: Path, tmp_path: Path
) -> None:
    db = str(tmp_path / "cluster.db")
    refused: list[Any] = []
    with marsad.open(db) as obs:
        summary = obs.ingest(
            [*CORPUS, str(poison)], cluster=cluster.scheduler_address, batch_size=8, on_reject=refused.append
        )
    assert (summary.read, summary.articles, summary.exit_code) == (N_ARTICLES + 1, N_ARTICLES, 1)
    # the poison article is reported by name with the local path's reason; the rest went on
    assert [Path(r.source).name for r in refused] == ["huge.txt"] and summary.rejected == refused
    assert "longer than the parser's limit of 1,000,000" in refused[0].reason
    assert events_jsonl(db) == events_jsonl(local)  # byte-identical
    assert dump(db) == dump(local)  # and every table: each article, report and claim once
    with Client(cluster, set_as_default=False) as client:
        assert sorted(client.run(model_loads).values()) == [1, 1]  # once per worker, not per task

    # a second run sends nothing out: stored texts are skipped before extraction
    transitions = cluster.scheduler.transition_counter
    with marsad.open(db) as obs:
        again = obs.ingest(CORPUS, cluster=cluster.scheduler_address)
    assert (again.read, again.duplicates, again.articles) == (N_ARTICLES, N_ARTICLES, 0)
    assert cluster.scheduler.transition_counter == transitions
    assert dump(db) == dump(local)


def test_a_worker_killed_mid_run_loses_nothing_and_stores_nothing_twice(
    cluster: Any, local: str, tmp_path: Path
) -> None:
    db = str(tmp_path / "killed.db")
    with Client(cluster, set_as_default=False) as client:
        pids = client.run(os.getpid)
        outcome: dict[str, Any] = {}

        def run() -> None:
            try:
                with marsad.open(db) as obs:
                    outcome["summary"] = obs.ingest(CORPUS, cluster=client, batch_size=4)
            except BaseException as exc:  # checked in the test's thread
                outcome["error"] = exc

        ingest = threading.Thread(target=run)
        ingest.start()
        wait_for(lambda: stored(db) > 0 or not ingest.is_alive(), "the first stored batch")
        before = stored(db)
        assert ingest.is_alive() and before < N_ARTICLES, "the ingest ended before the kill"
        busy = [address for address in pids if cluster.scheduler.workers[address].processing]
        assert busy, "no worker was extracting"
        victim = pids[busy[0]]
        os.kill(victim, signal.SIGKILL)  # mid-task: its chunk goes to another worker
        ingest.join(timeout=180)
        assert not ingest.is_alive()
        assert "error" not in outcome, outcome.get("error")
        assert outcome["summary"].articles == N_ARTICLES and not outcome["summary"].rejected
        client.wait_for_workers(2, timeout=60)  # the nanny started a fresh worker in its place
        assert victim not in client.run(os.getpid).values()
    assert events_jsonl(db) == events_jsonl(local)
    assert dump(db) == dump(local)


@pytest.mark.postgres
def test_a_cluster_ingest_into_postgresql(cluster: Any, local: str, pg_db: str) -> None:
    result = CliRunner().invoke(
        main,
        ["ingest", *CORPUS, "--db", pg_db, "--cluster", cluster.scheduler_address, "--no-progress"],
    )
    assert result.exit_code == 0, result.output
    assert f"stored              {N_ARTICLES} articles" in result.output
    assert events_jsonl(pg_db) == events_jsonl(local)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Scheduler:
    """``dask scheduler`` and one ``dask worker`` (one process, no nanny: it dies when killed)."""

    def __init__(self, port: int, env: dict[str, str]) -> None:
        self.address = f"tcp://127.0.0.1:{port}"
        dask = [sys.executable, "-m", "dask"]
        quiet: dict[str, Any] = dict(env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.scheduler = subprocess.Popen(
            [*dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"], **quiet
        )
        self.worker = subprocess.Popen(
            [*dask, "worker", self.address, "--nthreads", "1", "--no-nanny", "--no-dashboard"], **quiet
        )

    def stop(self) -> None:
        for proc in (self.worker, self.scheduler):  # one process each: nothing is left behind
            if proc.poll() is None:
                proc.kill()
            proc.wait()


@pytest.mark.slow  # two clusters started as commands, each worker loading the model
def test_a_scheduler_stopped_mid_run_is_one_line_and_the_same_command_resumes(
    local: str, tmp_path: Path
) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    port = _free_port()
    db = str(tmp_path / "resumed.db")
    command = [sys.executable, "-c", "from marsad.cli import main; main()", "ingest", *CORPUS]
    command += ["--db", db, "--batch-size", "4", "--no-progress"]
    env["MARSAD_CLUSTER"] = f"tcp://127.0.0.1:{port}"  # the variable, as a deployment sets it

    first = Scheduler(port, env)
    try:
        run = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            wait_for(lambda: stored(db) > 0 or run.poll() is not None, "the first stored batch")
            first.scheduler.send_signal(signal.SIGKILL)  # gone, as a crashed machine is
            out, err = run.communicate(timeout=60)
        finally:
            if run.poll() is None:
                run.kill()
                run.wait()
    finally:
        first.stop()
    kept = stored(db)
    assert run.returncode == 1, (out, err)
    assert 0 < kept < N_ARTICLES
    [line] = err.splitlines()
    assert line.startswith("marsad: [E050] lost the Dask scheduler at tcp://127.0.0.1:")
    assert "run the same command again" in line

    second = Scheduler(port, env)
    try:
        again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
    finally:
        second.stop()
    assert again.returncode == 0, again.stderr
    assert f"duplicates skipped  {kept}" in again.stdout  # what was stored was not sent again
    assert events_jsonl(db) == events_jsonl(local)
    assert dump(db) == dump(local)


def test_an_unreachable_scheduler_is_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    env["DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT"] = "1s"  # Dask's own setting, documented
    address = f"tcp://127.0.0.1:{_free_port()}"  # nobody listens there
    command = [sys.executable, "-c", "from marsad.cli import main; main()", "ingest", CORPUS[0]]
    command += ["--db", str(tmp_path / "m.db"), "--cluster", address, "--no-progress"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    [line] = done.stderr.splitlines()
    assert line.startswith(f"marsad: [E050] cannot reach the Dask scheduler at {address}: ")


def test_workers_and_cluster_exclude_each_other(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    args = ["ingest", CORPUS[0], "--db", str(db), "--workers", "2", "--cluster", "tcp://127.0.0.1:8786"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "--workers and --cluster exclude each other" in result.output
    assert not db.exists()


def test_a_worker_without_the_model_is_one_line(tmp_path: Path) -> None:
    """A misconfigured cluster (here: workers told to use a model they do not have) stops
    the ingest with one line naming the cause, instead of failing every article."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    port = _free_port()
    cluster = Scheduler(port, {**env, "MARSAD_MODEL": "no_such_model"})
    try:
        command = [sys.executable, "-c", "from marsad.cli import main; main()", "ingest", CORPUS[0]]
        command += ["--db", str(tmp_path / "m.db"), "--cluster", cluster.address, "--no-progress"]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    finally:
        cluster.stop()
    assert done.returncode == 1, done.stdout
    [line] = done.stderr.splitlines()
    assert line.startswith(f"marsad: [E050] a worker of {cluster.address} cannot extract (ModelNotFound: ")
    assert "no_such_model" in line
