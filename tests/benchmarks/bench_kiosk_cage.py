"""The kiosk inside cage, per Qt Quick renderer: software backend against Mesa's llvmpipe.

As the systemd unit runs it: `deploy/kiosk/kiosk-session.sh` as an unprivileged user (the
kiosk user's stand-in, `nobody`), cage on wlroots' headless backend (one 1280×720 output, pixman
renderer, no GPU), the kiosk's `renderer` setting `software` or `opengl` (Qt Quick's default
backend: OpenGL, drawn by Mesa's llvmpipe on the CPU here). For each renderer and each start:

- cold start: from starting the session (cage included) to the kiosk's first frame;
- tap to frame: `TAP_ROUNDS` × (help, back) taps through the kiosk's test hook (headless wlroots
  has no input devices), from the synthetic click to the next `frameSwapped`;
- CPU time of the kiosk process and of cage per tap (user + system, all threads: llvmpipe
  draws in the kiosk's own threads);
- RSS of the kiosk process after the taps (with its anonymous and file-backed parts), and its
  peak (VmHWM).

The renderers are started in turn, `STARTS` times each (software first on even starts,
llvmpipe first on odd ones), so that the shared machine's load falls on both alike; the
llvmpipe/software ratios are of figures measured in the same run. `python -m tests.benchmarks
kiosk_cage` runs it alone and writes bench-results/bench_kiosk_cage.json.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

STARTS = 5
TAP_ROUNDS = 15


def _session_process(session_pid: int, name: str) -> Any:
    """The session's process running program `name` (cage) or Python module `name` (the kiosk:
    the probe standing in for `safe-airports kiosk`)."""
    import psutil

    for child in psutil.Process(session_pid).children(recursive=True):
        try:
            command = child.cmdline()
        except psutil.NoSuchProcess:
            continue
        if Path(command[0]).name == name or command[1:3] == ["-m", name]:
            return child
    raise RuntimeError(f"no {name} process in the cage session")


def _cpu_seconds(process: Any) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


def _memory(pid: int) -> dict[str, int]:
    """From /proc/PID/status, in bytes: VmRSS, its anonymous and file-backed parts (RssAnon:
    heap, stacks, buffers; RssFile: mapped libraries and files, shareable) and VmHWM (peak)."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "RssAnon", "RssFile", "VmHWM"):
            fields[key] = int(value.split()[0]) * 1024
    return fields


def one_start(base: Path, cache: Path, renderer: str, rounds: int) -> dict:
    """Start the session once; cold start (s), taps (ms), graphics API, RSS and peak (MB)."""
    from tests.kiosk.screens import Probe, start_cage, stop_cage

    began = time.monotonic()
    session, run_dir, work = start_cage(base, cache, renderer)
    try:
        probe = Probe(run_dir / "probe.sock", lambda: session.poll() is None)
        state = probe.wait_until(lambda s: s["frames"] > 0, "first frame")
        cold = float((work / "first-frame").read_text()) - began
        api = f"{state['graphics_api']} {state['gl_renderer'] or ''}".strip()
        probe.wait_until(lambda s: s["screen"] == "attract", "attract")
        probe.ask("tap attract.start")
        kiosk = _session_process(session.pid, "tests.kiosk.kiosk_probe")
        cage = _session_process(session.pid, "cage")
        cpu = _cpu_seconds(kiosk), _cpu_seconds(cage)
        taps: list[float] = []
        for _ in range(rounds):
            taps.append(probe.ask("tap nav.help"))
            taps.append(probe.ask("tap nav.back"))
        kiosk_cpu = (_cpu_seconds(kiosk) - cpu[0]) * 1000 / len(taps)
        cage_cpu = (_cpu_seconds(cage) - cpu[1]) * 1000 / len(taps)
        memory = _memory(kiosk.pid)
        probe.ask("quit")
        session.wait(timeout=60)
    finally:
        stop_cage(session)
    times = {"cold": cold, "taps": taps, "kiosk_cpu": kiosk_cpu, "cage_cpu": cage_cpu}
    return {"api": api, **times, **memory}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(samples: list[dict]) -> dict:
    taps = [t for s in samples for t in s["taps"]]
    colds = [s["cold"] for s in samples]
    return {
        "graphics": samples[0]["api"],
        "cold_start_s_median": round(statistics.median(colds), 3),
        "cold_start_s_all": [round(c, 3) for c in colds],
        "tap_to_frame_ms_p50": round(percentile(taps, 50), 1),
        "tap_to_frame_ms_p95": round(percentile(taps, 95), 1),
        "tap_samples": len(taps),
        # CPU time (user + system, every thread) per tap: what a tap costs on a machine where
        # nothing else runs, less disturbed by the other work here than the times are.
        "kiosk_cpu_ms_per_tap_median": round(statistics.median(s["kiosk_cpu"] for s in samples), 1),
        "cage_cpu_ms_per_tap_median": round(statistics.median(s["cage_cpu"] for s in samples), 1),
        "rss_mb_after_taps_median": _median_mb(samples, "VmRSS"),
        "rss_anon_mb_median": _median_mb(samples, "RssAnon"),
        "rss_file_mb_median": _median_mb(samples, "RssFile"),
        "peak_rss_mb_median": _median_mb(samples, "VmHWM"),
    }


def _median_mb(samples: list[dict], key: str) -> float:
    return round(statistics.median(s[key] for s in samples) / 2**20, 1)


def ratios(results: dict[str, dict]) -> dict[str, float]:
    """llvmpipe / software for each figure, from the same run."""
    soft, gl = results["software"], results["llvmpipe"]
    keys = (
        "cold_start_s_median",
        "tap_to_frame_ms_p50",
        "tap_to_frame_ms_p95",
        "kiosk_cpu_ms_per_tap_median",
        "cage_cpu_ms_per_tap_median",
        "rss_mb_after_taps_median",
        "rss_anon_mb_median",
        "rss_file_mb_median",
        "peak_rss_mb_median",
    )
    return {key: round(gl[key] / soft[key], 2) for key in keys}


def run(starts: int = STARTS, rounds: int = TAP_ROUNDS) -> dict:
    """Figures per renderer and their ratios; empty when cage cannot run here (why is printed)."""
    from kiosk.content_loader import build_fallback
    from tests.kiosk.screens import RENDERERS, unprivileged_venv

    if shutil.which("cage") is None or os.geteuid() != 0:
        print("cage benchmark skipped: needs cage installed and root (to run as the kiosk user)")
        return {}
    base = Path(tempfile.mkdtemp(prefix="bench-cage-", dir="/tmp"))
    try:
        why_not = unprivileged_venv(base)
        if why_not:
            print(f"cage benchmark skipped: {why_not}")
            return {}
        cache = build_fallback(base / "build")
        samples: dict[str, list[dict]] = {name: [] for name in RENDERERS}
        for attempt in range(starts):
            order = sorted(RENDERERS)
            for renderer in order if attempt % 2 else reversed(order):
                samples[renderer].append(one_start(base, cache, renderer, rounds))
        results: dict[str, Any] = {name: summary(s) for name, s in samples.items()}
        results["llvmpipe_over_software"] = ratios(results)
        results["load_average_1min_at_end"] = round(os.getloadavg()[0], 2)
        return results
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(run(*[int(a) for a in sys.argv[1:3]]), indent=2))
