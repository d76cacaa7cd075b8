#!/usr/bin/env bash
# The original ingest service's NEO example: NASA's near-earth-object feed (24 asteroids) through
# an object extractor and a telemetry extractor: 120 telemetry to 24 twins under orbiting_body/earth.
source "$(dirname "$0")/common.sh"
DATA="${NEO_FILE:-$(dirname "$0")/near_earth_objects.json}"

call POST /type/object '{"props":["absolute_magnitude","diameter_min","diameter_max","miles_per_hour","distance_in_miles"]}'
call POST /type/orbiting_body '{"children":["object"]}'

call POST /extractor/object/neo1 '{"path":"$.near_earth_objects.*[*]","telSpecId":"neo1"}'
call POST /extractor/telemetry/neo1 "$(cat "$(dirname "$0")/neo1-telemetry-spec.json")"

call POST /ingest/array/neo1 "$(cat "$DATA")"

sleep 2
call GET /actor/orbiting_body/earth/object
call GET "/actor/orbiting_body/earth/object/3726710?format=named"
