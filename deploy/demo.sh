#!/usr/bin/env bash
# `make demo`: the whole chain on this machine.
#   1. checks and builds the sample content and prints what it holds;
#   2. runs the central server and one kiosk's sync agent on 127.0.0.1 (the sample is signed and
#      published, the kiosk provisioned, the agent installs the release);
#   3. plays visitor sessions through the real kiosk so that the agent uploads real statistics;
#   4. opens the kiosk in a window (installing Qt's display libraries when run as root, else
#      printing the apt command), or, with no display or if the window cannot open, runs its
#      screenshot tour into ./demo-screens;
#   5. prints the console's address and the demo administrator, and keeps the server running.
# Settings: DEMO_DIR (default .demo), DEMO_PORT (8470), DEMO_SECONDS (how long to keep the server
# up when not run from a terminal; default 600).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
demo=${DEMO_DIR:-.demo}
port=${DEMO_PORT:-8470}
export QT_QUICK_BACKEND=${QT_QUICK_BACKEND:-software}
mkdir -p "$demo"

say() { printf '\n== %s\n' "$*"; }
fail() { printf 'demo: %s\n' "$*" >&2; exit 1; }

say "1. The sample content"
"$bin/safe-airports" content check content/sample
"$bin/safe-airports" content build content/sample --out "$demo/sample-cache.db" >/dev/null
"$bin/safe-airports" content show "$demo/sample-cache.db"

say "2. Central server and the kiosk's sync agent on 127.0.0.1:$port"
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  fail "port $port is already in use (another demo still running?); set DEMO_PORT to use another"
fi
"$bin/python" -m admin_sync.demo_stack --dir "$demo" --port "$port" >"$demo/stack.log" 2>&1 &
stack=$!
trap 'kill "$stack" 2>/dev/null || true; wait "$stack" 2>/dev/null || true' EXIT
config="$demo/kiosk/kiosk.toml"
for _ in $(seq 1 240); do
  [[ -s "$demo/kiosk/content/current" ]] && break
  kill -0 "$stack" 2>/dev/null || { cat "$demo/stack.log"; fail "the server or agent stopped"; }
  sleep 0.5
done
[[ -s "$demo/kiosk/content/current" ]] || { cat "$demo/stack.log"; fail "the agent installed nothing in 120 s"; }
sed -n '/Safe Airports update demo/,/Stop with Ctrl-C/p' "$demo/stack.log"
echo "The agent installed: $(cat "$demo/kiosk/content/current")"

say "3. Visitors at the kiosk (real kiosk app, offscreen)"
"$bin/python" deploy/demo_visitors.py --config "$config" --sessions 60
echo "Waiting for the agent to seal and upload the statistics..."
uploaded=no
for _ in $(seq 1 90); do
  if "$bin/python" - "$demo/kiosk/sync/stats-outbox.db" <<'PY'
import sqlite3, sys
try:
    db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
    sent = db.execute("SELECT count(*) FROM batches WHERE state = 'sent'").fetchone()[0]
except sqlite3.Error:
    sys.exit(1)
sys.exit(0 if sent else 1)
PY
  then uploaded=yes; break; fi
  sleep 1
done
echo "statistics uploaded: $uploaded (agent log: $demo/logs/agent.log)"

say "4. The kiosk"
bash deploy/demo_window.sh "$config" "$demo"

say "5. The administrators' console"
cat <<MSG
  console:   http://127.0.0.1:$port/console/
  sign in:   demo-admin / demo password only   (role: editor)
  Fleet shows the demo kiosk; Statistics shows its uploaded sessions (dated yesterday).
MSG
if [[ -t 0 ]]; then
  echo "The server and agent keep running; press Ctrl-C to stop."
  wait "$stack" || true
else
  seconds=${DEMO_SECONDS:-600}
  echo "Not run from a terminal: the server and agent stop in $seconds s (DEMO_SECONDS)."
  sleep "$seconds" & wait $! || true
fi
