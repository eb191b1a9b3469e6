#!/bin/bash
# Back up the Safe Airports server: one archive per run (SQLite online backup of the databases,
# the online keys, the TUF repository, the release history), checked, then old ones pruned.
# Run by safe-airports-backup.service as the safe-airports user; by hand:
#   sudo systemctl start safe-airports-backup.service
# Settings (environment, or /etc/safe-airports-server/backup.env):
#   DATA_DIR    the server's data folder      (/var/lib/safe-airports-server)
#   BACKUP_DIR  where archives go             (/var/backups/safe-airports-server)
#   KEEP        how many archives to keep     (30)
#   COPY_TO     optional rsync/scp destination for an off-site copy, e.g. backup@host:/srv/sa/
set -euo pipefail

DATA_DIR=${DATA_DIR:-/var/lib/safe-airports-server}
BACKUP_DIR=${BACKUP_DIR:-/var/backups/safe-airports-server}
KEEP=${KEEP:-30}
COPY_TO=${COPY_TO:-}
PYTHON=${PYTHON:-/opt/safe-airports-server/venv/bin/python}

[[ $KEEP =~ ^[1-9][0-9]*$ ]] || { echo "backup.sh: KEEP=$KEEP must be a positive number" >&2; exit 2; }

umask 077
output=$("$PYTHON" -m admin_sync.server.backup create --data "$DATA_DIR" --out "$BACKUP_DIR")
echo "$output"
archive=$(sed -n 's/^backup written: //p' <<<"$output")
[[ -f $archive ]] || { echo "backup.sh: no archive reported" >&2; exit 1; }
"$PYTHON" -m admin_sync.server.backup verify "$archive" >/dev/null

if [[ -n $COPY_TO ]]; then
  rsync --times --chmod=F600 "$archive" "$COPY_TO"
  echo "copied to $COPY_TO"
fi

# Names carry the UTC time, so name order is age order: keep the newest KEEP.
find "$BACKUP_DIR" -maxdepth 1 -name 'safe-airports-server-*.tar.gz' -printf '%f\n' \
  | sort -r | tail -n +"$((KEEP + 1))" | while read -r old; do
  rm -f -- "${BACKUP_DIR:?}/$old"
  echo "pruned $old"
done
