#!/bin/sh
# Records one Claude Code hook event for agentops-learn without starting Node: the payload on
# stdin is copied by one `cat` into a new file of the store's inbox (the protocol, and how a
# reader tells a complete file, is in store.sh). The engine folds the inbox into the log later
# (see session.sh). Usage: record.sh <Event>. Never fails the session: every path ends in
# `exit 0`.
. "${0%/*}/store.sh"
agentops_record "${1:-}"
exit 0
