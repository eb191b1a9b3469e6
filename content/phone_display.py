"""Phone numbers as travellers read them, decided when the cache is built (Qt-free).

The sources keep numbers in E.164 (`+448000121700`) or as short numbers dialled as they are
(`112`, `1345`). On a kiosk a number is printed grouped the way its country writes it in
international form (`+44 800 012 1700`, `+7 495 230-00-54`), using `phonenumbers` (Google's
libphonenumber metadata); `tel:` codes and vCard TEL values keep E.164. Short numbers are
printed as they are.

Whether a number can be dialled from another country also comes from that metadata: the
"save all numbers" vCard of a destination keeps a home-country number only if it is an E.164
number callable from abroad (kiosk/screens/cards.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers

_E164 = re.compile(r"\+[1-9][0-9]{3,14}")


@dataclass(frozen=True)
class PhoneDisplay:
    number: str  # as in the sources: E.164 or a short number
    display: str  # printed beside its QR code, on cards and in the help banner
    abroad: bool  # can be dialled from another country (short numbers never)


def phone_display(number: str) -> PhoneDisplay:
    """How `number` is printed, and whether a phone abroad can dial it."""
    if not _E164.fullmatch(number):
        return PhoneDisplay(number, number, False)
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return PhoneDisplay(number, number, True)
    if not phonenumbers.is_possible_number(parsed):
        return PhoneDisplay(number, number, True)
    display = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return PhoneDisplay(number, display, phonenumbers.can_be_internationally_dialled(parsed))


def phone_rows(numbers: Iterable[str]) -> list[dict[str, object]]:
    """Rows of the cache's `phone_numbers` table: each number once, sorted."""
    rows = []
    for number in sorted({n.strip() for n in numbers if n and n.strip()}):
        shown = phone_display(number)
        rows.append({"number": number, "display": shown.display, "abroad": int(shown.abroad)})
    return rows
