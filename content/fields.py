"""The fields of each kind of item, declared once: name, type, whether required, meaning.

From this one declaration come the reader of an item (`read_fields`), the fields the checker
knows (`KNOWN_FIELDS`: any other field is reported as a probable typo) and the fields table of
content/README.md (`fields_markdown()`, tested equal to the README). The names are the names
of the content model's fields (content/model.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from content.problems import Report
from content.yaml_lines import LineDict, LineList, Where

FieldType = Literal["text", "texts", "localized", "map", "date", "flag", "phones"]

# How the README names each type.
TYPE_WORDS: dict[FieldType, str] = {
    "text": "text",
    "texts": "list of texts",
    "localized": "text per language",
    "map": "map of texts",
    "date": "date (2026-10-01)",
    "flag": "true or false",
    "phones": "list of phone numbers in quotes",
}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: FieldType
    required: bool
    help: str


def _f(name: str, type: FieldType, required: bool, help: str) -> FieldSpec:  # noqa: A002
    return FieldSpec(name, type, required, help)


_ID = _f("id", "text", True, "short fixed id, never translated")
_VERIFIED = _f("verified_on", "date", True, "when a person last checked it (not in the future)")
_NOTES = _f(
    "notes",
    "text",
    False,
    "editorial notes: what to verify, secondary sources, details of the check; never reach "
    "the kiosk",
)
_STATUS = _f("status", "text", True, "`verified`, or `sample` (refused by a production release)")

# Each kind's fields in the order they are read (and reported). `id` is read by the list
# reader before the other fields; articles have no id (their path names them).
FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "language": (
        _ID,
        _f("name", "text", True, "the language's name in its own script, as the kiosk shows it"),
        _f("script", "text", True, "ISO 15924 script: Latn or Cyrl"),
        _f("fallback", "texts", False, "languages used, in order, where a text is missing"),
        _f("generated_from", "text", False, "language this one is transliterated from"),
    ),
    "airport": (
        _ID,
        _f("country", "text", True, "home country (ISO 3166 alpha-2)"),
        _f("name", "localized", True, "the airport's name"),
        _f("languages", "texts", True, "offered on the language screen, in this order"),
        _f("destinations", "texts", True, "destination ids, in the order travellers need them"),
        _f(
            "nationality",
            "text",
            False,
            "the travellers' nationality the airport implies (a home country id); "
            "`country` when not given",
        ),
    ),
    "destination": (
        _ID,
        _f("kind", "text", True, "`destination` or `home` (home countries hold help contacts)"),
        _f("name", "localized", True, "the country's name"),
        _f("flag", "text", False, "flag image, a path inside assets/"),
        _f(
            "emergency",
            "text",
            False,
            "**every country needs it**: the number to call in danger (police or general "
            "emergency) as dialled, like `112`; `none` only where no number could be confirmed "
            "(refused by a production release)",
        ),
        _f("emergency_verified_on", "date", False, "when a person last checked `emergency`"),
        _f("emergency_source", "text", False, "where `emergency` was checked"),
    ),
    "topic": (
        _ID,
        _f("icon", "text", True, "icon image, a path inside assets/"),
        _f("title", "localized", True, "the topic's title"),
    ),
    "contact": (
        _ID,
        _f("kind", "text", True, "emergency, hotline, embassy, consulate, ngo or police"),
        _f("country", "text", True, "where the contact is (destination or home country)"),
        _f("name", "localized", True, "the contact's name"),
        _VERIFIED,
        _f(
            "source",
            "localized",
            True,
            "public: a short label of where it was checked, per language (the organisation's name "
            "or its site); travellers see it",
        ),
        _STATUS,
        _NOTES,
        _f(
            "serves",
            "texts",
            False,
            "the nationalities it is for (home country ids): shown only to them (embassies, "
            "consulates)",
        ),
        _f("phones", "phones", False, "numbers in E.164: +, country code, digits"),
        _f("short", "text", False, "short number dialled as is (112)"),
        _f("url", "text", False, "https link, shown as a QR code"),
        _f("messengers", "map", False, "messenger links by name (telegram, whatsapp)"),
        _f("hours", "localized", False, "opening hours"),
        _f("languages", "texts", False, "languages spoken on the line"),
        _f("free", "flag", False, "free to call"),
    ),
    "article": (
        _f("title", "text", True, "the article's title"),
        _VERIFIED,
        _f("review_by", "date", True, "when it must be checked again"),
        _f(
            "source",
            "text",
            False,
            "public: a short label of where it was checked, in the article's language; "
            "travellers see it",
        ),
        _STATUS,
        _NOTES,
        _f("contacts", "texts", False, "contact ids shown under the article with QR codes"),
    ),
}

# Fields each kind of item may have; anything else is reported (probably a typo).
KNOWN_FIELDS: dict[str, frozenset[str]] = {
    kind: frozenset(f.name for f in specs) for kind, specs in FIELDS.items()
}
DATE_FORMAT = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def read_fields(item: ItemReader, kind: str) -> dict[str, Any]:
    """Every declared field of `item` but `id`, by name, read as its type declares."""
    values: dict[str, Any] = {}
    for spec in FIELDS[kind]:
        if spec.name == "id":
            continue
        values[spec.name] = _READERS[spec.type](item, spec.name, spec.required)
    return values


def fields_markdown() -> str:
    """The fields table of content/README.md."""
    rows = ["| file | field | type | required | what it holds |", "| --- | --- | --- | --- | --- |"]
    for kind, specs in FIELDS.items():
        file = "article front matter" if kind == "article" else f"{kind}s.yaml"
        for spec in specs:
            required = "yes" if spec.required else "no"
            words = TYPE_WORDS[spec.type]
            rows.append(f"| {file} | `{spec.name}` | {words} | {required} | {spec.help} |")
    return "\n".join(rows)


class ItemReader:
    """Typed access to one YAML mapping, reporting missing and mistyped fields."""

    def __init__(
        self,
        report: Report,
        where: Where,
        file: str,
        data: LineDict,
        kind: str,
        key: tuple[Any, ...],
    ) -> None:
        self.report, self.where, self.file, self.data, self.kind = report, where, file, data, kind
        self.key = key
        self.name = f"{kind} {key[1]!r}" if len(key) > 1 else kind
        self.ok = True
        where.set(key, file, data.line)
        for k, line in data.key_lines.items():
            where.set((*key, k), file, line)
            if k not in KNOWN_FIELDS.get(kind, frozenset(data.key_lines)):
                report.warning(file, line, f"unknown field {k!r} in {self.name} (ignored)")

    def line(self, k: str) -> int:
        return self.data.key_lines.get(k, self.data.line)

    def error(self, k: str, message: str) -> None:
        self.report.error(self.file, self.line(k), message)

    def missing(self, k: str) -> None:
        self.report.error(self.file, self.data.line, f"{self.name} has no {k!r} (required)")
        self.ok = False

    def text(self, k: str, required: bool = True) -> str | None:
        value = self.data.get(k)
        if value is None or value == "":
            if required:
                self.missing(k)
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(k, f"{k!r} of {self.name} must be a text, not {_kind_of(value)}")
            self.ok = not required and self.ok
            return None
        return str(value)

    def flag(self, k: str) -> bool | None:
        value = self.data.get(k)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.error(k, f"{k!r} of {self.name} must be true or false, not {value!r}")
            return None
        return value

    def texts(self, k: str, required: bool = False) -> tuple[str, ...]:
        value = self.data.get(k)
        if value is None:
            if required:
                self.missing(k)
            return ()
        if not isinstance(value, list):
            self.error(k, f"{k!r} of {self.name} must be a list like [a, b]")
            self.ok = self.ok and not required
            return ()
        out: list[str] = []
        lines = getattr(value, "item_lines", [self.line(k)] * len(value))
        for i, item in enumerate(value):
            self.where.set((*self.key, k, i), self.file, lines[i])
            if isinstance(item, str | int) and not isinstance(item, bool):
                out.append(str(item))
            else:
                self.report.error(
                    self.file, lines[i], f"an item of {k!r} in {self.name} must be a text"
                )
        return tuple(out)

    def mapping(self, k: str, required: bool) -> dict[str, str]:
        value = self.data.get(k)
        if value is None:
            if required:
                self.missing(k)
            return {}
        if not isinstance(value, dict):
            self.error(k, f"{k!r} of {self.name} must be a map like {{en: ..., ru: ...}}")
            self.ok = self.ok and not required
            return {}
        out: dict[str, str] = {}
        lines = getattr(value, "key_lines", {})
        for sub, text in value.items():
            line = lines.get(sub, self.line(k))
            self.where.set((*self.key, k, str(sub)), self.file, line)
            if not isinstance(text, str | int | float) or isinstance(text, bool) or text == "":
                self.report.error(self.file, line, f"{k}.{sub} of {self.name} must be a text")
                continue
            out[str(sub)] = str(text)
        if required and not out:
            self.missing(k)
        return out

    def day(self, k: str, required: bool = True) -> date | None:
        value = self.data.get(k)
        if value is None or value == "":
            if required:
                self.missing(k)
            return None
        if not isinstance(value, str) or not DATE_FORMAT.match(value):
            self.error(k, f"{k!r} of {self.name} must be a date like 2026-10-01, not {value!r}")
            self.ok = False
            return None
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            self.error(k, f"{k!r} of {self.name} is not a real date ({value}: {exc})")
            self.ok = False
            return None


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "a map"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _phones(item: ItemReader) -> tuple[str, ...]:
    value = item.data.get("phones")
    unquoted: set[int] = set()
    if isinstance(value, LineList):
        for i, phone in enumerate(value):
            if isinstance(phone, int) and not isinstance(phone, bool):
                unquoted.add(i)
                item.report.error(
                    item.file,
                    value.item_lines[i],
                    f"the phone number {phone} must be written in quotes with its +, "
                    f'like "+{phone}"',
                )
    elif isinstance(value, str):
        item.error("phones", "'phones' must be a list, like [\"+998712000000\"]")
        return ()
    texts = item.texts("phones")
    return tuple(p for i, p in enumerate(texts) if i not in unquoted)


_READERS: dict[FieldType, Callable[[ItemReader, str, bool], Any]] = {
    "text": lambda item, k, required: item.text(k, required),
    "texts": lambda item, k, required: item.texts(k, required),
    "localized": lambda item, k, required: dict(sorted(item.mapping(k, required).items())),
    "map": lambda item, k, required: dict(sorted(item.mapping(k, required).items())),
    "date": lambda item, k, required: item.day(k, required),
    "flag": lambda item, k, required: item.flag(k),
    "phones": lambda item, k, required: _phones(item),
}
