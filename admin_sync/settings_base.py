"""Settings declared as data: each one a dataclass field with a default and a help text.

`describe(cls)` lists them (for `--help-settings` and the documentation test) and
`from_mapping(cls, values, where=...)` builds the settings object, refusing unknown names and
values of the wrong type with a message that says which setting and where.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
_MISSING = dataclasses.MISSING


class SettingsError(ValueError):
    """A setting is unknown, missing or of the wrong type."""


def setting(default: Any = _MISSING, *, help: str) -> Any:  # noqa: A002 - reads like datasette's
    """Declare one setting. Without a default, it is required."""
    return dataclasses.field(default=default, metadata={"help": help})


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


def describe(cls: type) -> list[SettingInfo]:
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        base, _optional = _base_type(hints[f.name])
        required = f.default is _MISSING
        out.append(
            SettingInfo(
                name=f.name,
                default=None if required else f.default,
                required=required,
                type_name=base.__name__,
                help=f.metadata.get("help", ""),
            )
        )
    return out


def _convert(name: str, value: Any, annotation: Any, where: str) -> Any:
    base, optional = _base_type(annotation)
    if value is None:
        if optional:
            return None
        raise SettingsError(f"{where}: setting {name!r} must not be empty")
    if base is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in {"1", "true", "yes", "on", "0", "false"}:
            return value.lower() in {"1", "true", "yes", "on"}
    elif base is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
    elif base is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                pass
    elif base is Path:
        if isinstance(value, str | Path) and str(value):
            return Path(value)
    elif base is str:
        if isinstance(value, str):
            return value
    else:  # pragma: no cover - a programming error in a settings class
        raise TypeError(f"unsupported setting type {base!r}")
    raise SettingsError(
        f"{where}: setting {name!r} must be {base.__name__}, got {value!r} ({type(value).__name__})"
    )


def from_mapping(
    cls: type[T],
    values: Mapping[str, Any],
    *,
    where: str,
    foreign_prefixes: tuple[str, ...] = (),
) -> T:
    """Build `cls` from `values`. Keys starting with one of `foreign_prefixes` belong to another
    component sharing the table and are skipped."""
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    values = {k: v for k, v in values.items() if not k.startswith(foreign_prefixes or ("\0",))}
    unknown = sorted(set(values) - known)
    if unknown:
        raise SettingsError(
            f"{where}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name in values:
            kwargs[f.name] = _convert(f.name, values[f.name], hints[f.name], where)
        elif f.default is _MISSING:
            raise SettingsError(f"{where}: required setting {f.name!r} is missing")
    return cls(**kwargs)


def help_lines(cls: type) -> list[str]:
    lines = []
    for info in describe(cls):
        default = "(required)" if info.required else f"default {info.default!r}"
        lines.append(f"{info.name} ({info.type_name}, {default}): {info.help}")
    return lines
