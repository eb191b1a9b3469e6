"""Send a huge request body over a raw socket and watch what it costs the server process.

`send_large_body` writes the request line and headers, then the body in 64 KiB pieces (declared
with Content-Length, or chunked), and stops as soon as the server answers or closes; it reports
the answer's status and how much of the body the server let in. `ServerWatch` samples the server
process's resident memory and the temporary files it holds open (deleted ones included, as
SpooledTemporaryFile leaves them) while a request runs.
"""

from __future__ import annotations

import os
import select
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

import psutil

MIB = 1024 * 1024
PIECE = 64 * 1024


@dataclass
class Sent:
    status: int | None  # None: the server closed before an answer could be read
    body_bytes_sent: int
    answer: bytes


def _status(head: bytes) -> int | None:
    first = head.split(b"\r\n", 1)[0].split(b" ")
    return int(first[1]) if len(first) > 1 and first[1].isdigit() else None


def send_large_body(
    port: int,
    method: str,
    path: str,
    *,
    total: int = 200 * MIB,
    chunked: bool = False,
    headers: dict[str, str] | None = None,
    first_answer_wait: float = 2.0,
) -> Sent:
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    try:
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        lines.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {total}")
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        piece = b"x" * PIECE
        framed = f"{PIECE:x}\r\n".encode() + piece + b"\r\n" if chunked else piece
        sent = 0
        wait = first_answer_wait  # a refusal before the body comes at once
        answer = b""
        while sent < total:
            readable, _, _ = select.select([sock], [], [], wait)
            wait = 0
            if readable:
                break
            try:
                sock.sendall(framed)
            except OSError:  # the server closed: it did not want the rest
                break
            sent += PIECE
        try:
            sock.settimeout(10)
            while b"\r\n\r\n" not in answer:
                data = sock.recv(65536)
                if not data:
                    break
                answer += data
        except OSError:
            pass
        return Sent(_status(answer), sent, answer)
    finally:
        sock.close()


def _temp_bytes(proc: psutil.Process, tmp: Path) -> int:
    """Bytes in regular files under `tmp` that the process holds open (deleted or not)."""
    total = 0
    fd_dir = Path(f"/proc/{proc.pid}/fd")
    try:
        fds = list(fd_dir.iterdir())
    except OSError:
        return 0
    for fd in fds:
        try:
            target = os.readlink(fd)
            if target.startswith(str(tmp)):
                total += fd.stat().st_size
        except OSError:
            continue
    return total


class ServerWatch:
    """Peak resident memory and open temporary-file bytes of a process while in the block."""

    def __init__(self, pid: int, tmp: Path, interval: float = 0.005) -> None:
        self.proc = psutil.Process(pid)
        self.tmp = tmp
        self.interval = interval
        self.baseline_rss = 0
        self.peak_rss = 0
        self.peak_temp_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak_rss = max(self.peak_rss, self.proc.memory_info().rss)
            self.peak_temp_bytes = max(self.peak_temp_bytes, _temp_bytes(self.proc, self.tmp))
            self._stop.wait(self.interval)

    def __enter__(self) -> ServerWatch:
        self.baseline_rss = self.peak_rss = self.proc.memory_info().rss
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_rss = max(self.peak_rss, self.proc.memory_info().rss)

    @property
    def rss_growth_mib(self) -> float:
        return round((self.peak_rss - self.baseline_rss) / MIB, 2)
