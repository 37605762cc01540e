"""Crash safety: kill -9 a real `marsad ingest` at several points, then run it again.

Whatever moment the kill lands on, the database must hold whole articles only (each
with all of its reports and claims, or none of them), and re-running the same command
must finish the job with a database equal to one from an uninterrupted run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from store.fakes import dump, write_corpus

import marsad

REPO = Path(marsad.__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent.parent
N_ARTICLES = 20
BATCH = 4

# Runs the real CLI in a subprocess. Test-only hooks, set by environment variables:
# a fast stand-in extractor (so a run takes about a second), and a pause inside the
# write transaction of batch N, after its rows are written and before the commit, so
# the kill provably lands mid-transaction.
WRAPPER = """
import os, sys, time, types
from pathlib import Path
sys.path[:0] = [{repo!r}, {tests!r}]
if os.environ.get("MARSAD_TEST_FAKE_EXTRACT"):
    from store.fakes import fake_extract_many
    stub = types.ModuleType("marsad.extract")
    stub.extract_many = fake_extract_many
    stub.EXTRACTOR_VERSION = "fake-1"
    sys.modules["marsad.extract"] = stub
    import marsad.store.knowledge as knowledge
    knowledge._actors = lambda: ({{}}, {{}})  # no actor knowledge: a faster start, same result
pause_at = int(os.environ.get("MARSAD_TEST_PAUSE_IN_BATCH", "0"))
if pause_at:
    import marsad.store.write as write
    real = write.write_batch
    calls = [0]
    def paused(conn, batch, *, version, **kw):
        summary = real(conn, batch, version=version, **kw)
        calls[0] += 1
        if calls[0] == pause_at:
            Path(os.environ["MARSAD_TEST_MARKER"]).write_text("rows written, not committed")
            time.sleep(120)
        return summary
    write.write_batch = paused
