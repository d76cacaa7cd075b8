#!/usr/bin/env bash
# The original DT Lab's examples/building.rest: a hierarchy of twins. A first telemetry to a room
# lists every level above it as a child, even levels that never got telemetry themselves.
source "$(dirname "$0")/common.sh"

call POST /type/building '{"children":["floor"]}'
call POST /type/floor '{"props":["temp"],"children":["room"]}'
call POST /type/room '{"props":["temp","occupied"]}'

call POST /actor/building/one/floor/f1/room/r1 '{"idx":0,"value":21.5}'
call POST "/actor/building/one/floor/f1/room/r1?format=named" '{"name":"occupied","value":1}'
call POST /actor/building/one/floor/f2 '{"idx":0,"value":19.0}'
call POST /actor/building/one/floor/f1/lift/l1 '{"idx":0,"value":1}' || true   # 400: floor has no lifts

sleep 1
call GET /actor/building
call GET /actor/building/one/floor/
call GET /actor/building/one/floor/f1/room
call GET "/actor/building/one/floor/f1/room/r1?format=object"
call GET /actor/building/one
