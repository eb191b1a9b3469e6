"""Console pages on the real server: fleet, publish and rollback, statistics, kiosks, users."""

from __future__ import annotations

import csv
import html
import io
import tarfile
import zipfile

import pytest

from admin_sync.protocol import Provisioning
from tests.admin_sync.console_env import ConsoleEnv, tar_folder, valid_source, zip_folder


@pytest.fixture
def env(tmp_path) -> ConsoleEnv:
    env = ConsoleEnv(tmp_path)
    env.sign_in()
    return env


def publish(env: ConsoleEnv, name: str, data: bytes, production: bool = False):
    csrf = env.csrf(env.client.get("/console/releases").text)
    form = {"csrf": csrf}
    if production:
        form["production"] = "on"
    return env.client.post(
        "/console/releases/publish", data=form, files={"archive": (name, data, "application/zip")}
    )


def release_versions(env: ConsoleEnv) -> list[int]:
    return env.app.state.data.release_versions()


def test_publish_zip_then_tar_then_roll_back(env, tmp_path) -> None:
    source = valid_source(tmp_path / "src")
    response = publish(env, "content.zip", zip_folder(source))
    assert response.status_code == 200, response.text
    assert "Published content version 1" in response.text
    response = publish(env, "content.tar.gz", tar_folder(source))
    assert "Published content version 2" in response.text
    assert release_versions(env) == [1, 2]
    csrf = env.csrf(response.text)
    response = env.client.post("/console/releases/rollback", data={"csrf": csrf, "version": "1"})
    assert response.status_code == 200 and "republished as version 3" in response.text
    assert "content of version 1" in response.text
    assert release_versions(env) == [1, 2, 3]


def test_validator_errors_are_shown_and_nothing_is_published(env, tmp_path) -> None:
    source = valid_source(tmp_path / "src")
    airports = source / "airports.yaml"
    airports.write_text(airports.read_text().replace("id: TAS", "id: TASHKENT", 1))
    response = publish(env, "broken.zip", zip_folder(source))
    assert response.status_code == 422
    assert "nothing was published" in response.text.lower()
    assert "airports.yaml:" in response.text  # file:line of the problem
    assert release_versions(env) == []


@pytest.mark.parametrize(
    ("name", "member", "words"),
    [
        ("evil.zip", "../outside.txt", "'..' is not allowed"),
        ("evil.zip", "/etc/passwd", "absolute paths"),
        ("evil.tar.gz", "../../outside.txt", "'..' is not allowed"),
    ],
)
def test_unsafe_archives_are_refused(env, tmp_path, name, member, words) -> None:
    buffer = io.BytesIO()
    if name.endswith(".zip"):
        with zipfile.ZipFile(buffer, "w") as zf:
            zf.writestr(member, "x")
    else:
        with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
            info = tarfile.TarInfo(member)
            info.size = 1
            tar.addfile(info, io.BytesIO(b"x"))
    response = publish(env, name, buffer.getvalue())
    assert response.status_code == 400 and words in html.unescape(response.text)
    assert not (tmp_path / "outside.txt").exists()
    assert release_versions(env) == []


def test_symlinks_and_bombs_are_refused(env) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        info = tarfile.TarInfo("content/link")
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
        tar.addfile(info)
    response = publish(env, "link.tar.gz", buffer.getvalue())
    assert response.status_code == 400 and "only files and folders" in response.text
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("content/release.yaml", b"\0" * (65 * 1024 * 1024))
    response = publish(env, "bomb.zip", bomb.getvalue())
    assert response.status_code == 400 and "more than" in response.text
    response = publish(env, "junk.zip", b"this is not an archive")
    assert response.status_code == 400 and "not a readable" in response.text


def test_fleet_status_from_heartbeats(env) -> None:
    # the heartbeat is stamped with the server's injected clock (a fixed date, far from now)
    page = env.client.get("/console/fleet").text
    assert "never seen" in page
    assert (
        env.heartbeat(
            content_version=1, free_disk_bytes=12 * 1024**3, last_error="disk slow"
        ).status_code
        == 200
    )
    page = env.client.get("/console/fleet").text
    assert ">online<" in page and "12.0 GB" in page and "disk slow" in page and "0.1.0" in page
    with env.app.state.db.connect() as conn:
        received = conn.execute("SELECT received_at FROM heartbeats").fetchone()[0]
    assert received == env.clock.now.isoformat()
    env.clock.advance(minutes=30)
    assert ">late<" in env.client.get("/console/fleet").text
    env.clock.advance(minutes=200)
    assert ">offline<" in env.client.get("/console/fleet").text


def seed_stats(env: ConsoleEnv) -> None:
    assert (
        env.upload_batch(
            "2026-11-20",
            2,
            [("session", "start", 11), ("language", "uz", 6), ("destination", "RU", 8)],
        ).status_code
        == 201
    )
    assert (
        env.upload_batch(
            "2026-11-21",
            1,
            [
                ("session", "start", 23),
                ("language", "ru", 9),
                ("language", "_suppressed", 5),
                ("help_opened", "1", 7),
                ("qr_shown", "tel", 5),
            ],
        ).status_code
        == 201
    )


