#!/usr/bin/env bash
# Step 4 of `make demo` (deploy/demo.sh): the kiosk in a window on this desktop, or its
# screenshot tour into ./demo-screens when there is no display or the window cannot open.
#
#   bash deploy/demo_window.sh KIOSK_CONFIG LOG_DIR
#
# Qt's xcb and wayland plugins need libraries a desktop may lack (the kiosk's own list,
# deploy/kiosk/runtime-packages.txt): run as root it installs the missing ones, otherwise it
# prints the exact apt command. If the window still cannot open, it says why in one line
# (Qt's own reason, from LOG_DIR/kiosk-window.log) and runs the tour instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
config=$1
logs=$2

run_tour() {
  echo "Running the kiosk's screenshot tour into ./demo-screens instead."
  "$bin/safe-airports" kiosk --config "$config" --platform offscreen --tour demo-screens 2>"$logs/tour.log" \
    || {
      tail -20 "$logs/tour.log"
      echo "demo: the tour failed" >&2
      exit 1
    }
  echo "Screenshots: $(find demo-screens -name "*.png" | wc -l) PNGs in ./demo-screens (index: demo-screens/tour.json)"
}

if [[ -n "${WAYLAND_DISPLAY:-}" ]]; then
  platform=wayland
elif [[ -n "${DISPLAY:-}" ]]; then
  platform=xcb
else
  echo "No display here (neither DISPLAY nor WAYLAND_DISPLAY is set)."
  run_tour
  exit 0
fi

# shellcheck disable=SC2034  # read by deploy/lib.sh
DRY_RUN=0
# shellcheck source-path=SCRIPTDIR source=lib.sh
source deploy/lib.sh
mapfile -t runtime < <(package_list deploy/kiosk/runtime-packages.txt)
mapfile -t missing < <(missing_packages "${runtime[@]}")
if [[ ${#missing[@]} -gt 0 && $(id -u) == 0 ]]; then
  echo "Installing the kiosk's display libraries: ${missing[*]}"
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null \
    || echo "demo: could not install ${missing[*]}" >&2
  mapfile -t missing < <(missing_packages "${runtime[@]}")
fi
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "The kiosk window needs these Debian packages, not installed here:"
  echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}"
fi
echo "Opening the kiosk in a window ($platform; close it to continue)."
status=0
# The kiosk chooses its renderer here (setting `renderer`, auto: the GPU where there is one);
# the Makefile's QT_QUICK_BACKEND=software is for the tests.
# (In a subshell so that bash's own "Aborted" line also goes to the log.)
(env -u QT_QUICK_BACKEND "$bin/safe-airports" kiosk --config "$config" --windowed --platform "$platform"; exit $?) \
  2>"$logs/kiosk-window.log" || status=$?
if [[ $status != 0 ]]; then
  # Qt's most specific reason first (e.g. "xcb-cursor0 or libxcb-cursor0 is needed to load
  # the Qt xcb platform plugin"), else its general one.
  why=$(grep -m1 -iE "is needed to load|cannot open display|could not connect|failed to create" "$logs/kiosk-window.log" \
    || grep -m1 -iE "could not (load|connect)|cannot (open|connect)|failed to|no qt platform" "$logs/kiosk-window.log" \
    || true)
  why=$(sed -E 's/^[0-9-]+ [0-9:,]+ //; s/^(DEBUG|INFO|WARNING|ERROR|CRITICAL) [A-Za-z0-9_.]+: //' <<<"$why")
  echo "The kiosk window could not open (exit status $status): ${why:-see $logs/kiosk-window.log}"
  run_tour
fi
