"""DESIGN.md's layer rules, enforced.

1. The import-linter contracts in pyproject.toml (`lint-imports`): content/ imports no Qt, no
   network library and no other part; admin_sync/ imports no Qt and from kiosk/ only the Qt-free
   usage store; kiosk/ never imports the server or the agent.
2. Each install works without the other's dependencies: every module of content/ and admin_sync/
   imports in a fresh interpreter where Qt cannot be imported (a server install), and every
   module of kiosk/ imports where the server's and agent's libraries cannot (a kiosk install).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

_IMPORT_ALL_WITHOUT = """
import importlib, pkgutil, sys

blocked = set(sys.argv[1].split(","))

class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in blocked:
            raise ImportError(f"{name} is not installed here (blocked by the layer test)")
        return None

sys.meta_path.insert(0, Block())
for package in sys.argv[2].split(","):
    root = importlib.import_module(package)
    for info in pkgutil.walk_packages(root.__path__, package + "."):
        if info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)
leaked = sorted(m for m in sys.modules if m.split(".")[0] in blocked)
assert not leaked, leaked
print("ok", len(sys.modules))
"""


def test_import_contracts_hold() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("packages", "blocked"),
    [
        (["content", "admin_sync"], ["PySide6", "shiboken6", "qrcode", "PIL"]),
        (
            ["content", "kiosk"],
            ["fastapi", "starlette", "uvicorn", "jinja2", "argon2", "requests", "tuf"],
        ),
    ],
    ids=["server-install-without-qt", "kiosk-install-without-server-libraries"],
)
def test_every_module_imports_without_the_other_installs_libraries(
    packages: list[str], blocked: list[str]
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL_WITHOUT, ",".join(blocked), ",".join(packages)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("ok")
