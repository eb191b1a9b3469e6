#!/bin/bash
# Install (or update, or remove) the Safe Airports central server on Debian 12 or Ubuntu 24.04:
# the Python server behind nginx with TLS, daily backups. See deploy/README.md.
#
#   sudo deploy/server/install.sh --domain NAME (--email ADDRESS | --cert FILE --key FILE)
#   sudo deploy/server/install.sh --uninstall
#
# Options:
#   --domain NAME      the server's public DNS name, e.g. safe-airports.example.org
#   --email ADDRESS    get a Let's Encrypt certificate for NAME (renewed automatically)
#   --cert FILE        use this certificate chain (PEM) instead of Let's Encrypt, with --key
#   --key FILE         its private key
#   --wheelhouse DIR   install Python packages from DIR only (offline install)
#   --no-start         do not (re)start the server now
#   --dry-run          print every action, change nothing (root not needed)
#   --uninstall        remove the services, the nginx site and the app; keeps data and backups
#
# Running it again is safe. Every change goes through `run`, which prints it first.
set -euo pipefail

readonly SERVICE_USER=safe-airports
readonly PREFIX=/opt/safe-airports-server
readonly VENV=$PREFIX/venv
readonly LIBEXEC=$PREFIX/libexec
readonly CONF_DIR=/etc/safe-airports-server
readonly DATA_DIR=/var/lib/safe-airports-server
readonly BACKUP_DIR=/var/backups/safe-airports-server
readonly ACME_ROOT=/var/www/letsencrypt
readonly UNIT_DIR=/etc/systemd/system
readonly SITE=/etc/nginx/sites-available/safe-airports
readonly SITE_LINK=/etc/nginx/sites-enabled/safe-airports
readonly ADMIN_WRAPPER=/usr/local/sbin/safe-airports-admin
readonly UNIT_FILES=(safe-airports-server.service safe-airports-backup.service safe-airports-backup.timer)
readonly APT_PACKAGES=(nginx certbot python3 python3-venv sqlite3 curl rsync espeak-ng opus-tools ffmpeg)

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# die, note, run, usage, check_supported_system, install_apt_packages, install_venv, remove_units
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$HERE/../lib.sh"
SOURCE_DIR=$(cd "$HERE/../.." && pwd)
OS_RELEASE=${SAFE_AIRPORTS_OS_RELEASE:-/etc/os-release}

DRY_RUN=0
UNINSTALL=0
START=1
DOMAIN=""
EMAIL=""
CERT=""
KEY=""
WHEELHOUSE=""

parse_args() {
  while [[ $# -gt 0 ]]; do
    case $1 in
      --dry-run) DRY_RUN=1 ;;
      --uninstall) UNINSTALL=1 ;;
      --no-start) START=0 ;;
      --domain | --email | --cert | --key | --wheelhouse)
        [[ $# -ge 2 ]] || die "$1 needs a value"
        case $1 in
          --domain) DOMAIN=$2 ;;
          --email) EMAIL=$2 ;;
          --cert) CERT=$2 ;;
          --key) KEY=$2 ;;
          --wheelhouse) WHEELHOUSE=$2 ;;
        esac
        shift
        ;;
      -h | --help)
        usage
        exit 0
        ;;
      *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
  done
  [[ $UNINSTALL == 1 ]] && return
  [[ -n $DOMAIN ]] || die "--domain NAME is required (the server's public DNS name)"
  [[ $DOMAIN =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$ ]] || die "--domain '$DOMAIN' is not a DNS name"
  if [[ -n $CERT || -n $KEY ]]; then
    [[ -n $CERT && -n $KEY ]] || die "--cert and --key go together"
    [[ -z $EMAIL ]] || die "give either --email (Let's Encrypt) or --cert/--key, not both"
    [[ -f $CERT ]] || die "--cert $CERT: no such file"
    [[ -f $KEY ]] || die "--key $KEY: no such file"
  else
    [[ -n $EMAIL ]] || die "give --email ADDRESS for a Let's Encrypt certificate, or --cert and --key"
    CERT=/etc/letsencrypt/live/$DOMAIN/fullchain.pem
    KEY=/etc/letsencrypt/live/$DOMAIN/privkey.pem
  fi
  if [[ -n $WHEELHOUSE && ! -d $WHEELHOUSE ]]; then
    die "--wheelhouse $WHEELHOUSE is not a directory"
  fi
}

