"""Editing one item of a YAML list file (contacts, airports, destinations) from a form.

Plan, then apply: the form's fields become the item's values (`values_from_form`, which
checks phone numbers with `phonenumbers`); the values become the item's YAML block in the
file's own style (`render_item`, fields in the order `content.fields.FIELDS` declares them);
the block replaces only that item's lines in the file (`replace_item`: comments and the other
items stay byte for byte). `check_file` runs the project's checker on the whole content with
the new file and returns its messages for this item, by field, for the form to show beside
each field. Forms are built from `FIELDS`, so a field declared there appears in the form.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import phonenumbers

from admin_sync.content_history import check_path
from content.fields import DATE_FORMAT, FIELDS, FieldSpec
from content.problems import Report
from content.validate import validate_source
from content.yaml_lines import UNREADABLE, LineDict, LineList, parse_yaml

LIST_FILES = {
    "contact": "contacts.yaml",
    "airport": "airports.yaml",
    "destination": "destinations.yaml",
}
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("contact", "kind"): ("emergency", "hotline", "embassy", "consulate", "ngo", "police"),
    ("contact", "status"): ("verified", "sample"),
    ("destination", "kind"): ("destination", "home"),
}
MAX_PHONES = 4
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,63}$")


@dataclass
class ItemEdit:
    """An item as the form holds it: values by field, and problems by field ("" = the item)."""

    kind: str
    item_id: str
    values: dict[str, Any]
    problems: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.problems.setdefault(name, []).append(message)

    @property
    def ok(self) -> bool:
        return not self.problems


def specs(kind: str) -> tuple[FieldSpec, ...]:
    return tuple(s for s in FIELDS[kind] if s.name != "id")


# ---- reading the file -------------------------------------------------------------------------
def parse_list(text: str, file: str) -> LineList:
    data = parse_yaml(text, file, Report())
    if data is UNREADABLE or not isinstance(data, LineList):
        raise ValueError(f"{file} is not a readable list of items")
    return data


def item_blocks(text: str, file: str) -> dict[str, tuple[int, int]]:
    """Each item's lines (0-based, end exclusive), without the comments and blank lines that
    follow it (they introduce the next item)."""
    data = parse_list(text, file)
    lines = text.splitlines(keepends=True)
    starts = [n - 1 for n in data.item_lines]
    blocks: dict[str, tuple[int, int]] = {}
    for i, entry in enumerate(data):
        start = starts[i]
        end = starts[i + 1] if i + 1 < len(starts) else len(lines)
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
            end -= 1
        if isinstance(entry, LineDict) and isinstance(entry.get("id"), str):
            blocks[entry["id"]] = (start, end)
    return blocks


def read_item(text: str, file: str, item_id: str) -> LineDict | None:
    for entry in parse_list(text, file):
        if isinstance(entry, LineDict) and entry.get("id") == item_id:
            return entry
    return None


def item_text(text: str, file: str, item_id: str) -> str | None:
    block = item_blocks(text, file).get(item_id)
    if block is None:
        return None
    return "".join(text.splitlines(keepends=True)[block[0] : block[1]])


# ---- form <-> values --------------------------------------------------------------------------
def form_values(kind: str, entry: Mapping[str, Any] | None) -> dict[str, Any]:
    """An item's values as the form shows them (phones grouped for reading)."""
    out: dict[str, Any] = {}
    for spec in specs(kind):
        value = (entry or {}).get(spec.name)
        if spec.type == "localized":
            out[spec.name] = {str(k): str(v) for k, v in (value or {}).items()}
        elif spec.type == "map":
            out[spec.name] = "\n".join(f"{k}: {v}" for k, v in (value or {}).items())
        elif spec.type in ("texts", "phones"):
            out[spec.name] = [str(v) for v in value] if isinstance(value, list) else []
        elif spec.type == "flag":
            out[spec.name] = "" if value is None else ("yes" if value else "no")
        else:
            out[spec.name] = "" if value is None else str(value)
    return out


