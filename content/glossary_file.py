"""The release's transliteration glossary, `translit.yaml`: read and checked with file lines."""

from __future__ import annotations

import re
from pathlib import Path

from content.problems import Report
from content.translit import Glossary
from content.yaml_lines import UNREADABLE, LineDict, LineList, Where, parse_yaml

GLOSSARY_FILE = "translit.yaml"
_GLOSSARY_LATIN = re.compile(r"^[a-z]+(?:[ʻʼ'‘’`][a-z]+)*[ʻʼ'‘’`]?$")
_GLOSSARY_CYRILLIC = re.compile(r"^[а-яёўқғҳ]+$")


def read_glossary(src_dir: Path, report: Report, where: Where) -> Glossary:
    """The release's transliteration glossary, `translit.yaml` (optional; see content/README.md).

    Unknown keys are warned about; wrongly typed entries are errors and left out.
    """
    name = GLOSSARY_FILE
    path = Path(src_dir) / name
    if not path.is_file():
        return Glossary()
    data = parse_yaml(path.read_text(encoding="utf-8"), name, report)
    if data is UNREADABLE or data is None:
        return Glossary()
    if not isinstance(data, LineDict):
        report.error(
            name, getattr(data, "line", 1), f"{name} must be a map with `keep:` and `words:`"
        )
        return Glossary()
    where.set(("glossary",), name, 1)
    for k, line in data.key_lines.items():
        where.set(("glossary", k), name, line)
        if k not in ("keep", "words"):
            report.warning(name, line, f"unknown key {k!r} in {name} (ignored; known: keep, words)")
    keep: list[str] = []
    kept = data.get("keep")
    if kept is not None and not isinstance(kept, LineList):
        report.error(name, data.key_lines["keep"], "`keep` must be a list of words or phrases")
    kept_items = kept if isinstance(kept, LineList) else LineList()
    for i, item in enumerate(kept_items):
        if isinstance(item, str) and item.strip():
            keep.append(item)
        else:
            report.error(
                name, kept_items.item_lines[i], f"an item of `keep` must be a text, not {item!r}"
            )
    words: dict[str, str] = {}
    given = data.get("words")
    if given is not None and not isinstance(given, LineDict):
        report.error(name, data.key_lines["words"], "`words` must be a map like `polsha: польша`")
    pairs = given if isinstance(given, LineDict) else LineDict()
    for latin, cyrillic in pairs.items():
        line = pairs.key_lines[latin]
        if not isinstance(latin, str) or not _GLOSSARY_LATIN.match(latin):
            report.error(
                name, line, f"{latin!r} in `words` must be an Uzbek Latin word in small letters"
            )
        elif not isinstance(cyrillic, str) or not _GLOSSARY_CYRILLIC.match(cyrillic):
            report.error(
                name,
                line,
                f"the Cyrillic of {latin!r} in `words` must be a word in small Cyrillic letters, "
                f"not {cyrillic!r}",
            )
        else:
            words[latin] = cyrillic
    return Glossary(keep=tuple(keep), words=words)
