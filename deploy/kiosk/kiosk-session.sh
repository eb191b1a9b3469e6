#!/bin/bash
# Started by safe-airports-kiosk.service on tty1: runs the cage Wayland kiosk compositor with the
# kiosk app (kiosk-app) as its only client. cage ends when the app ends, and systemd restarts both.
#
# Display settings come from /etc/safe-airports/display.conf, loaded by the unit as an
# EnvironmentFile: ROTATION=0|90|180|270 (clockwise) and OUTPUT (the connector, e.g. HDMI-A-1;
# empty means the first one). KIOSK_APP and SAFE_AIRPORTS_BIN only exist for the tests.
set -euo pipefail

rotation=${ROTATION:-0}
case $rotation in
  0 | 90 | 180 | 270) ;;
  *)
    echo "/etc/safe-airports/display.conf: ROTATION=$rotation is not one of 0, 90, 180, 270" >&2
    exit 2
    ;;
esac

# The unit's RuntimeDirectory is the one writable runtime directory under ProtectSystem=strict:
# the Wayland socket goes there.
if [[ -n ${RUNTIME_DIRECTORY:-} ]]; then
  export XDG_RUNTIME_DIR=$RUNTIME_DIRECTORY
fi

cage_args=(-d)
# cage 0.1.4 (Debian 12) rotates with -r, 90 degrees clockwise per -r. Later versions (Ubuntu
# 24.04 has 0.1.5) dropped the flag for the wlr-output-management protocol; kiosk-app then
# rotates with wlr-randr before the app starts.
cage_help=$(cage -h 2>&1 || true)
if grep -qE '^[[:space:]]*-r\b' <<<"$cage_help"; then
  for ((turn = 0; turn < rotation / 90; turn++)); do
    cage_args+=(-r)
  done
  export SAFE_AIRPORTS_ROTATION_APPLIED=1
fi

exec cage "${cage_args[@]}" -- "${KIOSK_APP:-/opt/safe-airports/libexec/kiosk-app}"
