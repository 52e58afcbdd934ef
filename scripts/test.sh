#!/usr/bin/env bash
# The one test command (npm test): installs what the tests need, builds,
# type-checks, lints and runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."

# System tools the tests use: tcpdump (reference comparisons, live capture),
# iproute2 (network namespaces), arping and ping (traffic inside them). Installed only when missing, only as root.
need=()
command -v tcpdump >/dev/null 2>&1 || need+=(tcpdump)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v arping >/dev/null 2>&1 || need+=(arping)
command -v ping >/dev/null 2>&1 || need+=(iputils-ping)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "test.sh: missing ${need[*]}; tests that need them will skip"
  fi
fi

# Node dependencies: reinstall when the lockfile changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# Debian's Chromium for the HTML report's browser test (once; skipped when present).
bash scripts/install-browser.sh

npm run build
npm run typecheck
npm run lint
npx vitest run "$@"
