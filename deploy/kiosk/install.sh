#!/bin/bash
# Install (or update, or remove) a Safe Airports kiosk on Debian 12 or Ubuntu 24.04.
#
#   sudo deploy/kiosk/install.sh [options] PROVISIONING_FILE
#   sudo deploy/kiosk/install.sh --uninstall [--purge]
#
# Options:
#   --dry-run              print every action, change nothing (root not needed)
#   --airport ID           IATA code (TAS, TMJ, NMA, KSQ, ASB, FRU) if the provisioning file has none
#   --rotation DEG         screen rotation clockwise: 0, 90, 180 or 270 (kept from the last run)
#   --touch-rotation DEG   touch rotation if it differs from the screen's
#   --output NAME          connector to rotate, e.g. HDMI-A-1 (default: the first one)
#   --pin-hash HASH        maintenance PIN hash from `python3 -m kiosk.pin` (kept from the last run)
#   --wheelhouse DIR       install Python packages from DIR only (offline install)
#   --allow-http           accept a plain-http server URL (test installs only)
#   --no-start             install and enable, but do not (re)start the services now
#   --uninstall            stop and remove the services and the app; keeps config and data
#   --purge                with --uninstall: also remove config, data and the kiosk user
#
# Running it again is safe: it brings the machine to the same state and keeps local settings.
# Every change goes through `run`, which prints it (and in --dry-run only prints it).
# See deploy/README.md.
set -euo pipefail
# Debian's own programs, whatever the caller's PATH (sudo keeps a similar one; a root shell with
# pyenv or a virtualenv active would otherwise give the kiosk user a python3 it cannot run).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

readonly KIOSK_USER=kiosk
readonly PREFIX=/opt/safe-airports
readonly OLD_VENV=$PREFIX/venv # the single virtualenv of installs before software updates
readonly LIBEXEC=$PREFIX/libexec
readonly CONF_DIR=/etc/safe-airports
readonly DATA_DIR=/var/lib/safe-airports
readonly SOFTWARE=$DATA_DIR/software # versions/VERSION/venv and `current` (software updates)
readonly POLKIT_RULE=/etc/polkit-1/rules.d/50-safe-airports.rules
readonly UNIT_DIR=/etc/systemd/system
readonly CURSOR_THEME=/usr/share/icons/safe-airports-blank
readonly TOUCH_RULE=/etc/udev/rules.d/90-safe-airports-touch.rules
readonly PAM_FILE=/etc/pam.d/safe-airports-kiosk
readonly JOURNALD_DROPIN=/etc/systemd/journald.conf.d/safe-airports.conf
readonly UNITS=(safe-airports-sync.service safe-airports-kiosk.service)
readonly SLEEP_TARGETS=(sleep.target suspend.target hibernate.target hybrid-sleep.target)
# pulseaudio: the sound server kiosk-session starts (the listen buttons); not in
# runtime-packages.txt, which `make demo` also reads: on a desktop it would replace PipeWire's.
# polkitd: lets the sync agent restart the two units after a software update (swupdate).
readonly SYSTEM_PACKAGES=(python3 python3-venv udev dbus libpam-systemd polkitd pulseaudio)

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# die, note, run, usage, check_supported_system, install_apt_packages, install_venv, remove_units
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$HERE/../lib.sh"
SOURCE_DIR=$(cd "$HERE/../.." && pwd)
OS_RELEASE=${SAFE_AIRPORTS_OS_RELEASE:-/etc/os-release}

DRY_RUN=0
UNINSTALL=0
PURGE=0
START=1
AIRPORT=""
ROTATION=""
TOUCH_ROTATION=""
OUTPUT=""
WHEELHOUSE=""
PIN_HASH=""
ALLOW_HTTP=0
PROVISIONING=""

parse_args() {
  while [[ $# -gt 0 ]]; do
    case $1 in
      --dry-run) DRY_RUN=1 ;;
      --uninstall) UNINSTALL=1 ;;
      --purge) PURGE=1 ;;
      --no-start) START=0 ;;
      --allow-http) ALLOW_HTTP=1 ;;
      --airport | --rotation | --touch-rotation | --output | --wheelhouse | --pin-hash)
        [[ $# -ge 2 ]] || die "$1 needs a value"
        case $1 in
          --airport) AIRPORT=$2 ;;
          --rotation) ROTATION=$2 ;;
          --touch-rotation) TOUCH_ROTATION=$2 ;;
          --output) OUTPUT=$2 ;;
          --wheelhouse) WHEELHOUSE=$2 ;;
          --pin-hash) PIN_HASH=$2 ;;
        esac
        shift
        ;;
      -h | --help)
        usage
        exit 0
        ;;
      -*) die "unknown option $1 (see --help)" ;;
      *)
        [[ -z $PROVISIONING ]] || die "only one PROVISIONING_FILE, got '$PROVISIONING' and '$1'"
        PROVISIONING=$1
        ;;
    esac
    shift
  done
  if [[ $PURGE == 1 && $UNINSTALL == 0 ]]; then
    die "--purge only goes with --uninstall"
  fi
  if [[ $UNINSTALL == 0 && -z $PROVISIONING ]]; then
    die "missing PROVISIONING_FILE (written by 'safe-airports admin add-kiosk'); see --help"
  fi
  for value in "$ROTATION" "$TOUCH_ROTATION"; do
    case $value in
      "" | 0 | 90 | 180 | 270) ;;
      *) die "rotation '$value' is not one of 0, 90, 180, 270" ;;
    esac
  done
  if [[ -n $WHEELHOUSE && ! -d $WHEELHOUSE ]]; then
    die "--wheelhouse $WHEELHOUSE is not a directory"
  fi
}

