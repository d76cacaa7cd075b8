#!/usr/bin/env bash
# Benchmarks: bench/run.sh [query] [--smoke]
#   query   GET /actor/{path} latency with ingest idle and flat out, and the staleness, against a
#           fresh `bin/dtlab local` on this machine. Prints the results and writes
#           bench/results/<date>-<scenario>.json.
#   --smoke a 2-second run that only checks the benchmark still works (CI).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCENARIO="${1:-query}"
SMOKE=0; [ "${2:-}" = "--smoke" ] || [ "${1:-}" = "--smoke" ] && SMOKE=1
[ "$SCENARIO" = "--smoke" ] && SCENARIO=query

SECONDS_PER_PHASE=30; TWINS=10000; READERS=4; WRITERS=4
if [ "$SMOKE" = 1 ]; then SECONDS_PER_PHASE=2; TWINS=50; READERS=1; WRITERS=1; fi

case "$SCENARIO" in
  query) ;;
  *) echo "bench/run.sh: unknown scenario '$SCENARIO' (known: query)" >&2; exit 2 ;;
esac

(cd "$ROOT" && mvn -B -q -DskipTests package -pl bench -am) >&2
DATA="$(mktemp -d)"
OUT="$DATA/dtlab.out"
"$ROOT/bin/dtlab" local --port 0 --flink-ui-port 0 --data-dir "$DATA" > "$OUT" 2>&1 &
PID=$!
cleanup() { local rc=$?; kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$DATA"; exit "$rc"; }
trap cleanup EXIT
for _ in $(seq 1 180); do
  grep -q "DT Lab ready" "$OUT" && break
  kill -0 $PID 2>/dev/null || { cat "$OUT" >&2; exit 1; }
  sleep 1
done
API=$(grep -o 'API http://[^ ]*' "$OUT" | head -1 | cut -d' ' -f2)
[ -n "$API" ] || { echo "bench/run.sh: dtlab local did not become ready" >&2; cat "$OUT" >&2; exit 1; }

CP="$ROOT/bench/target/classes:$(ls "$ROOT"/launcher/target/lib/jackson-*.jar | tr '\n' ':')"
RESULT=$(java -cp "$CP" org.dtlab.bench.QueryUnderLoad "$API" "$SECONDS_PER_PHASE" "$TWINS" "$READERS" "$WRITERS")
echo "$RESULT"
if [ "$SMOKE" = 0 ]; then
  mkdir -p "$ROOT/bench/results"
  echo "$RESULT" > "$ROOT/bench/results/$(date -u +%Y-%m-%d)-$SCENARIO.json"
fi
echo "$RESULT" | grep -q '"queriesPerSecond"' || { echo "bench/run.sh: no result" >&2; exit 1; }
