"""The kiosk's read API on a real cache file: views, fallbacks, contacts, search, refusals."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from content.build import build_cache
from content.cache import CacheError, ContentCache, NotFound, make_snippet, match_spans
from content.migrations import SCHEMA_VERSION
from content.model import TOPIC_IDS
from tests.content.factory import article, make_content

# --- opening ------------------------------------------------------------------------------


def test_open_reads_meta(cache: ContentCache, built_cache: Path) -> None:
    assert cache.path == built_cache
    assert cache.content_version == 3
    assert cache.release_title == "Test release"
    assert cache.is_sample is True
    assert len(cache.built_from) == 64
    assert cache.schema_version == SCHEMA_VERSION
    assert cache.integrity_problems() == []


def test_summary_is_the_build_summary(tmp_path: Path) -> None:
    summary = build_cache(make_content(), tmp_path / "c.db", content_version=9)
    with ContentCache.open(tmp_path / "c.db") as cache:
        assert cache.summary() == summary
        assert cache.summary()["content_version"] == 9


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CacheError, match=r"content cache .*nowhere\.db not found"):
        ContentCache.open(tmp_path / "nowhere.db")
    assert not (tmp_path / "nowhere.db").exists()  # read-only open never creates a file


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CacheError, match="is not a file"):
        ContentCache.open(tmp_path)


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("this is not a database\n" * 100)
    with pytest.raises(CacheError, match="unreadable or corrupt"):
        ContentCache.open(path)


def test_a_corrupt_cache_is_refused(built_cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    data = bytearray(built_cache.read_bytes())
    data[100 : 4096 * 3] = b"\xff" * (4096 * 3 - 100)  # schema page and the next pages
    path.write_bytes(bytes(data))
    with pytest.raises(CacheError, match="unreadable or corrupt"):
        ContentCache.open(path)


def test_corruption_beyond_meta_is_found_by_the_integrity_check(
    built_cache: Path, tmp_path: Path
) -> None:
    path = tmp_path / "late.db"
    data = bytearray(built_cache.read_bytes())
    assert len(data) > 4096 * 12
    data[4096 * 10 + 50 : 4096 * 12] = b"\x00\x13" * ((4096 * 2 - 50) // 2)
    path.write_bytes(bytes(data))
    with ContentCache.open(path) as cache:  # meta is intact: opening is quick and succeeds
        assert cache.integrity_problems() != []


def test_a_newer_schema_is_refused_with_a_clear_message(built_cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    shutil.copyfile(built_cache, path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()
    with pytest.raises(CacheError) as info:
        ContentCache.open(path)
    assert str(info.value).startswith(
        f"cache schema 7 is newer than this kiosk understands (max {SCHEMA_VERSION}): "
        "update the app"
    )


def test_an_sqlite_file_that_is_no_cache_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(CacheError, match="is not a content cache"):
        ContentCache.open(path)


def test_a_cache_without_meta_rows_is_refused(built_cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "nometa.db"
    shutil.copyfile(built_cache, path)
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM meta WHERE key = 'content_version'")
    conn.commit()
    conn.close()
    with pytest.raises(CacheError, match="damaged: meta lacks content_version"):
        ContentCache.open(path)


def test_the_cache_is_opened_read_only(cache: ContentCache, built_cache: Path) -> None:
    before = built_cache.read_bytes()
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        cache._conn.execute("DELETE FROM articles")
    assert built_cache.read_bytes() == before


def test_a_path_with_uri_characters_opens(tmp_path: Path) -> None:
    odd = tmp_path / "dir ?#% name" / "cache.db"
    build_cache(make_content(), odd, content_version=1)
    with ContentCache.open(odd) as cache:
        assert cache.content_version == 1


# --- airports, languages, topics, UI --------------------------------------------------------


def test_airports_and_airport_view(cache: ContentCache) -> None:
    assert cache.airports() == ["TAS", "FRU"]
    tas = cache.airport("TAS", "uz")
    assert tas.name == "Toshkent xalqaro aeroporti"
    assert tas.country == "UZ"
    assert [(x.id, x.name, x.script) for x in tas.languages] == [
        ("uz", "Oʻzbekcha", "Latn"),
        ("uz-Cyrl", "Ўзбекча", "Cyrl"),
        ("ru", "Русский", "Cyrl"),
        ("en", "English", "Latn"),
    ]
    assert [(d.id, d.name, d.flag) for d in tas.destinations] == [
        ("RU", "Rossiya", None),
        ("TR", "Türkiye", "flags/tr.svg"),
    ]
    fru = cache.airport("FRU", "ky")
    assert fru.name == "Manas International Airport"
    assert [d.name for d in fru.destinations] == ["Россия"]


def test_unknown_ids_raise_not_found(cache: ContentCache) -> None:
    with pytest.raises(NotFound, match="airport 'XXX'"):
        cache.airport("XXX", "en")
    with pytest.raises(NotFound, match="language 'fr'"):
        cache.topics("fr")
    with pytest.raises(NotFound, match="no article on 'health' for 'RU'"):
        cache.article("RU", "health", "en")


def test_languages_and_topics(cache: ContentCache) -> None:
    assert [x.id for x in cache.languages()] == ["uz", "uz-Cyrl", "ru", "ky", "tk", "en"]
    topics = cache.topics("tk")
    assert [t.id for t in topics][:3] == ["before-you-go", "entry-registration", "working-legally"]
    assert len(topics) == 9
    by_id = {t.id: t for t in topics}
    assert by_id["warning-signs"].title == "Howply alamatlar"
    assert by_id["money"].title == "Деньги"  # tk -> ru
    assert by_id["money"].icon == "topics/money.svg"
    assert cache.destination_name("TR", "tk") == "Türkiýe"
    assert cache.destination_name("TR", "ky") == "Türkiye"


def test_ui_strings_with_fallback(cache: ContentCache) -> None:
    assert cache.ui_strings("uz") == {
        "nav.home": "Bosh sahifa",
        "nav.back": "Назад",
        "search.title": "Search",
    }
    assert cache.ui_strings("en")["nav.back"] == "Back"


def test_assets(cache: ContentCache) -> None:
    svg = b"<svg xmlns='http://www.w3.org/2000/svg'/>"
    assert cache.asset("flags/tr.svg") == svg
    assert cache.asset("assets/flags/tr.svg") == svg
    assert cache.asset("flags/none.svg") is None


# --- articles -------------------------------------------------------------------------------


def test_article_with_destination_section_and_contacts(cache: ContentCache) -> None:
    view = cache.article("RU", "entry-registration", "en")
    assert view.topic == "entry-registration"
    assert view.title == "Entry and registration"
    assert [(s.scope, s.language) for s in view.sections] == [("RU", "en")]
    section = view.sections[0]
    assert section.title == "Registering your stay in Russia"
    assert [b.kind for b in section.blocks] == ["paragraph", "heading", "numbers", "paragraph"]
    assert section.blocks[0].text == "Register within <b>7 days</b> of arrival."
    assert (section.verified_on, section.review_by, section.status) == (
        "2026-10-01",
        "2027-04-01",
        "sample",
    )
    assert [c.id for c in view.contacts] == ["ru-emergency", "uz-embassy-moscow"]
    assert view.contacts[0].short == "112" and view.contacts[0].free is True
    assert view.contacts[0].hours == "24 hours"
    assert [(x.label, x.url) for x in view.links] == [("Official site", "https://example.org/ru")]


def test_article_falls_back_per_section(cache: ContentCache) -> None:
    view = cache.article("RU", "entry-registration", "ky")
    assert [(s.scope, s.language, s.title) for s in view.sections] == [
        ("RU", "ru", "Регистрация в России")
    ]
    assert view.title == "Въезд и регистрация"
    assert view.contacts[0].name == "Экстренные службы"
    generated = cache.article("RU", "entry-registration", "uz-Cyrl").sections[0]
    assert (generated.language, generated.generated) == ("uz-Cyrl", True)


def test_general_section_comes_first(cache: ContentCache) -> None:
    view = cache.article("TR", "warning-signs", "en")
    assert [s.scope for s in view.sections] == ["general"]
    assert view.sections[0].blocks[1].items == ["Debt bondage", "Withheld wages"]
    assert [(x.label, x.url) for x in view.links] == [
        ("Check a recruiter", "article:general/before-you-go")
    ]
    # a topic with both a general and a destination article
    content = make_content()
    own = article("TR", "warning-signs", "en", "Türkiye specifics", "Call **155**.\n")
    path = cache.path.parent / "both.db"
    build_cache(replace(content, articles=(*content.articles, own)), path, content_version=1)
    with ContentCache.open(path) as both:
        view = both.article("TR", "warning-signs", "tk")
        assert [(s.scope, s.language) for s in view.sections] == [("general", "ru"), ("TR", "en")]
        assert view.sections[1].blocks[0].text == "Call <b>155</b>."


# --- contacts -------------------------------------------------------------------------------


def test_contacts_of_countries_emergency_first(cache: ContentCache) -> None:
    found = cache.contacts(["RU", "UZ"], "en")
    assert [c.id for c in found] == [
        "ru-emergency",
        "uz-migration-hotline",
        "uz-embassy-moscow",
        "kg-embassy-moscow",
    ]
    assert cache.contacts([], "en") == []


def test_help_contacts_show_only_the_travellers_embassy(cache: ContentCache) -> None:
    there, home = cache.help_contacts("RU", "UZ", "uz")
    assert [c.id for c in there] == ["ru-emergency", "uz-embassy-moscow"]
    assert there[1].name == "Oʻzbekiston elchixonasi"
    assert there[1].messengers == {"telegram": "https://t.me/example"}
    assert [c.id for c in home] == ["uz-migration-hotline"]
    assert home[0].phones == ["+998712000000"] and home[0].free is False
    there, home = cache.help_contacts("RU", "KG", "ky")
    assert [c.id for c in there] == ["ru-emergency", "kg-embassy-moscow"]
    assert there[1].name == "Кыргызстандын элчилиги"
    assert home == []


# --- search ---------------------------------------------------------------------------------


def hits(cache: ContentCache, lang: str, query: str, **kw: object) -> list[tuple[str, str]]:
    return [(h.scope, h.topic) for h in cache.search(lang, query, **kw)]


def test_search_prefix_as_you_type(cache: ContentCache) -> None:
    assert hits(cache, "en", "regis") == [("RU", "entry-registration")]
    assert hits(cache, "en", "Regis") == [("RU", "entry-registration")]
    assert hits(cache, "en", "passport") == [("general", "warning-signs")]
    assert hits(cache, "en", "register within") == [("RU", "entry-registration")]
    assert hits(cache, "en", "register passport") == []  # every word must match
    assert hits(cache, "en", "") == []
    assert hits(cache, "en", "   ") == []


def test_search_cyrillic_and_fallback_text(cache: ContentCache) -> None:
    assert hits(cache, "ru", "паспо") == [("general", "warning-signs")]
    assert hits(cache, "ru", "учет") == [("RU", "entry-registration")]  # ё typed as е
    assert hits(cache, "ru", "УЧЁТ") == [("RU", "entry-registration")]
    # ky readers see the Russian article: its words are found in ky search
    assert hits(cache, "ky", "миграц") == [("RU", "entry-registration")]
    assert hits(cache, "uz-Cyrl", "рўйхат") == [("RU", "entry-registration")]


def test_search_uzbek_apostrophes_and_turkmen_letters(cache: ContentCache) -> None:
    for query in ("oʻzbek", "o'zbek", "o’zbek", "ozbek", "OʻZBEK"):
        assert hits(cache, "uz", query) == [("RU", "entry-registration")], query
    assert hits(cache, "uz", "royxat") == [("RU", "entry-registration")]
    for query in ("ýaşaýyş", "yasayys", "YAŞAÝ"):
        assert hits(cache, "tk", query) == [("TR", "get-help")], query


def test_search_hit_has_title_and_snippet(cache: ContentCache) -> None:
    (hit,) = cache.search("uz", "fuqaro")
    assert hit.title == "Rossiyada roʻyxatdan oʻtish"
    assert hit.snippet == "Oʻzbekiston fuqarolari 7 kun ichida roʻyxatdan oʻtishi kerak."


def test_search_filters_by_destination_and_limit(cache: ContentCache) -> None:
    assert hits(cache, "en", "a") != []
    assert all(scope in ("general", "TR") for scope, _ in hits(cache, "en", "a", dest="TR"))
    assert len(cache.search("en", "a", limit=1)) == 1
    assert cache.search("en", "a", limit=0) == []


@pytest.mark.parametrize("query", ['"', 'a"b', "NEAR(", "*", "-", "a OR", "^x", "(((", "ko'"])
def test_search_syntax_in_the_query_is_just_text(cache: ContentCache, query: str) -> None:
    cache.search("en", query)  # must not raise


def test_snippet_centres_on_the_match() -> None:
    text = "word " * 60 + "Türkiye registration rules " + "more " * 60
    snippet = make_snippet(text, ["turkiye"])
    assert "Türkiye registration" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) <= 142
    assert make_snippet("short text", ["zzz"]) == "short text"


def test_snippet_keeps_a_heading_apart_from_the_text() -> None:
    snippet = make_snippet("Registration\nRegister within  7 days.\n\nKeep the slip", ["reg"])
    assert snippet == "Registration — Register within 7 days. — Keep the slip"


def test_match_spans_follow_the_search_folding() -> None:
    text = "Roʻyxatdan oʻting: ro'yxat, Türkiye, 1345"
    assert [text[a:b] for a, b in match_spans(text, "royx")] == ["Roʻyx", "ro'yx"]
    assert [text[a:b] for a, b in match_spans(text, "turk 134")] == ["Türk", "134"]
    assert match_spans(text, "xyz") == [] and match_spans(text, "") == []


# --- every text shown -----------------------------------------------------------------------


def test_all_texts_cover_every_screen_string(cache: ContentCache) -> None:
    texts = set(cache.all_texts())
    assert ("uz-Cyrl", "Ўзбекча") in texts
    assert ("ru", "Назад") in texts
    assert ("tk", "Türkiýe") in texts
    assert ("ky", "Кыргызстандын элчилиги") in texts
    assert ("uz-Cyrl", "Ўзбекистон фуқаролари 7 кун ичида рўйхатдан ўтиши керак.") in texts
    assert ("en", "Debt bondage") in texts
    assert ("en", "Official site") in texts


# --- round trip: source folder -> cache -> read API -------------------------------------------

SOURCE_TREE = {
    "release.yaml": "title: Round trip\nsample: true\nversion: 2\n",
    "languages.yaml": """\
