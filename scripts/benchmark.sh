#!/usr/bin/env bash
# Measures what issues 8 and 21 ask for, side by side in one run, and writes bench/results/latest.json:
#   1. authorizer throughput (whole handler path, C1-only and default JIT, ACCP and JDK provider) next to raw
#      Signature.verify (JDK, ACCP), `openssl speed rsa2048` and aws-jwt-verify (Node) on the same token;
#   2. whole-process cold starts (authorizer, post-confirmation, pre-token-generation, GET /me, hello world);
#   3. warm GET /me latency through the local gateway at 1 and 16 clients;
#   4. artifact sizes and contents (SDK service clients, no Netty/Apache);
#   and for issue 21: the authorizer's stages (decode, signature, claims, policy, codec) next to its full path, the
#   first invocation after the SnapStart priming hooks (2b), and 5. DynamoDB capacity units per route from a scripted
#   mix (deterministic; the functions' MEASURE_CAPACITY recorder, off by default; --sections capacity runs it alone);
#   6. the authorizer cache's hit ratio under a realistic mix, simulated from a seeded traffic model (--sections cachehit
#   runs it alone, in seconds; --cache-seed N).
#
#   ./scripts/benchmark.sh [--quick true] [--rounds N] [--cold-runs N] [--requests N] [--out FILE] [--sections a,b,...]
#
# Takes about 5 minutes (--quick true: about 2). Not part of the test command. See docs/PERFORMANCE.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

for tool in java mvn node npm openssl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "benchmark.sh needs $tool on the PATH" >&2; exit 1; }
done

echo "[bench] building (mvn -B -q -DskipTests package; no install) ..." >&2
mvn -B -q -DskipTests package

# The artifacts, built by the script sam build runs (template.yaml: BuildMethod makefile), one per CodeUri/ContentUri.
artifacts=$root/bench/target/artifacts
rm -rf "$artifacts"
for uri in $(sed -nE 's/^[[:space:]]+(CodeUri|ContentUri):[[:space:]]*([^[:space:]#]+).*/\1=\2/p' template.yaml | sort -u); do
  kind=function
  [ "${uri%%=*}" = ContentUri ] && kind=layer
  dir=${uri#*=}
  dir=${dir%/}
  scripts/sam/build-artifact.sh "$kind" "$root/$dir" "$artifacts/$dir" >/dev/null
done

if [ ! -d bench/node/node_modules/aws-jwt-verify ] || [ bench/node/package-lock.json -nt bench/node/node_modules/.package-lock.json ]; then
  echo "[bench] npm ci in bench/node (aws-jwt-verify, pinned) ..." >&2
  (cd bench/node && npm ci --no-audit --no-fund --loglevel=error)
fi

cp="$root/bench/target/classes"
for module in $(sed -n 's:.*<module>\(.*\)</module>.*:\1:p' pom.xml); do
  [ "$module" = bench ] || cp="$cp:$root/$module/target/classes"
done
cp="$cp:$(cat bench/target/classpath.txt)"

exec java ${BENCH_JAVA_OPTS:-} -Dsqlite4java.library.path=local/target/native -Duserapi.root="$root" \
  -cp "$cp" dev.userapi.bench.Benchmark --artifacts "$artifacts" "$@"
