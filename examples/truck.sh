#!/usr/bin/env bash
# A truck's next service: every 15,000 km. An expression computes the distance left, a counter
# the kilometres driven (a drop of the odometer reading is a reset, not negative distance), and an
# alarm says maintenance is due within 500 km — it clears after the service, with hysteresis.
source "$(dirname "$0")/common.sh"

call POST /type/truck '{"props":["odometer","km_to_service","km_driven","maintenance_due"],
  "operators":[
    {"name":"km_to_service","implementation":"expr","input":[0],"output":[1],"expr":"15000 - (odometer - 15000 * floor(odometer / 15000))"},
    {"name":"km_driven","implementation":"counter","input":[0],"output":[2]},
    {"name":"maintenance_due","implementation":"alarm","input":[0],"output":[3],
     "when":"km_to_service < 500","clear":"km_to_service > 14000","severity":"major"}]}'

for km in 14000 14300 14650 14990 15200; do
  call POST "/actor/truck/t1?format=named" "{\"name\":\"odometer\",\"value\":$km}"
done
sleep 2
call GET "/actor/truck/t1?format=named"
call GET /alarm/truck
