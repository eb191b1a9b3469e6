#!/bin/bash
# ExecStart of the kiosk units: run `safe-airports ARGS...` from the current software version.
#
#   software-run.sh [--may-roll-back] SOFTWARE_DIR ARGS...
#       e.g. software-run.sh --may-roll-back /opt/safe-airports/software sync --config ...
#
# Before that, with --may-roll-back (the sync unit only), it finishes a software trial whose
# deadline has passed: a new version whose agent cannot even
# start cannot roll itself back, so this (not part of any version) switches `current` back to
# the previous version and leaves a note the previous agent reports (admin_sync/agent/
# software_update.py). The switch is a new symlink renamed over the old one: atomic.
set -euo pipefail

may_roll_back=0
if [[ ${1:-} == --may-roll-back ]]; then
  may_roll_back=1
  shift
fi
dir=${1:?usage: software-run.sh [--may-roll-back] SOFTWARE_DIR ARGS...}
shift
trial=$dir/trial

if [[ $may_roll_back == 1 && -f $trial ]]; then
  read -r deadline previous version _ <"$trial" || true
  if [[ -n ${deadline:-} && $(date +%s) -ge $deadline && -f $dir/versions/${previous:-}/COMPLETE &&
    $(readlink "$dir/current" || true) == "versions/${version:-}" ]]; then
    echo "software-run: software $version did not report healthy by its deadline; back to $previous" >&2
    printf '%s %s %s\n' "$version" "$previous" \
      "did not report healthy in time (rolled back by the start wrapper)" >"$dir/.rollback-note.tmp"
    mv -f "$dir/.rollback-note.tmp" "$dir/rollback-note"
    ln -sfn "versions/$previous" "$dir/.current.wrapper"
    mv -fT "$dir/.current.wrapper" "$dir/current"
    rm -f "$trial"
    sync "$dir" || true
  fi
fi

exec "$dir/current/venv/bin/safe-airports" "$@"
