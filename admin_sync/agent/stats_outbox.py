"""The kiosk's statistics outbox: seal usage counters into private batches, upload them once.

Qt-free. Used by the sync agent once per cycle through `StatsOutbox.seal_and_upload(...)`.

Sealing (see `admin_sync.stats_wire` for the privacy rule): every (day, 6-hour part) that is
over becomes one batch with a random id (uuid4). Only allow-listed metric/values are kept
(re-checked against the allow-list in `admin_sync.stats_wire`); small cells are suppressed.

Crash safety. The counters live in the kiosk's own SQLite file and the outbox in ours, so one
SQLite transaction cannot cover both. Sealing is therefore a small write-ahead protocol:

1. one outbox transaction stores the new batches *and* the keys of the counter cells they were
   made from (table `sealing`), fsynced (`synchronous=FULL`);
2. the counter cells are deleted from the usage store;
3. the `sealing` rows are cleared.

If power fails after 1, the next start finishes step 2 from `sealing` before anything else, so
a cell is neither counted twice (it is in exactly one batch) nor lost. The only assumption is
the one that makes "a part is over" meaningful: the kiosk does not add to a part that has
ended (its clock does not run backwards by hours between the crash and the restart).

Uploading: pending batches go out oldest first with `PUT /api/v1/stats/{batch_id}` and the
kiosk token. Only a 2xx marks a batch sent; network errors, 5xx, 429, 401 and 403 leave it
pending with exponential backoff (with jitter); another 4xx means the server does not take
these bytes, so the batch is set aside as `rejected`: kept with the server's reason, reported
in every heartbeat while kept, and offered again only every `rejected_retry_hours` (the
refusal may come from a setting or a clock fixed since), never in a loop.

Cap: if more than `max_pending` batches wait, the oldest are dropped; the number dropped is
added to the `dropped_batches` field of the next sealed batch and shown by `status()` for the
heartbeat.
"""

from __future__ import annotations

import json
import logging
import random
import sqlite3
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from admin_sync.stats_wire import (
    DEFAULT_K,
    SUPPRESSED,
    batch_body,
    canonical_json,
    k_problem,
    suppress,
    value_allowed,
)
from content.settings_base import SettingsError, from_mapping, setting
from content.sqlite_migrations import apply_migrations

log = logging.getLogger(__name__)

CellKey = tuple[str, int, str, str]  # (day, part, metric, value)


class CounterCell(Protocol):
    @property
    def day(self) -> str: ...
    @property
    def part(self) -> int: ...
    @property
    def metric(self) -> str: ...
    @property
    def value(self) -> str: ...
    @property
    def count(self) -> int: ...


class CounterSource(Protocol):
    """The part of `kiosk.usage_store.UsageStore` the outbox needs."""

    def cells_before(self, day: str, part: int) -> Sequence[CounterCell]: ...

    def delete_cells(self, keys: Iterable[CellKey]) -> Any: ...


@dataclass(frozen=True)
class OutboxSettings:
    """Settings of the statistics outbox: keys `stats_<name>` of the kiosk TOML's `[sync]` table."""

    k: int = setting(
        DEFAULT_K,
        help="Smallest count that may leave the kiosk; smaller cells are merged into a "
        "suppressed total per metric, which is withheld if it is itself under k.",
    )
    max_pending: int = setting(
        4 * 366,
        help="Batches kept while offline (4 a day: the default is a year); past this the "
        "oldest are dropped and their number is reported in the next batch.",
    )
    backoff_base_seconds: float = setting(
        30.0, help="Wait after a failed upload; doubles with each failure in a row."
    )
    backoff_max_seconds: float = setting(6 * 3600.0, help="Longest wait between upload tries.")
    request_timeout_seconds: float = setting(20.0, help="HTTP timeout of one upload.")
    max_uploads_per_cycle: int = setting(200, help="Batches sent at most in one agent cycle.")
    keep_sent: int = setting(200, help="Sent batches kept locally for diagnosis.")
    rejected_retry_hours: float = setting(
        24.0,
        help="A batch the server refused is offered again this long after (in case the "
        "refusal came from a setting or a clock fixed since); 0: never.",
    )

    @classmethod
    def from_sync_table(cls, sync: Mapping[str, Any], *, where: str) -> OutboxSettings:
        """The `stats_*` keys of a `[sync]` table (other keys belong to the agent)."""
        values = {k.removeprefix("stats_"): v for k, v in sync.items() if k.startswith("stats_")}
        settings = from_mapping(cls, values, where=f"{where} [sync] stats_*")
        problem = k_problem(settings.k)
        if problem:
            raise SettingsError(f"{where} [sync] stats_k: {problem}")
        if settings.max_pending < 1:
            raise SettingsError(f"{where} [sync] stats_max_pending: must be at least 1")
        return settings


