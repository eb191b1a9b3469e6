"""What each "listen" button reads: the spoken text of every screen item, per language.

Pure and Qt-free. The texts are computed from a built content cache (the same reads the kiosk
makes: fallbacks resolved, contacts filtered for the travellers' nationality), so what is heard
is what is shown. One `SpeechItem` per audio file; its `path` is where the audio lives among
the release's assets (`audio/<item>.<language>.ogg`), the name an administrator's recording
uses too (content/README.md, "Audio").

Items:

- `article.<scope>.<topic>.<lang>`: an article (title and body) in the language it is written
  in (the kiosk plays the general part, then the destination's own);
- `checklist.<scope>.<lang>`: the items of the `before-you-go` article, as the checklist shows;
- an article or checklist with nationality marks (`{for=UZ}`) is split into **parts**, one
  clip each, so that a traveller hears exactly what the screen shows them:
  `article.<scope>.<topic>.<NN>` for a run of text shown to everyone and
  `article.<scope>.<topic>.<NN>-UZ-TM` for a run shown only to those nationalities (`NN`: the
  part's position, from 01). The kiosk computes the same parts from the same blocks
  (`speech_parts`) and plays, in order, those for the traveller's nationality.
- `help.<dest|home>.<home country>.<nationality>.<lang>`: the help screen, the in-danger line
  first, then each contact's name and numbers, read digit by digit;
- `language.<lang>`: the language's name said in that language (language screen);
- `attract.<lang>`: the attract screen's invitation (played only if a kiosk setting allows).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from content.cache import Block, ContactView, ContentCache, applies, blocks_for
from content.markdown_subset import parse_blocks
from content.model import Content

AUDIO_DIR = "audio"
AUDIO_SUFFIX = ".ogg"
CHECKLIST_TOPIC = "before-you-go"
ITEM_KINDS = ("article", "checklist", "help", "language", "attract")
HOME = "home"  # the help screen before a destination is chosen

_TAG = re.compile(r"<[^>]+>")
# A phone number inside running text: a leading + or at least 7 digits, with spaces, dashes,
# dots or brackets between groups (years, amounts and dates are read as numbers).
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().-]*\d(?![\w])")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$|^\d{1,2}\.\d{1,2}\.\d{2,4}$")


@dataclass(frozen=True)
class SpeechItem:
    item: str  # `article.RU.entry-registration` ...
    language: str  # the kiosk language the item is for
    text: str  # what is read, in that language (digits of numbers spaced)

    @property
    def path(self) -> str:
        return audio_path(self.item, self.language)


def audio_path(item: str, language: str) -> str:
    """The asset path of an item's audio: `audio/<item>.<language>.ogg`."""
    return f"{AUDIO_DIR}/{item}.{language}{AUDIO_SUFFIX}"


def article_item(scope: str, topic: str) -> str:
    return f"article.{scope}.{topic}"


def checklist_item(scope: str) -> str:
    return f"checklist.{scope}"


def help_item(dest: str, home_country: str, nationality: str) -> str:
    """`dest`: a destination id, or "" before one is chosen."""
    return f"help.{dest or HOME}.{home_country}.{nationality}"


def language_item() -> str:
    return "language"


def attract_item() -> str:
    return "attract"


def digits(number: str) -> str:
    """A number read digit by digit: "+998 71 200" -> "+ 9 9 8 7 1 2 0 0"."""
    out = [c for c in number if c.isdigit() or c == "+"]
    return " ".join(out)


def spoken_numbers(text: str) -> str:
    """Phone numbers in running text spaced out so that each digit is read on its own."""

    def replace(m: re.Match[str]) -> str:
        found = m.group(0)
        count = sum(c.isdigit() for c in found)
        if _DATE.match(found.strip()) or not (found.startswith("+") or count >= 7):
            return found
        return digits(found)

    return _PHONE.sub(replace, text)


def plain(rich: str) -> str:
    """Rich text of the article model (<b>, <i>, <br>, escaped) as plain text."""
    return html.unescape(_TAG.sub(" ", rich)).strip()


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    if text and text[-1] not in ".!?:;…":
        text += "."
    return text


def _join(lines: list[str]) -> str:
    return "\n".join(_sentence(spoken_numbers(x)) for x in lines if x.strip())


def article_text(title: str, body: str) -> str:
    lines = [title]
    for block in parse_blocks(body):
        if block.kind in ("bullets", "numbers"):
            lines.extend(plain(item) for item in block.items)
        elif block.kind != "image":
            lines.append(plain(block.text))
    return _join(lines)


@dataclass(frozen=True)
class SpeechPart:
    """One clip of an article or checklist: `suffix` is appended to the item's name ("" when
    the article has no marks: one clip, named like the item), `only` the nationalities it is
    for (() everyone)."""

    suffix: str
    only: tuple[str, ...]
    text: str

    def item(self, item: str) -> str:
        return f"{item}.{self.suffix}" if self.suffix else item

    def applies(self, nationality: str) -> bool:
        return applies(self.only, nationality)


def article_blocks(body: str) -> list[Block]:
    """An article's blocks as the content cache stores them and the kiosk reads them."""
    return [
        Block(
            b.kind,
            b.level,
            b.text,
            list(b.items),
            b.src,
            list(b.only),
            [list(x) for x in b.item_only],
            list(b.pictures),
        )
        for b in parse_blocks(body)
    ]


_OTHER = "-"  # stands for every nationality that no mark of the article names


def _units(blocks: Sequence[Block], prose: bool) -> list[tuple[int, int, str]]:
    """What is read, in order: (block index, item index or -1, plain text)."""
    out: list[tuple[int, int, str]] = []
    for i, block in enumerate(blocks):
        if block.kind in ("bullets", "numbers"):
            out.extend((i, j, plain(item)) for j, item in enumerate(block.items))
        elif prose and block.kind != "image":
            out.append((i, -1, plain(block.text)))
    return out


