"""The console's preview worker (`python -m kiosk.preview`, run as its own process as the
server runs it) shows the same screen as the kiosk tour: same content, same screen, same
pictures, in portrait and landscape, normal and large text (an article, the help screen, the
home screen)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from kiosk.content_loader import SAMPLE_DIR
from kiosk.tour import run_tour

ROOT = Path(__file__).resolve().parents[2]


def run_worker(
    out: Path, *args: str, source: Path = SAMPLE_DIR
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "offscreen",
        "QT_QUICK_BACKEND": "software",
    }
    return subprocess.run(
        [sys.executable, "-m", "kiosk.preview", "--source", str(source), "--out", str(out), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def differing(a: Path, b: Path) -> float:
    """The share of pixels that differ by more than a little antialiasing noise."""
    one, two = Image.open(a).convert("RGB"), Image.open(b).convert("RGB")
    assert one.size == two.size, (a, one.size, b, two.size)
    diff = ImageChops.difference(one, two).convert("L").point(lambda v: 255 if v > 24 else 0)
    return diff.histogram()[255] / (one.width * one.height)


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_preview_and_tour_agree(orientation: str, tmp_path: Path, qapp, settings) -> None:
    tour_out = tmp_path / "tour"
    assert run_tour(settings, tour_out, languages=["ru"], orientations=(orientation,)) == 0
    entries = json.loads((tour_out / "tour.json").read_text())["screens"]
    first_dest = "RU"  # Tashkent's first destination: the tour's article and help screens
    cases = {
        "article": ("get-help", "normal"),
        "article-large": ("entry-registration", "large"),
        "help": ("help", "normal"),
        "home": ("home", "normal"),
    }
    shots = {e["screen"]: tour_out / e["file"] for e in entries if e["language"] == "ru"}
    for screen, (topic, size) in cases.items():
        out = tmp_path / screen
        done = run_worker(
            out,
            *("--airport", "TAS", "--lang", "ru", "--scope", first_dest, "--topic", topic),
            *("--orientation", orientation, "--size", size),
        )
        assert done.returncode == 0, done.stderr[-2000:]
        result = json.loads((out / "preview.json").read_text())
        assert result["pages"][0] == "page-1.png"
        assert len(result["pages"]) >= (1 if screen == "home" else 2)
        share = differing(out / "page-1.png", shots[screen])
        print(f"{orientation} {screen}: {share:.5%} of pixels differ")
        assert share < 0.001, (screen, orientation, share)
    # The comparison can fail: another screen of the tour differs from the preview.
    assert differing(tmp_path / "article" / "page-1.png", shots["article-large"]) > 0.05
    assert differing(tmp_path / "article" / "page-2.png", shots["article"]) > 0.05


def test_worker_says_what_is_wrong(tmp_path: Path) -> None:
    no_lang = run_worker(
        tmp_path / "a", "--airport", "TAS", "--lang", "ky", "--scope", "RU", "--topic", "get-help"
    )
    assert no_lang.returncode == 2
    assert "TAS does not offer the language 'ky'" in no_lang.stderr
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "languages.yaml").write_text("- id: en\n  name: [\n")
    bad = run_worker(
        tmp_path / "b",
        *("--airport", "TAS", "--lang", "ru", "--scope", "RU", "--topic", "get-help"),
        source=broken,
    )
    assert bad.returncode == 2 and "the content has errors" in bad.stderr
    assert "languages.yaml" in bad.stderr
