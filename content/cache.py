"""The read API of the kiosk's content cache (the file `content/build.py` writes).

The kiosk opens the cache read-only (`file:...?mode=ro`) and calls this API on every tap, so each
call is one or two indexed lookups. Fallbacks were resolved when the cache was built (see
`content/build.py`): a row for language X holds the text the kiosk shows to a reader of X and
`language` tells which language that text is actually in.
"""

from __future__ import annotations

import html
import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from content.migrations import SCHEMA_VERSION
from content.model import GENERAL_SCOPE, NO_EMERGENCY
from content.search_text import APOSTROPHES, search_fold

REQUIRED_META = (
    "schema_version",
    "content_version",
    "release_title",
    "is_sample",
    "source_hash",
    "summary",
)
# The oldest cache schema this code reads (a newer app may stop reading very old caches).
MIN_SCHEMA_VERSION = 2  # 2: each country's number to call in danger
MAX_QUERY_WORDS = 8
SNIPPET_CHARS = 140
_TAG = re.compile(r"<[^>]+>")


class CacheError(Exception):
    """The cache cannot be used: missing, unreadable, corrupt, or of a schema this code lacks."""


class NotFound(CacheError, LookupError):
    """An id (airport, language, destination, article) the cache does not hold."""


@dataclass(frozen=True)
class LanguageView:
    id: str
    name: str
    script: str


@dataclass(frozen=True)
class DestinationView:
    id: str
    name: str
    flag: str | None


@dataclass(frozen=True)
class AirportView:
    id: str
    country: str
    name: str
    languages: list[LanguageView]
    destinations: list[DestinationView]
    nationality: str = ""  # the travellers' nationality the airport implies


@dataclass(frozen=True)
class TopicView:
    id: str
    title: str
    icon: str


@dataclass(frozen=True)
class Block:
    kind: str  # heading | paragraph | bullets | numbers | image
    level: int
    text: str  # inline rich text: escaped, with <b>/<i> only (an image: its description)
    items: list[str] = field(default_factory=list)
    src: str = ""  # an image: its path in the release (`assets/...`, read it with `asset()`)
    only: list[str] = field(default_factory=list)  # nationalities it is for; [] everyone
    # per item (parallel to items, or [] when none has one): its nationalities and its picture
    # (a path inside assets/, "" none)
    item_only: list[list[str]] = field(default_factory=list)
    pictures: list[str] = field(default_factory=list)

    def item_picture(self, i: int) -> str:
        return self.pictures[i] if i < len(self.pictures) else ""


def applies(only: list[str] | tuple[str, ...], nationality: str) -> bool:
    """Whether a section or item marked for `only` is shown to a traveller of `nationality`
    (unmarked: everyone; no nationality known: everything)."""
    return not only or not nationality or nationality in only


def blocks_for(blocks: list[Block], nationality: str) -> list[Block]:
    """The blocks a traveller of `nationality` reads: sections and items marked for others
    left out, lists without an item left and headings with nothing left under them dropped."""
    kept: list[Block] = []
    for block in blocks:
        if not applies(block.only, nationality):
            continue
        if block.items and block.item_only:
            shown = [i for i in range(len(block.items)) if applies(block.item_only[i], nationality)]
            if not shown:
                continue
            block = replace(
                block,
                items=[block.items[i] for i in shown],
                item_only=[block.item_only[i] for i in shown],
                pictures=[block.item_picture(i) for i in shown] if block.pictures else [],
            )
        kept.append(block)
    return _without_empty_headings(kept)


