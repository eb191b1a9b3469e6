"""YAML with line numbers: every mapping and list remembers the file line of itself and of
each key or item, so that each problem found later points at the exact line.

Duplicate keys are reported (not silently overwritten), dates stay text (a wrong date is
reported, not a crash) and only true/false are booleans. Malformed YAML is a problem in the
`Report` with its line, never an exception.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from content.problems import Report


class LineDict(dict[Any, Any]):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 1
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A YAML sequence that remembers its own line and the line of each item (1-based)."""

    line: int = 1
    item_lines: list[int]


# The C parser (libyaml) when present: ten times faster than the pure-Python one.
_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[misc]
    """SafeLoader that records lines, reports duplicate keys and keeps dates as text.

    Dates stay strings so that a wrong date (2026-13-01) is reported, not a crash; only
    true/false are booleans (YAML 1.1 would turn `no`, `on`, `NO` into booleans).
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[tuple[int, Any, int]] = []

    def construct_line_map(self, node: yaml.MappingNode) -> Iterator[LineDict]:
        data = LineDict()
        data.line = node.start_mark.line + 1
        data.key_lines = {}
        yield data
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError as exc:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    "a key must be a single word or text",
                    key_node.start_mark,
                ) from exc
            line = key_node.start_mark.line + 1
            if key in data:
                self.duplicate_keys.append((line, key, data.key_lines[key]))
            data[key] = self.construct_object(value_node, deep=True)
            data.key_lines[key] = line

    def construct_line_seq(self, node: yaml.SequenceNode) -> Iterator[LineList]:
        data = LineList()
        data.line = node.start_mark.line + 1
        data.item_lines = [child.start_mark.line + 1 for child in node.value]
        yield data
        data.extend(self.construct_object(child, deep=True) for child in node.value)


_LineLoader.yaml_implicit_resolvers = {
    first: [
        (tag, rx)
        for tag, rx in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_line_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_line_seq)


# What `parse_yaml` returns for text that cannot be read (None is an empty document).
UNREADABLE: Any = object()


def parse_yaml(text: str, file: str, report: Report, first_line: int = 1) -> Any:
    """Parse YAML text; problems go to `report` with file lines.

    Returns the data, None for an empty document, or `UNREADABLE` if the text is not YAML.

    `first_line` is the file line where `text` starts (for front matter inside a file).
    """
    loader = _LineLoader("\n" * (first_line - 1) + text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else first_line
        what = exc.problem or exc.context or "cannot be read"
        report.error(file, line, f"malformed YAML: {what}")
        return UNREADABLE
    except yaml.YAMLError as exc:
        report.error(file, first_line, f"malformed YAML: {exc}")
        return UNREADABLE
    finally:
        loader.dispose()
    for line, key, first in loader.duplicate_keys:
        report.error(file, line, f"the key {key!r} is given twice (first on line {first})")
    return data


@dataclass
class Where:
    """File and line of items and fields: keys like ("contact", id, "phones", 0)."""

    places: dict[tuple[Any, ...], tuple[str, int]] = field(default_factory=dict)

    def set(self, key: tuple[Any, ...], file: str, line: int) -> None:
        self.places[key] = (file, line)

    def __call__(self, *key: Any) -> tuple[str, int]:
        """The most precise place known for `key` (falls back to the enclosing item)."""
        for n in range(len(key), 0, -1):
            if key[:n] in self.places:
                return self.places[key[:n]]
        return ("?", 1)
