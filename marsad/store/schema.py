"""The database schema (SQLAlchemy Core): the single source the migrations must match.

Articles are kept per text version (keyed by content hash) so that re-reading the same
text is a no-op and a corrected text becomes a new version of the same document.
Reports are what one article says about one event; events are what reports are linked
into (marsad.link: one event per happening, however many sources tell it). Places and
actors are shared registries; claims keep who said which number, with offsets into the
article text.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

articles = Table(
    "articles",
    metadata,
    Column("content_hash", String(64), primary_key=True),
    Column("article_id", Text, nullable=False),
    # url if the reader found one, else the article id: versions share a doc_key
    Column("doc_key", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("is_current", Boolean, nullable=False),
    Column("title", Text),
    Column("publisher", Text),
    Column("url", Text),
    Column("source_path", Text),
    Column("dateline", Text),
    Column("publish_date", Date),
    Column("text", Text, nullable=False),
    Column("read_at", DateTime(timezone=True), nullable=False),
    Column("extractor_version", String(64), nullable=False),
    Index(None, "article_id"),
    Index(None, "doc_key"),
)

places = Table(
    "places",
    metadata,
    Column("place_id", String(32), primary_key=True),  # hash of every field below
    Column("location", Text),
    Column("admin1", Text),
    Column("country", Text),
    Column("iso3", String(3)),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("geonameid", Integer),
)

# Fields an event and a report share (the EVENT table of docs/events.md minus place and sources).
_EVENT_COLUMNS = (
    ("event_date", Date),
    ("date_precision", String(8)),
    ("event_type", Text),
    ("sub_event_type", Text),
    ("actor1", Text),
    ("actor2", Text),
    ("assoc_actor_1", JSON),
    ("assoc_actor_2", JSON),
    ("geo_precision", Integer),
    ("fatalities", Integer),
    ("fatalities_low", Integer),
    ("fatalities_high", Integer),
    ("fatalities_by_actor", JSON),
    ("wounded", Integer),
    ("notes", Text),
)


def _event_columns() -> list[Column[Any]]:
    return [Column(name, type_) for name, type_ in _EVENT_COLUMNS]


events = Table(
    "events",
    metadata,
    Column("event_id", String(32), primary_key=True),
    Column("place_id", String(32), ForeignKey("places.place_id")),
    *_event_columns(),
    # The store's change counter (``counters``) when the event was last added or changed, and
    # when it was added: what the live map's stream (``/api/stream``) reads after a watermark.
    Column("change_seq", BigInteger, nullable=False, server_default="0"),
    Column("created_seq", BigInteger, nullable=False, server_default="0"),
    Column("updated_at", DateTime(timezone=True)),
    # review part (migration 0006): provisional (machine), verified, edited or rejected; a
    # flag when a new report contradicts an analyst's value, with a one-line reason
    Column("status", String(16), nullable=False, server_default="provisional"),
    Column("flagged", Boolean, nullable=False, server_default=false()),
    Column("flag_reason", Text),
    Index(None, "event_date"),
    Index(None, "place_id"),
    Index(None, "change_seq", "event_id"),
)
# The listing's order (undated last, then date, then id) with every column the event
# filters test: a page or a count reads this index alone (marsad.store.query).
Index(
    "ix_events_listing",
    events.c.event_date.is_(None),
    *(events.c[name] for name in ("event_date", "event_id", "place_id", "event_type")),
    *(events.c[name] for name in ("sub_event_type", "fatalities")),
    events.c.status,  # review part: the default listing leaves rejected events out
)

reports = Table(
    "reports",
    metadata,
    Column("report_id", String(32), primary_key=True),
    Column(
        "content_hash", String(64), ForeignKey("articles.content_hash", ondelete="CASCADE"), nullable=False
    ),
    Column("report_index", Integer, nullable=False),
    Column("event_id", String(32), ForeignKey("events.event_id"), nullable=False),
    Column("link_explanation", Text, nullable=False),
    # the connected component of the candidate graph the report is in: what an update re-clusters
    Column("link_group", String(32), nullable=False),
    Column("place_id", String(32), ForeignKey("places.place_id")),
    *_event_columns(),
    Index(None, "content_hash"),
    Index(None, "event_id"),
    Index(None, "link_group"),
)

# Blocking keys (marsad.link.block) each report is filed under: the database finds a new
# report's candidates exactly as the linker would in memory.
link_blocks = Table(
    "link_blocks",
    metadata,
    Column("block", Text, primary_key=True),
    Column("report_id", String(32), ForeignKey("reports.report_id", ondelete="CASCADE"), primary_key=True),
    Index(None, "report_id"),
)

claims = Table(
    "claims",
    metadata,
    Column("report_id", String(32), ForeignKey("reports.report_id", ondelete="CASCADE"), primary_key=True),
    Column("claim_index", Integer, primary_key=True),
    Column("event_id", String(32), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("article_id", Text, nullable=False),
    Column("publisher", Text),
    Column("claimant", Text),
    Column("quote", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("fatalities", Integer),
    Column("wounded", Integer),
    Index(None, "event_id"),
    Index(None, "content_hash"),
)

actors = Table(
    "actors",
    metadata,
    Column("name", Text, primary_key=True),
    Column("category", Text, nullable=False),
)

# Which actors take part in which event, in which role: makes --actor and per-actor
# stats one indexed join on every backend instead of JSON-array tricks.
event_actors = Table(
    "event_actors",
    metadata,
    Column("event_id", String(32), ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(16), primary_key=True),
    Column("actor", Text, ForeignKey("actors.name"), primary_key=True),
    Index(None, "actor"),
    Index(None, "actor", "event_id"),  # an actor's events from the index alone
)

EVENT_FIELDS = tuple(name for name, _ in _EVENT_COLUMNS)

# Counters kept across transactions; ``events`` is the change counter: each write transaction
# that adds or changes events takes the next value (writers are serialised, so the values
# are committed in order and a reader's watermark never skips a row). A table, not
# max(change_seq): an event deleted after its change must not give its number back.
counters = Table(
    "counters",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

# Events deleted (merged into another, or left with no report), with the change number of
# the deleting transaction: the stream tells a live map to drop their markers.
event_removals = Table(
    "event_removals",
    metadata,
    Column("event_id", String(32), primary_key=True),
    Column("change_seq", BigInteger, nullable=False),
    Column("removed_at", DateTime(timezone=True), nullable=False),
    Index(None, "change_seq", "event_id"),
)

# -- live monitoring (marsad watch): feeds, the items already read, alerts sent ------------

# The feeds ``marsad watch`` polls, with what a polite poller keeps (ETag, Last-Modified,
# back-off) and the health ``marsad feeds list`` shows.
feeds = Table(
    "feeds",
    metadata,
    Column("feed_id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False, unique=True),
    Column("name", Text, nullable=False, unique=True),
    Column("every_seconds", Integer, nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_polled_at", DateTime(timezone=True)),
    Column("last_success_at", DateTime(timezone=True)),
    Column("last_error_at", DateTime(timezone=True)),
    Column("last_error", Text),  # one line
    Column("failures", Integer, nullable=False),  # in a row: the back-off's exponent
    Column("next_poll_at", DateTime(timezone=True)),
    Column("items_seen", Integer, nullable=False),
)

# Every feed item already dealt with, by normalised URL (or feed and guid for an item with no
# link): a restart never reads one again. Kept when its feed is removed, so re-adding the
# feed or another feed carrying the same item does not ingest it twice.
feed_items = Table(
    "feed_items",
    metadata,
    Column("item_key", String(64), primary_key=True),
    Column("feed_id", Integer),
    Column("url", Text),
    Column("content_hash", String(64)),
    Column("outcome", Text, nullable=False),  # "stored", "duplicate" or why it gave no article
    Column("seen_at", DateTime(timezone=True), nullable=False),
    Index(None, "content_hash"),
    Index(None, "feed_id", "seen_at"),
)

# Alerts, one row per (rule, event, kind, toll): its id is a hash of those, so the same alert
# is never made twice; a raised toll is a new row of kind "toll".
alerts = Table(
    "alerts",
    metadata,
    Column("alert_id", String(32), primary_key=True),
    Column("rule", Text, nullable=False),
    Column("event_id", String(32), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("fatalities", Integer, nullable=False),
    Column("payload", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index(None, "rule", "event_id"),
)

# Each alert's delivery to each sink (stdout, file, webhook, email): an outbox, so that an
# alert made just before a crash is delivered after the restart, and a sink that failed is
# retried without sending again to the sinks that took it.
alert_deliveries = Table(
    "alert_deliveries",
    metadata,
    Column("alert_id", String(32), ForeignKey("alerts.alert_id", ondelete="CASCADE"), primary_key=True),
    Column("sink", Text, primary_key=True),
    Column("attempts", Integer, nullable=False),
    Column("delivered_at", DateTime(timezone=True)),
    Column("last_error", Text),
    Index(None, "delivered_at"),
)


# --- confidence (issue 23, migration 0009) ------------------------------------------------------
# How sure marsad is of each event and report (docs/confidence.md): the chance that its type, place
# and date are all right; each main field's own chance ({"event_type": 0.93, ...}); and the evidence
# each was read from ({"place": "sentence/town/clear", ...}).
CONFIDENCE_FIELDS = ("confidence", "field_confidence", "confidence_evidence")
for _table in (events, reports):
    _table.append_column(Column("confidence", Float))
    _table.append_column(Column("field_confidence", JSON))
    _table.append_column(Column("confidence_evidence", JSON))


# -- review part (migration 0006): analysts' edits, re-applied after every re-link ----------

# One row per analyst action (verify, edit of one field, reject, merge, split). Kept by the
# event's reports at the time (``event_edit_reports``), not by event id: an id changes when an
# earlier report founds the event anew, the reports do not. Never updated or deleted.
event_edits = Table(
    "event_edits",
    metadata,
    Column("edit_id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(32), nullable=False),  # the event's id when edited
    Column("kind", String(16), nullable=False),  # verify | edit | reject | merge | split
    Column("field", Text),  # edit: the EVENT field
    Column("old", JSON),  # edit: the value before; verify: the values confirmed
    Column("new", JSON),
    Column("editor", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("reason", Text, nullable=False),
    Index(None, "event_id"),
)

# The reports an edit is anchored to, in order: ``anchor`` (the event's reports when edited,
# founding report first) and ``moved`` (merge: the other event's reports; split: those split off).
event_edit_reports = Table(
    "event_edit_reports",
    metadata,
    Column("edit_id", Integer, ForeignKey("event_edits.edit_id", ondelete="CASCADE"), primary_key=True),
    Column("part", String(8), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("report_id", String(32), nullable=False),
    Index(None, "report_id"),
)

# -- history (issue 23): every event as it was after each change ------------------------------

# One row per event per change transaction (the ``events`` counter's value, as in
# ``events.change_seq``): the event's fields, place, actors and reports as the transaction
# left them (``record``, JSON: what ``marsad event ID`` shows, without the quotes), or its
# last fields with ``deleted`` set. ``by`` is the analyst (NULL: marsad itself, whose
# ``extractor`` version made the change) and ``why`` their reason. Written by
# marsad.store.changes (``stamp``, ``removed``) through marsad.store.versions; read by
# ``--history``, ``--as-of`` and ``marsad changes``.
event_versions = Table(
    "event_versions",
    metadata,
    Column("event_id", String(32), primary_key=True),
    Column("change_seq", BigInteger, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("by", Text),
    Column("why", Text),
    Column("extractor", String(64)),
    Column("deleted", Boolean, nullable=False),
    Column("record", JSON, nullable=False),
    Index(None, "change_seq"),
    Index(None, "at"),
)

# -- auth (issue 23): users, their bearer tokens and their login sessions ---------------------

# People who may log in, each with one role (viewer < analyst < admin) and an argon2 hash of
# the password (never the password).
users = Table(
    "users",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Bearer tokens for scripts, kept as the SHA-256 of the token (a random 256-bit secret: a fast
# hash is enough and lets every request be checked in one lookup). Shown once when made.
user_tokens = Table(
    "user_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("name", String(64), ForeignKey("users.name", ondelete="CASCADE"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index(None, "name"),
)

# Login sessions of the web page: the cookie holds a random id, the store its SHA-256, the
# CSRF token the page must send back with every write, and when the session ends.
user_sessions = Table(
    "user_sessions",
    metadata,
    Column("session_hash", String(64), primary_key=True),
    Column("name", String(64), ForeignKey("users.name", ondelete="CASCADE"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Index(None, "name"),
    Index(None, "expires_at"),
)
