#!/usr/bin/env bash
# For machines without Docker: installs Podman with runc, starts its Docker-compatible API service, and builds the
# local MySQL and MariaDB images from Debian's packages, so `--db mysql|mariadb --image <local image>` runs clusters
# of containers through testcontainers. With Docker, none of this is needed: the official images are pulled.
#
# Idempotent and cached: packages already installed stay, a running service is reused, and an image is rebuilt only
# when its recipe (suite, packages, entrypoint, this script's recipe version) changes; a Debian rootfs is kept as a
# tarball under the cache folder, so changing only the entrypoint re-imports in seconds.
# Prints the image names and the socket's address. Needs root (a rootful service, debootstrap, chroot).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ "$(id -u)" != 0 ]; then
  echo "install-containers: run as root (it installs packages, runs debootstrap and a rootful Podman service)" >&2
  exit 1
fi

# Bump when the way images are built changes, so every cached image is rebuilt.
recipe_version=2
cache="${SEMISYNC_CHAOS_CACHE:-/var/cache/semisync-chaos}/containers"
socket_dir=/run/semisync-chaos
socket="$socket_dir/podman.sock"
mkdir -p "$cache/rootfs"

# --- packages ---------------------------------------------------------------------------------------------------
missing=()
for package in podman runc debootstrap; do
  dpkg-query -W -f '${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" > /dev/null
fi

# --- configuration: runc (crun cannot set rlimits here), fixed ulimits --------------------------------------------
cat > "$cache/containers.conf" <<CONF
# Written by semisync-chaos's setup/install-containers.sh; used only by the Podman service it starts.
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=30000:30000"]

[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF="$cache/containers.conf"

# --- the Docker-compatible API service --------------------------------------------------------------------------
if ! podman --url "unix://$socket" version > /dev/null 2>&1; then
  mkdir -p "$socket_dir"
  rm -f "$socket"
  # Detached from the caller: its own session, folder and temp folder (a CI run removes its own when it ends), and
  # none of the caller's descriptors. A caller reading this script's output, as `$(...)` does, waits until every
  # holder of that pipe has closed it: a service left holding it (or any pipe its caller inherited) would hang it.
  (
    cd /
    for fd in /proc/"$BASHPID"/fd/*; do
      fd="${fd##*/}"
      if [ "$fd" -gt 2 ]; then eval "exec $fd>&-"; fi
    done
    TMPDIR=/var/tmp exec setsid nohup podman system service --time=0 "unix://$socket" > "$cache/service.log" 2>&1 \
      < /dev/null
  ) &
  echo "$!" > "$socket_dir/podman.pid"
  for _ in $(seq 1 100); do
    podman --url "unix://$socket" version > /dev/null 2>&1 && break
    sleep 0.1
  done
  podman --url "unix://$socket" version > /dev/null || {
    echo "install-containers: the Podman service did not answer on $socket; see $cache/service.log" >&2
    exit 1
  }
fi

# --- images -----------------------------------------------------------------------------------------------------
# The mirror the system already uses for Debian's main archive (live entries only, as in install-mysql.sh).
mirror="$( (grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | sed 's/^URIs://'
  grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | sed -E 's/^deb (\[[^]]*\] )?//') \
  | tr ' ' '\n' | grep -E '^https?://.*/debian/?$' | head -n 1 || true)"
mirror="${mirror:-http://deb.debian.org/debian}"

digest() { sha256sum | cut -c1-16; }

