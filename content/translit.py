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
"""

from __future__ import annotations

import re
from collections.abc import Callable

OKINA = "\u02bb"  # ʻ  the sign of oʻ and gʻ
TUTUQ = "\u02bc"  # ʼ  the tutuq belgisi
APOSTROPHES = OKINA + TUTUQ + "'‘’`"

# Words kept exactly as written in both directions (abbreviations read in Latin letters).
KEEP: frozenset[str] = frozenset({"QR", "SMS", "ID", "PIN", "IOM", "ILO", "UN", "OK"})

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

# Spans never transliterated: {placeholders}, Markdown link targets, URLs and other addresses,
# e-mail addresses, domain names, phone numbers, HTML entities (&nbsp;). Everything between
# them is transliterated word by word.
_PROTECTED = re.compile(
    r"\{[^{}\s]*\}"
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


def latin_to_cyrillic(text: str) -> str:
    """Uzbek Latin -> Uzbek Cyrillic, leaving placeholders, links, URLs and numbers as they are."""
    return _outside_protected(text, lambda part: _LATIN_WORD.sub(_latin_word, part))


def cyrillic_to_latin(text: str) -> str:
    """Uzbek Cyrillic -> Uzbek Latin, leaving placeholders, links, URLs and numbers as they are."""
    return _outside_protected(text, lambda part: _CYRILLIC_WORD.sub(_cyrillic_word, part))


def _outside_protected(text: str, convert: Callable[[str], str]) -> str:
    out: list[str] = []
    pos = 0
    for match in _PROTECTED.finditer(text):
        out.append(convert(text[pos : match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(convert(text[pos:]))
    return "".join(out)


def _is_all_caps(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _apply_case(out: str, source: str, all_caps: bool) -> str:
    """Give `out` (lower case) the case of the `source` letters it was made from."""
    if not source or not source[0].isupper():
        return out
    if all_caps:
        return out.upper()
    return out[:1].upper() + out[1:]


# --- Latin -> Cyrillic -------------------------------------------------------------------------


def _latin_word(match: re.Match[str]) -> str:
    word = match.group(0)
    if word in KEEP or _is_foreign_latin(word):
        return word
    # One spelling of the apostrophe: ʻ after o/g (the letters oʻ, gʻ), ʼ elsewhere (tutuq).
    norm = "".join(
        (OKINA if i > 0 and word[i - 1] in "oOgG" else TUTUQ) if c in APOSTROPHES else c
        for i, c in enumerate(word)
    )
    lower = norm.lower()
    all_caps = _is_all_caps(word)
    out: list[str] = []
    start = 0
    for stem in sorted(LATIN_STEMS, key=len, reverse=True):
        if lower.startswith(stem) and (
            len(lower) == len(stem) or lower[len(stem)] not in APOSTROPHES
        ):
            out.append(_apply_case(LATIN_STEMS[stem], norm, all_caps))
            start = len(stem)
            break
    out.append(_latin_letters(norm, lower, start, all_caps))
    return "".join(out)


def _is_foreign_latin(word: str) -> bool:
    """Not Uzbek: letters outside the Uzbek alphabet (w, c without h, ä, ş, ý...)."""
    lower = word.lower()
    if re.search(rf"[^a-z{_APOS_CLASS}]", lower):
        return True
    return "w" in lower or re.search(r"c(?!h)", lower) is not None


def _latin_letters(norm: str, lower: str, i: int, all_caps: bool) -> str:  # noqa: C901
    out: list[str] = []
    n = len(lower)
    prev_vowel = i > 0 and (lower[i - 1] in _LATIN_VOWELS or lower[i - 1] == OKINA)
    at_start = i == 0

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


def _cyrillic_word(match: re.Match[str]) -> str:
    word = match.group(0)
    if word in KEEP:
        return word
    lower = word.lower()
    all_caps = _is_all_caps(word)
    out: list[str] = []
    start = 0
    for stem in sorted(CYRILLIC_STEMS, key=len, reverse=True):
        if lower.startswith(stem):
            out.append(_apply_case(CYRILLIC_STEMS[stem], word, all_caps))
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
