#!/usr/bin/env bash
# Validates docker-compose.yml and k8s/ offline against their schemas, so a typo fails CI:
#   * docker-compose.yml: dclint (the compose-spec JSON schema; unknown keys, wrong types, image tags);
#   * k8s/: core kinds with kubernetes-models, the FlinkDeployment with the Flink Kubernetes Operator's
#     CRD schema made strict (unknown fields are errors). The CRD comes from Maven
#     (org.apache.flink:flink-kubernetes-operator-api), the Node tools from npm (pinned, package-lock.json).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/scripts/deploy-check"
WORK="$ROOT/target/deploy-check"
OPERATOR_API="org.apache.flink:flink-kubernetes-operator-api:1.10.0"
mkdir -p "$WORK"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get -qq update && DEBIAN_FRONTEND=noninteractive apt-get -qq install -y nodejs npm >/dev/null
  else
    echo "validate-deploy: Node.js and npm are needed (apt-get install nodejs npm)" >&2; exit 1
  fi
fi
if [ ! -d "$TOOLS/node_modules" ] || [ "$TOOLS/package-lock.json" -nt "$TOOLS/node_modules" ]; then
  (cd "$TOOLS" && npm ci --silent --no-audit --no-fund)
  touch "$TOOLS/node_modules"
fi

CRD="$WORK/flinkdeployments.flink.apache.org-v1.yml"
if [ ! -s "$CRD" ]; then
  mvn -B -q dependency:copy -Dartifact="$OPERATOR_API" -DoutputDirectory="$WORK" >/dev/null
  unzip -p "$WORK"/flink-kubernetes-operator-api-*.jar META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml > "$CRD"
fi

"$TOOLS/node_modules/.bin/dclint" -q "$ROOT/docker-compose.yml"
echo "docker-compose.yml: valid"
node "$TOOLS/validate.mjs" "$CRD" "$ROOT/k8s"
