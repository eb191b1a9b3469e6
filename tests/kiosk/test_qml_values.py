"""Screens as QML values (kiosk/qml_values.py), and the QML module's contract with Python:
the strings it reads, its type description for qmllint, and qmllint itself."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.qml_values import QML_STRING_KEYS, camel, qml_strings, to_qml
from kiosk.screens.cards import QrView
from kiosk.screens.help import HelpScreen

QML_DIR = Path(__file__).resolve().parents[2] / "kiosk" / "qml"
MODULE = QML_DIR / "SafeAirports"


def test_dataclasses_become_maps_with_camel_case_keys() -> None:
    assert camel("rows_first") == "rowsFirst" and camel("title") == "title"
    code = QrView("tel", "tel/abc", "112", "tel:112")
    value = to_qml(HelpScreen(title="Help", in_danger_code=code))
    assert value["title"] == "Help" and value["vcards"] == []
    assert value["inDangerCode"] == {
        "kind": "tel",
        "image": "tel/abc",
        "label": "112",
        "payload": "tel:112",
        "caption": "",
        "size": 340,
    }
    assert value["destContactsFirst"] == [] and isinstance(value["homeContacts"], list)


def test_every_string_the_qml_reads_is_always_there() -> None:
    used = set()
    for qml in MODULE.glob("*.qml"):
        used |= set(re.findall(r'Theme\.strings\["([\w.]+)"\]', qml.read_text()))
    assert used == set(QML_STRING_KEYS)
    strings = qml_strings({"nav.home": "Home"})
    assert strings["nav.home"] == "Home" and strings["nav.help"] == ""


def test_the_qmltypes_file_describes_the_controller(qapp) -> None:
    from kiosk.controller import KioskController
    from kiosk.qmltypes import EXPORT_NAME, QMLTYPES, describe

    assert QMLTYPES.read_text() == describe(KioskController, EXPORT_NAME), (
        "run `python -m kiosk.qmltypes` after changing the controller's properties or slots"
    )
    assert "typeinfo kiosk.qmltypes" in (MODULE / "qmldir").read_text()


def test_qmllint_finds_nothing() -> None:
    qmllint = Path(sys.executable).parent / "pyside6-qmllint"
    if not qmllint.exists():
        pytest.skip("pyside6-qmllint is not installed next to this Python")
    files = sorted(str(p) for p in MODULE.glob("*.qml"))
    result = subprocess.run(
        [str(qmllint), "--max-warnings", "0", "-I", str(QML_DIR), *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and "Warning" not in result.stdout + result.stderr, (
        result.stdout + result.stderr
    )