def grouped(phone: str) -> str:
    """+996312123456 as +996 312 123 456 (how people read it); as given if not a number."""
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return phone
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def check_phone(typed: str) -> tuple[str | None, str]:
    """(E.164, "") for a good number, (None, why) otherwise; spaces, dashes, brackets allowed."""
    try:
        number = phonenumbers.parse(typed, None)
    except phonenumbers.NumberParseException:
        return None, f"{typed!r}: write the number with + and the country code (+7 495 ...)"
    if not phonenumbers.is_possible_number(number):
        return None, f"{typed!r} has the wrong number of digits for its country"
    if not phonenumbers.is_valid_number(number):
        return None, f"{typed!r} is not a valid number for its country code"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), ""


_KINDS = {
    phonenumbers.PhoneNumberType.FIXED_LINE: "landline",
    phonenumbers.PhoneNumberType.MOBILE: "mobile",
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: "landline or mobile",
    phonenumbers.PhoneNumberType.TOLL_FREE: "toll-free",
    phonenumbers.PhoneNumberType.PREMIUM_RATE: "premium rate (costly to call)",
    phonenumbers.PhoneNumberType.SHARED_COST: "shared cost",
    phonenumbers.PhoneNumberType.VOIP: "internet telephony",
    phonenumbers.PhoneNumberType.UAN: "universal access number",
}


@dataclass(frozen=True)
class PhoneCheck:
    """What the console tells an editor about one typed number, before anything is saved."""

    typed: str
    e164: str | None
    why: str = ""
    grouped: str = ""
    region: str = ""  # ISO country code, e.g. KG
    place: str = ""  # e.g. "Bishkek, Chuy region" (phonenumbers' geocoder, English)
    kind: str = ""  # landline, mobile, toll-free...

    @property
    def tel(self) -> str:
        return f"tel:{self.e164}" if self.e164 else ""


def check_phone_details(typed: str) -> PhoneCheck:
    e164, why = check_phone(typed)
    if e164 is None:
        return PhoneCheck(typed, None, why)
    from phonenumbers import geocoder

    number = phonenumbers.parse(e164, None)
    return PhoneCheck(
        typed,
        e164,
        grouped=grouped(e164),
        region=phonenumbers.region_code_for_number(number) or "",
        place=geocoder.description_for_number(number, "en"),
        kind=_KINDS.get(phonenumbers.number_type(number), "kind unknown"),
    )


def values_from_form(
    kind: str, item_id: str, fields: Mapping[str, str], languages: Sequence[str]
) -> ItemEdit:
    """The form's fields as an item (text kept exactly as typed where it is wrong)."""
    edit = ItemEdit(kind, item_id, {})
    if not _ID.match(item_id):
        edit.add("id", "an id is letters, digits, - and _ (at most 64), like ru-migrant-hotline")
    for spec in specs(kind):
        name = spec.name
        if spec.type == "localized":
            edit.values[name] = {
                lang: fields.get(f"{name}.{lang}", "").strip()
                for lang in languages
                if fields.get(f"{name}.{lang}", "").strip()
            }
        elif spec.type == "map":
            pairs: dict[str, str] = {}
            for line in fields.get(name, "").splitlines():
                if not line.strip():
                    continue
                key, sep, value = line.partition(":")
                if not sep or not key.strip() or not value.strip():
                    edit.add(name, f"{line.strip()!r}: write one per line as name: link")
                    continue
                pairs[key.strip()] = value.strip()
            edit.values[name] = pairs
        elif spec.type == "phones":
            typed = [fields.get(f"{name}.{i}", "").strip() for i in range(MAX_PHONES)]
            edit.values[name] = [t for t in typed if t]
            good = []
            for t in edit.values[name]:
                e164, why = check_phone(t)
                if e164 is None:
                    edit.add(name, why)
                else:
                    good.append(e164)
            if edit.ok or name not in edit.problems:
                edit.values[name] = good
        elif spec.type == "texts":
            edit.values[name] = [
                part.strip() for part in fields.get(name, "").split(",") if part.strip()
            ]
        elif spec.type == "flag":
            edit.values[name] = fields.get(name, "")
        else:
            edit.values[name] = fields.get(name, "").strip()
        choices = CHOICES.get((kind, name))
        if choices and edit.values[name] and edit.values[name] not in choices:
            edit.add(name, f"choose one of {', '.join(choices)}")
        if spec.type == "date" and edit.values[name]:
            try:
                date.fromisoformat(edit.values[name])
            except ValueError:
                edit.add(name, f"{edit.values[name]!r} is not a date (2026-10-01)")
    return edit


