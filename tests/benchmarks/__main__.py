"""Run every benchmark module (`bench_*.py` with a `run() -> dict` function) and print figures.

`make bench` runs them all; `python -m tests.benchmarks NAME` runs the ones whose name contains
NAME. Results are also written to bench-results/<module>.json.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    here = Path(__file__).parent
    out_dir = Path("bench-results")
    out_dir.mkdir(exist_ok=True)
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    if argv:
        names = [n for n in names if any(a in n for a in argv)]
    failed = 0
    for name in names:
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"tests.benchmarks.{name}")
        try:
            figures = module.run()
        except Exception as exc:  # a broken benchmark is reported, the others still run
            print(f"   FAILED: {exc!r}")
            failed += 1
            continue
        for key, value in figures.items():
            print(f"   {key}: {value}")
        (out_dir / f"{name}.json").write_text(json.dumps(figures, indent=2) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
