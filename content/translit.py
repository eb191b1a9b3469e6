"""Uzbek Latin <-> Cyrillic transliteration (the 1995 Latin alphabet).

Used to generate `uz-Cyrl` content from `uz` sources (and back). The letter correspondences:

    a а  b б  d д  e э/е  f ф  g г  h ҳ  i и  j ж  k к  l л  m м  n н  o о  p п  q қ  r р
    s с  t т  u у  v в  x х  y й  z з  oʻ ў  gʻ ғ  sh ш  ch ч  ʼ ъ
    yo ё  yu ю  ya я  ye е  ts ц

Context rules:

* Latin ``e`` is ``э`` at the start of a word and after a vowel, ``е`` elsewhere; Cyrillic ``е`` is
  ``ye`` at the start of a word and after a vowel (``ер`` = ``yer``, ``поезд`` = ``poyezd``).
* ``ye`` after a consonant is ``ъе`` (``obyekt`` = ``объект``); Cyrillic ``ъ`` before е/ё/ю/я is
  not written in Latin.
* ``ng`` is two letters (``ming`` = ``минг``). ``yoʻ`` is ``йў`` (``yoʻl`` = ``йўл``), not ``ё``.
* ``sʼh`` separates ``с`` and ``ҳ`` (``Isʼhoq`` = ``Исҳоқ``), where ``sh`` would be ``ш``.
* ``ц`` (Russian loanwords) is written ``s`` at the start of a word and after a consonant and
  ``ts`` after a vowel (``sirk``, ``konsert``, ``politsiya``), as the 1995 spelling rules say.
  Going back, ``ts`` is ``ц`` at the start of a word (``tsirk``, which many people still write)
  and before ``iya``/``ion``/``ial`` (``politsiya``, ``sotsial``), ``ksiya`` is ``кция``
  (``aksiya``, ``inspeksiya``); other ``ц`` words are listed in `LATIN_STEMS`. Everywhere else
  ``ts``/``s`` stay ``тс``/``с`` (``ketsa`` = ``кетса``).
* Capitals: ``Shahar`` = ``Шаҳар``, ``TOSHKENT`` = ``ТОШКЕНТ``, ``Ўзбекистон`` = ``Oʻzbekiston``,
  ``ШАҲАР`` = ``SHAHAR``.

For ``oʻ`` and ``gʻ`` the input may use any of ʻ ' ‘ ` ’ ʼ; the output always uses ʻ (U+02BB)
for ``oʻ``/``gʻ`` and ʼ (U+02BC) for the tutuq belgisi.

Text that is not Uzbek is left alone: ``{placeholders}``, link targets of Markdown links
(``](...)``), URLs, ``tel:``/``article:`` addresses, words containing letters the Uzbek Latin
alphabet does not have (``c`` without ``h``, ``w``, ``ä``, ``ş``...: ``WhatsApp``,
``Türkmençe``), and the words in `KEEP`.

Names and codes in Latin letters stay Latin (Latin -> Cyrillic only):

* **Abbreviations**: a word of 2 to 6 capital letters (``EPS``, ``MOHRE``, ``GOV.UK``) stays Latin,
  also before an Uzbek suffix (``GLAAga`` = ``GLAAга``), unless it is an Uzbek abbreviation
  (`UZBEK_ABBREVIATIONS`: ``BAA`` = ``БАА``) or a glossary word. Capitals are Uzbek text when
  the word is longer (``TOSHKENT``), has ʻ or ʼ (``OʻZ``) or stands in a line of capitals
  (``YORDAM KERAK``: two capital words next to each other are a heading, not abbreviations).
* **Letter codes**: one capital letter next to a digit or a hyphen (``E-9``), or a consonant
  alone (``D toifasi``), stays; a lone vowel is a word (``U`` = ``У``).
* **Foreign names**: a word is clearly foreign if it has letters Uzbek does not use (above), a
  capital after a small letter (``eVisa``, ``eGov``) or is ``e-`` before a capital (``e-Visa``).
  A run of capitalised words joined by spaces or hyphens that holds a clearly foreign word is kept
  whole (``Alien Registration Card``, ``Bundesagentur für Arbeit``, ``Skilled Worker``); so is a
  short small word between two kept words (``umowa o pracę``) and a whole gloss in brackets or
  quotes made only of words, one of them clearly foreign (``(Seasonal Worker visa)``).
* **The release's glossary** (`Glossary`, from ``translit.yaml``): ``keep`` phrases stay as written
  (``Hi Korea``, ``Make it in Germany``); ``words`` give Cyrillic stems the rules cannot know
  (``polsha`` -> ``польша``: ``Polshada`` = ``Польшада``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

OKINA = "\u02bb"  # ʻ  the sign of oʻ and gʻ
TUTUQ = "\u02bc"  # ʼ  the tutuq belgisi
APOSTROPHES = OKINA + TUTUQ + "'‘’`"

# Words kept exactly as written in both directions (abbreviations read in Latin letters).
KEEP: frozenset[str] = frozenset({"QR", "SMS", "ID", "PIN", "IOM", "ILO", "UN", "OK"})

# Uzbek abbreviations written in capitals, transliterated like words (BAA = БАА); every other word
# of 2 to 6 capitals is taken for a foreign abbreviation and kept in Latin letters.
UZBEK_ABBREVIATIONS: frozenset[str] = frozenset(
    {"BAA", "XMT", "TIV", "IIV", "OIV", "BMT", "AQSH", "MDH", "YXHBB", "FHDY", "DYHXX", "JSST"}
)
# Short Uzbek words never taken for part of a foreign phrase (``Mobilität va Türkmençe``).
UZBEK_SHORT_WORDS: frozenset[str] = frozenset(
    {"va", "yo", "u", "bu", "shu", "ham", "bir", "deb", "har", "biz", "siz", "men", "sen"}
    | {"ish", "yil", "kun", "oy", "uy", "bor", "yoʻq", "eng", "hech", "kim", "nima", "yoki"}
)
# Capital words up to this many letters may be abbreviations; longer ones are Uzbek words.
MAX_ABBREVIATION = 6

# Word stems whose spelling the letter rules cannot know (mostly ц and я in Russian loans).
# Latin stem (lower case, ʻ for oʻ/gʻ) -> Cyrillic stem. A word starting with a stem is written
# with the stem's spelling and its rest by the rules (``sentabrda`` = ``сентябрда``).
LATIN_STEMS: dict[str, str] = {
    "sentabr": "сентябр",
    "oktabr": "октябр",
    "sirk": "цирк",
    "sement": "цемент",
    "sentr": "центр",
    "konsert": "концерт",
    "stansiya": "станция",
    "fransiya": "франция",
    "litsey": "лицей",
    "rayon": "район",
    "funksiya": "функция",
    "litsenz": "лиценз",
    "retsept": "рецепт",
    "vaktsin": "вакцин",
    "protsent": "процент",
    "protsedur": "процедур",
    "spetsifik": "специфик",
}
# Cyrillic stem -> Latin stem, where the rules would spell it otherwise.
CYRILLIC_STEMS: dict[str, str] = {
    "сентябр": "sentabr",
    "октябр": "oktabr",
}


@dataclass(frozen=True)
class Glossary:
    """A release's own transliteration glossary (``translit.yaml``).

    `keep`: words or phrases left exactly as written (matched whole, case-sensitively, any run of
    spaces between words). `words`: Latin stem (small letters, ʻ for oʻ/gʻ) -> Cyrillic stem,
    used before `LATIN_STEMS` (and the other way round for Cyrillic -> Latin).
    """

    keep: tuple[str, ...] = ()
    words: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def latin_stems(self) -> tuple[tuple[str, str], ...]:
        """Every Latin stem, longest first (the glossary's win over the built-in ones)."""
        stems = {**LATIN_STEMS, **{_normalize(k).lower(): v for k, v in self.words.items()}}
        return tuple(sorted(stems.items(), key=lambda kv: -len(kv[0])))

    @cached_property
    def latin_stems_map(self) -> dict[str, str]:
        return dict(self.latin_stems)

    @cached_property
    def latin_stem_pattern(self) -> re.Pattern[str]:
        """Matches the longest stem at the start of a word (small letters), not before ʻ/ʼ."""
        alternatives = "|".join(re.escape(stem) for stem, _ in self.latin_stems)
        return re.compile(rf"(?:{alternatives})(?![{_APOS_CLASS}])")

    @cached_property
    def cyrillic_stems(self) -> tuple[tuple[str, str], ...]:
        stems = {
            **CYRILLIC_STEMS,
            **{v.lower(): _normalize(k).lower() for k, v in self.words.items()},
        }
        return tuple(sorted(stems.items(), key=lambda kv: -len(kv[0])))

    @cached_property
    def keep_pattern(self) -> re.Pattern[str] | None:
        """The `keep` phrases, longest first, each matched whole."""
        phrases = sorted({p.strip() for p in self.keep if p.strip()}, key=len, reverse=True)
        if not phrases:
            return None
        alternatives = "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases)
        return re.compile(rf"(?<![\w{_APOS_CLASS}])(?:{alternatives})(?![\w{_APOS_CLASS}])")


_LATIN_VOWELS = frozenset("aeiou")
_CYRILLIC_VOWELS = frozenset("аэиоуўеёюяы")

_LATIN_SIMPLE: dict[str, str] = {
    "a": "а",
    "b": "б",
    "d": "д",
    "f": "ф",
    "g": "г",
    "h": "ҳ",
    "i": "и",
    "j": "ж",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "o": "о",
    "p": "п",
    "q": "қ",
    "r": "р",
    "s": "с",
    "t": "т",
    "u": "у",
    "v": "в",
    "x": "х",
    "y": "й",
    "z": "з",
}
_CYRILLIC_SIMPLE: dict[str, str] = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "ж": "j",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "x",
    "ҳ": "h",
    "қ": "q",
    "ў": "o" + OKINA,
    "ғ": "g" + OKINA,
    "ш": "sh",
    "щ": "sh",
    "ч": "ch",
    "э": "e",
    "ё": "yo",
    "ю": "yu",
    "я": "ya",
    "ы": "i",
    "ь": "",
}

