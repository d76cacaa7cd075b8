#!/usr/bin/env bash
# Shared by the example scripts: where the API is, and a curl wrapper that prints what happens.
set -euo pipefail
BASE="${DTLAB_API:-http://127.0.0.1:8081/dtlab-alligator}"

# call METHOD PATH [JSON]: prints the request, the status and the body; fails on a 5xx.
call() {
  local method="$1" path="$2" body="${3:-}" out status
  if [ -n "$body" ]; then
    out=$(curl -sS -w '\n%{http_code}' -X "$method" "$BASE$path" -H 'Content-Type: application/json' --data-binary "$body")
  else
    out=$(curl -sS -w '\n%{http_code}' -X "$method" "$BASE$path")
  fi
  status="${out##*$'\n'}"
  echo "$method $path -> $status"
  [ -n "${out%$'\n'*}" ] && echo "  ${out%$'\n'*}" | cut -c1-400
  [ "$status" -lt 500 ]
}

# ago DURATION: an ISO-8601 instant that long before now (GNU date syntax: '15 min', '2 hours').
ago() {
  date -u -d "-$1" +%Y-%m-%dT%H:%M:%S.000Z
}
