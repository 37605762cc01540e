"""Users, roles, password hashes, bearer tokens and sessions in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

import marsad
from marsad.errors import AccessError
from marsad.store import Store
from marsad.store.users import ROLES, Users, digest, rank


def test_roles_are_ordered() -> None:
    assert [rank(r) for r in ROLES] == [0, 1, 2]
    with pytest.raises(AccessError, match="unknown role 'editor'; use one of viewer, analyst, admin"):
        rank("editor")


def test_users_with_roles_and_argon2_hashes(db_url: str) -> None:
    with marsad.open(db_url) as obs:
        added = obs.add_user("amina", "a long passphrase", role="analyst")
        assert added["name"] == "amina" and added["role"] == "analyst"
        obs.add_user("karim", "another passphrase")  # viewer unless told
        assert [(u["name"], u["role"]) for u in obs.users()] == [("amina", "analyst"), ("karim", "viewer")]
        with obs.store.engine.connect() as conn:
            stored = conn.exec_driver_sql("SELECT password_hash FROM users WHERE name = 'amina'").scalar()
        assert stored.startswith("$argon2id$") and "a long passphrase" not in stored
        assert obs.authenticate("amina", "a long passphrase")["role"] == "analyst"
        assert obs.authenticate("amina", "a long passphrasE") is None
        assert obs.authenticate("nobody", "a long passphrase") is None
        with pytest.raises(AccessError, match="already a user 'amina'"):
            obs.add_user("amina", "yet another one", role="admin")
        with pytest.raises(AccessError, match="at least 8 characters"):
            obs.add_user("short", "1234567")
        with pytest.raises(AccessError, match="unknown role"):
            obs.add_user("x", "long enough pass", role="superuser")
        with pytest.raises(AccessError, match="no spaces or control characters"):
            obs.add_user("two words", "long enough pass")
        assert obs.add_user("نور", "long enough pass")["name"] == "نور"  # any script's letters
        assert obs.remove_user("karim") and not obs.remove_user("karim")
        assert {u["name"] for u in obs.users()} == {"amina", "نور"}


def test_tokens_are_kept_hashed_and_die_with_their_user(db_url: str) -> None:
    with marsad.open(db_url) as obs:
        obs.add_user("amina", "a long passphrase", role="analyst")
        users = Users(obs.store)
        first, second = obs.new_token("amina"), obs.new_token("amina")
        assert first != second and first.startswith("marsad_") and len(first) > 40
        assert obs.users()[0]["tokens"] == 2
        with obs.store.engine.connect() as conn:
            kept = {r[0] for r in conn.exec_driver_sql("SELECT token_hash FROM user_tokens")}
        assert kept == {digest(first), digest(second)} and first not in kept
        found = users.for_token(first)
        assert found is not None and found.name == "amina" and found.can("analyst") and not found.can("admin")
        assert users.for_token(first + "x") is None and users.for_token("not a token") is None
        with pytest.raises(AccessError, match="no user 'ghost'"):
            obs.new_token("ghost")
        session_id, session = users.new_session("amina")
        assert users.session(session_id) == session
        assert obs.revoke_tokens("amina") == 2 and users.for_token(second) is None
        third = obs.new_token("amina")
        obs.remove_user("amina")
        assert users.for_token(third) is None and users.session(session_id) is None


def test_sessions_end_and_a_new_password_ends_them(db_url: str) -> None:
    store = Store(db_url)
    users = Users(store)
    users.add("amina", "a long passphrase", role="admin")
    sid, session = users.new_session("amina")
    assert session.expires_at - session.user.created_at > timedelta(hours=11)
    assert users.session(sid) is not None and users.session("forged") is None
    assert users.all()[0].sessions == 1
    over, _ = users.new_session("amina", hours=-1)
    assert users.session(over) is None
    users.set_password("amina", "a new passphrase")
    assert users.session(sid) is None
    assert users.authenticate("amina", "a long passphrase") is None
    assert users.authenticate("amina", "a new passphrase") is not None
    users.end_session(sid)  # ending an ended session is harmless
    assert users.set_role("amina", "viewer").role == "viewer"
    store.close()
