"""The traveller's nationality: the chip that names it and the short list that changes it.

The airport implies a nationality (`Place.nationality`: UZ at Tashkent, KG at Manas); a person
of another one changes it in one tap. The choices are the content's home countries
(`destinations.yaml`, `kind: home`), the airport's own first, named in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from content.cache import ContentCache
from kiosk.screens.help import help_qr_payloads
from kiosk.screens.place import Place, asset_url
from kiosk.screens.text import Strings, t


@dataclass(frozen=True)
class NationalityOption:
    id: str
    name: str
    flag: str  # image URL, "" when the content has no flag for it
    selected: bool


@dataclass(frozen=True)
class NationalityView:
    current: str = ""  # the nationality the screens are built for
    label: str = ""  # "Citizen of Uzbekistan"
    flag: str = ""
    change: str = ""  # the chip's call to action
    title: str = ""  # the question above the list
    hint: str = ""
    cancel: str = ""
    options: tuple[NationalityOption, ...] = ()  # fewer than two: nothing to choose, no chip


def with_nationality(place: Place, nationality: str) -> Place:
    """`place` as seen by a person of `nationality` ("": the one the airport implies)."""
    if not nationality or nationality == place.nationality:
        return place
    return replace(place, nationality=nationality)


def nationality_ids(cache: ContentCache, place: Place) -> list[str]:
    """The nationalities a person can choose at this airport, its own first."""
    ids = [c.id for c in cache.home_countries(place.default_language)]
    return [place.nationality] + [x for x in ids if x != place.nationality]


def help_qr_payloads_for_all(cache: ContentCache, airport_place: Place) -> list[str]:
    """The QR payloads of this airport's help screens for every nationality a person can choose
    (prepared while the kiosk waits, so a changed nationality does not wait for its codes)."""
    payloads = (
        payload
        for nationality in nationality_ids(cache, airport_place)
        for payload in help_qr_payloads(cache, with_nationality(airport_place, nationality))
    )
    return list(dict.fromkeys(payloads))


def build_nationality(
    cache: ContentCache, airport_place: Place, nationality: str, lang: str, strings: Strings
) -> NationalityView:
    """`airport_place`: the airport's own Place; `nationality`: the person's choice ("": none)."""
    current = nationality or airport_place.nationality
    countries = {c.id: c for c in cache.home_countries(lang)}
    options = []
    for ident in nationality_ids(cache, airport_place):
        country = countries.get(ident)
        name = country.name if country else cache.destination_name(ident, lang)
        flag = asset_url(cache, country.flag) if country else ""
        options.append(NationalityOption(ident, name, flag, ident == current))
    chosen = next(o for o in options if o.selected)
    return NationalityView(
        current=current,
        label=t(strings, "nationality.current", country=chosen.name),
        flag=chosen.flag,
        change=t(strings, "nationality.change"),
        title=t(strings, "nationality.choose"),
        hint=t(strings, "nationality.hint"),
        cancel=t(strings, "nationality.cancel"),
        options=tuple(options),
    )
