"""The one settings mechanism (content/settings_base.py): kiosk, agent and server use it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from content.settings_base import (
    SettingsError,
    describe,
    from_environ,
    from_mapping,
    help_lines,
    in_range,
    markdown_table,
    setting,
)


@dataclass(frozen=True)
class Example:
    folder: Path = setting(help="A required folder.")
    count: int = setting(3, help="How many.", check=in_range(1, 9))
    ratio: float = setting(0.5, help="A fraction.")
    on: bool = setting(True, help="Switched on.")
    label: str | None = setting(None, help="An optional label.")
    derived: str = "not a setting"


def test_declared_fields_are_the_settings_and_others_are_not() -> None:
    assert [(i.name, i.type_name, i.required) for i in describe(Example)] == [
        ("folder", "Path", True),
        ("count", "int", False),
        ("ratio", "float", False),
        ("on", "bool", False),
        ("label", "str", False),
    ]
    assert help_lines(Example)[1] == "count (int, default 3): How many."
    assert "| `folder` | Path | required | A required folder. |" in markdown_table(Example)


def test_text_values_are_parsed_and_typed_values_are_kept() -> None:
    s = from_mapping(
        Example, {"folder": "/x", "count": "4", "ratio": "2", "on": "false"}, where="env"
    )
    assert (s.folder, s.count, s.ratio, s.on, s.derived) == (
        Path("/x"),
        4,
        2.0,
        False,
        "not a setting",
    )
    with pytest.raises(
        SettingsError, match=r"toml: setting 'count' must be int \(a whole number\), got '4'"
    ):
        from_mapping(Example, {"folder": "/x", "count": "4"}, where="toml", from_text=False)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, "required setting 'folder' is missing"),
        ({"folder": ""}, "setting 'folder' is empty; expected a path"),
        (
            {"folder": "a", "count": 10},
            "setting 'count' is 10; expected a whole number from 1 to 9",
        ),
        ({"folder": "a", "on": "maybe"}, "setting 'on' must be bool"),
        ({"folder": "a", "derived": "x"}, r"unknown setting\(s\) derived; known: count, folder"),
    ],
)
def test_bad_values_name_the_setting_and_where(values: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError, match=f"^here: .*{message}"):
        from_mapping(Example, values, where="here")


def test_foreign_keys_are_skipped_and_relative_paths_taken_from_a_base() -> None:
    s = from_mapping(
        Example,
        {"folder": "data", "sync": {"x": 1}, "stats_k": 5},
        where="f",
        foreign_keys={"sync"},
        foreign_prefixes=("stats_",),
        base=Path("/etc/sa"),
    )
    assert s.folder == Path("/etc/sa/data")


def test_environment_then_overrides() -> None:
    s = from_environ(
        Example,
        {"EX_FOLDER": "/a", "EX_COUNT": "2", "OTHER": "x"},
        prefix="EX_",
        where="environment",
        overrides={"count": 5, "label": None},
    )
    assert (s.folder, s.count, s.label) == (Path("/a"), 5, None)
