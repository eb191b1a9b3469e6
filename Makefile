# Safe Airports: the two set-up commands are `make demo` and `make test`; both install what
# they need (a virtualenv, and Debian packages when run as root).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The kiosk's runtime packages (cage, Mesa, Qt's xcb and wayland libraries) come from one list
# shared with deploy/kiosk/install.sh and deploy/demo.sh; the rest are for the tests: Xvfb,
# xwd, xwininfo and xdotool (the kiosk under X11), grim (screenshots under cage), pulseaudio and
# its tools (the kiosk's sound in cage), python3-venv (the kiosk user's Python in the cage test).
KIOSK_RUNTIME_PACKAGES := $(shell sed 's/\#.*//' deploy/kiosk/runtime-packages.txt)
APT_PACKAGES := espeak-ng opus-tools sox ffmpeg zbar-tools shellcheck chromium xvfb x11-apps x11-utils xdotool grim pulseaudio pulseaudio-utils python3-venv systemd \
  $(KIOSK_RUNTIME_PACKAGES)
export QT_QPA_PLATFORM ?= offscreen
export QT_QUICK_BACKEND ?= software

.PHONY: setup system-deps demo test lint format bench mutate clean

setup: system-deps $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[dev]'
	touch $@

system-deps:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	  if [ -n "$$missing" ]; then \
	    echo "Installing Debian packages: $$missing"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	  fi; \
	  if ! command -v nginx >/dev/null 2>&1 && [ ! -x $(VENV)/nginx/usr/sbin/nginx ]; then \
	    echo "Unpacking Debian's nginx into $(VENV)/nginx for the reverse-proxy tests (no daemon is started)"; \
	    mkdir -p $(VENV)/nginx && (cd $(VENV)/nginx && { apt-get download -q nginx || { apt-get update -q && apt-get download -q nginx; }; } && dpkg-deb -x nginx_*.deb . && rm -f nginx_*.deb); \
	  fi; \
	else \
	  echo "Not root: not installing Debian packages ($(APT_PACKAGES)); tests that need them skip with a message."; \
	fi

demo: setup
	bash deploy/demo.sh

test: setup
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pyside6-qmllint --max-warnings 0 -I kiosk/qml kiosk/qml/SafeAirports/*.qml

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: setup
	$(PY) -m tests.benchmarks

# mutation testing of the critical modules (README, "For developers"); MODULE=installed etc.
mutate: setup
	$(PY) -m tests.mutation $(MODULE)

clean:
	rm -rf $(VENV) build *.egg-info demo-screens .demo mutants
