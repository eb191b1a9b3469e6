#!/usr/bin/env python3
"""Configuration files for a kiosk install, called by deploy/kiosk/install.sh.

Runs with the system's python3 (3.11 or newer, stdlib only) before the app's virtualenv exists.

  configure.py check PROVISIONING [--airport ID] [--allow-http]
  configure.py kiosk-config PROVISIONING --config FILE --token FILE --owner USER [--airport ID]
  configure.py display --out FILE [--rotation DEG] [--touch-rotation DEG] [--output NAME]
  configure.py touch-rule --display FILE --out FILE
  configure.py blank-cursor DIR

Each command checks its input and says what is wrong and where; files are written atomically
(temporary file, fsync, rename), so a power cut never leaves half a configuration.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import struct
import sys
import tempfile
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

CONTENT_DIR = "/var/lib/safe-airports/content"
USAGE_FILE = "/var/lib/safe-airports/usage/usage.sqlite"
STATE_DIR = "/var/lib/safe-airports/sync"
SOFTWARE_DIR = "/var/lib/safe-airports/software"  # versions/, current (signed software updates)
# The kiosk unit's CacheDirectory (writable under ProtectSystem=strict): the kiosk builds the
# cache of its shipped sample content there when installed content is missing or unreadable.
FALLBACK_CACHE_DIR = "/var/cache/safe-airports-kiosk/fallback"
PIN_HASH_RE = re.compile(r"pbkdf2_sha256\$[0-9]+\$[0-9a-f]+\$[0-9a-f]+")
PROVISIONING_FILE = "/etc/safe-airports/provisioning.json"
ROTATIONS = (0, 90, 180, 270)
AIRPORT_RE = re.compile(r"^[A-Z]{3}$")
ROOT_KEYS = ("trusted_root",)

# libinput calibration matrices that turn touch input clockwise with the screen (libinput's
# documentation, "Static device configuration via udev", LIBINPUT_CALIBRATION_MATRIX).
TOUCH_MATRICES = {
    90: "0 -1 1 1 0 0",
    180: "-1 0 1 0 -1 1",
    270: "0 1 0 -1 0 1",
}

CURSOR_NAMES = (
    "left_ptr",
    "default",
    "arrow",
    "top_left_arrow",
    "pointer",
    "hand",
    "hand1",
    "hand2",
    "pointing_hand",
    "text",
    "xterm",
    "ibeam",
    "crosshair",
    "cross",
    "wait",
    "watch",
    "progress",
    "left_ptr_watch",
    "half-busy",
    "grab",
    "grabbing",
    "openhand",
    "closedhand",
    "move",
    "fleur",
    "all-scroll",
    "not-allowed",
    "crossed_circle",
    "help",
    "question_arrow",
    "context-menu",
    "col-resize",
    "row-resize",
    "sb_h_double_arrow",
    "sb_v_double_arrow",
    "size_hor",
    "size_ver",
    "size_all",
    "n-resize",
    "s-resize",
    "e-resize",
    "w-resize",
    "ne-resize",
    "nw-resize",
    "se-resize",
    "sw-resize",
    "ew-resize",
    "ns-resize",
    "nesw-resize",
    "nwse-resize",
    "copy",
    "alias",
    "cell",
    "vertical-text",
    "zoom-in",
    "zoom-out",
)


class ConfigError(Exception):
    """Bad input for the kiosk configuration, with the file it came from."""


# --- provisioning file -------------------------------------------------------------------


def load_provisioning(path: Path, *, allow_http: bool = False) -> dict[str, Any]:
    """Read and check the file written by `safe-airports admin add-kiosk`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: provisioning file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the provisioning file: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a JSON object, found {type(data).__name__}")
    problems = []
    for key in ("server_url", "kiosk_id", "token"):
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"'{key}' is missing or empty")
    url = data.get("server_url")
    if isinstance(url, str) and url:
        if url.startswith("http://") and not allow_http:
            problems.append(
                f"server_url {url!r} is plain http: the kiosk token would travel unencrypted "
                "(use https, or --allow-http for a test install)"
            )
        elif not url.startswith(("https://", "http://")):
            problems.append(f"server_url {url!r} is not an http(s) URL")
    kiosk_id = data.get("kiosk_id")
    if isinstance(kiosk_id, str) and kiosk_id and not re.fullmatch(r"[A-Za-z0-9._-]+", kiosk_id):
        problems.append(f"kiosk_id {kiosk_id!r} may only hold letters, digits, '.', '_' and '-'")
    if not any(isinstance(data.get(key), dict) for key in ROOT_KEYS):
        problems.append(
            "the TUF root metadata ('trusted_root') is missing: the kiosk could trust nothing"
        )
    if problems:
        raise ConfigError(f"{path}: " + "; ".join(problems))
    return data


