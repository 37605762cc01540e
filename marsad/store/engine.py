"""Opening a database: URL resolution, SQLite pragmas, and migrating to the current schema."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import StaticPool

from marsad.errors import StoreError

DEFAULT_URL = "sqlite:///./marsad.db"
MIGRATIONS = Path(__file__).parent / "migrations"


def resolve_url(url: str | None = None) -> str:
    """Turn what a user typed (None, a path, a URL) into a SQLAlchemy URL.

    None means $MARSAD_DB or ./marsad.db; anything without ``://`` is a SQLite file;
    ``postgresql://`` gets the psycopg 3 driver we ship rather than psycopg2.
    """
    if url is None or url == "":
        url = os.environ.get("MARSAD_DB") or DEFAULT_URL
    if url == ":memory:":
        return "sqlite://"
    if "://" not in url:
        return "sqlite:///" + str(Path(url).expanduser())
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def create(url: str, *, must_exist: bool = False) -> Engine:
    """An engine configured for marsad's write pattern on either backend."""
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise StoreError(
            f"{url}: not a database URL ({exc}); pass a file path or postgresql+psycopg://..."
        ) from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise StoreError(
            f"{parsed.render_as_string(hide_password=True)}: marsad does not support {backend}; it stores "
            "in SQLite (a file path, e.g. --db observatory.db) or PostgreSQL "
            "(--db postgresql+psycopg://user@host/db)"
        )
    if backend == "sqlite":
        return _sqlite_engine(url, memory=parsed.database in (None, "", ":memory:"), must_exist=must_exist)
    try:
        return create_engine(url, pool_pre_ping=True)
    except Exception as exc:  # missing driver, bad URL options
        raise StoreError(f"cannot open {parsed.render_as_string(hide_password=True)}: {exc}") from None


def _sqlite_engine(url: str, *, memory: bool, must_exist: bool = False) -> Engine:
    kwargs: dict[str, Any] = {}
    if memory:
        # one shared connection, or every checkout would see a fresh empty database
        kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    else:
        kwargs = {"connect_args": {"timeout": 60}}
        db = make_url(url).database
        if db and not Path(db).parent.exists():
            raise StoreError(
                f"{db}: directory {Path(db).parent} does not exist; create it or pass another --db"
            )
        if db and must_exist and not Path(db).exists():
            raise StoreError(f"{db}: no such database; fill one with marsad ingest, or pass another --db")
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # take transaction control from the driver so BEGIN IMMEDIATE is ours to issue
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=60000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # writers take the lock up front: a deferred transaction that upgrades to a
        # write lock gets SQLITE_BUSY without waiting when another writer is active
        write = conn.get_execution_options().get("marsad_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (a no-op when it is already there)."""
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    scripts = ScriptDirectory.from_config(cfg)
    head = scripts.get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        conn.rollback()
    if current == head:
        return
    if current is not None and current not in {s.revision for s in scripts.walk_revisions()}:
        raise StoreError(
            f"the database schema is at revision {current}, newer than this marsad knows (up to {head}); "
            "upgrade marsad to use this database"
        )
    with engine.connect().execution_options(marsad_write=True) as conn, conn.begin():
        lock(conn)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def lock(conn: Connection) -> None:
    """Serialise writers on PostgreSQL (SQLite's BEGIN IMMEDIATE already does)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7305481352)")
