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
# Beside them run attacks, each its own kind with its expected codes (see soak.py): profiles
# nested 20,000 deep, stored HTML/SVG/XHTML that must come back inert, an ObjStm "info bomb",
# result tokens used as upload tokens, slow remote sources (a byte every 50 ms from a server in
# soak.py on 127.0.0.1: the server runs with --fetch-allow 127.0.0.1; the metadata-address SSRF
# stays refused), 3 parallel streamed 50–100 MiB PUTs every 20 s, and 50 idle h2c connections.
# Prints requests by kind, responses by HTTP code, unexpected responses, async job outcomes
# (lost jobs = still working/unknown 120 s after the soak), latency per kind, peak memory of the
# server and its render workers, peak disk use of its data dir, idle-h2 closes and liveness.
# Exits 1 on any lost job, any 5xx, or a dead server.
#
# Usage:  bash bench/soak.sh
# Env:    DURATION      seconds of traffic     (default 120)
#         CLIENTS       concurrent clients     (default 6)
#         MAX_REQUESTS  request budget         (default 3000)
#         CORPUS        corpus dir             (default <repo>/../shared/corpus)
#         INFO_BOMB_MIB, SLOW_MS, SLOW_CLIENTS, BIG_EVERY_S, H2_IDLE   the attacks (see soak.py)
#         FOLIO         folio binary           (default ${CARGO_TARGET_DIR:-<repo>/target}/release/folio,
#                                               built when missing or older than sources)
# e.g.    DURATION=60 bash bench/soak.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CORPUS=${CORPUS:-$ROOT/../shared/corpus}
source "$ROOT/bench/lib.sh"

if [[ ! -f $CORPUS/MANIFEST.tsv ]]; then
  echo "corpus not found at $CORPUS, soak skipped"; exit 0
fi
python3 -c 'import requests' 2>/dev/null || { log "error: python3 with requests is required"; exit 1; }

ensure_folio
start_server -u FOLIO_API_KEYS -u FOLIO_PUBLIC_URL -u FOLIO_FETCH_ALLOW -- --page-timeout-secs 5 --fetch-allow 127.0.0.1
export DATA_DIR=$TMP/data
log "server pid $SERVER_PID on $BASE; duration ${DURATION:-120} s, clients ${CLIENTS:-6}, max requests ${MAX_REQUESTS:-3000}"
rc=0
python3 "$ROOT/bench/soak.py" || rc=$?
# Server warnings, errors and panics, minus the expected SSRF refusals.
grep -E ' (WARN|ERROR) |panick' "$TMP/server.log" | grep -v 'refused to fetch an input URL' > "$TMP/warn" || true
if [[ -s $TMP/warn ]]; then
  log "server warnings/errors/panics: $(wc -l < "$TMP/warn") lines, first 10:"; head -n 10 "$TMP/warn" >&2
fi
exit "$rc"
