"""The content sources' history: a bare git repository in the server's data folder.

Every console save, every archive upload and every `admin publish` of a folder is a commit on
`main` with the editor as author; a release records the commit it was built from. The folder
format is unchanged (content/README.md): `export` writes a normal source folder.

Why the git command (through subprocess) and not dulwich: git is already on every server
(Debian package, `APT_PACKAGES`), its file format and tools are what an administrator can use
to inspect or repair the history by hand (`git --git-dir DIR/content.git log`), and its diff is
the reference one; dulwich would add a dependency and a second implementation of the same
format. Only plumbing commands are used, with a private index file per operation, so no work
tree exists; writers (server threads, the CLI) take a file lock, and `main` moves with a
compare-and-swap (`update-ref NEW OLD`), so a commit is never lost.

Two editors at once: a save names the commit its form was opened at (`base`); when a file it
writes changed on `main` after `base`, the save is refused with `EditConflict` (who changed it,
and the text now on `main`) instead of overwriting.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from admin_sync.tuf_repo import Clock, utc_now
from content.durable import file_lock

BRANCH = "refs/heads/main"
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
_SEGMENT = r"[A-Za-z0-9_][A-Za-z0-9_\-]*(\.[A-Za-z0-9_\-]+)*"
_PATH = re.compile(rf"^{_SEGMENT}(/{_SEGMENT})*$")
_REV = re.compile(r"^[0-9a-f]{4,64}$")
_NAME = re.compile(r"[^A-Za-z0-9_.\-]")
FIELD = "\x1f"
RECORD = "\x1e"
_HEADER = FIELD.join(["%H", "%an", "%aI", "%s"])
_LOG_FORMAT = _HEADER + RECORD


class HistoryError(Exception):
    """The history cannot do what was asked; the message says why (shown to the editor)."""


@dataclass(frozen=True)
class EditConflict(HistoryError):
    """A file being saved changed on `main` after the editor opened it."""

    path: str
    base: str
    theirs: Revision
    current: bytes | None  # the file as it is now on `main` (None: deleted)

    def __str__(self) -> str:
        return (
            f"{self.path} was changed by {self.theirs.author} at {self.theirs.when[:16]} "
            f"after you opened it; your text was not saved over theirs"
        )


@dataclass(frozen=True)
class Revision:
    """One commit: id, author, when (ISO 8601), message."""

    commit: str
    author: str
    when: str
    message: str

    @property
    def short(self) -> str:
        return self.commit[:10]


def check_path(path: str) -> str:
    """A content path (`contacts.yaml`, `articles/RU/work/ky.md`); refuses anything else."""
    if not _PATH.match(path) or len(path) > 300:
        raise HistoryError(f"not a content file path: {path!r}")
    return path


def check_rev(rev: str) -> str:
    if not _REV.match(rev):
        raise HistoryError(f"not a version id: {rev!r}")
    return rev


def _email(author: str) -> str:
    return f"{_NAME.sub('-', author) or 'unknown'}@console.invalid"


class ContentHistory:
    """The bare repository at `git_dir` (created by `ensure`)."""

    def __init__(self, git_dir: Path, *, clock: Clock = utc_now, git: str = "git") -> None:
        self.git_dir = git_dir.absolute()
        self.clock = clock
        self.git_command = git

    # ---- plumbing ------------------------------------------------------------------------
    def _env(self, author: str | None = None, index: Path | None = None) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("GIT_") and key not in ("HOME", "XDG_CONFIG_HOME")
        }
        env.update(
            GIT_DIR=str(self.git_dir),
            GIT_CONFIG_NOSYSTEM="1",
            GIT_CONFIG_GLOBAL=os.devnull,
            HOME=str(self.git_dir),
            LC_ALL="C",
        )
        if index is not None:
            env["GIT_INDEX_FILE"] = str(index)
        if author is not None:
            when = f"@{int(self.clock().timestamp())} +0000"
            for role in ("AUTHOR", "COMMITTER"):
                env[f"GIT_{role}_NAME"] = author
                env[f"GIT_{role}_EMAIL"] = _email(author)
                env[f"GIT_{role}_DATE"] = when
        return env

    def _git(
        self,
        *args: str,
        input: bytes | None = None,
        author: str | None = None,
        index: Path | None = None,
        work_tree: Path | None = None,
        ok_codes: Sequence[int] = (0,),
    ) -> subprocess.CompletedProcess[bytes]:
        cmd = [self.git_command]
        if work_tree is not None:
            cmd += ["--work-tree", str(work_tree)]
        result = subprocess.run(
            [*cmd, *args],
            input=input,
            capture_output=True,
            env=self._env(author, index),
            cwd=work_tree or self.git_dir,
            check=False,
        )
        if result.returncode not in ok_codes:
            raise HistoryError(
                f"git {args[0]} failed: {result.stderr.decode(errors='replace').strip()}"
            )
        return result

    def _out(self, *args: str, **kw: object) -> str:
        return self._git(*args, **kw).stdout.decode().strip()  # type: ignore[arg-type]

    def ensure(self) -> None:
        """Create the bare repository if it is not there yet."""
        if (self.git_dir / "HEAD").is_file():
            return
        self.git_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [self.git_command, "init", "--bare", "-q", "-b", "main", str(self.git_dir)],
            env=self._env(),
            capture_output=True,
            check=True,
        )

    # ---- reading ---------------------------------------------------------------------------
    def head(self) -> str | None:
        if not (self.git_dir / "HEAD").is_file():
            return None
        result = self._git("rev-parse", "--verify", "-q", BRANCH, ok_codes=(0, 1))
        return result.stdout.decode().strip() or None

    def resolve(self, rev: str) -> str:
        """The full commit id of `rev` (a full or abbreviated id)."""
        check_rev(rev)
        result = self._git("rev-parse", "--verify", "-q", f"{rev}^{{commit}}", ok_codes=(0, 1))
        full = result.stdout.decode().strip()
        if not full:
            raise HistoryError(f"no version {rev} in the content history")
        return full

    def read(self, path: str, rev: str | None = None) -> bytes | None:
        """The file at `rev` (default: the newest), or None if it does not exist there."""
        rev = self.resolve(rev) if rev else self.head()
        if rev is None:
            return None
        result = self._git("cat-file", "blob", f"{rev}:{check_path(path)}", ok_codes=(0, 128))
        return result.stdout if result.returncode == 0 else None

    def blob_id(self, path: str, rev: str | None = None) -> str | None:
        """The git object id of the file at `rev` (names one exact text), or None."""
        rev = self.resolve(rev) if rev else self.head()
        if rev is None:
            return None
        result = self._git(
            "rev-parse", "-q", "--verify", f"{rev}:{check_path(path)}", ok_codes=(0, 1, 128)
        )
        return result.stdout.decode().strip() or None

    def blob_ids(self, rev: str | None = None) -> dict[str, str]:
        """Every file at `rev` (default: newest) with its git object id, in one call."""
        rev = self.resolve(rev) if rev else self.head()
        if rev is None:
            return {}
        out = self._out("ls-tree", "-r", "-z", rev)
        found = {}
        for entry in out.split("\0"):
            if entry:
                meta, _, path = entry.partition("\t")
                found[path] = meta.split()[2]
        return found

    def messages(self) -> tuple[list[str], dict[str, str]]:
        """The commits of `main`, newest first, and each one's full message (one call)."""
        if self.head() is None:
            return [], {}
        out = self._out("log", f"--format={RECORD}%H{FIELD}%B", BRANCH)
        order, bodies = [], {}
        for record in out.split(RECORD):
            if FIELD in record:
                commit, body = record.split(FIELD, 1)
                commit = commit.strip()
                order.append(commit)
                bodies[commit] = body
        return order, bodies

    def files(self, rev: str | None = None) -> list[str]:
        rev = self.resolve(rev) if rev else self.head()
        if rev is None:
            return []
        return self._out("ls-tree", "-r", "--name-only", "-z", rev).strip("\0").split("\0")

    def log(self, path: str | None = None, *, limit: int = 100) -> list[Revision]:
        """Newest first: the commits on `main` (touching `path` when given)."""
        if self.head() is None:
            return []
        args = ["log", f"--max-count={limit}", f"--format={_LOG_FORMAT}", BRANCH]
        if path is not None:
            args += ["--", check_path(path)]
        return _parse_log(self._out(*args))

    def log_at(
        self, rev: str, path: str, *, limit: int = 100, include_deleted: bool = False
    ) -> list[Revision]:
        """Newest first: the commits up to `rev` that touched `path` (that still exists there,
        unless `include_deleted`)."""
        commit = self.resolve(rev)
        if not include_deleted and self.read(path, commit) is None:
            return []
        args = ["log", f"--max-count={limit}", f"--format={_LOG_FORMAT}", commit, "--"]
        return _parse_log(self._out(*args, check_path(path)))

    def revision(self, rev: str) -> Revision:
        (found,) = _parse_log(self._out("log", "-1", f"--format={_LOG_FORMAT}", self.resolve(rev)))
        return found

    def last_changes(self) -> dict[str, Revision]:
        """For every file on `main`, the commit that last changed it (one walk of the log)."""
        if self.head() is None:
            return {}
        out = self._out("log", f"--format={RECORD}{_HEADER}", "--name-only", BRANCH)
        latest: dict[str, Revision] = {}
        for chunk in out.split(RECORD):
            lines = chunk.strip("\n").split("\n")
            if not lines or FIELD not in lines[0]:
                continue
            commit, author, when, message = lines[0].split(FIELD, 3)
            revision = Revision(commit, author, when, message)
            for name in lines[1:]:
                if name.strip():
                    latest.setdefault(name.strip(), revision)
        return latest

    def parent(self, rev: str) -> str | None:
        """The commit before `rev` on `main` (None for the first one)."""
        result = self._git("rev-parse", "--verify", "-q", f"{self.resolve(rev)}^", ok_codes=(0, 1))
        return result.stdout.decode().strip() or None

    def diff(self, old: str | None, new: str, path: str | None = None) -> str:
        """Unified diff from `old` (None: nothing) to `new` (of `path` only when given)."""
        base = self.resolve(old) if old else EMPTY_TREE
        args = ["diff", "--no-color", "--no-ext-diff", base, self.resolve(new)]
        if path is not None:
            args += ["--", check_path(path)]
        return self._git(*args).stdout.decode(errors="replace")

    def changed_paths(self, old: str | None, new: str) -> list[str]:
        base = self.resolve(old) if old else EMPTY_TREE
        out = self._out("diff", "--name-only", "-z", base, self.resolve(new))
        return [p for p in out.split("\0") if p]

    def export(self, dest: Path, rev: str | None = None) -> Path:
        """Write the source folder at `rev` (default: newest) into `dest`; returns `dest`."""
        rev = self.resolve(rev) if rev else self.head()
        if rev is None:
            raise HistoryError("the content history is empty: upload or publish a folder first")
        archive = self._git("archive", "--format=tar", rev).stdout
        dest.mkdir(parents=True, exist_ok=True)
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:") as tar:
            tar.extractall(dest, filter="data")
        return dest

    # ---- writing ---------------------------------------------------------------------------
    def commit_folder(self, folder: Path, *, author: str, message: str) -> str:
        """Make `main` hold exactly the files of `folder`; returns the commit (no empty commit)."""
        self.ensure()
        with tempfile.TemporaryDirectory(prefix="history-") as tmp:
            index = Path(tmp) / "index"
            self._git("add", "-A", "--", ".", index=index, work_tree=folder.resolve())
            tree = self._out("write-tree", index=index)
        with file_lock(self.git_dir / "write.lock"):
            return self._commit_tree(tree, self.head(), author=author, message=message)

    def commit_files(
        self,
        changes: Mapping[str, bytes | None],
        *,
        author: str,
        message: str,
        base: str | None,
    ) -> str:
        """Write (bytes) or delete (None) files on top of `main`; returns the new commit.

        `base` is the commit the editor's form was opened at: if one of these files changed on
        `main` after it, `EditConflict` is raised and nothing is written.
        """
        self.ensure()
        for path in changes:
            check_path(path)
        with file_lock(self.git_dir / "write.lock"):
            return self._commit_files(changes, author=author, message=message, base=base)

    def _commit_files(
        self, changes: Mapping[str, bytes | None], *, author: str, message: str, base: str | None
    ) -> str:
        for _attempt in range(5):
            head = self.head()
            if base is not None and head is not None and head != self.resolve(base):
                for path in self.changed_paths(base, head):
                    if path in changes:
                        theirs = self.log(path, limit=1)[0]
                        raise EditConflict(path, base, theirs, self.read(path, head))
            with tempfile.TemporaryDirectory(prefix="history-") as tmp:
                index = Path(tmp) / "index"
                if head is not None:
                    self._git("read-tree", head, index=index)
                for path, data in changes.items():
                    if data is None:
                        self._git("update-index", "--force-remove", "--", path, index=index)
                        continue
                    blob = self._out("hash-object", "-w", "--stdin", input=data)
                    self._git(
                        "update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", index=index
                    )
                tree = self._out("write-tree", index=index)
            try:
                return self._commit_tree(tree, head, author=author, message=message)
            except _Moved:
                continue  # someone committed meanwhile: check again on top of theirs
        raise HistoryError("the content history is too busy; try again")

    def restore(self, path: str, rev: str, *, author: str, base: str | None = None) -> str:
        """Commit the file as it was at `rev` (a new commit; history is never rewritten)."""
        old = self.read(path, rev)
        if old is None:
            raise HistoryError(f"{path} did not exist in version {rev[:10]}")
        return self.commit_files(
            {path: old},
            author=author,
            message=f"Restore {path} as of {rev[:10]}",
            base=base,
        )

    def _commit_tree(self, tree: str, parent: str | None, *, author: str, message: str) -> str:
        if parent is not None and self._out("rev-parse", f"{parent}^{{tree}}") == tree:
            return parent  # nothing changed
        args = ["commit-tree", tree, "-F", "-"]
        if parent is not None:
            args[2:2] = ["-p", parent]
        commit = self._out(*args, input=message.encode(), author=author)
        old = parent or "0" * 40
        moved = self._git("update-ref", BRANCH, commit, old, ok_codes=(0, 128))
        if moved.returncode != 0:
            raise _Moved()
        return commit


class _Moved(Exception):
    """`main` moved between reading it and updating it."""


def _parse_log(out: str) -> list[Revision]:
    revisions = []
    for record in out.split(RECORD):
        record = record.strip("\n")
        if record:
            commit, author, when, message = record.split(FIELD, 3)
            revisions.append(Revision(commit, author, when, message))
    return revisions


def commit_time(revision: Revision) -> datetime:
    return datetime.fromisoformat(revision.when).astimezone(UTC)
