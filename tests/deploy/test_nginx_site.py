"""The nginx site, run for real in front of a real server process on 127.0.0.1.

nginx is not part of the test machine's packages: the test uses `nginx` from PATH, /usr/sbin/nginx
or the binary named by SAFE_AIRPORTS_NGINX, and skips with a message otherwise. The site file is
used as shipped except for what only exists on a real server, replaced in a temporary copy:
the listen addresses (127.0.0.1 and free ports instead of 80/443 on every interface), the
certificate (a self-signed one made here), and the folders (/var/lib/safe-airports-server,
/var/log/nginx, /var/www/letsencrypt moved under tmp_path). Two kiosks are provisioned, one of
them revoked: the repository answers only the other one's token, as the app itself does.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

REPO = Path(__file__).resolve().parents[2]
SITE = REPO / "deploy" / "server" / "nginx-safe-airports.conf"
HASH = "ab" * 32


def nginx_binary() -> str | None:
    for candidate in (
        os.environ.get("SAFE_AIRPORTS_NGINX"),
        shutil.which("nginx"),
        "/usr/sbin/nginx",
        str(REPO / ".venv" / "nginx" / "usr" / "sbin" / "nginx"),  # unpacked by `make`
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{what} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"{what} did not listen on port {port} within {timeout} s")


def self_signed(tmp: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp / "cert.pem", tmp / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def admin(*args: str | Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "safe_airports_cli", "admin", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def provision(tmp: Path, data: Path, name: str) -> str:
    """Register a kiosk with the real admin CLI; returns its secret token."""
    out = tmp / f"{name}.json"
    admin("add-kiosk", "--airport", "TAS", "--name", name, "--data", data,
          "--server-url", "https://localhost", "--out", out)  # fmt: skip
    return json.loads(out.read_text())["token"]


class Site:
    def __init__(self, https: int, http: int, cert: Path, data: Path, token: str) -> None:
        self.https, self.http, self.cert, self.data = https, http, cert, data
        self.token = token
        self.revoked_token = ""

    def get(self, path: str, token: str | None = None, **kwargs) -> requests.Response:
        """GET through nginx, as the good kiosk unless another `token` ("" for none) is given."""
        token = self.token if token is None else token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return requests.get(
            f"https://localhost:{self.https}{path}",
            verify=str(self.cert),
            timeout=30,
            headers=headers,
            **kwargs,
        )


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    nginx = nginx_binary()
    if nginx is None:
        pytest.skip("nginx is not installed (or set SAFE_AIRPORTS_NGINX to an nginx binary)")
    tmp = tmp_path_factory.mktemp("nginx")
    data = tmp / "data"
    admin("init-keys", "--data", data, "--root-key", tmp / "root.pem")
    (data / "repo" / "targets" / "parts").mkdir(parents=True)
    (data / "repo" / "targets" / "parts" / f"{HASH}.shared.json").write_text('{"a": 1}')
    (data / "repo" / "targets" / "parts" / "shared.json").write_text("unhashed")
    token = provision(tmp, data, "TAS-T2-01")
    revoked_token = provision(tmp, data, "TAS-T2-02")
    admin("revoke-kiosk", "TAS-T2-02", "--data", data)
    for sub in ("logs", "acme", "run"):
        (tmp / sub).mkdir()
    cert, key = self_signed(tmp)
    https, http, upstream = free_port(), free_port(), free_port()

    text = SITE.read_text()
    text = text.replace("@DOMAIN@", "localhost").replace("@CERT@", str(cert))
    text = text.replace("@KEY@", str(key)).replace("127.0.0.1:8470", f"127.0.0.1:{upstream}")
    text = text.replace("/var/lib/safe-airports-server", str(data))
    text = text.replace("/var/log/nginx", str(tmp / "logs"))
    text = text.replace("/var/www/letsencrypt", str(tmp / "acme"))
    text = text.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;")
    text = text.replace("listen 80;", f"listen 127.0.0.1:{http};")
    text = "\n".join(line for line in text.splitlines() if "listen [::]" not in line)
    assert str(https) in text and str(http) in text and "@" not in text
    (tmp / "site.conf").write_text(text)
    user = "user root;\n" if os.geteuid() == 0 else ""
    (tmp / "nginx.conf").write_text(
        f"""{user}daemon off;
