#!/usr/bin/env bash
# Benchmarks: bench/run.sh [query|ingest|backtest|memory|rollups|stream|all] [--smoke]
#   query   GET /actor/{path} latency with ingest idle and flat out, and the staleness, against a
#           fresh `bin/dtlab local` on this machine.
#   ingest  Kafka -> twin job -> PostgreSQL throughput for 100,000 twins (RocksDB, checkpoints), side
#           by side in one invocation with the read-and-parse ceiling, a Flink SQL job computing
#           the same aggregates, the twin job with a programmable type (5 expressions, 2 alarms)
#           with and without the database, and the twin job into an embedded H2 (dtlab local's
#           database, 300,000 observations); 3 runs each (medians and spread; about 30 minutes on 2
#           cores); then staleness under a steady load and the state size per twin. Needs
#           PostgreSQL (scripts/postgres-for-tests.sh).
#   backtest  back-test records/s on a generated archive (20,000 devices x 60), side by side with the
#           read-and-parse ceiling, a Flink SQL job computing the same aggregates and the back-test
#           with a programmable type, and the back-test writing final states only (--events none);
#           3 runs each.
#   memory  resident memory and checkpoint size of a fresh `bin/dtlab local` holding 1,000,000 twins
#           (one observation each, straight to Kafka).
#   rollups roll-ups (issue 13): 100,000 leaf twins under 1,000 parents, Kafka -> twin job, outputs
#           discarded, with the parents' type rolling its children up (avg, max, count_where) and
#           without, side by side in one invocation, 3 runs each; then the staleness from a child's
#           telemetry to its parent's updated roll-up at half the roll-up rate, with the event-time
#           out-of-orderness at 5,000 ms (default) and 200 ms; the plain ingest workload (100,000 flat
#           twins, 1,000,000 observations) with 10 twin operators (levels, the default) against 1;
#           and the roll-up pair into PostgreSQL (200,000 observations). 500,000 observations (5 per
#           leaf) per throughput job: about 20 minutes on 2 cores. Needs PostgreSQL.
#   stream  event streams (SSE) of a fresh `bin/dtlab local`: 9,900 idle streams held (just under the
#           default --stream.max-streams of 10,000), the threads and memory they cost, and the latency
#           from a telemetry's 202 to its event on a stream.
#   all     all of them.
# Prints the results and merges them into bench/results/<date>.json (one key per scenario).
#   --smoke a few-second run that only checks the benchmark still works (CI); writes nothing.
# DTLAB_BENCH_MVN_FLAGS: further flags for the build, e.g. "-o" (offline).
# Each result is printed as JSON and as a table.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCENARIO="${1:-all}"
SMOKE=0
for arg in "$@"; do [ "$arg" = "--smoke" ] && SMOKE=1; done
[ "$SCENARIO" = "--smoke" ] && SCENARIO=all
case "$SCENARIO" in
  query|ingest|backtest|memory|rollups|stream|all) ;;
  *) echo "bench/run.sh: unknown scenario '$SCENARIO' (known: query, ingest, backtest, memory, rollups, stream, all)" >&2; exit 2 ;;
esac

# The same JVM flags bin/dtlab gives Flink (Java 17 module access).
OPENS="$(sed -n '/^OPENS="/,/"$/p' "$ROOT/bin/dtlab" | tr -d '\\\n' | sed 's/^OPENS="//; s/"$//')"
(cd "$ROOT" && mvn -B -q -DskipTests ${DTLAB_BENCH_MVN_FLAGS:-} package -pl bench -am) >&2
CP="$ROOT/bench/target/classes:$ROOT/launcher/target/lib/*:$ROOT/bench/target/lib/*"
LOGGING="-Dlog4j2.configurationFile=$ROOT/bench/src/main/resources/log4j2-bench.properties"

record() { # record <scenario> <json>: print it as a table (and the JSON), merge it into the day's file
  echo "$2" | grep -q '"scenario"' || { echo "bench/run.sh: $1 gave no result" >&2; echo "$2" >&2; exit 1; }
  echo "$2"
  RESULT_JSON="$2" python3 - <<'PY'
import json, os
def rows(node, prefix=""):
    for key, value in node.items():
        name = prefix + key
        if isinstance(value, dict) and "median" in value:
            yield name, f"{value['median']:,} (min {value['min']:,}, max {value['max']:,})"
        elif isinstance(value, dict):
            yield from rows(value, name + ".")
        elif not isinstance(value, list):
            yield name, f"{value:,}" if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)
table = list(rows(json.loads(os.environ["RESULT_JSON"])))
width = max(len(name) for name, _ in table)
for name, value in table:
    print(f"  {name:<{width}}  {value}")
PY
  [ "$SMOKE" = 1 ] && return 0
  mkdir -p "$ROOT/bench/results"
  RESULT_JSON="$2" python3 - "$ROOT/bench/results/$(date -u +%Y-%m-%d).json" "$1" <<'PY'
import json, os, sys
path, scenario = sys.argv[1], sys.argv[2]
merged = json.load(open(path)) if os.path.exists(path) else {}
merged[scenario] = json.loads(os.environ["RESULT_JSON"])
with open(path, "w") as f:
    json.dump(merged, f, indent=2)
PY
}

