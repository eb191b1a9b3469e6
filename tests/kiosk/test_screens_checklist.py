"""kiosk/screens/checklist.py, from the real sample content."""

from __future__ import annotations

from content.cache import Block, ContentCache, SectionView
from kiosk.screens.checklist import CHECKLIST_TOPIC, build_checklist, checklist_items
from kiosk.screens.place import Place


def test_checklist_is_the_list_items_of_before_you_go(cache: ContentCache, tas: Place) -> None:
    page = build_checklist(cache, tas, "en", cache.ui_strings("en"), "RU")
    article = cache.article("RU", CHECKLIST_TOPIC, "en")
    items = [
        item
        for s in article.sections
        for b in s.blocks
        if b.kind in ("bullets", "numbers")
        for item in b.items
    ]
    assert list(page.items) == items and items
    general = build_checklist(cache, tas, "en", cache.ui_strings("en"), "general")
    assert len(general.items) <= len(page.items)


def _section(scope: str, blocks: list[Block]) -> SectionView:
    return SectionView(scope, "", "en", blocks, "2026-11-30", "", "", "sample")


def test_an_item_keeps_its_id_when_items_before_it_are_left_out() -> None:
    """Ticks are stored by these ids (kiosk/session.py): a Kyrgyz traveller's list, which
    leaves out items for UZ only, gives the items after them the ids they had for UZ."""
    sections = [
        _section("general", [Block("paragraph", 0, "Intro"), Block("bullets", 0, "", ["a", "b"])]),
        _section(
            "RU",
            [
                Block("heading", 2, "Patent", only=["UZ", "TM"]),
                Block("bullets", 0, "", ["patent"], only=["UZ", "TM"]),
                Block(
                    "bullets",
                    0,
                    "",
                    ["15 days", "30 days", "passport"],
                    item_only=[["UZ"], ["KG"], []],
                    pictures=["", "", "checklist/keep-your-passport.svg"],
                ),
            ],
        ),
    ]
    uz = {i.text: i for i in checklist_items(sections, "UZ")}
    kg = {i.text: i for i in checklist_items(sections, "KG")}
    assert list(uz) == ["a", "b", "patent", "15 days", "passport"]
    assert list(kg) == ["a", "b", "30 days", "passport"]
    assert kg["passport"] == uz["passport"]  # same id, same picture, though now third, not fifth
    assert kg["passport"].id == "RU/0/2/2" and kg["passport"].picture.endswith("passport.svg")
    assert len({i.id for i in [*uz.values(), *kg.values()]}) == 6


def test_checklist_ids_are_the_same_in_every_language(cache: ContentCache, tas: Place) -> None:
    """Each language writes the article the same way (content/README.md), so a tick made in
    Russian is on the same item in Uzbek: the same id names the same picture."""
    pages = [
        build_checklist(cache, tas, lang, cache.ui_strings(lang), "RU") for lang in tas.languages
    ]
    for page in pages:
        assert len(set(page.ids)) == len(page.ids) == len(page.items)
        assert dict(zip(page.ids, page.pictures, strict=True)) == dict(
            zip(pages[0].ids, pages[0].pictures, strict=True)
        )
