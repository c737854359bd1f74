#!/usr/bin/env bash
# bench/cli.sh — compare three PDF rasterizers on the public test corpus.
#
# Renders every non-malformed PDF in $CORPUS/MANIFEST.tsv to PNG at $DPI with:
#   folio     `folio convert`, one file at a time (folio itself uses all cores)
#   mutool×2  `mutool draw`, two parallel workers (files split greedily by page count)
#   pdftoppm  `pdftoppm -png`, one process, sequential
# and prints a markdown table: wall seconds for the whole corpus (best of $RUNS),
# pages written (PNG files counted), pages/s, total PNG MiB, peak RSS MiB (max over
# every process of the tool, from `/usr/bin/time -f %M`), failed files, and ratios
# against folio (speed) and pdftoppm (output size). Manifest passwords are passed on.
#
# Usage:  bash bench/cli.sh               (table on stdout, progress on stderr)
# Env:    CORPUS  corpus dir              (default <repo>/../shared/corpus)
#         FOLIO   folio binary            (default <repo>/target/release/folio; built if missing)
#         RUNS    passes per tool         (default 1; the best wall time is reported)
#         DPI     resolution, all tools   (default 150)
#         FILES   space-separated corpus file names to restrict the run to (quick tests)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORPUS=${CORPUS:-$ROOT/../shared/corpus}
FOLIO=${FOLIO:-$ROOT/target/release/folio}
RUNS=${RUNS:-1} DPI=${DPI:-150} FILES=${FILES:-}
US=$'\x1f'  # field separator for our lists: not whitespace, so empty fields survive `read`
log() { echo "$*" >&2; }

if [[ ! -f $CORPUS/MANIFEST.tsv ]]; then
  echo "corpus not found at $CORPUS, benchmark skipped"; exit 0
fi
[[ -x /usr/bin/time ]] || { log "error: /usr/bin/time (GNU time) is required"; exit 1; }
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/rss" "$TMP/err"

# file<US>pages<US>password for non-malformed rows (columns located by header name).
awk -F'\t' -v OFS="$US" -v files="$FILES" '
  BEGIN { n = split(files, a, " "); for (i = 1; i <= n; i++) want[a[i]] = 1 }
  NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  $c["tags"] ~ /malformed/ || (n && !($c["file"] in want)) { next }
  { print $c["file"], ($c["pages"] == "" ? 1 : $c["pages"]), $c["password"] }
' "$CORPUS/MANIFEST.tsv" > "$TMP/list"
NFILES=$(wc -l < "$TMP/list")
NPAGES=$(awk -F"$US" '{ s += $2 } END { print s + 0 }' "$TMP/list")
(( NFILES > 0 )) || { log "error: no corpus files selected (FILES='$FILES')"; exit 1; }

# Two halves balanced by manifest page count: largest first, each to the lighter half.
: > "$TMP/half0"; : > "$TMP/half1"
sort -t"$US" -k2,2nr "$TMP/list" | awk -F"$US" -v d="$TMP" '
  { w = (s0 <= s1) ? 0 : 1; if (w) s1 += $2; else s0 += $2; print > (d "/half" w) }'

declare -A ERR SECS PAGES BYTES RSS NFAIL
# Tools: install mutool/pdftoppm if missing (root only); build folio if missing.
if ! command -v mutool >/dev/null || ! command -v pdftoppm >/dev/null; then
  if [[ $(id -u) == 0 ]]; then
    { apt-get install -y mupdf-tools poppler-utils ||
      { apt-get update && apt-get install -y mupdf-tools poppler-utils; }; } >&2 ||
      log "apt-get install failed"
  fi
fi
command -v mutool >/dev/null || ERR[mutool]="mutool not installed (apt-get install mupdf-tools)"
command -v pdftoppm >/dev/null || ERR[pdftoppm]="pdftoppm not installed (apt-get install poppler-utils)"
why="not built"
if [[ ! -x $FOLIO && $FOLIO == "$ROOT/target/release/folio" ]]; then
  log "folio binary not found; running cargo build --release -p folio"
  (cd "$ROOT" && cargo build --release -p folio) >&2 || why="cargo build --release -p folio failed, see stderr"
fi
[[ -x $FOLIO ]] || ERR[folio]="ERROR: no folio binary at $FOLIO ($why)"

