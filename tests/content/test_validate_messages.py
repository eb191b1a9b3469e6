"""The checker's words, exactly: what a programme officer reads for each broken contact, date
and number to call in danger (file, line, severity and the whole message), on a copy of the
minimal fixture. The messages are the checker's interface for people who are not programmers."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from content.model import CONTACT_KINDS
from content.problems import Problem
from content.validate import validate_source

FIXTURE = Path(__file__).parent / "fixtures" / "minimal"
TODAY = date(2026, 11, 22)
EMBASSY = "contact 'uz-embassy-moscow'"
EMERGENCY = "contact 'ru-emergency'"


def line_of(root: Path, rel: str, needle: str, after: str = "") -> int:
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(n for n, line in enumerate(lines[start:], start + 1) if needle in line)


def problems(
    tmp_path: Path, rel: str, old: str, new: str, *, production: bool = False
) -> tuple[Path, list[Problem]]:
    root = tmp_path / "src"
    shutil.copytree(FIXTURE, root)
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    report = validate_source(root, production=production, today=TODAY)
    return root, report.problems


def test_the_fixture_has_no_error() -> None:
    report = validate_source(FIXTURE, today=TODAY)
    assert [p for p in report.problems if p.severity == "error"] == []


# -- the number to call in danger -------------------------------------------------------------

RU_EMERGENCY = (
    '  emergency: "112"\n  emergency_verified_on: 2026-11-22\n  emergency_source: "mos.ru"\n'
)


@pytest.mark.parametrize(
    ("new", "production", "needle", "message"),
    [
        (
            "",
            False,
            "- id: RU",
            'RU declares no number to call in danger: add `emergency: "112"` (the police or '
            "general emergency number, as dialled) with emergency_verified_on and "
            "emergency_source, or `emergency: none` if no number could be confirmed",
        ),
        (
            RU_EMERGENCY.replace('"112"', "none"),
            True,
            "emergency: none",
            "no number to call in danger is confirmed for RU: confirm one with an official "
            "source before a production release",
        ),
        (
            RU_EMERGENCY.replace('"112"', '"+7112"'),
            False,
            "+7112",
            "the number to call in danger of RU ('+7112') must be the short number as dialled "
            "in the country, 2 to 6 digits like 112 (not +..., not words), or 'none' if none "
            "could be confirmed",
        ),
        (
            RU_EMERGENCY.replace("  emergency_verified_on: 2026-11-22\n", ""),
            False,
            'emergency: "112"',
            "the number to call in danger of RU has no emergency_verified_on (when a person "
            "checked it)",
        ),
        (
            RU_EMERGENCY.replace("2026-11-22", "2026-11-23"),
            False,
            "emergency_verified_on: 2026-11-23",
            "emergency_verified_on 2026-11-23 of RU is in the future (today is 2026-11-22)",
        ),
        (
            RU_EMERGENCY.replace('  emergency_source: "mos.ru"\n', ""),
            False,
            'emergency: "112"',
            "the number to call in danger of RU has no emergency_source (where it was checked)",
        ),
    ],
    ids=["missing", "none-in-production", "not-short", "no-date", "future", "no-source"],
)
def test_number_to_call_in_danger(
    tmp_path: Path, new: str, production: bool, needle: str, message: str
) -> None:
    root, found = problems(tmp_path, "destinations.yaml", RU_EMERGENCY, new, production=production)
    line = line_of(root, "destinations.yaml", needle)
    assert Problem("destinations.yaml", line, message, "error") in found
    assert [p for p in found if p.file == "destinations.yaml" and p.message != message] == []


def test_none_is_accepted_outside_production(tmp_path: Path) -> None:
    _, found = problems(
        tmp_path, "destinations.yaml", RU_EMERGENCY, RU_EMERGENCY.replace('"112"', "none")
    )
    assert [p for p in found if p.severity == "error"] == []


# -- contacts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            "- id: uz-embassy-moscow\n  kind: embassy",  # the id is not the first key here
            "- kind: embassy\n  id: Uz_Embassy",
            "id: Uz_Embassy",
            "the contact id 'Uz_Embassy' must be lower-case letters, digits and -",
        ),
        (
            "kind: embassy",
            "kind: hospital",
            "kind: hospital",
            f"unknown kind 'hospital' of {EMBASSY}; use one of {', '.join(CONTACT_KINDS)}",
        ),
        (
            "serves: [UZ]",
            "serves: [UZ, ZZ]",
            "serves: [UZ, ZZ]",
            f"unknown country 'ZZ' in {EMBASSY}",
        ),
        (
            '"+74952300000"',
            '"74952300000"',
            "74952300000",
            f"the phone number '74952300000' of {EMBASSY} is not in E.164: write + then the "
            "country code and number, digits only, like +998712000000",
        ),
        (
            "url: https://example.org/embassy",
            "url: http://example.org/embassy",
            "url: http:",
            f"the link 'http://example.org/embassy' of {EMBASSY} must be a full https:// address",
        ),
        (
            '{telegram: "https://t.me/example"}',
            '{telegram: "ftp://t.me/example"}',
            "ftp://",
            f"the telegram link 'ftp://t.me/example' of {EMBASSY} must be an https:// (or tg:, "
            "viber:, whatsapp:) address",
        ),
        (
            "languages: [uz, ru]",
            "languages: [uz, xx]",
            "languages: [uz, xx]",
            f"unknown language 'xx' in the languages of {EMBASSY} (languages.yaml has: uz, "
            "uz-Cyrl, ru, en)",
        ),
        (
            "verified_on: 2026-10-01",
            "verified_on: 2026-11-23",
            "verified_on: 2026-11-23",
            f"verified_on 2026-11-23 of {EMBASSY} is in the future (today is 2026-11-22)",
        ),
        (
            "status: sample",
            "status: draft",
            "status: draft",
            f"the status 'draft' of {EMBASSY} must be verified or sample",
        ),
    ],
    ids=["id", "kind", "serves", "e164", "https", "messenger", "language", "future", "status"],
)
def test_contact_problems(tmp_path: Path, old: str, new: str, needle: str, message: str) -> None:
    root, found = problems(tmp_path, "contacts.yaml", old, new)
    line = line_of(root, "contacts.yaml", needle)
    assert Problem("contacts.yaml", line, message, "error") in found
    assert [p for p in found if p.file == "contacts.yaml" and p.message != message] == []


def test_a_contact_of_an_unknown_country(tmp_path: Path) -> None:
    root, found = problems(
        tmp_path, "contacts.yaml", "country: RU\n  serves", "country: ZZ\n  serves"
    )
    line = line_of(root, "contacts.yaml", "country: ZZ")
    assert Problem("contacts.yaml", line, f"unknown country 'ZZ' in {EMBASSY}", "error") in found


def test_a_short_number_of_one_digit(tmp_path: Path) -> None:
    root, found = problems(tmp_path, "contacts.yaml", 'short: "112"', 'short: "1"')
    line = line_of(root, "contacts.yaml", 'short: "1"')
    message = f"the short number '1' of {EMERGENCY} must be 2 to 6 digits"
    assert Problem("contacts.yaml", line, message, "error") in found


def test_a_contact_with_nothing_to_call(tmp_path: Path) -> None:
    root, found = problems(tmp_path, "contacts.yaml", '  short: "112"\n', "")
    line = line_of(root, "contacts.yaml", "- id: ru-emergency")
    message = f"{EMERGENCY} has no phone, short number, link or messenger: nothing to call"
    assert Problem("contacts.yaml", line, message, "error") in found


def test_a_sample_contact_stops_a_production_release(tmp_path: Path) -> None:
    root, found = problems(
        tmp_path, "contacts.yaml", "status: sample", "status: sample", production=True
    )
    line = line_of(root, "contacts.yaml", "status: sample")
    message = (
        f"{EMBASSY} is still sample content: verify it against its source and set "
        "status: verified before a production release"
    )
    assert Problem("contacts.yaml", line, message, "error") in found
    _, found = problems(tmp_path / "b", "contacts.yaml", "status: sample", "status: verified")
    assert [p for p in found if p.file == "contacts.yaml"] == []


# -- review dates of articles -----------------------------------------------------------------

MONEY = "articles/general/money/en.md"


def test_review_by_before_verified_on_is_an_error(tmp_path: Path) -> None:
    root, found = problems(tmp_path, MONEY, "review_by: 2027-04-01", "review_by: 2026-09-30")
    message = (
        "review_by 2026-09-30 of the article general/money is before its verified_on 2026-10-01"
    )
    line = line_of(root, MONEY, "review_by")
    assert Problem(MONEY, line, message, "error") in found
    assert not any("past its review date" in p.message for p in found)


def test_past_its_review_date_is_a_warning(tmp_path: Path) -> None:
    root, found = problems(tmp_path, MONEY, "review_by: 2027-04-01", "review_by: 2026-11-21")
    message = (
        "the article general/money is past its review date (2026-11-21): check it again and "
        "update verified_on and review_by"
    )
    line = line_of(root, MONEY, "review_by")
    assert Problem(MONEY, line, message, "warning") in found


@pytest.mark.parametrize("review_by", ["2026-11-22", "2026-10-01"])
def test_reviewed_today_or_on_the_day_it_was_verified_is_fine(
    tmp_path: Path, review_by: str
) -> None:
    today = review_by == "2026-11-22"
    root, found = problems(tmp_path, MONEY, "review_by: 2027-04-01", f"review_by: {review_by}")
    review = [p for p in found if "review" in p.message]
    if today:
        assert review == []
    else:  # the same day as verified_on: not an error, but it is past
        assert [p.severity for p in review] == ["warning"]


def test_a_contact_verified_today_is_fine(tmp_path: Path) -> None:
    _, found = problems(
        tmp_path, "contacts.yaml", "verified_on: 2026-10-01", "verified_on: 2026-11-22"
    )
    assert [p for p in found if p.file == "contacts.yaml"] == []


def test_a_country_served_is_found_on_its_own_line(tmp_path: Path) -> None:
    root, found = problems(tmp_path, "contacts.yaml", "serves: [UZ]", "serves:\n    - UZ\n    - ZZ")
    line = line_of(root, "contacts.yaml", "- ZZ")
    assert Problem("contacts.yaml", line, f"unknown country 'ZZ' in {EMBASSY}", "error") in found


def test_no_unknown_country_is_claimed_while_destinations_yaml_is_unreadable(
    tmp_path: Path,
) -> None:
    _, found = problems(tmp_path, "destinations.yaml", "- id: RU", "- id: RU\n  - : [")
    assert any(p.file == "destinations.yaml" for p in found)
    assert not any("unknown country" in p.message for p in found)


def test_a_contact_name_without_english(tmp_path: Path) -> None:
    old = "name: {en: Embassy of Uzbekistan in Moscow, uz:"
    root, found = problems(tmp_path, "contacts.yaml", old, "name: {uz:")
    line = line_of(root, "contacts.yaml", "name: {uz: Oʻzbekistonning")
    message = f"the name of {EMBASSY} has no English (en) text, the last fallback"
    assert Problem("contacts.yaml", line, message, "error") in found


def test_a_contact_name_too_long_for_the_screen(tmp_path: Path) -> None:
    name = "Embassy " + "x" * 113
    old = "{en: Embassy of Uzbekistan in Moscow,"
    root, found = problems(tmp_path, "contacts.yaml", old, f"{{en: {name},")
    line = line_of(root, "contacts.yaml", name)
    message = f"the contact name {name!r} is 121 characters long; at most 120 fit on the screen"
    assert Problem("contacts.yaml", line, message, "error") in found


def test_contact_names_get_no_warning_per_language(tmp_path: Path) -> None:
    # organisations are often named in their own language: the embassy has no Russian name
    # although its airport now offers Russian, and that is no problem (other texts do warn)
    old = "languages: [uz, uz-Cyrl, en]"
    _, found = problems(tmp_path, "airports.yaml", old, "languages: [uz, uz-Cyrl, en, ru]")
    assert not any(p.message.startswith("the name of contact") for p in found)
    assert any("has no 'ru' text" in p.message for p in found)
