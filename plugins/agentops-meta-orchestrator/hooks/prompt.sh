#!/bin/sh
# UserPromptSubmit: records the prompt as record.sh does. When the store holds learned patterns,
# the engine is asked for a recommendation, which it prints as context for the model only when it
# is confident. Node is started only when the prompt could get one: the engine keeps a small index
# of its log (spool/.prompt-index), from which prompt-gate.awk tells the prompts no past execution
# is similar enough to; an index not newer than the log is not trusted. With a trusted index one
# `awk` both copies the payload into the inbox and judges it, so a prompt that needs no engine
# costs this shell and that one process. The engine it asks is dist/prompt-context.mjs: the
# `prompt-context` command bundled alone. Usage: prompt.sh UserPromptSubmit. Never fails.
here=${0%/*}
. "$here/store.sh"
set -- "$store_patterns"/*/pat_*.md
if [ ! -e "$1" ] || ! command -v node >/dev/null 2>&1; then
  agentops_record UserPromptSubmit
  exit 0
fi
agentops_inbox || exit 0
# The event files that could show this session touched a path, for the gate to read if it must
# (found before this prompt's own file is made). Too many for one command line: `grep` reads them.
set -- "$inbox"/*.json "$store_data/spool"/*/*.json
[ "$#" -le 2000 ] || set --
agentops_claim UserPromptSubmit || exit 0
# The engine reads the payload from a descriptor opened before it is written: a concurrent drain
# may take the inbox file away once it is complete. A file its owner cannot read (a umask without
# u+r) gives the engine no payload, and so no answer.
{ command exec 4<"$event_file"; } 2>/dev/null || exec 4</dev/null

index=$store_data/spool/.prompt-index
# The index is trusted only when it is newer than every file and folder of the log (which the
# engine keeps at executions/YYYY/MM/) and than the engine; `test -nt` needs no process.
fresh=
if [ -f "$index" ] && [ -d "$store_data/executions" ] && command -v awk >/dev/null 2>&1; then
  fresh=1
  for f in "$store_data/executions" "$store_data/executions"/* "$store_data/executions"/*/* \
    "$store_data/executions"/*/*/* "$here/../dist/agentops-learn.mjs"; do
    [ -e "$f" ] || continue
    [ "$index" -nt "$f" ] || {
      fresh=
      break
    }
  done
fi
verdict=node
if [ -n "$fresh" ]; then
  # The payload to the inbox file (descriptor 3), the verdict to this shell.
  verdict=$(LC_ALL=C awk -v copy=1 -v spool="$store_data/spool" -f "$here/prompt-gate.awk" \
    "$index" - "$@" 2>&1 >&3)
else
  cat >&3 2>/dev/null
fi
exec 3>&-
case $verdict in
  skip) ;;
  "paths "*)
    # Only files this session touched can lift a past execution into the pool (the gate has
    # looked when it was given the files).
    if grep -qsE '"(file_path|notebook_path|path)"' "$inbox/"*.json \
      "$store_data/spool/${verdict#paths }/"*.json; then
      verdict=node
    fi
    ;;
  *) verdict=node ;;
esac
if [ "$verdict" = node ]; then
  node "$here/../dist/prompt-context.mjs" --store "$store" <&4 2>/dev/null
fi
exit 0