# Spans never transliterated: {placeholders}, article marks ({for=UZ picture=...}), Markdown
# link targets, URLs and other addresses, e-mail addresses, domain names, phone numbers, HTML
# entities (&nbsp;). Everything between them is transliterated word by word.
_PROTECTED = re.compile(
    r"\{[^{}\s]*\}"
    r"|\{[a-z]+=[^{}]*\}"
    r"|\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"
    r"|\b(?:https?|tel|article|mailto|tg|viber|whatsapp):[^\s)\]>]*"
    r"|[^\s@()<>]+@[^\s@()<>]+"
    r"|\b(?:[a-z0-9-]+\.)+[a-z]{2,6}\b(?:/[^\s)\]>]*)?"
    r"|\+\d[\d ]*"
    r"|&#?\w+;"
)
_APOS_CLASS = re.escape(APOSTROPHES)
_L = "A-Za-zÀ-ÖØ-öø-ɏ"  # Latin letters, also those Uzbek does not use (ä, ş, ý...)
_LATIN_WORD = re.compile(rf"[{_L}](?:[{_L}]|[{_APOS_CLASS}](?=[{_L}])|(?<=[oOgG])[{_APOS_CLASS}])*")
_CYRILLIC_LETTERS = "А-Яа-яЁёЎўҚқҒғҲҳ"
_CYRILLIC_WORD = re.compile(rf"[{_CYRILLIC_LETTERS}]+")


