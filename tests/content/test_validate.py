"""The content checker: each kind of problem found at the right file and line, all at once."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from content.model import Language, fallback_chain
from content.problems import Problem
from content.validate import (
    OPTIONAL_UI_KEY_PREFIXES,
    REQUIRED_UI_KEYS,
    ui_text_limit,
    validate_source,
)

HERE = Path(__file__).parent
MINIMAL = HERE / "fixtures" / "minimal"
REPO = HERE.parent.parent
SAMPLE = REPO / "content" / "sample"
TODAY = date(2026, 11, 22)


def copy_fixture(tmp_path: Path) -> Path:
    dest = tmp_path / "src"
    shutil.copytree(MINIMAL, dest)
    return dest


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(root: Path, rel: str, needle: str) -> int:
    """1-based line of the first line of `rel` containing `needle`."""
    for number, line in enumerate((root / rel).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not found in {rel}")


ARTICLE = "articles/general/money/en.md"
WARNING_SIGNS = "articles/general/warning-signs/en.md"


@dataclass(frozen=True)
class Case:
    """A broken fixture: `mutate` breaks a copy of the minimal fixture; the problem is expected
    in `file` at the line containing `at` (or line `at` if an int), with `words` in the message."""

    name: str
    mutate: Callable[[Path], None]
    file: str
    at: str | int
    words: str
    severity: str = "error"
    production: bool = False


def _append(rel: str, text: str) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        with (root / rel).open("a", encoding="utf-8") as f:
            f.write(text)

    return mutate


def _edit(rel: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda root: edit(root, rel, old, new)


def _remove(rel: str) -> Callable[[Path], None]:
    return lambda root: (root / rel).unlink()


CASES = [
    Case(
        "malformed YAML",
        _edit("airports.yaml", "  languages: [uz, uz-Cyrl, en]", "  languages: [uz, uz-Cyrl, en"),
        "airports.yaml",
        "destinations: [RU]",
        "malformed YAML",
    ),
    Case(
        "malformed YAML in front matter",
        _edit(ARTICLE, "source: Test fixture", "source: [Test fixture"),
        ARTICLE,
        "status: sample",
        "malformed YAML",
    ),
    Case(
        "unknown topic id",
        _edit("topics.yaml", "- id: money", "- id: monee"),
        "topics.yaml",
        "- id: monee",
        "unknown topic id 'monee'",
    ),
    Case(
        "unknown language offered by an airport",
        _edit("airports.yaml", "[uz, uz-Cyrl, en]", "[uz, uz-Cyrl, en, xx]"),
        "airports.yaml",
        "languages:",
        "unknown language 'xx'",
    ),
    Case(
        "unknown language in a fallback",
        _edit("languages.yaml", "fallback: [ru, en]", "fallback: [kk, en]"),
        "languages.yaml",
        "fallback: [kk, en]",
        "unknown language 'kk'",
    ),
    Case(
        "unknown language of an article file",
        lambda root: shutil.copy(root / ARTICLE, root / "articles/general/money/fr.md"),
        "articles/general/money/fr.md",
        1,
        "unknown language 'fr'",
    ),
    Case(
        "bad airport id",
        _edit("airports.yaml", "- id: TAS", "- id: TASH"),
        "airports.yaml",
        "- id: TASH",
        "three-letter IATA code",
    ),
    Case(
        "unknown destination of an airport",
        _edit("airports.yaml", "destinations: [RU]", "destinations: [RU, XX]"),
        "airports.yaml",
        "destinations: [RU, XX]",
        "unknown destination 'XX'",
    ),
    Case(
        "unknown destination folder of an article",
        lambda root: shutil.copytree(root / "articles/RU/get-help", root / "articles/XX/get-help"),
        "articles/XX/get-help/en.md",
        1,
        "unknown destination 'XX'",
    ),
    Case(
        "unknown contact in an article",
        _edit(
            "articles/RU/get-help/en.md",
            "contacts: [ru-emergency, uz-embassy-moscow]",
            "contacts: [ru-emergency, ru-nobody]",
        ),
        "articles/RU/get-help/en.md",
        "contacts:",
        "unknown contact 'ru-nobody'",
    ),
    Case(
        "unknown country of a contact",
        _edit("contacts.yaml", "serves: [UZ]", "serves: [UZ, ZZ]"),
        "contacts.yaml",
        "serves: [UZ, ZZ]",
        "unknown country 'ZZ'",
    ),
    Case(
        "missing required field",
        _edit("contacts.yaml", '  source: {en: "Test fixture", uz: "Test"}\n', ""),
        "contacts.yaml",
        "- id: uz-embassy-moscow",
        "has no 'source' (required)",
    ),
    Case(
        "missing title of an article",
        _edit(ARTICLE, "title: Money\n", ""),
        ARTICLE,
        "verified_on:",
        "has no 'title' (required)",
    ),
    Case(
        "duplicate id",
        _append("contacts.yaml", "- id: ru-emergency  # again\n  kind: police\n"),
        "contacts.yaml",
        "# again",
        "duplicate contact id 'ru-emergency'",
    ),
    Case(
        "duplicate key",
        _edit("release.yaml", "version: 3", "version: 3\nsample: false"),
        "release.yaml",
        "sample: false",
        "given twice",
    ),
    Case(
        "phone not in E.164",
        _edit("contacts.yaml", '"+74952300000"', '"+7 495 230-00-00"'),
        "contacts.yaml",
        "+7 495",
        "not in E.164",
    ),
    Case(
        "phone without quotes",
        _edit("contacts.yaml", 'phones: ["+74952300000"]', "phones:\n    - +74952300000"),
        "contacts.yaml",
        "- +74952300000",
        "in quotes",
    ),
    Case(
        "impossible date",
        _edit(ARTICLE, "verified_on: 2026-10-01", "verified_on: 2026-13-01"),
        ARTICLE,
        "verified_on:",
        "not a real date",
    ),
    Case(
        "badly written date",
        _edit("contacts.yaml", "verified_on: 2026-10-15", "verified_on: 15.10.2026"),
        "contacts.yaml",
        "verified_on: 15.10.2026",
        "must be a date like 2026-10-01",
    ),
    Case(
        "verified_on in the future",
        _edit("contacts.yaml", "verified_on: 2026-10-15", "verified_on: 2026-12-01"),
        "contacts.yaml",
        "verified_on: 2026-12-01",
        "in the future",
    ),
    Case(
        "review_by before verified_on",
        _edit(ARTICLE, "review_by: 2027-04-01", "review_by: 2026-09-01"),
        ARTICLE,
        "review_by:",
        "before its verified_on",
    ),
    Case(
        "past review_by",
        _edit(ARTICLE, "review_by: 2027-04-01", "review_by: 2026-11-01"),
        ARTICLE,
        "review_by:",
        "past its review date",
        severity="warning",
    ),
    Case(
        "broken link to another article",
        _append(ARTICLE, "\nRead [the rules](article:RU/money).\n"),
        ARTICLE,
        "article:RU/money",
        "broken link",
    ),
    Case(
        "raw HTML",
        _append(ARTICLE, "\nPress <b>here</b> now.\n"),
        ARTICLE,
        "<b>here",
        "raw HTML",
    ),
    Case(
        "script",
        _append(ARTICLE, "\n<script>alert(1)</script>\n"),
        ARTICLE,
        "<script>",
        "<script>",
    ),
    Case(
        "image from outside assets",
        _append(ARTICLE, "\n![map](https://example.org/map.png)\n"),
        ARTICLE,
        "![map]",
        "not in the release's assets/",
    ),
    Case(
        "image missing from assets",
        _append(ARTICLE, "\n![map](assets/maps/ru.png)\n"),
        ARTICLE,
        "![map]",
        "not in the release's assets/",
    ),
    Case(
        "unknown nationality in a section mark",
        _edit(ARTICLE, "## Money", "## Money {for=XX}"),
        ARTICLE,
        "## Money {for=XX}",
        "unknown nationality 'XX'",
    ),
    Case(
        "a destination is not a nationality",
        _edit(ARTICLE, "1. First step.", "1. First step. {for=UZ,RU}"),
        ARTICLE,
        "1. First step.",
        "RU in {for=...} is a destination, not a nationality",
    ),
    Case(
        "unknown mark",
        _edit(ARTICLE, "2. Second step.", "2. Second step. {only=UZ}"),
        ARTICLE,
        "2. Second step.",
        "unknown mark 'only'",
    ),
    Case(
        "nationality ids written wrong",
        _edit(ARTICLE, "2. Second step.", "2. Second step. {for=uz}"),
        ARTICLE,
        "2. Second step.",
        "'uz' is not a country id",
    ),
    Case(
        "picture missing from assets",
        _edit(ARTICLE, "1. First step.", "1. First step. {picture=checklist/none.svg}"),
        ARTICLE,
        "1. First step.",
        "the picture 'checklist/none.svg' is not in the release's assets/",
    ),
    Case(
        "picture that is not SVG or PNG",
        _edit(ARTICLE, "1. First step.", "1. First step. {picture=topics/icon.gif}"),
        ARTICLE,
        "1. First step.",
        "must be an SVG or PNG file",
    ),
    Case(
        "picture on a heading",
        _edit(ARTICLE, "## Money", "## Money {picture=topics/icon.svg}"),
        ARTICLE,
        "## Money",
        "a picture goes on a list item",
    ),
    Case(
        "marks at the end of a paragraph",
        _edit(ARTICLE, "about *money*.", "about *money*. {for=UZ}"),
        ARTICLE,
        "about *money*.",
        "go at the end of a heading or a list item",
    ),
    Case(
        "item marked for a nationality its section is not for",
        lambda root: (
            edit(root, ARTICLE, "## Money", "## Money {for=UZ}"),
            edit(root, ARTICLE, "1. First step.", "1. First step. {for=KG}"),
        ),
        ARTICLE,
        "1. First step.",
        "nobody would see it",
    ),
    Case(
        "table",
        _append(ARTICLE, "\n| a | b |\n|---|---|\n| 1 | 2 |\n"),
        ARTICLE,
        "| a | b |",
        "tables",
    ),
    Case(
        "code block",
        _append(ARTICLE, "\n```\nrm -rf /\n```\n"),
        ARTICLE,
        "```",
        "code blocks",
    ),
    Case(
        "link with a scheme that is not allowed",
        _append(ARTICLE, "\n[click](javascript:alert(1))\n"),
        ARTICLE,
        "javascript:",
        "is not allowed",
    ),
    Case(
        "http link",
        _append(ARTICLE, "\n[site](http://example.org)\n"),
        ARTICLE,
        "http://example.org",
        "must use https://",
    ),
    Case(
        "deep heading",
        _append(ARTICLE, "\n#### Too deep\n"),
        ARTICLE,
        "#### Too deep",
        "heading level 4",
    ),
    Case(
        "article title too long",
        _edit(ARTICLE, "title: Money", "title: " + "Money and remittances, " * 4),
        ARTICLE,
        "title:",
        "at most 80 fit on the screen",
    ),
    Case(
        "button text too long",
        _edit("ui/en.yaml", 'nav.home: "Home"', 'nav.home: "Go back to the very first screen"'),
        "ui/en.yaml",
        "nav.home:",
        "at most 28 fit",
    ),
    Case(
        "topic title too long",
        _edit(
            "topics.yaml",
            "{en: Money, uz: Pul}",
            "{en: Money and remittances to your family, uz: Pul}",
        ),
        "topics.yaml",
        "Money and remittances",
        "at most 32 fit",
    ),
    Case(
        "UI string the kiosk needs missing in English",
        _edit("ui/en.yaml", 'nav.back: "Back"\n', ""),
        "ui/en.yaml",
        1,
        "'nav.back' is missing",
    ),
    Case(
        "UI string missing in a translation falls back",
        _edit("ui/uz.yaml", 'nav.back: "Back (uz)"\n', ""),
        "ui/uz.yaml",
        1,
        "'nav.back' is not translated",
        severity="warning",
    ),
    Case(
        "UI placeholder lost in translation",
        _edit("ui/uz.yaml", "{seconds}", "{soniya}"),
        "ui/uz.yaml",
        "idle.countdown",
        "must contain {seconds}",
    ),
    Case(
        "airport offering a language without UI strings",
        _edit("airports.yaml", "[uz, uz-Cyrl, en]", "[uz, uz-Cyrl, ru, en]"),
        "airports.yaml",
        "languages:",
        "no UI strings for it",
    ),
    Case(
        "destination-specific topic with no article in any language",
        lambda root: shutil.rmtree(root / "articles/RU/rights-at-work"),
        "destinations.yaml",
        "- id: RU",
        "no article of its own for 'rights-at-work'",
    ),
    Case(
        "missing translation that falls back",
        _remove("articles/RU/working-legally/uz.md"),
        "articles/RU/working-legally/en.md",
        1,
        "no 'uz' version of RU/working-legally",
        severity="warning",
    ),
    Case(
        "missing translation of a name that falls back",
        _edit("destinations.yaml", "{en: Russia, uz: Rossiya, ru: Россия}", "{en: Russia}"),
        "destinations.yaml",
        "name: {en: Russia}",
        "has no 'uz' text; kiosks show the 'en' text",
        severity="warning",
    ),
    Case(
        "unknown field",
        _edit("contacts.yaml", "  free: false", "  fee: false"),
        "contacts.yaml",
        "fee: false",
        "unknown field 'fee'",
        severity="warning",
    ),
    Case(
        "sample contact in a production release",
        lambda root: None,
        "contacts.yaml",
        "status: sample",
        "still sample content",
        production=True,
    ),
    Case(
        "sample article in a production release",
        lambda root: None,
        ARTICLE,
        "status: sample",
        "the article general/money is still sample content",
        production=True,
    ),
    Case(
        "a public source label that is an editorial note",
        _edit(
            ARTICLE,
            "source: Test fixture",
            "source: " + "Checked against the ministry's page; " * 3,
        ),
        ARTICLE,
        "source: Checked",
        "put details in notes",
    ),
    Case(
        "an airport's nationality that is not a home country",
        _edit("airports.yaml", "  country: UZ\n", "  country: UZ\n  nationality: RU\n"),
        "airports.yaml",
        "nationality: RU",
        "the nationality 'RU' of TAS must be a home country",
    ),
    Case(
        "a country without a number to call in danger",
        _edit(
            "destinations.yaml",
            '  emergency: "112"\n  emergency_verified_on: 2026-11-20\n',
            "",
        ),
        "destinations.yaml",
        "- id: UZ",
        "UZ declares no number to call in danger",
    ),
    Case(
        "a number to call in danger in E.164",
        _edit("destinations.yaml", 'emergency: "112"', 'emergency: "+7112"'),
        "destinations.yaml",
        'emergency: "+7112"',
        "must be the short number as dialled",
    ),
    Case(
        "a number to call in danger without its date",
        _edit("destinations.yaml", "  emergency_verified_on: 2026-11-22\n", ""),
        "destinations.yaml",
        'emergency: "112"',
        "RU has no emergency_verified_on",
    ),
    Case(
        "a number to call in danger without its source",
        _edit("destinations.yaml", '  emergency_source: "mos.ru"\n', ""),
        "destinations.yaml",
        'emergency: "112"',
        "RU has no emergency_source",
    ),
    Case(
        "a number to call in danger checked in the future",
        _edit(
            "destinations.yaml",
            "emergency_verified_on: 2026-11-22",
            "emergency_verified_on: 2027-01-01",
        ),
        "destinations.yaml",
        "emergency_verified_on: 2027-01-01",
        "emergency_verified_on 2027-01-01 of RU is in the future",
    ),
    Case(
        "no number confirmed, in a production release",
        _edit("destinations.yaml", 'emergency: "112"', "emergency: none"),
        "destinations.yaml",
        "emergency: none",
        "no number to call in danger is confirmed for RU",
        production=True,
    ),
    Case(
        "article outside the articles/<scope>/<topic>/<language>.md layout",
        lambda root: shutil.copy(root / ARTICLE, root / "articles/general/money.md"),
        "articles/general/money.md",
        1,
        "articles must be at",
    ),
]


def _expected_line(root: Path, case: Case) -> int:
    return case.at if isinstance(case.at, int) else line_of(root, case.file, case.at)


def test_minimal_fixture_is_clean() -> None:
    report = validate_source(MINIMAL, today=TODAY)
    assert report.format() == []
    assert report.ok


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_problem_found_at_file_and_line(tmp_path: Path, case: Case) -> None:
    root = copy_fixture(tmp_path)
    case.mutate(root)
    report = validate_source(root, production=case.production, today=TODAY)
    expected = (case.file, _expected_line(root, case), case.severity)
    found = [p for p in report.problems if case.words in p.message]
    assert found, f"no problem mentioning {case.words!r}; got:\n" + "\n".join(report.format())
    assert expected in {(p.file, p.line, p.severity) for p in found}, "\n".join(
        p.format() for p in found
    )
    assert report.ok is (case.severity == "warning")


def test_no_confirmed_number_is_allowed_outside_production(tmp_path: Path) -> None:
    """`emergency: none` says plainly that no number is confirmed; only production refuses it."""
    root = copy_fixture(tmp_path)
    edit(root, "destinations.yaml", 'emergency: "112"', "emergency: none")
    assert validate_source(root, today=TODAY).format() == []
    production = validate_source(root, production=True, today=TODAY)
    assert [p for p in production.errors if "no number to call in danger" in p.message]


def test_every_sample_country_declares_its_number_to_call_in_danger() -> None:
    """The sample's numbers are FACT_CHECK's table: 999 in the UAE (not the ambulance's 998),
    112 in Korea (not 119), 112 in Uzbekistan (not 103), none confirmed in Turkmenistan."""
    from content.source import load_source

    content, report = load_source(SAMPLE)
    assert report.ok, report.format()
    declared = {d.id: d.emergency for d in content.destinations}
    assert declared == {
        "RU": "112",
        "KZ": "112",
        "TR": "112",
        "KR": "112",
        "AE": "999",
        "GB": "999",
        "DE": "110",
        "PL": "112",
        "UZ": "112",
        "TM": "none",
        "KG": "102",
    }
    assert all(d.emergency_verified_on and d.emergency_source for d in content.destinations)


def test_production_is_not_the_default(tmp_path: Path) -> None:
    report = validate_source(MINIMAL, today=TODAY)
    assert not [p for p in report.problems if "sample" in p.message]


def test_every_problem_reported_at_once(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    chosen = [c for c in CASES if c.severity == "error" and not c.production]
    # Cases that edit the same text would clash; take the first case per file.
    used: set[str] = set()
    applied: list[Case] = []
    for case in chosen:
        if case.file in used or case.name.startswith("malformed"):
            continue
        try:
            case.mutate(root)
        except AssertionError:
            continue
        used.add(case.file)
        applied.append(case)
    assert len(applied) >= 8
    report = validate_source(root, today=TODAY)
    for case in applied:
        assert any(
            p.file == case.file and p.line == _expected_line(root, case) and case.words in p.message
            for p in report.errors
        ), f"{case.name} not reported"


def test_all_yaml_files_broken_reported_together(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    for rel in ("airports.yaml", "contacts.yaml", "topics.yaml"):
        (root / rel).write_text("- id: [unclosed\n", encoding="utf-8")
    report = validate_source(root, today=TODAY)
    malformed = {p.file for p in report.errors if "malformed YAML" in p.message}
    assert malformed == {"airports.yaml", "contacts.yaml", "topics.yaml"}


def test_missing_files_reported(tmp_path: Path) -> None:
    root = tmp_path / "empty"
    root.mkdir()
    report = validate_source(root, today=TODAY)
    files = {p.file for p in report.errors}
    assert {"release.yaml", "languages.yaml", "airports.yaml", "ui/en.yaml"} <= files


def test_required_ui_keys_match_the_sample_english_file() -> None:
    import yaml

    english = yaml.safe_load((SAMPLE / "ui" / "en.yaml").read_text(encoding="utf-8"))
    required = {k for k in english if not k.startswith(OPTIONAL_UI_KEY_PREFIXES)}
    assert set(REQUIRED_UI_KEYS) == required, (
        "content/validate.py REQUIRED_UI_KEYS must list exactly the keys of the sample's "
        "ui/en.yaml (the keys the kiosk uses)"
    )


def test_ui_text_limits() -> None:
    assert ui_text_limit("nav.home") == 28
    assert ui_text_limit("idle.finish") == 28
    assert ui_text_limit("help.save_all_hint") == 160
    assert ui_text_limit("attract.subtitle") == 160


def test_fallback_chain_ends_in_english(tmp_path: Path) -> None:
    from content.source import load_source

    content, _ = load_source(MINIMAL)
    by_id = {x.id: x for x in content.languages}
    assert fallback_chain(by_id["uz-Cyrl"]) == ("uz-Cyrl", "uz", "ru", "en")
    assert fallback_chain(by_id["en"]) == ("en",)
    assert fallback_chain(Language("xx", "xx", "Latn")) == ("xx", "en")


def test_validator_and_builder_share_one_fallback_rule() -> None:
    import content.build
    import content.validate

    assert content.build.fallback_chain is fallback_chain
    assert content.validate.fallback_chain is fallback_chain


def test_problem_format() -> None:
    problem = Problem("contacts.yaml", 12, "the phone number is wrong", "error")
    assert problem.format() == "contacts.yaml:12: error: the phone number is wrong"


# --- the real command ----------------------------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "safe_airports_cli", "content", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )


def test_cli_check_valid_exits_0() -> None:
    result = run_cli("check", str(MINIMAL))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK: 0 errors" in result.stdout


def test_cli_check_broken_prints_every_problem_and_exits_1(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    edit(root, "contacts.yaml", '"+74952300000"', '"8 495 230 00 00"')
    edit(root, ARTICLE, "verified_on: 2026-10-01", "verified_on: 2026-02-30")
    (root / "articles/general/money/en.md").write_text(
        (root / ARTICLE).read_text(encoding="utf-8") + "\n<iframe src=x></iframe>\n",
        encoding="utf-8",
    )
    result = run_cli("check", str(root))
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    phone = line_of(root, "contacts.yaml", "8 495")
    assert f"contacts.yaml:{phone}: error: " in result.stdout
    assert any(
        line.startswith(f"{ARTICLE}:{line_of(root, ARTICLE, 'verified_on')}: error: ")
        for line in lines
    )
    assert any(
        line.startswith(f"{ARTICLE}:{line_of(root, ARTICLE, '<iframe')}: error: raw HTML")
        for line in lines
    )
    assert "FAILED: 3 errors" in result.stdout


def test_cli_check_of_a_missing_folder(tmp_path: Path) -> None:
    result = run_cli("check", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert result.stdout.startswith(f"{tmp_path / 'nowhere'}:1: error: there is no folder")


def test_cli_show_of_a_missing_cache(tmp_path: Path) -> None:
    result = run_cli("show", str(tmp_path / "none.db"))
    assert result.returncode == 1
    assert "no such cache file" in result.stderr


def test_cli_warnings_do_not_fail(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    (root / "articles/RU/working-legally/uz.md").unlink()
    result = run_cli("check", str(root))
    assert result.returncode == 0, result.stdout
    assert ": warning: no 'uz' version" in result.stdout


def test_cli_production_fails_on_sample_contacts() -> None:
    result = run_cli("check", "--production", str(MINIMAL))
    assert result.returncode == 1
    assert "still sample content" in result.stdout


def test_cli_build_refuses_broken_sources(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    edit(root, "topics.yaml", "- id: money", "- id: monee")
    out = tmp_path / "cache.db"
    result = run_cli("build", str(root), "--out", str(out))
    assert result.returncode == 1
    assert "unknown topic id 'monee'" in result.stderr
    assert "not built" in result.stderr
    assert not out.exists()


def test_cli_build_and_show(tmp_path: Path) -> None:
    pytest.importorskip("content.build", reason="the cache builder (content/build.py) is absent")
    out = tmp_path / "cache.db"
    result = run_cli("build", str(MINIMAL), "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    assert out.is_file()
    shown = run_cli("show", str(out), "--json")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == result.stdout


@pytest.mark.skipif(
    not (SAMPLE / "release.yaml").is_file(),
    reason="content/sample/release.yaml does not exist yet (the sample release is being written)",
)
def test_sample_release_passes_the_check() -> None:
    result = run_cli("check", str(SAMPLE))
    assert result.returncode == 0, result.stdout


GARBAGE = [
    "",
    "42",
    "just text",
    "- 1\n- 2",
    "{a: b}",
    "- id: 5\n",
    "- id: [a]\n",
    "- id: X\n  name: [1, 2]\n  languages: {a: b}\n  destinations: 7\n  title: {en: [x]}\n"
    "  fallback: x\n  phones: '+1'\n  verified_on: 2026-01-01\n  messengers: [a]\n  free: yes\n",
    "!!python/object/apply:os.system [echo hacked]",
    "\t- tab",
    "a: *unknown",
    "- &a [*a]",
]
GARBAGE_FILES = [
    "release.yaml",
    "languages.yaml",
    "airports.yaml",
    "destinations.yaml",
    "topics.yaml",
    "contacts.yaml",
    "ui/en.yaml",
    ARTICLE,
]


@pytest.mark.parametrize("rel", GARBAGE_FILES)
def test_garbage_is_reported_never_raised(tmp_path: Path, rel: str) -> None:
    for i, garbage in enumerate(GARBAGE):
        root = tmp_path / str(i)
        shutil.copytree(MINIMAL, root)
        text = f"---\n{garbage}\n---\nSome text.\n" if rel.endswith(".md") else garbage
        (root / rel).write_text(text, encoding="utf-8")
        report = validate_source(root, today=TODAY)
        assert not report.ok, f"{rel} containing {garbage!r} passed the check"
        assert all(p.line >= 1 for p in report.problems)


def test_readme_length_limits_are_the_code_limits() -> None:
    from content.validate import TEXT_LIMITS, UI_TEXT_LIMITS, limits_markdown

    readme = (Path(__file__).resolve().parents[2] / "content" / "README.md").read_text()
    start = readme.index("<!-- limits:")
    table = readme[readme.index("\n", start) + 1 : readme.index("<!-- /limits -->")].strip()
    assert table == limits_markdown(), (
        "content/README.md's length table differs from content/validate.py: paste the output of "
        '`python -c "from content.validate import limits_markdown; print(limits_markdown())"`'
    )
    # every limit of the code is in the table
    for what, limit in TEXT_LIMITS.items():
        assert f"| {what[0].upper()}{what[1:]} | {limit} |" in table
    assert table.count("\n") == 1 + len(TEXT_LIMITS) + len(UI_TEXT_LIMITS)


def test_marks_for_a_home_country_with_a_picture_from_assets_are_clean(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    edit(root, ARTICLE, "## Money", "## Money {for=UZ}")
    edit(root, ARTICLE, "1. First step.", "1. First step. {for=UZ picture=topics/icon.svg}")
    report = validate_source(root, today=TODAY)
    assert report.format() == [] and report.ok
