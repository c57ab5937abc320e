#!/usr/bin/env bash
# Longer fuzzing runs of every Jazzer target (the test command only fuzzes each briefly).
# usage: scripts/fuzz.sh [duration, default 10m] [module ...]
# A finding fails the run and is saved under src/test/resources/.../<Class>Inputs/<method>/,
# where the test command then replays it on every build: commit it with the fix.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10m}"
shift || true
modules=("$@")
if [ ${#modules[@]} -eq 0 ]; then
  mapfile -t modules < <(grep -rl --include='*FuzzTest.java' '@FuzzTest' . | grep -v '/target/' | sed -E 's#^\./(.*)/src/test/.*#\1#' | sort -u)
fi
mvn -B -q -DskipTests install
for module in "${modules[@]}"; do
  for test in $(grep -rl --include='*FuzzTest.java' '@FuzzTest' "$module/src/test" | xargs -n1 basename | sed 's/\.java$//'); do
    echo "== fuzzing $module $test for $duration"
    JAZZER_FUZZ=1 mvn -B -q -pl "$module" surefire:test@fuzz -Dtest="$test" \
      -Djazzer.max_duration="$duration" -Djazzer.max_executions=0
  done
done
