"""The article body as flat rows (kiosk/pages.py), from real sample content."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QElapsedTimer, QPointF

from content.cache import ContentCache
from kiosk import pages


def _sections(cache: ContentCache, dest: str, topic: str, lang: str) -> list[dict]:
    article = cache.article(dest, topic, lang)
    return [
        {
            "heading": f"heading {s.scope}",
            "title": s.title,
            "blocks": pages.blocks_list(s.blocks),
            "verified": s.verified_on,
            "source": s.source,
            "sample": s.status == "sample",
        }
        for s in article.sections
    ]


def test_rows_keep_every_text_in_order(sample_cache: Path) -> None:
    cache = ContentCache.open(sample_cache)
    try:
        sections = _sections(cache, "RU", "get-help", "ru")
    finally:
        cache.close()
    rows = pages.article_rows(sections, "SAMPLE")
    expected = []
    for s in sections:
        expected += [s["heading"], s["title"]] + (["SAMPLE"] if s["sample"] else [])
        for b in s["blocks"]:
            expected += [b["text"]] if b["kind"] in ("heading", "paragraph") else b["items"]
        expected += [f"{s['verified']}   ·   {s['source']}", ""]
    assert [r["text"] for r in rows] == expected
    numbered = [r["marker"] for r in rows if r["marker"] not in ("", "•")]
    assert all(m.endswith(".") for m in numbered)
    assert rows[0]["gap"] == 0 and all(r["gap"] > 0 for r in rows[1:])


def test_first_screen_is_part_of_a_long_article_and_all_of_a_short_one() -> None:
    long_rows = [{"text": "word " * 40, "gap": 20} for _ in range(60)]
    first = pages.first_screen_count(long_rows, large=False)
    assert 5 < first < 60
    assert pages.first_screen_count(long_rows, large=True) < first  # bigger type, fewer rows
    short = long_rows[:3]
    assert pages.first_screen_count(short, large=False) == 3


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)])
def test_rows_built_before_the_first_frame_fill_the_screen(
    make_kiosk, size: tuple[int, int], large: bool
) -> None:
    """What is built after the first frame starts below the window's bottom edge."""
    from kiosk.tour import walk

    d = make_kiosk(size=size)
    c = d.controller
    d.tap("attract.start")
    d.tap("language.ru")
    if large:
        d.tap("nav.textSize")
    d.tap("home.destination.RU")
    for topic in ("get-help", "entry-registration"):
        d.tap(f"topic.{topic}")
        first = len(c.page["rowsFirst"])
        total = first + len(c.page["rowsRest"])
        timer = QElapsedTimer()
        timer.start()
        while True:
            rows = [i for i in walk(d.window.contentItem()) if i.objectName() == "article.row"]
            if len(rows) == total or timer.elapsed() > 5000:
                break
            d.process(10)
        assert len(rows) == total and first < total  # these articles are longer than a screen
        d.wait_frame()  # laid out
        rows.sort(key=lambda i: i.mapToScene(QPointF(0, 0)).y())
        last_first = rows[first - 1]
        bottom = last_first.mapToScene(QPointF(0, last_first.height())).y()
        assert bottom >= d.window.height(), (topic, first, bottom)
        d.tap("nav.back")
