"""The source reader (content/source.py): the model read from a folder, generated uz-Cyrl."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from content.model import TOPIC_IDS
from content.problems import Report
from content.source import load_source, read_source

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"


def test_minimal_fixture_loads_completely() -> None:
    content, report = load_source(MINIMAL)
    assert report.problems == []
    assert [x.id for x in content.languages] == ["uz", "uz-Cyrl", "ru", "en"]
    assert [x.id for x in content.topics] == list(TOPIC_IDS)
    tas = content.airports[0]
    assert (tas.id, tas.country, tas.languages, tas.destinations) == (
        "TAS",
        "UZ",
        ("uz", "uz-Cyrl", "en"),
        ("RU",),
    )
    embassy = next(c for c in content.contacts if c.id == "uz-embassy-moscow")
    assert embassy.phones == ("+74952300000",)
    assert embassy.verified_on == date(2026, 10, 1)
    assert embassy.free is False
    assert embassy.messengers == {"telegram": "https://t.me/example"}
    assert content.release["version"] == 3
    assert content.assets == {"topics/icon.svg": (MINIMAL / "assets/topics/icon.svg").read_bytes()}


def test_uz_cyrl_is_generated_from_uz() -> None:
    content, _ = load_source(MINIMAL)
    by_key = {a.key: a for a in content.articles}
    uz = by_key[("RU", "get-help", "uz")]
    cyrl = by_key[("RU", "get-help", "uz-Cyrl")]
    assert not uz.generated and cyrl.generated
    assert (uz.title, cyrl.title) == ("Yordam olish", "Ёрдам олиш")
    assert "Биринчи қадам" in cyrl.body
    assert cyrl.contacts == uz.contacts and cyrl.verified_on == uz.verified_on
    # every uz article has its generated twin, nothing else is generated
    assert {k[:2] for k in by_key if k[2] == "uz"} == {k[:2] for k in by_key if k[2] == "uz-Cyrl"}
    assert all(a.generated == (a.language == "uz-Cyrl") for a in content.articles)
    # names, titles and UI strings
    russia = next(d for d in content.destinations if d.id == "RU")
    assert russia.name["uz-Cyrl"] == "Россия"
    topic = next(t for t in content.topics if t.id == "entry-registration")
    assert topic.title["uz-Cyrl"] == "Кириш ва рўйхатдан ўтиш"
    assert content.ui["uz-Cyrl"]["destination.choose_topic"].count("{country}") == 1
    assert set(content.ui["uz-Cyrl"]) == set(content.ui["uz"])


def test_hand_written_text_wins_over_generated(tmp_path: Path) -> None:
    root = tmp_path / "src"
    shutil.copytree(MINIMAL, root)
    (root / "ui" / "uz-Cyrl.yaml").write_text('nav.home: "Бош саҳифа"\n', encoding="utf-8")
    hand = root / "articles/general/money/uz-Cyrl.md"
    hand.write_text(
        "---\ntitle: Пул ҳақида\nverified_on: 2026-10-01\nreview_by: 2027-04-01\n"
        "source: Test\nstatus: sample\n---\nҚўлда ёзилган матн.\n",
        encoding="utf-8",
    )
    content, report = load_source(root)
    assert report.errors == []
    assert content.ui["uz-Cyrl"]["nav.home"] == "Бош саҳифа"
    assert content.ui["uz-Cyrl"]["nav.back"] == latin_back(content.ui["uz"]["nav.back"])
    money = next(a for a in content.articles if a.key == ("general", "money", "uz-Cyrl"))
    assert (money.title, money.generated) == ("Пул ҳақида", False)


def latin_back(text: str) -> str:
    from content.translit import latin_to_cyrillic

    return latin_to_cyrillic(text)


def test_generated_article_problems_point_at_the_source_file(tmp_path: Path) -> None:
    from content.validate import validate_source

    root = tmp_path / "src"
    shutil.copytree(MINIMAL, root)
    uz = root / "articles/RU/get-help/uz.md"
    uz.write_text(uz.read_text(encoding="utf-8").replace("ru-emergency", "ru-nobody"), "utf-8")
    report = validate_source(root, today=date(2026, 11, 22))
    assert [p.format() for p in report.errors] == [
        "articles/RU/get-help/uz.md:7: error: unknown contact 'ru-nobody' (not in contacts.yaml)"
    ]


def test_unreadable_article_is_reported_not_raised(tmp_path: Path) -> None:
    root = tmp_path / "src"
    shutil.copytree(MINIMAL, root)
    (root / "articles/general/money/en.md").write_text("No front matter here.\n", "utf-8")
    (root / "articles/general/health/en.md").write_text("---\ntitle: x\n", "utf-8")
    report = Report()
    tree = read_source(root, report)
    assert sorted(p.format() for p in report.errors) == [
        "articles/general/health/en.md:1: error: the article details (front matter) have no "
        "closing --- line",
        "articles/general/money/en.md:1: error: an article must start with its details "
        "between two lines of ---",
    ]
    assert ("general", "money", "en") in tree.article_files
    assert ("general", "money", "en") not in {a.key for a in tree.content.articles}


# --- The generated uz-Cyrl of the sample ---------------------------------------------------------

SAMPLE = Path(__file__).resolve().parents[2] / "content" / "sample"


def _generated_texts(src: Path) -> str:
    """Every generated uz-Cyrl text of a source folder, joined."""
    content, _ = load_source(src)
    texts = [f"{a.title}\n{a.body}" for a in content.articles if a.language == "uz-Cyrl"]
    texts += content.ui.get("uz-Cyrl", {}).values()
    for items in (content.airports, content.destinations, content.topics, content.contacts):
        for item in items:
            for name in ("name", "title", "hours"):
                texts.append(getattr(item, name, {}).get("uz-Cyrl", ""))
    return "\n".join(texts)


def test_sample_uz_cyrl_keeps_names_and_abbreviations() -> None:
    text = _generated_texts(SAMPLE)
    for wrong in (
        "Полша",
        "ЭПС",
        "Э-9",
        "(Д ",
        "МОҲРЕ",
        "ГЛАА",
        "УКВИ",
        "ПИП",
        "СГК",
        "АЛО",
        "КОК",
        "ГОВ",
        "СИМ",
        "Ҳи Кореа",
        "Алиэн",
        "Сеасонал",
        "Эмиратес",
        "Маке ит",
        "Бундесагентур",
        "Арбеит",
        "Руссиан",
        "Узбек”",
        " о pracę",
        "Скиллед",
        "Натионал",
        "Систем)",
    ):
        assert wrong not in text, wrong
    # (uz source, its uz-Cyrl): checked for those the sample (still edited by translators) has
    source = _source_texts(SAMPLE)
    present = [(uz, cyrl) for uz, cyrl in SAMPLE_PAIRS if uz in source]
    assert len(present) >= len(SAMPLE_PAIRS) // 2, "the sample lost most of these phrases"
    for uz, cyrl in present:
        assert cyrl in text, (uz, cyrl)


SAMPLE_PAIRS: list[tuple[str, str]] = [
    ("Polsha", "Польша"),
    ("Polshada", "Польшада"),
    ("EPS-TOPIK", "EPS-TOPIK"),
    ("E-9 vizasi", "E-9 визаси"),
    ("(D toifasi)", "(D тоифаси)"),
    ("MOHREga", "MOHREга"),
    ("GOV.UK", "GOV.UK"),
    ("SIM karta", "SIM карта"),
    ("Hi Korea", "Hi Korea"),
    ("(Alien Registration Card)", "(Alien Registration Card)"),
    ("(Seasonal Worker visa)", "(Seasonal Worker visa)"),
    ("Emirates ID", "Emirates ID"),
    ("(National Minimum Wage)", "(National Minimum Wage)"),
    ("(Wage Protection System)", "(Wage Protection System)"),
    ("Make it in Germany", "Make it in Germany"),
    ("(Bundesagentur für Arbeit)", "(Bundesagentur für Arbeit)"),
    ("Faire Mobilität", "Faire Mobilität"),
    ("(umowa o pracę)", "(umowa o pracę)"),
    ("“Russian” yoki “Uzbek”", "“Russian” ёки “Uzbek”"),
    ("e-Visa", "e-Visa"),
    ("eVisa", "eVisa"),
    ("(eGov)", "(eGov)"),
    ("BAAda", "БААда"),
    ("TIV", "ТИВ"),
]


def _source_texts(src: Path) -> str:
    content, _ = load_source(src)
    texts = [f"{a.title}\n{a.body}" for a in content.articles if a.language == "uz"]
    texts += content.ui.get("uz", {}).values()
    for items in (content.airports, content.destinations, content.topics, content.contacts):
        for item in items:
            for name in ("name", "title", "hours"):
                texts.append(getattr(item, name, {}).get("uz", ""))
    return "\n".join(texts)
