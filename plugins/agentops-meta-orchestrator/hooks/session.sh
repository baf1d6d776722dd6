#!/bin/sh
# A session boundary (SessionStart, SessionEnd): records the event as record.sh does (in this
# shell: no second one), then starts the engine in the background to fold finished sessions into
# the log and learn, and returns at once. Without `node` on PATH the events stay in the inbox
# until a session where Node exists; the first session without it says so, once.
# Usage: session.sh <Event>. Never fails the session.
here=${0%/*}
event=${1:-}
. "$here/store.sh"
agentops_record "$event"

if command -v node >/dev/null 2>&1; then
  node "$here/../dist/agentops-learn.mjs" session-worker "$event" --store "$store" --background \
    </dev/null >/dev/null 2>&1 &
  exit 0
fi

noted=$store_data/spool/.no-node-noted
if [ "$event" = SessionStart ] && [ ! -e "$noted" ]; then
  : >"$noted" 2>/dev/null
  printf '%s\n' '{"systemMessage":"agentops-learn: node is not on PATH, so this session is recorded but not learned from yet; learning resumes in the first session where Node.js 20 or later is available."}'
fi
exit 0
