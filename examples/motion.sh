#!/usr/bin/env bash
# A motion detector: an alert on every detection (an alarm without `for`, cleared when motion
# stops), the detections per minute (a window), and a `stale` alarm when the sensor has sent
# nothing for 5 minutes — a dead battery is worth knowing about.
source "$(dirname "$0")/common.sh"

call POST /type/motion '{"props":["motion","motion_alert","detections_per_minute","sensor_silent"],
  "operators":[
    {"name":"motion_alert","implementation":"alarm","input":[0],"output":[1],"when":"motion == 1","severity":"warning"},
    {"name":"detections_per_minute","implementation":"window","input":[0],"output":[2],"agg":"sum","size":"PT1M","when":"motion == 1"},
    {"name":"sensor_silent","implementation":"stale","input":[0],"output":[3],"for":"PT5M","severity":"minor"}]}'

# Three detections within one minute, nine minutes ago; then no motion, then silence.
MINUTE="$(date -u -d '-9 min' +%Y-%m-%dT%H:%M)"
for s in 05 20 40; do
  call POST /actor/motion/hall "{\"idx\":0,\"value\":1,\"datetime\":\"$MINUTE:$s.000Z\"}"
done
call POST /actor/motion/hall "{\"idx\":0,\"value\":0,\"datetime\":\"$MINUTE:50.000Z\"}"
echo "waiting for event time to pass the sensor's 5 minutes of silence (about 15 s)…"
sleep 15
call GET "/actor/motion/hall?format=named"
call GET /alarm/motion/hall
