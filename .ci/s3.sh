#!/usr/bin/env bash
# A local S3-compatible server (s3s-fs) for folio-store's S3 tests.
#
#   eval "$(.ci/s3.sh start)"   # install if missing, start, print the FOLIO_TEST_S3_* exports
#   .ci/s3.sh stop              # kill it and remove its data
#
# Only the export lines go to stdout, so `eval` sees nothing else; progress goes to stderr.
# s3s-fs maps bucket `b` to the directory `<data>/b`, so the bucket is created with mkdir.
set -euo pipefail

# 0.14.1 is the last s3s-fs release that builds on our Rust (1.95).
S3S_VERSION=0.14.1
INSTALL_ROOT=${FOLIO_S3S_INSTALL_ROOT:-$HOME/.cache/folio/s3s-fs-$S3S_VERSION}
BIN=$INSTALL_ROOT/bin/s3s-fs
DIR=${FOLIO_S3S_DIR:-/tmp/folio-s3}
HOST=127.0.0.1
PORT=${FOLIO_S3S_PORT:-59000}
BUCKET=folio-test
ACCESS_KEY=folio-test-access
SECRET_KEY=folio-test-secret
PIDFILE=$DIR/s3s-fs.pid
LOG=$DIR/s3s-fs.log

say() { echo "s3.sh: $*" >&2; }

port_answers() { (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; }

running() { [[ -f $PIDFILE ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

print_exports() {
	cat <<EOF
export FOLIO_TEST_S3_ENDPOINT=http://$HOST:$PORT
export FOLIO_TEST_S3_BUCKET=$BUCKET
export FOLIO_TEST_S3_ACCESS_KEY=$ACCESS_KEY
export FOLIO_TEST_S3_SECRET_KEY=$SECRET_KEY
EOF
}

install() {
	if [[ -x $BIN ]] && "$BIN" --version | grep -qF " $S3S_VERSION"; then
		return
	fi
	say "installing s3s-fs $S3S_VERSION into $INSTALL_ROOT (a few minutes)"
	local started=$SECONDS
	# --locked: the crate's own lock file, known to build; `binary` enables the server's main.
	cargo install s3s-fs --version "=$S3S_VERSION" --locked --features binary \
		--root "$INSTALL_ROOT" >&2
	say "installed in $((SECONDS - started)) s"
}

start() {
	if running && port_answers; then
		say "already running (pid $(cat "$PIDFILE"))"
		print_exports
		return
	fi
	if port_answers; then
		say "port $PORT is taken by something else"
		exit 1
	fi
	install
	rm -rf "$DIR"
	mkdir -p "$DIR/data/$BUCKET"
	# All descriptors redirected: an inherited stdout would keep `$(.ci/s3.sh start)` waiting.
	RUST_LOG=${FOLIO_S3S_LOG:-warn} nohup "$BIN" --host "$HOST" --port "$PORT" \
		--access-key "$ACCESS_KEY" --secret-key "$SECRET_KEY" "$DIR/data" \
		</dev/null >"$LOG" 2>&1 &
	echo $! >"$PIDFILE"
	for _ in $(seq 100); do
		if port_answers; then
			say "s3s-fs listening on $HOST:$PORT (pid $(cat "$PIDFILE"), log $LOG)"
			print_exports
			return
		fi
		if ! running; then
			break
		fi
		sleep 0.1
	done
	say "s3s-fs did not come up; log follows"
	cat "$LOG" >&2
	stop
	exit 1
}

stop() {
	if running; then
		local pid
		pid=$(cat "$PIDFILE")
		kill "$pid"
		for _ in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		say "stopped s3s-fs (pid $pid)"
	fi
	rm -rf "$DIR"
}

case ${1:-} in
start) start ;;
stop) stop ;;
*)
	echo "usage: $0 start|stop" >&2
	exit 2
	;;
esac
