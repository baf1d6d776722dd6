# Sourced by the hook scripts: sets `store` to the agentops-learn store of the working folder,
# $AGENTOPS_STORE or else <repository top level>/.agentops (or <working folder>/.agentops outside
# git), `store_data` to the folder of its log, spool and config, `store_patterns` to the folder of
# its pattern files, and `inbox` to the folder where hooks leave raw payloads, and defines the
# functions that write them. The functions follow the inbox protocol written down in record.sh.
root=$PWD
while [ ! -e "$root/.git" ]; do
  case $root in
    / | '')
      root=$PWD
      break
      ;;
  esac
  root=${root%/*}
  [ -n "$root" ] || root=/
done
store=${AGENTOPS_STORE:-${root%/}/.agentops}
# The layout the engine gives a store (src/store.ts, storeLayout): a store folder named `patterns`
# is a published store, with its pattern files at its top and the rest in its `.log/` folder. Its
# name is read as the engine reads it, without a trailing `/` or `/.`.
while :; do
  case $store in
    ?*/) store=${store%/} ;;
    ?*/.) store=${store%/.} ;;
    *) break ;;
  esac
done
case ${store##*/} in
  patterns)
    store_data=$store/.log
    store_patterns=$store
    ;;
  *)
    store_data=$store
    store_patterns=$store/patterns
    ;;
esac
inbox=$store_data/spool/.inbox

# Makes the inbox when it is missing; fails when it cannot. Its folders are made one by one and
# never the folder that holds the store: a repository removed meanwhile is not made again.
agentops_inbox() {
  [ -d "$inbox" ] && return 0
  if [ "$store_data" = "$store" ]; then
    mkdir "$store" "$store/spool" "$inbox" 2>/dev/null
  else
    mkdir "$store" "$store_data" "$store_data/spool" "$inbox" 2>/dev/null
  fi
  [ -d "$inbox" ] || return 1
  # The `.gitignore` the engine gives the data folder (src/store.ts, ensureDataDir), made only
  # where there is none. A published store's is committed with it and keeps out only its working
  # files. Any other new store ignores itself (the engine commits it to its own ref, never to the
  # branch), unless its config chose to commit on the branch.
  if [ -e "$store_data/.gitignore" ]; then
    :
  elif [ "$store_data" != "$store" ]; then
    printf '%s\n' 'spool/' 'lock/' 'learn.log' '*.tmp' >"$store_data/.gitignore" 2>/dev/null
  elif [ ! -e "$store/config.json" ]; then
    printf '%s\n' \
      '# agentops-learn commits this store to refs/heads/agentops/memory, never to your branch.' \
      '*' >"$store/.gitignore" 2>/dev/null
  fi
  return 0
}

# Opens descriptor 3 for writing on a new inbox file for event $1 and sets `event_file` to its
# path; fails when no name can be created.
agentops_claim() {
  set -C
  n=0
  event_file=$inbox/$$-$n-$1.json
  until { command exec 3>"$event_file"; } 2>/dev/null; do
    n=$((n + 1))
    [ "$n" -lt 100 ] || {
      set +C
      return 1
    }
    event_file=$inbox/$$-$n-$1.json
  done
  set +C
  return 0
}

# Records hook event $1 with the payload on stdin; never fails the hook.
agentops_record() {
  case $1 in '' | *[!A-Za-z]*) return 0 ;; esac
  agentops_inbox || return 0
  agentops_claim "$1" || return 0
  cat >&3 2>/dev/null
  exec 3>&-
  return 0
}
