#!/usr/bin/env bash
# bench/memory.sh — peak memory of the server with its render workers while freeculture.pdf
# (352 pages) converts to PNG beside four other documents, and what the idle workers keep after.
#
# Starts `folio` on a free 127.0.0.1 port with default settings and a throw-away data dir, then
# runs bench/memory.py (see there). Prints a markdown table: pages, wall s, peak RSS of server +
# render workers, peak of the server alone, and the RSS of the server and of each idle worker
# IDLE_S seconds after the last job. Exits 1 if a conversion failed.
#
# Usage:  bash bench/memory.sh
# Env:    CORPUS   corpus dir       (default <repo>/../shared/corpus)
#         FOLIO    folio binary     (default ${CARGO_TARGET_DIR:-<repo>/target}/release/folio,
#                                    built when missing or older than sources)
#         ROUNDS   scenario repeats (default 3)
#         IDLE_S   quiet seconds before the idle figures (default 5)
#         DOCS     comma-separated corpus file names (default freeculture and the 4 next largest)
#         FLAGS    extra server flags, e.g. "--render-threads 1"
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CORPUS=${CORPUS:-$ROOT/../shared/corpus}
source "$ROOT/bench/lib.sh"

if [[ ! -f $CORPUS/MANIFEST.tsv ]]; then
  echo "corpus not found at $CORPUS, benchmark skipped"; exit 0
fi
python3 -c 'import requests' 2>/dev/null || { log "error: python3 with requests is required"; exit 1; }

ensure_folio
read -r -a flags <<< "${FLAGS:-}"
start_server -u FOLIO_WORKERS -u FOLIO_MAX_CONCURRENT_RENDERS -u FOLIO_RENDER_THREADS \
  -u FOLIO_API_KEYS -u FOLIO_RENDER_ISOLATION -u FOLIO_PUBLIC_URL -u FOLIO_RENDER_MEMORY_MIB \
  -- "${flags[@]}"
export SETTING="default settings${FLAGS:+ + $FLAGS}"
log "server pid $SERVER_PID on $BASE ($SETTING)"
python3 "$ROOT/bench/memory.py"
