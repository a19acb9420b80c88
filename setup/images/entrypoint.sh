#!/bin/bash
# Entrypoint of semisync-chaos's locally built MySQL and MariaDB images (setup/install-containers.sh). It honours the
# official images' environment contract, so tools written for `mysql:*` and `mariadb:*` (testcontainers' modules among
# them) work unchanged:
#   MYSQL_ROOT_PASSWORD | MYSQL_ALLOW_EMPTY_PASSWORD | MYSQL_RANDOM_ROOT_PASSWORD (one of them is required),
#   MYSQL_ROOT_HOST (default %), MYSQL_DATABASE, MYSQL_USER with MYSQL_PASSWORD, each also as *_FILE, the MARIADB_*
#   spellings of all of them, *.sql and *.sh in /docker-entrypoint-initdb.d, and arguments after the image name passed
#   to the server (`--gtid-mode=ON`, …). A fresh container initializes its own data directory, so every container
#   gets its own server_uuid. The setup SQL (and the *.sql scripts) runs while the datadir is made, before any server
#   listens (MySQL: `--initialize --init-file`; MariaDB: `--bootstrap`), and is not binlogged (a replica must not own
#   GTIDs of its own). *.sh scripts run after it, before the server starts: unlike the official images', they have no
#   server to talk to. A datadir whose setup did not finish (the container was killed) is made again.
set -euo pipefail

server="$(command -v mariadbd || command -v mysqld)"
datadir=/var/lib/mysql
if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then set -- "$server" "$@"; fi
# Anything else (a shell, say) runs as given.
case "$1" in mysqld | mariadbd | "$server") ;; *) exec "$@" ;; esac
shift

say() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) [Entrypoint]: $*"; }

# The value of MYSQL_<name> or MARIADB_<name>, or of the file their *_FILE names.
setting() {
  local name value file
  for name in "MARIADB_$1" "MYSQL_$1"; do
    value="${!name:-}"
    file="${name}_FILE"
    if [ -z "$value" ] && [ -n "${!file:-}" ]; then value="$(< "${!file}")"; fi
    if [ -n "$value" ]; then printf '%s' "$value"; return; fi
  done
}
sql_string() { local s=${1//\\/\\\\}; s=${s//\'/\\\'}; printf "'%s'" "$s"; }
sql_name() { local s=${1//\`/\`\`}; printf '`%s`' "$s"; }

# The socket's folder, and the one folder file import/export may touch (the server's compiled-in secure_file_priv).
mkdir -p /run/mysqld /var/lib/mysql-files
chown mysql:mysql /run/mysqld /var/lib/mysql-files
chmod 750 /var/lib/mysql-files

# Outside the datadir (initializing wants it empty), in the container's own layer: set while a setup is under way.
unfinished=/var/lib/.entrypoint-setup-unfinished
if [ ! -d "$datadir/mysql" ] || [ -f "$unfinished" ]; then
  root_password="$(setting ROOT_PASSWORD)"
  allow_empty="$(setting ALLOW_EMPTY_PASSWORD)$(setting ALLOW_EMPTY_ROOT_PASSWORD)"
  random="$(setting RANDOM_ROOT_PASSWORD)"
  if [ -z "$root_password" ] && [ -z "$allow_empty" ] && [ -z "$random" ]; then
    echo >&2 'error: database is uninitialized and password option is not specified'
    echo >&2 '  You need to specify one of MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD and MYSQL_RANDOM_ROOT_PASSWORD'
    echo >&2 '  (or their MARIADB_ spellings)'
    exit 1
  fi
  if [ -n "$random" ] && [ -z "$root_password" ]; then
    root_password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
    say "GENERATED ROOT PASSWORD: $root_password"
  fi
  root_host="$(setting ROOT_HOST)"
  root_host="${root_host:-%}"
  database="$(setting DATABASE)"
  user="$(setting USER)"
  password="$(setting PASSWORD)"

  setup_sql=/run/mysqld/entrypoint-setup.sql
  {
    # MariaDB's bootstrap starts without the grant tables loaded.
    if [ "$(basename "$server")" = mariadbd ]; then echo 'FLUSH PRIVILEGES;'; fi
    echo 'SET @@SESSION.SQL_LOG_BIN=0;'
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $(sql_string "$root_password");"
    if [ "$root_host" != localhost ]; then
      echo "CREATE USER IF NOT EXISTS 'root'@$(sql_string "$root_host") IDENTIFIED BY $(sql_string "$root_password");"
      echo "GRANT ALL ON *.* TO 'root'@$(sql_string "$root_host") WITH GRANT OPTION;"
    fi
    if [ -n "$database" ]; then echo "CREATE DATABASE IF NOT EXISTS $(sql_name "$database");"; fi
    if [ -n "$user" ] && [ -n "$password" ]; then
      echo "CREATE USER IF NOT EXISTS $(sql_string "$user")@'%' IDENTIFIED BY $(sql_string "$password");"
      if [ -n "$database" ]; then echo "GRANT ALL ON $(sql_name "$database").* TO $(sql_string "$user")@'%';"; fi
    fi
    for script in /docker-entrypoint-initdb.d/*.sql; do
      [ -f "$script" ] || continue
      if [ -n "$database" ]; then echo "USE $(sql_name "$database");"; fi
      cat "$script"
      echo
    done
  } > "$setup_sql"
  chown mysql:mysql "$setup_sql"
  chmod 600 "$setup_sql"

  say "initializing $datadir"
  touch "$unfinished"
  find "$datadir" -mindepth 1 -delete
  mkdir -p "$datadir"
  chown mysql:mysql "$datadir"
  if [ "$(basename "$server")" = mariadbd ]; then
    # Only root@localhost, through the unix socket, until the setup gives it a password: no account is ever reachable
    # over TCP without one (`normal` would add password-less root@127.0.0.1 and root@::1).
    mariadb-install-db --user=mysql --datadir="$datadir" --skip-test-db --auth-root-authentication-method=socket \
      > /dev/null
    mariadbd --bootstrap --user=mysql --datadir="$datadir" < "$setup_sql"
  else
    mysqld --initialize-insecure --user=mysql --datadir="$datadir" --init-file="$setup_sql"
  fi
  rm -f "$setup_sql"
  for script in /docker-entrypoint-initdb.d/*.sh; do
    [ -f "$script" ] || continue
    say "running $script"
    # shellcheck disable=SC1090
    . "$script"
  done
  rm -f "$unfinished"
  say 'initialized; starting the server'
fi

exec "$server" --user=mysql --datadir="$datadir" "$@"
