#!/usr/bin/env bash
# The original ingest service's NEO example: NASA's near-earth-object feed (24 asteroids) through
# an object extractor and a telemetry extractor: 120 telemetry to 24 twins under orbiting_body/earth.
source "$(dirname "$0")/common.sh"
DATA="${NEO_FILE:-$(dirname "$0")/near_earth_objects.json}"

call POST /type/object '{"props":["absolute_magnitude","diameter_min","diameter_max","miles_per_hour","distance_in_miles"]}'
call POST /type/orbiting_body '{"children":["object"]}'

call POST /extractor/object/neo1 '{"path":"$.near_earth_objects.*[*]","telSpecId":"neo1"}'
call POST /extractor/telemetry/neo1 '[{
  "paths":[[{"name":"orbiting_body","path":"$.close_approach_data[0].orbiting_body","valueType":"String"},
            {"name":"object","path":"$.neo_reference_id","valueType":"String"}]],
  "values":[{"name":"absolute_magnitude","typeId":"object","path":"$.absolute_magnitude_h","valueType":"Double"},
            {"name":"diameter_min","typeId":"object","path":"$.estimated_diameter.meters.estimated_diameter_min","valueType":"Double"},
            {"name":"diameter_max","typeId":"object","path":"$.estimated_diameter.meters.estimated_diameter_max","valueType":"Double"},
            {"name":"miles_per_hour","typeId":"object","path":"$.close_approach_data[0].relative_velocity.miles_per_hour","valueType":"String"},
            {"name":"distance_in_miles","typeId":"object","path":"$.close_approach_data[0].miss_distance.miles","valueType":"String"}],
  "datetimePath":"$.close_approach_data[0].close_approach_date_full","datetimeFmt":"yyyy-MMM-dd hh:mm"}]'

call POST /ingest/array/neo1 "$(cat "$DATA")"

sleep 2
call GET /actor/orbiting_body/earth/object
call GET "/actor/orbiting_body/earth/object/3726710?format=named"
