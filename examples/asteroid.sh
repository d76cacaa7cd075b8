#!/usr/bin/env bash
# An approaching asteroid: the NEO feed (neo-ingest.sh) with an expression — the miss distance in
# lunar distances — and a critical alarm for objects that pass closer than 20 million miles faster
# than 30,000 mph. Four of the feed's 24 asteroids qualify.
source "$(dirname "$0")/common.sh"
DATA="${NEO_FILE:-$(dirname "$0")/near_earth_objects.json}"

call POST /type/object '{"props":["absolute_magnitude","diameter_min","diameter_max","miles_per_hour","distance_in_miles","lunar_distances","dangerous"],
  "operators":[
    {"name":"lunar_distances","implementation":"expr","input":[4],"output":[5],"expr":"distance_in_miles / 238900"},
    {"name":"dangerous","implementation":"alarm","input":[3,4],"output":[6],
     "when":"distance_in_miles < 20000000 && miles_per_hour > 30000","severity":"critical"}]}'
call POST /type/orbiting_body '{"children":["object"]}'
call POST /extractor/object/neo1 '{"path":"$.near_earth_objects.*[*]","telSpecId":"neo1"}'
call POST /extractor/telemetry/neo1 "$(cat "$(dirname "$0")/neo1-telemetry-spec.json")"

call POST /ingest/array/neo1 "$(cat "$DATA")"

sleep 3
call GET "/actor/orbiting_body/earth/object/3726710?format=named"
call GET /alarm/object
