"""Uzbek Latin <-> Cyrillic on real words, both directions and round trips."""

from __future__ import annotations

import pytest

from content.translit import cyrillic_to_latin, latin_to_cyrillic

# (Latin as written in the 1995 alphabet, Cyrillic): each pair holds in both directions.
WORDS: list[tuple[str, str]] = [
    ("Oʻzbekiston", "Ўзбекистон"),
    ("gʻalla", "ғалла"),
    ("shahar", "шаҳар"),
    ("Shahar", "Шаҳар"),
    ("choy", "чой"),
    ("ming", "минг"),
    ("yer", "ер"),
    ("Yevropa", "Европа"),
    ("ekin", "экин"),
    ("sentabr", "сентябр"),
    ("oktabr", "октябр"),
    ("sirk", "цирк"),
    ("maʼlumot", "маълумот"),
    ("taʼlim", "таълим"),
    ("Toshkent", "Тошкент"),
    ("TOSHKENT", "ТОШКЕНТ"),
    ("telefon", "телефон"),
    ("yordam", "ёрдам"),
    ("yuk", "юк"),
    ("yaxshi", "яхши"),
    ("yoʻl", "йўл"),
    ("Isʼhoq", "Исҳоқ"),
    ("politsiya", "полиция"),
    ("migratsiya", "миграция"),
    ("stansiya", "станция"),
    ("konsert", "концерт"),
    ("ketsa", "кетса"),
    ("obyekt", "объект"),
    ("poyezd", "поезд"),
    ("shoir", "шоир"),
    ("togʻ", "тоғ"),
    ("Qozogʻiston", "Қозоғистон"),
    ("kelyapti", "келяпти"),
    ("pensiya", "пенсия"),
    ("Rossiya", "Россия"),
    ("ishonch", "ишонч"),
    ("xorijda", "хорижда"),
    ("hujjat", "ҳужжат"),
    ("pasport", "паспорт"),
    ("elchixona", "элчихона"),
    ("soat", "соат"),
    ("inspeksiya", "инспекция"),
    ("litsenziyasini", "лицензиясини"),
    ("retsept", "рецепт"),
    ("OʻZBEKISTON", "ЎЗБЕКИСТОН"),
    ("Gʻafur Gʻulom", "Ғафур Ғулом"),
    ("Chorshanba", "Чоршанба"),
]


@pytest.mark.parametrize(("latin", "cyrillic"), WORDS)
def test_latin_to_cyrillic(latin: str, cyrillic: str) -> None:
    assert latin_to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize(("latin", "cyrillic"), WORDS)
def test_cyrillic_to_latin(latin: str, cyrillic: str) -> None:
    assert cyrillic_to_latin(cyrillic) == latin


@pytest.mark.parametrize(("latin", "cyrillic"), WORDS)
def test_round_trips(latin: str, cyrillic: str) -> None:
    assert cyrillic_to_latin(latin_to_cyrillic(latin)) == latin
    assert latin_to_cyrillic(cyrillic_to_latin(cyrillic)) == cyrillic


@pytest.mark.parametrize(
    "written", ["O'zbekiston", "O‘zbekiston", "O`zbekiston", "O’zbekiston", "Oʼzbekiston"]
)
def test_apostrophe_variants_of_o_and_g(written: str) -> None:
    assert latin_to_cyrillic(written) == "Ўзбекистон"
    assert latin_to_cyrillic(written.replace("O", "g").replace("zbekiston", "alla")) == "ғалла"


def test_tutuq_with_ascii_apostrophe() -> None:
    assert latin_to_cyrillic("ma'lumot") == "маълумот"
    assert latin_to_cyrillic("Is'hoq") == "Исҳоқ"


def test_ts_written_at_the_start_of_a_word() -> None:
    # Many people still write tsirk; the 1995 rules write sirk (ц is s at the start of a word).
    assert latin_to_cyrillic("tsirk") == "цирк"
    assert latin_to_cyrillic("Tsirkda") == "Циркда"
    assert cyrillic_to_latin("цирк") == "sirk"


def test_word_stems_keep_their_suffixes() -> None:
    assert latin_to_cyrillic("sentabrda") == "сентябрда"
    assert cyrillic_to_latin("сентябрда") == "sentabrda"
    assert latin_to_cyrillic("politsiyaga") == "полицияга"


def test_sentence_with_capitals_and_punctuation() -> None:
    latin = "Yordam kerakmi? Elchixonaga qoʻngʻiroq qiling: bepul, 24 soat."
    cyrillic = "Ёрдам керакми? Элчихонага қўнғироқ қилинг: бепул, 24 соат."
    assert latin_to_cyrillic(latin) == cyrillic
    assert cyrillic_to_latin(cyrillic) == latin


def test_markdown_links_placeholders_urls_and_numbers_are_kept() -> None:
    latin = (
        "## Yordam\n\n- **Politsiya**: [qoʻngʻiroq qiling](tel:+74951234567)\n"
        "- [Rasmiy sayt](https://example.org/shahar) yoki example.org/yordam\n"
        "- {country} uchun: +998 71 200 00 00, [maqola](article:general/warning-signs)\n"
    )
    cyrillic = latin_to_cyrillic(latin)
    assert cyrillic == (
        "## Ёрдам\n\n- **Полиция**: [қўнғироқ қилинг](tel:+74951234567)\n"
        "- [Расмий сайт](https://example.org/shahar) ёки example.org/yordam\n"
        "- {country} учун: +998 71 200 00 00, [мақола](article:general/warning-signs)\n"
    )
    assert cyrillic_to_latin(cyrillic) == latin


def test_html_entities_and_emails_are_kept() -> None:
    assert latin_to_cyrillic("soat&nbsp;9 info@example.org") == "соат&nbsp;9 info@example.org"


def test_foreign_words_are_kept() -> None:
    assert latin_to_cyrillic("WhatsApp yoki Telegram") == "WhatsApp ёки Телеграм"
    assert latin_to_cyrillic("QR kodni skanerlang") == "QR кодни сканерланг"
    assert latin_to_cyrillic("Mobilität va Türkmençe") == "Mobilität ва Türkmençe"


def test_text_in_other_scripts_is_unchanged() -> None:
    assert latin_to_cyrillic("Москва 2026") == "Москва 2026"
    assert cyrillic_to_latin("Toshkent 2026") == "Toshkent 2026"


def test_e_after_a_vowel() -> None:
    assert latin_to_cyrillic("poeziya") == "поэзия"
    assert cyrillic_to_latin("поэзия") == "poeziya"
