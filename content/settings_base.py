"""Settings declared as data, one mechanism for the kiosk, the sync agent and the server.

Each setting is a field of a frozen dataclass declared with `setting(default, help=...,
check=...)`: name, type (the annotation), default and help text in one place. Fields declared
without `setting()` are derived values, not settings (e.g. where the settings came from).

- `describe(cls)` lists the settings (for `--help-settings`, `help_lines`, and the tests that
  check each one is documented);
- `from_mapping(cls, values, where=...)` builds the settings object, refusing unknown names,
  values of the wrong type and values a setting's `check` rejects, with a message that says
  which setting, the value found, what is expected and where.

Qt-free and stdlib-only (kiosk/ and admin_sync/ both import it).
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
_MISSING: Any = dataclasses.MISSING

Check = Callable[[Any], "str | None"]
"""Returns what is expected when a converted value is refused (None when it is fine)."""


class SettingsError(ValueError):
    """A setting is unknown, missing, of the wrong type or out of range."""


def setting(default: Any = _MISSING, *, help: str, check: Check | None = None) -> Any:  # noqa: A002
    """Declare one setting. Without a default, it is required."""
    return dataclasses.field(default=default, metadata={"help": help, "check": check})


def in_range(lo: int, hi: int) -> Check:
    """A check: a whole number from lo to hi."""

    def check(value: Any) -> str | None:
        return None if lo <= value <= hi else f"a whole number from {lo} to {hi}"

    return check


def matching(regex: str, expected: str) -> Check:
    """A check: the whole text matches `regex`; `expected` says it in words."""
    compiled = re.compile(regex)

    def check(value: Any) -> str | None:
        return None if compiled.fullmatch(value) else expected

    return check


@dataclasses.dataclass(frozen=True)
class SettingInfo:
    name: str
    default: Any
    required: bool
    type_name: str
    help: str


def _base_type(annotation: Any) -> tuple[type, bool]:
    """(the base type, whether None is allowed) of a field annotation."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0], True
    return annotation, False


def _declared(cls: type) -> list[dataclasses.Field[Any]]:
    """The fields of `cls` declared with `setting()` (others are derived values)."""
    return [f for f in dataclasses.fields(cls) if "help" in f.metadata]


def describe(cls: type) -> list[SettingInfo]:
    hints = typing.get_type_hints(cls)
    out = []
    for f in _declared(cls):
        base, _optional = _base_type(hints[f.name])
        required = f.default is _MISSING
        out.append(
            SettingInfo(
                name=f.name,
                default=None if required else f.default,
                required=required,
                type_name=base.__name__,
                help=f.metadata["help"],
            )
        )
    return out


_WORDS = {int: "int (a whole number)", float: "float (a number)", bool: "bool (true or false)"}


def _convert(name: str, value: Any, annotation: Any, where: str, *, from_text: bool) -> Any:
    """`value` as the annotated type. With `from_text`, strings are parsed (environment
    variables); without, the value must already have the type (a TOML value)."""
    base, optional = _base_type(annotation)
    if value is None:
        if optional:
            return None
        raise SettingsError(f"{where}: setting {name!r} must not be empty")
    text = from_text and isinstance(value, str)
    if base is bool:
        if isinstance(value, bool):
            return value
        if text and value.lower() in {"1", "true", "yes", "on", "0", "false"}:
            return value.lower() in {"1", "true", "yes", "on"}
    elif base is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if text and value.strip().lstrip("-").isdigit():
            return int(value)
    elif base is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if text:
            try:
                return float(value)
            except ValueError:
                pass
    elif base is Path:
        if isinstance(value, str) and not value.strip():
            raise SettingsError(f"{where}: setting {name!r} is empty; expected a path")
        if isinstance(value, str | Path):
            return Path(value)
    elif base is str:
        if isinstance(value, str):
            return value
    else:  # pragma: no cover - a programming error in a settings class
        raise TypeError(f"unsupported setting type {base!r}")
    words = _WORDS.get(base, base.__name__)
    raise SettingsError(
        f"{where}: setting {name!r} must be {words}, got {value!r} ({type(value).__name__})"
    )


def from_mapping(
    cls: type[T],
    values: Mapping[str, Any],
    *,
    where: str,
    foreign_prefixes: tuple[str, ...] = (),
    foreign_keys: Collection[str] = (),
    from_text: bool = True,
    base: Path | None = None,
) -> T:
    """Build `cls` from `values`.

    Keys starting with one of `foreign_prefixes`, or equal to one of `foreign_keys`, belong to
    another component sharing the table and are skipped. `from_text`: strings may stand for
    numbers and booleans (environment variables); off for typed sources (TOML). Relative
    paths are taken from `base` when given (the settings file's folder).
    """
    hints = typing.get_type_hints(cls)
    declared = _declared(cls)
    known = {f.name for f in declared}
    values = {
        k: v
        for k, v in values.items()
        if not (foreign_prefixes and k.startswith(foreign_prefixes)) and k not in foreign_keys
    }
    unknown = sorted(set(values) - known)
    if unknown:
        raise SettingsError(
            f"{where}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    kwargs: dict[str, Any] = {}
    for f in declared:
        if f.name in values:
            value = _convert(f.name, values[f.name], hints[f.name], where, from_text=from_text)
            check: Check | None = f.metadata.get("check")
            expected = None if value is None or check is None else check(value)
            if expected is not None:
                raise SettingsError(
                    f"{where}: setting {f.name!r} is {values[f.name]!r}; expected {expected}"
                )
            if base is not None and isinstance(value, Path) and not value.is_absolute():
                value = base / value
            kwargs[f.name] = value
        elif f.default is _MISSING:
            raise SettingsError(f"{where}: required setting {f.name!r} is missing")
    return cls(**kwargs)


def from_environ(
    cls: type[T],
    environ: Mapping[str, str],
    *,
    prefix: str,
    where: str,
    overrides: Mapping[str, object] | None = None,
) -> T:
    """Settings from environment variables `<prefix><NAME>`, then `overrides` (command-line
    options; None values are not given)."""
    values: dict[str, object] = {}
    for info in describe(cls):
        key = prefix + info.name.upper()
        if key in environ:
            values[info.name] = environ[key]
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return from_mapping(cls, values, where=where)


def help_lines(cls: type) -> list[str]:
    """One line a setting: name (type, default): help. What `--help-settings` prints."""
    lines = []
    for info in describe(cls):
        default = "(required)" if info.required else f"default {info.default!r}"
        lines.append(f"{info.name} ({info.type_name}, {default}): {info.help}")
    return lines


def markdown_table(cls: type) -> str:
    """The settings as a Markdown table (a README holds it; a test keeps the two equal)."""
    rows = ["| setting | type | default | what it does |", "| --- | --- | --- | --- |"]
    for info in describe(cls):
        default = "required" if info.required else f"`{info.default}`"
        if info.default == "":
            default = "empty"
        rows.append(f"| `{info.name}` | {info.type_name} | {default} | {info.help} |")
    return "\n".join(rows) + "\n"
