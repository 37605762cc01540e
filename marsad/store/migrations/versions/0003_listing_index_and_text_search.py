"""Reading at scale: the listing's index, actor lookups, and trigram text search on SQLite.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 20:00:00

* ``ix_events_listing``: the events in listing order (undated last, then date, then id)
  with every column the event filters test, so a page or a count reads the index alone.
* ``ix_event_actors_actor_event_id``: an actor's events without touching the table.
* SQLite only: FTS5 trigram indexes of the text the ``text`` filter searches (event notes
  and actors; claim quotes), kept current by triggers so every write path updates them.
  They index SQLite's ``lower()`` of the text, case-sensitively: a phrase of the
  lowered search string matches exactly the rows ``lower(col) LIKE '%text%'`` does
  (3+ characters; marsad.store.query scans for shorter ones). Each indexed row gets a
  stable integer key (``search_*_keys``): the source tables' rowids may change on VACUUM.
  Skipped when the SQLite library lacks FTS5 or the trigram tokenizer (text search then
  scans, as before).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

LISTING = ["event_date", "event_id", "place_id", "event_type", "sub_event_type", "fatalities"]

SEARCH_SQL = [
    # event notes and actors, keyed by event
    "CREATE TABLE search_events_keys (id INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE)",
    "CREATE VIRTUAL TABLE search_events USING fts5("
    "notes, actor1, actor2, content='', columnsize=0, tokenize='trigram case_sensitive 1')",
    """CREATE TRIGGER search_events_ai AFTER INSERT ON events BEGIN
        INSERT INTO search_events_keys (event_id) VALUES (new.event_id);
        INSERT INTO search_events (rowid, notes, actor1, actor2)
            VALUES (last_insert_rowid(), lower(new.notes), lower(new.actor1), lower(new.actor2));
    END""",
    """CREATE TRIGGER search_events_ad AFTER DELETE ON events BEGIN
        INSERT INTO search_events (search_events, rowid, notes, actor1, actor2)
            SELECT 'delete', id, lower(old.notes), lower(old.actor1), lower(old.actor2)
            FROM search_events_keys WHERE event_id = old.event_id;
        DELETE FROM search_events_keys WHERE event_id = old.event_id;
    END""",
    """CREATE TRIGGER search_events_au AFTER UPDATE OF event_id, notes, actor1, actor2 ON events BEGIN
        INSERT INTO search_events (search_events, rowid, notes, actor1, actor2)
            SELECT 'delete', id, lower(old.notes), lower(old.actor1), lower(old.actor2)
            FROM search_events_keys WHERE event_id = old.event_id;
        UPDATE search_events_keys SET event_id = new.event_id WHERE event_id = old.event_id;
        INSERT INTO search_events (rowid, notes, actor1, actor2)
            SELECT id, lower(new.notes), lower(new.actor1), lower(new.actor2)
            FROM search_events_keys WHERE event_id = new.event_id;
    END""",
    # claim quotes, keyed by claim, with the claim's event (which relinking may change)
    "CREATE TABLE search_claims_keys ("
    "id INTEGER PRIMARY KEY, report_id TEXT NOT NULL, claim_index INTEGER NOT NULL, event_id TEXT NOT NULL, "
    "UNIQUE (report_id, claim_index))",
    "CREATE VIRTUAL TABLE search_claims USING fts5("
    "quote, content='', columnsize=0, tokenize='trigram case_sensitive 1')",
    """CREATE TRIGGER search_claims_ai AFTER INSERT ON claims BEGIN
        INSERT INTO search_claims_keys (report_id, claim_index, event_id)
            VALUES (new.report_id, new.claim_index, new.event_id);
        INSERT INTO search_claims (rowid, quote) VALUES (last_insert_rowid(), lower(new.quote));
    END""",
    """CREATE TRIGGER search_claims_ad AFTER DELETE ON claims BEGIN
        INSERT INTO search_claims (search_claims, rowid, quote)
            SELECT 'delete', id, lower(old.quote) FROM search_claims_keys
            WHERE report_id = old.report_id AND claim_index = old.claim_index;
        DELETE FROM search_claims_keys WHERE report_id = old.report_id AND claim_index = old.claim_index;
    END""",
    """CREATE TRIGGER search_claims_au AFTER UPDATE OF report_id, claim_index, quote ON claims BEGIN
        INSERT INTO search_claims (search_claims, rowid, quote)
            SELECT 'delete', id, lower(old.quote) FROM search_claims_keys
            WHERE report_id = old.report_id AND claim_index = old.claim_index;
        UPDATE search_claims_keys SET report_id = new.report_id, claim_index = new.claim_index
            WHERE report_id = old.report_id AND claim_index = old.claim_index;
        INSERT INTO search_claims (rowid, quote)
            SELECT id, lower(new.quote) FROM search_claims_keys
            WHERE report_id = new.report_id AND claim_index = new.claim_index;
    END""",
    """CREATE TRIGGER search_claims_event AFTER UPDATE OF event_id ON claims BEGIN
        UPDATE search_claims_keys SET event_id = new.event_id
            WHERE report_id = new.report_id AND claim_index = new.claim_index;
    END""",
    # what is already stored
    "INSERT INTO search_events_keys (event_id) SELECT event_id FROM events ORDER BY event_id",
    "INSERT INTO search_events (rowid, notes, actor1, actor2) "
    "SELECT k.id, lower(e.notes), lower(e.actor1), lower(e.actor2) "
    "FROM search_events_keys k JOIN events e ON e.event_id = k.event_id",
    "INSERT INTO search_claims_keys (report_id, claim_index, event_id) "
    "SELECT report_id, claim_index, event_id FROM claims ORDER BY report_id, claim_index",
    "INSERT INTO search_claims (rowid, quote) SELECT k.id, lower(c.quote) FROM search_claims_keys k "
    "JOIN claims c ON c.report_id = k.report_id AND c.claim_index = k.claim_index",
    "INSERT INTO search_events (search_events) VALUES ('optimize')",
    "INSERT INTO search_claims (search_claims) VALUES ('optimize')",
]

SEARCH_DROP = [
    "DROP TRIGGER IF EXISTS search_claims_event",
    *(f"DROP TRIGGER IF EXISTS search_{t}_{w}" for t in ("events", "claims") for w in ("ai", "ad", "au")),
    *(f"DROP TABLE IF EXISTS search_{t}{k}" for t in ("events", "claims") for k in ("", "_keys")),
]


def _trigram_fts(bind: sa.Connection) -> bool:
    """FTS5 with the trigram tokenizer (SQLite 3.34+) in this SQLite library."""
    release = str(bind.exec_driver_sql("SELECT sqlite_version()").scalar())
    version = tuple(int(p) for p in release.split("."))
    fts5 = bind.exec_driver_sql("SELECT sqlite_compileoption_used('ENABLE_FTS5')").scalar()
    return bool(fts5) and version >= (3, 34)


def upgrade() -> None:
    op.create_index("ix_events_listing", "events", [sa.text("(event_date IS NULL)"), *LISTING], unique=False)
    op.create_index(
        op.f("ix_event_actors_actor_event_id"), "event_actors", ["actor", "event_id"], unique=False
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and _trigram_fts(bind):
        for statement in SEARCH_SQL:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SEARCH_DROP:
            op.execute(statement)
    op.drop_index(op.f("ix_event_actors_actor_event_id"), table_name="event_actors")
    op.drop_index("ix_events_listing", table_name="events")
