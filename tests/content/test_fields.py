"""Each kind's fields are declared once (content/fields.py): the reader, the checker's known
fields and content/README.md's table all come from that declaration."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from content import model
from content.fields import FIELDS, KNOWN_FIELDS, ItemReader, fields_markdown, read_fields
from content.problems import Report
from content.yaml_lines import Where, parse_yaml

README = Path(__file__).resolve().parents[2] / "content" / "README.md"
MODELS = {
    "language": model.Language,
    "airport": model.Airport,
    "destination": model.Destination,
    "topic": model.Topic,
    "contact": model.Contact,
    "article": model.Article,
}
# Model fields that do not come from the item's own fields (an article's path and body).
NOT_FROM_FIELDS = {"article": {"scope", "topic", "language", "body", "generated"}}


def test_the_readme_table_is_the_declaration() -> None:
    text = README.read_text(encoding="utf-8")
    start = text.index("<!-- fields:")
    table = text[text.index("\n", start) + 1 : text.index("<!-- /fields -->")].strip()
    assert table == fields_markdown(), (
        "content/README.md's fields table differs from content/fields.py: paste the output of "
        '`python -c "from content.fields import fields_markdown; print(fields_markdown())"`'
    )


@pytest.mark.parametrize("kind", sorted(FIELDS))
def test_every_model_field_is_declared_and_nothing_else(kind: str) -> None:
    declared = {f.name for f in FIELDS[kind]}
    wanted = {f.name for f in dataclasses.fields(MODELS[kind])} - NOT_FROM_FIELDS.get(kind, set())
    assert declared == wanted
    assert KNOWN_FIELDS[kind] == declared
    assert all(len(f.help) > 8 for f in FIELDS[kind])


def _read(kind: str, yaml_text: str) -> tuple[dict[str, object], Report]:
    report = Report()
    data = parse_yaml(yaml_text, "x.yaml", report)
    item = ItemReader(report, Where(), "x.yaml", data, kind, (kind, "X"))
    return read_fields(item, kind), report


def test_the_reader_reads_each_type_as_declared() -> None:
    values, report = _read(
        "contact",
        "id: X\nkind: hotline\ncountry: RU\nname: {ru: Б, en: A}\nverified_on: 2026-10-01\n"
        'source: {en: s}\nstatus: sample\nphones: ["+7112"]\nmessengers: {telegram: t}\n'
        "free: true\nlanguages: [ru, en]\nsurprise: 1\n",
    )
    assert values["name"] == {"en": "A", "ru": "Б"} and list(values["name"]) == ["en", "ru"]
    assert values["phones"] == ("+7112",) and values["languages"] == ("ru", "en")
    assert values["free"] is True and values["hours"] == {} and values["short"] is None
    assert str(values["verified_on"]) == "2026-10-01"
    assert [p.message for p in report.problems] == [
        "unknown field 'surprise' in contact 'X' (ignored)"
    ]


def test_a_required_field_missing_is_reported_with_the_item_line() -> None:
    _values, report = _read("topic", "\n\nid: X\nicon: i.svg\n")
    assert [(p.line, p.message) for p in report.errors] == [
        (3, "topic 'X' has no 'title' (required)")
    ]
