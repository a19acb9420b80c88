#!/usr/bin/env bash
# Fetches Oracle MySQL (mysql-server-core, mysql-client-core) from Debian's unstable suite with its whole library
# closure, unpacked beside the system into a cache folder, and writes wrappers that run it through that tree's own
# loader: the system's apt sources and libraries are never touched. Idempotent: a tree that already runs is reused.
# Prints the version and the wrappers' folder. A MySQL 8.0/8.4/9.x of your own needs none of this (--mysqld <path>).
set -euo pipefail

# As root the servers run as the mysql user, who loads plugins and messages from the tree after dropping root: the
# tree then lives where that user can read it, not under root's private home.
if [ "$(id -u)" = 0 ] && [ -z "${SEMISYNC_CHAOS_CACHE:-}" ]; then
  cache=/var/cache/semisync-chaos/mysql
else
  cache="${SEMISYNC_CHAOS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/semisync-chaos}/mysql"
fi
arch="$(dpkg --print-architecture)"
case "$arch" in
  amd64) triplet=x86_64-linux-gnu; loader=ld-linux-x86-64.so.2 ;;
  arm64) triplet=aarch64-linux-gnu; loader=ld-linux-aarch64.so.1 ;;
  *) echo "install-mysql: no recipe for the $arch architecture" >&2; exit 1 ;;
esac

# The mirror the system already uses for Debian's main archive (not its security suite).
# Only live entries: `URIs:` lines of deb822 files and `deb` lines of one-line files (comments may name other hosts).
mirror="$( (grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | sed 's/^URIs://'
  grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | sed -E 's/^deb (\[[^]]*\] )?//') \
  | tr ' ' '\n' | grep -E '^https?://.*/debian/?$' | head -n 1 || true)"
mirror="${mirror:-http://deb.debian.org/debian}"

apt_dir="$cache/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$cache/debs"
printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s sid main\n' "$mirror" > "$apt_dir/sources.list"
apt_options=(
  -o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$apt_dir/lists"
  -o "Dir::Cache=$apt_dir/cache" -o Dir::State::status=/dev/null -o Acquire::Check-Valid-Until=false
  -o "APT::Architecture=$arch" -o APT::Sandbox::User=root -o Debug::NoLocking=1
)

apt-get "${apt_options[@]}" -qq update
version="$(apt-cache "${apt_options[@]}" policy mysql-server-core | awk '/Candidate:/ { print $2 }')"
if [ -z "$version" ] || [ "$version" = "(none)" ]; then
  echo "install-mysql: Debian's sid suite at $mirror offers no mysql-server-core" >&2
  exit 1
fi
tree="$cache/tree-$version"
bin="$cache/bin"

run_mysqld() { "$tree/usr/lib/$triplet/$loader" --library-path "$tree/usr/lib/$triplet" "$tree/usr/sbin/mysqld" "$@"; }

if [ ! -x "$tree/usr/sbin/mysqld" ] || ! run_mysqld --version >/dev/null 2>&1; then
  # Every package the two need, recursively, hard dependencies only; virtual names have no package to fetch.
  packages=$(apt-cache "${apt_options[@]}" depends --recurse --no-recommends --no-suggests --no-conflicts \
    --no-breaks --no-replaces --no-enhances --no-pre-depends mysql-server-core mysql-client-core \
    | grep -v '^ ' | grep -v '^<' | sort -u)
  (cd "$cache/debs" && apt-get "${apt_options[@]}" -qq download $packages)
  rm -rf "$tree.partial"
  mkdir -p "$tree.partial"
  for deb in "$cache"/debs/*.deb; do dpkg -x "$deb" "$tree.partial"; done
  rm -rf "$tree"
  mv "$tree.partial" "$tree"
fi

# Wrappers: the harness (or a person) runs these like the real binaries; options pass through unchanged. Run through
# the loader, mysqld cannot find its own folders from its path, so the server's wrapper names them after the caller's
# options (an option file, which must come first, still does).
mkdir -p "$bin"
write_wrapper() {
  cat > "$bin/$1" <<EOF
#!/bin/sh
# MySQL $version from Debian sid, run through its own loader and libraries (setup/install-mysql.sh).
exec "$tree/usr/lib/$triplet/$loader" --library-path "$tree/usr/lib/$triplet" "$tree/$2" "\$@" $3
EOF
  chmod 755 "$bin/$1"
}
write_wrapper mysqld usr/sbin/mysqld \
  "--basedir='$tree/usr' --plugin-dir='$tree/usr/lib/mysql/plugin' --lc-messages-dir='$tree/usr/share/mysql'"
write_wrapper mysql usr/bin/mysql ""
echo "mysqld: $bin/mysqld ($("$bin/mysqld" --version)); basedir $tree/usr"
