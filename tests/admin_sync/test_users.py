"""`safe-airports admin add-user`: an administrator who can then sign in (console and API)."""

from __future__ import annotations

import subprocess
import sys

from argon2 import PasswordHasher

from admin_sync.users import UsersDB, users_db_path


def run(*args: str, stdin: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "safe_airports_cli", "admin", "add-user", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_add_user_then_sign_in(tmp_path) -> None:
    done = run(
        "amina",
        "--data",
        str(tmp_path),
        "--role",
        "editor",
        "--password-stdin",
        stdin="correct horse battery\n",
    )
    assert done.returncode == 0, done.stderr
    db = UsersDB(users_db_path(tmp_path), hasher=PasswordHasher())
    assert db.get("amina").role == "editor"
    assert db.sign_in("amina", "correct horse battery").token
    assert db.sign_in("amina", "wrong horse battery").token is None
    stored = (tmp_path / "users.db").read_bytes()
    assert b"correct horse battery" not in stored and b"$argon2id$" in stored


def test_refuses_short_passwords_and_duplicates(tmp_path) -> None:
    short = run("bob", "--data", str(tmp_path), "--password-stdin", stdin="short\n")
    assert short.returncode == 2 and "10 to 256 characters" in short.stderr
    assert (
        run("bob", "--data", str(tmp_path), "--password-stdin", stdin="long enough pw\n").returncode
        == 0
    )
    again = run("bob", "--data", str(tmp_path), "--password-stdin", stdin="long enough pw\n")
    assert again.returncode == 2 and "already exists" in again.stderr


def test_the_old_separate_commands_are_gone(tmp_path) -> None:
    for old in (["add-console-user", "x"], ["add-user", "x", "--token-out", "t"]):
        done = subprocess.run(
            [sys.executable, "-m", "safe_airports_cli", "admin", *old, "--data", str(tmp_path)],
            input="long enough pw\n",
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2, old
        assert "invalid choice" in done.stderr or "unrecognized arguments" in done.stderr
