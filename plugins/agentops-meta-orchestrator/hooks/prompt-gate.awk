# Whether a prompt needs the engine: reads the prompt index the engine wrote (src/prompt-gate.ts),
# a UserPromptSubmit payload, and any further input (a line there means the index is stale), and
# prints one word:
#   skip          the recommender cannot be confident about this prompt: no past execution that
#                 could count for a pattern is similar enough to reach its pool
#   paths <id>    the same, unless session <id> has touched files (folders and languages could
#                 then lift a past execution into the pool)
#   node          ask the engine
# Anything this script does not fully understand (no index, non-ASCII text, a slash command, an
# escape it does not decode) prints `node`.
# Run with LC_ALL=C: awk -f prompt-gate.awk INDEX PAYLOAD
# With -v copy=1 (prompt.sh: awk -v copy=1 -v spool=SPOOL -f prompt-gate.awk INDEX - [FILE...])
# the standard input is the payload: it is copied byte for byte to the standard output, and the
# verdict goes to the standard error instead, so one process both records the prompt and judges
# it. The FILEs, when given, are the inbox's and the spool's event files: instead of `paths <id>`
# the verdict is then `node` when one of them in the inbox or in SPOOL/<id>/ names a path, and
# `skip` otherwise.
# With -v show=1 it prints the prompt's keywords and category instead (for tests).
BEGIN {
  # The index is read here, a line at a time; the payload is then read whole, as one record
  # (JSON text never holds a raw \001), so that it can be copied exactly.
  lines = 0
  while ((getline < ARGV[1]) > 0) {
    if (++lines == 1) ok = ($0 == "agentops-prompt-index 1")
    if ($1 == "stop") for (i = 2; i <= NF; i++) stop[$i] = 1
    else if ($1 == "syn") syn[$2] = $3
    else if ($1 == "stem") { nstem++; suffix[nstem] = $2; repl[nstem] = ($3 == "-" ? "" : $3) }
    else if ($1 == "cue") { ncat++; catname[ncat] = $2; cues[ncat] = $0 }
    else if ($1 == "group") { gcat[$2] = $3; gctx[$2] = $4; gline[$2] = $0 }
    else if ($1 == "run") runs[++nrun] = $0
  }
  close(ARGV[1])
  ARGV[1] = ""
  if (copy) for (i = 3; i < ARGC; i++) { events[++nevents] = ARGV[i]; ARGV[i] = "" }
  RS = "\001"
}
copy || FILENAME == ARGV[2] {
  if (copy) printf "%s%s", (NR > 1 ? "\001" : ""), $0
  # A raw \001 is no JSON: the payload is then left to the engine.
  if (started) stale = 1
  payload = $0; started = 1
  next
}
{ stale = 1 }
END {
  if (!ok || stale) { say("node"); exit }
  text = promptText(payload)
  if (text == "\001") { say("node"); exit }
  nq = split(keywordsOf(text), words, " ")
  for (i = 1; i <= nq; i++) query[words[i]] = 1
  category = categoryOf()
  if (show) { say(keywordsOf(text) "|" category); exit }
  best0 = 0; best1 = 0
  for (r = 1; r <= nrun; r++) {
    n = split(runs[r], f, " ")
    inter = 0
    for (i = 5; i <= n; i++) if (f[i] in query) inter++
    m = n - 4
    kw = (nq == 0 || m == 0) ? 0 : inter / (nq + m - inter)
    s0 = kw
    s1 = (f[3] == 1) ? (1 - 1 / 3) * kw + 1 / 3 : kw
    ng = (f[4] == "-") ? 0 : split(f[4], gs, ",")
    for (g = 1; g <= ng; g++) {
      id = gs[g]
      if (gcat[id] != category) continue
      c = cosine(gline[id])
      if (c > s0) s0 = c
      c1 = (gctx[id] == 1) ? (1 - 1 / 3) * c + 1 / 3 : c
      if (c1 > s1) s1 = c1
    }
    same = (f[2] == category)
    s0 = same ? s0 * 0.9 + 0.1 : s0 * 0.5
    s1 = same ? s1 * 0.9 + 0.1 : s1 * 0.5
    if (s0 > best0) best0 = s0
    if (s1 > best1) best1 = s1
  }
  # A margin below the pool's 0.4, so rounding can only ever let a prompt through.
  if (best0 >= 0.4 - 1e-9) say("node")
  else if (best1 >= 0.4 - 1e-9) {
    if (session == "\001") say("node")
    else if (nevents == 0) say("paths " session)
    else say(touchedPaths(session) ? "node" : "skip")
  }
  else say("skip")
}

