"""The article screen (kiosk/screens/article.py), built from the real sample content."""

from __future__ import annotations

from content.cache import ContentCache
from kiosk.screens.article import ArticleRow, article_rows, build_article, first_screen_count
from kiosk.screens.place import Place


def _strings(cache: ContentCache, lang: str) -> dict[str, str]:
    return cache.ui_strings(lang)


def test_rows_keep_every_text_in_order(cache: ContentCache, tas: Place) -> None:
    page = build_article(
        cache, tas, "ru", _strings(cache, "ru"), dest="RU", topic="get-help", large_text=False
    )
    rows = article_rows(page.sections, "SAMPLE")
    expected = []
    for s in page.sections:
        expected += [s.heading, s.title] + (["SAMPLE"] if s.sample else [])
        for b in s.blocks:
            expected += [b.text] if b.kind in ("heading", "paragraph") else list(b.items)
        expected += ["   ·   ".join(x for x in (s.verified, s.source) if x), ""]
    assert [r.text for r in rows] == expected
    numbered = [r.marker for r in rows if r.marker not in ("", "•")]
    assert all(m.endswith(".") for m in numbered)
    assert rows[0].gap == 0 and all(r.gap > 0 for r in rows[1:])


def test_first_screen_is_part_of_a_long_article_and_all_of_a_short_one() -> None:
    long_rows = [ArticleRow("paragraph", "word " * 40, 20) for _ in range(60)]
    first = first_screen_count(long_rows, large=False)
    assert 5 < first < 60
    assert first_screen_count(long_rows, large=True) < first  # bigger type, fewer rows
    assert first_screen_count(long_rows[:3], large=False) == 3


def test_general_part_first_then_the_destinations_own(cache: ContentCache, tas: Place) -> None:
    strings = _strings(cache, "en")
    page = build_article(cache, tas, "en", strings, dest="RU", topic="get-help", large_text=False)
    scopes = [s.scope for s in page.sections]
    assert scopes[0] == "general" and "RU" in scopes
    assert scopes.index("RU") > scopes.index("general")
    chips = [r.text for r in page.rows_first + page.rows_rest if r.kind == "chip"]
    russia = cache.destination_name("RU", "en")
    assert chips[0] == strings["article.general"]
    assert any(russia in chip for chip in chips[1:])
    assert page.rows_first and page.rows_rest  # longer than a screen
    assert list(page.rows_first + page.rows_rest) == article_rows(
        page.sections, strings["article.sample_notice"]
    )


def test_large_text_puts_fewer_rows_before_the_first_frame(cache: ContentCache, tas: Place) -> None:
    strings = _strings(cache, "ru")
    args = {"dest": "RU", "topic": "entry-registration"}
    normal = build_article(cache, tas, "ru", strings, large_text=False, **args)
    large = build_article(cache, tas, "ru", strings, large_text=True, **args)
    assert len(large.rows_first) < len(normal.rows_first)
    assert large.rows_first + large.rows_rest == normal.rows_first + normal.rows_rest


def test_links_to_articles_are_buttons_other_links_qr_codes(
    cache: ContentCache, tas: Place
) -> None:
    found_article_link = found_qr = False
    for topic in cache.topics("en"):
        page = build_article(
            cache, tas, "en", _strings(cache, "en"), dest="RU", topic=topic.id, large_text=False
        )
        assert all(link.url.startswith("article:") for link in page.article_links)
        assert all(code.kind in ("url", "messenger", "tel") for code in page.links)
        assert all(code.caption for code in page.links)  # the link's label, above its code
        found_article_link |= bool(page.article_links)
        found_qr |= bool(page.links) or bool(page.contacts)
    assert found_article_link and found_qr


def test_general_article_has_no_country_part(cache: ContentCache, tas: Place) -> None:
    page = build_article(
        cache,
        tas,
        "en",
        _strings(cache, "en"),
        dest="general",
        topic="get-help",
        large_text=False,
    )
    assert {s.scope for s in page.sections} == {"general"}
    has_icon = cache.asset("topics/get-help.svg") is not None
    assert page.icon == ("image://asset/topics/get-help.svg" if has_icon else "")