# run_one TOOL FILE PASSWORD OUTDIR: one invocation under GNU time; a non-zero exit is
# recorded as "FILE: exit N: last stderr line" in $TMP/TOOL.failed.
run_one() {
  local tool=$1 pdf=$CORPUS/$2 pw=$3 out=$4 stem=${2%.pdf} err=$TMP/err/$1.$2 cmd rc=0
  case $tool in
    folio)    cmd=("$FOLIO" convert "$pdf" --out "$out" --format png --dpi "$DPI" ${pw:+--password "$pw"}) ;;
    mutool)   cmd=(mutool draw -q -r "$DPI" -o "$out/$stem-%d.png" ${pw:+-p "$pw"} "$pdf") ;;
    pdftoppm) cmd=(pdftoppm -r "$DPI" -png ${pw:+-upw "$pw"} "$pdf" "$out/$stem") ;;
  esac
  /usr/bin/time -f %M -o "$(mktemp "$TMP/rss/$tool.XXXXXX")" "${cmd[@]}" \
    </dev/null >/dev/null 2>"$err" || rc=$?
  (( rc == 0 )) || echo "$2: exit $rc: $(tail -n1 "$err" | cut -c1-100)" >> "$TMP/$tool.failed"
}
run_list() { while IFS=$US read -r f _ pw; do run_one "$1" "$f" "$pw" "$TMP/out"; done < "$2"; }

# bench TOOL: RUNS timed passes over the corpus; keeps the best wall time.
bench() {
  local tool=$1 r t0 t1 s
  for ((r = 1; r <= RUNS; r++)); do
    log "[$tool] run $r/$RUNS: $NFILES files, $NPAGES pages"
    rm -rf "$TMP/out" "$TMP/$tool.failed"; mkdir "$TMP/out"; : > "$TMP/$tool.failed"
    t0=$(date +%s.%N)
    if [[ $tool == mutool ]]; then
      run_list mutool "$TMP/half0" & local p0=$!
      run_list mutool "$TMP/half1" & local p1=$!
      wait "$p0" "$p1"
    else
      run_list "$tool" "$TMP/list"
    fi
    t1=$(date +%s.%N)
    s=$(awk -v a="$t0" -v b="$t1" -v best="${SECS[$tool]:-}" \
      'BEGIN { s = b - a; if (best != "" && best + 0 < s) s = best; printf "%.3f", s }')
    SECS[$tool]=$s
  done
  PAGES[$tool]=$(find "$TMP/out" -name '*.png' | wc -l)
  BYTES[$tool]=$(find "$TMP/out" -name '*.png' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
  RSS[$tool]=$(cat "$TMP/rss/$tool".* | awk '/^[0-9]+$/ && $1 > m { m = $1 } END { print m + 0 }')
  NFAIL[$tool]=$(wc -l < "$TMP/$tool.failed")
  cp "$TMP/$tool.failed" "$TMP/$tool.failed.final"
}

cat "$CORPUS"/*.pdf > /dev/null 2>&1 || true  # warm the page cache for every tool alike
for t in folio mutool pdftoppm; do [[ -n ${ERR[$t]:-} ]] || bench "$t"; done

# div A B [FMT]: A/B via awk; "n/a" when either is not a number or B is zero.
div() { awk -v a="${1:-}" -v b="${2:-}" -v f="${3:-%.2f}" 'BEGIN { num = "^[0-9.]+$"
  if (a !~ num || b !~ num || b + 0 == 0) print "n/a"; else printf f "\n", a / b }'; }
pps() { [[ -n ${SECS[$1]:-} ]] && div "${PAGES[$1]}" "${SECS[$1]}" "${2:-%.6f}" || true; }
declare -A LABEL=([folio]=folio [mutool]="mutool×2" [pdftoppm]=pdftoppm)

echo "Corpus: $CORPUS — $NFILES non-malformed files, $NPAGES pages (manifest); DPI $DPI; PNG;" \
  "best of $RUNS run(s); $(nproc) CPUs"
echo
echo "| tool | pages | seconds | pages/s | PNG MiB | peak RSS MiB | pages/s vs folio | bytes vs pdftoppm | failed files |"
echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|"
for t in folio mutool pdftoppm; do
  if [[ -n ${ERR[$t]:-} ]]; then
    echo "| ${LABEL[$t]} | skipped: ${ERR[$t]} | – | – | – | – | – | – | – |"; continue
  fi
  echo "| ${LABEL[$t]} | ${PAGES[$t]} | ${SECS[$t]} | $(pps "$t" %.1f) | $(div "${BYTES[$t]}" 1048576) |" \
    "$(div "${RSS[$t]}" 1024 %.1f) | $(div "$(pps "$t")" "$(pps folio)") |" \
    "$(div "${BYTES[$t]}" "${BYTES[pdftoppm]:-}") | ${NFAIL[$t]} |"
done
echo
echo "folio/mutool×2 pages/s = $(div "$(pps folio)" "$(pps mutool)");" \
  "folio/pdftoppm pages/s = $(div "$(pps folio)" "$(pps pdftoppm)");" \
  "folio/pdftoppm bytes = $(div "${BYTES[folio]:-}" "${BYTES[pdftoppm]:-}")"
for t in folio mutool pdftoppm; do
  [[ -s $TMP/$t.failed.final ]] || continue
  echo; echo "${LABEL[$t]} failed on:"; sed 's/^/- /' "$TMP/$t.failed.final"
done
