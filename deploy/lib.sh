# shellcheck shell=bash
# Functions shared by the installers (deploy/kiosk/install.sh, deploy/server/install.sh), which
# source this file from the checkout they run from: `source "$HERE/../lib.sh"`.
#
# The sourcing script sets DRY_RUN (0 or 1); its usage text is the comment block from line 2
# down to `set -euo`.
# shellcheck disable=SC2154  # DRY_RUN is set by the sourcing script

die() {
  echo "${0##*/}: error: $*" >&2
  exit 1
}

note() {
  echo "# $*"
}

# The one place that changes the machine: print the command, then run it unless --dry-run.
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

# The sourcing script's header comment, without the comment marks.
usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[-1]}" | sed '$d; s/^# \{0,1\}//'
}

# os_release_field FIELD FILE: a field of an os-release file, without quotes.
os_release_field() {
  sed -n "s/^$1=//p" "$2" | tr -d '"' | head -n 1
}

# check_supported_system OS_RELEASE_FILE: Debian 12 or Ubuntu 24.04, and root unless --dry-run.
check_supported_system() {
  local os_release=$1 id version
  [[ -r $os_release ]] || die "cannot read $os_release to tell which system this is"
  id=$(os_release_field ID "$os_release")
  version=$(os_release_field VERSION_ID "$os_release")
  case "$id $version" in
    "debian 12" | "ubuntu 24.04") note "system: $id $version" ;;
    *) die "this installer supports Debian 12 and Ubuntu 24.04, not '$id $version' ($os_release)" ;;
  esac
  if [[ $DRY_RUN == 0 && $(id -u) != 0 ]]; then
    die "run as root (sudo $0 ...), or with --dry-run to see what it would do"
  fi
}

# package_list FILE: the package names of a list file (one a line, '#' comments).
package_list() {
  sed 's/#.*//' "$1" | tr -s ' \t' '\n' | sed '/^$/d'
}

# missing_packages PACKAGE...: those not installed (dpkg), one a line.
missing_packages() {
  local package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
      echo "$package"
  done
}

# install_apt_packages PACKAGE...: refresh the lists and install, without recommends.
install_apt_packages() {
  run env DEBIAN_FRONTEND=noninteractive apt-get update -q
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

# install_venv VENV SOURCE WHEELHOUSE: a venv with SOURCE (a path with extras) installed in it,
# from WHEELHOUSE only when that is not empty (offline install), else from the index.
install_venv() {
  local venv=$1 source=$2 wheelhouse=$3
  run python3 -m venv "$venv"
  if [[ -n $wheelhouse ]]; then
    run "$venv/bin/pip" install --quiet --no-index --find-links "$wheelhouse" --upgrade "$source"
  else
    run "$venv/bin/pip" install --quiet --upgrade pip
    run "$venv/bin/pip" install --quiet --upgrade "$source"
  fi
}

# systemd_running: whether systemd manages this machine now (not an image being built, a
# chroot or a container). In --dry-run, as on a running machine: every action is printed.
systemd_running() {
  [[ $DRY_RUN == 1 || -d /run/systemd/system ]]
}

# udev_running: whether udevd runs here to reload its rules (same as above for --dry-run).
udev_running() {
  [[ $DRY_RUN == 1 || -S /run/udev/control ]]
}

# remove_units UNIT_DIR UNIT...: disable, stop and delete each installed unit; reload systemd.
remove_units() {
  local unit_dir=$1 unit
  shift
  for unit in "$@"; do
    if [[ -e $unit_dir/$unit ]]; then
      run systemctl disable --now "$unit"
      run rm -f "$unit_dir/$unit"
    else
      note "$unit is not installed"
    fi
  done
  run systemctl daemon-reload
}
