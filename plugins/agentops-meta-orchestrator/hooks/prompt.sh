#!/bin/sh
# UserPromptSubmit: records the prompt like record.sh. When the store holds learned patterns, the
# engine is asked for a recommendation, which it prints as context for the model only when it is
# confident. Node is started only when the prompt could get one: the engine keeps a small index of
# its log (spool/.prompt-index), from which prompt-gate.awk tells the prompts no past execution
# is similar enough to; an index not newer than the log is not trusted. Usage: prompt.sh
# UserPromptSubmit. Never fails.
here=${0%/*}
. "$here/store.sh"
set -- "$store"/patterns/*/pat_*.md
inbox=$store/spool/.inbox
nl='
'
if [ ! -e "$1" ] || ! command -v node >/dev/null 2>&1; then
  exec sh "$here/record.sh" UserPromptSubmit
fi
[ -d "$inbox" ] || mkdir -p "$inbox" 2>/dev/null || exit 0

# As record.sh does, with the gate run on the payload before it is renamed into the inbox.
tmp=$inbox/.$$.tmp
cat >"$tmp" 2>/dev/null || {
  rm -f "$tmp" 2>/dev/null
  exit 0
}
index=$store/spool/.prompt-index
# The index is trusted only when it is newer than every file and folder of the log (which the
# engine keeps at executions/YYYY/MM/) and than the engine; `test -nt` needs no process.
fresh=
if [ -f "$index" ] && [ -d "$store/executions" ]; then
  fresh=1
  for f in "$store/executions" "$store/executions"/* "$store/executions"/*/* \
    "$store/executions"/*/*/* "$here/../dist/agentops-learn.mjs"; do
    [ -e "$f" ] || continue
    [ "$index" -nt "$f" ] || {
      fresh=
      break
    }
  done
fi
# One command substitution for the time and the gate's verdict.
if [ -n "$fresh" ]; then
  out=$(
    date +%s%N 2>/dev/null
    LC_ALL=C awk -f "$here/prompt-gate.awk" "$index" "$tmp" 2>/dev/null
  )
else
  out=$(date +%s%N 2>/dev/null)
fi
now=${out%%"$nl"*}
verdict=${out#*"$nl"}
[ "$verdict" != "$out" ] || verdict=node
case $now in '' | *[!0-9]*) now=$(date +%s)000000000 ;; esac
case $verdict in
  skip) ;;
  "paths "*)
    # Only files this session touched can lift a past execution into the pool.
    if grep -qsE '"(file_path|notebook_path|path)"' "$inbox/"*.json \
      "$store/spool/${verdict#paths }/"*.json; then
      verdict=node
    fi
    ;;
  *) verdict=node ;;
esac
# The engine reads the payload from a descriptor opened before the rename: a concurrent drain
# may take the inbox file away.
exec 3<"$tmp"
mv -f "$tmp" "$inbox/$now-$$-UserPromptSubmit.json" 2>/dev/null || rm -f "$tmp" 2>/dev/null
if [ "$verdict" = node ]; then
  node "$here/../dist/agentops-learn.mjs" prompt-context --store "$store" <&3 2>/dev/null
fi
exit 0