def airport_for(data: Mapping[str, Any], airport: str | None, source: Path) -> str:
    chosen = airport or data.get("airport")
    if not chosen:
        raise ConfigError(
            f"{source}: no airport in the provisioning file; pass --airport with the IATA code "
            "(TAS, TMJ, NMA, KSQ, ASB or FRU)"
        )
    if not isinstance(chosen, str) or not AIRPORT_RE.fullmatch(chosen):
        raise ConfigError(f"airport {chosen!r} is not a three-letter IATA code such as TMJ")
    if airport and data.get("airport") and data["airport"] != airport:
        raise ConfigError(
            f"{source}: the provisioning file is for airport {data['airport']!r}, not {airport!r}"
        )
    return chosen


# --- kiosk.toml --------------------------------------------------------------------------


def plan_kiosk_config(
    data: Mapping[str, Any],
    airport: str,
    token_file: str,
    existing: Mapping[str, Any],
    pin_hash: str | None = None,
) -> dict[str, Any]:
    """The kiosk.toml content: keys the installer owns are set, every other key is kept."""
    config: dict[str, Any] = {k: v for k, v in existing.items() if k != "sync"}
    config.update(
        airport=airport,
        kiosk_id=data["kiosk_id"],
        content_dir=CONTENT_DIR,
        usage_file=USAGE_FILE,
        fallback_cache_dir=FALLBACK_CACHE_DIR,
    )
    if pin_hash is not None:
        if pin_hash and not PIN_HASH_RE.fullmatch(pin_hash):
            raise ConfigError(
                "--maintenance-pin-hash: expected pbkdf2_sha256$ITER$SALT$HASH as printed by "
                "`python -m kiosk.pin` (or empty to disable the maintenance screen)"
            )
        config["maintenance_pin_hash"] = pin_hash
    sync = dict(existing.get("sync", {}))
    sync.update(
        provisioning_file=PROVISIONING_FILE,
        server_url=data["server_url"],
        token_file=token_file,
        state_dir=STATE_DIR,
        software_dir=SOFTWARE_DIR,
    )
    config["sync"] = sync
    return config


def to_toml(config: Mapping[str, Any]) -> str:
    """Plain TOML for flat keys and one level of tables (all kiosk.toml needs)."""
    lines = [
        "# Safe Airports kiosk settings, written by deploy/kiosk/install.sh.",
        "# Keys you add are kept when the installer runs again.",
        "",
    ]
    tables = {k: v for k, v in config.items() if isinstance(v, dict)}
    for key, value in config.items():
        if key not in tables:
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    for name, table in tables.items():
        lines += ["", f"[{_toml_key(name)}]"]
        for key, value in table.items():
            if isinstance(value, dict):
                raise ConfigError(f"kiosk.toml: nested table [{name}.{key}] is not supported")
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise ConfigError(f"kiosk.toml: cannot write a value of type {type(value).__name__}")


