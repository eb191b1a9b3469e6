"""A repository simulator for fast security tests: the real signing code, served from memory.

Modelled on the pattern of python-tuf's own tests: the repository lives in memory, a fetcher
answers the Updater from it, and a test attacks the kiosk by swapping what the fetcher returns
(tampered bytes, old versions, endless data) without any network.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tuf.api import exceptions
from tuf.ngclient import FetcherInterface

from admin_sync.keys import ONLINE_ROLES, generate_key
from admin_sync.protocol import TUF_METADATA_PATH, TUF_TARGETS_PATH, ReleaseManifest
from admin_sync.publish import plan_release
from admin_sync.repo_store import MemoryStore
from admin_sync.tuf_repo import TufRepository, hashed_target_name

BASE_URL = "http://repository.invalid"


class SimulatedServer:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)
        self.store = MemoryStore()
        self.repo = TufRepository(self.store, clock=lambda: self.now)
        self.root_key = generate_key()
        self.online = {role: generate_key() for role in ONLINE_ROLES}
        self.repo.initialize(self.root_key, self.online)
        self.content_version = 0
        # attack hooks: URL path -> replacement bytes, or a callable producing chunks
        self.replace: dict[str, bytes] = {}
        self.streams: dict[str, Callable[[], Iterator[bytes]]] = {}
        self.requests: list[str] = []
        self.provisioned_root = self.trusted_root()

    def trusted_root(self) -> bytes:
        return self.repo.root_bytes()

    def publish(self, parts: Mapping[str, bytes], *, version: int | None = None) -> ReleaseManifest:
        self.content_version = version if version is not None else self.content_version + 1
        plan = plan_release(
            parts, content_version=self.content_version, title="test", published_at="2026-01-01"
        )
        self.repo.publish(plan.targets, self.online)
        return plan.manifest

    def metadata_path(self, name: str) -> str:
        return TUF_METADATA_PATH + name

    def target_path(self, target: str, data: bytes) -> str:
        return TUF_TARGETS_PATH + hashed_target_name(target, hashlib.sha256(data).hexdigest())

    def snapshot_of_metadata(self) -> dict[str, bytes]:
        return dict(self.store.metadata)

    def fetcher(self) -> SimulatorFetcher:
        return SimulatorFetcher(self)


class SimulatorFetcher(FetcherInterface):
    def __init__(self, server: SimulatedServer) -> None:
        self.server = server
        self.bytes_received = 0

    def _fetch(self, url: str) -> Iterator[bytes]:
        assert url.startswith(BASE_URL), url
        path = url[len(BASE_URL) :]
        self.server.requests.append(path)
        if path in self.server.streams:
            return self._count(self.server.streams[path]())
        data = self.server.replace.get(path)
        if data is None:
            if path.startswith(TUF_METADATA_PATH):
                data = self.server.store.read_metadata(path[len(TUF_METADATA_PATH) :])
            elif path.startswith(TUF_TARGETS_PATH):
                data = self.server.store.read_target(path[len(TUF_TARGETS_PATH) :])
        if data is None:
            raise exceptions.DownloadHTTPError(f"{url}: not found", 404)
        return self._count(iter([data]))

    def _count(self, chunks: Iterator[bytes]) -> Iterator[bytes]:
        for chunk in chunks:
            self.bytes_received += len(chunk)
            yield chunk


class _Handler(BaseHTTPRequestHandler):
    server_version = "SimulatedRepository"
    sim: SimulatedServer
    endless: set[str]

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path = self.path
        if path in self.endless:
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.end_headers()  # no Content-Length: the body never ends
            chunk = b"\0" * 65536
            try:
                while True:
                    self.wfile.write(chunk)
                    self.sent += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                return
        data = self.sim.replace.get(path)
        if data is None and path.startswith(TUF_METADATA_PATH):
            data = self.sim.store.read_metadata(path[len(TUF_METADATA_PATH) :])
        elif data is None and path.startswith(TUF_TARGETS_PATH):
            data = self.sim.store.read_target(path[len(TUF_TARGETS_PATH) :])
        if data is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextmanager
def served_over_http(sim: SimulatedServer, endless: set[str]) -> Iterator[str]:
    """Serve the simulated repository on 127.0.0.1 (a free port); paths in `endless` stream
    zeros forever. Yields the base URL."""
    handler = type("Handler", (_Handler,), {"sim": sim, "endless": endless, "sent": 0})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
