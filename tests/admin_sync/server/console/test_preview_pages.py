"""The preview: pictures from the kiosk's own renderer (a worker process running the kiosk
offscreen) where it is installed, else the kiosk parser's blocks in a kiosk-sized box,
labelled as an approximation."""

from __future__ import annotations

import io
import re
import sys

import pytest
from PIL import Image

from admin_sync.server.console import providers
from admin_sync.server.preview_worker import PreviewWorker
from tests.admin_sync.console_env import VIEWER, ConsoleEnv, sample_env

PARAMS = {"scope": "RU", "topic": "get-help", "lang": "ky"}


@pytest.fixture
def env(tmp_path) -> ConsoleEnv:
    return sample_env(tmp_path, preview_worker="off")


def test_without_the_worker_the_preview_is_labelled_and_follows_the_choices(env) -> None:
    page = env.client.get("/console/preview/article", params=PARAMS)
    assert page.status_code == 200 and "An approximation in the browser" in page.text
    assert "not installed on this server (or turned off)" in page.text
    assert 'class="kiosk-screen portrait text-normal" lang="ky"' in page.text
    assert "<b>112</b>" in page.text  # bold from the kiosk's own parser, not escaped
    large = env.client.get(
        "/console/preview/article", params={**PARAMS, "orientation": "landscape", "size": "large"}
    )
    assert 'class="kiosk-screen landscape text-large"' in large.text
    bad = env.client.get("/console/preview/article", params={**PARAMS, "lang": "../x"})
    assert bad.status_code == 404
    picture = env.client.get("/console/preview/picture", params=PARAMS)
    assert picture.status_code == 404 and "not installed" in picture.text


def test_a_failing_worker_falls_back_to_the_labelled_approximation(env, tmp_path) -> None:
    broken = PreviewWorker(tmp_path / "cache", python=sys.executable + "-missing")
    broken_python = PreviewWorker(tmp_path / "cache2", python="/bin/false")
    for worker in (broken, broken_python):
        env.override(providers.preview_worker, worker)
        page = env.client.get("/console/preview/article", params=PARAMS)
        assert page.status_code == 200, page.text
        assert "An approximation in the browser" in page.text
        assert "The kiosk's renderer could not be used" in page.text


def test_unknown_choices_are_refused_with_a_reason(env) -> None:
    for params, words in [
        ({**PARAMS, "lang": "xx"}, "There is no article RU/get-help in xx"),
        ({**PARAMS, "topic": "nope"}, "There is no article RU/nope in ky"),
        ({**PARAMS, "rev": "deadbeef"}, "no version deadbeef"),
        ({**PARAMS, "scope": "ZZ"}, "There is no article ZZ/get-help"),
    ]:
        page = env.client.get("/console/preview/article", params=params)
        assert page.status_code == 404 and words in page.text, (params, page.text[-400:])
    nowhere = env.client.get("/console/preview/help", params={"scope": "ZZ", "lang": "ky"})
    assert nowhere.status_code == 404
    assert "No airport offers &#39;ky&#39; with &#39;ZZ&#39;" in nowhere.text


def _png(response) -> Image.Image:
    assert response.status_code == 200, response.text[-500:]
    assert response.headers["content-type"] == "image/png"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    return Image.open(io.BytesIO(response.content))


def test_pictures_from_the_kiosk_renderer(tmp_path) -> None:
    env = sample_env(tmp_path)  # preview_worker "auto": PySide6 is installed here
    page = env.client.get("/console/preview/article", params=PARAMS)
    assert page.status_code == 200
    assert "As the kiosk shows it" in page.text and "approximation" not in page.text
    assert "Bishkek Manas (FRU)" in page.text  # the airport offering Kyrgyz and Russia
    sources = re.findall(r'<img src="([^"]+)"', page.text)
    assert len(sources) >= 2
    first = _png(env.client.get(sources[0].replace("&amp;", "&")))
    assert first.size == (1080, 1920)
    last = _png(env.client.get(sources[-1].replace("&amp;", "&")))
    assert last.size == (1080, 1920) and last.tobytes() != first.tobytes()
    # landscape, large text: other pictures of the same article
    wide = env.client.get(
        "/console/preview/article", params={**PARAMS, "orientation": "landscape", "size": "large"}
    )
    src = re.findall(r'<img src="([^"]+)"', wide.text)[0].replace("&amp;", "&")
    assert "orientation=landscape" in src and "size=large" in src
    assert _png(env.client.get(src)).size == (1920, 1080)
    beyond = env.client.get(re.sub(r"page=\d+", "page=99", src))
    assert beyond.status_code == 404 and "no picture 99" in beyond.text
    # a viewer sees previews too; the help screen (who to call) of a country
    viewer = env.new_client()
    env.sign_in(VIEWER, viewer)
    help_page = viewer.get("/console/preview/help", params={"scope": "RU", "lang": "ru"})
    assert help_page.status_code == 200 and "As the kiosk shows it" in help_page.text
    assert "help screen" in help_page.text
    # the home screen in a language, from the screen texts page
    ui = viewer.get("/console/ui", params={"lang": "ky"}).text
    assert 'href="/console/preview/home?lang=ky"' in ui
    home = viewer.get("/console/preview/home", params={"lang": "ky"})
    assert home.status_code == 200 and "home screen" in home.text
    src = re.findall(r'<img src="([^"]+)"', home.text)[0].replace("&amp;", "&")
    assert _png(viewer.get(src)).size == (1080, 1920)
