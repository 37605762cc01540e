"""Coded, one-line errors that say what to do (numbers are never reused)."""

from __future__ import annotations


class MarsadError(Exception):
    """Base of every error marsad raises on purpose; the CLI prints it as one line."""

    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")


class UsageError(MarsadError):
    code = "E001"


class KnowledgeError(MarsadError):
    """A knowledge file is malformed: names the file, line and field."""

    code = "E010"


class ModelNotFound(MarsadError):
    code = "E020"


class StoreError(MarsadError):
    code = "E030"


class WatchError(MarsadError):
    """A feed list, an interval or an alert rule that cannot be used: names the file and key."""

    code = "E040"


class ClusterError(MarsadError):
    """The Dask scheduler cannot be reached, or went away during an ingest."""

    code = "E050"


class EventNotFound(MarsadError):
    """No event with this id (it may have been merged into another: ids follow the founding report)."""

    code = "E060"


class EditError(MarsadError):
    """An analyst's edit that cannot be made: a field that cannot be edited, a bad value, a split
    that names reports of another event."""

    code = "E061"


class AccessError(MarsadError):
    """A user name, role, password or token that cannot be used (``marsad users``, logging in)."""

    code = "E070"
