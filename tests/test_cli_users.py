"""marsad users add / list / remove / token through the command line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

import marsad
from marsad.cli import main


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_users_add_asks_for_the_password_twice(tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    result = run(
        "users", "add", "amina", "--role", "analyst", "--db", db, input="pass phrase 1\npass phrase 1\n"
    )
    assert result.exit_code == 0, result.output
    assert "added amina (analyst)" in result.output
    assert "pass phrase 1" not in result.output  # not echoed
    # a mistyped confirmation asks again
    result = run(
        "users", "add", "karim", "--db", db, input="first try 1\nfirst try 2\nsecond 12\nsecond 12\n"
    )
    assert result.exit_code == 0 and "added karim (viewer)" in result.output
    with marsad.open(db) as obs:
        assert obs.authenticate("amina", "pass phrase 1") is not None
        assert obs.authenticate("karim", "second 12") is not None


def test_users_from_stdin_list_token_and_remove(tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    result = run(
        "users", "add", "ops", "--role", "admin", "--password-stdin", "--db", db, input="s3cret pass\n"
    )
    assert result.exit_code == 0, result.output
    token = run("users", "token", "ops", "--db", db).output.strip()
    assert token.startswith("marsad_") and "\n" not in token
    listed = run("users", "list", "--db", db).output
    assert "ops  admin" in listed and "1 token" in listed
    [row] = [
        json.loads(line) for line in run("users", "list", "--format", "jsonl", "--db", db).output.splitlines()
    ]
    assert row["name"] == "ops" and row["role"] == "admin" and row["tokens"] == 1
    assert "token" not in json.dumps(row).replace('"tokens"', "")  # never the token itself
    with marsad.open(db) as obs:
        assert obs.authenticate("ops", "s3cret pass") is not None
    assert run("users", "token", "ops", "--revoke", "--db", db).output.strip() == "revoked 1 token of ops"
    assert run("users", "remove", "ops", "--db", db).exit_code == 0
    assert "no users" in run("users", "list", "--db", db).output


def test_users_errors_are_one_line(tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    short = run("users", "add", "amina", "--password-stdin", "--db", db, input="short\n")
    assert (
        short.exit_code == 1 and short.output.strip() == "marsad: [E070] a password has at least 8 characters"
    )
    role = run(
        "users", "add", "amina", "--role", "boss", "--password-stdin", "--db", db, input="long enough\n"
    )
    assert role.exit_code == 2
    run("users", "add", "amina", "--password-stdin", "--db", db, input="long enough\n")
    again = run("users", "add", "amina", "--password-stdin", "--db", db, input="long enough\n")
    assert again.exit_code == 1 and "already a user 'amina'" in again.output
    missing = run("users", "remove", "ghost", "--db", db)
    assert missing.exit_code == 1 and "no user 'ghost'" in missing.output
    token = run("users", "token", "ghost", "--db", db)
    assert token.exit_code == 1 and "[E070] no user 'ghost'" in token.output


def test_users_role_and_password(tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    run("users", "add", "amina", "--password-stdin", "--db", db, input="first passphrase\n")
    assert run("users", "role", "amina", "analyst", "--db", db).output.strip() == "amina is now analyst"
    result = run("users", "password", "amina", "--db", db, input="second passphrase\nsecond passphrase\n")
    assert result.exit_code == 0 and "their sessions ended" in result.output
    with marsad.open(db) as obs:
        assert obs.authenticate("amina", "first passphrase") is None
        assert obs.authenticate("amina", "second passphrase")["role"] == "analyst"
    missing = run("users", "role", "ghost", "admin", "--db", db)
    assert missing.exit_code == 1 and "no user 'ghost'" in missing.output
    short = run("users", "password", "amina", "--password-stdin", "--db", db, input="short\n")
    assert short.exit_code == 1 and "at least 8 characters" in short.output
