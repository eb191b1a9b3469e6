#!/usr/bin/env bash
# `make demo`: build the sample content and show what it holds.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
demo=.demo
mkdir -p "$demo"
"$bin/safe-airports" content check content/sample
"$bin/safe-airports" content build content/sample --out "$demo/cache.db"
"$bin/safe-airports" content show "$demo/cache.db"
