"""Language purity checks (issue 11 item 4): nothing on a screen in language X is in another
language, except X's declared fallback.

Two independent checks, both pure functions of what a screen shows, so that each can be shown
to fail on a small planted fixture (tests/kiosk/test_language_purity.py):

- provenance: `RecordingCache` is the kiosk's own `ContentCache` that also writes down, for every
  text a screen builder looks up (UI string, name, title, contact label, article, search hit),
  the language it was asked for and the language the cache returned (`language_used`, resolved
  when the cache was built). `provenance_problems` fails a text whose language is not the one
  asked for or in its fallback chain (languages.yaml `fallback`, then English), a UI key the
  language lacks (the key itself would be shown) and, on a one-language screen, a text asked
  for in another language than the screen's.
- script: `visible_texts` walks a screen's dataclass (what QML lays out) and yields every string a
  traveller sees; `script_problems` fails a Latin word on a Cyrillic screen (ru, ky, uz-Cyrl)
  and a Cyrillic word on a Latin one (uz, tk, en), except links, e-mail addresses, phone
  numbers, letter codes and the proper names of `ALLOWED_LATIN`; `english_copies` fails a
  string of a Latin-script screen (uz, tk) equal to the English screen's string at the same
  place, unless it is the same by nature (numbers, a name of `ALLOWED_LATIN`).
"""

from __future__ import annotations

import dataclasses
import functools
import html
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from content.cache import ArticleView, ContactView, ContentCache, SearchHit

# Fields of the screens' dataclasses that are never shown as text: ids, kinds, image ids,
# what a QR code holds (its printed `label` is shown and checked), links' targets.
HIDDEN_FIELDS = frozenset(
    {
        "id",
        "kind",
        "dest",
        "topic",
        "scope",
        "language",
        "image",
        "payload",
        "icon",
        "flag",
        "url",
        "src",
        "picture",
        "pictures",
        "ids",  # a checklist item's id (what its tick is stored under)
    }
)

# Proper names a screen may show in Latin letters whatever its language, each with its reason.
# Kept short: anything else in Latin letters on a Russian, Kyrgyz or Uzbek Cyrillic screen is
# an untranslated text. Phrases are matched as a whole.
ALLOWED_LATIN: dict[str, str] = {
    "WhatsApp": "messenger brand, written in Latin letters in every language",
    "Whatsapp": "the messenger's QR caption (cards.py capitalises the messenger's id)",
    "Telegram": "messenger brand, written in Latin letters in every language",
    "Viber": "messenger brand",
    "Signal": "messenger brand",
    "Faire Mobilität": "the German advice centre's own name (it has no translated name)",
    "Acas": "the UK advisory service's own name, as it answers the phone",
    "Hi Korea": "the name of Korea's immigration portal, as written on the site",
    "Make it in Germany": "the name of the German government's portal, as written on the site",
    "eVisa": "the UK's digital visa, as named on GOV.UK and in the traveller's account",
    "e-Visa": "Türkiye's visa site, as named on it",
    "Emirates ID": "the UAE identity card, as printed on it",
    "Skilled Worker": "the name of the UK visa route a traveller applies for",
    "Yonhap": "news agency named as a public source",
    "Sputnik": "news agency named as a public source",
}

# What is not checked for its script, and why (the unit tests of the checker pin each rule):
# - links, e-mail addresses and domains (mos.ru, GOV.UK, мвд.рф) are typed as written;
# - {name} placeholders of a UI template are filled in by the kiosk;
# - a term in brackets or quotes is the original term as the traveller will meet it on a
#   document, a sign or an app, given beside its translation: (zameldowanie), (трудовой
#   договор), “Госуслуги RuID”;
# - abbreviations of 2 to 6 capitals (EPS, GLAA, MOHRE, PIN, SMS), also with an ending in the
#   screen's script (GLAAга), and letter codes touching a digit or a hyphen (E-9, D-visa) are
#   written so in every language (the rule of the Uzbek Cyrillic transliteration too).
_TAG = re.compile(r"<[^>]+>")
_LINKS = re.compile(
    r"(?:https?://|tel:|mailto:)\S+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\w.])(?:www\.)?[^\W_][\w-]*(?:\.[\w-]+)*\.[^\W\d_]{2,}\b(?:/\S*)?"
)
_PLACEHOLDER = re.compile(r"\{\w+\}")
_GLOSS = re.compile(
    r"\([^()]*\)|“[^”]*”|«[^»]*»|„[^“”]*[“”]|\"[^\"]*\""
    # a search snippet cut inside a gloss: opened before its end, or closed after its start
    r"|[(«“„][^()«»“”„]*…$|^…[^()«»“”„]*[)»”]"
)
_APOSTROPHES = "ʻʼ'’‘`"
_WORD = re.compile(rf"[^\W\d_](?:[^\W\d_]|[{_APOSTROPHES}](?=[^\W\d_]))*")
_ABBREVIATION = re.compile(r"[A-ZÄÖÜİ]{2,6}(?:[а-яёңөүқғҳў]{1,5})?")


