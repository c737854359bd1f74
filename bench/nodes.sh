#!/usr/bin/env bash
# bench/nodes.sh — pages/s of 1 Folio node vs 2 nodes sharing S3 + PostgreSQL on this machine,
# and the time from a node's kill -9 to the takeover of its job (see bench/nodes.py).
#
# Starts PostgreSQL and s3s-fs through .ci/postgres.sh and .ci/s3.sh when they are not running
# (and leaves them running). Both configurations share the same cores, so 2 nodes cannot be
# faster here; the point is that they are not slower.
#
# Usage:  bash bench/nodes.sh
# Env:    FOLIO    folio binary (default ${CARGO_TARGET_DIR:-<repo>/target}/release/folio, built
#                  when missing or older than the sources)
#         DOCS, CLIENTS, LEASE, PDF: see bench/nodes.py
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/bench/lib.sh"

python3 -c 'import requests' 2>/dev/null || { log "error: python3 with requests is required"; exit 1; }
command -v psql >/dev/null || { log "error: psql is required (apt-get install postgresql-client)"; exit 1; }

ensure_folio

eval "$("$ROOT/.ci/postgres.sh" start)"
eval "$("$ROOT/.ci/s3.sh" start)"
export FOLIO FOLIO_TEST_POSTGRES_URL FOLIO_TEST_S3_ENDPOINT FOLIO_TEST_S3_BUCKET \
  FOLIO_TEST_S3_ACCESS_KEY FOLIO_TEST_S3_SECRET_KEY
exec python3 "$ROOT/bench/nodes.py"
