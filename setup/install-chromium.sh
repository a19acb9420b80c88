#!/usr/bin/env bash
# Installs Debian's Chromium when it is missing: the browser tests open the HTML reports in it (headless, through
# playwright-core). Needs root; otherwise says how.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "chromium: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "Chromium is not installed. As root, run: apt-get install -y --no-install-recommends chromium" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "installed: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
