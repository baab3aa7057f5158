#!/usr/bin/env bash
# Everything the test suite needs, on a fresh machine: a virtual environment with geomap and its
# test extras, Debian's Chromium and GDAL's command-line tools, and the pinned map assets
# (Leaflet & co.) in the local cache, fetched from the npm registry and checked against their pins,
# and the page script's test tools (eslint, axe-core) from package-lock.json.
# It calls nothing through PATH but system programs, so it works in an empty environment.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v ogrinfo >/dev/null || missing+=(gdal-bin)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "installing ${missing[*]} with apt-get" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

.venv/bin/geomap fetch-assets --npm
# eslint and axe-core for the page script's tests, exactly as package-lock.json pins them
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