worker_processes 1;
pid {tmp}/run/nginx.pid;
error_log {tmp}/logs/error.log warn;
events {{ worker_connections 64; }}
http {{
    types {{ application/json json; text/html html; }}
    default_type application/octet-stream;
    access_log {tmp}/logs/access.log;
    client_body_temp_path {tmp}/run/body;
    proxy_temp_path {tmp}/run/proxy;
    fastcgi_temp_path {tmp}/run/fastcgi;
    uwsgi_temp_path {tmp}/run/uwsgi;
    scgi_temp_path {tmp}/run/scgi;
    include {tmp}/site.conf;
}}
"""
    )
    base = [nginx, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e", str(tmp / "logs/e.log")]
    checked = subprocess.run([*base, "-t"], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
    server = subprocess.Popen(
        [sys.executable, "-m", "safe_airports_cli", "server", "--data", str(data),
         "--port", str(upstream)],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    proxy = subprocess.Popen(base, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_port(upstream, server, "safe-airports server")
        wait_for_port(https, proxy, "nginx")
        site = Site(https, http, cert, data, token)
        site.revoked_token = revoked_token
        yield site
    finally:
        for process in (proxy, server):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for stream in (proxy.stderr, server.stderr):
            if stream:
                stream.close()


def live_metadata(site: Site, name: str) -> bytes:
    return (site.data / "repo" / "metadata" / name).read_bytes()


def test_timestamp_is_served_from_disk_and_always_revalidated(site):
    response = site.get("/tuf/metadata/timestamp.json")
    assert response.status_code == 200
    assert response.content == live_metadata(site, "timestamp.json")
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Server"] == "nginx"  # server_tokens off: no version


def test_a_new_timestamp_is_seen_at_once(site):
    before = json.loads(site.get("/tuf/metadata/timestamp.json").content)["signed"]["version"]
    admin("refresh-timestamp", "--data", site.data, "--force")
    after = json.loads(site.get("/tuf/metadata/timestamp.json").content)["signed"]["version"]
    assert after == before + 1


def test_versioned_metadata_and_hashed_targets_are_immutable(site):
    root = site.get("/tuf/metadata/1.root.json")
    assert root.status_code == 200
    assert root.content == live_metadata(site, "1.root.json")
    assert root.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    target = site.get(f"/tuf/targets/parts/{HASH}.shared.json")
    assert target.status_code == 200 and target.content == b'{"a": 1}'
    assert target.headers["Cache-Control"] == "public, max-age=31536000, immutable"


@pytest.mark.parametrize(
    "path",
    [
        "/tuf/targets/parts/shared.json",  # not content-addressed
        "/tuf/metadata/../keys/timestamp.pem",
        "/tuf/metadata/..%2fkeys%2ftimestamp.pem",
        "/tuf/targets/..%2f..%2fkeys/timestamp.pem",
        "/tuf/metadata/2.root.json",  # does not exist
        "/keys/timestamp.pem",
        "/server.db",
    ],
)
def test_nothing_else_of_the_data_folder_is_served(site, path):
    response = site.get(path)  # even to a good kiosk token
    assert response.status_code == 404
    assert b"PRIVATE KEY" not in response.content


TUF_FILES = [
    "/tuf/metadata/timestamp.json",
    "/tuf/metadata/1.root.json",
    f"/tuf/targets/parts/{HASH}.shared.json",
]


@pytest.mark.parametrize("path", TUF_FILES)
def test_the_repository_is_only_for_kiosks_the_server_still_trusts(site, path):
    good = site.get(path)
    assert good.status_code == 200
    assert good.content == (site.data / "repo" / path.removeprefix("/tuf/")).read_bytes()
    revoked = site.get(path, token=site.revoked_token)
    assert revoked.status_code == 403 and b"{" not in revoked.content  # no file leaked
    for token in ("", "sak_not-a-kiosk"):
        refused = site.get(path, token=token)
        assert refused.status_code == 401 and b"signed" not in refused.content, token
    # the same answers as the server gives for its own /tuf/ routes
    upstream = "/api/v1/kiosk-auth"
    assert site.get(upstream).status_code == 204
    assert site.get(upstream, token=site.revoked_token).status_code == 403


def test_the_token_check_is_not_reachable_from_outside(site):
    assert site.get("/_kiosk_auth").status_code == 404


def test_only_get_on_the_repository(site):
    response = requests.post(
        f"https://localhost:{site.https}/tuf/metadata/timestamp.json",
        data=b"x",
        verify=str(site.cert),
        timeout=30,
    )
    assert response.status_code == 403


def test_api_and_health_are_proxied_to_the_server(site):
    health = site.get("/healthz")
    assert health.status_code == 200
    heartbeat = requests.post(
        f"https://localhost:{site.https}/api/v1/heartbeat",
        json={},
        verify=str(site.cert),
        timeout=30,
    )
    assert heartbeat.status_code == 401  # the server answered: no kiosk token
    assert "token" in heartbeat.json()["detail"]


def test_request_size_is_limited_before_the_server(site):
    response = requests.put(
        f"https://localhost:{site.https}/api/v1/stats/batch-1",
        data=b"x" * (2 * 1024 * 1024),
        headers={"Authorization": "Bearer nobody"},
        verify=str(site.cert),
        timeout=30,
    )
    assert response.status_code == 413


def test_plain_http_redirects_to_https_but_answers_acme(site):
    response = requests.get(
        f"http://127.0.0.1:{site.http}/tuf/metadata/timestamp.json",
        headers={"Host": "localhost"},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 301
    assert response.headers["Location"] == "https://localhost/tuf/metadata/timestamp.json"


@pytest.mark.parametrize(
    ("path", "limit"), [("/api/v1/heartbeat", 16 * 1024), ("/api/v1/admin/rollback", 4 * 1024)]
)
def test_nginx_stops_a_body_one_byte_over_the_servers_limit(site, path, limit):
    def post(size: int) -> requests.Response:
        return requests.post(
            f"https://localhost:{site.https}{path}",
            data=b"x" * size,
            headers={"Content-Type": "application/json"},
            verify=str(site.cert),
            timeout=30,
        )

    assert post(limit + 1).status_code == 413  # nginx: never reaches the server
    at_limit = post(limit)
    assert at_limit.status_code == 401  # the server's answer: no credentials
    assert "detail" in at_limit.json()
