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
#         FOLIO           folio binary           (default ${CARGO_TARGET_DIR:-<repo>/target}/release/folio,
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
source "$ROOT/bench/lib.sh"

if [[ ! -f $CORPUS/MANIFEST.tsv ]]; then
  echo "corpus not found at $CORPUS, benchmark skipped"; exit 0
fi
python3 -c 'import requests' 2>/dev/null || { log "error: python3 with requests is required"; exit 1; }

ensure_folio

# CLI anchors first (if asked), so they do not compete with the server for the CPUs.
export ANCHOR_FILE=""
if [[ ${ANCHORS:-0} == 1 ]]; then
  log "ANCHORS=1: running bench/cli.sh (~90 s)"
  FOLIO=$FOLIO bash "$ROOT/bench/cli.sh" > "$TMP/anchors.md"
  export ANCHOR_FILE=$TMP/anchors.md
fi

flags=()
[[ -n ${WORKERS:-} ]] && flags+=(--workers "$WORKERS")
[[ -n ${RENDERS:-} ]] && flags+=(--max-concurrent-renders "$RENDERS")
[[ -n ${RENDER_THREADS:-} ]] && flags+=(--render-threads "$RENDER_THREADS")
[[ -n ${ISOLATION:-} ]] && flags+=(--render-isolation "$ISOLATION")
# Keep the server's environment from overriding the flags we did not pass.
start_server -u FOLIO_WORKERS -u FOLIO_MAX_CONCURRENT_RENDERS -u FOLIO_RENDER_THREADS \
  -u FOLIO_API_KEYS -u FOLIO_RENDER_ISOLATION -u FOLIO_PUBLIC_URL -- "${flags[@]}"
export SETTING="workers ${WORKERS:-default}, max-concurrent-renders ${RENDERS:-default}, render-threads ${RENDER_THREADS:-default}, render-isolation ${ISOLATION:-default}"
log "server pid $SERVER_PID on $BASE ($SETTING); clients ${CLIENTS:-4}, rounds ${ROUNDS:-1}"
rc=0
python3 "$ROOT/bench/http.py" || rc=$?
if grep -qE ' (WARN|ERROR) ' "$TMP/server.log"; then
  log "server warnings/errors (first 10):"; grep -E ' (WARN|ERROR) ' "$TMP/server.log" | head -n 10 >&2
fi
exit "$rc"