check_system() {
  check_supported_system "$OS_RELEASE"
  if [[ $UNINSTALL == 0 && ! -f $SOURCE_DIR/pyproject.toml ]]; then
    die "$SOURCE_DIR is not a Safe Airports source tree (no pyproject.toml): run the installer from it"
  fi
}

check_provisioning() {
  [[ -f $PROVISIONING ]] || die "$PROVISIONING: provisioning file not found"
  if ! command -v python3 >/dev/null 2>&1; then
    if [[ $DRY_RUN == 1 ]]; then
      note "python3 is not installed yet: the provisioning file is checked once it is"
      return
    fi
    run env DEBIAN_FRONTEND=noninteractive apt-get update -q
    run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3
  fi
  local args=(check "$PROVISIONING") summary
  [[ -z $AIRPORT ]] || args+=(--airport "$AIRPORT")
  [[ $ALLOW_HTTP == 0 ]] || args+=(--allow-http)
  summary=$(python3 "$HERE/configure.py" "${args[@]}") || exit 1
  note "provisioning: $summary"
}

install_packages() {
  # The app's runtime libraries: the same list the cage test and `make demo` use.
  local runtime
  mapfile -t runtime < <(package_list "$HERE/runtime-packages.txt")
  install_apt_packages "${SYSTEM_PACKAGES[@]}" "${runtime[@]}"
}

create_user() {
  if id -u "$KIOSK_USER" >/dev/null 2>&1; then
    note "user $KIOSK_USER exists"
  else
    run useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home \
      --shell /usr/sbin/nologin --comment "Safe Airports kiosk" "$KIOSK_USER"
  fi
  # Screen, GPU, touch panel and sound cards; logind also grants them to the active session on tty1.
  run usermod --append --groups video,render,input,audio "$KIOSK_USER"
}

create_directories() {
  run install -d -m 0755 -o root -g root "$CONF_DIR" "$PREFIX" "$LIBEXEC" "$PREFIX/share"
  run install -d -m 0750 -o "$KIOSK_USER" -g "$KIOSK_USER" "$DATA_DIR" \
    "$DATA_DIR/content" "$DATA_DIR/usage" "$DATA_DIR/sync"
}

# The first software version: its own folder and virtualenv, and the `current` symlink the
# units start through. Software updates add versions beside it (admin_sync/agent/
# software_update.py); running the installer again never switches away from a newer one.
install_software() {
  local version folder
  version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$SOURCE_DIR/pyproject.toml" | head -n 1)
  [[ -n $version ]] || die "$SOURCE_DIR/pyproject.toml: no version"
  folder=$SOFTWARE/versions/$version
  run install -d -m 0755 -o "$KIOSK_USER" -g "$KIOSK_USER" "$SOFTWARE" "$SOFTWARE/versions"
  if [[ -f $folder/COMPLETE ]]; then
    note "software $version is installed"
  else
    run rm -rf "$folder"
    install_venv "$folder/venv" "${SOURCE_DIR}[kiosk,agent]" "$WHEELHOUSE"
    run touch "$folder/COMPLETE"
    run chown -R "$KIOSK_USER:$KIOSK_USER" "$folder"
  fi
  if [[ -L $SOFTWARE/current ]]; then
    note "current software: $(readlink "$SOFTWARE/current") (kept)"
  else
    run ln -sfn "versions/$version" "$SOFTWARE/.current.install"
    run mv -fT "$SOFTWARE/.current.install" "$SOFTWARE/current"
  fi
  if [[ -d $OLD_VENV ]]; then
    run rm -rf "$OLD_VENV"
  fi
  run install -m 0755 "$HERE/software-run.sh" "$LIBEXEC/software-run"
  # the agent (user kiosk) may restart the two kiosk units, nothing else
  run install -D -m 0644 "$HERE/polkit-safe-airports.rules" "$POLKIT_RULE"
}