def read_existing_toml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"{path}: existing configuration is not valid TOML ({exc}); "
            "fix or remove it and run the installer again"
        ) from None


# --- display and touch -------------------------------------------------------------------


def read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if not path.exists():
        return values
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not re.fullmatch(r"[A-Z_][A-Z0-9_]*", key):
            raise ConfigError(f"{path}:{number}: expected KEY=value, found {line!r}")
        values[key] = value
    return values


def check_rotation(value: str | int, where: str) -> int:
    try:
        degrees = int(value)
    except ValueError:
        degrees = -1
    if degrees not in ROTATIONS:
        raise ConfigError(f"{where}: rotation {value!r} is not one of 0, 90, 180, 270")
    return degrees


def plan_display(
    existing: Mapping[str, str],
    rotation: str | None,
    touch_rotation: str | None,
    output: str | None,
    source: Path,
) -> dict[str, str]:
    """display.conf: options given now win, otherwise what is configured stays."""
    values = {"ROTATION": "0", "TOUCH_ROTATION": "", "OUTPUT": ""}
    values.update({k: v for k, v in existing.items() if k in values})
    if rotation is not None:
        values["ROTATION"] = rotation
    if touch_rotation is not None:
        values["TOUCH_ROTATION"] = touch_rotation
    if output is not None:
        values["OUTPUT"] = output
    check_rotation(values["ROTATION"], f"{source}: ROTATION")
    if values["TOUCH_ROTATION"]:
        check_rotation(values["TOUCH_ROTATION"], f"{source}: TOUCH_ROTATION")
    if values["OUTPUT"] and not re.fullmatch(r"[A-Za-z0-9_.:-]+", values["OUTPUT"]):
        raise ConfigError(f"{source}: OUTPUT {values['OUTPUT']!r} is not a connector name")
    return values


def display_text(values: Mapping[str, str]) -> str:
    return (
        "# Safe Airports kiosk display, read by safe-airports-kiosk.service.\n"
        "# ROTATION: clockwise screen rotation, 0, 90, 180 or 270.\n"
        "# TOUCH_ROTATION: rotation of touch input if it differs from ROTATION (empty = same).\n"
        "# OUTPUT: connector to rotate, e.g. HDMI-A-1 (empty = the first one).\n"
        "# Change with: install.sh --rotation DEG ..., or edit and\n"
        "#   udevadm control --reload && udevadm trigger -s input && "
        "systemctl restart safe-airports-kiosk\n"
        + "".join(f"{key}={value}\n" for key, value in values.items())
    )


def touch_rule_text(display: Mapping[str, str], source: Path) -> str:
    degrees = check_rotation(
        display.get("TOUCH_ROTATION") or display.get("ROTATION") or "0", f"{source}"
    )
    header = "# Safe Airports: touch input rotation, written by install.sh from display.conf.\n"
    if degrees == 0:
        return header + "# No rotation.\n"
    return header + (
        'ACTION=="add|change", KERNEL=="event[0-9]*", ENV{ID_INPUT_TOUCHSCREEN}=="1", '
        f'ENV{{LIBINPUT_CALIBRATION_MATRIX}}="{TOUCH_MATRICES[degrees]}"\n'
    )


# --- blank cursor theme -------------------------------------------------------------------


def blank_xcursor(nominal_size: int = 24) -> bytes:
    """An Xcursor file holding one fully transparent 1x1 image (format: Xcursor(3))."""
    image_type, header_size, toc_entry = 0xFFFD0002, 16, 12
    position = header_size + toc_entry
    file_header = struct.pack("<4sIII", b"Xcur", header_size, 0x10000, 1)
    toc = struct.pack("<III", image_type, nominal_size, position)
    image = struct.pack("<9I", 36, image_type, nominal_size, 1, 1, 1, 0, 0, 0)
    return file_header + toc + image + struct.pack("<I", 0)