# rootfs NAME SUITE PACKAGE...: a tarball of a minimal Debian with the packages installed and no datadir; prints its path.
rootfs() {
  local name="$1" suite="$2"
  shift 2
  local key
  key="$(printf '%s\n' "$recipe_version" "$suite" "$mirror" "$@" | digest)"
  local tar="$cache/rootfs/$name-$key.tar"
  if [ ! -f "$tar" ]; then
    local dir="$cache/rootfs/$name.partial"
    rm -rf "$dir"
    echo "install-containers: building the $name rootfs (Debian $suite: $*), a few minutes the first time" >&2
    debootstrap --variant=minbase "$suite" "$dir" "$mirror" > "$cache/rootfs/$name.debootstrap.log" 2>&1 || {
      echo "install-containers: debootstrap failed; see $cache/rootfs/$name.debootstrap.log" >&2
      exit 1
    }
    # Services must not start inside the chroot; sid's Release files may be older than their Valid-Until.
    printf '#!/bin/sh\nexit 101\n' > "$dir/usr/sbin/policy-rc.d"
    chmod 755 "$dir/usr/sbin/policy-rc.d"
    cp /etc/resolv.conf "$dir/etc/resolv.conf"
    local apt=(chroot "$dir" env DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Check-Valid-Until=false -qq)
    "${apt[@]}" update
    "${apt[@]}" install -y --no-install-recommends "$@" > "$cache/rootfs/$name.apt.log" 2>&1 || {
      echo "install-containers: installing $* failed; see $cache/rootfs/$name.apt.log" >&2
      exit 1
    }
    "${apt[@]}" clean
    chroot "$dir" sh -c 'getent passwd mysql > /dev/null || useradd --system --user-group --home-dir /var/lib/mysql mysql'
    # A container initializes its own datadir (its own server_uuid); the package's is dropped.
    rm -rf "$dir/var/lib/mysql" "$dir/var/lib/apt/lists"/* "$dir/usr/sbin/policy-rc.d" "$dir/etc/resolv.conf"
    mkdir -p "$dir/var/lib/mysql" "$dir/docker-entrypoint-initdb.d" "$dir/etc/mysql/conf.d"
    # As in the official images, option files dropped into /etc/mysql/conf.d are read (MySQL's core package has none).
    [ -f "$dir/etc/mysql/my.cnf" ] || printf '!includedir /etc/mysql/conf.d/\n' > "$dir/etc/mysql/my.cnf"
    chroot "$dir" chown mysql:mysql /var/lib/mysql
    tar -C "$dir" -cf "$tar.partial" .
    mv "$tar.partial" "$tar"
    rm -rf "$dir"
  fi
  echo "$tar"
}

# image REF SERVER ROOTFS_TAR: the image REF, unless one built from the same recipe is already there.
image() {
  local ref="$1" server="$2" tar="$3"
  local context
  context="$(mktemp -d)"
  cp "$here/images/entrypoint.sh" "$context/entrypoint.sh"
  cat > "$context/Containerfile" <<FILE
# A semisync-chaos server image: Debian with the server from Debian's packages, and an entrypoint that follows the
# official images' contract. No RUN step: the build needs no container runtime and no network. No VOLUME: a node's
# data lives and dies with its container.
ARG BASE
FROM \${BASE}
COPY entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV LANG=C.UTF-8
EXPOSE 3306
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["$server"]
FILE
  local key
  key="$(cat "$context/Containerfile" "$context/entrypoint.sh" <(basename "$tar") | digest)"
  local have
  have="$(podman image inspect --format '{{ index .Labels "org.semisync-chaos.recipe" }}' "$ref" 2> /dev/null || true)"
  if [ "$have" != "$key" ]; then
    local base="localhost/semisync-chaos/rootfs-$(basename "$tar" .tar)"
    podman image exists "$base" || podman import --quiet "$tar" "$base" > /dev/null
    podman build --quiet --build-arg "BASE=$base" --label "org.semisync-chaos.recipe=$key" -t "$ref" "$context" > /dev/null
  fi
  rm -rf "$context"
  echo "$ref"
}

# The major.minor version of a package inside a rootfs tarball (1:10.11.18-0+deb12u1 -> 10.11).
package_version() {
  tar -xOf "$1" ./var/lib/dpkg/status \
    | awk -v p="$2" '$1 == "Package:" { hit = ($2 == p) } hit && $1 == "Version:" { print $2; exit }' \
    | sed -E 's/^[0-9]+://; s/^([0-9]+\.[0-9]+).*/\1/'
}

mariadb_tar="$(rootfs mariadb bookworm mariadb-server)"
mysql_tar="$(rootfs mysql sid mysql-server-core mysql-client-core)"
mariadb_ref="$(image "localhost/semisync-chaos/mariadb:$(package_version "$mariadb_tar" mariadb-server)" mariadbd \
  "$mariadb_tar")"
mysql_ref="$(image "localhost/semisync-chaos/mysql:$(package_version "$mysql_tar" mysql-server-core)" mysqld "$mysql_tar")"
# Our own images that a rebuild replaced (untagged now), and nobody else's.
podman images --quiet --filter dangling=true --filter label=org.semisync-chaos.recipe | xargs --no-run-if-empty podman rmi \
  > /dev/null 2>&1 || true

echo "container engine: DOCKER_HOST=unix://$socket (Podman $(podman --version | awk '{ print $3 }'), runtime runc)"
echo "images: $mariadb_ref $mysql_ref"
