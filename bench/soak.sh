#!/usr/bin/env bash
# bench/soak.sh — soak test of the Folio HTTP server under mixed good, hostile and wrong traffic.
#
# Starts `folio` (serve) on a free 127.0.0.1 port with a throw-away data dir (removed, and the
# server killed, on exit), then runs bench/soak.py: CLIENTS concurrent clients for DURATION
# seconds (at most MAX_REQUESTS requests) send a random mix of good corpus PDFs (sync and async,
# every page downloaded), malformed corpus files, generated bombs (huge MediaBox, 30000² Flate
# image, cyclic page tree, forms nested 8 deep that would render for hours: the server runs with
# --page-timeout-secs 5, so that one answers 445, or 442 at the worker's memory ceiling), wrong passwords, bad/out-of-range pages, bad profiles, a missing url
# and an SSRF attempt, uploading through presigned URL + PUT and /file/upload. Loopback only.
# Prints requests by kind, responses by HTTP code, unexpected responses, async job outcomes
# (lost jobs = still working/unknown 120 s after the soak), latency per kind, server peak RSS
# and liveness. Exits 1 on any lost job, any 5xx, or a dead server.
#
# Usage:  bash bench/soak.sh
# Env:    DURATION      seconds of traffic     (default 120)
#         CLIENTS       concurrent clients     (default 6)
#         MAX_REQUESTS  request budget         (default 3000)
#         CORPUS        corpus dir             (default <repo>/../shared/corpus)
#         FOLIO         folio binary           (default <repo>/target/release/folio,
#                                               built when missing or older than sources)
# e.g.    DURATION=60 bash bench/soak.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CORPUS=${CORPUS:-$ROOT/../shared/corpus}
FOLIO=${FOLIO:-$ROOT/target/release/folio}
log() { echo "$*" >&2; }

if [[ ! -f $CORPUS/MANIFEST.tsv ]]; then
  echo "corpus not found at $CORPUS, soak skipped"; exit 0
fi
python3 -c 'import requests' 2>/dev/null || { log "error: python3 with requests is required"; exit 1; }

if [[ $FOLIO == "$ROOT/target/release/folio" ]] && { [[ ! -x $FOLIO ]] ||
   [[ -n $(cd "$ROOT" && find crates Cargo.toml Cargo.lock -newer "$FOLIO" -print -quit) ]]; }; then
  log "building folio: cargo build --release -p folio"
  (cd "$ROOT" && cargo build --release -p folio) >&2
fi
[[ -x $FOLIO ]] || { log "error: no folio binary at $FOLIO"; exit 1; }

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
env -u FOLIO_API_KEYS -u FOLIO_PUBLIC_URL -u FOLIO_FETCH_ALLOW \
  "$FOLIO" --listen "127.0.0.1:$PORT" --data-dir "$TMP/data" --page-timeout-secs 5 \
  > "$TMP/server.log" 2>&1 &
SERVER_PID=$!

for ((i = 0; i < 300; i++)); do  # up to 30 s for the listener
  kill -0 "$SERVER_PID" 2>/dev/null || { log "server exited:"; cat "$TMP/server.log" >&2; exit 1; }
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  sleep 0.1
done
(( i < 300 )) || { log "server did not accept connections on port $PORT within 30 s"; exit 1; }

export BASE=http://127.0.0.1:$PORT SERVER_PID
log "server pid $SERVER_PID on $BASE; duration ${DURATION:-120} s, clients ${CLIENTS:-6}, max requests ${MAX_REQUESTS:-3000}"
rc=0
python3 "$ROOT/bench/soak.py" || rc=$?
# Server warnings, errors and panics, minus the expected SSRF refusals.
grep -E ' (WARN|ERROR) |panick' "$TMP/server.log" | grep -v 'refused to fetch an input URL' > "$TMP/warn" || true
if [[ -s $TMP/warn ]]; then
  log "server warnings/errors/panics: $(wc -l < "$TMP/warn") lines, first 10:"; head -n 10 "$TMP/warn" >&2
fi
exit "$rc"
