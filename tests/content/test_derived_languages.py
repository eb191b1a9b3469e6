"""Derived languages (uz-Cyrl from uz) are a pass after reading: the plan is plain data,
checked here without applying it; applying adds exactly what it lists."""

from __future__ import annotations

from datetime import date

from content.derived_languages import (
    Derivation,
    DerivedText,
    apply_derivations,
    derivations,
    plan_derivations,
)
from content.model import Article, Content, Language, Topic
from content.problems import Report
from content.translit import Glossary
from content.yaml_lines import Where

UZ = Language("uz", "Oʻzbekcha", "Latn")
UZ_CYRL = Language("uz-Cyrl", "Ўзбекча", "Cyrl", generated_from="uz")
DAY = date(2026, 10, 1)


def _article(topic: str, language: str, title: str) -> Article:
    return Article("general", topic, language, title, "Matn", DAY, DAY, "s", "sample")


def _content() -> Content:
    return Content(
        release={"title": "t"},
        languages=(UZ, UZ_CYRL),
        airports=(),
        destinations=(),
        topics=(
            Topic("money", "m.svg", {"en": "Money", "uz": "Pul"}),
            Topic("health", "h.svg", {"en": "Health", "uz": "Salomatlik", "uz-Cyrl": "Қўлда"}),
        ),
        contacts=(),
        ui={"uz": {"a": "Ha", "b": "Yoʻq"}, "uz-Cyrl": {"b": "Қўлда"}},
        articles=(_article("money", "uz", "Pul"), _article("health", "uz-Cyrl", "Қўлда")),
    )


def _derived() -> tuple[Derivation, ...]:
    report = Report()
    derived = derivations((UZ, UZ_CYRL), report, Where(), Glossary())
    assert report.ok
    return derived


def test_the_plan_lists_only_what_has_no_hand_written_version() -> None:
    content = _content()
    where = Where()
    where.set(("ui", "uz", "a"), "ui/uz.yaml", 3)
    where.set(("article", "general", "money", "uz", "body"), "articles/general/money/uz.md", 6)
    plan = plan_derivations(content, where, _derived())
    assert plan.texts == (DerivedText("topic", "money", "title", "uz-Cyrl", "Пул"),)
    assert plan.ui_languages == ("uz-Cyrl",)
    assert plan.ui == (("uz-Cyrl", "a", "Ҳа"),)
    assert [(a.key, a.title, a.generated) for a in plan.articles] == [
        (("general", "money", "uz-Cyrl"), "Пул", True)
    ]
    places = dict(plan.places)
    assert places[("ui", "uz-Cyrl", "a")] == ("ui/uz.yaml", 3)
    assert places[("article", "general", "money", "uz-Cyrl", "body")] == (
        "articles/general/money/uz.md",
        6,
    )
    assert content == _content() and ("ui", "uz-Cyrl", "a") not in where.places  # untouched


def test_applying_the_plan_adds_it_and_keeps_hand_written_texts() -> None:
    where = Where()
    content = _content()
    out = apply_derivations(content, where, plan_derivations(content, where, _derived()))
    assert out.topics[0].title == {"en": "Money", "uz": "Pul", "uz-Cyrl": "Пул"}
    assert out.topics[1].title["uz-Cyrl"] == "Қўлда"
    assert out.ui["uz-Cyrl"] == {"a": "Ҳа", "b": "Қўлда"}
    assert [a.key for a in out.articles] == [
        ("general", "health", "uz-Cyrl"),
        ("general", "money", "uz"),
        ("general", "money", "uz-Cyrl"),
    ]


def test_an_impossible_derivation_is_reported_at_its_line() -> None:
    where = Where()
    where.set(("language", "ky", "generated_from"), "languages.yaml", 9)
    report = Report()
    ky = Language("ky", "Кыргызча", "Cyrl", generated_from="ru")
    ru = Language("ru", "Русский", "Cyrl")
    assert derivations((ru, ky), report, where, Glossary()) == ()
    [problem] = report.errors
    assert (problem.file, problem.line) == ("languages.yaml", 9)
    assert "cannot be generated" in problem.message