install_app() {
  install_software
  run install -m 0755 "$HERE/kiosk-session.sh" "$LIBEXEC/kiosk-session"
  run install -m 0755 "$HERE/kiosk-app.sh" "$LIBEXEC/kiosk-app"
  run install -m 0644 "$SOURCE_DIR/deploy/README.md" "$PREFIX/share/README.md"
}

configure_kiosk() {
  if [[ $PROVISIONING -ef $CONF_DIR/provisioning.json ]]; then
    note "using the installed provisioning file"
    run chown "$KIOSK_USER:$KIOSK_USER" "$CONF_DIR/provisioning.json"
    run chmod 0600 "$CONF_DIR/provisioning.json"
  else
    run install -m 0600 -o "$KIOSK_USER" -g "$KIOSK_USER" "$PROVISIONING" "$CONF_DIR/provisioning.json"
  fi
  local args=(kiosk-config "$CONF_DIR/provisioning.json" --config "$CONF_DIR/kiosk.toml"
    --token "$CONF_DIR/token" --owner "$KIOSK_USER")
  [[ -z $AIRPORT ]] || args+=(--airport "$AIRPORT")
  [[ $ALLOW_HTTP == 0 ]] || args+=(--allow-http)
  [[ -z $PIN_HASH ]] || args+=(--maintenance-pin-hash "$PIN_HASH")
  run python3 "$HERE/configure.py" "${args[@]}"
}

configure_display() {
  local args=(display --out "$CONF_DIR/display.conf")
  [[ -z $ROTATION ]] || args+=(--rotation "$ROTATION")
  [[ -z $TOUCH_ROTATION ]] || args+=(--touch-rotation "$TOUCH_ROTATION")
  [[ -z $OUTPUT ]] || args+=(--output "$OUTPUT")
  run python3 "$HERE/configure.py" "${args[@]}"
  run python3 "$HERE/configure.py" touch-rule --display "$CONF_DIR/display.conf" --out "$TOUCH_RULE"
  if udev_running; then
    run udevadm control --reload
    run udevadm trigger --subsystem-match=input --action=change
  else
    note "udevd is not running here: the touch rule applies at the next boot"
  fi
  run python3 "$HERE/configure.py" blank-cursor "$CURSOR_THEME"
}

install_units() {
  run install -m 0644 "$HERE/pam-safe-airports-kiosk" "$PAM_FILE"
  run install -D -m 0644 "$HERE/journald.conf" "$JOURNALD_DROPIN"
  # Without systemd running (an image being built, a container) units are still installed,
  # enabled and masked (systemctl edits the files offline); they start at the next boot.
  local running=1
  systemd_running || running=0
  [[ $running == 1 ]] || note "systemd is not running here: the services start at the next boot"
  [[ $running == 0 ]] || run systemctl restart systemd-journald.service
  local unit
  for unit in "${UNITS[@]}"; do
    run install -m 0644 "$HERE/$unit" "$UNIT_DIR/$unit"
  done
  [[ $running == 0 ]] || run systemctl daemon-reload
  # Unattended for months: never suspend.
  run systemctl mask "${SLEEP_TARGETS[@]}"
  run systemctl enable "${UNITS[@]}"
  if [[ $running == 0 ]]; then
    :
  elif [[ $START == 1 ]]; then
    run systemctl restart "${UNITS[@]}"
  else
    note "--no-start: services enabled, they start at the next boot"
  fi
}

uninstall() {
  remove_units "$UNIT_DIR" "${UNITS[@]}"
  run systemctl unmask "${SLEEP_TARGETS[@]}"
  run rm -f "$PAM_FILE" "$TOUCH_RULE" "$JOURNALD_DROPIN" "$POLKIT_RULE"
  run rm -rf "$SOFTWARE"
  run udevadm control --reload
  run rm -rf "$PREFIX" "$CURSOR_THEME"
  if [[ $PURGE == 1 ]]; then
    run rm -rf "$CONF_DIR" "$DATA_DIR"
    if id -u "$KIOSK_USER" >/dev/null 2>&1; then
      run userdel "$KIOSK_USER"
    else
      note "user $KIOSK_USER does not exist"
    fi
  else
    note "kept $CONF_DIR, $DATA_DIR and user $KIOSK_USER (--purge removes them)"
  fi
}

main() {
  parse_args "$@"
  [[ $DRY_RUN == 0 ]] || note "dry run: printing the actions, changing nothing"
  check_system
  if [[ $UNINSTALL == 1 ]]; then
    uninstall
    note "Safe Airports kiosk removed"
    return
  fi
  check_provisioning
  install_packages
  create_user
  create_directories
  install_app
  configure_kiosk
  configure_display
  install_units
  note "Safe Airports kiosk installed; check with: systemctl status ${UNITS[*]}"
}

main "$@"
