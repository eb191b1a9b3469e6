"""Content pages: uploads and publishes are commits; history, diff, restore, export; audit."""

from __future__ import annotations

import io
import zipfile

import pytest

from admin_sync.server.db import release_history
from content.validate import validate_source
from tests.admin_sync.console_env import VIEWER, ConsoleEnv, history, valid_source, zip_folder


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    return valid_source(tmp_path_factory.mktemp("src") / "content")


@pytest.fixture
def env(tmp_path) -> ConsoleEnv:
    env = ConsoleEnv(tmp_path)
    env.sign_in()
    return env


def upload(env: ConsoleEnv, data: bytes, name: str = "content.zip"):
    csrf = env.csrf(env.client.get("/console/releases").text)
    return env.client.post(
        "/console/releases/publish",
        data={"csrf": csrf},
        files={"archive": (name, data, "application/zip")},
    )


def test_an_upload_is_a_commit_by_the_editor_and_the_release_records_it(env, source) -> None:
    assert upload(env, zip_folder(source)).status_code == 200
    (rev,) = history(env).log()
    assert rev.author == "edna" and rev.message == "Upload content.zip"
    (release,) = release_history(env.app.state.db)
    assert release.source_commit == rev.commit
    page = env.client.get("/console/releases").text
    assert f'/console/content/version?rev={rev.commit}"><code>{rev.short}</code>' in page
    audit = [(e.who, e.action, e.via) for e in env.app.state.data.audit_log().entries()]
    assert audit == [("edna", "upload", "console"), ("edna", "publish", "console")]


def test_an_invalid_upload_commits_nothing(env, source, tmp_path) -> None:
    broken = valid_source(tmp_path / "broken")
    (broken / "release.yaml").write_text("title: [\n")
    assert upload(env, zip_folder(broken)).status_code == 422
    assert history(env).head() is None and env.app.state.data.audit_log().entries() == []


def test_file_history_diff_and_restore_through_the_console(env, source, tmp_path) -> None:
    assert upload(env, zip_folder(source)).status_code == 200
    changed = valid_source(tmp_path / "changed")
    text = (changed / "release.yaml").read_text()
    (changed / "release.yaml").write_text(text + "# second upload\n")
    env.clock.advance(hours=1)
    assert upload(env, zip_folder(changed), "second.zip").status_code == 200
    new, old = history(env).log("release.yaml")

    files = env.client.get("/console/content")
    assert (
        files.status_code == 200
        and "release.yaml" in files.text
        and "Upload second.zip" in files.text
    )
    page = env.client.get("/console/content/history", params={"path": "release.yaml"})
    assert page.status_code == 200 and new.short in page.text and old.short in page.text
    diff = env.client.get(
        "/console/content/diff",
        params={"path": "release.yaml", "old": old.commit, "new": new.commit},
    )
    assert diff.status_code == 200
    assert '<span class="add">+# second upload</span>' in diff.text
    shown = env.client.get(
        "/console/content/file", params={"path": "release.yaml", "rev": old.commit}
    )
    assert "# second upload" not in shown.text and shown.status_code == 200

    csrf = env.csrf(page.text)
    restored = env.client.post(
        "/console/content/restore",
        data={"csrf": csrf, "path": "release.yaml", "rev": old.commit, "base": new.commit},
    )
    assert restored.status_code == 200 and "restored" in restored.text
    assert history(env).read("release.yaml") == text.encode()
    assert history(env).log("release.yaml")[0].author == "edna"
    actions = [e.action for e in env.app.state.data.audit_log().entries()]
    assert actions[0] == "restore"
    # the same restore form again: the file changed since that page was opened
    again = env.client.post(
        "/console/content/restore",
        data={"csrf": csrf, "path": "release.yaml", "rev": old.commit, "base": new.commit},
    )
    assert again.status_code == 409 and "was changed by edna" in again.text


def test_publish_current_content_records_its_commit(env, source) -> None:
    assert upload(env, zip_folder(source)).status_code == 200
    head = history(env).head()
    csrf = env.csrf(env.client.get("/console/releases").text)
    stale = env.client.post(
        "/console/releases/publish-current", data={"csrf": csrf, "commit": "1" * 40}
    )
    assert stale.status_code == 409 and len(release_history(env.app.state.db)) == 1
    ok = env.client.post("/console/releases/publish-current", data={"csrf": csrf, "commit": head})
    assert ok.status_code == 200 and "Published content version 2" in ok.text
    assert [r.source_commit for r in release_history(env.app.state.db)] == [head, head]


def test_publish_current_with_unreadable_signing_keys_is_503_not_500(env, source) -> None:
    assert upload(env, zip_folder(source)).status_code == 200
    head = history(env).head()
    for key in env.app.state.data.keys_dir.glob("*.pem"):
        key.write_text("not a key\n")
    csrf = env.csrf(env.client.get("/console/releases").text)
    response = env.client.post(
        "/console/releases/publish-current", data={"csrf": csrf, "commit": head}
    )
    assert response.status_code == 503, response.text[:300]
    assert "The server cannot sign releases now" in response.text
    assert len(release_history(env.app.state.db)) == 1


def test_the_export_passes_the_checker_and_uploads_again(env, source, tmp_path) -> None:
    assert upload(env, zip_folder(source)).status_code == 200
    response = env.client.get("/console/content/export.zip")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        zf.extractall(tmp_path / "out")
    assert validate_source(tmp_path / "out" / "content").ok
    head = history(env).head()
    assert upload(env, response.content, "exported.zip").status_code == 200
    assert history(env).head() == head  # the same content: no new version


def test_a_viewer_reads_the_history_but_cannot_restore(env, source) -> None:
    assert upload(env, zip_folder(source)).status_code == 200
    viewer = env.new_client()
    env.sign_in(VIEWER, client=viewer)
    page = viewer.get("/console/content/history", params={"path": "release.yaml"})
    assert page.status_code == 200 and "Restore this version" not in page.text
    head = history(env).head()
    response = viewer.post(
        "/console/content/restore",
        data={"csrf": env.csrf(page.text), "path": "release.yaml", "rev": head},
    )
    assert response.status_code == 403 and history(env).head() == head


@pytest.mark.parametrize(
    "url",
    [
        "/console/content/file?path=../../etc/passwd",
        "/console/content/file?path=nothere.yaml",
        "/console/content/history?path=-p",
        "/console/content/diff?path=release.yaml&old=HEAD&new=--all",
        "/console/content/version?rev=zzz",
        "/console/content/export.zip?rev=0000000000",
    ],
)
def test_bad_requests_get_a_clear_404(env, source, url) -> None:
    assert upload(env, zip_folder(source)).status_code == 200
    response = env.client.get(url)
    assert response.status_code == 404 and "Cannot do that" in response.text, url


def test_the_audit_page_filters_and_downloads_csv(env, source) -> None:
    assert upload(env, zip_folder(source)).status_code == 200
    page = env.client.get("/console/audit", params={"action": "upload"})
    assert page.status_code == 200 and "content.zip" in page.text
    assert "became release 1" in page.text and "commit" not in page.text.split("<table>")[1]
    csv = env.client.get("/console/audit.csv", params={"who": "edna"})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.strip().splitlines()
    assert lines[0] == "id,at,who,action,item,detail,via" and len(lines) == 3
    assert env.client.get("/console/audit.csv", params={"who": "nobody"}).text.count("\n") == 1
    # bad filter values are ignored, not errors
    assert (
        env.client.get("/console/audit", params={"since": "yesterday", "action": "x"}).status_code
        == 200
    )
