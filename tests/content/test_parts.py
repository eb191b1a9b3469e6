"""Release parts: canonical, deterministic, lossless, and strict about what is missing."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import date

import pytest

from content.model import Content
from content.parts import (
    SHARED_PART,
    PartsError,
    content_hash,
    join_parts,
    split_parts,
)
from tests.content.factory import make_content


def test_round_trip_is_lossless(content: Content) -> None:
    assert join_parts(split_parts(content)) == content


def test_round_trip_keeps_dates_in_release_info(content: Content) -> None:
    dated = replace(content, release={**content.release, "published": date(2026, 11, 1)})
    assert join_parts(split_parts(dated)).release["published"] == date(2026, 11, 1)


def test_part_names(content: Content) -> None:
    names = set(split_parts(content))
    svg = b"<svg xmlns='http://www.w3.org/2000/svg'/>"
    assert names == {
        SHARED_PART,
        "articles/general/en.json",
        "articles/general/ru.json",
        "articles/RU/en.json",
        "articles/RU/ru.json",
        "articles/RU/uz.json",
        "articles/RU/uz-Cyrl.json",
        "articles/TR/en.json",
        "articles/TR/tk.json",
        f"assets/{hashlib.sha256(svg).hexdigest()}.svg",
    }


def test_parts_are_canonical_json(content: Content) -> None:
    parts = split_parts(content)
    assert parts == split_parts(make_content())
    for name, data in parts.items():
        if name.endswith(".json"):
            value = json.loads(data)
            canon = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
            assert canon.encode() == data, name
    ru = json.loads(parts["articles/RU/ru.json"])
    assert ru["scope"] == "RU" and ru["language"] == "ru"
    assert [a["topic"] for a in ru["articles"]] == ["entry-registration"]


def test_changing_one_article_changes_only_its_part(content: Content) -> None:
    first = content.articles[0]  # general/warning-signs/en
    changed = replace(first, body=first.body + "\nOne more line.\n")
    other = replace(content, articles=(changed, *content.articles[1:]))
    before, after = split_parts(content), split_parts(other)
    differing = {n for n in before if before[n] != after.get(n)}
    assert differing == {"articles/general/en.json"}
    assert content_hash(content) != content_hash(other)


def test_identical_assets_are_stored_once(content: Content) -> None:
    same = b"<svg/>"
    twice = replace(content, assets={"a/x.svg": same, "b/y.svg": same})
    parts = split_parts(twice)
    assert sum(1 for n in parts if n.startswith("assets/")) == 1
    assert join_parts(parts).assets == {"a/x.svg": same, "b/y.svg": same}


def test_missing_article_part_is_named(content: Content) -> None:
    parts = split_parts(content)
    del parts["articles/RU/uz.json"]
    with pytest.raises(PartsError, match=r"articles/RU/uz\.json: part missing"):
        join_parts(parts)


def test_missing_shared_part(content: Content) -> None:
    parts = split_parts(content)
    del parts[SHARED_PART]
    with pytest.raises(PartsError, match="shared.json: part missing"):
        join_parts(parts)


def test_article_removed_from_its_part_is_found(content: Content) -> None:
    parts = split_parts(content)
    part = json.loads(parts["articles/RU/en.json"])
    part["articles"] = []
    parts["articles/RU/en.json"] = json.dumps(part).encode()
    with pytest.raises(PartsError, match="article RU/entry-registration missing"):
        join_parts(parts)


def test_tampered_asset_is_refused(content: Content) -> None:
    parts = split_parts(content)
    name = next(n for n in parts if n.startswith("assets/"))
    parts[name] = b"<svg onload='x'/>"
    with pytest.raises(PartsError, match="does not match its sha256"):
        join_parts(parts)


def test_malformed_parts_give_a_clear_error(content: Content) -> None:
    parts = split_parts(content)
    broken = dict(parts, **{"articles/TR/tk.json": b"{not json"})
    with pytest.raises(PartsError, match=r"articles/TR/tk\.json: not valid UTF-8 JSON"):
        join_parts(broken)
    shared = json.loads(parts[SHARED_PART])
    del shared["languages"]
    with pytest.raises(PartsError, match="malformed release parts"):
        join_parts(dict(parts, **{SHARED_PART: json.dumps(shared).encode()}))
    shared = json.loads(parts[SHARED_PART])
    shared["format"] = 99
    with pytest.raises(PartsError, match="parts format 99"):
        join_parts(dict(parts, **{SHARED_PART: json.dumps(shared).encode()}))


def test_unsafe_ids_in_the_index_are_refused(content: Content) -> None:
    parts = split_parts(content)
    shared = json.loads(parts[SHARED_PART])
    shared["article_index"].append(["../../etc", "money", "en"])
    with pytest.raises(PartsError, match="unsafe"):
        join_parts(dict(parts, **{SHARED_PART: json.dumps(shared).encode()}))


def test_content_hash_is_stable(content: Content) -> None:
    assert content_hash(content) == content_hash(make_content())
    assert content_hash(content) == content_hash(join_parts(split_parts(content)))