- {id: uz, name: Oʻzbekcha, script: Latn, fallback: [ru, en]}
- {id: uz-Cyrl, name: Ўзбекча, script: Cyrl, generated_from: uz, fallback: [uz, ru, en]}
- {id: ru, name: Русский, script: Cyrl, fallback: [en]}
- {id: en, name: English, script: Latn, fallback: []}
""",
    "airports.yaml": """\
- id: TAS
  country: UZ
  name: {en: Tashkent International Airport, uz: Toshkent xalqaro aeroporti}
  languages: [uz, uz-Cyrl, ru, en]
  destinations: [KZ, RU]
""",
    "destinations.yaml": """\
- {id: RU, kind: destination, name: {en: Russia, ru: Россия, uz: Rossiya}}
- {id: KZ, kind: destination, name: {en: Kazakhstan, ru: Казахстан, uz: Qozogʻiston}}
- {id: UZ, kind: home, name: {en: Uzbekistan, uz: Oʻzbekiston}}
""",
    "topics.yaml": "".join(
        f"- {{id: {t}, icon: topics/icon.svg, title: {{en: {t.title()}}}}}\n" for t in TOPIC_IDS
    ),
    "contacts.yaml": """\
- id: ru-emergency
  kind: emergency
  country: RU
  name: {en: Emergency services, ru: Экстренные службы, uz: Favqulodda xizmatlar}
  short: "112"
  free: true
  verified_on: 2026-10-01
  source: {en: Test}
  status: verified
