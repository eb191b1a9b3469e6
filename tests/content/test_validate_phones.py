"""Phone numbers are E.164 exactly: `+`, a country code not starting with 0, 7 to 15 digits.

A number without its `+` would be dialled as a local number from a Russian or Turkish phone
(and the QR code's tel: link would be wrong), so it is an error at the contact's line, as is
every other near miss. The short numbers (112) have their own, separate field.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from content.validate import validate_source

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"
TODAY = date(2026, 11, 22)
FIXTURE_PHONE = '"+74952300000"'


def report_for_phones(tmp_path: Path, phones: str):
    root = tmp_path / "src"
    shutil.copytree(MINIMAL, root)
    contacts = root / "contacts.yaml"
    text = contacts.read_text(encoding="utf-8")
    assert FIXTURE_PHONE in text
    contacts.write_text(text.replace(FIXTURE_PHONE, phones, 1), encoding="utf-8")
    line = next(
        n for n, row in enumerate(contacts.read_text("utf-8").splitlines(), 1) if "phones:" in row
    )
    return validate_source(root, today=TODAY), line


def phone_errors(report) -> list:
    return [p for p in report.problems if "not in E.164" in p.message]


@pytest.mark.parametrize(
    "phone",
    [
        "+74952300000",
        "+1234567",  # 7 digits: the shortest E.164 number
        "+123456789012345",  # 15 digits: the longest
        "+998712000000",
    ],
)
def test_e164_numbers_are_accepted(tmp_path: Path, phone: str) -> None:
    report, _ = report_for_phones(tmp_path, f'"{phone}"')
    assert phone_errors(report) == [], report.format()
    assert report.ok, report.format()


def _id(phone: str) -> str:
    """A test id without backslashes or spaces (it must survive being passed back to pytest)."""
    return phone.replace("\\n", "<newline>").replace(" ", "<space>") or "<empty>"


NEAR_MISSES = [
    "74952300000",  # the + is missing
    "0074952300000",  # international prefix instead of +
    "+04952300000",  # a country code never starts with 0
    "+123456",  # 6 digits: too short
    "+1234567890123456",  # 16 digits: too long
    "++74952300000",
    "+7495230000O",  # a letter O for a zero
    "+7 495 230 00 00",
    "+7-495-230-00-00",
    "+7(495)2300000",
    " +74952300000",
    "+74952300000 ",
    "+74952300000\\n",  # a newline at the end (YAML "\n"): once accepted by "$"
    "tel:+74952300000",
    "+74952300000,+74952300001",
    "+",
    "",
]


@pytest.mark.parametrize("phone", NEAR_MISSES, ids=[_id(p) for p in NEAR_MISSES])
def test_near_misses_are_errors_at_the_phones_line(tmp_path: Path, phone: str) -> None:
    report, line = report_for_phones(tmp_path, f'"{phone}"')
    errors = phone_errors(report)
    assert len(errors) == 1, report.format()
    error = errors[0]
    assert (error.file, error.line, error.severity) == ("contacts.yaml", line, "error")
    parsed = phone.replace("\\n", "\n")  # what YAML makes of the escape
    assert repr(parsed) in error.message  # the editor sees which number is wrong
    assert not report.ok


def test_each_bad_number_of_a_contact_is_reported(tmp_path: Path) -> None:
    report, _ = report_for_phones(tmp_path, '"+74952300000", "74952300001", "+7495230000"')
    assert [p.message.split("'")[1] for p in phone_errors(report)] == ["74952300001"]
    report, _ = report_for_phones(tmp_path / "2", '"84952300001", "+74952300000", "998"')
    assert [p.message.split("'")[1] for p in phone_errors(report)] == ["84952300001", "998"]
