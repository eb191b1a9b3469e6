"""The report of problems (content/problems.py)."""

from __future__ import annotations

from content.problems import Report


def test_report_sorts_and_merges_duplicates() -> None:
    report = Report()
    report.warning("b.yaml", 3, "late")
    report.error("a.yaml", 9, "second")
    report.error("a.yaml", 2, "first")
    report.error("a.yaml", 2, "first")
    assert report.format() == [
        "a.yaml:2: error: first",
        "a.yaml:9: error: second",
        "b.yaml:3: warning: late",
    ]
    assert (len(report.errors), len(report.warnings), report.ok) == (2, 1, False)
    assert report.summary() == "2 errors, 1 warning"
