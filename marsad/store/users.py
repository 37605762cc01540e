"""Users, their bearer tokens and their login sessions, kept in the marsad store.

Passwords are hashed with argon2id (``argon2-cffi``'s :class:`PasswordHasher`, its default
parameters, re-hashed on login when those change). Bearer tokens and session ids are random
256-bit secrets shown once; the store keeps only their SHA-256, so a copy of the database
lets no one in. A session also carries the CSRF token the page sends back with every write.
Roles are ordered: ``viewer`` < ``analyst`` < ``admin``; a role includes the ones below it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import secrets
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, func, insert, select, update

from marsad.errors import AccessError
from marsad.store.schema import user_sessions, user_tokens, users

if TYPE_CHECKING:
    from marsad.store.store import Store

ROLES = ("viewer", "analyst", "admin")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # argon2 hashes anything, but a megabyte "password" is an attack, not a secret
MAX_NAME = 64
TOKEN_PREFIX = "marsad_"
SESSION_HOURS = 12.0


def rank(role: str) -> int:
    """A role's place in viewer < analyst < admin (AccessError for an unknown role)."""
    try:
        return ROLES.index(role)
    except ValueError:
        raise AccessError(f"unknown role {role!r}; use one of {', '.join(ROLES)}") from None


def check_name(name: str) -> str:
    """A user name: 1-64 characters, no spaces or control characters, not starting with '-'."""
    if not name or len(name) > MAX_NAME:
        raise AccessError(f"a user name has 1 to {MAX_NAME} characters; got {len(name)}")
    bad = [c for c in name if c.isspace() or unicodedata.category(c).startswith("C")]
    if bad:
        raise AccessError(f"a user name has no spaces or control characters; {name!r} has {bad[0]!r}")
    if name.startswith("-"):
        raise AccessError(f"a user name cannot start with '-' (it would read as an option): {name!r}")
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccessError(f"a password has at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccessError(f"a password has at most {MAX_PASSWORD} characters")
    return password


def digest(secret: str) -> str:
    """What the store keeps of a token or session id: its SHA-256, hex."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def now() -> datetime:
    return datetime.now(UTC)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _hasher() -> Any:
    from argon2 import PasswordHasher  # loaded when a password is hashed or checked

    return PasswordHasher()


@dataclass(frozen=True)
class User:
    name: str
    role: str
    created_at: datetime
    tokens: int = 0
    sessions: int = 0

    def can(self, role: str) -> bool:
        """Does this user's role include ``role``?"""
        return rank(self.role) >= rank(role)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "created_at": self.created_at.isoformat(timespec="seconds"),
            "tokens": self.tokens,
            "sessions": self.sessions,
        }


@dataclass(frozen=True)
class Session:
    """A live login session: who, the CSRF token its writes must carry, and when it ends."""

    user: User
    csrf: str
    expires_at: datetime


