"""The content checker: every problem of a source folder, with file, line and plain words.

Plan, then apply: `validate_source` only produces a `Report` (plain data); the CLI prints it and
the builder refuses to build while it holds an error. Errors stop publishing; warnings (a missing
translation that falls back, content past its review date) do not.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from content.audio_check import check_recordings
from content.model import (
    CONTACT_KINDS,
    DESTINATION_SPECIFIC_TOPICS,
    FINAL_FALLBACK,
    GENERAL_SCOPE,
    NO_EMERGENCY,
    STATUSES,
    TOPIC_IDS,
    Content,
    Destination,
    Language,
    Localized,
    fallback_chain,
)
from content.problems import Report
from content.source import SourceTree, read_source
from content.yaml_lines import Where

# The UI keys the kiosk uses: every one must be in ui/en.yaml (the last fallback).
REQUIRED_UI_KEYS: tuple[str, ...] = (
    "attract.title",
    "attract.subtitle",
    "attract.touch_to_start",
    "language.choose",
    "nav.home",
    "nav.back",
    "nav.help",
    "nav.language",
    "nav.text_normal",
    "nav.text_large",
    "home.title",
    "home.get_help_now",
    "home.before_you_go",
    "home.search",
    "destination.choose_topic",
    "nationality.current",
    "nationality.change",
    "nationality.choose",
    "nationality.hint",
    "nationality.cancel",
    "article.scan_hint",
    "article.verified_on",
    "article.source",
    "article.sample_notice",
    "article.contacts",
    "article.links",
    "article.general",
    "article.country_specific",
    "help.title",
    "help.destination_contacts",
    "help.home_contacts",
    "help.save_all",
    "help.save_all_hint",
    "help.save_all_parts_hint",
    "help.vcard_part",
    "help.vcard_name",
    "help.free_call",
    "help.hours",
    "help.languages",
    "help.in_danger",
    "help.no_emergency",
    "home.no_emergency",
    "help.no_number_site",
    "help.no_number",
    "contact.kind.emergency",
    "contact.kind.hotline",
    "contact.kind.embassy",
    "contact.kind.consulate",
    "contact.kind.ngo",
    "contact.kind.police",
    "search.title",
    "search.placeholder",
    "search.no_results",
    "search.results",
    "keyboard.space",
    "keyboard.clear",
    "idle.still_there",
    "idle.countdown",
    "idle.continue",
    "idle.finish",
    "checklist.title",
    "checklist.hint",
    "maintenance.title",
    "maintenance.pin",
    "maintenance.kiosk_id",
    "maintenance.airport",
    "maintenance.content_version",
    "maintenance.content_date",
    "maintenance.content_source",
    "maintenance.content_installed",
    "maintenance.content_fallback",
    "maintenance.content_file",
    "maintenance.last_sync",
    "maintenance.never",
    "maintenance.app_version",
    "maintenance.free_disk",
    "maintenance.screen_size",
    "maintenance.close",
)

# UI keys the kiosk reads when present and does without otherwise: `language.name.<id>` names a
# language in the reader's language (else the language is shown by its own name).
OPTIONAL_UI_KEY_PREFIXES: tuple[str, ...] = ("language.name.",)

# How many characters fit on the screen in large text. UI keys: the first matching entry
# (an exact key, a prefix ending in ".", or "" for every other key) gives the limit.
UI_TEXT_LIMITS: tuple[tuple[str, int], ...] = (
    ("nav.", 28),
    ("home.title", 48),
    ("home.no_emergency", 160),  # a sentence under the help button, wraps
    ("home.", 28),
    ("idle.continue", 28),
    ("idle.finish", 28),
    ("contact.kind.", 28),
    ("keyboard.", 16),
    ("help.free_call", 28),
    ("help.save_all", 40),
    ("search.title", 28),
    ("attract.title", 60),
    ("", 160),
)
TEXT_LIMITS: dict[str, int] = {
    "article title": 80,
    "topic title": 32,
    "destination name": 40,
    "airport name": 80,
    "contact name": 120,
    "source label": 80,
}


def limits_markdown() -> str:
    """The length limits as the Markdown table of content/README.md (a test keeps them equal)."""
    rows = ["| text | at most (characters) |", "| --- | --- |"]
    for what, limit in TEXT_LIMITS.items():
        rows.append(f"| {what[0].upper()}{what[1:]} | {limit} |")
    for entry, limit in UI_TEXT_LIMITS:
        if entry == "":
            what = "Every other UI text"
        elif entry.endswith("."):
            what = f"UI texts whose key starts with `{entry}`"
        else:
            what = f"UI text `{entry}`"
        rows.append(f"| {what} | {limit} |")
    return "\n".join(rows)


def ui_text_limit(key: str) -> int:
    """The most characters the UI text `key` may have (see UI_TEXT_LIMITS)."""
    for entry, limit in UI_TEXT_LIMITS:
        if key == entry or entry == "" or (entry.endswith(".") and key.startswith(entry)):
            return limit
    raise AssertionError("UI_TEXT_LIMITS ends with a catch-all entry")


LANGUAGE_ID = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?$")
SCRIPT_ID = re.compile(r"^[A-Z][a-z]{3}$")
AIRPORT_ID = re.compile(r"^[A-Z]{3}$")
COUNTRY_ID = re.compile(r"^[A-Z]{2}$")
CONTACT_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
E164 = re.compile(r"^\+[1-9]\d{6,14}$")
SHORT_NUMBER = re.compile(r"^\d{2,6}$")
HTTPS_URL = re.compile(r"^https://[^\s/]+\.[^\s/]+(?:/\S*)?$")
MESSENGER_URL = re.compile(r"^(?:https://[^\s/]+\.[^\s/]+(?:/\S*)?|(?:tg|viber|whatsapp):\S+)$")
PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")


def validate_source(
    src_dir: Path, *, production: bool = False, today: date | None = None
) -> Report:
    """Every problem of the source folder at once (an empty report: ready to build)."""
    report = Report()
    if not Path(src_dir).is_dir():
        report.error(str(src_dir), 1, "there is no folder of content sources here")
        return report
    tree = read_source(Path(src_dir), report)
    check_tree(tree, report, production=production, today=today or date.today())
    check_recordings(
        Path(src_dir),
        [x.id for x in tree.content.languages],
        report,
        content=tree.content,
    )
    return report


def check_tree(tree: SourceTree, report: Report, *, production: bool, today: date) -> None:
    """Cross-checks of everything read: ids, references, dates, lengths, coverage."""
    _Checker(tree, report, production, today).run()


class _Checker:
    def __init__(self, tree: SourceTree, report: Report, production: bool, today: date) -> None:
        self.tree, self.report, self.production, self.today = tree, report, production, today
        self.c: Content = tree.content
        self.where: Where = tree.where
        self.languages = {x.id: x for x in self.c.languages}
        self.destinations = {x.id: x for x in self.c.destinations}
        self.contacts = {x.id: x for x in self.c.contacts}
        self.offered: dict[str, list[str]] = {}  # language -> airports offering it
        for airport in self.c.airports:
            for lang in airport.languages:
                self.offered.setdefault(lang, []).append(airport.id)

    def error(self, place: tuple[str, int], message: str) -> None:
        self.report.error(place[0], place[1], message)

    def warning(self, place: tuple[str, int], message: str) -> None:
        self.report.warning(place[0], place[1], message)

    def run(self) -> None:
        self.check_languages()
        self.check_destinations()
        self.check_topics()
        self.check_airports()
        self.check_contacts()
        self.check_ui()
        self.check_articles()
        self.check_coverage()

    # --- helpers ---------------------------------------------------------------------------------

    def readable(self, file: str) -> bool:
        return file not in self.tree.unreadable

    def chain(self, lang: str) -> tuple[str, ...]:
        """The fallback rule of `content.model.fallback_chain` (an unknown language: English)."""
        return fallback_chain(self.languages.get(lang) or Language(lang, lang, ""))

    def language_ref(self, lang: str, place: tuple[str, int], what: str) -> None:
        if lang not in self.languages and "languages.yaml" not in self.tree.unreadable:
            known = ", ".join(self.languages) or "none"
            self.error(place, f"unknown language {lang!r} in {what} (languages.yaml has: {known})")

    def localized(
        self,
        texts: Localized,
        key: tuple[Any, ...],
        what: str,
        limit_name: str | None = None,
        warn_missing: bool = True,
    ) -> None:
        place = self.where(*key)
        for lang, text in texts.items():
            sub = self.where(*key, lang)
            if lang not in self.languages:
                self.language_ref(lang, sub, what)
            if limit_name and len(text) > TEXT_LIMITS[limit_name]:
                self.error(
                    sub,
                    f"the {limit_name} {text!r} is {len(text)} characters long; at most "
                    f"{TEXT_LIMITS[limit_name]} fit on the screen",
                )
        if FINAL_FALLBACK not in texts:
            self.error(place, f"{what} has no English ({FINAL_FALLBACK}) text, the last fallback")
            return
        for lang in self.offered if warn_missing and self.readable("languages.yaml") else ():
            if lang in texts:
                continue
            used = next((x for x in self.chain(lang) if x in texts), FINAL_FALLBACK)
            self.warning(
                place, f"{what} has no {lang!r} text; kiosks show the {used!r} text instead"
            )

    def asset(self, path: str, place: tuple[str, int], what: str) -> None:
        if path not in self.c.assets:
            self.error(place, f"{what} {path!r} is not in the release's assets/ folder")

    # --- each file -------------------------------------------------------------------------------

    def check_languages(self) -> None:
        if self.c.languages and FINAL_FALLBACK not in self.languages:
            self.error(("languages.yaml", 1), "English (en) is missing: it is the last fallback")
        for lang in self.c.languages:
            if not LANGUAGE_ID.match(lang.id):
                self.error(
                    self.where("language", lang.id, "id"),
                    f"the language id {lang.id!r} must be a code like uz, ru or uz-Cyrl",
                )
            if not SCRIPT_ID.match(lang.script):
                self.error(
                    self.where("language", lang.id, "script"),
                    f"the script {lang.script!r} must be an ISO 15924 code like Latn or Cyrl",
                )
            for i, other in enumerate(lang.fallback):
                self.language_ref(
                    other, self.where("language", lang.id, "fallback", i), "the fallback"
                )
            if lang.generated_from is not None:
                self.language_ref(
                    lang.generated_from,
                    self.where("language", lang.id, "generated_from"),
                    "generated_from",
                )

    def check_destinations(self) -> None:
        for dest in self.c.destinations:
            key = ("destination", dest.id)
            if not COUNTRY_ID.match(dest.id):
                self.error(
                    self.where(*key, "id"),
                    f"the country id {dest.id!r} must be two capital letters (ISO 3166), like RU",
                )
            self.localized(dest.name, (*key, "name"), f"the name of {dest.id}", "destination name")
            if dest.flag is not None:
                self.asset(dest.flag, self.where(*key, "flag"), "the flag")
            self.check_emergency(dest)

    def check_emergency(self, dest: Destination) -> None:
        """Every country declares the number to call in danger, with its date and source."""
        key = ("destination", dest.id)
        number = dest.emergency
        if number is None:
            self.error(
                self.where(*key),
                f'{dest.id} declares no number to call in danger: add `emergency: "112"` (the '
                "police or general emergency number, as dialled) with emergency_verified_on and "
                "emergency_source, or `emergency: none` if no number could be confirmed",
            )
            return
        if number == NO_EMERGENCY:
            if self.production:
                self.error(
                    self.where(*key, "emergency"),
                    f"no number to call in danger is confirmed for {dest.id}: confirm one with an "
                    "official source before a production release",
                )
        elif not SHORT_NUMBER.match(number):
            self.error(
                self.where(*key, "emergency"),
                f"the number to call in danger of {dest.id} ({number!r}) must be the short "
                "number as dialled in the country, 2 to 6 digits like 112 (not +..., not "
                f"words), or {NO_EMERGENCY!r} if none could be confirmed",
            )
        if dest.emergency_verified_on is None:
            self.error(
                self.where(*key, "emergency"),
                f"the number to call in danger of {dest.id} has no emergency_verified_on "
                "(when a person checked it)",
            )
        elif dest.emergency_verified_on > self.today:
            self.error(
                self.where(*key, "emergency_verified_on"),
                f"emergency_verified_on {dest.emergency_verified_on} of {dest.id} is in the "
                f"future (today is {self.today})",
            )
        if not dest.emergency_source:
            self.error(
                self.where(*key, "emergency"),
                f"the number to call in danger of {dest.id} has no emergency_source (where it "
                "was checked)",
            )

    def check_topics(self) -> None:
        seen = set()
        for topic in self.c.topics:
            key = ("topic", topic.id)
            seen.add(topic.id)
            if topic.id not in TOPIC_IDS:
                self.error(
                    self.where(*key, "id"),
                    f"unknown topic id {topic.id!r}; the topics are fixed: {', '.join(TOPIC_IDS)}",
                )
            self.asset(topic.icon, self.where(*key, "icon"), "the icon")
            self.localized(topic.title, (*key, "title"), f"the title of {topic.id}", "topic title")
        if (self.tree.src_dir / "topics.yaml").is_file():
            for topic_id in TOPIC_IDS:
                if topic_id not in seen:
                    self.error(("topics.yaml", 1), f"the topic {topic_id!r} is missing")

    def check_airports(self) -> None:
        for airport in self.c.airports:
            key = ("airport", airport.id)
            if not AIRPORT_ID.match(airport.id):
                self.error(
                    self.where(*key, "id"),
                    f"the airport id {airport.id!r} must be its three-letter IATA code, like TAS",
                )
            if airport.country not in self.destinations and self.readable("destinations.yaml"):
                self.error(
                    self.where(*key, "country"),
                    f"unknown country {airport.country!r}; add it to destinations.yaml "
                    "with kind: home",
                )
            self.localized(
                airport.name, (*key, "name"), f"the name of {airport.id}", "airport name"
            )
            self.duplicates(airport.languages, key, "languages")
            for i, lang in enumerate(airport.languages):
                place = self.where(*key, "languages", i)
                if lang not in self.languages:
                    self.language_ref(lang, place, f"the languages of {airport.id}")
                elif lang not in self.c.ui:
                    self.error(
                        place,
                        f"{airport.id} offers {lang!r} but there are no UI strings for it "
                        f"(write ui/{lang}.yaml)",
                    )
            if airport.nationality is not None and self.readable("destinations.yaml"):
                home = self.destinations.get(airport.nationality)
                if home is None or home.kind != "home":
                    self.error(
                        self.where(*key, "nationality"),
                        f"the nationality {airport.nationality!r} of {airport.id} must be a home "
                        "country of destinations.yaml (kind: home), like UZ",
                    )
            self.duplicates(airport.destinations, key, "destinations")
            for i, dest_id in enumerate(airport.destinations):
                place = self.where(*key, "destinations", i)
                dest = self.destinations.get(dest_id)
                if dest is None:
                    if self.readable("destinations.yaml"):
                        self.error(
                            place, f"unknown destination {dest_id!r} (not in destinations.yaml)"
                        )
                elif dest.kind != "destination":
                    self.error(place, f"{dest_id} is a home country, not a destination")

    def duplicates(self, values: tuple[str, ...], key: tuple[Any, ...], field: str) -> None:
        seen: set[str] = set()
        for i, value in enumerate(values):
            if value in seen:
                self.error(self.where(*key, field, i), f"{value!r} is listed twice in {field!r}")
            seen.add(value)

    def check_contacts(self) -> None:
        for contact in self.c.contacts:
            key = ("contact", contact.id)
            what = f"contact {contact.id!r}"
            if not CONTACT_ID.match(contact.id):
                self.error(
                    self.where(*key, "id"),
                    f"the contact id {contact.id!r} must be lower-case letters, digits and -",
                )
            if contact.kind not in CONTACT_KINDS:
                self.error(
                    self.where(*key, "kind"),
                    f"unknown kind {contact.kind!r} of {what}; "
                    f"use one of {', '.join(CONTACT_KINDS)}",
                )
            for i, country in enumerate((contact.country, *contact.serves)):
                if country not in self.destinations and self.readable("destinations.yaml"):
                    place = (
                        self.where(*key, "country") if i == 0 else self.where(*key, "serves", i - 1)
                    )
                    self.error(place, f"unknown country {country!r} in {what}")
            # Organisations are often named in their own language: no warning per language.
            self.localized(
                contact.name, (*key, "name"), f"the name of {what}", "contact name", False
            )
            self.localized(
                contact.source, (*key, "source"), f"the source of {what}", "source label"
            )
            for i, phone in enumerate(contact.phones):
                if not E164.fullmatch(phone):  # "$" alone lets a final newline through
                    self.error(
                        self.where(*key, "phones", i),
                        f"the phone number {phone!r} of {what} is not in E.164: write + then the "
                        "country code and number, digits only, like +998712000000",
                    )
            if contact.short is not None and not SHORT_NUMBER.match(contact.short):
                self.error(
                    self.where(*key, "short"),
                    f"the short number {contact.short!r} of {what} must be 2 to 6 digits",
                )
            if contact.url is not None and not HTTPS_URL.match(contact.url):
                self.error(
                    self.where(*key, "url"),
                    f"the link {contact.url!r} of {what} must be a full https:// address",
                )
            for name, link in contact.messengers.items():
                if not MESSENGER_URL.match(link):
                    self.error(
                        self.where(*key, "messengers", name),
                        f"the {name} link {link!r} of {what} must be an https:// (or tg:, viber:, "
                        "whatsapp:) address",
                    )
            if not (contact.phones or contact.short or contact.url or contact.messengers):
                self.error(
                    self.where(*key),
                    f"{what} has no phone, short number, link or messenger: nothing to call",
                )
            for i, lang in enumerate(contact.languages):
                self.language_ref(
                    lang, self.where(*key, "languages", i), f"the languages of {what}"
                )
            self.dates(contact.verified_on, None, key, what)
            self.status(contact.status, key, what)
            if self.production and contact.status == "sample":
                self.error(
                    self.where(*key, "status"),
                    f"{what} is still sample content: verify it against its source and set "
                    "status: verified before a production release",
                )

    def dates(
        self, verified_on: date, review_by: date | None, key: tuple[Any, ...], what: str
    ) -> None:
        if verified_on > self.today:
            self.error(
                self.where(*key, "verified_on"),
                f"verified_on {verified_on} of {what} is in the future (today is {self.today})",
            )
        if review_by is None:
            return
        if review_by < verified_on:
            self.error(
                self.where(*key, "review_by"),
                f"review_by {review_by} of {what} is before its verified_on {verified_on}",
            )
        elif review_by < self.today:
            self.warning(
                self.where(*key, "review_by"),
                f"{what} is past its review date ({review_by}): check it again and update "
                "verified_on and review_by",
            )

    def status(self, status: str, key: tuple[Any, ...], what: str) -> None:
        if status not in STATUSES:
            self.error(
                self.where(*key, "status"),
                f"the status {status!r} of {what} must be verified or sample",
            )

    # --- UI strings ------------------------------------------------------------------------------

    def check_ui(self) -> None:
        ui = self.c.ui
        for lang in sorted(self.tree.ui_files):
            if lang not in self.languages:
                self.error(
                    (f"ui/{lang}.yaml", 1),
                    f"ui/{lang}.yaml is for an unknown language {lang!r} (not in languages.yaml)",
                )
        english = ui.get(FINAL_FALLBACK)
        if not self.readable("ui/en.yaml"):
            return  # reported once as malformed
        if english is None:
            self.error(("ui/en.yaml", 1), "ui/en.yaml is missing: English UI strings are required")
            english = {}
        else:
            for k in REQUIRED_UI_KEYS:
                if k not in english:
                    self.error(
                        self.where("ui", FINAL_FALLBACK),
                        f"the UI string {k!r} is missing; the kiosk needs it in English",
                    )
        for lang in sorted(ui):
            strings = ui[lang]
            hand_written = lang in self.tree.ui_files
            for k, text in strings.items():
                place = self.where("ui", lang, k)
                if lang != FINAL_FALLBACK and k not in english and hand_written:
                    self.warning(place, f"unknown UI key {k!r} (not in ui/en.yaml; ignored)")
                    continue
                limit = ui_text_limit(k)
                if len(text) > limit:
                    self.error(
                        place,
                        f"the UI text {k!r} ({text!r}) is {len(text)} characters long; at most "
                        f"{limit} fit on the screen",
                    )
                wanted = set(PLACEHOLDER.findall(english.get(k, text)))
                found = set(PLACEHOLDER.findall(text))
                if wanted != found:
                    self.error(
                        place,
                        f"the UI text {k!r} must contain {_braces(wanted) or 'no placeholder'}"
                        f" exactly as in English (it has {_braces(found) or 'none'})",
                    )
            if lang == FINAL_FALLBACK or not hand_written or not self.readable(f"ui/{lang}.yaml"):
                continue
            for k in english:
                if k not in strings:
                    used = next((x for x in self.chain(lang) if k in ui.get(x, {})), "en")
                    self.warning(
                        self.where("ui", lang),
                        f"the UI string {k!r} is not translated; kiosks show the {used!r} text",
                    )

    # --- articles --------------------------------------------------------------------------------

    def check_articles(self) -> None:
        have = {(scope, topic) for scope, topic, _ in self.tree.article_files}
        for article in self.c.articles:
            if article.generated:
                continue
            key = ("article", *article.key)
            what = f"the article {article.scope}/{article.topic}"
            start = self.where(*key)
            if article.scope != GENERAL_SCOPE:
                dest = self.destinations.get(article.scope)
                if dest is None:
                    self.error(
                        start,
                        f"unknown destination {article.scope!r} (the folder name must be a "
                        f"destination id from destinations.yaml or {GENERAL_SCOPE!r})",
                    )
                elif dest.kind != "destination":
                    self.error(start, f"{article.scope} is a home country: it has no articles")
            if article.topic not in TOPIC_IDS:
                self.error(
                    start,
                    f"unknown topic {article.topic!r} (the folder name must be one of "
                    f"{', '.join(TOPIC_IDS)})",
                )
            self.language_ref(article.language, start, f"the file name of {what}")
            if len(article.title) > TEXT_LIMITS["article title"]:
                self.error(
                    self.where(*key, "title"),
                    f"the title is {len(article.title)} characters long; at most "
                    f"{TEXT_LIMITS['article title']} fit on the screen",
                )
            self.dates(article.verified_on, article.review_by, key, what)
            self.status(article.status, key, what)
            if len(article.source) > TEXT_LIMITS["source label"]:
                self.error(
                    self.where(*key, "source"),
                    f"the public source label is {len(article.source)} characters long; at most "
                    f"{TEXT_LIMITS['source label']}: keep it short (the organisation's name) and "
                    "put details in notes",
                )
            if self.production and article.status == "sample":
                self.error(
                    self.where(*key, "status"),
                    f"{what} is still sample content: verify it against its source and set "
                    "status: verified before a production release",
                )
            for i, contact_id in enumerate(article.contacts):
                if contact_id not in self.contacts and self.readable("contacts.yaml"):
                    self.error(
                        self.where(*key, "contacts", i),
                        f"unknown contact {contact_id!r} (not in contacts.yaml)",
                    )
        for article_key, check in self.tree.markdown.items():
            file = self.where("article", *article_key)[0]
            for link in check.article_links:
                if (link.scope, link.topic) not in have:
                    self.error(
                        (file, link.line),
                        f"broken link: there is no article {link.scope}/{link.topic} in any "
                        "language",
                    )
            for line, src in check.images:
                self.asset(src.removeprefix("assets/"), (file, line), "the image")
            for line, path in check.pictures:
                self.asset(path, (file, line), "the picture")
            for line, nationality in check.nationalities:
                self.nationality_mark(nationality, (file, line))

    def nationality_mark(self, nationality: str, place: tuple[str, int]) -> None:
        """A `{for=...}` mark names a nationality: a home country of destinations.yaml."""
        if not self.readable("destinations.yaml"):
            return
        dest = self.destinations.get(nationality)
        homes = ", ".join(d.id for d in self.c.destinations if d.kind == "home") or "none"
        if dest is None:
            self.error(
                place,
                f"unknown nationality {nationality!r} in {{for=...}}: use a home country id "
                f"of destinations.yaml ({homes})",
            )
        elif dest.kind != "home":
            self.error(
                place,
                f"{nationality} in {{for=...}} is a destination, not a nationality: use a home "
                f"country id of destinations.yaml ({homes})",
            )

    # --- coverage --------------------------------------------------------------------------------

    def check_coverage(self) -> None:
        langs: dict[tuple[str, str], set[str]] = {}
        for scope, topic, lang in self.tree.article_files:
            langs.setdefault((scope, topic), set()).add(lang)
        shown_at: dict[str, set[str]] = {}
        for airport in self.c.airports:
            for dest_id in airport.destinations:
                shown_at.setdefault(dest_id, set()).add(airport.id)
        contact_countries = {c.country for c in self.c.contacts}
        for dest_id in sorted(shown_at):
            dest = self.destinations.get(dest_id)
            if dest is None or dest.kind != "destination":
                continue
            place = self.where("destination", dest_id)
            if self.c.contacts and dest_id not in contact_countries:
                self.warning(place, f"{dest_id} has no contacts: its help screen is empty")
            for topic in TOPIC_IDS:
                own, general = langs.get((dest_id, topic)), langs.get((GENERAL_SCOPE, topic))
                if topic in DESTINATION_SPECIFIC_TOPICS and not own:
                    self.error(
                        place,
                        f"{dest_id} has no article of its own for {topic!r} in any language: "
                        f"write articles/{dest_id}/{topic}/en.md",
                    )
                elif not own and not general:
                    self.error(
                        place,
                        f"{dest_id} has nothing to show for {topic!r}: write "
                        f"articles/{GENERAL_SCOPE}/{topic}/en.md "
                        f"or articles/{dest_id}/{topic}/en.md",
                    )
        airports = {a.id: a for a in self.c.airports}
        if not self.readable("languages.yaml"):
            return  # which language falls back to which is unknown
        for (scope, topic), have in sorted(langs.items()):
            shown = sorted(airports) if scope == GENERAL_SCOPE else sorted(shown_at.get(scope, ()))
            needed: dict[str, list[str]] = {}
            for airport_id in shown:
                for lang in airports[airport_id].languages:
                    needed.setdefault(lang, []).append(airport_id)
            for lang, at in sorted(needed.items()):
                if lang in have:
                    continue
                chain = self.chain(lang)
                used = next((x for x in chain if x in have), None)
                if used is not None:
                    self.warning(
                        self.where("article", scope, topic, used),
                        f"no {lang!r} version of {scope}/{topic}: kiosks at {', '.join(at)} "
                        f"show this {used!r} text instead",
                    )
                else:
                    some = sorted(have)[0]
                    self.error(
                        self.where("article", scope, topic, some),
                        f"kiosks at {', '.join(at)} show nothing for {scope}/{topic} in "
                        f"{lang!r}: none of {', '.join(chain)} has it",
                    )


def _braces(names: set[str]) -> str:
    return ", ".join(f"{{{n}}}" for n in sorted(names))
