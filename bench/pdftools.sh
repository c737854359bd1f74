#!/usr/bin/env bash
# bench/pdftools.sh — Folio's PDF tools against qpdf on the public corpus, side by side:
#   merge     the good (non-malformed, unencrypted) corpus files into one:
#             `folio pdf merge` vs `qpdf --empty --pages … --`
#   split     pdfjs-freeculture.pdf (352 pages) into single pages:
#             `folio pdf split` vs `qpdf --split-pages`
#   optimize  every good file, lossless: total bytes of `folio pdf optimize` vs
#             `qpdf --object-streams=generate --recompress-flate --compression-level=9`,
#             and how many outputs came out larger than their input
# Wall times are the best of $RUNS; peak RSS from GNU time. Prints a markdown table.
#
# Usage:  bash bench/pdftools.sh
# Env:    CORPUS (default <repo>/../shared/corpus), FOLIO (default: the release build, built
#         when stale), RUNS (default 3)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/bench/lib.sh"
CORPUS=${CORPUS:-$ROOT/../shared/corpus}
RUNS=${RUNS:-3}
if [[ ! -f $CORPUS/MANIFEST.tsv ]]; then
  echo "corpus not found at $CORPUS, benchmark skipped"; exit 0
fi
command -v qpdf >/dev/null || { log "error: qpdf is required (apt-get install qpdf)"; exit 1; }
[[ -x /usr/bin/time ]] || { log "error: /usr/bin/time (GNU time) is required"; exit 1; }
ensure_folio

mapfile -t FILES < <(awk -F'\t' -v dir="$CORPUS" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  $c["tags"] !~ /malformed/ && $c["password"] == "" { print dir "/" $c["file"] }' "$CORPUS/MANIFEST.tsv")
BOOK=$CORPUS/pdfjs-freeculture.pdf

# best WALL-SECONDS PEAK-MIB of RUNS runs of a command (its stdout and stderr dropped).
best() {
  local best_s="" peak=0 i s rss
  for ((i = 0; i < RUNS; i++)); do
    rm -rf "$TMP/out"; mkdir -p "$TMP/out"
    local start=$(date +%s.%N)
    /usr/bin/time -f %M -o "$TMP/rss" "$@" >/dev/null 2>"$TMP/err" || {
      log "failed: $* — $(tail -n1 "$TMP/err")"; echo "failed -"; return; }
    s=$(echo "$(date +%s.%N) - $start" | bc)
    rss=$(( $(cat "$TMP/rss") / 1024 ))
    (( rss > peak )) && peak=$rss
    if [[ -z $best_s ]] || (( $(echo "$s < $best_s" | bc) )); then best_s=$s; fi
  done
  printf '%.2f %d\n' "$best_s" "$peak"
}

log "merge: ${#FILES[@]} files"
read -r fm_s fm_m < <(best "$FOLIO" pdf merge "$TMP/out/merged.pdf" "${FILES[@]}")
read -r qm_s qm_m < <(best qpdf --warning-exit-0 --empty --pages "${FILES[@]}" -- "$TMP/out/merged.pdf")
log "split: $BOOK"
read -r fs_s fs_m < <(best "$FOLIO" pdf split "$BOOK" "$TMP/out")
read -r qs_s qs_m < <(best qpdf --warning-exit-0 --split-pages "$BOOK" "$TMP/out/page-%d.pdf")

log "optimize: ${#FILES[@]} files"
in_bytes=0 f_bytes=0 q_bytes=0 f_grew=0 q_grew=0 f_fail=0 q_fail=0
mkdir -p "$TMP/opt"
start=$(date +%s.%N)
for f in "${FILES[@]}"; do
  size=$(stat -c %s "$f"); in_bytes=$((in_bytes + size))
  if "$FOLIO" pdf optimize "$f" "$TMP/opt/f.pdf" 2>/dev/null; then
    o=$(stat -c %s "$TMP/opt/f.pdf"); f_bytes=$((f_bytes + o)); (( o > size )) && f_grew=$((f_grew + 1))
  else f_fail=$((f_fail + 1)); f_bytes=$((f_bytes + size)); fi
done
fo_s=$(echo "$(date +%s.%N) - $start" | bc)
start=$(date +%s.%N)
for f in "${FILES[@]}"; do
  size=$(stat -c %s "$f")
  if qpdf --warning-exit-0 --object-streams=generate --recompress-flate --compression-level=9 \
      "$f" "$TMP/opt/q.pdf" 2>/dev/null; then
    o=$(stat -c %s "$TMP/opt/q.pdf"); q_bytes=$((q_bytes + o)); (( o > size )) && q_grew=$((q_grew + 1))
  else q_fail=$((q_fail + 1)); q_bytes=$((q_bytes + size)); fi
done
qo_s=$(echo "$(date +%s.%N) - $start" | bc)

echo "| task | folio | qpdf | folio / qpdf |"
echo "|---|---|---|---|"
printf '| merge %d files: seconds (peak MiB) | %s (%s) | %s (%s) | %.2f× the time |\n' \
  "${#FILES[@]}" "$fm_s" "$fm_m" "$qm_s" "$qm_m" "$(echo "$fm_s / $qm_s" | bc -l)"
printf '| split 352 pages: seconds (peak MiB) | %s (%s) | %s (%s) | %.2f× the time |\n' \
  "$fs_s" "$fs_m" "$qs_s" "$qs_m" "$(echo "$fs_s / $qs_s" | bc -l)"
printf '| optimize: total bytes (input %d) | %d | %d | %.3f× the bytes |\n' \
  "$in_bytes" "$f_bytes" "$q_bytes" "$(echo "$f_bytes / $q_bytes" | bc -l)"
printf '| optimize: outputs larger than input / failed | %d / %d | %d / %d | |\n' \
  "$f_grew" "$f_fail" "$q_grew" "$q_fail"
printf '| optimize: seconds, all files | %.2f | %.2f | %.2f× the time |\n' \
  "$fo_s" "$qo_s" "$(echo "$fo_s / $qo_s" | bc -l)"
