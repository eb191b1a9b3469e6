#!/bin/bash
# Restore the Safe Airports server from a backup archive (see deploy/README.md):
# stop the server, check the archive, swap the data folder (the old one is kept beside it),
# put owners and modes back, start the server and check that it answers.
#
#   sudo deploy/server/restore.sh [--dry-run] ARCHIVE
set -euo pipefail

readonly SERVICE_USER=safe-airports
readonly DATA_DIR=${DATA_DIR:-/var/lib/safe-airports-server}
readonly PYTHON=${PYTHON:-/opt/safe-airports-server/venv/bin/python}
readonly HEALTH_URL=http://127.0.0.1:8470/healthz

DRY_RUN=0
ARCHIVE=""

die() {
  echo "restore.sh: error: $*" >&2
  exit 1
}

# The one place that changes the machine: print the command, then run it unless --dry-run.
# (Same as deploy/lib.sh's, kept here: this script is also installed alone as libexec/restore.)
run() {
  local arg line="+"
  for arg in "$@"; do
    if [[ $arg =~ ^[A-Za-z0-9_./=:,@%+-]+$ ]]; then
      line+=" $arg"
    else
      line+=" '${arg//\'/\'\\\'\'}'"
    fi
  done
  echo "$line"
  if [[ $DRY_RUN == 0 ]]; then
    "$@"
  fi
}

while [[ $# -gt 0 ]]; do
  case $1 in
    --dry-run) DRY_RUN=1 ;;
    -h | --help)
      sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    -*) die "unknown option $1" ;;
    *)
      [[ -z $ARCHIVE ]] || die "only one ARCHIVE"
      ARCHIVE=$1
      ;;
  esac
  shift
done
[[ -n $ARCHIVE ]] || die "missing ARCHIVE (a safe-airports-server-*.tar.gz backup)"
[[ -f $ARCHIVE ]] || die "$ARCHIVE: no such file"
[[ $DRY_RUN == 1 || $(id -u) == 0 ]] || die "run as root (sudo), or with --dry-run"

# Check the archive before stopping anything: a bad archive leaves the server running.
run "$PYTHON" -m admin_sync.server.backup verify "$ARCHIVE"
run systemctl stop safe-airports-server.service
run "$PYTHON" -m admin_sync.server.backup restore "$ARCHIVE" --data "$DATA_DIR" --force
# Owners and modes as install.sh sets them: nginx (www-data) may read the repository only.
run chown -R "$SERVICE_USER:$SERVICE_USER" "$DATA_DIR"
run chgrp www-data "$DATA_DIR"
run chmod 0710 "$DATA_DIR"
run chgrp -R www-data "$DATA_DIR/repo"
run find "$DATA_DIR/repo" -type d -exec chmod 2750 {} +
run chmod 0700 "$DATA_DIR/keys"
run systemctl start safe-airports-server.service
run curl --fail --silent --show-error --retry 10 --retry-connrefused --retry-delay 1 "$HEALTH_URL"
echo
echo "# restored. Now: publish once (README, 'Restoring the server') so kiosks see newer metadata."
