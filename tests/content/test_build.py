"""The cache builder: plan rows, fallbacks resolved at build time, determinism, schema."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from content.build import (
    CachePlan,
    build_cache,
    plan_cache,
    search_table_name,
)
from content.migrations import SCHEMA_VERSION
from content.model import Content, Destination
from content.parts import join_parts, split_parts
from tests.content.factory import article, make_content


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rows_by(plan_rows: list[dict], *keys: str) -> dict:
    return {tuple(r[k] for k in keys): r for r in plan_rows}


def shown(plan: CachePlan) -> dict[tuple[str, str, str], dict]:
    """(scope, topic, language) -> the article_texts row a reader of that language sees."""
    texts = {row["id"]: row for row in plan.tables["article_texts"]}
    return {
        (r["scope"], r["topic"], r["lang"]): {**texts[r["text_id"]], **r}
        for r in plan.tables["articles"]
    }


def test_article_rows_follow_the_fallback_rule(content: Content) -> None:
    plan = plan_cache(content, 1)
    articles = shown(plan)
    used = {key: row["language_used"] for key, row in articles.items()}
    # written in the language itself
    assert used[("RU", "entry-registration", "uz")] == "uz"
    assert used[("RU", "entry-registration", "uz-Cyrl")] == "uz-Cyrl"
    # ky has no article: its fallback list says ru first
    assert used[("RU", "entry-registration", "ky")] == "ru"
    # TR entry exists only in English: every language ends on en
    for lang in ("uz", "uz-Cyrl", "ru", "ky", "tk", "en"):
        assert used[("TR", "entry-registration", lang)] == "en"
    # a Turkmen-only article is not shown to readers whose chain lacks tk
    assert used[("TR", "get-help", "tk")] == "tk"
    assert ("TR", "get-help", "ru") not in articles
    assert ("TR", "get-help", "en") not in articles
    # the row keeps the metadata of the article actually used
    row = articles[("RU", "entry-registration", "ky")]
    assert row["title"] == "Регистрация в России"
    assert json.loads(row["contacts"]) == ["ru-emergency", "uz-embassy-moscow"]
    assert articles[("RU", "entry-registration", "uz-Cyrl")]["generated"] == 1
    # each article is stored once however many languages fall back to it
    assert len(plan.tables["article_texts"]) == len(content.articles)
    assert (
        articles[("TR", "entry-registration", "ky")]["text_id"]
        == (articles[("TR", "entry-registration", "uz")]["text_id"])
    )


def test_uz_cyrl_falls_back_to_uz_before_russian(content: Content) -> None:
    only_uz = article("RU", "money", "uz", "Pul", "Pulni bank orqali yuboring.\n")
    only_ru = article("RU", "money", "ru", "Деньги", "Отправляйте деньги через банк.\n")
    plan = plan_cache(replace(content, articles=(*content.articles, only_uz, only_ru)), 1)
    articles = shown(plan)
    assert articles[("RU", "money", "uz-Cyrl")]["language_used"] == "uz"
    assert articles[("RU", "money", "ky")]["language_used"] == "ru"
    assert ("RU", "money", "en") not in articles  # en's chain is only en


def test_blocks_and_links_are_rendered_at_build_time(content: Content) -> None:
    row = shown(plan_cache(content, 1))[("RU", "entry-registration", "en")]
    blocks = json.loads(row["blocks"])
    assert [b["kind"] for b in blocks] == ["paragraph", "heading", "numbers", "paragraph"]
    assert blocks[0]["text"] == "Register within <b>7 days</b> of arrival."
    assert blocks[1] == {
        "kind": "heading",
        "level": 2,
        "text": "Patent",
        "items": [],
        "src": "",
        "only": [],
        "item_only": [],
        "pictures": [],
    }
    assert blocks[2]["items"] == ["Apply", "Pay"]
    assert json.loads(row["links"]) == [{"label": "Official site", "url": "https://example.org/ru"}]


def test_labels_and_ui_strings_fall_back(content: Content) -> None:
    home_only_in_ky = Destination("KG", "home", {"ky": "Кыргызстан"})
    destinations = tuple(d for d in content.destinations if d.id != "KG") + (home_only_in_ky,)
    plan = plan_cache(replace(content, destinations=destinations), 1)
    labels = rows_by(plan.tables["labels"], "kind", "id", "lang")
    assert labels[("destination", "RU", "uz")]["text"] == "Rossiya"
    assert labels[("destination", "RU", "ky")]["text"] == "Россия"  # ky -> ru
    assert labels[("destination", "TR", "uz")]["language_used"] == "en"
    assert labels[("destination", "TR", "tk")]["text"] == "Türkiýe"
    # a name no language of the chain has: any language rather than nothing
    assert labels[("destination", "KG", "en")]["language_used"] == "ky"
    ui = rows_by(plan.tables["ui_strings"], "lang", "key")
    assert ui[("uz", "nav.home")]["text"] == "Bosh sahifa"
    assert (ui[("uz", "nav.back")]["text"], ui[("uz", "nav.back")]["language_used"]) == (
        "Назад",
        "ru",
    )
    assert ui[("uz-Cyrl", "nav.back")]["language_used"] == "ru"
    assert ui[("tk", "search.title")]["language_used"] == "en"


def test_search_rows_per_language_hold_what_the_reader_sees(content: Content) -> None:
    plan = plan_cache(content, 1)
    assert set(plan.search) == {search_table_name(x.id) for x in content.languages}
    assert search_table_name("uz-Cyrl") == "search_uz_cyrl"
    articles = shown(plan)
    ky = {r["rowid"]: r for r in plan.search["search_ky"]}
    assert "миграционный" in ky[articles[("RU", "entry-registration", "ky")]["text_id"]]["body"]
    uz_row = articles[("RU", "entry-registration", "uz")]
    uz = {r["rowid"]: r for r in plan.search["search_uz"]}
    assert uz[uz_row["text_id"]]["title"] == "Rossiyada royxatdan otish"
    assert uz_row["plain"].startswith("Oʻzbekiston")  # shown as written
    assert len(plan.search["search_tk"]) == sum(1 for key in articles if key[2] == "tk")


def test_same_content_gives_byte_identical_files(content: Content, tmp_path: Path) -> None:
    build_cache(content, tmp_path / "a.db", content_version=7)
    build_cache(make_content(), tmp_path / "b.db", content_version=7)
    assert (tmp_path / "a.db").read_bytes() == (tmp_path / "b.db").read_bytes()
    # built from release parts (the sync agent's way): the same file again
    build_cache(join_parts(split_parts(content)), tmp_path / "c.db", content_version=7)
    assert sha(tmp_path / "c.db") == sha(tmp_path / "a.db")


def test_different_content_or_version_gives_a_different_file(
    content: Content, tmp_path: Path
) -> None:
    build_cache(content, tmp_path / "a.db", content_version=7)
    build_cache(content, tmp_path / "b.db", content_version=8)
    changed = replace(content, ui={**content.ui, "en": {**content.ui["en"], "nav.home": "Start"}})
    build_cache(changed, tmp_path / "c.db", content_version=7)
    assert len({sha(tmp_path / n) for n in ("a.db", "b.db", "c.db")}) == 3


def test_file_schema_and_meta(content: Content, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "cache.db"
    summary = build_cache(content, out, content_version=42)
    assert [p.name for p in out.parent.iterdir()] == ["cache.db"]  # no temporary left
    conn = sqlite3.connect(out)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA page_size").fetchone()[0] == 4096
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        fts = conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'search_uz_cyrl'"
        ).fetchone()[0]
    finally:
        conn.close()
    assert meta["content_version"] == "42"
    assert meta["schema_version"] == str(SCHEMA_VERSION)
    assert meta["release_title"] == "Test release"
    assert meta["is_sample"] == "1"
    assert len(meta["source_hash"]) == 64
    assert json.loads(meta["summary"]) == summary
    assert "fts5" in fts and "remove_diacritics 2" in fts


def test_summary_counts_coverage_with_general_articles(content: Content) -> None:
    summary = plan_cache(content, 5).summary
    assert summary["content_version"] == 5
    assert summary["languages"] == ["uz", "uz-Cyrl", "ru", "ky", "tk", "en"]
    assert summary["destinations"] == ["RU", "TR"]
    assert summary["home_countries"] == ["UZ", "KG"]
    assert summary["airports"]["TAS"]["destinations"] == ["RU", "TR"]
    assert summary["airports"]["FRU"]["languages"] == ["ky", "ru", "en"]
    assert summary["articles"] == len(content.articles)
    # en: general warning-signs + general before-you-go + RU entry; TR: 2 general + TR entry
    assert summary["coverage"]["en"] == {"RU": 3, "TR": 3}
    assert summary["coverage"]["ru"] == {"RU": 2, "TR": 1}
    assert summary["coverage"]["ky"] == {"RU": 0, "TR": 0}
    assert summary["coverage"]["tk"] == {"RU": 0, "TR": 1}
    assert "get-help" in summary["coverage_missing"]["en"]["RU"]
    assert summary["contacts"] == {"RU": 3, "TR": 1, "UZ": 1, "KG": 0}
    assert summary["is_sample"] is True


def test_a_failed_build_leaves_the_old_file(content: Content, tmp_path: Path) -> None:
    out = tmp_path / "cache.db"
    build_cache(content, out, content_version=1)
    before = out.read_bytes()
    bad = replace(content, assets={"x.svg": "not bytes"})  # type: ignore[dict-item]
    with pytest.raises(TypeError):
        build_cache(bad, out, content_version=2)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["cache.db"]


SAMPLE = Path(__file__).resolve().parents[2] / "content" / "sample"


def test_the_sample_builds_byte_identical_from_sources_and_parts(tmp_path: Path) -> None:
    if not (SAMPLE / "articles").is_dir():
        pytest.skip("content/sample/ has no articles yet (the sample is written separately)")
    from content.source import load_source

    snapshot = shutil.copytree(SAMPLE, tmp_path / "sample")  # the sample may be edited meanwhile
    first, report = load_source(snapshot)
    assert report.errors == [], report.format()
    build_cache(first, tmp_path / "a.db", content_version=1)
    # the sync agent's way: from release parts; the same file
    build_cache(join_parts(split_parts(first)), tmp_path / "b.db", content_version=1)
    assert sha(tmp_path / "a.db") == sha(tmp_path / "b.db")
