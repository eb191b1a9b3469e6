"""Every settings class of every part (declared with content/settings_base.py's `setting()`) is
found here by walking the packages, and each of its settings has help and a documented row."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

from content.settings_base import describe, help_lines

ROOT = Path(__file__).resolve().parents[1]


def _settings_classes() -> list[type]:
    found: dict[str, type] = {}
    for package in ("content", "admin_sync", "kiosk"):
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, package + "."):
            if info.name.endswith("__main__"):
                continue
            module = importlib.import_module(info.name)
            for _, obj in inspect.getmembers(module, inspect.isclass):
                if (
                    obj.__module__ == info.name
                    and dataclasses.is_dataclass(obj)
                    and any("help" in f.metadata for f in dataclasses.fields(obj))
                ):
                    found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[name] for name in sorted(found)]


CLASSES = _settings_classes()


def _documented_rows() -> set[str]:
    rows: set[str] = set()
    for doc in [*ROOT.glob("*/*.md"), *ROOT.glob("*/*/*.md")]:
        rows |= set(re.findall(r"^\| `([a-z_]+)` \| ", doc.read_text(encoding="utf-8"), re.M))
    return rows


def test_the_settings_of_kiosk_agent_and_server_are_all_found() -> None:
    names = {cls.__name__ for cls in CLASSES}
    assert {"KioskSettings", "SyncSettings", "ServerSettings", "ConsoleSettings"} <= names


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_every_setting_has_help_a_help_line_and_a_documented_row(cls: type) -> None:
    rows = _documented_rows()
    lines = help_lines(cls)
    infos = describe(cls)
    assert len(lines) == len(infos) > 0
    for info, line in zip(infos, lines, strict=True):
        assert len(info.help) > 15, info.name
        assert line.startswith(f"{info.name} (") and line.endswith(info.help)
        assert info.name in rows, f"{cls.__name__}.{info.name} has no row in any README"
