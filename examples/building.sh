#!/usr/bin/env bash
# A hierarchy of twins (the original DT Lab's examples/building.rest), grown with roll-ups: each floor
# computes its rooms' average temperature and its number of hot rooms, the building rolls its floors
# up again and raises an alarm on its own average. A first telemetry to a room lists every level
# above it as a child, even levels that never got telemetry themselves.
source "$(dirname "$0")/common.sh"

call POST /type/room '{"props":["temp","occupied"]}'
call POST /type/floor '{"props":["avg_temp","rooms_hot"],"children":["room"],"rollups":[
  {"name":"avg_temp","child":"room","property":"temp","agg":"avg","output":[0]},
  {"name":"rooms_hot","child":"room","property":"temp","agg":"count_where","where":"temp > 26.0 && occupied == 1","output":[1]}]}'
call POST /type/building '{"props":["avg_temp","rooms_hot","too_warm"],"children":["floor"],"rollups":[
  {"name":"avg_temp","child":"floor","property":"avg_temp","agg":"avg","output":[0]},
  {"name":"rooms_hot","child":"floor","property":"rooms_hot","agg":"sum","output":[1]}],"operators":[
  {"name":"too_warm","implementation":"alarm","input":[0],"output":[2],"when":"avg_temp > 25.0","clear":"avg_temp < 24.0","severity":"major"}]}'

call POST /actor/building/one/floor/f1/room/r1 "{\"idx\":0,\"value\":21.5,\"datetime\":\"$(ago '3 min')\"}"
call POST "/actor/building/one/floor/f1/room/r1?format=named" "{\"name\":\"occupied\",\"value\":1,\"datetime\":\"$(ago '3 min')\"}"
call POST /actor/building/one/floor/f1/room/r2 "{\"idx\":0,\"value\":27.5,\"datetime\":\"$(ago '2 min')\"}"
call POST /actor/building/one/floor/f2/room/r3 "{\"idx\":0,\"value\":28.0,\"datetime\":\"$(ago '1 min')\"}"
call POST "/actor/building/one/floor/f2/room/r3?format=named" "{\"name\":\"occupied\",\"value\":1,\"datetime\":\"$(ago '1 min')\"}"
call POST /actor/building/one/floor/f1/lift/l1 '{"idx":0,"value":1}' || true   # 400: floor has no lifts

# A parent applies its children's reports in event-time order, once event time has passed them
# (docs/operators.md, Roll-ups): `dtlab local` moves event time on after 10 s without input.
sleep 20
call GET /actor/building
call GET /actor/building/one/floor/
call GET "/actor/building/one/floor/f1?format=object"   # avg_temp 24.5, rooms_hot 0 (r2 is not occupied)
call GET "/actor/building/one?format=object"            # avg_temp 26.25 (the floors' averages), rooms_hot 1, too_warm 1
call GET /alarm/building
