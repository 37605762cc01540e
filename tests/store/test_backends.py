"""Opening stores: URL resolution, migrations matching the schema, SQLite settings, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from marsad.errors import StoreError
from marsad.store import Store, resolve_url
from marsad.store.engine import migrate
from marsad.store.schema import metadata


def test_resolve_url_defaults_to_env_then_local_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MARSAD_DB", raising=False)
    assert resolve_url(None) == "sqlite:///./marsad.db"
    monkeypatch.setenv("MARSAD_DB", "/data/obs.db")
    assert resolve_url(None) == "sqlite:////data/obs.db"
    assert resolve_url("x.db") == "sqlite:///x.db"
    assert resolve_url(":memory:") == "sqlite://"
    assert resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


@pytest.mark.filterwarnings("ignore:.*expression-based index")  # SQLite's are not reflected
def test_migrations_build_exactly_the_schema(db_url: str) -> None:
    store = Store(db_url)
    with store.engine.connect() as conn:
        # SQLite's text-search indexes (FTS5 tables, migration 0003) are not SQLAlchemy tables
        opts = {
            "compare_type": True,
            "include_name": lambda name, kind, _: kind != "table" or not name.startswith("search_"),
        }
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), metadata)
        assert diff == []
        assert MigrationContext.configure(conn).get_current_revision() == "0008"
    migrate(store.engine)  # at head already: a no-op
    store.close()
    Store(db_url).close()  # reopening migrates nothing and keeps the data


def test_sqlite_file_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "m.db"))
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.close()


def test_memory_store_works(make_article, make_event) -> None:
    from marsad.model import ArticleResult

    store = Store(":memory:")
    store.add([ArticleResult(make_article(), [make_event()])])
    assert store.count_events() == 1


def test_default_location_is_marsad_db_in_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MARSAD_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    Store().close()
    assert (tmp_path / "marsad.db").exists()


def test_missing_directory_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"^\[E030\] .*does not exist"):
        Store(str(tmp_path / "nope" / "m.db"))


def test_unreachable_postgres_is_a_one_line_error() -> None:
    with pytest.raises(
        StoreError, match=r"^\[E030\] cannot open postgresql\+psycopg://marsad:\*\*\*@127.0.0.1:1/x"
    ):
        Store("postgresql://marsad:secret@127.0.0.1:1/x?connect_timeout=2")


def test_not_a_database_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("these are notes, not a database\n" * 100)
    with pytest.raises(StoreError, match=r"^\[E030\] cannot open .*notes.db: file is not a database"):
        Store(str(bad))


def test_bad_url_is_a_one_line_error() -> None:
    with pytest.raises(StoreError, match=r"^\[E030\]"):
        Store("nosuchdriver://x/y")


def test_downgrade_then_upgrade_round_trips(db_url: str) -> None:
    from alembic import command
    from alembic.config import Config

    from marsad.store.engine import MIGRATIONS

    store = Store(db_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(sa.inspect(store.engine).get_table_names()) <= {"alembic_version"}
    store.close()
    store = Store(db_url)
    assert {"articles", "events", "reports", "claims", "actors", "places"} <= set(
        sa.inspect(store.engine).get_table_names()
    )
    store.close()


def test_a_database_from_a_newer_marsad_is_refused(db_url: str) -> None:
    Store(db_url).close()
    store = Store(db_url)
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    store.close()
    with pytest.raises(StoreError, match=r"^\[E030\] the database schema is at revision 9999, newer"):
        Store(db_url)