def _shown_units(blocks: Sequence[Block], nationality: str) -> set[tuple[int, int]]:
    """The units a traveller of `nationality` sees, by the kiosk's own filter (blocks_for);
    each block is tagged with its index in its text to find it again."""
    tagged = [replace(b, text=str(i)) for i, b in enumerate(blocks)]  # copies, blocks unchanged
    shown: set[tuple[int, int]] = set()
    for kept in blocks_for(tagged, nationality):
        i = int(kept.text)
        shown.add((i, -1))
        original = blocks[i]
        for j in range(len(original.items)):
            marks = original.item_only[j] if j < len(original.item_only) else ()
            if applies(marks, nationality):
                shown.add((i, j))
    return shown


def speech_parts(title: str, blocks: Sequence[Block], *, prose: bool = True) -> list[SpeechPart]:
    """An article (`prose`) or a checklist (list items only) as clips: one when it has no
    nationality marks, else one per run of text shown to the same nationalities (a heading
    the screen drops for a nationality, with nothing left under it, is left out too)."""
    units = _units(blocks, prose)
    marked = {n for b in blocks for n in b.only} | {
        n for b in blocks for marks in b.item_only for n in marks
    }
    if not marked:
        text = _join([title] + [t for _, _, t in units])
        return [SpeechPart("", (), text)] if text else []
    everyone = tuple(sorted(marked)) + (_OTHER,)
    seen = {n: _shown_units(blocks, n) for n in everyone}
    runs: list[tuple[tuple[str, ...], list[str]]] = [((), [title])]
    for i, j, text in units:
        who = tuple(n for n in everyone if (i, j) in seen[n])
        if not who or not text.strip():
            continue
        only = () if who == everyone else tuple(n for n in who if n != _OTHER)
        if runs[-1][0] == only:
            runs[-1][1].append(text)
        else:
            runs.append((only, [text]))
    parts: list[SpeechPart] = []
    for only, lines in runs:
        text = _join(lines)
        if text:
            number = f"{len(parts) + 1:02d}"
            parts.append(SpeechPart("-".join((number, *only)), only, text))
    return parts


def checklist_text(title: str, body: str) -> str:
    lines = [title]
    for block in parse_blocks(body):
        if block.kind in ("bullets", "numbers"):
            lines.extend(plain(item) for item in block.items)
    return _join(lines)


def _fill(template: str, **values: str) -> str:
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template


def _contact_lines(contact: ContactView) -> list[str]:
    numbers = ([contact.short] if contact.short else []) + list(contact.phones)
    line = contact.name
    if numbers:
        line = _sentence(line) + " " + ", ".join(digits(n) for n in numbers)
    return [line]


def help_text(
    cache: ContentCache, lang: str, dest: str, home_country: str, nationality: str
) -> str:
    """The help screen as the kiosk builds it (kiosk/screens/help.py): the in-danger line
    first, then the destination's contacts, then those at home, numbers digit by digit."""
    strings = cache.ui_strings(lang)
    country = dest or home_country
    number = cache.emergency_number(country)
    if number:
        first = _fill(strings.get("help.in_danger", ""), number=digits(number))
    else:
        first = _fill(
            strings.get("help.no_emergency", ""), country=cache.destination_name(country, lang)
        )
    if dest:
        there, home = cache.help_contacts(dest, home_country, lang, nationality)
    else:
        there, home = [], cache.contacts([home_country], lang)
    lines = [_sentence(first)]
    if dest and there:
        lines.append(
            _fill(
                strings.get("help.destination_contacts", ""),
                country=cache.destination_name(dest, lang),
            )
        )
        for contact in there:
            lines.extend(_contact_lines(contact))
    if home:
        lines.append(
            _fill(
                strings.get("help.home_contacts", ""),
                country=cache.destination_name(home_country, lang),
            )
        )
        for contact in home:
            lines.extend(_contact_lines(contact))
    return "\n".join(_sentence(x) for x in lines if x.strip())


def speech_items(content: Content, cache: ContentCache) -> list[SpeechItem]:
    """Every item of the release that can be listened to, in every language (no voices yet:
    `content.speech` drops the languages without one). `cache` is built from `content`."""
    items: dict[str, SpeechItem] = {}

    def add(item: str, lang: str, text: str) -> None:
        if text.strip():
            found = SpeechItem(item, lang, text)
            items.setdefault(found.path, found)

    for article in content.articles:
        blocks = article_blocks(article.body)
        item = article_item(article.scope, article.topic)
        for part in speech_parts(article.title, blocks):
            add(part.item(item), article.language, part.text)
        if article.topic == CHECKLIST_TOPIC:
            item = checklist_item(article.scope)
            for part in speech_parts(article.title, blocks, prose=False):
                add(part.item(item), article.language, part.text)
    ui_languages = set(content.ui)
    for language in content.languages:
        add(language_item(), language.id, _sentence(language.name))
    for airport in content.airports:
        home = airport.country
        nationality = airport.nationality or airport.country
        for lang in airport.languages:
            if lang not in ui_languages and not _has_derived_ui(content, lang):
                continue
            attract = cache.ui_strings(lang).get("attract.title", "")
            add(attract_item(), lang, _sentence(attract))
            for dest in ("", *airport.destinations):
                add(
                    help_item(dest, home, nationality),
                    lang,
                    help_text(cache, lang, dest, home, nationality),
                )
    return sorted(items.values(), key=lambda x: x.path)


def _has_derived_ui(content: Content, lang: str) -> bool:
    return any(x.id == lang and x.generated_from for x in content.languages)
