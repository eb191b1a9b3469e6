"""Sync benchmarks: bytes fetched for a one-article edit against the full release, time from
publish to installed on an idle kiosk, and time to apply an update.

Runs a real server process on 127.0.0.1 and the agent's code in this process (the same code
`safe-airports sync` runs), with the sample content.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from admin_sync.agent.agent import Agent
from admin_sync.agent.settings import load_config
from admin_sync.datadir import DataDir
from tests.admin_sync.sync.kiosk_under_test import SAMPLE_DIR
from tests.admin_sync.sync.processes import KioskDisk, admin
from tests.e2e.server_process import ServerProcess, init_data


def _edit(src: Path, dest: Path, sentence: str) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest)
    article = dest / "articles" / "RU" / "entry-registration" / "en.md"
    article.write_text(article.read_text(encoding="utf-8") + f"\n{sentence}\n", "utf-8")
    return dest


def run() -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp_name:
        tmp = Path(tmp_name)
        data = init_data(tmp)
        server = ServerProcess(data)
        server.start()
        try:
            admin("publish", str(SAMPLE_DIR), "--data", str(data))
            kiosk = KioskDisk(tmp / "kiosk", data, server.url, "BENCH-01")
            agent = Agent(load_config(kiosk.config))
            started = time.perf_counter()
            first = agent.run_cycle()
            first_install_s = time.perf_counter() - started
            assert first.outcome == "installed", first

            figures: dict[str, float | int] = {
                "full_release_bytes": DataDir(data).load_release(1).total_bytes(),
                "full_release_parts": first.parts_total,
                "first_install_bytes_fetched": first.bytes_fetched,
                "first_install_seconds": round(first_install_s, 3),
            }
            publish_s, apply_s, fetched, part_bytes = [], [], [], []
            for i in range(3):
                edited = _edit(SAMPLE_DIR, tmp / "edited", f"Benchmark edit number {i}.")
                t0 = time.perf_counter()
                admin("publish", str(edited), "--data", str(data))
                t1 = time.perf_counter()
                report = agent.run_cycle()  # an idle kiosk that checks right after
                t2 = time.perf_counter()
                assert report.outcome == "installed" and report.parts_downloaded == 1, report
                publish_s.append(t1 - t0)
                apply_s.append(t2 - t1)
                fetched.append(report.bytes_fetched)
                part_bytes.append(report.part_bytes_downloaded)
            full = figures["full_release_bytes"]
            figures.update(
                {
                    "edit_bytes_fetched": max(fetched),
                    "edit_changed_part_bytes": max(part_bytes),
                    "edit_metadata_and_manifest_bytes": max(fetched) - max(part_bytes),
                    "edit_fetched_percent_of_full_release": round(100 * max(fetched) / full, 2),
                    "publish_seconds_median": round(sorted(publish_s)[1], 3),
                    "apply_update_seconds_median": round(sorted(apply_s)[1], 3),
                    "publish_to_installed_seconds_median": round(
                        sorted(p + a for p, a in zip(publish_s, apply_s, strict=True))[1], 3
                    ),
                    "publish_to_installed_worst_case_note": "plus up to interval_seconds "
                    "(default 300 s, jittered) until the kiosk's next check",
                }
            )
            agent.session.close()
            return figures
        finally:
            server.stop()


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
