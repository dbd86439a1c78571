#!/usr/bin/env bash
# Client compatibility checks with non-Java clients against a running broker:
#   librdkafka (kcat): metadata, produce with every codec (auto-created topics), consume, a balanced group;
#   kafkajs: admin create/metadata/offsets/delete, idempotent gzip producer with headers, group consumer, commits.
# Usage: tools/compat/run.sh [BOOTSTRAP]   (default 127.0.0.1:9092; start one with ./loggia broker)
# Needs: kcat (Debian: apt-get install kcat) and Node.js with npm (kafkajs is installed here on first use).
set -euo pipefail
B=${1:-127.0.0.1:9092}
DIR=$(cd "$(dirname "$0")" && pwd)
RUN=compat-$(date +%s)
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v kcat >/dev/null || fail "kcat not found (apt-get install kcat)"
command -v node >/dev/null || fail "node not found"

kcat -b "$B" -L >/dev/null || fail "kcat cannot read metadata from $B"
for c in none gzip snappy lz4 zstd; do
  seq 1 1000 | sed "s/^/$c-key:/" | kcat -b "$B" -t "$RUN-$c" -P -K: -z "$c" || fail "kcat produce $c"
  n=$(kcat -b "$B" -t "$RUN-$c" -C -e -q -f '%k=%s\n' | grep -c "^$c-key=") || true
  [ "$n" = 1000 ] || fail "kcat consumed $n of 1000 records ($c)"
  echo "kcat $c: 1000 produced, 1000 consumed"
done
n=$(timeout 60 kcat -b "$B" -G "$RUN-group" "$RUN-none" "$RUN-gzip" -e -q -f '%t\n' -X auto.offset.reset=earliest | wc -l)
[ "$n" = 2000 ] || fail "kcat group consumed $n of 2000 records"
echo "kcat balanced group: 2000 consumed"

cd "$DIR"
[ -d node_modules/kafkajs ] || npm install --no-audit --no-fund --silent
KAFKAJS_NO_PARTITIONER_WARNING=1 timeout 120 node kafkajs-smoke.js "$B"
echo "compat: all checks passed against $B"
