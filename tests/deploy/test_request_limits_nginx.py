"""The nginx site and the server's table of request bodies agree (request_limits.body_rules with
the default settings): for each route that takes a body, the location nginx would pick for it is
the one the table names, and its `client_max_body_size` is the table's limit, to the byte; the
server-wide size is the table's default for everything else.

The site file is parsed here (locations of the HTTPS server block and their sizes) and nginx's
choice of location is reproduced: an exact `=` match, else the longest prefix unless a regex
location matches (in file order) and the prefix has no `^~`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from admin_sync.server.console.settings import ConsoleSettings
from admin_sync.server.request_limits import DEFAULT_MAX_BYTES, BodyRule, body_rules
from admin_sync.server.settings import ServerSettings

SITE = Path(__file__).resolve().parents[2] / "deploy" / "server" / "nginx-safe-airports.conf"
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


@dataclass(frozen=True)
class Location:
    modifier: str  # "", "=", "~", "~*", "^~"
    pattern: str
    body: str

    @property
    def label(self) -> str:
        return f"{self.modifier} {self.pattern}".strip()


def _size(text: str) -> int:
    match = re.fullmatch(r"(\d+)([kmg]?)", text.strip().lower())
    assert match, f"unreadable size {text!r}"
    return int(match.group(1)) * _UNITS[match.group(2)]


def _block(text: str, open_brace: int) -> str:
    depth = 0
    for i in range(open_brace, len(text)):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return text[open_brace + 1 : i]
    raise AssertionError("unbalanced braces in the nginx site")


def _https_server() -> str:
    text = re.sub(r"#[^\n]*", "", SITE.read_text())
    for match in re.finditer(r"\bserver\s*\{", text):
        block = _block(text, match.end() - 1)
        if re.search(r"listen\s+443\b", block):
            return block
    raise AssertionError("no HTTPS server block in the nginx site")


def _locations(server: str) -> tuple[list[Location], str]:
    locations: list[Location] = []
    outside = server
    for match in re.finditer(r'location\s+(=|~\*|~|\^~)?\s*("[^"]+"|[^\s{]+)\s*\{', server):
        body = _block(server, match.end() - 1)
        locations.append(Location(match.group(1) or "", match.group(2).strip('"'), body))
        outside = outside.replace(body, "")
    return locations, outside


def _pick(locations: list[Location], path: str) -> Location:
    for loc in locations:
        if loc.modifier == "=" and loc.pattern == path:
            return loc
    prefixes = [
        loc for loc in locations if loc.modifier in ("", "^~") and path.startswith(loc.pattern)
    ]
    longest = max(prefixes, key=lambda loc: len(loc.pattern), default=None)
    if longest is None or longest.modifier != "^~":
        for loc in locations:
            flags = re.IGNORECASE if loc.modifier == "~*" else 0
            if loc.modifier in ("~", "~*") and re.search(loc.pattern, path, flags):
                return loc
    assert longest is not None, f"no nginx location serves {path}"
    return longest


def _max_body(block: str) -> int | None:
    match = re.search(r"client_max_body_size\s+([^;]+);", block)
    return _size(match.group(1)) if match else None


def _rules() -> tuple[BodyRule, ...]:
    return body_rules(
        max_upload_bytes=ServerSettings(data_dir=Path("unused")).max_upload_bytes,
        max_archive_bytes=ConsoleSettings().max_archive_bytes,
    )


def test_the_server_wide_size_is_the_tables_default() -> None:
    _, outside = _locations(_https_server())
    assert _max_body(outside) == DEFAULT_MAX_BYTES


@pytest.mark.parametrize("rule", _rules(), ids=lambda r: f"{r.method}{r.path}")
def test_nginx_takes_exactly_what_the_server_takes(rule: BodyRule) -> None:
    locations, outside = _locations(_https_server())
    location = _pick(locations, rule.example_path())
    assert location.label == rule.nginx_location
    size = _max_body(location.body)
    if size is None:
        size = _max_body(outside)
    assert size == rule.max_bytes, f"{location.label}: nginx {size}, server {rule.max_bytes}"
    assert "proxy_pass" in location.body


def test_the_parser_sees_the_locations_it_should() -> None:
    """Guards the helpers above: a wrong parse would make the agreement vacuous."""
    locations, _ = _locations(_https_server())
    labels = {loc.label for loc in locations}
    assert {"= /console/sign-in", "/console/", "/api/", "/tuf/"} <= labels
    assert _pick(locations, "/tuf/metadata/timestamp.json").modifier == "~"
    assert _pick(locations, "/console/fleet").label == "/console/"
