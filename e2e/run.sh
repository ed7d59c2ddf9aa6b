#!/usr/bin/env bash
# Runs the browser test suite (e2e/) against the server built at .build/debug/wegwijs.
#
#   bash e2e/run.sh            # from anywhere; extra arguments go to pytest (e.g. -x, -k consent)
#
# Installs only what is missing: chromium, chromium-driver and fonts-noto-core with apt-get (when run as root),
# and the Python packages of e2e/requirements.txt with pip. Builds nothing: build the server first with `swift build`.
# Exits with pytest's exit code.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
cd "$repo"

PYTHON="${PYTHON:-python3}"
bin="${WEGWIJS_BIN:-$repo/.build/debug/wegwijs}"
if [ ! -x "$bin" ]; then
  echo "e2e: no server binary at $bin." >&2
  echo "e2e: build it first with:  swift build   (or point WEGWIJS_BIN at a built 'wegwijs')" >&2
  exit 2
fi

# Chromium, its driver, and fonts that cover the scripts the families read (Arabic, Ethiopic, ...).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
dpkg -s fonts-noto-core >/dev/null 2>&1 || missing+=(fonts-noto-core)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "e2e: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "e2e: please install ${missing[*]} (sudo apt-get install -y ${missing[*]})" >&2
    exit 2
  fi
fi

# The Python packages, when one of requirements.txt is missing or too old.
if ! "$PYTHON" - "$here/requirements.txt" 2>/dev/null <<'PYTHON_CHECK'
import importlib.metadata as md
import sys
try:
    from packaging.requirements import Requirement
except ImportError:
    from pip._vendor.packaging.requirements import Requirement
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    requirement = Requirement(line)
    try:
        installed = md.version(requirement.name)
    except md.PackageNotFoundError:
        raise SystemExit(1)
    if requirement.specifier and not requirement.specifier.contains(installed, prereleases=True):
        raise SystemExit(1)
PYTHON_CHECK
then
  echo "e2e: installing the Python packages of e2e/requirements.txt"
  # axe-selenium-python 3 (axe-core 4) says Python >= 3.12 but runs on 3.11; see requirements.txt.
  "$PYTHON" -m pip install -q --disable-pip-version-check --ignore-requires-python -r "$here/requirements.txt"
fi

mkdir -p "$here/artifacts"
set +e
"$PYTHON" -m pytest "$here" -q "$@"
status=$?
set -e
echo "e2e: screenshots and axe reports in $here/artifacts/"
exit $status
