#!/bin/sh
# Records one Claude Code hook event for agentops-learn without starting Node: the payload on
# stdin is written to a temporary file in the store's inbox and renamed into place, so a reader
# never sees half an event. The engine folds the inbox into the log later (see session.sh).
# Usage: record.sh <Event>. Never fails the session: every path ends in `exit 0`.
event=${1:-}
case $event in '' | *[!A-Za-z]*) exit 0 ;; esac

. "${0%/*}/store.sh"
inbox=$store/spool/.inbox

if [ ! -d "$inbox" ]; then
  mkdir -p "$inbox" 2>/dev/null || exit 0
  # A new store ignores itself (the engine commits it to its own ref, never to the branch),
  # unless its config chose to commit on the branch.
  if [ ! -e "$store/.gitignore" ] && [ ! -e "$store/config.json" ]; then
    printf '%s\n' \
      '# agentops-learn commits this store to refs/heads/agentops/memory, never to your branch.' \
      '*' >"$store/.gitignore" 2>/dev/null
  fi
fi

# Nanoseconds where `date` has them (GNU); whole seconds elsewhere, ordered by file time.
now=$(date +%s%N 2>/dev/null)
case $now in '' | *[!0-9]*) now=$(date +%s)000000000 ;; esac
tmp=$inbox/.$$.tmp
if cat >"$tmp" 2>/dev/null; then
  mv -f "$tmp" "$inbox/$now-$$-$event.json" 2>/dev/null || rm -f "$tmp" 2>/dev/null
else
  rm -f "$tmp" 2>/dev/null
fi
exit 0
