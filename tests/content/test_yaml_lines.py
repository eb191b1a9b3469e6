"""YAML with line numbers (content/yaml_lines.py)."""

from __future__ import annotations

from content.problems import Report
from content.yaml_lines import UNREADABLE, parse_yaml


def test_yaml_keeps_lines_and_plain_words() -> None:
    report = Report()
    data = parse_yaml(
        "# comment\n- id: NO\n  answer: no\n  on: 2026-10-01\n  ok: true\n"
        "  list:\n    - a\n    - b\n",
        "x.yaml",
        report,
    )
    assert report.problems == []
    item = data[0]
    assert (data.line, data.item_lines, item.line) == (2, [2], 2)
    assert item.key_lines == {"id": 2, "answer": 3, "on": 4, "ok": 5, "list": 6}
    assert item == {"id": "NO", "answer": "no", "on": "2026-10-01", "ok": True, "list": ["a", "b"]}
    assert item["list"].item_lines == [7, 8]


def test_yaml_problems_have_file_lines() -> None:
    report = Report()
    assert parse_yaml("a: 1\nb: [2\n", "x.yaml", report) is UNREADABLE
    assert [(p.file, p.line) for p in report.errors] == [("x.yaml", 3)]
    report = Report()
    parse_yaml("a: 1\nb: 2\na: 3\n", "front.md", report, first_line=5)
    assert [p.format() for p in report.errors] == [
        "front.md:7: error: the key 'a' is given twice (first on line 5)"
    ]
