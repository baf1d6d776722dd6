#!/bin/sh
# Records one Claude Code hook event for agentops-learn without starting Node: the payload on
# stdin is copied by one `cat` into a new file of the store's inbox, which the engine folds into
# the log later (see session.sh). Usage: record.sh <Event>. Never fails the session: every path
# ends in `exit 0`.
#
# The inbox protocol, which src/inbox.ts reads. Each payload goes straight to its final name,
# <pid>-<n>-<Event>.json, opened with noclobber (`set -C`, O_EXCL): a name already taken (a
# recycled process id whose earlier file is still there) is never overwritten, and <n> counts up
# to the next free name. There is no temporary file and no rename, so no `mv` and no `date`: the
# engine orders events by the file's modification time in nanoseconds, then process id, then <n>,
# and files an event whose payload names a prompt (prompt_id) under that prompt's task.
# A reader may therefore see a file being written. It takes a file only once it parses as JSON
# (a payload is one JSON object, and a truncated object never parses) and leaves a younger one
# that does not for the next drain; one that still does not parse a minute after it was last
# written belongs to a writer that was stopped, and is recorded as an unreadable payload.
# Everything but the one `cat` that copies the payload (prompt.sh: one `awk`) is a shell builtin,
# and `mkdir` once, for a new inbox. The code is in store.sh, which every hook sources.
#
# hooks.json runs this script in the background ("async"): Claude Code does not wait for it. When
# `claude -p` ends while such a hook still runs (the last tool call's, a few milliseconds before),
# Claude Code sends its process group SIGTERM, waits for it to exit (at most 1.5 s) and only then
# sends SIGKILL and runs SessionEnd. Ignoring SIGTERM here (and so in `cat`, which inherits it)
# lets the copy finish within that wait instead of leaving a truncated file. A hook stopped before
# this line runs writes nothing; the engine reads that call from the transcript (src/finalize.ts).
trap '' TERM
. "${0%/*}/store.sh"
agentops_record "${1:-}"
exit 0
