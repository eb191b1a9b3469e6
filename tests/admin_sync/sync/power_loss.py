"""Record the file operations of a real install, then list what a power cut could leave.

`RecordingOps` is a `content.installed.FileOps` that performs each operation for real and
appends it to a log, keeping a model of the folder as the disk would hold it. `crash_states(i)`
lists every folder a power cut after the first `i` operations could leave, under this model
(after ALICE, "All File Systems Are Not Created Equal", OSDI 2014):

- data written to a file and not fsynced since is lost: the file holds what its last fsync
  saw, or nothing (the truncation reached the disk, the data did not), or all of it;
- a directory entry changed (create, rename, unlink, mkdir) and not followed by an fsync of
  that directory may be lost, each independently of the others (any subset survives, applied
  in their order); a rename between two folders is a new entry in one and a removal in the
  other, each lost or kept;
- fsync of a file makes its data durable; fsync of a directory makes its entries durable.

Files written by another writer (the builder writes the staged cache through SQLite) are
picked up when an operation first names them, as data not yet synced in a new entry: the most
pessimistic reading of what happened before.

A state is a mapping relative path -> bytes (folders end with "/"); `materialize` writes one.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from content.installed import LOCK, FileOps

State = dict[str, bytes]
MAX_SUBSET_OPS = 10  # past this many pending entries in one folder, only prefixes are tried


@dataclass(frozen=True)
class DirOp:
    kind: str  # "link" (name -> node) or "unlink" (name)
    name: str
    node: int = -1


@dataclass
class Disk:
    """Nodes (files and folders) with their volatile and durable states."""

    entries: dict[int, dict[str, int]] = field(default_factory=dict)  # folder -> name -> node
    durable_entries: dict[int, dict[str, int]] = field(default_factory=dict)
    pending: dict[int, list[DirOp]] = field(default_factory=dict)
    data: dict[int, bytes] = field(default_factory=dict)  # file -> bytes in the page cache
    durable_data: dict[int, bytes] = field(default_factory=dict)
    next_node: int = 0

    def copy(self) -> Disk:
        return Disk(
            {d: dict(e) for d, e in self.entries.items()},
            {d: dict(e) for d, e in self.durable_entries.items()},
            {d: list(p) for d, p in self.pending.items()},
            dict(self.data),
            dict(self.durable_data),
            self.next_node,
        )


class RecordingOps(FileOps):
    """Real file operations under `root`, recorded with the disk model after each one."""

    def __init__(self, root: Path, *, drop_fsync_dir: int | None = None) -> None:
        self.root = Path(os.path.abspath(root))
        self.disk = Disk()
        self.log: list[str] = []
        self.snapshots: list[Disk] = []
        self.fsync_dir_calls = 0
        self.drop_fsync_dir = drop_fsync_dir  # a mutant: skip this fsync_dir (0-based)
        root_node = self._new_node(folder=True)
        assert root_node == 0
        self._scan(self.root, root_node)
        self.disk.durable_entries = {d: dict(e) for d, e in self.disk.entries.items()}
        self.disk.durable_data = dict(self.disk.data)
        self.snapshots.append(self.disk.copy())

    # -- the model ------------------------------------------------------------------------

    def _new_node(self, *, folder: bool) -> int:
        node = self.disk.next_node
        self.disk.next_node += 1
        if folder:
            self.disk.entries[node] = {}
            self.disk.durable_entries[node] = {}
        else:
            self.disk.data[node] = b""
            self.disk.durable_data[node] = b""
        return node

    def _scan(self, path: Path, node: int) -> None:
        for child in sorted(path.iterdir()):
            if child.name == LOCK:
                continue
            if child.is_dir():
                sub = self._new_node(folder=True)
                self.disk.entries[node][child.name] = sub
                self._scan(child, sub)
            else:
                leaf = self._new_node(folder=False)
                self.disk.entries[node][child.name] = leaf
                self.disk.data[leaf] = child.read_bytes()

    def _parts(self, path: Path) -> list[str]:
        return list(Path(os.path.abspath(path)).relative_to(self.root).parts)

    def _folder_of(self, path: Path) -> tuple[int, str]:
        parts = self._parts(Path(os.path.abspath(path)))
        node = 0
        for name in parts[:-1]:
            node = self.disk.entries[node][name]
        return node, parts[-1]

    def _lookup(self, path: Path) -> int | None:
        folder, name = self._folder_of(path)
        return self.disk.entries[folder].get(name)

    def _note_outside_writes(self, path: Path) -> None:
        """A file another writer created or changed since we last looked: unsynced data."""
        if not path.is_file():
            return
        real = path.read_bytes()
        node = self._lookup(path)
        if node is None:
            folder, name = self._folder_of(path)
            node = self._new_node(folder=False)
            self.disk.entries[folder][name] = node
            self.disk.pending.setdefault(folder, []).append(DirOp("link", name, node))
        if self.disk.data.get(node) != real:
            self.disk.data[node] = real
            self._record(f"outside write {self._rel(path)} ({len(real)} bytes)")

    def _rel(self, path: Path) -> str:
        return "/".join(self._parts(Path(os.path.abspath(path)))) or "."

    def _record(self, what: str) -> None:
        self.log.append(what)
        self.snapshots.append(self.disk.copy())

    # -- FileOps --------------------------------------------------------------------------

    def write_new(self, path: Path, data: bytes) -> None:
        super().write_new(path, data)
        node = self._lookup(path)
        if node is None:
            folder, name = self._folder_of(path)
            node = self._new_node(folder=False)
            self.disk.entries[folder][name] = node
            self.disk.pending.setdefault(folder, []).append(DirOp("link", name, node))
        self.disk.data[node] = data
        self._record(f"write {self._rel(path)} ({len(data)} bytes)")

    def fsync_file(self, path: Path) -> None:
        self._note_outside_writes(path)
        super().fsync_file(path)
        node = self._lookup(path)
        assert node is not None, path
        self.disk.durable_data[node] = self.disk.data[node]
        self._record(f"fsync {self._rel(path)}")

    def fsync_dir(self, path: Path) -> None:
        index = self.fsync_dir_calls
        self.fsync_dir_calls += 1
        if index == self.drop_fsync_dir:
            self._record(f"(fsync_dir {self._rel(path)} removed)")
            return
        super().fsync_dir(path)
        parts = self._parts(Path(os.path.abspath(path)))
        node = 0
        for name in parts:
            node = self.disk.entries[node][name]
        self.disk.durable_entries[node] = dict(self.disk.entries[node])
        self.disk.pending[node] = []
        self._record(f"fsync_dir {self._rel(path)}")

    def replace(self, src: Path, dst: Path) -> None:
        self._note_outside_writes(src)
        super().replace(src, dst)
        src_folder, src_name = self._folder_of(src)
        dst_folder, dst_name = self._folder_of(dst)
        node = self.disk.entries[src_folder].pop(src_name)
        self.disk.entries[dst_folder][dst_name] = node
        pending = self.disk.pending
        if src_folder == dst_folder:  # one atomic change of one folder
            pending.setdefault(src_folder, []).append(DirOp("rename:" + src_name, dst_name, node))
        else:
            pending.setdefault(dst_folder, []).append(DirOp("link", dst_name, node))
            pending.setdefault(src_folder, []).append(DirOp("unlink", src_name))
        self._record(f"rename {self._rel(src)} -> {self._rel(dst)}")

    def unlink(self, path: Path) -> None:
        existed = path.exists()
        super().unlink(path)
        if not existed:
            return
        folder, name = self._folder_of(path)
        if self.disk.entries[folder].pop(name, None) is not None:
            self.disk.pending.setdefault(folder, []).append(DirOp("unlink", name))
            self._record(f"unlink {self._rel(path)}")

    def mkdir(self, path: Path) -> None:
        missing = []
        probe = Path(os.path.abspath(path))
        while not probe.exists():
            missing.append(probe)
            probe = probe.parent
        super().mkdir(path)
        for new in reversed(missing):
            folder, name = self._folder_of(new)
            node = self._new_node(folder=True)
            self.disk.entries[folder][name] = node
            self.disk.pending.setdefault(folder, []).append(DirOp("link", name, node))
            self._record(f"mkdir {self._rel(new)}")

    def copy(self, src: Path, dst: Path) -> None:
        super().copy(src, dst)
        self._note_outside_writes(dst)

    # -- crash states ---------------------------------------------------------------------

    def crash_states(self, step: int) -> Iterator[State]:
        """Every folder a power cut right after operation `step` (0: before any) could leave."""
        disk = self.snapshots[step]
        folders = [d for d, ops in disk.pending.items() if ops]
        choices = [_op_subsets(disk.pending[d]) for d in folders]
        dirty = sorted(n for n, data in disk.data.items() if disk.durable_data.get(n) != data)
        contents = [
            sorted({disk.durable_data.get(n, b""), b"", disk.data[n]}, key=len) for n in dirty
        ]
        for chosen in itertools.product(*choices):
            entries = {d: dict(e) for d, e in disk.durable_entries.items()}
            for folder, ops in zip(folders, chosen, strict=True):
                for op in ops:
                    _apply(entries.setdefault(folder, {}), op)
            for variant in itertools.product(*contents):
                data = {**disk.durable_data, **dict(zip(dirty, variant, strict=True))}
                yield _walk(entries, data)


def _op_subsets(ops: list[DirOp]) -> list[tuple[DirOp, ...]]:
    if len(ops) > MAX_SUBSET_OPS:
        return [tuple(ops[:i]) for i in range(len(ops) + 1)]
    return [
        tuple(op for keep, op in zip(mask, ops, strict=True) if keep)
        for mask in itertools.product((False, True), repeat=len(ops))
    ]


def _apply(entries: dict[str, int], op: DirOp) -> None:
    if op.kind == "link":
        entries[op.name] = op.node
    elif op.kind == "unlink":
        entries.pop(op.name, None)
    else:  # "rename:SRC": the new name points at the node, the old one is gone
        entries.pop(op.kind.removeprefix("rename:"), None)
        entries[op.name] = op.node


def _walk(entries: dict[int, dict[str, int]], data: dict[int, bytes]) -> State:
    state: State = {}

    def visit(folder: int, prefix: str) -> None:
        for name, node in sorted(entries.get(folder, {}).items()):
            if node in entries:
                state[f"{prefix}{name}/"] = b""
                visit(node, f"{prefix}{name}/")
            else:
                state[prefix + name] = data.get(node, b"")

    visit(0, "")
    return state


def state_key(state: State) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((p, hashlib.sha256(b).hexdigest()) for p, b in state.items()))


def materialize(state: State, where: Path, blobs: Path) -> None:
    """Write a state into the empty folder `where`; large files are hard links into `blobs`."""
    where.mkdir(parents=True, exist_ok=True)
    blobs.mkdir(parents=True, exist_ok=True)
    for rel, data in sorted(state.items()):
        target = where / rel
        if rel.endswith("/"):
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if len(data) < 65536:
            target.write_bytes(data)
            continue
        blob = blobs / hashlib.sha256(data).hexdigest()
        if not blob.exists():
            blob.write_bytes(data)
            blob.chmod(0o444)  # nothing may write a shared blob in place
        os.link(blob, target)
