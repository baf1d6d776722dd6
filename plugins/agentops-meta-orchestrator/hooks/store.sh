# Sourced by the hook scripts: sets `store` to the agentops-learn store of the working folder,
# <repository top level>/.agentops (or <working folder>/.agentops outside git).
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
