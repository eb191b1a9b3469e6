#!/bin/bash
# Runs inside cage as its only client: rotates the screen where cage leaves that to wlr-randr,
# hands the systemd watchdog to the app, then becomes the kiosk app (exec keeps this PID).
set -euo pipefail

rotation=${ROTATION:-0}
if [[ $rotation != 0 && -z ${SAFE_AIRPORTS_ROTATION_APPLIED:-} ]]; then
  output=${OUTPUT:-}
  if [[ -z $output ]]; then
    output=$(wlr-randr 2>/dev/null | awk '/^[^[:space:]]/ { print $1; exit }' || true)
  fi
  # A screen that cannot be rotated still shows the kiosk: log it and carry on.
  if [[ -z $output ]] || ! wlr-randr --output "$output" --transform "$rotation"; then
    echo "kiosk-app: could not rotate output '${output:-?}' by $rotation degrees" >&2
  fi
fi

# systemd gives the watchdog to the unit's main process, which is cage. The app is the one
# that pings (the unit has NotifyAccess=all), so hand the watchdog to this process: exec keeps
# the PID, and content.sd_notify.Watchdog only pings when WATCHDOG_PID is its own PID.
if [[ -n ${WATCHDOG_USEC:-} ]]; then
  export WATCHDOG_PID=$$
fi

if [[ -n ${SAFE_AIRPORTS_BIN:-} ]]; then # the tests' stand-in for the app
  exec "$SAFE_AIRPORTS_BIN" kiosk --config /etc/safe-airports/kiosk.toml
fi
# The current software version (switched by signed software updates, deploy/README.md).
exec /opt/safe-airports/libexec/software-run /var/lib/safe-airports/software kiosk \
  --config /etc/safe-airports/kiosk.toml
