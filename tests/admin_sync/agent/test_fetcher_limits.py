"""The agent's fetcher against a real, hostile HTTP server on 127.0.0.1.

The fetcher itself (not only python-tuf above it) bounds what a download may cost: it never
hands over more than the expected length plus one byte (however much the server sends, with
no length, a chunked body or a length it does not keep), refuses a declared length over the
limit before reading the body, and abandons a download that trickles on past its deadline.
"""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from tuf.api import exceptions

from admin_sync.agent.fetcher import SessionFetcher

PIECE = b"0123456789" * 100  # 1000 bytes
Handler = Callable[[BaseHTTPRequestHandler], None]


def _send_headers(h: BaseHTTPRequestHandler, headers: dict[str, str], status: int = 200) -> None:
    h.send_response(status)
    for name, value in headers.items():
        h.send_header(name, value)
    h.end_headers()


def _chunk(h: BaseHTTPRequestHandler, data: bytes) -> None:
    h.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
    h.wfile.flush()


class HostileServer:
    """Routes -> behaviours. `stop` ends endless behaviours when the test is over."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.errors: list[BaseException | None] = []
        self.routes: dict[str, Handler] = {
            "/endless-unsized": self.endless_unsized,
            "/endless-chunked": self.endless_chunked,
            "/declares-huge": self.declares_huge,
            "/declares-less": self.declares_less,
            "/exact": self.exact,
            "/trickle": self.trickle,
            "/stall": self.stall,
            "/silent": self.silent,
            "/cut-short": self.cut_short,
            "/missing": lambda h: _send_headers(h, {"Content-Length": "0"}, 404),
        }
        self.trickle_pause = 0.0
        self.trickle_pieces = 50
        self.exact_size = 2500

    def endless_unsized(self, h: BaseHTTPRequestHandler) -> None:
        # HTTP/1.0 style: no length, the body ends when the connection closes (it never does)
        _send_headers(h, {"Connection": "close"})
        while not self.stop.is_set():
            h.wfile.write(PIECE)

    def endless_chunked(self, h: BaseHTTPRequestHandler) -> None:
        _send_headers(h, {"Transfer-Encoding": "chunked"})
        while not self.stop.is_set():
            _chunk(h, PIECE)

    def declares_huge(self, h: BaseHTTPRequestHandler) -> None:
        _send_headers(h, {"Content-Length": str(10**12)})
        while not self.stop.is_set():
            h.wfile.write(PIECE)

    def declares_less(self, h: BaseHTTPRequestHandler) -> None:
        # announces 1500 bytes, then keeps sending
        _send_headers(h, {"Content-Length": "1500", "Connection": "close"})
        while not self.stop.is_set():
            h.wfile.write(PIECE)

    def exact(self, h: BaseHTTPRequestHandler) -> None:
        body = (PIECE * (self.exact_size // len(PIECE) + 1))[: self.exact_size]
        _send_headers(h, {"Content-Length": str(len(body))})
        h.wfile.write(body)

    def trickle(self, h: BaseHTTPRequestHandler) -> None:
        """Ten bytes at a time, never silent long enough for the read timeout to fire."""
        _send_headers(h, {"Transfer-Encoding": "chunked"})
        for _ in range(self.trickle_pieces):
            if self.stop.wait(self.trickle_pause):
                return
            _chunk(h, PIECE[:10])
        h.wfile.write(b"0\r\n\r\n")

    def silent(self, h: BaseHTTPRequestHandler) -> None:
        self.stop.wait(30)  # not even the status line

    def cut_short(self, h: BaseHTTPRequestHandler) -> None:
        _send_headers(h, {"Content-Length": "5000"})
        h.wfile.write(PIECE[:100])
        h.wfile.flush()
        h.close_connection = True
        h.connection.shutdown(socket.SHUT_RDWR)

    def stall(self, h: BaseHTTPRequestHandler) -> None:
        _send_headers(h, {"Transfer-Encoding": "chunked"})
        _chunk(h, PIECE[:10])
        self.stop.wait(30)


@contextmanager
def hostile_server() -> Iterator[tuple[HostileServer, str]]:
    behaviour = HostileServer()

    class RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            behaviour.routes[self.path](self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: object, client_address: object) -> None:
            error = sys.exc_info()[1]
            if not isinstance(error, ConnectionError):  # a client hanging up is expected
                behaviour.errors.append(error)

    server = Server(("127.0.0.1", 0), RequestHandler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield behaviour, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        behaviour.stop.set()
        server.shutdown()
        server.server_close()
        thread.join()
    assert behaviour.errors == []


@pytest.fixture
def server() -> Iterator[tuple[HostileServer, str]]:
    with hostile_server() as pair:
        yield pair


class FakeClock:
    """Seconds that pass only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class RecordingSession(requests.Session):
    """A real session that remembers the keyword arguments of each GET."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[dict] = []

    def get(self, url, **kwargs):  # type: ignore[no-untyped-def,override]
        self.calls.append(kwargs)
        return super().get(url, **kwargs)


@pytest.fixture
def session() -> Iterator[RecordingSession]:
    with RecordingSession() as s:
        yield s


def fetcher_for(session: requests.Session, **kw: object) -> SessionFetcher:
    options: dict = {"connect_timeout": 5.0, "read_timeout": 5.0, "max_seconds": 60.0}
    options.update(kw)
    return SessionFetcher(session, **options)


# --- length caps ----------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["/endless-unsized", "/endless-chunked"])
@pytest.mark.parametrize("limit", [1, 999, 1000, 2500, 70_000])
def test_endless_body_costs_at_most_the_limit_plus_one_byte(server, session, route, limit) -> None:
    behaviour, url = server
    fetcher = fetcher_for(session)
    with (
        pytest.raises(exceptions.DownloadLengthMismatchError),
        fetcher.download_file(url + route, limit),
    ):
        pass
    assert fetcher.bytes_received == limit + 1
    assert fetcher.requests_made == 1


def test_a_declared_length_over_the_limit_is_refused_before_the_body(server, session) -> None:
    _, url = server
    fetcher = fetcher_for(session)
    with (
        pytest.raises(exceptions.DownloadLengthMismatchError, match="announces 1000000000000"),
        fetcher.download_file(url + "/declares-huge", 5000),
    ):
        pass
    assert fetcher.bytes_received == 0


def test_a_body_longer_than_its_declared_length_is_cut_at_that_length(server, session) -> None:
    _, url = server
    fetcher = fetcher_for(session)
    with fetcher.download_file(url + "/declares-less", 5000) as handle:
        assert handle.read() == (PIECE * 2)[:1500]
    assert fetcher.bytes_received == 1500


@pytest.mark.parametrize("size", [0, 1, 2500, 64 * 1024, 64 * 1024 + 1, 200_000])
def test_a_file_of_exactly_the_limit_is_whole(server, session, size) -> None:
    behaviour, url = server
    behaviour.exact_size = size
    ticks: list[int] = []
    fetcher = SessionFetcher(
        session,
        connect_timeout=5.0,
        read_timeout=5.0,
        max_seconds=60.0,
        on_chunk=lambda: ticks.append(1),
    )
    with fetcher.download_file(url + "/exact", size) as handle:
        data = handle.read()
    assert data == (PIECE * (size // len(PIECE) + 1))[:size]
    assert fetcher.bytes_received == size
    assert len(ticks) >= min(size, 1)  # the watchdog hears of progress


@pytest.mark.parametrize("size", [1, 2500, 64 * 1024 + 1])
def test_a_file_one_byte_over_the_limit_is_refused(server, session, size) -> None:
    behaviour, url = server
    behaviour.exact_size = size
    fetcher = fetcher_for(session)
    with (
        pytest.raises(exceptions.DownloadLengthMismatchError),
        fetcher.download_file(url + "/exact", size - 1),
    ):
        pass


def test_the_limit_applies_to_one_download_only(server, session) -> None:
    behaviour, url = server
    behaviour.exact_size = 3000
    fetcher = fetcher_for(session)
    with (
        pytest.raises(exceptions.DownloadLengthMismatchError),
        fetcher.download_file(url + "/endless-chunked", 100),
    ):
        pass
    with fetcher.download_file(url + "/exact", 3000) as handle:
        assert len(handle.read()) == 3000
    assert fetcher.bytes_received == 101 + 3000
    assert fetcher.requests_made == 2


# --- time limits ----------------------------------------------------------------------------


def test_a_trickling_download_is_abandoned_at_its_deadline(server, session) -> None:
    """Simulated time: every piece the server trickles takes one second."""
    behaviour, url = server
    clock = FakeClock()

    def tick() -> None:
        clock.now += 1.0

    fetcher = SessionFetcher(
        session,
        connect_timeout=5.0,
        read_timeout=5.0,
        max_seconds=10.0,
        monotonic=clock,
        on_chunk=tick,
    )
    with (
        pytest.raises(exceptions.SlowRetrievalError, match="longer than 10 s") as caught,
        fetcher.download_file(url + "/trickle", 10_000),
    ):
        pass
    assert str(caught.value).startswith(url + "/trickle: ")
    # ten pieces took ten seconds, on time; the eleventh passed the deadline and ended it
    assert fetcher.bytes_received == 11 * 10


def test_a_trickling_download_within_its_deadline_completes(server, session) -> None:
    behaviour, url = server
    clock = FakeClock()

    def tick() -> None:
        clock.now += 1.0

    fetcher = SessionFetcher(
        session,
        connect_timeout=5.0,
        read_timeout=5.0,
        max_seconds=50.0,  # fifty pieces, one second each: exactly on time
        monotonic=clock,
        on_chunk=tick,
    )
    with fetcher.download_file(url + "/trickle", 10_000) as handle:
        assert handle.read() == PIECE[:10] * 50


def test_the_deadline_counts_from_the_start_of_each_download(server, session) -> None:
    behaviour, url = server
    behaviour.trickle_pieces = 5
    clock = FakeClock()

    def tick() -> None:
        clock.now += 1.0

    fetcher = SessionFetcher(
        session,
        connect_timeout=5.0,
        read_timeout=5.0,
        max_seconds=7.0,
        monotonic=clock,
        on_chunk=tick,
    )
    for _ in range(4):  # 20 simulated seconds in all, 5 per download
        with fetcher.download_file(url + "/trickle", 10_000) as handle:
            assert len(handle.read()) == 50


def test_a_real_trickle_is_abandoned_in_real_time(server, session) -> None:
    """The same with the real clock: ten bytes every 20 ms would take 5 s; the fetcher gives
    up after its 0.3 s. (The server's pacing is the hostile behaviour under test.)"""
    behaviour, url = server
    behaviour.trickle_pause = 0.02
    behaviour.trickle_pieces = 250
    fetcher = fetcher_for(session, max_seconds=0.3, read_timeout=5.0)
    with (
        pytest.raises(exceptions.SlowRetrievalError, match="longer than"),
        fetcher.download_file(url + "/trickle", 10_000),
    ):
        pass
    assert 0 < fetcher.bytes_received < 250 * 10


def test_a_stalled_download_ends_at_the_read_timeout(server, session) -> None:
    _, url = server
    fetcher = fetcher_for(session, read_timeout=0.3)
    with (
        pytest.raises(exceptions.SlowRetrievalError, match="stalled"),
        fetcher.download_file(url + "/stall", 10_000),
    ):
        pass
    assert fetcher.bytes_received == 10


def test_timeouts_are_passed_to_every_request(server, session) -> None:
    behaviour, url = server
    behaviour.exact_size = 10
    fetcher = fetcher_for(session, connect_timeout=3.5, read_timeout=7.25)
    with fetcher.download_file(url + "/exact", 10):
        pass
    assert session.calls == [{"stream": True, "timeout": (3.5, 7.25)}]


# --- errors ---------------------------------------------------------------------------------


def test_an_http_error_is_reported_with_its_status(server, session) -> None:
    _, url = server
    fetcher = fetcher_for(session)
    with (
        pytest.raises(exceptions.DownloadHTTPError, match="HTTP 404") as caught,
        fetcher.download_file(url + "/missing", 100),
    ):
        pass
    assert caught.value.status_code == 404


def test_a_closed_port_is_a_download_error(session) -> None:
    with hostile_server() as (_, url):
        pass  # nothing listens there any more
    fetcher = fetcher_for(session)
    with (
        pytest.raises(exceptions.DownloadError, match="cannot connect"),
        fetcher.download_file(url + "/exact", 100),
    ):
        pass
    assert fetcher.requests_made == 1 and fetcher.bytes_received == 0


def test_fetch_outside_a_download_has_no_cap_of_its_own(server, session) -> None:
    """`fetch()` (the public iterator, without `download_file`) streams the whole body: the cap
    is the one python-tuf asks for in `download_file`."""
    behaviour, url = server
    behaviour.exact_size = 200_000
    fetcher = fetcher_for(session)
    assert sum(len(chunk) for chunk in fetcher.fetch(url + "/exact")) == 200_000
    assert fetcher.bytes_received == 200_000


def test_a_server_that_never_answers_is_too_slow(server, session) -> None:
    _, url = server
    fetcher = fetcher_for(session, read_timeout=0.3)
    with (
        pytest.raises(exceptions.SlowRetrievalError) as caught,
        fetcher.download_file(url + "/silent", 100),
    ):
        pass
    assert str(caught.value).startswith(url + "/silent: no answer in time")
    assert fetcher.bytes_received == 0


def test_a_connection_cut_mid_body_is_a_download_error(server, session) -> None:
    _, url = server
    fetcher = fetcher_for(session)
    with (
        pytest.raises(exceptions.DownloadError) as caught,
        fetcher.download_file(url + "/cut-short", 10_000),
    ):
        pass
    assert not isinstance(caught.value, exceptions.SlowRetrievalError)
    assert str(caught.value).startswith(url + "/cut-short: connection broken")