def plain(text: str) -> str:
    """A screen string as read: rich-text tags removed, entities decoded."""
    return html.unescape(_TAG.sub("", text))


_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_CYRILLIC = re.compile(r"[\u0400-\u052f]")


def script_of(word: str) -> str:
    """'Latn', 'Cyrl', 'mixed' or '' (no letter of either) for one word."""
    latin, cyrillic = bool(_LATIN.search(word)), bool(_CYRILLIC.search(word))
    if latin and cyrillic:
        return "mixed"
    return "Latn" if latin else "Cyrl" if cyrillic else ""


def _blank(pattern: re.Pattern[str], text: str) -> str:
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


@functools.cache
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    longest_first = sorted(names, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, longest_first)) + r")(?!\w)")


@functools.lru_cache(maxsize=200_000)
def _words(text: str, names: tuple[str, ...]) -> tuple[str, ...]:
    text = plain(text)
    for pattern in (_LINKS, _PLACEHOLDER, _GLOSS):
        text = _blank(pattern, text)
    if names:
        text = _blank(_names_pattern(names), text)
    found = []
    for m in _WORD.finditer(text):
        word = m.group(0)
        if not (_ABBREVIATION.fullmatch(word) or _letter_code(text, word, m.start())):
            found.append(word)
    return tuple(found)


def words(text: str, allowed: Mapping[str, str] = ALLOWED_LATIN) -> Iterator[str]:
    """The words of a shown string whose script matters: links, placeholders, glosses, the
    allowed names, abbreviations and letter codes left out."""
    yield from _words(text, tuple(sorted(allowed)))


def _letter_code(text: str, word: str, start: int) -> bool:
    """A letter code such as E-9 or D-visa's D: one or two capitals touching a digit or a
    hyphen."""
    if not (len(word) <= 2 and word.isupper()):
        return False
    before = text[start - 1 : start] if start else ""
    after = text[start + len(word) : start + len(word) + 1]
    return before == "-" or before.isdigit() or after == "-" or after.isdigit()


def script_problems(
    script: str, text: str, allowed: Mapping[str, str] = ALLOWED_LATIN
) -> list[str]:
    """The words of `text` in the wrong script for a screen written in `script` (Latn/Cyrl)."""
    return list(_script_problems(script, text, tuple(sorted(allowed))))


@functools.lru_cache(maxsize=200_000)
def _script_problems(script: str, text: str, names: tuple[str, ...]) -> tuple[str, ...]:
    wrong = "Cyrl" if script == "Latn" else "Latn"
    return tuple(w for w in _words(text, names) if script_of(w) in (wrong, "mixed"))


def same_by_nature(text: str, allowed: Mapping[str, str] = ALLOWED_LATIN) -> bool:
    """A string that reads the same in every language: numbers, links, punctuation, single
    letters (a keyboard's keys), allowed names, abbreviations and letter codes only."""
    return all(len(w) == 1 for w in words(text, allowed))


# --- what a screen shows ----------------------------------------------------------------

# Dataclasses naming a language in itself (its `id`), as the design asks of language buttons.
SELF_NAMED = frozenset({"LanguageChoice", "AttractLanguage"})


@dataclass(frozen=True)
class Shown:
    """One string a traveller sees: where (the field path in the screen's dataclass), the text
    and the language it should be in (the screen's, or a part's own, e.g. an invitation)."""

    where: str
    text: str
    lang: str


