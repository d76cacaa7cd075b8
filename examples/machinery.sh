#!/usr/bin/env bash
# The original DT Lab's examples/machinery.rest: a machine type, six operators on one twin, three
# height readings. Expected state: count 3, max 9, min 3, durations 0, first-seen marker 1.
# Run against `bin/dtlab local` (or set DTLAB_API).
source "$(dirname "$0")/common.sh"

call POST /type/machinery '{"props":["height","height_readings_count","height_readings_max","height_readings_min","days_online","hours_online","minutes_online","height_first_seen"]}'
call GET /type/machinery

call POST /actor/machinery/three/operator '{"name":"count_height_readings","implementation":"count","params":[10.1,20.2],"input":[0],"output":[1]}'
call POST /actor/machinery/three/operator '{"name":"max_height","implementation":"max","input":[0],"output":[2]}'
call POST /actor/machinery/three/operator '{"name":"min_height","implementation":"Min","input":[0],"output":[3]}'
call POST /actor/machinery/three/operator '{"name":"days_online","implementation":"days_active","input":[0],"output":[4,7]}'
call POST /actor/machinery/three/operator '{"name":"hours_online","implementation":"hours_active","input":[0],"output":[5,7]}'
call POST /actor/machinery/three/operator '{"name":"minutes_online","implementation":"minutes_active","input":[0],"output":[6,7]}'

for height in 5 9 3; do
  call POST /actor/machinery/three "{\"idx\":0,\"value\":$height}"
done

sleep 1   # state is visible once the twin job has processed the telemetry
call GET "/actor/machinery/three?format=named"
call GET "/actor/machinery/three?limit=2"
call GET /actor/machinery/three/operator
call GET /actor/machinery
