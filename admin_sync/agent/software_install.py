"""Installing one software version into its own virtualenv, beside the running one.

1. `python -m venv --without-pip versions/V/venv` (the base interpreter of the running one);
2. reuse: the previous version's site-packages is copied as hard links (no second copy on
   disk, a second or two for PySide6's thousands of files). Nothing writes those files in
   place: pip replaces a distribution by deleting its files and writing new ones, Python writes
   its `.pyc` files by rename, so the two versions never change each other's files;
3. `pip install --no-index --no-deps --find-links DOWNLOADS WHEEL...` with only the wheels
   that changed (pip runs from the running interpreter with `--python`: the new venv needs no
   pip of its own); pip replaces the older copies of those distributions;
4. a pre-flight: the new interpreter imports the agent (a version whose agent cannot even be
   imported is refused before anything is switched);
5. `COMPLETE` written last.

A failure at any step leaves the folder incomplete (never used); it is removed and rebuilt at
the next try.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from admin_sync.agent.software_store import SoftwareStore
from admin_sync.software_manifest import SoftwareManifest, wheel_distribution

log = logging.getLogger("safe_airports.software")

PREFLIGHT = "import admin_sync.agent.cli, admin_sync.agent.agent, safe_airports_cli"


class SoftwareInstallError(Exception):
    """The version could not be installed; the message says which step failed.

    `permanent`: the version itself is broken (its pre-flight import failed), so it is never
    tried again; otherwise (disk full, pip interrupted...) the next cycle tries again."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def site_packages(venv: Path) -> Path:
    py = sysconfig.get_python_version()
    return venv / "lib" / f"python{py}" / "site-packages"


def installed_distributions(venv: Path) -> set[tuple[str, str]]:
    """(normalised name, version) of each distribution in a venv's site-packages."""
    out: set[tuple[str, str]] = set()
    folder = site_packages(venv)
    if not folder.is_dir():
        return out
    for entry in folder.glob("*.dist-info"):
        name, _, version = entry.name[: -len(".dist-info")].partition("-")
        out.add((re.sub(r"[-_.]+", "_", name).lower(), version))
    return out


def wheels_needed(manifest: SoftwareManifest, previous_venv: Path | None) -> list[str]:
    """The manifest's wheels the previous version does not already have installed."""
    have = installed_distributions(previous_venv) if previous_venv else set()
    return sorted(n for n in manifest.wheels if wheel_distribution(n) not in have)


def _run(cmd: list[str], step: str, timeout: float, *, permanent: bool = False) -> None:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SoftwareInstallError(f"{step}: {exc}") from exc
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip()[-800:]
        raise SoftwareInstallError(
            f"{step} failed (exit {done.returncode}): {tail}", permanent=permanent
        )


def link_tree(src: Path, dst: Path) -> int:
    """Copy the tree `src` to `dst` as hard links (symlinks copied as symlinks)."""
    count = 0
    for folder, dirs, files in os.walk(src):
        rel = Path(folder).relative_to(src)
        target = dst / rel
        target.mkdir(parents=True, exist_ok=True)
        for name in files:
            s = Path(folder) / name
            if s.is_symlink():
                (target / name).symlink_to(os.readlink(s))
            else:
                try:
                    os.link(s, target / name)
                except OSError:  # another file system, or links not allowed: copy
                    shutil.copy2(s, target / name)
            count += 1
        for name in list(dirs):
            s = Path(folder) / name
            if s.is_symlink():
                (target / name).symlink_to(os.readlink(s))
                dirs.remove(name)
    return count


def install_version(
    store: SoftwareStore,
    manifest: SoftwareManifest,
    downloads: Path,
    *,
    previous: str | None,
    timeout: float = 900.0,
) -> list[str]:
    """Build `versions/<manifest.version>` from the wheels in `downloads` (the needed ones);
    returns the wheels installed."""
    version = manifest.version
    folder = store.version_dir(version)
    if store.is_complete(version):
        raise SoftwareInstallError(f"software {version} is already installed")
    if folder.exists():
        log.info("removing the incomplete folder of software %s (an interrupted install)", version)
        store.remove_version(version)
    store.versions.mkdir(parents=True, exist_ok=True)
    venv = store.venv(version)
    previous_venv = store.venv(previous) if previous and store.is_complete(previous) else None
    needed = wheels_needed(manifest, previous_venv)
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], "python -m venv", timeout)
    if previous_venv is not None and site_packages(previous_venv).is_dir():
        n = link_tree(site_packages(previous_venv), site_packages(venv))
        log.info("reused %d files of software %s's site-packages (hard links)", n, previous)
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "--no-index",
            "--no-deps",
            "--disable-pip-version-check",
            "--no-input",
            "--no-cache-dir",
            "--quiet",
            "--find-links",
            str(downloads),
            *[str(downloads / name) for name in needed],
        ],
        "pip install",
        timeout,
    )
    _run(
        [str(venv / "bin" / "python"), "-c", PREFLIGHT],
        "pre-flight import",
        timeout,
        permanent=True,
    )
    store.mark_complete(
        version,
        {"version": version, "wheels": sorted(manifest.wheels), "installed": needed},
    )
    log.info("installed software %s (%d new wheels) in %s", version, len(needed), folder)
    return needed
