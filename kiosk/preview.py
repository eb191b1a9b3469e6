"""Pictures of an article exactly as a kiosk shows it: the preview worker of the web console.

The console (admin_sync/server, which never imports Qt or kiosk/) runs this module as a
separate process where the kiosk extra is installed:

    python -m kiosk.preview --source DIR --airport FRU --lang ky --scope KG --topic get-help \
        --orientation portrait --size normal --out OUTDIR

It builds the content folder into a cache with the kiosk's own builder, installs it in a
private content store, starts the real kiosk offscreen (software renderer), goes to the article
the way a person would (the tour's taps: start, language, destination, text size, topic; an
article without a tile there is opened as a search hit opens it; `--topic help` opens the help
screen, who to call, of the destination; `--topic home` the home screen) and saves the screen as
PNGs: the first screen, then one picture per screenful further down, until the article's end.
`OUTDIR/preview.json` lists them. Exit status: 0 done, 2 the request or the content is wrong
(the reason on standard error, one line per problem), 3 the kiosk could not show it.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ORIENTATIONS: dict[str, tuple[int, int]] = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
MAX_PAGES = 12
EXIT_BAD_REQUEST = 2
EXIT_CANNOT_SHOW = 3
HELP = "help"  # as --topic: the help screen (who to call) of the destination, not an article
HOME = "home"  # as --topic: the home screen in the language (its screen texts, destinations)
SCREENS = {HELP: "screen.help", HOME: "screen.home"}


class PreviewError(Exception):
    """The article cannot be previewed; `status` is the exit status to use."""

    def __init__(self, message: str, status: int = EXIT_BAD_REQUEST) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class PreviewRequest:
    source: Path
    airport: str
    lang: str
    scope: str
    topic: str
    orientation: str = "portrait"
    large_text: bool = False


def build_store(source: Path, work: Path) -> Path:
    """The content folder built by the kiosk's builder and installed as the agent installs it;
    the store's root."""
    from content.build import build_cache
    from content.installed import InstalledStore
    from content.source import load_source

    parsed, report = load_source(source)
    if not report.ok:
        raise PreviewError("the content has errors:\n" + "\n".join(report.format()))
    cache = work / "preview-cache.db"
    build_cache(parsed, cache, content_version=1)
    root = work / "content"
    InstalledStore(root).install_file(cache)
    return root


def render(request: PreviewRequest, out: Path) -> dict[str, Any]:
    """Start the kiosk on the request's content, open the article, save its screens in `out`."""
    from kiosk.app import FatalError, KioskApp, prepare_platform
    from kiosk.content_loader import FALLBACK
    from kiosk.settings import KioskSettings
    from kiosk.tour import ShiftableClock, TourDriver

    if request.orientation not in ORIENTATIONS:
        raise PreviewError(f"orientation: portrait or landscape, not {request.orientation!r}")
    prepare_platform("offscreen")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kiosk-preview-") as tmp:
        work = Path(tmp)
        settings = KioskSettings(
            airport=request.airport,
            kiosk_id="console-preview",
            content_dir=build_store(request.source, work),
            usage_file=work / "usage.db",
            fallback_cache_dir=work / "fallback",
            sync_state_dir=work / "sync",
        )
        try:
            kiosk_app = KioskApp(
                settings,
                windowed=True,
                size=ORIENTATIONS[request.orientation],
                monotonic=ShiftableClock(),
            )
        except FatalError as exc:
            raise PreviewError(f"the kiosk cannot start: {exc}", EXIT_CANNOT_SHOW) from exc
        try:
            loaded = kiosk_app.source.current
            if loaded is None or loaded.origin == FALLBACK:
                raise PreviewError(
                    "the kiosk did not take this content (it fell back to its sample)",
                    EXIT_CANNOT_SHOW,
                )
            return _shoot(kiosk_app, TourDriver(kiosk_app), request, out)
        finally:
            kiosk_app.close()