# ---- values -> YAML ---------------------------------------------------------------------------
def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(value, ensure_ascii=False)


_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*$")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}


def _scalar(spec: FieldSpec, value: str) -> str:
    """Ids and choices stay plain (`kind: hotline`); other texts are double-quoted."""
    plain = _PLAIN.match(value) and value.lower() not in _YAML_WORDS
    if spec.type in ("text", "texts") and plain and spec.name not in ("short", "source", "url"):
        return value
    return _q(value)


def _field_lines(spec: FieldSpec, value: Any, order: Sequence[str] = ()) -> list[str]:
    if spec.type in ("localized", "map"):
        keys = [k for k in order if k in value] + [k for k in value if k not in order]
        return [f"  {spec.name}:"] + [f"    {k}: {_q(str(value[k]))}" for k in keys]
    if spec.type == "texts":
        return [f"  {spec.name}: [{', '.join(_scalar(spec, str(v)) for v in value)}]"]
    if spec.type == "phones":
        return [f"  {spec.name}: [{', '.join(_q(str(v)) for v in value)}]"]
    if spec.type == "flag":
        return [f"  {spec.name}: {'true' if value in (True, 'yes') else 'false'}"]
    if spec.type == "date":
        return [f"  {spec.name}: {value}"]
    return [f"  {spec.name}: {_scalar(spec, str(value))}"]


def _same(spec: FieldSpec, old: Any, new: Any) -> bool:
    if spec.type == "map" and isinstance(old, str):
        old = dict(line.split(": ", 1) for line in old.splitlines() if ": " in line)
    return bool(old == new)


def render_item(
    kind: str, item_id: str, values: Mapping[str, Any], original: str | None = None
) -> str:
    """The item's YAML block. Empty optional fields are left out. With the item's `original`
    block, every unchanged field keeps its lines byte for byte and the fields keep their
    order (new ones follow, in the declared order), so a review shows only what changed."""
    by_name = {spec.name: spec for spec in specs(kind)}
    old_lines: dict[str, list[str]] = {}
    old_values: dict[str, Any] = {}
    if original is not None:
        entry = parse_list(original, "item")[0]
        old_values = form_values(kind, entry)
        lines = original.splitlines()
        keyed = sorted((line, str(k)) for k, line in entry.key_lines.items())
        for i, (line, key) in enumerate(keyed):
            stop = keyed[i + 1][0] - 1 if i + 1 < len(keyed) else len(lines)
            old_lines[key] = [lines[n] for n in range(line - 1, stop)]
    names = [k for k in old_lines if k in by_name] + [k for k in by_name if k not in old_lines]
    out = [old_lines["id"][0] if "id" in old_lines else f"- id: {item_id}"]
    for name in names:
        spec, value = by_name[name], values.get(name)
        if value in (None, "", [], {}):
            continue
        if name in old_lines and _same(spec, old_values.get(name), value):
            out += old_lines[name]
            continue
        old = old_values.get(name)
        out += _field_lines(spec, value, list(old) if isinstance(old, dict) else ())
    return "\n".join(out) + "\n"


def replace_item(text: str, file: str, item_id: str, block: str) -> str:
    """`text` with the item's lines replaced by `block` (added at the end for a new item)."""
    lines = text.splitlines(keepends=True)
    where = item_blocks(text, file).get(item_id)
    if where is None:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        return "".join(lines) + block
    start, end = where
    return "".join(lines[:start]) + block + "".join(lines[end:])


# ---- the project's checker --------------------------------------------------------------------
def check_file(
    source: Path, file: str, new_text: str, item_id: str, edit: ItemEdit, *, today: date
) -> Report:
    """Run the checker on `source` (a content folder, changed in place) with `file` replaced;
    this item's problems are added to `edit` by field; returns the whole report."""
    (source / file).write_text(new_text, encoding="utf-8")
    report = validate_source(source, today=today)
    block = item_blocks(new_text, file).get(item_id)
    entry = read_item(new_text, file, item_id)
    line_field = {line: str(k) for k, line in (entry.key_lines if entry else {}).items()}
    for problem in report.sorted():
        if problem.file != file or block is None or not block[0] < problem.line <= block[1]:
            continue
        name = _field_at(new_text, problem.line, line_field)
        target = edit.problems if problem.severity == "error" else edit.warnings
        target.setdefault(name, []).append(problem.message)
    return report


