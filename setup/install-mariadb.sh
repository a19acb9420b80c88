#!/usr/bin/env bash
# Installs Debian's MariaDB server when mariadbd is missing (for --db mariadb). Needs root; otherwise says how.
# Only the binaries are needed: the harness starts its own servers on 127.0.0.1, never the system service.
set -euo pipefail
if command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]; then
  echo "mariadbd: $( (command -v mariadbd || echo /usr/sbin/mariadbd) | head -1) ($(/usr/sbin/mariadbd --version 2>/dev/null || mariadbd --version))"
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "mariadbd is not installed. As root, run: apt-get install -y mariadb-server" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq mariadb-server >/dev/null
# The package may start the system service; the harness does not use it.
(service mariadb stop || true) >/dev/null 2>&1
echo "installed: $(/usr/sbin/mariadbd --version)"
