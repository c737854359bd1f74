#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the folio-jobs tests, for CI (root on Debian 12) and developers.
#
#   eval "$(.ci/postgres.sh start)"   # installs PostgreSQL (and openssl) if needed, starts the
#                                     # cluster and exports FOLIO_TEST_POSTGRES_URL and
#                                     # FOLIO_TEST_POSTGRES_CA
#   .ci/postgres.sh stop              # stops it and deletes its files
#
# The cluster lives in $FOLIO_PG_DIR (default /tmp/folio-pg), listens on 127.0.0.1:$FOLIO_PG_PORT
# (default 55432) and a unix socket in that directory, and has a role folio (password folio) that
# may create the per-test databases. It trades durability for speed (fsync off): test data only.
# It accepts TLS (`sslmode=require`) with a self-signed certificate for 127.0.0.1 and localhost
# made at the first start ($FOLIO_PG_DIR/server.crt, exported as FOLIO_TEST_POSTGRES_CA for
# `sslmode=verify-full&sslrootcert=…`), and plain connections too.
# Only the export line goes to stdout, so that `eval` sees nothing else.
set -euo pipefail

dir=${FOLIO_PG_DIR:-/tmp/folio-pg}
port=${FOLIO_PG_PORT:-55432}
data=$dir/data
url="postgres://folio:folio@127.0.0.1:$port/postgres"

log() { echo "postgres.sh: $*" >&2; }

# The directory holding initdb, pg_ctl and psql of one PostgreSQL version: PATH first, then the
# newest of Debian's versioned directories (which Debian does not put on PATH).
find_bindir() {
    local initdb
    if initdb=$(command -v initdb); then
        dirname "$(readlink -f "$initdb")"
        return
    fi
    # shellcheck disable=SC2012 # version directories: plain names
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

install_postgres() {
    if [[ $(id -u) -ne 0 ]]; then
        log "PostgreSQL (initdb) not found; install it (apt-get install postgresql) or run as root"
        exit 1
    fi
    log "installing PostgreSQL"
    # Only the binaries are wanted: no system cluster on port 5432 beside ours.
    mkdir -p /etc/postgresql-common
    if [[ ! -e /etc/postgresql-common/createcluster.conf ]]; then
        echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2
    apt-get install -y postgresql >&2
}

install_openssl() {
    if [[ $(id -u) -ne 0 ]]; then
        log "openssl not found; install it (apt-get install openssl) or run as root"
        exit 1
    fi
    log "installing openssl"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2
    apt-get install -y openssl >&2
}

# A self-signed certificate for the cluster, made once, its key readable by the server only. Not a
# CA certificate: rustls (webpki) refuses a CA certificate as a server's own.
make_certificate() {
    if [[ -f $data/server.key && -f $dir/server.crt ]]; then
        return
    fi
    command -v openssl >/dev/null || install_openssl
    log "making a self-signed TLS certificate"
    local out
    if ! out=$(as_owner openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=localhost \
        -addext subjectAltName=IP:127.0.0.1,DNS:localhost -addext basicConstraints=critical,CA:FALSE \
        -keyout "$data/server.key" -out "$data/server.crt" 2>&1); then
        log "openssl failed: $out"
        exit 1
    fi
    chmod 600 "$data/server.key"
    cp "$data/server.crt" "$dir/server.crt"
    chmod 644 "$dir/server.crt"
}

# PostgreSQL refuses to run as root: as root, run the server's commands as the postgres user.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

is_running() {
    [[ -f $data/PG_VERSION ]] && as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1
}

# The superuser, over the unix socket (trusted locally).
admin_psql() {
    as_owner "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres "$@"
}

start() {
    bindir=$(find_bindir)
    if [[ -z $bindir || ! -x $bindir/initdb ]]; then
        install_postgres
        bindir=$(find_bindir)
    fi
    if [[ -z $bindir || ! -x $bindir/initdb ]]; then
        log "no initdb found after installing PostgreSQL"
        exit 1
    fi

    if is_running; then
        log "already running in $dir"
    else
        if [[ ! -f $data/PG_VERSION ]]; then
            rm -rf "$dir"
            mkdir -p "$dir"
            if [[ $(id -u) -eq 0 ]]; then
                id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
                chown postgres: "$dir"
            fi
            log "creating a cluster in $data with $bindir"
            as_owner "$bindir/initdb" -D "$data" -U postgres --auth-local=trust \
                --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >&2
        fi
        log "starting on 127.0.0.1:$port"
        if ! as_owner "$bindir/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >&2; then
            log "the server did not start; its log:"
            cat "$dir/server.log" >&2 || true
            exit 1
        fi
    fi

    for _ in $(seq 1 60); do
        if as_owner "$bindir/pg_isready" -q -h "$dir" -p "$port"; then
            break
        fi
        sleep 0.5
    done
    # ssl is a reload setting: this also turns TLS on in a cluster started by an older script.
    make_certificate
    admin_psql >&2 <<SQL
ALTER SYSTEM SET ssl = on;
ALTER SYSTEM SET ssl_cert_file = '$data/server.crt';
ALTER SYSTEM SET ssl_key_file = '$data/server.key';
\o /dev/null
SELECT pg_reload_conf();
SQL
    for _ in $(seq 1 20); do
        if [[ $(admin_psql -tA -c 'SHOW ssl') == on ]]; then
            break
        fi
        sleep 0.5
    done
    admin_psql <<'SQL'
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'folio') THEN
        CREATE ROLE folio LOGIN CREATEDB PASSWORD 'folio';
    END IF;
END
$$;
SQL
    echo "export FOLIO_TEST_POSTGRES_URL=$url FOLIO_TEST_POSTGRES_CA=$dir/server.crt"
}

stop() {
    bindir=$(find_bindir)
    if [[ -n $bindir ]] && is_running; then
        log "stopping the cluster in $dir"
        as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >&2
    fi
    rm -rf "$dir"
}

case ${1:-} in
start) start ;;
stop) stop ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
