#!/usr/bin/env bash
# Set up efile on a Debian machine and run the demo or the tests.
#
#   bash deploy/setup.sh demo    system packages + virtualenv, then `efile demo`
#   bash deploy/setup.sh test    the same, then ruff and the whole test suite
#   bash deploy/setup.sh         set up only
#
# System packages come from Debian (apt-get, as root or through sudo); Python packages go
# into ./.venv. Nothing is downloaded at run time.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(tesseract-ocr tesseract-ocr-deu tesseract-ocr-eng tesseract-ocr-osd
              ghostscript qpdf fonts-dejavu-core python3-venv
              clamav-daemon clamav libjpeg-turbo-progs)  # upload malware scan, lossless photo turns
# the tests also drive the web UI in Debian's headless Chromium (Playwright) and seal with a
# key in a software HSM (SoftHSM2, OpenSC's pkcs11-tool)
[[ "${1:-}" == test ]] && APT_PACKAGES+=(chromium softhsm2 opensc)
VENV="${EFILE_VENV:-.venv}"
PYTHON="${PYTHON:-python3}"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

install_system_packages() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  # a Python that can already make virtualenvs does not need Debian's python3-venv
  if [[ " ${missing[*]} " == *" python3-venv "* ]] && "$PYTHON" -m venv --help >/dev/null 2>&1 \
     && "$PYTHON" -c "import ensurepip" 2>/dev/null; then
    missing=("${missing[@]/python3-venv}")
  fi
  missing=(${missing[@]+"${missing[@]}"})
  [[ ${#missing[@]} -eq 0 ]] && return 0
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "efile setup: need root to install: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
  fi
  say "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

install_python() {
  if [[ ! -x "$VENV/bin/python" ]]; then
    say "creating virtualenv $VENV"
    "$PYTHON" -m venv "$VENV"
  fi
  say "installing efile and its Python dependencies"
  local log
  log=$(mktemp)
  if ! "$VENV/bin/python" -m pip install --disable-pip-version-check -e ".[test]" >"$log" 2>&1; then
    cat "$log" >&2
    echo "efile setup: pip install failed (log above)" >&2
    exit 1
  fi
  rm -f "$log"
  "$VENV/bin/efile" --version >/dev/null
}

install_system_packages
install_python
export PREFECT_SERVER_ANALYTICS_ENABLED=false OMP_THREAD_LIMIT=1

case "${1:-}" in
  demo)
    say "running the demo"
    exec "$VENV/bin/efile" demo ;;
  test)
    say "ruff"
    "$VENV/bin/ruff" check .
    say "tests on the embedded default (SQLite + local folder)"
    "$VENV/bin/python" -m pytest -q
    if "$VENV/bin/python" -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)" 2>/dev/null; then
      say "tests on PostgreSQL (127.0.0.1:5432) + SeaweedFS S3"
      EFILE_TEST_BACKEND=postgres-s3 exec "$VENV/bin/python" -m pytest -q
    elif [[ "${CI:-}" == "true" ]]; then
      echo "efile setup: PostgreSQL is not listening on 127.0.0.1:5432 (CI needs it)" >&2; exit 1
    else
      say "PostgreSQL not listening on 127.0.0.1:5432: the PostgreSQL + S3 pass is skipped"
    fi ;;
  "") say "ready: $VENV/bin/efile --help" ;;
  *) echo "usage: bash deploy/setup.sh [demo|test]" >&2; exit 2 ;;
esac
