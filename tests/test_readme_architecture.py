"""README.md's Architecture table names every package folder, and what it names exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOP_LEVEL = {"content", "kiosk", "admin_sync", "assets", "deploy", "tests"}


def _rows() -> dict[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Architecture\n")[1].split("\n## ")[0]
    return dict(re.findall(r"^\| `([a-z_/]+)/` \| (.*)$", section, re.M))


def test_every_folder_and_module_the_table_names_exists() -> None:
    rows = _rows()
    assert set(rows) >= TOP_LEVEL
    for folder, text in rows.items():
        assert (ROOT / folder).is_dir(), folder
        described = text.split(" | ")[0]
        for module in re.findall(r"`([a-z_]+\.py)`", described):
            assert (ROOT / folder / module).is_file(), f"{folder}/{module}"


def test_every_package_and_top_level_folder_is_in_the_table() -> None:
    rows = set(_rows())
    packages = {
        p.parent.relative_to(ROOT).as_posix()
        for top in ("content", "kiosk", "admin_sync")
        for p in (ROOT / top).rglob("__init__.py")
    }
    assert packages <= rows, packages - rows
    folders = {
        p.name
        for p in ROOT.iterdir()
        if p.is_dir() and not p.name.startswith((".", "_")) and not p.name.endswith("egg-info")
    }
    assert folders - {"build", "demo-screens"} <= rows
