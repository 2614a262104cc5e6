#!/usr/bin/env bash
# Where a JVM's CPU went, per load scenario: JFR execution samples in each scenario's time window,
# attributed to the first library frame from the top of the stack (JDK frames such as HashMap.get count
# for the library that called them).
#   bench/jfr-summary.sh bench/results/server.jfr /tmp/skillquest-bench/windows.tsv
# windows.tsv (written by LoadRun): name <TAB> start seconds-of-day <TAB> end seconds-of-day (local time).
set -euo pipefail
jfr_file="$1" windows="$2"
jfr print --stack-depth 64 --events jdk.ExecutionSample "$jfr_file" | awk -v windows="$windows" '
BEGIN {
  FS = "\n"; n = 0
  while ((getline line < windows) > 0) { split(line, f, "\t"); n++; name[n] = f[1]; from[n] = f[2] + 0; to[n] = f[3] + 0 }
}
function classify(frame) {
  if (frame ~ /at\.favre\.lib\.crypto\.bcrypt/) return "bcrypt"
  if (frame ~ /org\.slf4j|SimpleLogger|java\.io\.PrintStream|FileOutputStream\.write/) return "logging"
  if (frame ~ /com\.auth0\.jwt/) return "JWT"
  if (frame ~ /com\.fasterxml\.jackson/) return "Jackson"
  if (frame ~ /org\.jdbi/) return "JDBI"
  if (frame ~ /org\.postgresql/) return "PostgreSQL driver"
  if (frame ~ /com\.zaxxer\.hikari/) return "HikariCP"
  if (frame ~ /redis\.clients/) return "Jedis"
  if (frame ~ /io\.micrometer/) return "Micrometer"
  if (frame ~ /org\.eclipse\.jetty/) return "Jetty"
  if (frame ~ /io\.javalin|kotlin\./) return "Javalin"
  if (frame ~ /io\.skillquest/) return "SkillQuest code"
  if (frame ~ /jdk\.jfr/) return "JFR itself"
  return ""
}
/^jdk\.ExecutionSample/ { t = -1; cat = ""; inStack = 0 }
/startTime = / { split($0, a, "= "); split(a[2], hms, ":"); t = hms[1] * 3600 + hms[2] * 60 + hms[3] }
/stackTrace = \[/ { inStack = 1; next }
inStack && /^[[:space:]]*\]/ {
  inStack = 0
  if (cat == "") cat = "JDK / other"
  for (w = 1; w <= n; w++) if (t >= from[w] && t <= to[w]) { count[w, cat]++; total[w]++; cats[cat] = 1 }
  next
}
inStack && cat == "" { cat = classify($0) }
END {
  for (w = 1; w <= n; w++) {
    if (!total[w]) continue
    printf "%s (%d samples):", name[w], total[w]
    # crude sort: print categories in descending share
    delete done
    for (k = 0; k < 20; k++) {
      best = ""; bestN = 0
      for (c in cats) if (!(c in done) && count[w, c] > bestN) { best = c; bestN = count[w, c] }
      if (best == "") break
      done[best] = 1
      printf " %s %.0f%%,", best, 100 * bestN / total[w]
    }
    printf "\n"
  }
}'