def visible_texts(value: Any, lang: str, where: str = "") -> Iterator[Shown]:
    """Every shown string of a screen dataclass (recursively), skipping HIDDEN_FIELDS.

    A dataclass with a `language` field (the attract screen's invitations) is in that language;
    a language's button (SELF_NAMED) is named in that language itself, by design.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        own = getattr(value, "language", "")
        if type(value).__name__ in SELF_NAMED:
            own = getattr(value, "id", "")
        if isinstance(own, str) and own:
            lang = own
        for f in dataclasses.fields(value):
            if f.name in HIDDEN_FIELDS:
                continue
            yield from visible_texts(getattr(value, f.name), lang, f"{where}.{f.name}".strip("."))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from visible_texts(item, lang, f"{where}[{i}]")
    elif isinstance(value, str) and value.strip():
        yield Shown(where, value, lang)


def english_copies(
    shown: list[Shown], english: list[Shown], allowed: Mapping[str, str] = ALLOWED_LATIN
) -> list[str]:
    """Strings shown in another language that equal the English screen's string at the same
    place (the same key), unless they read the same by nature. A string of the English screen
    that is in another language (a language's button, named in itself) is not English."""
    by_place = {s.where: s.text for s in english if s.lang == "en"}
    found = []
    for s in shown:
        if s.lang == "en":
            continue
        if by_place.get(s.where) == s.text and not same_by_nature(s.text, allowed):
            found.append(f"{s.where}: {s.text!r} is the English text")
    return found


# --- where each text came from -----------------------------------------------------------


@dataclass(frozen=True)
class Lookup:
    """One text looked up in the cache: asked for in `requested`, returned in `used`."""

    what: str
    requested: str
    used: str  # "" when the language lacks it (a UI key shown as the key itself)


class RecordedStrings(dict[str, str]):
    """A language's UI strings that write down each key read and the language it is in."""

    def __init__(
        self, lang: str, texts: dict[str, str], used: dict[str, str], log: list[Lookup]
    ) -> None:
        super().__init__(texts)
        self.lang = lang
        self._used = used
        self._log = log

    def _note(self, key: str) -> None:
        self._log.append(Lookup(f"ui {key}", self.lang, self._used.get(key, "")))

    def __getitem__(self, key: str) -> str:
        self._note(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self._note(key)
        return super().get(key, default)


class RecordingCache(ContentCache):
    """The kiosk's content cache, recording the language of every text it returns (`log`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.log: list[Lookup] = []

    def chains(self) -> dict[str, tuple[str, ...]]:
        """Each language's fallback chain as the cache was built with it."""
        return {
            lang: tuple(json.loads(chain))
            for lang, chain in self._conn.execute("SELECT id, chain FROM languages")
        }

    def _label_used(self, kind: str, item_id: str, lang: str) -> str:
        row = self._conn.execute(
            "SELECT language_used FROM labels WHERE kind = ? AND id = ? AND lang = ?",
            (kind, item_id, lang),
        ).fetchone()
        return "" if row is None else str(row[0])

    def _note_label(self, kind: str, item_id: str, lang: str) -> None:
        self.log.append(Lookup(f"{kind} {item_id}", lang, self._label_used(kind, item_id, lang)))

    def _note_contacts(self, contacts: list[ContactView], lang: str) -> None:
        for c in contacts:
            self._note_label("contact.name", c.id, lang)
            if c.hours:
                self._note_label("contact.hours", c.id, lang)
            if c.source:
                self._note_label("contact.source", c.id, lang)

    # the lookups the screens use

    def ui_strings(self, lang: str) -> dict[str, str]:
        texts = super().ui_strings(lang)
        used = dict(
            self._conn.execute("SELECT key, language_used FROM ui_strings WHERE lang = ?", (lang,))
        )
        return RecordedStrings(lang, texts, used, self.log)

    def _label(self, kind: str, item_id: str, lang: str) -> str:
        self._note_label(kind, item_id, lang)
        return super()._label(kind, item_id, lang)

    def airport(self, airport_id: str, lang: str) -> Any:
        view = super().airport(airport_id, lang)
        for d in view.destinations:
            self._note_label("destination", d.id, lang)
        return view

    def topics(self, lang: str) -> Any:
        views = super().topics(lang)
        for v in views:
            self._note_label("topic", v.id, lang)
        return views

    def article(self, dest_id: str, topic_id: str, lang: str) -> ArticleView:
        view = super().article(dest_id, topic_id, lang)
        for s in view.sections:
            self.log.append(Lookup(f"article {s.scope}/{topic_id}", lang, s.language))
        self._note_contacts(view.contacts, lang)
        return view

    def contacts(self, country_ids: list[str], lang: str) -> list[ContactView]:
        found = super().contacts(country_ids, lang)
        self._note_contacts(found, lang)
        return found

    def help_contacts(
        self, dest_id: str, home_country: str, lang: str, nationality: str = ""
    ) -> tuple[list[ContactView], list[ContactView]]:
        there, home = super().help_contacts(dest_id, home_country, lang, nationality)
        self._note_contacts(there + home, lang)
        return there, home

    def search(
        self,
        lang: str,
        query: str,
        limit: int = 20,
        *,
        dest: str | None = None,
        nationality: str = "",
    ) -> list[SearchHit]:
        hits = super().search(lang, query, limit, dest=dest, nationality=nationality)
        for h in hits:
            row = self._conn.execute(
                "SELECT language_used FROM articles WHERE scope = ? AND topic = ? AND lang = ?",
                (h.scope, h.topic, lang),
            ).fetchone()
            self.log.append(Lookup(f"search hit {h.scope}/{h.topic}", lang, row[0] if row else ""))
        return hits


def provenance_problems(
    log: list[Lookup],
    lang: str,
    chains: Mapping[str, tuple[str, ...]],
    *,
    multilingual: bool = False,
) -> list[str]:
    """Texts of a screen in `lang` from a language that is neither the one asked for nor in its
    fallback chain; with `multilingual` False (every screen but attract and the language
    choice), also texts asked for in another language than the screen's."""
    found = []
    for entry in log:
        if not multilingual and entry.requested != lang:
            found.append(f"{entry.what}: asked in {entry.requested} on a {lang} screen")
        if not entry.used:
            found.append(f"{entry.what}: missing in {entry.requested} (and its fallbacks)")
        elif entry.used not in chains[entry.requested]:
            found.append(
                f"{entry.what}: shown in {entry.used} to a reader of {entry.requested} "
                f"(fallbacks: {', '.join(chains[entry.requested][1:]) or 'none'})"
            )
    return found