# Starts a fresh `bin/dtlab local` in a temporary directory; sets LOCAL_PID, LOCAL_DATA, LOCAL_API, LOCAL_KAFKA.
start_local() {
  LOCAL_DATA="$(mktemp -d)"
  local out="$LOCAL_DATA/dtlab.out"
  "$ROOT/bin/dtlab" local --port 0 --flink-ui-port 0 --data-dir "$LOCAL_DATA" > "$out" 2>&1 &
  LOCAL_PID=$!
  for _ in $(seq 1 180); do
    grep -q "DT Lab ready" "$out" && break
    kill -0 $LOCAL_PID 2>/dev/null || { cat "$out" >&2; exit 1; }
    sleep 1
  done
  LOCAL_API=$(grep -o 'API http://[^ ]*' "$out" | head -1 | cut -d' ' -f2)
  LOCAL_KAFKA=$(grep 'DT Lab ready' "$out" | grep -o 'Kafka [^ ]*' | head -1 | cut -d' ' -f2)
  if [ -z "$LOCAL_API" ]; then echo "bench/run.sh: dtlab local did not become ready" >&2; cat "$out" >&2; kill $LOCAL_PID; exit 1; fi
}

stop_local() {
  kill $LOCAL_PID 2>/dev/null || true; wait $LOCAL_PID 2>/dev/null || true; rm -rf "$LOCAL_DATA"
}

run_query() {
  local seconds=30 twins=10000 readers=4 writers=4 result
  if [ "$SMOKE" = 1 ]; then seconds=2; twins=50; readers=1; writers=1; fi
  start_local
  result=$(java -cp "$CP" $LOGGING org.dtlab.bench.QueryUnderLoad "$LOCAL_API" "$seconds" "$twins" "$readers" "$writers" "$LOCAL_KAFKA")
  stop_local
  record query "$result"
}

run_backtest() {
  local devices=20000 per_device=60 runs=3 work result
  if [ "$SMOKE" = 1 ]; then devices=200; per_device=10; runs=1; fi
  work="$(mktemp -d)"
  result=$(java $OPENS -Xmx3g $LOGGING -cp "$CP" org.dtlab.bench.BacktestBenchmark "$devices" "$per_device" "$runs" "$work")
  rm -rf "$work"
  record backtest "$result"
}

run_memory() {
  local twins=1000000 result
  if [ "$SMOKE" = 1 ]; then twins=500; fi
  start_local
  result=$(java -cp "$CP" $LOGGING org.dtlab.bench.MemoryPerTwin "$LOCAL_API" "$LOCAL_KAFKA" "$twins" "$LOCAL_PID" "$LOCAL_DATA")
  stop_local
  record memory "$result"
}

run_stream() {
  local idle=9900 samples=200 result
  if [ "$SMOKE" = 1 ]; then idle=20; samples=5; fi
  start_local
  result=$(java -cp "$CP" $LOGGING org.dtlab.bench.StreamBenchmark "$LOCAL_API" "$idle" "$samples" "$LOCAL_PID")
  stop_local
  record stream "$result"
}

run_ingest() {
  local twins=100000 observations=2000000 runs=3
  if [ "$SMOKE" = 1 ]; then twins=200; observations=4000; runs=1; fi
  pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || "$ROOT/scripts/postgres-for-tests.sh" >&2
  local work result
  work="$(mktemp -d)"
  result=$(java $OPENS -Xmx3g $LOGGING -cp "$CP" org.dtlab.bench.IngestBenchmark \
      "${DTLAB_BENCH_JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/twin}" "${DTLAB_BENCH_JDBC_USER:-twin}" \
      "${DTLAB_BENCH_JDBC_PASSWORD:-twin}" "$twins" "$observations" "$runs" "$work")
  rm -rf "$work"
  record ingest "$result"
}

run_rollups() {
  local parents=1000 children=100 observations=500000 flat_observations=1000000 db_observations=200000
  local runs=3 seconds=30 warm_up=10
  local out_of_orderness=5000,200
  if [ "$SMOKE" = 1 ]; then
    parents=10; children=20; observations=4000; flat_observations=4000; db_observations=2000; runs=1; seconds=2; warm_up=2
    out_of_orderness=1000,200
  fi
  pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || "$ROOT/scripts/postgres-for-tests.sh" >&2
  local work result
  work="$(mktemp -d)"
  result=$(java $OPENS -Xmx3g $LOGGING -cp "$CP" org.dtlab.bench.RollupBenchmark \
      "${DTLAB_BENCH_JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/twin}" "${DTLAB_BENCH_JDBC_USER:-twin}" \
      "${DTLAB_BENCH_JDBC_PASSWORD:-twin}" "$parents" "$children" "$observations" "$flat_observations" "$db_observations" "$runs" \
      "$seconds" "$warm_up" "$out_of_orderness" "$work" ${DTLAB_BENCH_ROLLUP_PHASES:-})
  rm -rf "$work"
  record rollups "$result"
}

case "$SCENARIO" in
  query) run_query ;;
  ingest) run_ingest ;;
  backtest) run_backtest ;;
  memory) run_memory ;;
  rollups) run_rollups ;;
  stream) run_stream ;;
  all) run_query; run_ingest; run_backtest; run_memory; run_rollups; run_stream ;;
esac