def _field_at(text: str, line: int, line_field: Mapping[int, str]) -> str:
    """The field a 1-based line belongs to (its key's line, or the nearest one above)."""
    candidates = [n for n in line_field if n <= line]
    return line_field[max(candidates)] if candidates else ""


# ---- articles ---------------------------------------------------------------------------------
def check_path_part(part: str) -> str:
    """One folder or file name of a content path (a scope, topic or language id)."""
    return check_path(part) if "/" not in part else check_path("/")


def split_article(text: str) -> tuple[dict[str, Any], str]:
    """An article file as (front matter values as the form shows them, Markdown body)."""
    lines = text.lstrip("\ufeff").split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        return {}, text
    data = parse_yaml("\n".join(lines[1:end]), "article", Report())
    values: dict[str, Any] = {}
    for spec in FIELDS["article"]:
        value = data.get(spec.name) if isinstance(data, dict) else None
        if spec.type == "texts":
            values[spec.name] = [str(v) for v in value] if isinstance(value, list) else []
        else:
            values[spec.name] = "" if value is None else str(value)
    return values, "\n".join(lines[end + 1 :]).strip("\n")


def _front_line(spec: FieldSpec, value: Any) -> str:
    if spec.type == "texts":
        return f"{spec.name}: [{', '.join(_scalar(spec, str(v)) for v in value)}]"
    if spec.type == "date":
        return f"{spec.name}: {value if DATE_FORMAT.match(value) else _q(value)}"
    if spec.name == "status":
        return f"{spec.name}: {_scalar(spec, str(value))}"
    return f"{spec.name}: {_q(str(value))}"


def render_front_matter(values: Mapping[str, Any], original: str | None = None) -> str:
    """The article's details between two --- lines, in the declared order. With the article's
    `original` text, its fields keep their order and every unchanged field (and any line the
    console does not know) keeps its lines byte for byte, so a review shows only what changed."""
    specs_by_name = {spec.name: spec for spec in FIELDS["article"]}
    kept: list[tuple[str, list[str]]] = []
    if original is not None:
        kept = _front_blocks(original)
    old_values = split_article(original)[0] if (kept and original is not None) else {}
    lines = ["---"]
    for key, block in kept:
        spec = specs_by_name.get(key)
        value = values.get(key)
        if spec is None or value == old_values.get(key):
            lines += block
        else:
            if value not in (None, "", []):
                lines.append(_front_line(spec, value))
            lines += _trailing_comments(block)
    for spec in FIELDS["article"]:
        value = values.get(spec.name)
        if spec.name not in dict(kept) and value not in (None, "", []):
            lines.append(_front_line(spec, value))
    lines.append("---")
    return "\n".join(lines) + "\n"


def _trailing_comments(block: list[str]) -> list[str]:
    """The comment and blank lines that end a field's block (they introduce the next field)."""
    n = len(block)
    while n > 1 and (not block[n - 1].strip() or block[n - 1].lstrip().startswith("#")):
        n -= 1
    return block[n:]


def _front_blocks(text: str) -> list[tuple[str, list[str]]]:
    """The front matter's fields in order, each with its lines ([] if it cannot be read)."""
    lines = text.lstrip("\ufeff").split("\n")
    if not lines or lines[0].strip() != "---":
        return []
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        return []
    inner = lines[1:end]
    data = parse_yaml("\n".join(inner), "article", Report())
    if not isinstance(data, LineDict) or not data.key_lines:
        return []
    keyed = sorted((line, str(k)) for k, line in data.key_lines.items())
    if keyed[0][0] != 1:  # lines before the first field (comments): keep them with it
        keyed[0] = (1, keyed[0][1])
    return [
        (key, inner[line - 1 : (keyed[i + 1][0] - 1 if i + 1 < len(keyed) else len(inner))])
        for i, (line, key) in enumerate(keyed)
    ]
