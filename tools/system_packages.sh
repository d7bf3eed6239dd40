#!/bin/sh
# Install the Debian packages precedents needs (tools/system-packages.txt), or say how.
#
# Run by `make demo`, `make test` and `.ci/run` before the Python environment is made. As root on
# Debian or Ubuntu it installs what is missing with apt-get; otherwise it prints the one
# `apt-get install` line to run and exits 0, so the demo goes on (without OCR) and the tests
# that need a package skip with that line. Under CI=true a failed install is an error: a green
# CI run must have had every package.
#
# PYTHON names the interpreter the venv is made with: python3-venv is added when it cannot make
# one (Debian's python3 without ensurepip).
set -u
here=$(dirname "$0")
PYTHON=${PYTHON:-python3}
packages=$(sed -e 's/#.*//' "$here/system-packages.txt" | tr -s ' \n' '  ')
if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  packages="python3-venv $packages"
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system packages: not a Debian system; install Tesseract (rus, eng, fra), poppler-utils," \
       "the DejaVu fonts and Chromium with your package manager" >&2
  exit 0
fi

missing=""
for package in $packages; do
  if [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" != "install ok installed" ]; then
    missing="$missing $package"
  fi
done
missing=${missing# }
[ -z "$missing" ] && exit 0

line="apt-get install -y --no-install-recommends $missing"
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system packages missing: $missing" >&2
  echo "  run as root:  $line" >&2
  echo "  (going on without them: no OCR of scanned PDFs; tests that need them are skipped)" >&2
  exit 0
fi

echo "installing system packages: $missing" >&2
export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null; then
  exit 0
fi
echo "system packages: apt-get could not install them; run as root:  $line" >&2
if [ "${CI:-}" = true ]; then
  exit 1
fi
exit 0
