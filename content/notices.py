"""Urgent notices: short texts per airport or destination, each with a start and an expiry.

The server signs the set of live notices as one TUF target (`notices.json`, beside the release,
published without a new content version); the agent stores it next to the installed content
(`content_dir/notices.json`, written atomically); the kiosk reads it and, at each screen build,
keeps the notices whose start has passed and whose expiry has not by its own clock, so a notice
disappears at its expiry with no network.

Stdlib only: the server writes this format, the agent checks it, the kiosk reads it.

Which text a reader sees: the reader's language, then its fallback chain (languages.yaml, e.g.
Kyrgyz → Russian → English). The console requires an English text (the last fallback of every
chain, as for all content), so every reader sees the notice, in English only when neither their
language nor any language of its chain has a text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

NOTICES_TARGET = "notices.json"  # the TUF target and the file beside the installed content
NOTICES_FILE = "notices.json"
NOTICES_FORMAT = 1
MAX_TEXT_CHARS = 280  # one short paragraph: a banner, not an article
MAX_HEADING_CHARS = 60  # a few words, shown bold above the text
MAX_NOTICES = 200
MAX_FILE_BYTES = 512 * 1024
_CODE = re.compile(r"^[A-Z]{2,3}$")
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{4})?$")


class NoticeError(ValueError):
    """A notices file is malformed; the message says what."""


def parse_time(value: str) -> datetime:
    """An ISO 8601 date-time with a zone (as written by `format_time`), as an aware datetime."""
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise NoticeError(f"{value!r} is not an ISO 8601 date-time") from exc
    if parsed.tzinfo is None:
        raise NoticeError(f"{value!r} has no time zone")
    return parsed.astimezone(UTC)


def format_time(value: datetime) -> str:
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Notice:
    id: int
    airport: str  # "" = every airport
    destination: str  # "" = every destination (and the help screen before one is chosen)
    starts_at: datetime
    expires_at: datetime
    texts: Mapping[str, str] = field(default_factory=dict)  # language -> text
    # language -> a short heading (optional; shown only with the text of its language)
    headings: Mapping[str, str] = field(default_factory=dict)

    def is_live(self, now: datetime) -> bool:
        return self.starts_at <= now < self.expires_at

    def applies_to(self, airport: str, destination: str) -> bool:
        """Shown at `airport` for `destination` ("" before one is chosen: airport-wide only)."""
        if self.airport and self.airport != airport:
            return False
        return not self.destination or self.destination == destination

    def text_for(self, chain: Sequence[str]) -> tuple[str, str] | None:
        """(language, text) of the first language of `chain` with a text, or None."""
        for lang in chain:
            text = self.texts.get(lang, "")
            if text:
                return lang, text
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "airport": self.airport,
            "destination": self.destination,
            "starts_at": format_time(self.starts_at),
            "expires_at": format_time(self.expires_at),
            "texts": dict(sorted(self.texts.items())),
            "headings": dict(sorted(self.headings.items())),  # older kiosks ignore it
        }

    @classmethod
    def from_dict(cls, raw: object) -> Notice:
        if not isinstance(raw, dict):
            raise NoticeError("a notice is not an object")
        try:
            ident, airport, dest = raw["id"], raw["airport"], raw["destination"]
            starts, expires, texts = raw["starts_at"], raw["expires_at"], raw["texts"]
        except KeyError as exc:
            raise NoticeError(f"a notice lacks the field {exc.args[0]!r}") from exc
        if not isinstance(ident, int) or isinstance(ident, bool):
            raise NoticeError(f"notice id {ident!r} is not an integer")
        for what, code in (("airport", airport), ("destination", dest)):
            if not isinstance(code, str) or (code and not _CODE.match(code)):
                raise NoticeError(f"notice {ident}: {what} {code!r} is not a code")
        if not isinstance(texts, dict) or not all(
            isinstance(k, str) and _LANG.match(k) and isinstance(v, str) for k, v in texts.items()
        ):
            raise NoticeError(f"notice {ident}: texts must map language ids to strings")
        if any(len(v) > MAX_TEXT_CHARS for v in texts.values()):
            raise NoticeError(f"notice {ident}: a text is longer than {MAX_TEXT_CHARS} characters")
        headings = raw.get("headings", {})  # absent from files written before headings
        if not isinstance(headings, dict) or not all(
            isinstance(k, str) and _LANG.match(k) and isinstance(v, str)
            and len(v) <= MAX_HEADING_CHARS
            for k, v in headings.items()
        ):  # fmt: skip
            raise NoticeError(
                f"notice {ident}: headings must map language ids to strings of at most "
                f"{MAX_HEADING_CHARS} characters"
            )
        return cls(ident, airport, dest, parse_time(starts), parse_time(expires), texts, headings)


@dataclass(frozen=True)
class NoticeSet:
    """The whole file: every notice the server holds live or scheduled, and a serial that grows
    with each publication (the agent refuses a lower one)."""

    serial: int
    published_at: str
    notices: tuple[Notice, ...] = ()

    def to_bytes(self) -> bytes:
        body = {
            "format": NOTICES_FORMAT,
            "serial": self.serial,
            "published_at": self.published_at,
            "notices": [n.to_dict() for n in self.notices],
        }
        return json.dumps(body, sort_keys=True, ensure_ascii=False, indent=1).encode() + b"\n"

    @classmethod
    def from_bytes(cls, data: bytes) -> NoticeSet:
        if len(data) > MAX_FILE_BYTES:
            raise NoticeError(f"notices file is larger than {MAX_FILE_BYTES} bytes")
        try:
            raw = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise NoticeError(f"notices file is not JSON: {exc}") from exc
        if not isinstance(raw, dict) or raw.get("format") != NOTICES_FORMAT:
            raise NoticeError(f"notices file is not format {NOTICES_FORMAT}")
        serial, notices = raw.get("serial"), raw.get("notices")
        if not isinstance(serial, int) or isinstance(serial, bool) or serial < 0:
            raise NoticeError("notices file: serial is not a non-negative integer")
        if not isinstance(notices, list) or len(notices) > MAX_NOTICES:
            raise NoticeError(f"notices file: notices must be a list of at most {MAX_NOTICES}")
        return cls(
            serial,
            str(raw.get("published_at", "")),
            tuple(Notice.from_dict(n) for n in notices),
        )


def read_notice_set(path: Path) -> NoticeSet | None:
    """The notices file at `path`; None when there is none. Raises NoticeError when damaged."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    return NoticeSet.from_bytes(data)


@dataclass(frozen=True)
class ShownNotice:
    """One banner as a screen shows it."""

    id: int
    text: str
    language: str  # the language the text is in (after fallback)
    expires_at: str  # ISO 8601 UTC
    heading: str = ""  # in the same language as the text ("" when it has none)


def notices_for(
    notices: Iterable[Notice],
    *,
    now: datetime,
    airport: str,
    destination: str,
    chain: Sequence[str],
) -> tuple[ShownNotice, ...]:
    """The banners a screen shows now: live, for this airport and destination, in the reader's
    language or its fallback chain (a notice with no text in the chain is not shown)."""
    shown: list[ShownNotice] = []
    for notice in sorted(notices, key=lambda n: (n.starts_at, n.id)):
        if not notice.is_live(now) or not notice.applies_to(airport, destination):
            continue
        picked = notice.text_for(chain)
        if picked is not None:
            shown.append(
                ShownNotice(
                    notice.id,
                    picked[1],
                    picked[0],
                    format_time(notice.expires_at),
                    notice.headings.get(picked[0], ""),
                )
            )
    return tuple(shown)
