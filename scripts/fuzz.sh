#!/usr/bin/env bash
# Longer, exploratory fuzzing runs of every Jazzer target (the test command only fuzzes each briefly, with a
# fixed seed and a fixed number of executions, so that two builds try the same inputs).
# This script passes a random libFuzzer seed (printed; set FUZZ_SEED=<n> to repeat a run), no execution
# limit, and keeps Jazzer's working corpus (.cifuzz-corpus) between runs.
# usage: scripts/fuzz.sh [duration, default 10m] [module ...]
#   scripts/fuzz.sh 30m functions/authorizer      # the token verifier and authorizer handler
#   scripts/fuzz.sh 10m local                     # every route's handler (EveryRouteFuzzTest)
# A finding fails the run and is saved under src/test/resources/.../<Class>Inputs/<method>/,
# where the test command then replays it on every build: commit it with the fix.
# Builds with the reactor (never `mvn install`: ~/.m2 may be shared with other checkouts).
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10m}"
shift || true
modules=("$@")
if [ ${#modules[@]} -eq 0 ]; then
  mapfile -t modules < <(grep -rl --include='*FuzzTest.java' '@FuzzTest' . | grep -v '/target/' | sed -E 's#^\./(.*)/src/test/.*#\1#' | sort -u)
fi
seed="${FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}"
seed=$((seed % 2147483647 + 1)) # libFuzzer: a positive 32-bit seed (0 would be its own random one)
echo "== libFuzzer seed $seed (FUZZ_SEED=$seed repeats it)"
for module in "${modules[@]}"; do
  for test in $(grep -rl --include='*FuzzTest.java' '@FuzzTest' "$module/src/test" | xargs -n1 basename | sed 's/\.java$//'); do
    echo "== fuzzing $module $test for $duration"
    # -Dtest selects the target in every module of the reactor (the others have none); the surefire
    # `fuzz` execution fuzzes it with JAZZER_FUZZ=1 for the given duration.
    mvn -B -q -pl "$module" -am verify -DskipITs -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.fuzz=1 -Djazzer.max_duration="$duration" -Djazzer.max_executions=0 -Djazzer.seed="$seed" -Djazzer.keepCorpus=true
  done
done