MIGRATIONS: tuple[str, ...] = (
    # 1: batches, write-ahead keys of the cells being sealed, and counters
    """
    CREATE TABLE batches(
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        batch_id TEXT NOT NULL UNIQUE,
        day TEXT NOT NULL,
        part INTEGER NOT NULL,
        body BLOB NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'rejected')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
    );
    CREATE INDEX batches_state ON batches(state, seq);
    CREATE TABLE sealing(
        day TEXT NOT NULL, part INTEGER NOT NULL, metric TEXT NOT NULL, value TEXT NOT NULL,
        PRIMARY KEY (day, part, metric, value)
    );
    CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
    """,
    # 2: when a batch the server refused may be offered again (epoch seconds; NULL: never)
    """
    ALTER TABLE batches ADD COLUMN retry_after INTEGER;
    UPDATE batches SET retry_after = 0 WHERE state = 'rejected';
    """,
)


def day_part(moment: datetime) -> tuple[str, int]:
    """(YYYY-MM-DD, 0..3) of a kiosk-local moment."""
    return moment.date().isoformat(), moment.hour // 6


@dataclass
class CycleReport:
    sealed: list[str] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    dropped: int = 0
    discarded_cells: int = 0
    error: str | None = None


class StatsOutbox:
    """The outbox file plus the sealing and upload logic. One instance per agent process."""

    def __init__(
        self,
        path: Path,
        *,
        kiosk_id: str,
        settings: OutboxSettings | None = None,
        clock: Callable[[], datetime] | None = None,
        rng: random.Random | None = None,
        metrics: Any = None,
    ) -> None:
        self.path = Path(path)
        self.kiosk_id = kiosk_id
        self.settings = settings or OutboxSettings()
        problem = k_problem(self.settings.k)
        if problem is not None:  # never seal what the server would refuse
            raise ValueError(f"statistics outbox: k {problem}")
        self._clock = clock or (lambda: datetime.now().astimezone())
        self._rng = rng or random.Random()
        self._metrics = metrics
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._migrate()

    # -- storage ---------------------------------------------------------------------------

    def _migrate(self) -> None:
        apply_migrations(
            self._db,
            MIGRATIONS,
            what=f"{self.path}: outbox",
            newer_hint=f"this agent knows ({len(MIGRATIONS)})",
        )

    def close(self) -> None:
        self._db.close()

    def _meta(self, key: str) -> int:
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return int(row[0]) if row else 0

    def _set_meta(self, key: str, value: int) -> None:
        self._db.execute(
            "INSERT INTO meta(key, value) VALUES(?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
            (key, value),
        )

    # -- sealing ---------------------------------------------------------------------------

    def recover(self, counters: CounterSource) -> int:
        """Finish an interrupted seal (step 2 and 3). Returns the number of keys deleted."""
        keys: list[CellKey] = [
            (d, int(p), m, v)
            for d, p, m, v in self._db.execute("SELECT day, part, metric, value FROM sealing")
        ]
        if keys:
            counters.delete_cells(keys)
            if _make_durable(counters):
                self._db.execute("DELETE FROM sealing")
        return len(keys)

    def seal(self, counters: CounterSource, report: CycleReport | None = None) -> list[str]:
        """Seal every (day, part) that is over. Returns the new batch ids, oldest first."""
        report = report if report is not None else CycleReport()
        self.recover(counters)
        day, part = day_part(self._clock())
        cells = list(counters.cells_before(day, part))
        if not cells:
            return []
        groups: dict[tuple[str, int], list[tuple[str, str, int]]] = defaultdict(list)
        keys: list[CellKey] = []
        for cell in cells:
            keys.append((cell.day, int(cell.part), cell.metric, cell.value))
            if (day_part_key := (cell.day, int(cell.part))) >= (day, part):
                continue  # defensive: never seal the running part
            if cell.value == SUPPRESSED or not value_allowed(
                cell.metric, cell.value, self._metrics
            ):
                report.discarded_cells += 1
                log.warning("discarding counter outside the allow-list: %s", cell.metric)
                continue
            groups[day_part_key].append((cell.metric, cell.value, int(cell.count)))
        keys = [key for key in keys if (key[0], key[1]) < (day, part)]
        new_ids: list[str] = []
        self._db.execute("BEGIN IMMEDIATE")
        try:
            bodies = []
            for group_day, group_part in sorted(groups):
                sealed = suppress(groups[(group_day, group_part)], self.settings.k)
                if sealed:
                    bodies.append((group_day, group_part, sealed))
            report.dropped += self._enforce_cap(incoming=len(bodies))
            unreported = self._meta("dropped_unreported")
            for index, (group_day, group_part, sealed) in enumerate(bodies):
                body = batch_body(
                    kiosk_id=self.kiosk_id,
                    day=group_day,
                    part=group_part,
                    k=self.settings.k,
                    cells=sealed,
                    dropped_batches=unreported if index == 0 else 0,
                )
                batch_id = str(uuid.uuid4())
                self._db.execute(
                    "INSERT INTO batches(batch_id, day, part, body, state) "
                    "VALUES(?, ?, ?, ?, 'pending')",
                    (batch_id, group_day, group_part, canonical_json(body)),
                )
                new_ids.append(batch_id)
            if bodies:
                self._set_meta("dropped_unreported", 0)
            self._db.executemany(
                "INSERT OR IGNORE INTO sealing(day, part, metric, value) VALUES(?, ?, ?, ?)", keys
            )
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        counters.delete_cells(keys)
        if _make_durable(counters):
            self._db.execute("DELETE FROM sealing")
        report.sealed.extend(new_ids)
        return new_ids

    def _enforce_cap(self, *, incoming: int) -> int:
        """Drop the oldest pending batches so that at most `max_pending` remain (in a txn)."""
        pending = self._db.execute("SELECT count(*) FROM batches WHERE state='pending'").fetchone()[
            0
        ]
        excess = pending + incoming - self.settings.max_pending
        if excess <= 0:
            return 0
        victims = self._db.execute(
            "SELECT seq, body FROM batches WHERE state='pending' ORDER BY day, part, seq LIMIT ?",
            (excess,),
        ).fetchall()
        carried = sum(int(json.loads(body).get("dropped_batches", 0)) for _, body in victims)
        self._db.executemany("DELETE FROM batches WHERE seq=?", [(seq,) for seq, _ in victims])
        dropped = len(victims)
        self._set_meta("dropped_unreported", self._meta("dropped_unreported") + dropped + carried)
        self._set_meta("dropped_total", self._meta("dropped_total") + dropped)
        if dropped:
            log.warning("statistics outbox full: dropped %d oldest batches", dropped)
        return dropped

    # -- uploading -------------------------------------------------------------------------

    def upload(self, session: Any, *, server_url: str, token: str, report: CycleReport) -> None:
        """Send pending batches, oldest first; on a transient failure stop and back off.

        The backoff is for the whole queue (the server or the network is down, not one batch):
        the delay doubles with each consecutive failure up to `backoff_max_seconds`.
        """
        now = self._clock().timestamp()
        if now < self._meta("upload_not_before"):
            return
        rows = self._db.execute(
            "SELECT seq, batch_id, body, state FROM batches "
            "WHERE state='pending' OR (state='rejected' AND retry_after <= ?) "
            "ORDER BY state, day, part, seq LIMIT ?",
            (int(now), self.settings.max_uploads_per_cycle),
        ).fetchall()
        base = server_url.rstrip("/")
        for seq, batch_id, body, state in rows:
            try:
                response = session.put(
                    f"{base}/api/v1/stats/{batch_id}",
                    data=body,
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Content-Type": "application/json",
                    },
                    timeout=self.settings.request_timeout_seconds,
                )
                status = int(response.status_code)
                reason = _reason(response)
            except Exception as exc:  # network errors of any HTTP library: retry later
                self._back_off(seq, now, f"network: {type(exc).__name__}: {exc}")
                report.error = f"stats upload failed: {exc}"
                return
            if 200 <= status < 300:
                self._db.execute(
                    "UPDATE batches SET state='sent', last_error=NULL WHERE seq=?", (seq,)
                )
                self._set_meta("upload_failures", 0)
                report.sent.append(batch_id)
            elif status in (401, 403, 408, 425, 429) or status >= 500:
                self._back_off(seq, now, f"HTTP {status}: {reason}")
                report.error = f"stats upload: HTTP {status}: {reason}"
                return
            else:
                hours = self.settings.rejected_retry_hours
                self._db.execute(
                    "UPDATE batches SET state='rejected', last_error=?, retry_after=? WHERE seq=?",
                    (
                        f"HTTP {status}: {reason}",
                        int(now + hours * 3600) if hours > 0 else None,
                        seq,
                    ),
                )
                if state == "pending":  # a retried one was reported when first refused
                    report.rejected.append(batch_id)
                log.error(
                    "server rejected statistics batch %s: HTTP %s %s", batch_id, status, reason
                )
        self._prune_sent()

    def _back_off(self, seq: int, now: float, error: str) -> None:
        failures = self._meta("upload_failures")
        delay = min(
            self.settings.backoff_max_seconds,
            self.settings.backoff_base_seconds * 2 ** min(failures, 30),
        )
        delay *= 0.5 + self._rng.random() / 2  # jitter: kiosks do not retry in lockstep
        self._db.execute("BEGIN IMMEDIATE")
        self._db.execute(
            "UPDATE batches SET attempts=attempts+1, last_error=? WHERE seq=?", (error[:500], seq)
        )
        self._set_meta("upload_failures", failures + 1)
        self._set_meta("upload_not_before", int(now + delay) + 1)
        self._db.execute("COMMIT")

    def _prune_sent(self) -> None:
        self._db.execute(
            "DELETE FROM batches WHERE state='sent' AND seq NOT IN "
            "(SELECT seq FROM batches WHERE state='sent' ORDER BY seq DESC LIMIT ?)",
            (self.settings.keep_sent,),
        )

    # -- the agent's hook ------------------------------------------------------------------

    def seal_and_upload(
        self, session: Any, *, counters: CounterSource, server_url: str, token: str | None
    ) -> CycleReport:
        """One agent cycle: seal finished parts, then upload what is due (if there is a token).

        Never raises for network trouble; the report says what happened.
        """
        report = CycleReport()
        self.seal(counters, report)
        if token:
            self.upload(session, server_url=server_url, token=token, report=report)
        return report

    def status(self) -> dict[str, Any]:
        """Figures for the heartbeat: pending batches, oldest pending day, dropped batches."""
        pending, oldest = self._db.execute(
            "SELECT count(*), min(day) FROM batches WHERE state='pending'"
        ).fetchone()
        rejected, reason = self.rejected()
        return {
            "stats_pending": int(pending),
            "stats_oldest_pending_day": oldest,
            "stats_rejected": rejected,
            "stats_rejected_reason": reason,
            "stats_dropped_total": self._meta("dropped_total"),
        }

    def rejected(self) -> tuple[int, str | None]:
        """Batches the server refused (kept here, never resent) and the latest reason given.

        Reported in every heartbeat while any is kept, so nothing the server refuses is lost
        silently: the figures stay in the outbox for an administrator to look at.
        """
        count = int(
            self._db.execute("SELECT count(*) FROM batches WHERE state='rejected'").fetchone()[0]
        )
        row = self._db.execute(
            "SELECT day, part, last_error FROM batches WHERE state='rejected' "
            "ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        reason = f"batch of {row[0]} part {row[1]}: {row[2]}" if row else None
        return count, reason

    def pending_bodies(self) -> list[tuple[str, dict[str, Any]]]:
        """(batch id, body) of every pending batch, oldest first (diagnosis and tests)."""
        return [
            (batch_id, json.loads(body))
            for batch_id, body in self._db.execute(
                "SELECT batch_id, body FROM batches WHERE state='pending' ORDER BY day, part, seq"
            )
        ]


def _make_durable(counters: CounterSource) -> bool:
    """Checkpoint the usage file's WAL so the deletion survives a power cut.

    The kiosk writes its counters with `synchronous=NORMAL` (cheap, fine for increments), where a
    committed delete could come back after power loss; a checkpoint syncs it to the main file
    before the outbox forgets which cells it sealed.
    """
    path = getattr(counters, "path", None)
    if path is None:
        return True
    try:
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        try:
            conn.execute("PRAGMA synchronous=FULL")
            busy = conn.execute("PRAGMA wal_checkpoint(FULL)").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        log.warning("usage file checkpoint failed (will redo the delete next cycle): %s", exc)
        return False
    # busy: the kiosk was writing; the delete is redone (idempotently) next cycle
    return not busy


def _reason(response: Any) -> str:
    try:
        data = response.json()
    except Exception:
        return str(getattr(response, "text", ""))[:200]
    if isinstance(data, dict) and "detail" in data:
        return str(data["detail"])[:200]
    return str(data)[:200]


class StatsStep:
    """The agent's cycle step: `agent.steps.append(StatsStep.from_config(config))`.

    Opens the outbox (`state_dir/stats-outbox.db`) on first use, seals the kiosk's usage file
    (`usage_file`) and uploads with the agent's session, server URL and token. A network
    failure is only recorded (the update check reports the network); batches the server
    refused are raised so that they reach the heartbeat's `last_error`.
    """

    __name__ = "statistics"

    def __init__(self, settings: OutboxSettings | None = None) -> None:
        self.settings = settings or OutboxSettings()
        self.outbox: StatsOutbox | None = None

    @classmethod
    def from_config(cls, config: Any) -> StatsStep:
        """From an `AgentConfig`: the `stats_*` keys of its TOML file's `[sync]` table."""
        import tomllib

        source = getattr(config, "source", None)
        if source is None:
            return cls()
        sync = tomllib.loads(Path(source).read_text(encoding="utf-8")).get("sync", {})
        return cls(OutboxSettings.from_sync_table(sync, where=str(source)))

    def __call__(self, agent: Any, update_report: Any = None) -> None:
        from kiosk.usage_store import UsageStore

        if self.outbox is None:
            self.outbox = StatsOutbox(
                agent.state_dir / "stats-outbox.db",
                kiosk_id=agent.kiosk_id,
                settings=self.settings,
            )
        report = self.outbox.seal_and_upload(
            agent.session,
            counters=UsageStore(agent.config.usage_file),
            server_url=agent.server_url,
            token=agent.token,
        )
        agent.state["stats"] = {
            **self.outbox.status(),
            "sealed_last_cycle": len(report.sealed),
            "sent_last_cycle": len(report.sent),
            "last_upload_error": report.error,
        }
        if report.rejected:
            raise RuntimeError(
                f"server refused {len(report.rejected)} statistics batch(es); see the outbox"
            )
