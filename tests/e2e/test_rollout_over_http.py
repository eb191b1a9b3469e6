"""The staged rollout driven over HTTP: `safe-airports admin publish --server URL --user NAME
--first-to-airports TMJ`, then `admin rollout status|promote|halt --server ...` against a real
server process on 127.0.0.1, with real agents syncing (helpers of test_staged_rollout.py).

Staged to Termez's airport, the Termez kiosk installs it and the Tashkent one keeps version 1;
promoted to Tashkent's airport too, the Tashkent kiosk installs it; halted, the Termez kiosk goes
back to version 1's content under a new version. Every step is one audit row with via "api"."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

import safe_airports_cli
from admin_sync.audit_log import AuditFilter
from admin_sync.datadir import DataDir
from admin_sync.users import UsersDB, users_db_path
from tests.admin_sync.console_env import FAST_HASHER
from tests.admin_sync.sync.kiosk_under_test import SAMPLE_DIR
from tests.admin_sync.sync.processes import KioskDisk
from tests.e2e.server_process import ServerProcess, init_data
from tests.e2e.test_staged_rollout import EDITED_ARTICLE, installed, sync

pytestmark = pytest.mark.e2e
EDITOR, PASSWORD = "termez-editor", "a long editor password"


def test_stage_promote_halt_with_the_cli_over_http(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data_path = init_data(tmp_path)
    users = UsersDB(users_db_path(data_path), hasher=FAST_HASHER)
    users.migrate()
    users.add_user(EDITOR, PASSWORD, "editor")
    server = ServerProcess(data_path)
    server.start()

    def admin(*args: str) -> tuple[int, str]:
        """`safe-airports admin ARGS --server URL --user NAME --password-stdin`: code, output."""
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        capsys.readouterr()
        over_http = ("--server", server.url, "--user", EDITOR, "--password-stdin")
        code = safe_airports_cli.main(["admin", *args, *over_http])
        out = capsys.readouterr()
        return code, out.out + out.err

    try:
        code, out = admin("publish", str(SAMPLE_DIR))
        assert code == 0 and out.startswith("published content version 1 ("), out
        assert "staged" not in out
        tas = KioskDisk(tmp_path / "tas", data_path, server.url, "TAS-01", airport="TAS")
        tmj = KioskDisk(tmp_path / "tmj", data_path, server.url, "TMJ-01", airport="TMJ")
        assert sync(tas)["installed_version"] == 1

        # stage version 2 to Termez's airport (the option's prefix, as the task spells it)
        edited = tmp_path / "edited"
        shutil.copytree(SAMPLE_DIR, edited)
        article = edited / EDITED_ARTICLE
        article.write_text(article.read_text("utf-8") + "\nStaged over HTTP.\n", "utf-8")
        code, out = admin("publish", str(edited), "--first-to-airport", "TMJ")
        assert code == 0 and out.endswith(", staged first to airport TMJ\n"), out
        code, out = admin("rollout", "status")
        assert (code, out) == (
            0,
            "content version for all kiosks: 1\nstaged: content version 2 to airport TMJ\n",
        )
        cycle = sync(tmj)
        assert (cycle["outcome"], cycle["installed_version"]) == ("installed", 2)
        assert installed(tmj).content_version == 2
        assert sync(tas)["outcome"] == "up-to-date"

        # refusals come back as the server's words, exit code 1, nothing changed
        code, out = admin("publish", str(edited), "--first-to-airports", "LHR")
        assert code == 1 and "HTTP 422" in out and "first_to_airport: Choose one of" in out, out
        code, out = admin("rollout", "promote", "--airports", "TAS", "--ring", "1")
        assert code == 1 and "airport and ring: give one audience" in out, out

        # promote to Tashkent's airport too: the Tashkent kiosk installs version 2
        code, out = admin("rollout", "promote", "--airports", "TAS")
        assert (code, out) == (0, "content version 2 is now offered to airports TAS, TMJ\n")
        cycle = sync(tas)
        assert (cycle["outcome"], cycle["installed_version"]) == ("installed", 2)

        # halt: the Termez kiosk goes back to version 1's content, as version 3
        code, out = admin("rollout", "halt")
        assert (code, out) == (
            0,
            "content version 2 halted; the previous content republished as version 3\n",
        )
        cycle = sync(tmj)
        assert (cycle["outcome"], cycle["installed_version"]) == ("installed", 3)
        assert installed(tmj).rollback_of == 1
        code, out = admin("rollout", "halt")
        assert code == 1 and "HTTP 409" in out and "nothing to halt" in out, out
    finally:
        server.stop()

    log = DataDir(data_path).audit_log().entries(AuditFilter(who=EDITOR), limit=20)
    assert [(e.action, e.item, e.via) for e in reversed(log)] == [
        ("publish", "content version 1", "api"),
        ("stage", "content version 2", "api"),
        ("promote", "content version 2", "api"),
        ("rollback", "content version 3", "api"),  # version 1's content, republished
        ("halt", "content version 2", "api"),
    ]
