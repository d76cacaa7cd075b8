#!/usr/bin/env bash
# One-shot job submission for docker-compose: submits the twin job unless it is already running,
# resuming from the newest retained checkpoint when there is one (so `docker compose down && up`
# keeps every twin's state). The job reads its settings from the DTLAB_* environment variables.
set -euo pipefail
FLINK="/opt/flink/bin/flink"
JM="${JOBMANAGER_REST:-jobmanager:8081}"

for attempt in $(seq 1 60); do
  if "$FLINK" list -r -m "$JM" >/tmp/jobs 2>&1; then break; fi
  echo "waiting for the JobManager at $JM ($attempt)"; sleep 2
done
if grep -q "DT Lab twins" /tmp/jobs; then
  echo "the twin job is already running"; exit 0
fi

latest=""
for metadata in $(ls -1t /var/lib/dtlab/checkpoints/*/chk-*/_metadata 2>/dev/null); do
  latest="$(dirname "$metadata")"; break
done
if [ -n "$latest" ]; then
  echo "resuming from $latest"
  exec "$FLINK" run -d -m "$JM" -s "$latest" /opt/flink/usrlib/dtlab-job.jar
fi
exec "$FLINK" run -d -m "$JM" /opt/flink/usrlib/dtlab-job.jar
