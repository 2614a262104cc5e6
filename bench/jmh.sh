#!/usr/bin/env bash
# JMH micro-benchmarks of skillquest-core's hot paths, one command:
#   bench/jmh.sh                      # all benchmarks, short settings for a 2-core box (~2 min)
#   bench/jmh.sh badgeEvaluator       # a regex picks benchmarks; any further JMH options pass through
#   bench/jmh.sh -wi 5 -i 10 -f 2     # longer, steadier runs
# Needs skillquest-core installed in ~/.m2 (mvn -B install -DskipTests at the root) or already there.
# Results: bench/results/jmh.txt (human) and bench/results/jmh.json.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$here/results"
if [[ ! -f "$here/target/skillquest-bench.jar" || -n "$(find "$here/src" "$here/pom.xml" -newer "$here/target/skillquest-bench.jar" -print -quit)" ]]; then
  mvn -B -q -f "$here/pom.xml" package -DskipTests
fi
# one fork, 3x1 s warm-up, 5x1 s measurement, one thread: JMH itself plus the forked VM fit two cores
java -jar "$here/target/skillquest-bench.jar" -f 1 -wi 3 -w 1s -i 5 -r 1s -t 1 \
  -rf json -rff "$here/results/jmh.json" "$@" 2>&1 | tee "$here/results/jmh.txt"
