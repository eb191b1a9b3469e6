"""Make the project's wheel for the software-update tests, fast and without a build backend.

The files are the source tree's packages (content/, kiosk/, admin_sync/ and safe_airports_cli.py,
a superset of what setuptools packs), with the version given and, for a deliberately broken
release, some files replaced. The result is a real wheel that pip installs.
"""

from __future__ import annotations

import base64
import hashlib
import zipfile
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("content", "kiosk", "admin_sync")


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


def project_files() -> dict[str, bytes]:
    files = {"safe_airports_cli.py": (REPO / "safe_airports_cli.py").read_bytes()}
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                files[path.relative_to(REPO).as_posix()] = path.read_bytes()
    return files


def make_wheel(
    out_dir: Path,
    version: str,
    files: Mapping[str, bytes],
    *,
    replace: Mapping[str, bytes] | None = None,
) -> Path:
    """Write safe_airports-<version>-py3-none-any.whl into `out_dir`; returns its path."""
    dist_info = f"safe_airports-{version}.dist-info"
    content = {**files, **(replace or {})}
    content[f"{dist_info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: safe-airports\nVersion: {version}\n"
    ).encode()
    content[f"{dist_info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: tests.e2e.wheel_maker\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n"
    )
    content[f"{dist_info}/entry_points.txt"] = (
        b"[console_scripts]\nsafe-airports = safe_airports_cli:main\n"
    )
    content[f"{dist_info}/top_level.txt"] = b"admin_sync\ncontent\nkiosk\nsafe_airports_cli\n"
    record = [f"{name},{_record_hash(data)},{len(data)}" for name, data in content.items()]
    record.append(f"{dist_info}/RECORD,,")
    content[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"safe_airports-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, data in content.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data)
    return path
