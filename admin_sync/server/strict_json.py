"""JSON request bodies parsed strictly: whatever a client sends, a clear `JSONRejected`, never an
exception that would become a 500.

Refused, each with a reason: bytes that are not UTF-8, text that is not JSON, a key that appears
twice in one object (which of the two would count is a guess), NaN and Infinity, an integer
outside 64 bits (SQLite's INTEGER; Python's own parser also gives up after 4,300 digits), a
float that overflows to infinity, and nesting deeper than `MAX_DEPTH`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

MAX_DEPTH = 32
# body_guard parses every JSON body before a route sees it and leaves the value in the request's
# state under this key, so a route that reads its body as JSON need not parse it again
PARSED_STATE = "strict_json_body"
_INT_LIMIT = 2**63
_MAX_INT_CHARS = 20  # "-9223372036854775808"


class JSONRejected(ValueError):
    """The body is not acceptable JSON; the message says why (and where, when known)."""


def _reject_constant(name: str) -> Any:
    raise JSONRejected(f"{name} is not a JSON number")


def _bounded_int(text: str) -> int:
    if len(text) > _MAX_INT_CHARS:
        raise JSONRejected(f"integer of {len(text)} characters: integers must fit in 64 bits")
    value = int(text)
    if not -_INT_LIMIT <= value < _INT_LIMIT:
        raise JSONRejected(f"integer {value} does not fit in 64 bits")
    return value


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JSONRejected(f"number {text[:40]} is too large")
    return value


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise JSONRejected(f"key {key[:64]!r} appears twice in one object")
        result[key] = value
    return result


def _depth(value: Any) -> int:
    """Nesting depth, walked without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in item)
    return deepest


def loads(body: bytes) -> Any:
    """Parse `body` strictly; raises JSONRejected with the reason."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JSONRejected(f"body is not JSON: not UTF-8 (byte {exc.start})") from None
    try:
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_reject_constant,
            parse_int=_bounded_int,
            parse_float=_finite_float,
        )
    except JSONRejected:
        raise
    except json.JSONDecodeError as exc:
        raise JSONRejected(
            f"body is not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise JSONRejected(f"body is nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as exc:  # anything else the parser refuses
        raise JSONRejected(f"body is not acceptable JSON: {exc}") from None
    if _depth(value) > MAX_DEPTH:
        raise JSONRejected(f"body is nested more than {MAX_DEPTH} levels deep")
    return value


def guarded_loads(scope: Mapping[str, Any], body: bytes) -> Any:
    """The value of `body` as body_guard parsed it for this request (`scope`), or, when it did
    not (or for other bytes), `loads(body)`; raises JSONRejected with the reason."""
    found = scope.get("state", {}).get(PARSED_STATE)
    if found is not None and found[0] == body:
        return found[1]
    return loads(body)