- id: uz-embassy-moscow
  kind: embassy
  country: RU
  serves: [UZ]
  name: {en: Embassy of Uzbekistan, uz: Oʻzbekiston elchixonasi}
  phones: ["+74952300076"]
  verified_on: 2026-10-01
  source: {en: Test}
  status: sample
""",
    "ui/en.yaml": 'nav.home: "Home"\nnav.back: "Back"\n',
    "ui/uz.yaml": 'nav.home: "Bosh sahifa"\n',
    "ui/ru.yaml": 'nav.home: "Главная"\nnav.back: "Назад"\n',
    "assets/topics/icon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    "articles/RU/entry-registration/uz.md": """\
---
title: Rossiyada roʻyxatdan oʻtish
verified_on: 2026-10-01
review_by: 2027-04-01
source: Test
status: sample
contacts: [ru-emergency, uz-embassy-moscow]
---
Yetib kelganingizdan keyin **7 ish kuni** ichida roʻyxatdan oʻting.

- Pasportingizni hech kimga bermang.
""",
    "articles/RU/entry-registration/en.md": """\
---
title: Registering in Russia
verified_on: 2026-10-01
review_by: 2027-04-01
source: Test
status: sample
---
Register within **7 working days**. See [the warning signs](article:general/warning-signs).
""",
    "articles/general/warning-signs/en.md": """\