class Users:
    """The users of one marsad store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._dummy: str | None = None

    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        # No store-wide writer lock: these rows are no ingest's business.
        conn = self.store._writer()
        try:
            with conn.begin():
                yield conn
        finally:
            conn.close()

    # -- users --------------------------------------------------------------------------

    def add(self, name: str, password: str, *, role: str = "viewer") -> User:
        """A new user; AccessError if the name is taken or the name, role or password is unusable."""
        check_name(name)
        rank(role)
        hashed = _hasher().hash(check_password(password))
        with self._write() as conn:
            if conn.execute(select(users.c.name).where(users.c.name == name)).first() is not None:
                raise AccessError(f"there is already a user {name!r}; marsad users remove it first")
            conn.execute(insert(users).values(name=name, role=role, password_hash=hashed, created_at=now()))
        found = self.get(name)
        assert found is not None
        return found

    def remove(self, name: str) -> bool:
        """Remove a user with their tokens and sessions; False if there was none."""
        with self._write() as conn:
            conn.execute(delete(user_tokens).where(user_tokens.c.name == name))
            conn.execute(delete(user_sessions).where(user_sessions.c.name == name))
            return bool(conn.execute(delete(users).where(users.c.name == name)).rowcount)

    def set_role(self, name: str, role: str) -> User:
        rank(role)
        with self._write() as conn:
            if not conn.execute(update(users).where(users.c.name == name).values(role=role)).rowcount:
                raise AccessError(f"no user {name!r}; see marsad users list")
        found = self.get(name)
        assert found is not None
        return found

    def set_password(self, name: str, password: str) -> None:
        """A new password; every session of the user ends (tokens stay)."""
        hashed = _hasher().hash(check_password(password))
        with self._write() as conn:
            if not conn.execute(
                update(users).where(users.c.name == name).values(password_hash=hashed)
            ).rowcount:
                raise AccessError(f"no user {name!r}; see marsad users list")
            conn.execute(delete(user_sessions).where(user_sessions.c.name == name))

    def all(self) -> list[User]:
        """Every user by name, with how many tokens and live sessions each has."""
        with self.store._reader() as conn:
            tokens: dict[str, int] = dict(
                conn.execute(select(user_tokens.c.name, func.count()).group_by(user_tokens.c.name)).all()
            )
            live: dict[str, int] = dict(
                conn.execute(
                    select(user_sessions.c.name, func.count())
                    .where(user_sessions.c.expires_at > now())
                    .group_by(user_sessions.c.name)
                ).all()
            )
            rows = conn.execute(select(users.c.name, users.c.role, users.c.created_at).order_by(users.c.name))
            return [
                User(r.name, r.role, _utc(r.created_at), tokens.get(r.name, 0), live.get(r.name, 0))
                for r in rows
            ]

    def get(self, name: str) -> User | None:
        with self.store._reader() as conn:
            row = conn.execute(
                select(users.c.name, users.c.role, users.c.created_at).where(users.c.name == name)
            ).first()
        return None if row is None else User(row.name, row.role, _utc(row.created_at))

    def authenticate(self, name: str, password: str) -> User | None:
        """The user if the password is theirs, else None (as slow for an unknown name)."""
        from argon2.exceptions import InvalidHashError, VerificationError

        hasher = _hasher()
        with self.store._reader() as conn:
            row = (
                conn.execute(select(users.c.password_hash).where(users.c.name == name)).first()
                if len(name) <= MAX_NAME
                else None
            )
        stored = row.password_hash if row is not None else self._dummy_hash()
        try:
            hasher.verify(stored, password[: MAX_PASSWORD + 1])
        except (VerificationError, InvalidHashError):
            return None
        if row is None:
            return None
        if hasher.check_needs_rehash(stored):
            with self._write() as conn:
                conn.execute(
                    update(users).where(users.c.name == name).values(password_hash=hasher.hash(password))
                )
        return self.get(name)

    def _dummy_hash(self) -> str:
        # An unknown name costs one argon2 check too: timing does not say which names exist.
        if self._dummy is None:
            self._dummy = _hasher().hash(secrets.token_urlsafe(16))
        return self._dummy

    # -- bearer tokens ----------------------------------------------------------------

    def new_token(self, name: str) -> str:
        """A new bearer token for ``name``, returned once (the store keeps its hash)."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self._write() as conn:
            if conn.execute(select(users.c.name).where(users.c.name == name)).first() is None:
                raise AccessError(f"no user {name!r}; add one with marsad users add {name} --role analyst")
            conn.execute(insert(user_tokens).values(token_hash=digest(token), name=name, created_at=now()))
        return token

    def revoke_tokens(self, name: str) -> int:
        """Revoke every token of ``name``; how many there were."""
        with self._write() as conn:
            return int(conn.execute(delete(user_tokens).where(user_tokens.c.name == name)).rowcount or 0)

    def for_token(self, token: str) -> User | None:
        """The user a bearer token belongs to, or None."""
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        query = (
            select(users.c.name, users.c.role, users.c.created_at)
            .join(user_tokens, user_tokens.c.name == users.c.name)
            .where(user_tokens.c.token_hash == digest(token))
        )
        with self.store._reader() as conn:
            row = conn.execute(query).first()
        return None if row is None else User(row.name, row.role, _utc(row.created_at))

    # -- sessions ---------------------------------------------------------------------

    def new_session(self, name: str, *, hours: float = SESSION_HOURS) -> tuple[str, Session]:
        """A new login session: (the cookie's secret id, the session). Ended sessions are swept."""
        user = self.get(name)
        if user is None:
            raise AccessError(f"no user {name!r}")
        session_id = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        started = now()
        ends = started + timedelta(hours=hours)
        with self._write() as conn:
            conn.execute(delete(user_sessions).where(user_sessions.c.expires_at <= started))
            conn.execute(
                insert(user_sessions).values(
                    session_hash=digest(session_id), name=name, csrf=csrf, created_at=started, expires_at=ends
                )
            )
        return session_id, Session(user, csrf, ends)

    def session(self, session_id: str) -> Session | None:
        """The live session with this id, or None (unknown or ended)."""
        if not session_id or len(session_id) > 200:
            return None
        query = (
            select(
                users.c.name,
                users.c.role,
                users.c.created_at,
                user_sessions.c.csrf,
                user_sessions.c.expires_at,
            )
            .join(user_sessions, user_sessions.c.name == users.c.name)
            .where(user_sessions.c.session_hash == digest(session_id))
        )
        with self.store._reader() as conn:
            row = conn.execute(query).first()
        if row is None or _utc(row.expires_at) <= now():
            return None
        return Session(User(row.name, row.role, _utc(row.created_at)), row.csrf, _utc(row.expires_at))

    def end_session(self, session_id: str) -> None:
        with self._write() as conn:
            conn.execute(delete(user_sessions).where(user_sessions.c.session_hash == digest(session_id)))


def same_secret(a: str, b: str) -> bool:
    """Constant-time comparison of two secrets (a CSRF token with the session's)."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))