from marsad.cli import main
main(prog_name="marsad")
"""


@pytest.fixture
def wrapper(tmp_path: Path) -> Path:
    path = tmp_path / "run_marsad.py"
    path.write_text(WRAPPER.format(repo=str(REPO), tests=str(TESTS)))
    return path


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Callable[[], str]:
    """Makes empty databases on the backend under test."""
    if request.param == "postgresql":
        return request.getfixturevalue("pg_factory")  # type: ignore[no-any-return]
    folder = tmp_path_factory.mktemp("crash")
    names = iter(range(1000))
    return lambda: str(folder / f"db{next(names)}.db")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "in"
    write_corpus(folder, N_ARTICLES)
    return folder


@pytest.fixture(scope="module")
def module_wrapper(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wrapper") / "run_marsad.py"
    path.write_text(WRAPPER.format(repo=str(REPO), tests=str(TESTS)))
    return path


@pytest.fixture(scope="module")
def reference(backend: Callable[[], str], corpus: Path, module_wrapper: Path) -> dict[str, list[Any]]:
    """The database an uninterrupted run leaves, once per backend."""
    db = backend()
    run_to_completion(command(module_wrapper, corpus, db), env(MARSAD_TEST_FAKE_EXTRACT="1"))
    tables = dump(db)
    assert len(tables["articles"]) == N_ARTICLES and tables["claims"]
    return tables


def command(wrapper: Path, corpus: Path, db: str) -> list[str]:
    return [
        sys.executable,
        str(wrapper),
        "ingest",
        str(corpus),
        "--db",
        db,
        "--batch-size",
        str(BATCH),
        "--no-progress",
    ]


def env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), **extra}


def committed_articles(db: str) -> int:
    """Articles visible to another connection (0 before the schema exists); never migrates."""
    url = db if "://" in db else f"sqlite:///{db}"
    if "://" not in db and not Path(db).exists():
        return 0
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT count(*) FROM articles")).scalar() or 0)
    except sa.exc.SQLAlchemyError:  # no table yet, or the file is being created
        return 0
    finally:
        engine.dispose()


def wait_for(condition: Callable[[], bool], proc: subprocess.Popen[Any], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"ingest ended (exit {proc.returncode}) before the kill point:\n{err}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("kill point not reached in time")
        time.sleep(0.02)


def check_whole_articles(partial: dict[str, list[Any]], reference: dict[str, list[Any]]) -> None:
    """Every row of the interrupted database is in the reference, and no article is partial."""
    for table, rows in partial.items():
        missing = set(map(repr, rows)) - set(map(repr, reference[table]))  # JSON cells are lists
        assert not missing, f"{table} holds rows an uninterrupted run does not: {sorted(missing)[:3]}"
    hashes = {row[0] for row in partial["articles"]}

    def by_article(rows: list[Any], index: int) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in rows:
            counts[row[index]] = counts.get(row[index], 0) + 1
        return counts

    reports_ref = by_article(reference["reports"], 1)
    reports_got = by_article(partial["reports"], 1)
    claims_ref = by_article(reference["claims"], 3)
    claims_got = by_article(partial["claims"], 3)
    for h in hashes:
        assert reports_got.get(h, 0) == reports_ref.get(h, 0), f"article {h[:12]} is missing reports"
        assert claims_got.get(h, 0) == claims_ref.get(h, 0), f"article {h[:12]} is missing claims"
    assert set(reports_got) <= hashes and set(claims_got) <= hashes  # nothing without its article


def run_to_completion(cmd: list[str], environment: dict[str, str]) -> None:
    done = subprocess.run(cmd, env=environment, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("kill_point", ["in batch 1", "in batch 3", "after commits", "at start"])
def test_kill_9_then_rerun_equals_an_uninterrupted_run(
    kill_point: str,
    backend: Callable[[], str],
    reference: dict[str, list[Any]],
    corpus: Path,
    module_wrapper: Path,
    tmp_path: Path,
) -> None:
    db, wrapper = backend(), module_wrapper
    fake = env(MARSAD_TEST_FAKE_EXTRACT="1")
    marker = tmp_path / "in-transaction"
    extra = {}
    if kill_point.startswith("in batch"):
        extra = {"MARSAD_TEST_PAUSE_IN_BATCH": kill_point.split()[-1], "MARSAD_TEST_MARKER": str(marker)}
    proc = subprocess.Popen(
        command(wrapper, corpus, db), env={**fake, **extra}, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    if kill_point.startswith("in batch"):
        wait_for(marker.exists, proc)
    elif kill_point == "after commits":
        wait_for(lambda: committed_articles(db) >= 5, proc)
    else:
        time.sleep(0.3)  # still starting: importing, or creating the schema
    proc.kill()  # SIGKILL: no cleanup, no rollback from the client
    proc.communicate()

    if kill_point == "in batch 1":
        assert committed_articles(db) == 0
    elif kill_point == "in batch 3":
        assert committed_articles(db) == 2 * BATCH  # batches 1 and 2; batch 3's rows are gone
    if committed_articles(db):
        check_whole_articles(dump(db), reference)

    run_to_completion(command(wrapper, corpus, db), fake)
    assert dump(db) == reference


@pytest.mark.usefixtures("cached_extractor")
def test_kill_9_with_the_real_extractor(wrapper: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    write_corpus(corpus, 2 * BATCH + 2)
    reference_db, db = str(tmp_path / "reference.db"), str(tmp_path / "interrupted.db")
    with marsad.open(reference_db) as obs:  # in this process: the extractor is loaded already
        assert obs.ingest([str(corpus)], batch_size=BATCH).articles == 2 * BATCH + 2
    reference = dump(reference_db)
    proc = subprocess.Popen(
        command(wrapper, corpus, db), env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    wait_for(lambda: committed_articles(db) >= BATCH, proc, timeout=60)
    proc.kill()
    proc.communicate()
    check_whole_articles(dump(db), reference)
    run_to_completion(command(wrapper, corpus, db), env())
    assert dump(db) == reference


def test_two_ingests_at_once_store_each_article_once(
    backend: Callable[[], str], reference: dict[str, list[Any]], corpus: Path, module_wrapper: Path
) -> None:
    db = backend()
    fake = env(MARSAD_TEST_FAKE_EXTRACT="1")
    procs = [
        subprocess.Popen(
            command(module_wrapper, corpus, db), env=fake, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert dump(db) == reference
