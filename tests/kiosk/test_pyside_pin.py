"""Regression guard for the PySide6 pin in pyproject (`PySide6-Essentials>=6.11,<6.12`).

PySide6 6.12.0 leaked one reference to None on every processEvents() call; after tens of
thousands of calls the count underflows and the interpreter aborts. A kiosk runs for weeks.
"""

from __future__ import annotations

import sys

import PySide6
from PySide6.QtCore import QCoreApplication


def test_installed_pyside_is_not_the_leaking_release() -> None:
    assert PySide6.__version__ != "6.12.0", "PySide6 6.12.0 leaks None: see pyproject"


def test_process_events_does_not_leak_none(qapp) -> None:
    calls = 50_000
    before = sys.getrefcount(None)
    for _ in range(calls):
        QCoreApplication.processEvents()
    after = sys.getrefcount(None)
    assert abs(after - before) < calls // 10, (before, after)