# Fill in the site template (an action of its own, so --dry-run shows it).
write_site() {
  local template=$1 dest=$2
  sed -e "s|@DOMAIN@|$DOMAIN|g" -e "s|@CERT@|$CERT|g" -e "s|@KEY@|$KEY|g" "$template" >"$dest.tmp"
  chmod 0644 "$dest.tmp"
  mv "$dest.tmp" "$dest"
}

install_packages() {
  install_apt_packages "${APT_PACKAGES[@]}"
}

create_user_and_directories() {
  if id -u "$SERVICE_USER" >/dev/null 2>&1; then
    note "user $SERVICE_USER exists"
  else
    run useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home \
      --shell /usr/sbin/nologin --comment "Safe Airports server" "$SERVICE_USER"
  fi
  run install -d -m 0755 -o root -g root "$PREFIX" "$LIBEXEC" "$PREFIX/share" "$CONF_DIR" "$ACME_ROOT"
  # nginx (www-data) may pass through the data folder and read the repository, nothing else:
  # the repository folder is setgid www-data, so what the server adds there stays readable.
  run install -d -m 0710 -o "$SERVICE_USER" -g www-data "$DATA_DIR"
  run install -d -m 2750 -o "$SERVICE_USER" -g www-data "$DATA_DIR/repo"
  run install -d -m 0700 -o "$SERVICE_USER" -g "$SERVICE_USER" "$DATA_DIR/keys" "$BACKUP_DIR"
}

install_app() {
  install_venv "$VENV" "${SOURCE_DIR}[server]" "$WHEELHOUSE"
  run install -m 0755 "$HERE/backup.sh" "$LIBEXEC/backup"
  run install -m 0755 "$HERE/restore.sh" "$LIBEXEC/restore"
  run install -m 0755 "$HERE/safe-airports-admin.sh" "$ADMIN_WRAPPER"
  run install -m 0644 "$SOURCE_DIR/deploy/README.md" "$PREFIX/share/README.md"
}

install_units() {
  local unit
  for unit in "${UNIT_FILES[@]}"; do
    run install -m 0644 "$HERE/$unit" "$UNIT_DIR/$unit"
  done
  run systemctl daemon-reload
  run systemctl enable safe-airports-server.service safe-airports-backup.timer
  run systemctl start safe-airports-backup.timer
}

configure_nginx() {
  if [[ -n $EMAIL ]]; then
    if [[ -f $CERT ]]; then
      note "certificate for $DOMAIN exists; certbot renews it"
    else
      run write_site "$HERE/nginx-acme-bootstrap.conf" "$SITE"
      run ln -sfn "$SITE" "$SITE_LINK"
      run nginx -t
      run systemctl reload-or-restart nginx.service
      run certbot certonly --webroot --webroot-path "$ACME_ROOT" --domain "$DOMAIN" \
        --email "$EMAIL" --agree-tos --non-interactive --keep-until-expiring \
        --deploy-hook "systemctl reload nginx"
    fi
  fi
  run write_site "$HERE/nginx-safe-airports.conf" "$SITE"
  run ln -sfn "$SITE" "$SITE_LINK"
  run nginx -t
  run systemctl reload-or-restart nginx.service
}

start_server() {
  if [[ $START == 0 ]]; then
    note "--no-start: the server starts at the next boot"
  elif [[ -e $DATA_DIR/repo/metadata ]]; then
    run systemctl restart safe-airports-server.service
  else
    note "no TUF repository yet: do the root key ceremony (deploy/README.md), then"
    note "  systemctl start safe-airports-server.service"
  fi
}

uninstall() {
  remove_units "$UNIT_DIR" "${UNIT_FILES[@]}"
  run rm -f "$SITE_LINK" "$SITE" "$ADMIN_WRAPPER"
  if command -v nginx >/dev/null 2>&1; then
    run systemctl reload-or-restart nginx.service
  fi
  run rm -rf "$PREFIX"
  note "kept $DATA_DIR (keys, repository, database), $BACKUP_DIR and $CONF_DIR"
}

main() {
  parse_args "$@"
  [[ $DRY_RUN == 0 ]] || note "dry run: printing the actions, changing nothing"
  check_supported_system "$OS_RELEASE"
  if [[ $UNINSTALL == 1 ]]; then
    uninstall
    return
  fi
  install_packages
  create_user_and_directories
  install_app
  install_units
  configure_nginx
  start_server
  note "Safe Airports server installed for https://$DOMAIN/"
}

main "$@"
