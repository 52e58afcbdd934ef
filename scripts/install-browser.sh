#!/usr/bin/env bash
# Installs Debian's Chromium for the HTML report browser test (test/html.test.ts).
# Idempotent: does nothing when /usr/bin/chromium exists. Needs root for apt-get; otherwise it
# only prints a note and exits 0 (the browser test then skips itself).
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "install-browser: /usr/bin/chromium missing and not root; the browser test will be skipped" >&2
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: no apt-get; the browser test will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
/usr/bin/chromium --version >&2 || true