# Whether an event file of the inbox, or of the session's spool folder, names a path.
function touchedPaths(id,    i, f, own) {
  own = spool "/" id "/"
  for (i = 1; i <= nevents; i++) {
    f = events[i]
    if (index(f, spool "/.inbox/") != 1 && index(f, own) != 1) continue
    while ((getline < f) > 0)
      if ($0 ~ /"(file_path|notebook_path|path)"/) { close(f); return 1 }
    close(f)
  }
  return 0
}

# Prints the verdict where it goes.
function say(s) {
  if (copy) print s > "/dev/stderr"
  else print s
}

# The payload's session id when it is a safe folder name, else "\001".
function sessionOf(json,    rest) {
  if (!match(json, /"session_id"[ \t\r\n]*:[ \t\r\n]*"[A-Za-z0-9._-]+"/)) return "\001"
  rest = substr(json, RSTART, RLENGTH)
  sub(/^"session_id"[ \t\r\n]*:[ \t\r\n]*"/, "", rest)
  sub(/"$/, "", rest)
  if (length(rest) > 128 || rest ~ /^\.+$/) return "\001"
  return rest
}

# The prompt in lower case with every escape a separator, or "\001" when it cannot be read
# exactly (missing, repeated, non-ASCII, a slash command).
function promptText(json,    probe, rest, end, s) {
  session = sessionOf(json)
  probe = json
  if (gsub(/"prompt"[ \t\r\n]*:/, "", probe) != 1) return "\001"
  if (!match(json, /"prompt"[ \t\r\n]*:[ \t\r\n]*"/)) return "\001"
  rest = substr(json, RSTART + RLENGTH)
  gsub(/\\\\/, "\001", rest)
  gsub(/\\"/, "\002", rest)
  end = index(rest, "\"")
  if (end == 0) return "\001"
  s = substr(rest, 1, end - 1)
  gsub(/[\001\002\177]/, " ", s)
  if (s ~ /[^ -~]/) return "\001"
  gsub(/\\u00[01][0-9A-Fa-f]/, " ", s)
  gsub(/\\u007[Ff]/, " ", s)
  if (s ~ /\\u/) return "\001"
  gsub(/\\[bfnrt\/]/, " ", s)
  s = tolower(s)
  if (s ~ /^ *\// || index(s, "<command-name>") > 0) return "\001"
  return s
}

function stemOf(w,    i, sl, wl, tail) {
  wl = length(w)
  if (wl <= 4) return w
  for (i = 1; i <= nstem; i++) {
    sl = length(suffix[i])
    if (wl - sl < 3 || substr(w, wl - sl + 1) != suffix[i]) continue
    if (suffix[i] == "s") {
      tail = substr(w, wl - 1)
      if (tail == "ss" || tail == "us" || tail == "is") return w
    }
    return substr(w, 1, wl - sl) repl[i]
  }
  return w
}

# Sorted unique keywords, as text.ts `keywords` computes them, joined by spaces.
function keywordsOf(s,    n, parts, i, raw, kw, seen, out, list, k, j, t) {
  n = split(s, parts, /[^a-z0-9]+/)
  k = 0
  for (i = 1; i <= n; i++) {
    raw = parts[i]
    if (length(raw) < 2 || length(raw) > 40 || (raw in stop) || raw ~ /^[0-9]+$/) continue
    if (raw in syn) kw = syn[raw]
    else {
      kw = stemOf(raw)
      if (kw in syn) kw = syn[kw]
    }
    if (!(kw in seen)) { seen[kw] = 1; list[++k] = kw }
  }
  for (i = 2; i <= k; i++) {
    t = list[i]
    for (j = i - 1; j >= 1 && list[j] > t; j--) list[j + 1] = list[j]
    list[j + 1] = t
  }
  out = ""
  for (i = 1; i <= k; i++) out = out (i > 1 ? " " : "") list[i]
  return out
}

function categoryOf(    i, n, f, j) {
  for (i = 1; i <= ncat; i++) {
    n = split(cues[i], f, " ")
    for (j = 3; j <= n; j++) if (f[j] in query) return catname[i]
  }
  return "general"
}

# Cosine of the query's keywords with a group's keyword counts (extract.ts `cosine`).
function cosine(line,    n, f, i, dot, norm) {
  if (nq == 0) return 0
  n = split(line, f, " ")
  dot = 0; norm = 0
  for (i = 5; i < n; i += 2) {
    norm += f[i + 1] * f[i + 1]
    if (f[i] in query) dot += f[i + 1]
  }
  return norm == 0 ? 0 : dot / (sqrt(norm) * sqrt(nq))
}
