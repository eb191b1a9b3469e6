"""The server does not import the kiosk (DESIGN.md: a server install without Qt must work);
the usage allow-list and the statistics wire format come from `admin_sync.stats_wire`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SERVER_MODULES = (
    "admin_sync.server.app",
    "admin_sync.server.stats_api",
    "admin_sync.server.stats_db",
    "admin_sync.server.kiosk_api",
    "admin_sync.server.console",
    "admin_sync.server.console.fleet_page",
    "admin_sync.stats_wire",
    "admin_sync.protocol",
)


def test_server_modules_import_nothing_from_the_kiosk() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {SERVER_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "from admin_sync.stats_wire import METRICS, value_allowed\n"
        "assert value_allowed('language', 'uz') and not value_allowed('language', 'uz; x')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('kiosk', 'PySide6'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"the server imported: {result.stdout.strip()}"


def test_the_kiosk_uses_the_same_allow_list() -> None:
    import admin_sync.stats_wire as wire
    import kiosk.usage_metrics as kiosk_side

    assert kiosk_side.METRICS is wire.METRICS
    assert kiosk_side.is_allowed is wire.is_allowed


def test_the_kiosk_imports_only_the_protocol_module_of_admin_sync() -> None:
    code = (
        "import sys, kiosk.usage_metrics, kiosk.usage_store, kiosk.settings\n"
        "top = ('admin_sync', 'fastapi', 'starlette', 'requests', 'tuf')\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in top)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "admin_sync,admin_sync.stats_wire"