def _without_empty_headings(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    for i, block in enumerate(blocks):
        if block.kind == "heading":
            rest = (b for b in blocks[i + 1 :])
            following = next(rest, None)
            while following is not None and following.kind == "heading":
                if following.level <= block.level:
                    break
                following = next(rest, None)
            if following is None or following.kind == "heading":
                continue  # nothing under it (only deeper headings, themselves dropped, or none)
        out.append(block)
    return out


def _block_from_json(b: dict[str, Any]) -> Block:
    return Block(
        b["kind"],
        b["level"],
        b["text"],
        b["items"],
        b["src"],
        b.get("only", []),
        b.get("item_only", []),
        b.get("pictures", []),
    )


@dataclass(frozen=True)
class LinkView:
    label: str
    url: str  # https:, tel:, a messenger address, or article:SCOPE/TOPIC


@dataclass(frozen=True)
class SectionView:
    scope: str  # GENERAL_SCOPE or the destination id
    title: str
    language: str  # the language the text is in (after fallback)
    blocks: list[Block]
    verified_on: str
    review_by: str
    source: str
    status: str
    generated: bool = False


@dataclass(frozen=True)
class ContactView:
    id: str
    kind: str
    country: str
    name: str
    phones: list[str]
    short: str | None
    url: str | None
    messengers: dict[str, str]
    hours: str | None
    languages: list[str]
    free: bool | None
    verified_on: str
    source: str
    status: str
    name_language: str = ""
    serves: list[str] = field(default_factory=list)  # nationalities it is for; [] everyone
    # How each of its numbers (phones and short) is printed, and those a phone abroad can
    # dial (content/phone_display.py); a number missing here is printed as stored.
    displays: dict[str, str] = field(default_factory=dict)
    abroad: frozenset[str] = frozenset()

    def display(self, number: str) -> str:
        return self.displays.get(number, number)


@dataclass(frozen=True)
class ArticleView:
    topic: str
    title: str
    sections: list[SectionView]
    contacts: list[ContactView]
    links: list[LinkView]


@dataclass(frozen=True)
class SearchHit:
    scope: str
    topic: str
    title: str
    snippet: str


class ContentCache:
    """A content cache opened read-only. Use `ContentCache.open(path)`.

    One connection; use it from one thread at a time (the kiosk's GUI thread).
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, meta: dict[str, str]) -> None:
        self._conn = conn
        self.path = path
        self.meta = meta
        self.schema_version = int(meta["schema_version"])
        self.content_version = int(meta["content_version"])
        self.release_title = meta["release_title"]
        self.is_sample = meta["is_sample"] == "1"
        self.built_from = meta["source_hash"]
        self._phones: dict[str, tuple[str, bool]] | None = None
        self._languages = {
            row[0]: (LanguageView(row[0], row[1], row[2]), row[3])
            for row in conn.execute(
                "SELECT id, name, script, search_table FROM languages ORDER BY position"
            )
        }

    @classmethod
    def open(cls, path: Path) -> ContentCache:
        path = Path(path)
        if not path.exists():
            raise CacheError(f"content cache {path} not found")
        if not path.is_file():
            raise CacheError(f"content cache {path} is not a file")
        uri = path.resolve().as_uri() + "?mode=ro"
        try:
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        except sqlite3.Error as exc:
            raise CacheError(f"content cache {path} cannot be opened: {exc}") from exc
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version > SCHEMA_VERSION:
                raise CacheError(
                    f"cache schema {version} is newer than this kiosk understands "
                    f"(max {SCHEMA_VERSION}): update the app ({path})"
                )
            if version == 0:
                raise CacheError(f"{path} is not a content cache (schema version 0)")
            if version < MIN_SCHEMA_VERSION:
                raise CacheError(
                    f"cache schema {version} is older than this kiosk reads "
                    f"(min {MIN_SCHEMA_VERSION}): rebuild the cache ({path})"
                )
            meta = dict(conn.execute("SELECT key, value FROM meta"))
            missing = [k for k in REQUIRED_META if k not in meta]
            if missing:
                raise CacheError(
                    f"content cache {path} is damaged: meta lacks {', '.join(missing)}"
                )
            if meta["schema_version"] != str(version):
                raise CacheError(
                    f"content cache {path} is damaged: meta says schema {meta['schema_version']}, "
                    f"file says {version}"
                )
            int(meta["content_version"])
            return cls(conn, path, meta)
        except CacheError:
            conn.close()
            raise
        except (sqlite3.Error, ValueError) as exc:
            conn.close()
            raise CacheError(
                f"content cache {path} is unreadable or corrupt (not a content cache file): {exc}"
            ) from exc

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> ContentCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def integrity_problems(self) -> list[str]:
        """Full `PRAGMA integrity_check` (reads the whole file); [] when the file is sound."""
        try:
            result = [str(r[0]) for r in self._conn.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as exc:
            return [str(exc)]
        return [] if result == ["ok"] else result

    # --- overview ----------------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        """The same summary `content build --json` prints."""
        summary: dict[str, Any] = json.loads(self.meta["summary"])
        return summary

    def languages(self) -> list[LanguageView]:
        return [view for view, _ in self._languages.values()]

    def fallback_chain(self, lang: str) -> tuple[str, ...]:
        """The lookup order for `lang` as built (itself, its fallbacks, English)."""
        row = self._conn.execute("SELECT chain FROM languages WHERE id = ?", (lang,)).fetchone()
        return tuple(json.loads(row[0])) if row else (lang, "en")

    def airports(self) -> list[str]:
        return [r[0] for r in self._conn.execute("SELECT id FROM airports ORDER BY position")]

    def airport(self, airport_id: str, lang: str) -> AirportView:
        self._check_language(lang)
        row = self._conn.execute(
            "SELECT country, languages, destinations, nationality FROM airports WHERE id = ?",
            (airport_id,),
        ).fetchone()
        if row is None:
            raise NotFound(f"airport {airport_id!r} is not in this content")
        languages = [self._languages[x][0] for x in json.loads(row[1]) if x in self._languages]
        order = json.loads(row[2])
        found = {
            r[0]: DestinationView(r[0], r[1] or r[0], r[2])
            for r in self._conn.execute(
                "SELECT d.id, l.text, d.flag FROM destinations d LEFT JOIN labels l "
                "ON l.kind = 'destination' AND l.id = d.id AND l.lang = ?",
                (lang,),
            )
        }
        destinations = [found.get(d, DestinationView(d, d, None)) for d in order]
        return AirportView(
            id=airport_id,
            country=row[0],
            name=self._label("airport", airport_id, lang),
            languages=languages,
            destinations=destinations,
            nationality=row[3] or row[0],
        )

    def topics(self, lang: str) -> list[TopicView]:
        self._check_language(lang)
        rows = self._conn.execute(
            "SELECT t.id, l.text, t.icon FROM topics t LEFT JOIN labels l "
            "ON l.kind = 'topic' AND l.id = t.id AND l.lang = ? ORDER BY t.position",
            (lang,),
        )
        return [TopicView(r[0], r[1] or r[0], r[2]) for r in rows]

    def home_countries(self, lang: str) -> list[DestinationView]:
        """The home countries of the content (`kind: home`), in its order, named in `lang`."""
        self._check_language(lang)
        rows = self._conn.execute(
            "SELECT d.id, l.text, d.flag FROM destinations d LEFT JOIN labels l "
            "ON l.kind = 'destination' AND l.id = d.id AND l.lang = ? "
            "WHERE d.kind = 'home' ORDER BY d.position",
            (lang,),
        )
        return [DestinationView(r[0], r[1] or r[0], r[2]) for r in rows]

    def destination_name(self, dest_id: str, lang: str) -> str:
        self._check_language(lang)
        return self._label("destination", dest_id, lang)

    def emergency_number(self, country_id: str) -> str:
        """The number to call in danger the country declares, "" when none is confirmed."""
        row = self._conn.execute(
            "SELECT emergency FROM destinations WHERE id = ?", (country_id,)
        ).fetchone()
        number = row[0] if row is not None else None
        return "" if number in (None, NO_EMERGENCY) else str(number)

    def ui_strings(self, lang: str) -> dict[str, str]:
        self._check_language(lang)
        return dict(
            self._conn.execute(
                "SELECT key, text FROM ui_strings WHERE lang = ? ORDER BY key", (lang,)
            )
        )

    def asset(self, path: str) -> bytes | None:
        """An asset's bytes by its path under assets/ (`flags/tr.svg` or `assets/flags/tr.svg`)."""
        path = path.removeprefix("assets/")
        row = self._conn.execute("SELECT data FROM assets WHERE path = ?", (path,)).fetchone()
        return None if row is None else bytes(row[0])

    def asset_paths(self, prefix: str = "") -> list[str]:
        """The paths of the assets under `prefix` (`audio/`: the listen buttons' audio)."""
        like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self._conn.execute(
            "SELECT path FROM assets WHERE path LIKE ? ESCAPE '\\' ORDER BY path", (like,)
        )
        return [r[0] for r in rows]

    # --- articles ------------------------------------------------------------------------

    def article(self, dest_id: str, topic_id: str, lang: str) -> ArticleView:
        """The topic for a destination: the general article, then the destination's own."""
        self._check_language(lang)
        rows = self._conn.execute(
            "SELECT t.scope, t.title, t.language, t.blocks, t.links, t.contacts, t.verified_on, "
            "t.review_by, t.source, t.status, t.generated FROM articles a "
            "JOIN article_texts t ON t.id = a.text_id "
            "WHERE a.topic = ? AND a.lang = ? AND a.scope IN (?, ?) "
            "ORDER BY a.scope = ? DESC",
            (topic_id, lang, GENERAL_SCOPE, dest_id, GENERAL_SCOPE),
        ).fetchall()
        if not rows:
            raise NotFound(f"no article on {topic_id!r} for {dest_id!r} in this content")
        sections = []
        contact_ids: list[str] = []
        links: list[LinkView] = []
        for r in rows:
            sections.append(
                SectionView(
                    scope=r[0],
                    title=r[1],
                    language=r[2],
                    blocks=[_block_from_json(b) for b in json.loads(r[3])],
                    verified_on=r[6],
                    review_by=r[7],
                    source=r[8],
                    status=r[9],
                    generated=bool(r[10]),
                )
            )
            for link in json.loads(r[4]):
                view = LinkView(link["label"], link["url"])
                if view not in links:
                    links.append(view)
            contact_ids.extend(c for c in json.loads(r[5]) if c not in contact_ids)
        return ArticleView(
            topic=topic_id,
            title=self._label("topic", topic_id, lang),
            sections=sections,
            contacts=self._contacts_by_id(contact_ids, lang),
            links=links,
        )

    # --- contacts ------------------------------------------------------------------------

    _CONTACT_SQL = (
        "SELECT c.id, c.kind, c.country, n.text, c.phones, c.short, c.url, c.messengers, h.text, "
        "c.languages, c.free, c.verified_on, s.text, c.status, n.language_used, c.serves "
        "FROM contacts c "
        "LEFT JOIN labels s ON s.kind = 'contact.source' AND s.id = c.id AND s.lang = :lang "
        "LEFT JOIN labels n ON n.kind = 'contact.name' AND n.id = c.id AND n.lang = :lang "
        "LEFT JOIN labels h ON h.kind = 'contact.hours' AND h.id = c.id AND h.lang = :lang "
    )

    def contacts(self, country_ids: list[str], lang: str) -> list[ContactView]:
        """Contacts located in any of these countries, emergency numbers first."""
        self._check_language(lang)
        wanted = set(country_ids)
        rows = self._conn.execute(
            self._CONTACT_SQL + "ORDER BY c.kind_order, c.position", {"lang": lang}
        )
        return [self._contact(r) for r in rows if r[2] in wanted]

    def help_contacts(
        self, dest_id: str, home_country: str, lang: str, nationality: str = ""
    ) -> tuple[list[ContactView], list[ContactView]]:
        """(contacts in the destination for people of `nationality`, contacts at home).

        A contact with a `serves` list is shown only to the nationalities it lists (an embassy
        of Uzbekistan in Moscow is not shown at Manas airport); `nationality` defaults to the
        home country. Contacts at home are seen from abroad (`seen_from_abroad`): only the
        numbers a phone there can dial.
        """
        nationality = nationality or home_country
        self._check_language(lang)
        rows = self._conn.execute(
            self._CONTACT_SQL
            + "WHERE c.country IN (:dest, :home) ORDER BY c.kind_order, c.position",
            {"lang": lang, "dest": dest_id, "home": home_country},
        ).fetchall()
        there, home = [], []
        for r in rows:
            serves = json.loads(r[15])
            if r[2] == dest_id and (not serves or nationality in serves):
                there.append(self._contact(r))
            elif r[2] == home_country and r[2] != dest_id and (not serves or dest_id in serves):
                reachable = seen_from_abroad(self._contact(r))
                if reachable is not None:
                    home.append(reachable)
        return there, home

    def _contacts_by_id(self, ids: list[str], lang: str) -> list[ContactView]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        sql = self._CONTACT_SQL.replace(":lang", "?") + f"WHERE c.id IN ({marks})"
        found = {r[0]: self._contact(r) for r in self._conn.execute(sql, (lang, lang, lang, *ids))}
        return [found[i] for i in ids if i in found]

    def _contact(self, r: tuple[Any, ...]) -> ContactView:
        phones: list[str] = json.loads(r[4])
        numbers = [*phones, r[5]] if r[5] else phones
        table = self._phone_table()
        return ContactView(
            id=r[0],
            kind=r[1],
            country=r[2],
            name=r[3] or r[0],
            phones=json.loads(r[4]),
            short=r[5],
            url=r[6],
            messengers=json.loads(r[7]),
            hours=r[8],
            languages=json.loads(r[9]),
            free=None if r[10] is None else bool(r[10]),
            verified_on=r[11],
            source=r[12] or "",
            status=r[13],
            name_language=r[14] or "",
            serves=json.loads(r[15]) if r[15] else [],
            displays={n: table[n][0] for n in numbers if n in table},
            abroad=frozenset(n for n in numbers if self.dialable_from_abroad(n)),
        )

    # --- phone numbers -------------------------------------------------------------------

    def phone_display(self, number: str) -> str:
        """`number` as printed on the kiosk (grouped as its country writes it; short numbers
        as they are). A cache of schema 2 has no such table: the number as stored."""
        found = self._phone_table().get(number)
        return number if found is None else found[0]

    def dialable_from_abroad(self, number: str) -> bool:
        """Whether a phone in another country can dial `number` (short numbers: never)."""
        found = self._phone_table().get(number)
        return number.startswith("+") if found is None else found[1]

    def _phone_table(self) -> dict[str, tuple[str, bool]]:
        if self._phones is None:
            rows: list[tuple[Any, ...]] = []
            if self.schema_version >= 3:
                rows = self._conn.execute(
                    "SELECT number, display, abroad FROM phone_numbers"
                ).fetchall()
            self._phones = {r[0]: (r[1], bool(r[2])) for r in rows}
        return self._phones

    # --- search --------------------------------------------------------------------------

    def search(
        self,
        lang: str,
        query: str,
        limit: int = 20,
        *,
        dest: str | None = None,
        nationality: str = "",
    ) -> list[SearchHit]:
        """Articles of this language matching every word of the query as a prefix.

        Results as you type: "reg" finds "registration". With `dest`, only the general articles
        and that destination's own are searched. With `nationality`, an article whose matches
        are all in sections or items marked for other nationalities is not found, and its
        snippet comes from what that traveller reads.
        """
        table = self._check_language(lang)
        words = _query_words(query)
        if not words or limit <= 0:
            return []
        match = " ".join('"' + w.replace('"', '""') + '"*' for w in words)
        scope_filter = ""
        params: list[Any] = [match]
        if dest is not None:
            scope_filter = "AND rowid IN (SELECT id FROM article_texts WHERE scope IN (?, ?)) "
            params += [GENERAL_SCOPE, dest]
        # some hits may be left out for the nationality: rank a few more than asked
        params.append(int(limit) * (3 if nationality else 1))
        marks = "t.nationalities" if self.schema_version >= 3 else "'[]'"
        # rank and cut inside the FTS table first, then fetch the texts of the hits only
        sql = (
            f"SELECT t.scope, t.topic, t.plain, t.title, t.blocks, {marks} FROM ("
            f"SELECT rowid AS id, bm25([{table}], 10.0, 1.0) AS score FROM [{table}] "
            f"WHERE [{table}] MATCH ? {scope_filter}ORDER BY score, rowid LIMIT ?"
            ") AS hit JOIN article_texts t ON t.id = hit.id ORDER BY hit.score, hit.id"
        )
        try:
            rows = self._conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            raise CacheError(f"search for {query!r} failed: {exc}") from exc
        hits: list[SearchHit] = []
        for scope, topic, plain, title, blocks, marked in rows:
            if nationality and json.loads(marked):
                shown = blocks_for([_block_from_json(b) for b in json.loads(blocks)], nationality)
                plain = "\n".join(plain_lines(shown))
                if not _matches_all(title + "\n" + plain, words):
                    continue
            hits.append(SearchHit(scope, topic, title, make_snippet(plain, words)))
        return hits[:limit]

    # --- everything shown -----------------------------------------------------------------

    def all_texts(self) -> Iterator[tuple[str, str]]:
        """(language, text) for every string the kiosk may show, for font coverage tests."""
        for view, _ in self._languages.values():
            yield view.id, view.name
        yield from self._conn.execute(
            "SELECT language_used, text FROM labels ORDER BY kind, id, lang"
        )
        yield from self._conn.execute(
            "SELECT language_used, text FROM ui_strings ORDER BY lang, key"
        )
        rows = self._conn.execute(
            "SELECT language, title, blocks, links, source FROM article_texts ORDER BY id"
        )
        for lang, title, blocks, links, source in rows:
            yield lang, title
            yield lang, source
            for b in json.loads(blocks):
                if b["text"]:
                    yield lang, b["text"]
                for item in b["items"]:
                    yield lang, item
            for link in json.loads(links):
                yield lang, link["label"]

    # --- helpers -------------------------------------------------------------------------

    def _check_language(self, lang: str) -> str:
        try:
            search_table: str = self._languages[lang][1]
        except KeyError:
            raise NotFound(f"language {lang!r} is not in this content") from None
        return search_table

    def _label(self, kind: str, item_id: str, lang: str) -> str:
        row = self._conn.execute(
            "SELECT text FROM labels WHERE kind = ? AND id = ? AND lang = ?", (kind, item_id, lang)
        ).fetchone()
        return item_id if row is None else row[0]


def plain_lines(blocks: list[Block]) -> Iterator[str]:
    """The blocks' texts as plain lines (tags removed, entities decoded), as search indexes."""
    for block in blocks:
        if block.text:
            yield html.unescape(_TAG.sub("", block.text))
        for item in block.items:
            yield html.unescape(_TAG.sub("", item))


def _matches_all(text: str, words: list[str]) -> bool:
    folded = text.translate(_FOLD)
    return all(_word_pattern(w).search(folded) for w in words)


def _query_words(query: str) -> list[str]:
    words = re.findall(r"\w+", search_fold(query))
    return words[:MAX_QUERY_WORDS]


class _FoldTable(dict[int, int]):
    """str.translate table folding one character to one character, like the FTS5 tokenizer:
    lower case, diacritics removed from Latin letters only, ё -> е. Filled as characters come."""

    def __missing__(self, code: int) -> int:
        ch = chr(code)
        if ch in "ёЁ":
            folded = "е"
        else:
            base = unicodedata.normalize("NFD", ch)[0] if code < 0x250 else ch
            folded = base.lower()[:1] or ch
        self[code] = ord(folded)
        return self[code]


_FOLD = _FoldTable()
_APOSTROPHE_CLASS = "[" + re.escape(APOSTROPHES) + "]*"


def _word_pattern(word: str) -> re.Pattern[str]:
    """A query word as a regex on folded text, at a word start, apostrophes allowed between."""
    letters = [re.escape(c) for c in word.translate(_FOLD) if c not in APOSTROPHES]
    return re.compile(r"(?<!\w)" + _APOSTROPHE_CLASS.join(letters))


def match_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Where the words of `query` match in `text` as search does (at a word start, folded, with
    apostrophes between letters allowed): sorted, non-overlapping (start, end) pairs."""
    folded = text.translate(_FOLD)
    spans: list[tuple[int, int]] = []
    for word in _query_words(query):
        spans += [m.span() for m in _word_pattern(word).finditer(folded) if m.end() > m.start()]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def make_snippet(text: str, words: list[str], width: int = SNIPPET_CHARS) -> str:
    """A piece of `text` around the first word that starts with one of `words`.

    The lines of the text (a heading, a paragraph, a list item) are joined with " — ", so a
    heading never runs into the text after it."""
    text = " — ".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
    folded = text.translate(_FOLD)  # same length as text: positions carry over
    start = 0
    best = None
    for word in words:
        m = _word_pattern(word).search(folded)
        if m and (best is None or m.start() < best):
            best = m.start()
    if best is not None:
        start = max(0, best - width // 3)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < best else start
    piece = text[start : start + width]
    end = start + len(piece)
    if end < len(text):
        cut = piece.rfind(" ")
        if cut > width // 2:
            piece = piece[:cut]
        piece += "…"
    return ("…" if start else "") + piece


def seen_from_abroad(contact: ContactView) -> ContactView | None:
    """A home-country contact as a person abroad can use it: only the numbers a phone abroad
    can dial (never a short home number like 103); None when it has numbers but none of them
    works from abroad (an ambulance at home). A contact with no number at all (a website) is
    kept as it is."""
    numbers = [*contact.phones, *([contact.short] if contact.short else [])]
    if not numbers:
        return contact
    phones = [n for n in contact.phones if n in contact.abroad]
    short = contact.short if contact.short and contact.short in contact.abroad else None
    if not phones and not short:
        return None
    return replace(contact, phones=phones, short=short)
