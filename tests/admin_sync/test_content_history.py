"""The content history: a real bare git repository, written with the git command."""

from __future__ import annotations

import subprocess
import threading
from datetime import UTC, datetime

import pytest

from admin_sync.content_history import ContentHistory, EditConflict, HistoryError
from content.validate import validate_source
from tests.admin_sync.console_env import valid_source


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    return valid_source(tmp_path_factory.mktemp("src") / "content")


@pytest.fixture
def history(tmp_path) -> ContentHistory:
    return ContentHistory(
        tmp_path / "content.git", clock=lambda: datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
    )


def test_an_empty_history(history) -> None:
    assert history.head() is None and history.log() == [] and history.files() == []
    with pytest.raises(HistoryError, match="empty"):
        history.export(history.git_dir.parent / "out")


def test_a_folder_becomes_one_commit_with_its_author_and_date(history, source) -> None:
    commit = history.commit_folder(source, author="edna", message="Upload content.zip")
    (rev,) = history.log()
    assert (rev.commit, rev.author, rev.message) == (commit, "edna", "Upload content.zip")
    assert rev.when == "2026-11-22T09:30:00+00:00"
    files = {p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file()}
    assert set(history.files()) == files
    assert history.read("contacts.yaml") == (source / "contacts.yaml").read_bytes()
    # the same folder again changes nothing: no empty commit
    assert history.commit_folder(source, author="vic", message="again") == commit
    assert len(history.log()) == 1
    # git itself reads it (an administrator can inspect it by hand)
    out = subprocess.run(
        ["git", "--git-dir", str(history.git_dir), "log", "--format=%an %s"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == "edna Upload content.zip"


def test_an_exported_folder_passes_the_checker(history, source, tmp_path) -> None:
    history.commit_folder(source, author="edna", message="Upload")
    out = history.export(tmp_path / "out")
    assert validate_source(out).ok
    assert (out / "ui" / "en.yaml").read_bytes() == (source / "ui" / "en.yaml").read_bytes()


def test_file_history_diff_and_restore(history, source) -> None:
    first = history.commit_folder(source, author="edna", message="Upload")
    original = history.read("release.yaml")
    assert original is not None
    second = history.commit_files(
        {"release.yaml": original + b"# checked\n"}, author="vic", message="Note", base=first
    )
    history.commit_files({"topics.yaml": b"[]\n"}, author="edna", message="Other", base=second)
    assert [r.message for r in history.log("release.yaml")] == ["Note", "Upload"]
    diff = history.diff(first, second, "release.yaml")
    assert "+# checked" in diff and "topics.yaml" not in diff
    assert history.last_changes()["release.yaml"].author == "vic"
    assert history.last_changes()["languages.yaml"].message == "Upload"
    restored = history.restore("release.yaml", first, author="edna")
    assert history.read("release.yaml") == original
    assert history.read("topics.yaml") == b"[]\n"  # other files keep their newest text
    assert [r.commit for r in history.log("release.yaml")][:1] == [restored]
    assert history.log("release.yaml")[0].message == f"Restore release.yaml as of {first[:10]}"
    assert history.parent(restored) is not None and history.parent(first) is None


def test_a_save_over_a_newer_version_is_refused_and_names_who(history, source) -> None:
    opened = history.commit_folder(source, author="edna", message="Upload")
    history.commit_files({"release.yaml": b"a\n"}, author="vic", message="Vic's", base=opened)
    with pytest.raises(EditConflict) as caught:
        history.commit_files({"release.yaml": b"b\n"}, author="edna", message="Mine", base=opened)
    assert caught.value.theirs.author == "vic" and caught.value.current == b"a\n"
    assert history.read("release.yaml") == b"a\n"
    # another file opened at the same version saves fine, on top of Vic's change
    history.commit_files({"topics.yaml": b"[]\n"}, author="edna", message="Mine", base=opened)
    assert history.read("release.yaml") == b"a\n" and history.read("topics.yaml") == b"[]\n"


def test_concurrent_writers_never_lose_a_commit(history, source) -> None:
    history.commit_folder(source, author="edna", message="Upload")
    errors: list[Exception] = []

    def write(n: int) -> None:
        try:
            history.commit_files({f"notes/{n}.md": b"x"}, author=f"w{n}", message=f"{n}", base=None)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert {f"notes/{n}.md" for n in range(6)} <= set(history.files())
    assert len(history.log()) == 7


@pytest.mark.parametrize(
    "path", ["../x", "/etc/passwd", "a/../b", "a//b", ".git/config", "a b", "-x", ""]
)
def test_unsafe_paths_are_refused(history, path) -> None:
    with pytest.raises(HistoryError):
        history.commit_files({path: b"x"}, author="edna", message="m", base=None)


@pytest.mark.parametrize("rev", ["HEAD", "main", "--all", "abc", "x" * 40, "0" * 40])
def test_only_existing_commit_ids_are_versions(history, source, rev) -> None:
    history.commit_folder(source, author="edna", message="Upload")
    with pytest.raises(HistoryError):
        history.read("release.yaml", rev)
