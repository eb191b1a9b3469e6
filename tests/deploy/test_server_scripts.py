"""The server installer's and restore script's dry runs: the actions, in order, and nothing done."""

from __future__ import annotations

import os
import pwd
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from admin_sync.server.backup import verify_backup

REPO = Path(__file__).resolve().parents[2]
HERE = REPO / "deploy" / "server"
DEBIAN12 = 'ID=debian\nVERSION_ID="12"\n'


def user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def run_script(tmp_path: Path, script: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    release = tmp_path / "os-release"
    release.write_text(DEBIAN12)
    return subprocess.run(
        ["bash", str(HERE / script), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "SAFE_AIRPORTS_OS_RELEASE": str(release), **env},
        timeout=60,
    )


def actions(output: str) -> list[str]:
    return [line[2:] for line in output.splitlines() if line.startswith("+ ")]


def test_server_install_dry_run_with_own_certificate(tmp_path):
    cert, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    cert.write_text("cert")
    key.write_text("key")
    result = run_script(
        tmp_path, "install.sh", "--dry-run", "--domain", "sa.example.org",
        "--cert", str(cert), "--key", str(key),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    apt = "env DEBIAN_FRONTEND=noninteractive apt-get"
    user = (
        []
        if user_exists("safe-airports")
        else [
            "useradd --system --user-group --home-dir /var/lib/safe-airports-server "
            "--no-create-home --shell /usr/sbin/nologin --comment 'Safe Airports server' "
            "safe-airports"
        ]
    )
    site = "/etc/nginx/sites-available/safe-airports"
    assert actions(result.stdout) == [
        f"{apt} update -q",
        f"{apt} install -y -q --no-install-recommends nginx certbot python3 python3-venv "
        "sqlite3 curl rsync espeak-ng opus-tools ffmpeg",
        *user,
        "install -d -m 0755 -o root -g root /opt/safe-airports-server "
        "/opt/safe-airports-server/libexec /opt/safe-airports-server/share "
        "/etc/safe-airports-server /var/www/letsencrypt",
        "install -d -m 0710 -o safe-airports -g www-data /var/lib/safe-airports-server",
        "install -d -m 2750 -o safe-airports -g www-data /var/lib/safe-airports-server/repo",
        "install -d -m 0700 -o safe-airports -g safe-airports "
        "/var/lib/safe-airports-server/keys /var/backups/safe-airports-server",
        "python3 -m venv /opt/safe-airports-server/venv",
        "/opt/safe-airports-server/venv/bin/pip install --quiet --upgrade pip",
        f"/opt/safe-airports-server/venv/bin/pip install --quiet --upgrade '{REPO}[server]'",
        f"install -m 0755 {HERE}/backup.sh /opt/safe-airports-server/libexec/backup",
        f"install -m 0755 {HERE}/restore.sh /opt/safe-airports-server/libexec/restore",
        f"install -m 0755 {HERE}/safe-airports-admin.sh /usr/local/sbin/safe-airports-admin",
        f"install -m 0644 {REPO}/deploy/README.md /opt/safe-airports-server/share/README.md",
        f"install -m 0644 {HERE}/safe-airports-server.service "
        "/etc/systemd/system/safe-airports-server.service",
        f"install -m 0644 {HERE}/safe-airports-backup.service "
        "/etc/systemd/system/safe-airports-backup.service",
        f"install -m 0644 {HERE}/safe-airports-backup.timer "
        "/etc/systemd/system/safe-airports-backup.timer",
        "systemctl daemon-reload",
        "systemctl enable safe-airports-server.service safe-airports-backup.timer",
        "systemctl start safe-airports-backup.timer",
        f"write_site {HERE}/nginx-safe-airports.conf {site}",
        f"ln -sfn {site} /etc/nginx/sites-enabled/safe-airports",
        "nginx -t",
        "systemctl reload-or-restart nginx.service",
    ]
    if not Path("/var/lib/safe-airports-server/repo/metadata").exists():
        assert "do the root key ceremony" in result.stdout


def test_lets_encrypt_goes_through_a_bootstrap_site_first(tmp_path):
    result = run_script(
        tmp_path, "install.sh", "--dry-run", "--domain", "sa.example.org", "--email", "a@b.org"
    )
    assert result.returncode == 0, result.stderr
    done = actions(result.stdout)
    start = done.index(
        f"write_site {HERE}/nginx-acme-bootstrap.conf /etc/nginx/sites-available/safe-airports"
    )
    assert done[start + 4] == (
        "certbot certonly --webroot --webroot-path /var/www/letsencrypt --domain sa.example.org "
        "--email a@b.org --agree-tos --non-interactive --keep-until-expiring "
        "--deploy-hook 'systemctl reload nginx'"
    )
    assert done[start + 5].startswith(f"write_site {HERE}/nginx-safe-airports.conf ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "--domain NAME is required"),
        (["--domain", "sa.example.org"], "give --email ADDRESS"),
        (["--domain", "bad domain!"], "is not a DNS name"),
        (["--domain", "x.org", "--cert", "/nonexistent", "--key", "/k"], "no such file"),
    ],
)
def test_server_install_refuses_bad_options(tmp_path, args, message):
    result = run_script(tmp_path, "install.sh", "--dry-run", *args)
    assert result.returncode != 0
    assert message in result.stderr
    assert actions(result.stdout) == []


def test_restore_checks_the_archive_before_stopping_the_server(tmp_path):
    archive = tmp_path / "safe-airports-server-20261122T023000Z.tar.gz"
    archive.write_bytes(b"not checked in a dry run")
    result = run_script(tmp_path, "restore.sh", "--dry-run", str(archive))
    assert result.returncode == 0, result.stderr
    python = "/opt/safe-airports-server/venv/bin/python"
    data = "/var/lib/safe-airports-server"
    assert actions(result.stdout) == [
        f"{python} -m admin_sync.server.backup verify {archive}",
        "systemctl stop safe-airports-server.service",
        f"{python} -m admin_sync.server.backup restore {archive} --data {data} --force",
        f"chown -R safe-airports:safe-airports {data}",
        f"chgrp www-data {data}",
        f"chmod 0710 {data}",
        f"chgrp -R www-data {data}/repo",
        f"find {data}/repo -type d -exec chmod 2750 '{{}}' +",
        f"chmod 0700 {data}/keys",
        "systemctl start safe-airports-server.service",
        "curl --fail --silent --show-error --retry 10 --retry-connrefused --retry-delay 1 "
        "http://127.0.0.1:8470/healthz",
    ]


def test_backup_script_refuses_a_bad_keep(tmp_path):
    result = run_script(tmp_path, "backup.sh", KEEP="all")
    assert result.returncode == 2
    assert "KEEP=all must be a positive number" in result.stderr


def test_backup_script_writes_a_checked_archive_and_keeps_the_newest(tmp_path):
    data, backups = tmp_path / "data", tmp_path / "backups"
    (data / "keys").mkdir(parents=True)
    (data / "keys" / "timestamp.pem").write_text("key")
    conn = sqlite3.connect(data / "server.db")
    conn.execute("CREATE TABLE kiosks (id TEXT)")
    conn.commit()
    conn.close()
    backups.mkdir()
    old = [f"safe-airports-server-2020010{day}T023000Z.tar.gz" for day in (1, 2, 3)]
    for name in old:
        (backups / name).write_bytes(b"old")
    result = run_script(
        tmp_path, "backup.sh",
        PYTHON=sys.executable, DATA_DIR=str(data), BACKUP_DIR=str(backups), KEEP="2",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    kept = sorted(p.name for p in backups.iterdir())
    assert len(kept) == 2 and kept[0] == old[-1]
    assert f"pruned {old[0]}" in result.stdout and f"pruned {old[1]}" in result.stdout
    newest = backups / kept[1]
    assert newest.stat().st_mode & 0o777 == 0o600
    assert verify_backup(newest)["files"]["keys/timestamp.pem"]
