#!/bin/bash
# Started by safe-airports-kiosk.service on tty1: runs the cage Wayland kiosk compositor with the
# kiosk app (kiosk-app) as its only client. cage ends when the app ends, and systemd restarts both.
#
# Display settings come from /etc/safe-airports/display.conf, loaded by the unit as an
# EnvironmentFile: ROTATION=0|90|180|270 (clockwise) and OUTPUT (the connector, e.g. HDMI-A-1;
# empty means the first one). KIOSK_APP and SAFE_AIRPORTS_BIN only exist for the tests.
set -euo pipefail

# `kiosk-session --stop` is the unit's ExecStop (systemd gives it the main PID, cage, as
# $MAINPID). cage before 0.2.0 (0.1.4 in Debian 12, 0.1.5 in Ubuntu 24.04) aborts on SIGTERM or
# SIGINT: its signal handler is given the address of the wl_display pointer instead of the
# pointer (fixed upstream in "cage: fix SIGINT/SIGTERM handler data", 2024), so
# wl_display_terminate writes to a garbage descriptor and fails its assertion ("Aborted", a
# core dump in the journal; it also writes into cage's own memory). cage ends cleanly, status 0,
# when its app ends. So the stop ends the app (cage's children other than PulseAudio) and waits
# for cage to follow; systemd then signals only what is left, and cage is never signalled.
running() { # a process that has not ended (an ended one stays a zombie until reaped)
  local state=Z
  read -r _ _ state _ 2>/dev/null <"/proc/$1/stat" || true
  [[ $state != Z ]]
}
if [[ ${1:-} == --stop ]]; then
  cage_pid=${MAINPID:-}
  [[ -n $cage_pid ]] && running "$cage_pid" || exit 0
  children=()
  read -ra children 2>/dev/null <"/proc/$cage_pid/task/$cage_pid/children" || true
  for child in "${children[@]}"; do
    if [[ $(cat "/proc/$child/comm" 2>/dev/null) != pulseaudio ]]; then
      kill -TERM "$child" 2>/dev/null || true
    fi
  done
  for _ in {1..100}; do # up to 10 s; systemd's TimeoutStopSec ends anything still running
    running "$cage_pid" || exit 0
    sleep 0.1
  done
  echo "kiosk-session: cage (PID $cage_pid) still runs 10 s after its app was asked to end" >&2
  exit 0
fi

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

# Sound: the kiosk's listen buttons play through QtMultimedia, whose Linux audio backends are
# PulseAudio and PipeWire (Qt 6 has no ALSA-only path), and cage starts no sound server. So the
# session starts PulseAudio for the kiosk user: it opens the ALSA cards udev finds (logind gives
# the tty1 session the sound devices) and adds a silent null sink when there is none. The
# kiosk user's home is read-only (ProtectSystem=strict): PulseAudio keeps its cookie and state
# in the runtime directory. Not started when a server already runs there or none is installed.
if [[ -n ${XDG_RUNTIME_DIR:-} ]] && command -v pulseaudio >/dev/null 2>&1 \
  && [[ ! -S $XDG_RUNTIME_DIR/pulse/native ]]; then
  # Its own environment: no systemd notify socket or watchdog (those belong to the app). It ends
  # with this process, which becomes cage (--pdeathsig), when the unit does not end it first.
  env -u NOTIFY_SOCKET -u WATCHDOG_USEC -u WATCHDOG_PID HOME="$XDG_RUNTIME_DIR" \
    setpriv --pdeathsig TERM \
    pulseaudio --daemonize=no --exit-idle-time=-1 --disallow-exit --log-target=stderr &
  # The app looks for the server when it first plays; give the server a moment to listen.
  for _ in {1..50}; do
    [[ -S $XDG_RUNTIME_DIR/pulse/native ]] && break
    sleep 0.1
  done
  [[ -S $XDG_RUNTIME_DIR/pulse/native ]] || echo "kiosk-session: PulseAudio did not start: no sound" >&2
  export PULSE_COOKIE=$XDG_RUNTIME_DIR/.config/pulse/cookie # where it wrote it, for the app
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
