#!/usr/bin/env bash
# A door that stays open too long: an alarm that holds for 10 minutes of event time before it is
# raised, fires even though the door sends nothing more, and clears when the door closes.
# dtlab local lets event time follow the clock after 10 s without telemetry, so the alarm of a door
# opened 15 minutes ago is raised about 10 s after this script sends it.
source "$(dirname "$0")/common.sh"

call POST /type/door '{"props":["open","open_too_long"],
  "operators":[{"name":"door_open_too_long","implementation":"alarm","input":[0],"output":[1],
                "when":"open == 1","for":"PT10M","severity":"major"}]}'
call POST /webhook/door-alarms '{"target":{"host":"127.0.0.1","port":9999,"path":"/alarms"},"eventType":"AlarmRaised","dtType":"door"}'

call POST /actor/door/front "{\"idx\":0,\"value\":1,\"datetime\":\"$(ago '15 min')\"}"
echo "waiting for event time to pass the deadline (about 15 s)…"
sleep 15
call GET "/actor/door/front?format=named"
call GET /alarm/door/front
call GET /alarm/door

call POST "/actor/door/front?format=named" '{"name":"open","value":0}'
sleep 2
call GET /alarm/door/front
