"""Shared fixtures: a real PostgreSQL server on loopback, and store URLs for both backends.

``pg_url`` initdb's a throwaway cluster, starts it on a free 127.0.0.1 port with its
unix sockets in the same temporary directory, and stops it at the end of the session.
It skips only when no PostgreSQL binaries exist (CI installs them: apt-get install
postgresql); any other failure to start is an error, not a skip.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from marsad.model import Article, Event, Source


def _pg_bindir() -> Path | None:
    """Where initdb and pg_ctl live: PATH first, then Debian's /usr/lib/postgresql/N/bin."""
    candidates: list[Path] = []
    if found := shutil.which("initdb"):
        candidates.append(Path(found).resolve().parent)
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for bindir in candidates:
        if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists() and (bindir / "postgres").exists():
            return bindir
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_user() -> dict[str, Any]:
    """PostgreSQL refuses to run as root: run it as the 'postgres' (or 'nobody') user then."""
    if os.geteuid() != 0:
        return {}
    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return {"user": entry.pw_uid, "group": entry.pw_gid}
    pytest.fail("running as root and no 'postgres' or 'nobody' user to run PostgreSQL as")


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a PostgreSQL server started for this test session (database 'postgres')."""
    bindir = _pg_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl, postgres) not found; apt-get install -y postgresql")
    runas = _server_user()
    # /tmp: a short path (unix socket paths max ~107 bytes) the server's user can reach
    root = Path(tempfile.mkdtemp(prefix="marsad-pg-", dir="/tmp" if os.path.isdir("/tmp") else None))
    if runas:
        os.chown(root, runas["user"], runas["group"])
    data, log = root / "data", root / "server.log"
    port = _free_port()
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    run = dict(check=True, capture_output=True, text=True, env=env, cwd=root, **runas)
    try:
        subprocess.run(
            [bindir / "initdb", "-D", data, "-U", "marsad", "-A", "trust", "-E", "UTF8", "--no-locale", "-N"],
            **run,
        )
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        subprocess.run(
            [bindir / "pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "-o", options, "start"], **run
        )
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr + (log.read_text() if log.exists() else "")
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"could not start PostgreSQL from {bindir}: {detail}")
    try:
        yield f"postgresql+psycopg://marsad@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"], **{**run, "check": False}
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_factory(pg_url: str) -> Callable[[], str]:
    """Makes fresh, empty PostgreSQL databases on the session's server.

    Each is a schema of its own, reached through the URL's search_path: as isolated as
    a database for marsad, but creating one is instant and the cluster stays small
    (a database per test meant tens of thousands of files to delete at the end).
    """
    import psycopg

    admin = pg_url.replace("postgresql+psycopg://", "postgresql://")
    numbers = itertools.count()

    def create() -> str:
        name = f"test_{next(numbers)}"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')
        return f"{pg_url}?options=-csearch_path%3D{name}"

    return create


@pytest.fixture
def pg_db(pg_factory: Callable[[], str]) -> str:
    """A fresh, empty PostgreSQL database for one test."""
    return pg_factory()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend: the store suite runs once per backend."""
    if request.param == "sqlite":
        return str(tmp_path / "marsad.db")
    return str(request.getfixturevalue("pg_db"))


@pytest.fixture
def make_article() -> Callable[..., Article]:
    """Articles with sensible defaults; ``text`` decides the content hash."""

    def make(article_id: str = "a1", text: str | None = None, **kw: Any) -> Article:
        kw.setdefault("source_path", f"corpus/{article_id}.txt")
        kw.setdefault("publisher", "Syrian Observatory for Human Rights")
        kw.setdefault("publish_date", date(2018, 6, 10))
        return Article(article_id=article_id, text=text or f"Text of article {article_id}.", **kw)

    return make


@pytest.fixture
def make_event() -> Callable[..., Event]:
    """A located, sourced battle event; override any EVENT field by keyword."""

    def make(article_id: str = "a1", **kw: Any) -> Event:
        quote = kw.pop("quote", "Twenty-one were killed")
        fields: dict[str, Any] = dict(
            event_id="extractor-id",
            event_date="2018-06-08",
            date_precision="day",
            event_type="Battles",
            sub_event_type="Armed clash",
            actor1="Islamic State",
            actor2="Military Forces of Syria",
            assoc_actor_2=["Hezbollah"],
            location="Albu Kamal",
            admin1="Deir ez-Zor",
            country="Syria",
            iso3="SYR",
            latitude=34.4522,
            longitude=40.9186,
            geonameid=174186,
            geo_precision=1,
            fatalities=21,
            sources=[Source(article_id, "SOHR", "the Observatory", quote, 0, len(quote))],
            notes="Islamic State attacked regime forces in Albu Kamal.",
        )
        fields.update(kw)
        return Event(**fields)

    return make


@pytest.fixture(scope="session")
def _extraction_cache() -> dict[tuple[Any, ...], list[Event]]:
    return {}


@pytest.fixture
def cached_extractor(
    monkeypatch: pytest.MonkeyPatch, _extraction_cache: dict[tuple[Any, ...], list[Event]]
) -> None:
    """The real extractor, run once per distinct article per session (it is slow).

    For tests of storage behaviour around real extraction: what the extractor finds is
    its own business; that the store keeps it, exactly and idempotently, is ours.
    """
    import copy

    import marsad.extract
    from marsad.model import ArticleResult

    real = marsad.extract.extract_many

    def extract_many(articles: Any, *, workers: int = 1, on_error: Any = None) -> Iterator[ArticleResult]:
        from marsad.extract.pipeline import too_long

        for article in articles:
            if on_error is not None and (reason := too_long(article)):
                on_error(article, reason)
                continue
            key = (
                article.content_hash,
                article.article_id,
                article.publisher,
                article.publish_date,
                article.title,
                article.url,
                article.dateline,
            )
            if key not in _extraction_cache:
                _extraction_cache[key] = next(iter(real([article]))).events
            yield ArticleResult(article, copy.deepcopy(_extraction_cache[key]))

    monkeypatch.setattr(marsad.extract, "extract_many", extract_many)


@pytest.fixture
def fake_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fast stand-in extractor whose events are known (see tests/store/fakes.py)."""
    from store.fakes import fake_extract_many

    import marsad.extract

    monkeypatch.setattr(marsad.extract, "extract_many", fake_extract_many)
