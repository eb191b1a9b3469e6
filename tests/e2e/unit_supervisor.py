"""A small stand-in for systemd in the software-update test: runs the kiosk's two "units".

    python -m tests.e2e.unit_supervisor CONFIG.json

CONFIG: {"units": {"kiosk": [argv...], "sync": [argv...]}, "env": {...}, "log": path,
"pidfile": path, "restart_sec": 0.3}. Each unit is restarted when it exits (Restart=always);
SIGUSR1 stops both (SIGTERM, then SIGKILL after 10 s) and starts them again, as
`systemctl restart` of both units would; SIGTERM stops everything. Every start and exit is
appended to the log as a JSON line with the wall-clock time.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path


def main(config_path: str) -> int:
    config = json.loads(Path(config_path).read_text())
    units: dict[str, list[str]] = config["units"]
    env = {**os.environ, **config.get("env", {})}
    log_path = Path(config["log"])
    restart_sec = float(config.get("restart_sec", 0.3))
    procs: dict[str, subprocess.Popen[bytes]] = {}
    lock = threading.Lock()
    wake = threading.Event()
    restart_all = threading.Event()
    stopping = threading.Event()

    def log(event: str, unit: str, **extra: object) -> None:
        with log_path.open("a") as f:
            f.write(json.dumps({"at": time.time(), "event": event, "unit": unit, **extra}) + "\n")

    def start(name: str) -> None:
        out = open(log_path.with_name(f"{name}.log"), "ab")  # noqa: SIM115
        procs[name] = subprocess.Popen(
            units[name], env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        out.close()
        log("start", name, pid=procs[name].pid)

    def reap(p: subprocess.Popen[bytes]) -> None:
        # like systemd's control group: what the unit started dies with it
        with contextlib.suppress(ProcessLookupError):
            os.killpg(p.pid, signal.SIGKILL)

    def stop_all() -> None:
        for p in procs.values():
            if p.poll() is None:
                p.terminate()
        deadline = time.monotonic() + 10
        for name, p in procs.items():
            try:
                p.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            reap(p)
            log("stopped", name, code=p.returncode)

    signal.signal(signal.SIGUSR1, lambda *_: (restart_all.set(), wake.set()))
    signal.signal(signal.SIGTERM, lambda *_: (stopping.set(), wake.set()))
    Path(config["pidfile"]).write_text(str(os.getpid()))
    with lock:
        for name in units:
            start(name)
    while not stopping.is_set():
        wake.wait(0.1)
        wake.clear()
        if restart_all.is_set():
            restart_all.clear()
            log("restart", "all")
            stop_all()
            for name in units:
                start(name)
            continue
        for name, p in list(procs.items()):
            if p.poll() is not None:
                reap(p)
                log("exited", name, code=p.returncode)
                time.sleep(restart_sec)  # RestartSec
                start(name)
    stop_all()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
