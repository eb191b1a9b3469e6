"""Uzbek Latin <-> Cyrillic on real words, both directions and round trips."""

from __future__ import annotations

import pytest

from content.translit import Glossary, cyrillic_to_latin, latin_to_cyrillic

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


# --- Abbreviations, letter codes and foreign names (Latin -> Cyrillic) -------------------------


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("EPS orqali", "EPS орқали"),
        ("EPS-TOPIK imtihoni", "EPS-TOPIK имтиҳони"),
        ("MOHRE, GLAA, UKVI, PIP, SGK, KOK, KCIK", "MOHRE, GLAA, UKVI, PIP, SGK, KOK, KCIK"),
        ("**ALO 170** liniyasi", "**ALO 170** линияси"),
        ("GOV.UK saytida", "GOV.UK сайтида"),
        ("SIM karta", "SIM карта"),
        # an abbreviation with an Uzbek suffix: the suffix is written in Cyrillic
        ("MOHREga yoki **GLAA**ga", "MOHREга ёки **GLAA**га"),
        # Uzbek abbreviations are words
        ("BAAda, XMT, Oʻzbekiston TIV, OIV", "БААда, ХМТ, Ўзбекистон ТИВ, ОИВ"),
    ],
)
def test_foreign_abbreviations_stay_latin(latin: str, cyrillic: str) -> None:
    assert latin_to_cyrillic(latin) == cyrillic


def test_capitals_that_are_uzbek_words() -> None:
    # longer than an abbreviation, or with oʻ/gʻ, or a line of capitals: a heading, not codes
    assert latin_to_cyrillic("TOSHKENT") == "ТОШКЕНТ"
    assert latin_to_cyrillic("OʻZBEKISTON") == "ЎЗБЕКИСТОН"
    assert latin_to_cyrillic("YORDAM KERAK") == "ЁРДАМ КЕРАК"
    assert latin_to_cyrillic("## TOSHKENT VA SAMARQAND") == "## ТОШКЕНТ ВА САМАРҚАНД"
    # a short capital word alone may be an abbreviation: the glossary's `words` decide
    assert latin_to_cyrillic("YORDAM") == "YORDAM"
    assert latin_to_cyrillic("YORDAM", Glossary(words={"yordam": "ёрдам"})) == "ЁРДАМ"


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("**E-9 vizasi**", "**E-9 визаси**"),
        ("milliy viza (D toifasi)", "миллий виза (D тоифаси)"),
        ("C1 darajasi", "C1 даражаси"),
        ("U ishlaydi. A guruhi", "У ишлайди. А гуруҳи"),  # a lone vowel is a word
    ],
)
def test_letter_codes(latin: str, cyrillic: str) -> None:
    assert latin_to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("kartasi (Alien Registration Card) olish", "картаси (Alien Registration Card) олиш"),
        ("(Wage Protection System) orqali", "(Wage Protection System) орқали"),
        ("**National Minimum Wage** toʻlanadi", "**National Minimum Wage** тўланади"),
        ("Skilled Worker vizasining", "Skilled Worker визасининг"),
        ("(Bundesagentur für Arbeit) rozilik", "(Bundesagentur für Arbeit) розилик"),
        ("**Faire Mobilität** bilan", "**Faire Mobilität** билан"),
        # a gloss in brackets with a foreign word is kept whole, with its small words
        ("vizasi (Seasonal Worker visa).", "визаси (Seasonal Worker visa)."),
        ("shartnoma (umowa o pracę).", "шартнома (umowa o pracę)."),
        ("masalan, umowa o pracę yoki", "масалан, umowa o pracę ёки"),
        ("eVisa hisobi, e-Visa sayti, (eGov) orqali", "eVisa ҳисоби, e-Visa сайти, (eGov) орқали"),
    ],
)
def test_foreign_names_are_kept_whole(latin: str, cyrillic: str) -> None:
    assert latin_to_cyrillic(latin) == cyrillic


def test_uzbek_words_next_to_foreign_names_are_transliterated() -> None:
    # Uzbek short words between foreign ones, capitalised Uzbek words before a foreign name,
    # Uzbek words in a bracket with punctuation
    assert latin_to_cyrillic("Mobilität va Türkmençe") == "Mobilität ва Türkmençe"
    assert latin_to_cyrillic("Rasmiy e-Visa sayti") == "Расмий e-Visa сайти"
    assert latin_to_cyrillic("Qoʻngʻiroq Wohnungsgeber") == "Қўнғироқ Wohnungsgeber"
    assert latin_to_cyrillic("(masalan, umowa zlecenie)") == "(масалан, umowa zlecenie)"
    assert latin_to_cyrillic("Oʻzbekiston va WhatsApp") == "Ўзбекистон ва WhatsApp"
    # capitalised words without a clearly foreign one are Uzbek (or need the glossary)
    assert latin_to_cyrillic("Buyuk Britaniya") == "Буюк Британия"
    assert latin_to_cyrillic("Hi Korea portali") == "Ҳи Кореа портали"


SAMPLE_GLOSSARY = Glossary(
    keep=("Hi Korea", "Make it in Germany", "Emirates ID", "Russian", "Uzbek"),
    words={"polsha": "польша"},
)


def test_glossary_keep_phrases() -> None:
    g = SAMPLE_GLOSSARY
    assert latin_to_cyrillic("uni Hi Korea portalida", g) == "уни Hi Korea порталида"
    assert latin_to_cyrillic("“Make it in Germany” portali", g) == "“Make it in Germany” портали"
    assert latin_to_cyrillic("Emirates ID\nkartangiz", g) == "Emirates ID\nкартангиз"
    assert latin_to_cyrillic("“Russian” yoki “Uzbek”", g) == "“Russian” ёки “Uzbek”"
    # matched whole and case-sensitively: a word that only starts like a phrase is converted
    assert latin_to_cyrillic("Uzbekcha, uzbek", g) == "Узбекча, узбек"


def test_glossary_words_with_case_and_suffixes() -> None:
    g = SAMPLE_GLOSSARY
    assert latin_to_cyrillic("Polsha, Polshada, Polshaga, polshalik", g) == (
        "Польша, Польшада, Польшага, польшалик"
    )
    assert latin_to_cyrillic("POLSHA", g) == "ПОЛЬША"
    assert latin_to_cyrillic("Polsha") == "Полша"  # without the glossary: the letter rules
    assert cyrillic_to_latin("Польшада", g) == "Polshada"
    # a glossary stem wins over a built-in one
    assert latin_to_cyrillic("sentabr", Glossary(words={"sentabr": "сентабр"})) == "сентабр"
