#!/bin/bash
# `safe-airports admin` on the server itself, as the service user and with its data folder:
#   sudo safe-airports-admin list-kiosks
#   sudo safe-airports-admin add-kiosk --airport TMJ --name TMJ-01 --server-url https://... --out FILE
# Files it creates get the same owner and modes as the server's own (umask 027), so the
# server can read them and nginx can serve the repository.
set -euo pipefail
readonly DATA_DIR=${DATA_DIR:-/var/lib/safe-airports-server}
readonly BIN=/opt/safe-airports-server/venv/bin/safe-airports

if [[ $# -lt 1 || $1 == -* ]]; then
  echo "usage: safe-airports-admin COMMAND [options]   (commands: $BIN admin --help)" >&2
  exit 2
fi
command=$1
shift
umask 027
if [[ $(id -un) == safe-airports ]]; then
  exec "$BIN" admin "$command" --data "$DATA_DIR" "$@"
fi
exec runuser -u safe-airports -- "$BIN" admin "$command" --data "$DATA_DIR" "$@"
