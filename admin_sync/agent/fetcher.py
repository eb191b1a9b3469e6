"""The agent's HTTP fetcher for python-tuf: its own `requests.Session`, timeouts, hard length caps.

python-tuf asks for each file with the most bytes it may have (the length in signed metadata, or
a configured maximum for the timestamp and root). This fetcher never reads past that limit, so a
hostile server sending endless data costs at most `limit + 1` bytes, and a download that drips
slower than `max_seconds` allows is abandoned.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO

import requests
from tuf.api import exceptions
from tuf.ngclient import FetcherInterface
from urllib3.exceptions import ReadTimeoutError

CHUNK_SIZE = 64 * 1024


class SessionFetcher(FetcherInterface):
    def __init__(
        self,
        session: requests.Session,
        *,
        connect_timeout: float,
        read_timeout: float,
        max_seconds: float,
        monotonic: Callable[[], float] = time.monotonic,
        on_chunk: Callable[[], None] = lambda: None,
    ) -> None:
        self.session = session
        self.on_chunk = on_chunk  # progress signal (the systemd watchdog)
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.max_seconds = max_seconds
        self.monotonic = monotonic
        self.bytes_received = 0
        self.requests_made = 0
        self._limit: int | None = None

    @contextmanager
    def download_file(self, url: str, max_length: int) -> Iterator[IO[bytes]]:
        self._limit = max_length
        try:
            with super().download_file(url, max_length) as handle:
                yield handle
        finally:
            self._limit = None

    def _fetch(self, url: str) -> Iterator[bytes]:
        limit = self._limit
        self.requests_made += 1
        try:
            response = self.session.get(
                url, stream=True, timeout=(self.connect_timeout, self.read_timeout)
            )
        except requests.Timeout as exc:
            raise exceptions.SlowRetrievalError(f"{url}: no answer in time ({exc})") from exc
        except requests.RequestException as exc:
            raise exceptions.DownloadError(f"{url}: cannot connect ({exc})") from exc
        if response.status_code != 200:
            response.close()
            raise exceptions.DownloadHTTPError(
                f"{url}: HTTP {response.status_code}", response.status_code
            )
        declared = response.headers.get("Content-Length")
        if limit is not None and declared and declared.isdigit() and int(declared) > limit:
            response.close()
            raise exceptions.DownloadLengthMismatchError(
                f"{url}: server announces {declared} bytes, more than the {limit} expected"
            )
        return self._chunks(response, url, limit)

    def _chunks(self, response: requests.Response, url: str, limit: int | None) -> Iterator[bytes]:
        deadline = self.monotonic() + self.max_seconds
        received = 0
        try:
            for chunk in response.iter_content(CHUNK_SIZE):
                if limit is not None and received + len(chunk) > limit:
                    # hand over one byte too many: the caller then refuses the file as too long
                    chunk = chunk[: limit + 1 - received]
                received += len(chunk)
                self.bytes_received += len(chunk)
                self.on_chunk()
                yield chunk
                if limit is not None and received > limit:
                    return
                if self.monotonic() > deadline:
                    raise exceptions.SlowRetrievalError(
                        f"{url}: download took longer than {self.max_seconds:.0f} s"
                    )
        except requests.RequestException as exc:
            if _stalled(exc):
                raise exceptions.SlowRetrievalError(f"{url}: stalled ({exc})") from exc
            raise exceptions.DownloadError(f"{url}: connection broken ({exc})") from exc
        finally:
            response.close()


def _stalled(exc: requests.RequestException) -> bool:
    """A read timeout in the body: requests reports it as a ConnectionError wrapping urllib3's
    ReadTimeoutError, not as requests.Timeout."""
    return isinstance(exc, requests.Timeout) or any(
        isinstance(arg, ReadTimeoutError) for arg in exc.args
    )
