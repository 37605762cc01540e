"""store: the durable event record (SQLite by default, PostgreSQL by URL)."""

from marsad.store.engine import resolve_url
from marsad.store.store import Store
from marsad.store.summary import IngestSummary

__all__ = ["IngestSummary", "Store", "resolve_url"]