def _shoot(kiosk_app: Any, driver: Any, request: PreviewRequest, out: Path) -> dict[str, Any]:
    from kiosk.tour import TourError

    c = kiosk_app.controller
    place = c.place
    if request.lang not in place.languages:
        raise PreviewError(f"{request.airport} does not offer the language {request.lang!r}")
    kiosk_app.window.show()
    driver.wait_frame()
    # As the tour does: a kiosk prepares its QR codes on the attract screen before anyone comes.
    deadline = 600
    while c.warm_pending() and deadline:
        driver.process(50)
        deadline -= 1
    screen = SCREENS.get(request.topic, "screen.article")
    try:
        driver.tap("attract.start")
        driver.tap(f"language.{request.lang}")
        if request.topic == HOME:
            if request.large_text:
                driver.tap("nav.textSize")
        elif request.topic == HELP:
            if request.scope in place.destination_ids:
                driver.tap(f"home.destination.{request.scope}")
            if request.large_text:
                driver.tap("nav.textSize")
            driver.tap("nav.help")
        elif request.scope in place.destination_ids:
            driver.tap(f"home.destination.{request.scope}")
            if request.large_text:
                driver.tap("nav.textSize")
            if driver.items(f"topic.{request.topic}"):
                driver.tap(f"topic.{request.topic}")
            else:
                c.openSearchHit(request.scope, request.topic)
        else:
            if request.large_text:
                driver.tap("nav.textSize")
            c.openSearchHit(request.scope, request.topic)
        driver.wait_for(screen)
        driver.wait_frame()
    except TourError as exc:
        raise PreviewError(f"the kiosk could not open the screen: {exc}", EXIT_CANNOT_SHOW) from exc
    page = c.helpPage if request.topic == HELP else c.articlePage
    if request.topic in SCREENS:
        page = page if request.topic == HELP else {"title": ""}
    elif not page.get("title"):
        raise PreviewError(
            f"the kiosk has no article {request.scope}/{request.topic} in {request.lang}"
        )
    files = [_grab(driver, out, 1)]
    flick = driver.find("scrollPage")
    # The part below the first screen is built after its first frame: wait until it is laid out.
    driver.wait_frame()
    driver.process(20)
    while len(files) < MAX_PAGES:
        view = float(flick.height())
        bottom = max(0.0, float(flick.property("contentHeight")) - view)
        y = float(flick.property("contentY"))
        if y >= bottom - 1:
            break
        flick.setProperty("contentY", min(bottom, y + view * 0.9))
        driver.wait_frame()
        files.append(_grab(driver, out, len(files) + 1))
    result = {
        "airport": request.airport,
        "language": request.lang,
        "scope": request.scope,
        "topic": request.topic,
        "orientation": request.orientation,
        "text": "large" if request.large_text else "normal",
        "title": str(page.get("title", "")),
        "size": list(ORIENTATIONS[request.orientation]),
        "pages": files,
    }
    (out / "preview.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    return result


def _grab(driver: Any, out: Path, number: int) -> str:
    name = f"page-{number}.png"
    driver.grab(out / name)
    return name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kiosk.preview",
        description="Save an article as the kiosk shows it (PNG per screenful).",
    )
    parser.add_argument("--source", type=Path, required=True, help="content folder")
    parser.add_argument("--airport", required=True, help="IATA code of the airport, e.g. FRU")
    parser.add_argument("--lang", required=True, help="language id, e.g. ky")
    parser.add_argument("--scope", required=True, help="destination id or general")
    parser.add_argument(
        "--topic",
        required=True,
        help="topic id, e.g. get-help; `help`: the help screen; `home`: the home screen",
    )
    parser.add_argument("--orientation", choices=tuple(ORIENTATIONS), default="portrait")
    parser.add_argument("--size", choices=("normal", "large"), default="normal")
    parser.add_argument("--out", type=Path, required=True, help="folder for the PNGs")
    args = parser.parse_args(argv)
    from kiosk.app import install_qt_message_handler

    install_qt_message_handler()
    request = PreviewRequest(
        args.source,
        args.airport,
        args.lang,
        args.scope,
        args.topic,
        args.orientation,
        args.size == "large",
    )
    try:
        result = render(request, args.out)
    except PreviewError as exc:
        print(f"preview: {exc}", file=sys.stderr)
        return exc.status
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