def test_statistics_charts_tables_and_filters(env) -> None:
    seed_stats(env)
    page = env.client.get("/console/stats?from=2026-11-01&to=2026-11-22").text
    assert page.count("<svg") >= 5 and "<polyline" in page
    # the text alternative and the data table carry the numbers
    assert "TAS" in page and "<td>23</td>" in page and "ru: 9" in page
    assert "other (small groups merged)" in page and "phone number: 5" in page
    only_fru = env.client.get("/console/stats?airport=FRU&from=2026-11-01&to=2026-11-22").text
    assert "<td>23</td>" not in only_fru and "No sessions in this period" in only_fru
    narrow = env.client.get("/console/stats?from=2026-11-21&to=2026-11-21").text
    assert "<td>23</td>" in narrow and "<td>11</td>" not in narrow
    bad = env.client.get("/console/stats?from=yesterday&airport=<script>")
    assert bad.status_code == 200 and "not a date" in bad.text and "<script>" not in bad.text


def test_csv_export(env) -> None:
    seed_stats(env)
    response = env.client.get("/console/stats.csv?from=2026-11-01&to=2026-11-22")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    sessions = sum(int(r["count"]) for r in rows if r["metric"] == "session")
    assert sessions == 34 and {r["airport"] for r in rows} == {"TAS"}
    assert set(rows[0]) == {"day", "airport", "kiosk", "day_part", "metric", "value", "count"}


def test_programme_report(env) -> None:
    seed_stats(env)
    page = env.client.get("/console/report?from=2026-11-01&to=2026-11-22").text
    assert "<strong>34</strong> kiosk sessions" in page
    assert "Tashkent (TAS)</th><td>34</td><td>1</td><td>2</td>" in page
    assert "Help screen opened 7 times" in page


def test_add_kiosk_downloads_a_provisioning_file_then_revoke(env) -> None:
    csrf = env.csrf(env.client.get("/console/kiosks").text)
    response = env.client.post(
        "/console/kiosks/add", data={"csrf": csrf, "airport": "ASB", "name": "ASB-01"}
    )
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    provisioning = Provisioning.from_bytes(response.content)
    assert provisioning.airport == "ASB" and provisioning.server_url == "http://testserver"
    assert provisioning.trusted_root["signed"]["_type"] == "root"
    # the new kiosk's token works on the kiosk API
    ok = env.client.post(
        "/api/v1/heartbeat",
        json={"kiosk_id": provisioning.kiosk_id, "app_version": "1", "uptime_seconds": 1},
        headers={"Authorization": f"Bearer {provisioning.token}"},
    )
    assert ok.status_code == 200
    assert "ASB-01" in env.client.get("/console/fleet").text
    response = env.client.post(
        "/console/kiosks/revoke", data={"csrf": csrf, "kiosk": provisioning.kiosk_id}
    )
    assert response.status_code == 200 and "revoked" in response.text
    again = env.client.post(
        "/api/v1/heartbeat",
        json={"kiosk_id": provisioning.kiosk_id, "app_version": "1", "uptime_seconds": 1},
        headers={"Authorization": f"Bearer {provisioning.token}"},
    )
    assert again.status_code == 403
    duplicate = env.client.post(
        "/console/kiosks/add", data={"csrf": csrf, "airport": "ASB", "name": "ASB-01"}
    )
    assert duplicate.status_code == 400 and "already exists" in duplicate.text


def test_users_add_role_disable(env) -> None:
    csrf = env.csrf(env.client.get("/console/users").text)
    response = env.client.post(
        "/console/users/add",
        data={"csrf": csrf, "name": "nodira", "password": "short", "role": "viewer"},
    )
    assert response.status_code == 400 and "10 to 256 characters" in response.text
    response = env.client.post(
        "/console/users/add",
        data={"csrf": csrf, "name": "nodira", "password": "a long passphrase", "role": "viewer"},
    )
    assert response.status_code == 200 and "User nodira added" in response.text
    assert env.users.get("nodira").role == "viewer"
    env.client.post("/console/users/role", data={"csrf": csrf, "name": "nodira", "role": "editor"})
    assert env.users.get("nodira").role == "editor"
    env.client.post("/console/users/disable", data={"csrf": csrf, "name": "nodira"})
    assert env.users.get("nodira").disabled_at is not None
    # the last active editor cannot demote or disable themself
    env.client.post("/console/users/disable", data={"csrf": csrf, "name": "vic"})
    response = env.client.post(
        "/console/users/role", data={"csrf": csrf, "name": "edna", "role": "viewer"}
    )
    assert response.status_code == 400 and "at least one active editor" in response.text
    assert env.users.get("edna").role == "editor"
