#!/usr/bin/env bash
# Executes the notebooks headless (jupyter nbconvert --execute) against data this script creates:
# live twins from `bin/dtlab local` on PostgreSQL, and a back-test of the same observations with
# changed specs. A failing cell fails the script. Installs Debian's Jupyter packages when missing
# (as root); PostgreSQL must be running (scripts/postgres-for-tests.sh). DTLAB_NOTEBOOKS_OUT=DIR keeps
# the executed notebooks, with their plots.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY=/usr/bin/python3

if ! command -v jupyter >/dev/null 2>&1 || ! $PY -c 'import pandas, matplotlib, psycopg2, sqlalchemy, nbclient, ipykernel' 2>/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "notebooks: install Debian's jupyter-nbconvert python3-pandas python3-matplotlib python3-psycopg2 python3-sqlalchemy python3-ipykernel" >&2
    exit 1
  fi
  echo "notebooks: installing Debian's Jupyter packages ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends jupyter-nbconvert python3-nbconvert \
    python3-nbformat python3-nbclient python3-ipykernel python3-pandas python3-matplotlib python3-psycopg2 python3-sqlalchemy >/dev/null
fi

WORK="$(mktemp -d)"
SCHEMA="notebooks_$(date +%s)"
export PGPASSWORD=twin
psql -q -h 127.0.0.1 -U twin twin -c "CREATE SCHEMA $SCHEMA"
cleanup() {
  local rc=$?
  [ -n "${PID:-}" ] && { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
  psql -q -h 127.0.0.1 -U twin twin -c "DROP SCHEMA $SCHEMA CASCADE" >/dev/null 2>&1 || true
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

# 1. The live system: a machine type, five machines, twenty readings each over twenty minutes.
"$ROOT/bin/dtlab" local --port 0 --flink-ui-port 0 --data-dir "$WORK/data" \
  --jdbc.url "jdbc:postgresql://127.0.0.1:5432/twin?currentSchema=$SCHEMA" --jdbc.user twin --jdbc.password twin \
  > "$WORK/local.out" 2>&1 &
PID=$!
for _ in $(seq 1 180); do grep -q "DT Lab ready" "$WORK/local.out" && break; kill -0 $PID || { cat "$WORK/local.out"; exit 1; }; sleep 1; done
API=$(grep -o 'API http://[^ ]*' "$WORK/local.out" | cut -d' ' -f2)
J='Content-Type: application/json'
curl -sf -X POST "$API/type/machine" -H "$J" \
  -d '{"props":["temperature","readings","max_temperature","min_temperature"],"operators":[{"name":"readings","implementation":"count","input":[0],"output":[1]},{"name":"max","implementation":"max","input":[0],"output":[2]}]}' >/dev/null
for i in $(seq 0 19); do
  for m in 1 2 3 4 5; do
    value=$(( 20 + (i * 7 + m * 13) % 25 ))
    curl -sf -X POST "$API/actor/machine/m$m" -H "$J" \
      -d "{\"idx\":0,\"value\":$value,\"datetime\":\"2026-01-01T10:$(printf %02d "$i"):0$m.000Z\"}" >/dev/null
  done
done
for _ in $(seq 1 60); do
  [ "$(curl -s "$API/actor/machine/m5?limit=100" | grep -o '"idx"' | wc -l)" -ge 20 ] && break; sleep 1
done
kill "$PID"; wait "$PID" || true; PID=""

# 2. The back-test: the same observations (from the journal) with changed specs (a min operator too).
psql -q -h 127.0.0.1 -U twin twin -At -c "SET search_path TO $SCHEMA" -c "COPY (
  SELECT json_build_object('path', path, 'idx', idx, 'value', val,
         'datetime', to_char(datetime AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'))
  FROM dtlab_journal ORDER BY datetime) TO STDOUT" > "$WORK/archive.ndjson"
cat > "$WORK/specs.json" <<'SPECS'
[{"v":1,"id":"candidate","action":"create","kind":"type","name":"machine","issued":"2026-01-01T00:00:00Z",
  "type":{"name":"machine","props":["temperature","readings","max_temperature","min_temperature"],
          "operators":[{"name":"readings","implementation":"count","input":[0],"output":[1]},
                       {"name":"max","implementation":"max","input":[0],"output":[2]},
                       {"name":"min","implementation":"min","input":[0],"output":[3]}]}}]
SPECS
"$ROOT/bin/dtlab" backtest --specs "$WORK/specs.json" --input "$WORK/archive.ndjson" --out "$WORK/backtest" --run-id notebooks \
  > "$WORK/backtest.out" 2>&1 || { cat "$WORK/backtest.out"; exit 1; }

# 3. The notebooks, headless. (Debian's jupyter: the pyenv python first on PATH lacks these packages.)
export DTLAB_DB_URL="postgresql+psycopg2://twin:twin@127.0.0.1:5432/twin" DTLAB_DB_SCHEMA="$SCHEMA" \
       DTLAB_BACKTEST="$WORK/backtest" PYDEVD_DISABLE_FILE_VALIDATION=1
$PY -m nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=python3 \
  --ExecutePreprocessor.timeout=180 --output-dir "${DTLAB_NOTEBOOKS_OUT:-$WORK/executed}" "$ROOT"/notebooks/*.ipynb
echo "notebooks: all executed without errors"