_NO_GLOSSARY = Glossary()


def latin_to_cyrillic(text: str, glossary: Glossary | None = None) -> str:
    """Uzbek Latin -> Uzbek Cyrillic, leaving placeholders, links, URLs, numbers, abbreviations
    and foreign names as they are (see the module's notes); `glossary`: the release's own."""
    g = glossary or _NO_GLOSSARY
    return _outside_protected(text, lambda part: _latin_part(part, g), _PROTECTED)


def cyrillic_to_latin(text: str, glossary: Glossary | None = None) -> str:
    """Uzbek Cyrillic -> Uzbek Latin, leaving placeholders, links, URLs and numbers as they are."""
    g = glossary or _NO_GLOSSARY
    return _outside_protected(
        text,
        lambda part: _CYRILLIC_WORD.sub(lambda m: _cyrillic_word(m, g), part),
        _PROTECTED,
    )


def _outside_protected(text: str, convert: Callable[[str], str], protected: re.Pattern[str]) -> str:
    out: list[str] = []
    pos = 0
    for match in protected.finditer(text):
        out.append(convert(text[pos : match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(convert(text[pos:]))
    return "".join(out)


def _is_all_caps(word: str) -> bool:
    """At least two letters, all capitals (the words here hold letters and apostrophes only)."""
    return word.isupper() and sum(c.isalpha() for c in word) >= 2


def _apply_case(out: str, source: str, all_caps: bool) -> str:
    """Give `out` (lower case) the case of the `source` letters it was made from."""
    if not source or not source[0].isupper():
        return out
    if all_caps:
        return out.upper()
    return out[:1].upper() + out[1:]


def _normalize(word: str) -> str:
    """One spelling of the apostrophe: ʻ after o/g (the letters oʻ, gʻ), ʼ elsewhere (tutuq)."""
    return "".join(
        (OKINA if i > 0 and word[i - 1] in "oOgG" else TUTUQ) if c in APOSTROPHES else c
        for i, c in enumerate(word)
    )


# --- Latin -> Cyrillic -------------------------------------------------------------------------

# Words joined into one phrase: one space (also no-break) or a hyphen between them.
_JOINER = re.compile(r"[ \u00a0-]")
# A gloss in brackets or quotes made only of words: "(Seasonal Worker visa)".
_GLOSS = re.compile(rf"[(“\"«]([{_L}{_APOS_CLASS}]+(?:[ \u00a0-][{_L}{_APOS_CLASS}]+)*)[)”\"»]")
_ABBREVIATION_WITH_SUFFIX = re.compile(rf"([A-Z]{{2,{MAX_ABBREVIATION}}})([a-z{_APOS_CLASS}]+)")


def _latin_part(part: str, glossary: Glossary) -> str:
    """Transliterate the words of a stretch of text, keeping names and codes (see the notes)."""
    words = list(_LATIN_WORD.finditer(part))
    if not words:
        return part
    n = len(words)
    texts = [m.group(0) for m in words]
    starts = [m.start() for m in words]
    caps = [_is_all_caps(w) for w in texts]
    # joined[i]: word i and word i+1 are one phrase (a space or a hyphen between them).
    joined = [
        _JOINER.fullmatch(part[words[i].end() : words[i + 1].start()]) is not None
        for i in range(n - 1)
    ]
    spaced = [part[words[i].end() : words[i + 1].start()] in (" ", "\u00a0") for i in range(n - 1)]
    foreign = [_is_foreign_latin(w) for w in texts]
    if glossary.keep_pattern is not None:  # the glossary's names count as foreign words
        for kept in glossary.keep_pattern.finditer(part):
            for i in _words_within(starts, kept.start(), kept.end()):
                foreign[i] = True
    for i in range(n - 1):  # e-Visa, e-Gov
        if (
            texts[i] == "e"
            and part[words[i].end()] == "-"
            and joined[i]
            and texts[i + 1][0].isupper()
        ):
            foreign[i] = foreign[i + 1] = True
    keep = [w in KEEP or f for w, f in zip(texts, foreign, strict=True)]

    # A run of capitalised words with a clearly foreign one is a foreign name; small words with
    # foreign letters may stand between two of its capitalised words (Bundesagentur für Arbeit).
    capitalised = [_capitalised_name_word(w) for w in texts]
    start = 0
    while start < n:
        end = start
        while capitalised[start] and end + 1 < n and joined[end]:
            if capitalised[end + 1]:
                end += 1
            elif (
                end + 2 < n
                and texts[end + 1].islower()
                and _is_foreign_latin(texts[end + 1])
                and joined[end + 1]
                and capitalised[end + 2]
            ):
                end += 2
            else:
                break
        run = range(start, end + 1)
        if end > start and any(foreign[i] for i in run):
            for i in run:
                keep[i] = True
        start = end + 1
    # A short small word between two kept words (umowa o pracę).
    for i in range(1, n - 1):
        if (
            keep[i - 1]
            and keep[i + 1]
            and joined[i - 1]
            and joined[i]
            and texts[i].islower()
            and len(texts[i]) <= 3
            and _normalize(texts[i]) not in UZBEK_SHORT_WORDS
        ):
            keep[i] = True
    # A gloss in brackets or quotes with a clearly foreign word is kept whole.
    for gloss in _GLOSS.finditer(part):
        inside = _words_within(starts, gloss.start(1), gloss.end(1))
        if any(foreign[i] for i in inside):
            for i in inside:
                keep[i] = True

    # Lines of capitals (headings) are Uzbek text, not abbreviations.
    heading = [False] * n
    for i in range(n - 1):
        if spaced[i] and caps[i] and caps[i + 1]:
            heading[i] = heading[i + 1] = True

    out: list[str] = []
    pos = 0
    for i, m in enumerate(words):
        out.append(part[pos : m.start()])
        pos = m.end()
        word = texts[i]
        if keep[i] or len(word) == 1 and word.isupper() and _is_letter_code(part, m):
            out.append(word)
        elif not heading[i] and (split := _abbreviation(word, glossary)) is not None:
            abbreviation, suffix = split
            out.append(abbreviation + _latin_word(suffix, glossary, at_start=False))
        else:
            out.append(_latin_word(word, glossary))
    out.append(part[pos:])
    return "".join(out)


def _words_within(starts: list[int], begin: int, end: int) -> range:
    """Indexes of the words starting in text[begin:end] (`starts`: the words' starts, sorted)."""
    return range(bisect_left(starts, begin), bisect_left(starts, end))


def _capitalised_name_word(word: str) -> bool:
    """May be a word of a foreign name: capitalised, and without what only Uzbek writes (ʻ, ʼ,
    q not before u)."""
    if not word[0].isupper() or _is_all_caps(word) or any(c in APOSTROPHES for c in word):
        return False
    return re.search(r"q(?!u)", word.lower()) is None


def _is_letter_code(part: str, m: re.Match[str]) -> bool:
    """A capital letter used as a code: next to a digit or hyphen (E-9), or a lone consonant (D)."""
    before = part[m.start() - 1] if m.start() > 0 else ""
    after = part[m.end()] if m.end() < len(part) else ""
    if before.isdigit() or after.isdigit() or "-" in (before, after):
        return True
    return m.group(0).lower() not in _LATIN_VOWELS


def _abbreviation(word: str, glossary: Glossary) -> tuple[str, str] | None:
    """(abbreviation, Uzbek suffix) if `word` is a foreign abbreviation kept in Latin letters."""
    if _is_all_caps(word):
        caps, suffix = word, ""
    elif match := _ABBREVIATION_WITH_SUFFIX.fullmatch(word):
        caps, suffix = match.group(1), match.group(2)
    else:
        return None
    if not caps.isascii() or not caps.isalpha() or len(caps) > MAX_ABBREVIATION:
        return None  # TOSHKENT, OʻZBEKISTON: Uzbek words in capitals
    if caps in UZBEK_ABBREVIATIONS or glossary.latin_stem_pattern.match(caps.lower()):
        return None
    return caps, suffix


def _latin_word(word: str, glossary: Glossary, *, at_start: bool = True) -> str:
    norm = _normalize(word)
    lower = norm.lower()
    all_caps = _is_all_caps(word)
    out: list[str] = []
    start = 0
    if at_start and (stem := glossary.latin_stem_pattern.match(lower)):
        out.append(_apply_case(glossary.latin_stems_map[stem.group(0)], norm, all_caps))
        start = stem.end()
    out.append(_latin_letters(norm, lower, start, all_caps, at_start=at_start))
    return "".join(out)


def _is_foreign_latin(word: str) -> bool:
    """Not Uzbek: letters outside the Uzbek alphabet (w, c without h, ä, ş, ý...), or a capital
    after a small letter (eVisa, WhatsApp)."""
    lower = word.lower()
    if re.search(rf"[^a-z{_APOS_CLASS}]", lower):
        return True
    if re.search(r"[a-z][A-Z]", word) and not _ABBREVIATION_WITH_SUFFIX.fullmatch(word):
        return True
    return "w" in lower or re.search(r"c(?!h)", lower) is not None


def _latin_letters(  # noqa: C901
    norm: str, lower: str, i: int, all_caps: bool, *, at_start: bool = True
) -> str:
    out: list[str] = []
    n = len(lower)
    prev_vowel = i > 0 and (lower[i - 1] in _LATIN_VOWELS or lower[i - 1] == OKINA)
    at_start = at_start and i == 0

    def emit(cyr: str, length: int, vowel: bool) -> None:
        nonlocal i, prev_vowel, at_start
        out.append(_apply_case(cyr, norm[i : i + length], all_caps))
        i += length
        prev_vowel = vowel
        at_start = False

    while i < n:
        c = lower[i]
        nxt = lower[i + 1] if i + 1 < n else ""
        pair = lower[i : i + 2]
        if c in "og" and nxt == OKINA:
            emit("ў" if c == "o" else "ғ", 2, c == "o")
        elif c == TUTUQ:
            # s'h keeps s and h apart (Isʼhoq = Исҳоқ); elsewhere it is the tutuq belgisi ъ.
            sep = i > 0 and lower[i - 1] == "s" and nxt == "h"
            emit("" if sep else "ъ", 1, prev_vowel if sep else False)
        elif pair == "yo" and lower[i + 2 : i + 3] == OKINA:
            emit("й", 1, False)  # yoʻl = йўл
        elif pair in ("yo", "yu", "ya"):
            emit({"yo": "ё", "yu": "ю", "ya": "я"}[pair], 2, True)
        elif pair == "ye":
            emit("е" if at_start or prev_vowel else "ъе", 2, True)
        elif pair == "sh":
            emit("ш", 2, False)
        elif pair == "ch":
            emit("ч", 2, False)
        elif pair == "ts" and (at_start or re.match(r"i(?:ya|on|al)", lower[i + 2 :])):
            emit("ц", 2, False)
        elif pair == "ks" and re.match(r"i(?:ya|on)", lower[i + 2 :]):
            emit("к", 1, False)
            emit("ц", 1, False)
        elif c == "e":
            emit("э" if at_start or prev_vowel else "е", 1, True)
        elif c in _LATIN_SIMPLE:
            emit(_LATIN_SIMPLE[c], 1, c in _LATIN_VOWELS)
        else:
            out.append(norm[i])
            i += 1
            at_start = False
            prev_vowel = False
    return "".join(out)


# --- Cyrillic -> Latin -------------------------------------------------------------------------


def _cyrillic_word(match: re.Match[str], glossary: Glossary) -> str:
    word = match.group(0)
    if word in KEEP:
        return word
    lower = word.lower()
    all_caps = _is_all_caps(word)
    out: list[str] = []
    start = 0
    for stem, latin in glossary.cyrillic_stems:
        if lower.startswith(stem):
            out.append(_apply_case(latin, word, all_caps))
            start = len(stem)
            break
    out.append(_cyrillic_letters(word, lower, start, all_caps))
    return "".join(out)


def _cyrillic_letters(word: str, lower: str, i: int, all_caps: bool) -> str:
    out: list[str] = []
    n = len(lower)
    while i < n:
        c = lower[i]
        prev = lower[i - 1] if i > 0 else ""
        nxt = lower[i + 1] if i + 1 < n else ""
        if c == "е":
            lat = "ye" if i == 0 or prev in _CYRILLIC_VOWELS or prev in "ъь" else "e"
        elif c == "ц":
            lat = "ts" if prev in _CYRILLIC_VOWELS else "s"
        elif c == "ъ":
            lat = "" if nxt in "еёюя" else TUTUQ
        elif c == "с" and nxt == "ҳ":
            lat = "s" + TUTUQ  # Исҳоқ = Isʼhoq
        else:
            lat = _CYRILLIC_SIMPLE.get(c, word[i])
        out.append(_apply_case(lat, word[i], all_caps))
        i += 1
    return "".join(out)
