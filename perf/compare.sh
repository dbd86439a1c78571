#!/usr/bin/env bash
# Compare two Kafka-protocol brokers on one workload with `loggia perf`, one broker at a time.
#
# Usage: perf/compare.sh [--repeat N] [--out DIR] [--quiet-wait MAX_S] \
#          A_LABEL A_BOOTSTRAP A_PID  B_LABEL B_BOOTSTRAP B_PID  [-- loggia perf options...]
#   e.g. perf/compare.sh loggia 127.0.0.1:9092 "$LOGGIA_PID" kafka-4.4 127.0.0.1:19092 "$KAFKA_PID" \
#          -- --preset e2e-10k-100b --warmup 5 --duration 20
#
# Runs A, B, A, B, ... (N pairs, default 1), so slow drifts of the machine hit both brokers alike, then prints the
# ratio table (medians over each broker's runs, A/B) and writes overlay plots of the latency curves.
# A PID of "-" means no broker process to sample (no broker CPU/memory figures).
# --quiet-wait MAX_S: before each run, wait up to MAX_S seconds for the machine to be <= 10% busy for one second
# (other work sharing the cores skews the numbers; each result also reports the CPU used by other processes).
# Output in DIR (default perf-results/compare-TIME): one directory per run, ratio.txt, e2e.svg, publish.svg.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOGGIA=${LOGGIA:-$HERE/../loggia}
die() { echo "compare.sh: $*" >&2; exit 2; }

REPEAT=1 OUT= QUIET_WAIT=0
while [ $# -gt 0 ]; do
  case "$1" in
    --repeat) REPEAT=${2:?--repeat needs N}; shift 2 ;;
    --out) OUT=${2:?--out needs DIR}; shift 2 ;;
    --quiet-wait) QUIET_WAIT=${2:?--quiet-wait needs seconds}; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    --*) die "unknown option $1" ;;
    *) break ;;
  esac
done
[ $# -ge 6 ] || die "need A_LABEL A_BOOTSTRAP A_PID B_LABEL B_BOOTSTRAP B_PID (see --help)"
LABELS=("$1" "$4") BOOTSTRAPS=("$2" "$5") PIDS=("$3" "$6")
shift 6
if [ $# -gt 0 ]; then [ "$1" = "--" ] || die "workload options go after --"; shift; fi
[[ $REPEAT =~ ^[1-9][0-9]*$ ]] || die "--repeat wants a positive whole number"
[ "${LABELS[0]}" != "${LABELS[1]}" ] || die "the two labels must differ"
for i in 0 1; do
  [ "${PIDS[$i]}" = - ] || [ -r "/proc/${PIDS[$i]}/stat" ] || die "${LABELS[$i]}: no process ${PIDS[$i]}"
done
OUT=${OUT:-perf-results/compare-$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"

# Build once up front (if sources changed); never rebuild between runs, which would load the machine mid-comparison.
"$LOGGIA" perf presets >/dev/null
export LOGGIA_NO_BUILD=1

cpu_sample() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }
busy_pct_1s() { local a b; a=$(cpu_sample); sleep 1; b=$(cpu_sample); echo "$a $b" | awk '{print int(100 * ($3 - $1) / ($4 - $2))}'; }
wait_quiet() {
  local n=0
  [ "$QUIET_WAIT" -gt 0 ] || return 0
  while [ "$(busy_pct_1s)" -gt 10 ]; do
    n=$((n + 1))
    [ $n -lt "$QUIET_WAIT" ] || { echo "compare.sh: machine still busy after ${n}s; running anyway" >&2; return 0; }
  done
}

FILES_A=() FILES_B=() FAILED=0
for r in $(seq "$REPEAT"); do
  for i in 0 1; do
    wait_quiet
    DIR="$OUT/$r-${LABELS[$i]}"
    PID_ARGS=()
    [ "${PIDS[$i]}" = - ] || PID_ARGS=(--broker-pid "${PIDS[$i]}")
    echo "=== run $r/$REPEAT: ${LABELS[$i]} @ ${BOOTSTRAPS[$i]} -> $DIR"
    "$LOGGIA" perf --bootstrap-server "${BOOTSTRAPS[$i]}" --label "${LABELS[$i]}" "${PID_ARGS[@]}" \
      --out "$DIR" "$@" || { echo "compare.sh: run $r of ${LABELS[$i]} exited $?" >&2; FAILED=1; }
    if [ -f "$DIR/result.json" ]; then
      if [ $i -eq 0 ]; then FILES_A+=("$DIR/result.json"); else FILES_B+=("$DIR/result.json"); fi
    fi
  done
done

[ ${#FILES_A[@]} -gt 0 ] && [ ${#FILES_B[@]} -gt 0 ] || die "no result from one of the brokers; see the output above"
join_by_comma() { local IFS=,; echo "$*"; }
"$LOGGIA" perf ratio --a "$(join_by_comma "${FILES_A[@]}")" --b "$(join_by_comma "${FILES_B[@]}")" \
  --a-label "${LABELS[0]}" --b-label "${LABELS[1]}" | tee "$OUT/ratio.txt"
"$LOGGIA" perf plot "${FILES_A[@]}" "${FILES_B[@]}" --metric e2e -o "$OUT/e2e.svg" \
  --title "end-to-end latency: ${LABELS[0]} vs ${LABELS[1]}" || true
"$LOGGIA" perf plot "${FILES_A[@]}" "${FILES_B[@]}" --metric publish -o "$OUT/publish.svg" \
  --title "publish latency: ${LABELS[0]} vs ${LABELS[1]}" || true
echo "compare.sh: results in $OUT (ratio.txt, e2e.svg, publish.svg, one directory per run)"
exit $FAILED