---
title: Warning signs
verified_on: 2026-10-01
review_by: 2027-04-01
source: ILO indicators of forced labour
status: sample
---
Nobody may *keep your passport*.
""",
}


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_round_trip_from_a_source_folder(tmp_path: Path) -> None:
    from content.source import load_source

    content, report = load_source(write_tree(tmp_path / "src", SOURCE_TREE))
    assert report.errors == []
    summary = build_cache(content, tmp_path / "cache.db", content_version=2)
    assert summary["articles"] == len(content.articles)
    with ContentCache.open(tmp_path / "cache.db") as cache:
        assert cache.release_title == "Round trip"
        tas = cache.airport("TAS", "uz-Cyrl")
        assert [x.id for x in tas.languages] == ["uz", "uz-Cyrl", "ru", "en"]
        assert [d.id for d in tas.destinations] == ["KZ", "RU"]
        view = cache.article("RU", "entry-registration", "uz")
        assert view.sections[0].blocks[0].text == (
            "Yetib kelganingizdan keyin <b>7 ish kuni</b> ichida roʻyxatdan oʻting."
        )
        assert view.sections[0].blocks[1].items == ["Pasportingizni hech kimga bermang."]
        assert [c.id for c in view.contacts] == ["ru-emergency", "uz-embassy-moscow"]
        # uz-Cyrl is generated from uz by the source reader
        cyrl = cache.article("RU", "entry-registration", "uz-Cyrl").sections[0]
        assert cyrl.language == "uz-Cyrl" and cyrl.generated
        assert "рўйхат" in cyrl.title.lower()
        # ru has no article: its chain is ru, en
        ru = cache.article("RU", "entry-registration", "ru")
        assert [(s.language, s.title) for s in ru.sections] == [("en", "Registering in Russia")]
        assert [(x.label, x.url) for x in ru.links] == [
            ("the warning signs", "article:general/warning-signs")
        ]
        assert cache.article("KZ", "warning-signs", "uz").sections[0].blocks[0].text == (
            "Nobody may <i>keep your passport</i>."
        )
        assert cache.ui_strings("uz") == {"nav.home": "Bosh sahifa", "nav.back": "Назад"}
        assert hits(cache, "uz", "royxat") == [("RU", "entry-registration")]
        assert cache.asset("topics/icon.svg") is not None


SAMPLE = Path(__file__).resolve().parents[2] / "content" / "sample"


@pytest.fixture(scope="module")
def sample_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (SAMPLE / "articles").is_dir():
        pytest.skip("content/sample/ has no articles yet (the sample is written separately)")
    from content.source import load_source

    snapshot = shutil.copytree(SAMPLE, tmp_path_factory.mktemp("sample") / "src")
    content, report = load_source(snapshot)  # a snapshot: the sample may be edited meanwhile
    assert report.errors == [], report.format()
    path = snapshot.parent / "sample.db"
    build_cache(content, path, content_version=1)
    return path


def test_sample_round_trip_serves_every_airport_screen(sample_cache: Path) -> None:
    """Every airport, language, destination and topic of the sample can be opened."""
    import yaml

    airports = yaml.safe_load((sample_cache.parent / "src" / "airports.yaml").read_text("utf-8"))
    with ContentCache.open(sample_cache) as cache:
        assert cache.is_sample
        assert cache.airports() == [a["id"] for a in airports]
        opened = 0
        for source in airports:
            for lang in source["languages"]:
                view = cache.airport(source["id"], lang)
                assert [x.id for x in view.languages] == source["languages"]
                assert [d.id for d in view.destinations] == source["destinations"]
                assert all(d.name for d in view.destinations)
                strings = cache.ui_strings(lang)
                assert strings["nav.home"]
                for dest in source["destinations"]:
                    for topic in cache.topics(lang):
                        try:
                            article = cache.article(dest, topic.id, lang)
                        except NotFound:
                            continue
                        assert all(s.blocks for s in article.sections)
                        opened += 1
        assert opened > 0
        summary = cache.summary()
        assert set(summary["contacts"]) >= set(summary["destinations"])


@pytest.mark.parametrize(
    ("lang", "text", "query"),
    [
        ("uz-Cyrl", "ҲУҚУҚЛАРИНГИЗ ҳақида", "ҳуқуқ"),
        ("ky", "ӨЗҮҢҮЗДҮН укуктарыңыз", "өзүң"),
        ("tk", "IŞÇI hukuklary", "işçi"),
        ("tk", "IŞÇI hukuklary", "isci"),
        ("uz", "QOʻRQMANG, gʻamxoʻrlik", "qorq"),
        ("uz", "maʼlumot", "ma'lum"),
        ("ru", "ЁЛКА и учёт", "елк"),
    ],
)
def test_search_folds_case_and_letters_in_every_script(
    tmp_path: Path, lang: str, text: str, query: str
) -> None:
    content = make_content()
    extra = article("RU", "health", lang, "Test", text + "\n")
    build_cache(
        replace(content, articles=(*content.articles, extra)), tmp_path / "c.db", content_version=1
    )
    with ContentCache.open(tmp_path / "c.db") as cache:
        assert hits(cache, lang, query) == [("RU", "health")]
        assert hits(cache, lang, query + "zzz") == []
