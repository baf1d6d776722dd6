#!/bin/sh
# UserPromptSubmit: records the prompt like record.sh. When the store holds learned patterns, the
# engine is asked for a recommendation, which it prints as context for the model only when it is
# confident. Node is started only when the prompt could get one: the engine keeps a small index of
# its log (spool/.prompt-index), from which prompt-gate.awk tells the prompts no past execution
# is similar enough to; an index older than the log is not trusted. Usage: prompt.sh
# UserPromptSubmit. Never fails.
here=${0%/*}
. "$here/store.sh"
set -- "$store"/patterns/*/pat_*.md
if [ -e "$1" ] && command -v node >/dev/null 2>&1 && mkdir -p "$store/spool" 2>/dev/null; then
  copy=$store/spool/.prompt.$$
  if cat >"$copy" 2>/dev/null; then
    sh "$here/record.sh" UserPromptSubmit <"$copy"
    index=$store/spool/.prompt-index
    verdict=node
    if [ -f "$index" ] && [ -d "$store/executions" ]; then
      newer=$(find "$store/executions" "$here/../dist/agentops-learn.mjs" -newer "$index" 2>/dev/null) || newer=error
      if [ -z "$newer" ]; then
        verdict=$(LC_ALL=C awk -f "$here/prompt-gate.awk" "$index" - <"$copy" 2>/dev/null) || verdict=node
      fi
    fi
    case $verdict in
      skip) ;;
      "paths "*)
        # Only files this session touched can lift a past execution into the pool.
        if grep -qsE '"(file_path|notebook_path|path)"' "$store/spool/.inbox/"*.json \
          "$store/spool/${verdict#paths }/"*.json; then
          verdict=node
        fi
        ;;
      *) verdict=node ;;
    esac
    if [ "$verdict" = node ]; then
      node "$here/../dist/agentops-learn.mjs" prompt-context --store "$store" <"$copy" 2>/dev/null
    fi
  fi
  rm -f "$copy" 2>/dev/null
  exit 0
fi
exec sh "$here/record.sh" UserPromptSubmit
