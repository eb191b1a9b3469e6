"""The transliteration glossary, translit.yaml (content/glossary_file.py)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from content.source import load_source

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"


def test_glossary_is_optional_and_read(tmp_path: Path) -> None:
    root = tmp_path / "src"
    shutil.copytree(MINIMAL, root)
    (root / "articles/general/money/uz.md").write_text(
        "---\ntitle: Polshada pul\nverified_on: 2026-10-01\nreview_by: 2027-04-01\n"
        "source: Test\nstatus: sample\n---\nHi Korea va EPS.\n",
        encoding="utf-8",
    )
    without = {a.key: a for a in load_source(root)[0].articles}
    assert without[("general", "money", "uz-Cyrl")].title == "Полшада пул"
    assert without[("general", "money", "uz-Cyrl")].body == "Ҳи Кореа ва EPS."
    (root / "translit.yaml").write_text(
        "keep: [Hi Korea]\nwords:\n  polsha: польша\n", encoding="utf-8"
    )
    content, report = load_source(root)
    assert report.problems == []
    money = {a.key: a for a in content.articles}[("general", "money", "uz-Cyrl")]
    assert (money.title, money.body) == ("Польшада пул", "Hi Korea ва EPS.")


def test_glossary_problems_have_file_lines(tmp_path: Path) -> None:
    root = tmp_path / "src"
    shutil.copytree(MINIMAL, root)
    (root / "translit.yaml").write_text(
        "keep:\n  - Hi Korea\n  - [a, b]\nwords:\n  polsha: польша\n  Polsha: Польша\n"
        "  turkiya: turkiya\nkeepp: [x]\n",
        encoding="utf-8",
    )
    from content.validate import validate_source

    lines = validate_source(root, today=date(2026, 10, 2)).format()
    assert "translit.yaml:3: error: an item of `keep` must be a text, not ['a', 'b']" in lines
    assert any(x.startswith("translit.yaml:6: error: 'Polsha' in `words`") for x in lines)
    assert any(x.startswith("translit.yaml:7: error: the Cyrillic of 'turkiya'") for x in lines)
    assert any(x.startswith("translit.yaml:8: warning: unknown key 'keepp'") for x in lines)
    (root / "translit.yaml").write_text("keep: Hi Korea\nwords: [polsha]\n", encoding="utf-8")
    lines = validate_source(root, today=date(2026, 10, 2)).format()
    assert "translit.yaml:1: error: `keep` must be a list of words or phrases" in lines
    assert any(x.startswith("translit.yaml:2: error: `words` must be a map") for x in lines)
    (root / "translit.yaml").write_text("- polsha\n", encoding="utf-8")
    lines = validate_source(root, today=date(2026, 10, 2)).format()
    assert any(x.startswith("translit.yaml:1: error: translit.yaml must be a map") for x in lines)
