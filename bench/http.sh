#!/usr/bin/env bash
# bench/http.sh — throughput and latency of the Folio HTTP server on the PDF.co flow.
#
# Starts `folio` (serve) on a free 127.0.0.1 port with a throw-away data dir, then runs
# bench/http.py: CLIENTS concurrent clients push every non-malformed corpus PDF (ROUNDS
# passes) through the PDF.co async flow — presigned upload, PUT, /pdf/convert/to/png
# async=true, /job/check polled every 50 ms (PDF.co samples poll every 3 s; we poll fast
# to measure the server, not the sleep), then download every page PNG. Prints a markdown
# table: documents, pages, wall s, pages/s, p50/p95 document latency (upload start → last
# page downloaded), failures by reason, peak RSS and CPU s of server + render workers; then the CLI
# anchors (mutool×2, pdftoppm from bench/cli.sh) and folio-http's ratio to each.
# Server renders at its default 150 DPI, as bench/cli.sh does. Each client reuses one
# keep-alive connection (requests.Session), as SDK clients do. Exits 1 if anything failed.
#
# Usage:  bash bench/http.sh
# Env:    CORPUS          corpus dir             (default <repo>/../shared/corpus)
#         FOLIO           folio binary           (default <repo>/target/release/folio,
#                                                 built when missing or older than sources)
#         CLIENTS         concurrent clients     (default 4)
#         ROUNDS          passes over corpus     (default 1)
#         WORKERS         server --workers                 (default: server's own)
#         RENDERS         server --max-concurrent-renders  (default: server's own)
#         RENDER_THREADS  server --render-threads          (default: server's own)
#         ISOLATION       server --render-isolation process|inline (default: server's own)
#         ANCHORS=1       re-run bench/cli.sh for the anchors (~90 s) before the HTTP run
# e.g.    WORKERS=1 RENDERS=1 RENDER_THREADS=0 bash bench/http.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CORPUS=${CORPUS:-$ROOT/../shared/corpus}
FOLIO=${FOLIO:-$ROOT/target/release/folio}
log() { echo "$*" >&2; }

if [[ ! -f $CORPUS/MANIFEST.tsv ]]; then
  echo "corpus not found at $CORPUS, benchmark skipped"; exit 0
fi
python3 -c 'import requests' 2>/dev/null || { log "error: python3 with requests is required"; exit 1; }

# Build when the default binary is missing or older than any source (cargo decides the rest).
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

# CLI anchors first (if asked), so they do not compete with the server for the CPUs.
export ANCHOR_FILE=""
if [[ ${ANCHORS:-0} == 1 ]]; then
  log "ANCHORS=1: running bench/cli.sh (~90 s)"
  FOLIO=$FOLIO bash "$ROOT/bench/cli.sh" > "$TMP/anchors.md"
  export ANCHOR_FILE=$TMP/anchors.md
fi

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
flags=(--listen "127.0.0.1:$PORT" --data-dir "$TMP/data")
[[ -n ${WORKERS:-} ]] && flags+=(--workers "$WORKERS")
[[ -n ${RENDERS:-} ]] && flags+=(--max-concurrent-renders "$RENDERS")
[[ -n ${RENDER_THREADS:-} ]] && flags+=(--render-threads "$RENDER_THREADS")
[[ -n ${ISOLATION:-} ]] && flags+=(--render-isolation "$ISOLATION")
# Keep the server's environment from overriding the flags we did not pass.
env -u FOLIO_WORKERS -u FOLIO_MAX_CONCURRENT_RENDERS -u FOLIO_RENDER_THREADS -u FOLIO_API_KEYS -u FOLIO_RENDER_ISOLATION \
  -u FOLIO_PUBLIC_URL "$FOLIO" "${flags[@]}" > "$TMP/server.log" 2>&1 &
SERVER_PID=$!

for ((i = 0; i < 300; i++)); do  # up to 30 s for the listener
  kill -0 "$SERVER_PID" 2>/dev/null || { log "server exited:"; cat "$TMP/server.log" >&2; exit 1; }
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  sleep 0.1
done
(( i < 300 )) || { log "server did not accept connections on port $PORT within 30 s"; exit 1; }

export BASE=http://127.0.0.1:$PORT SERVER_PID
export SETTING="workers ${WORKERS:-default}, max-concurrent-renders ${RENDERS:-default}, render-threads ${RENDER_THREADS:-default}, render-isolation ${ISOLATION:-default}"
log "server pid $SERVER_PID on $BASE ($SETTING); clients ${CLIENTS:-4}, rounds ${ROUNDS:-1}"
rc=0
python3 "$ROOT/bench/http.py" || rc=$?
if grep -qE ' (WARN|ERROR) ' "$TMP/server.log"; then
  log "server warnings/errors (first 10):"; grep -E ' (WARN|ERROR) ' "$TMP/server.log" | head -n 10 >&2
fi
exit "$rc"