def write_blank_cursor_theme(directory: Path) -> None:
    cursors = directory / "cursors"
    cursors.mkdir(parents=True, exist_ok=True)
    write_atomically(
        directory / "index.theme",
        "[Icon Theme]\nName=safe-airports-blank\nComment=Invisible cursors for touch kiosks\n",
        mode=0o644,
    )
    write_atomically(cursors / "left_ptr", blank_xcursor(), mode=0o644)
    for name in CURSOR_NAMES:
        link = cursors / name
        if name == "left_ptr" or (link.is_symlink() and os.readlink(link) == "left_ptr"):
            continue
        if link.exists() or link.is_symlink():
            link.unlink()
        link.symlink_to("left_ptr")


# --- files ---------------------------------------------------------------------------------


def write_atomically(path: Path, data: str | bytes, *, mode: int, owner: str | None = None) -> None:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if owner is not None:
            shutil.chown(tmp, user=owner, group=owner)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


# --- commands ------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> None:
    data = load_provisioning(args.provisioning, allow_http=args.allow_http)
    airport = airport_for(data, args.airport, args.provisioning)
    print(f"kiosk {data['kiosk_id']} at {airport}, server {data['server_url']}")


def cmd_kiosk_config(args: argparse.Namespace) -> None:
    data = load_provisioning(args.provisioning, allow_http=args.allow_http)
    airport = airport_for(data, args.airport, args.provisioning)
    existing = read_existing_toml(args.config)
    config = plan_kiosk_config(
        data, airport, str(args.token), existing, pin_hash=args.maintenance_pin_hash
    )
    write_atomically(args.token, data["token"].strip() + "\n", mode=0o600, owner=args.owner)
    write_atomically(args.config, to_toml(config), mode=0o640)
    if args.owner is not None:
        shutil.chown(args.config, user="root", group=args.owner)


def cmd_display(args: argparse.Namespace) -> None:
    values = plan_display(
        read_env_file(args.out), args.rotation, args.touch_rotation, args.output, args.out
    )
    write_atomically(args.out, display_text(values), mode=0o644)


def cmd_touch_rule(args: argparse.Namespace) -> None:
    write_atomically(
        args.out, touch_rule_text(read_env_file(args.display), args.display), mode=0o644
    )


def cmd_blank_cursor(args: argparse.Namespace) -> None:
    write_blank_cursor_theme(args.directory)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="configure.py", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def provisioning_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("provisioning", type=Path)
        p.add_argument("--airport", help="IATA code, when the provisioning file has none")
        p.add_argument("--allow-http", action="store_true", help="accept a plain-http server_url")

    check = sub.add_parser("check", help="check a provisioning file")
    provisioning_args(check)
    check.set_defaults(func=cmd_check)

    kiosk = sub.add_parser("kiosk-config", help="write kiosk.toml and the token file")
    provisioning_args(kiosk)
    kiosk.add_argument("--config", type=Path, required=True)
    kiosk.add_argument("--token", type=Path, required=True)
    kiosk.add_argument("--owner", help="system user that owns the token and reads the config")
    kiosk.add_argument("--maintenance-pin-hash", help="from `python -m kiosk.pin` (kept if absent)")
    kiosk.set_defaults(func=cmd_kiosk_config)

    display = sub.add_parser("display", help="write display.conf")
    display.add_argument("--out", type=Path, required=True)
    display.add_argument("--rotation")
    display.add_argument("--touch-rotation")
    display.add_argument("--output")
    display.set_defaults(func=cmd_display)

    touch = sub.add_parser("touch-rule", help="write the udev rule rotating touch input")
    touch.add_argument("--display", type=Path, required=True)
    touch.add_argument("--out", type=Path, required=True)
    touch.set_defaults(func=cmd_touch_rule)

    cursor = sub.add_parser("blank-cursor", help="write the invisible cursor theme")
    cursor.add_argument("directory", type=Path)
    cursor.set_defaults(func=cmd_blank_cursor)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
