# bench/lib.sh — sourced by the bench scripts: build the folio binary when stale, start a server
# on a free loopback port with a throw-away data directory, and stop it on exit.
# Expects ROOT (the repository); FOLIO (the binary) defaults to the release build in
# ${CARGO_TARGET_DIR:-$ROOT/target}. Defines log, TMP, PORT, SERVER_PID.

log() { echo "$*" >&2; }

DEFAULT_FOLIO=${CARGO_TARGET_DIR:-$ROOT/target}/release/folio
FOLIO=${FOLIO:-$DEFAULT_FOLIO}

# Build when FOLIO is the default release binary and missing or older than any source.
ensure_folio() {
  if [[ $FOLIO == "$DEFAULT_FOLIO" ]] && { [[ ! -x $FOLIO ]] ||
     [[ -n $(cd "$ROOT" && find crates Cargo.toml Cargo.lock -newer "$FOLIO" -print -quit) ]]; }; then
    log "building folio: cargo build --release -p folio"
    (cd "$ROOT" && cargo build --release -p folio) >&2
  fi
  [[ -x $FOLIO ]] || { log "error: no folio binary at $FOLIO"; exit 1; }
}

TMP=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# start_server [env -u … assignments] -- [folio flags…]: run `folio --listen 127.0.0.1:$PORT
# --data-dir $TMP/data flags…` (under `env` with the given options, to drop FOLIO_* variables
# that would override what the bench sets), log to $TMP/server.log, wait up to 30 s for it to
# accept connections, and export BASE and SERVER_PID.
start_server() {
  local envopts=()
  while [[ $# -gt 0 && $1 != -- ]]; do envopts+=("$1"); shift; done
  [[ ${1:-} == -- ]] && shift
  env "${envopts[@]}" "$FOLIO" --listen "127.0.0.1:$PORT" --data-dir "$TMP/data" "$@" \
    > "$TMP/server.log" 2>&1 &
  SERVER_PID=$!
  local i
  for ((i = 0; i < 300; i++)); do
    kill -0 "$SERVER_PID" 2>/dev/null || { log "server exited:"; cat "$TMP/server.log" >&2; exit 1; }
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    sleep 0.1
  done
  (( i < 300 )) || { log "server did not accept connections on port $PORT within 30 s"; exit 1; }
  export BASE=http://127.0.0.1:$PORT SERVER_PID
}
