#!/usr/bin/env bash
# Checks the artifacts of `sam build` (.aws-sam/build) against template.yaml: every function has its handler
# class and the layers it links to, and no layer jar, local-stack, test or Netty/Apache client code; every
# layer is java/lib/*.jar. Prints each artifact's size; exits 1 on any failure.
#
# The check is Java: dev.userapi.contract.BuildArtifactCheck in the contract module's test sources (never
# packaged or deployed). Its classes and classpath are built with the root Maven reactor (no `mvn install`) when
# the contract module or the root pom changed since the last run; otherwise it starts at once.
set -euo pipefail
cd "$(dirname "$0")/.."

out=contract/target/check-build
classpath_file=$out/classpath.txt
main_class=dev.userapi.contract.BuildArtifactCheck

stale() {
  [ -f "$classpath_file" ] || return 0
  [ -f "contract/target/test-classes/${main_class//.//}.class" ] || return 0
  [ -n "$(find pom.xml contract/pom.xml contract/src -newer "$classpath_file" -print -quit)" ]
}

if stale; then
  echo "check-build: compiling $main_class (mvn -pl contract -am test-compile)" >&2
  rm -f "$classpath_file"
  # dependency:build-classpath runs in every module of the reactor; each writes its own target/check-build/.
  mvn -B -q -pl contract -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/check-build/classpath.txt -Dmdep.includeScope=test >&2
  [ -f "$classpath_file" ] || { echo "check-build: mvn wrote no $classpath_file" >&2; exit 1; }
fi

java=java
[ -n "${JAVA_HOME:-}" ] && java=$JAVA_HOME/bin/java
exec "$java" -Duserapi.root="$PWD" -cp "contract/target/test-classes:$(cat "$classpath_file")" "$main_class" "$@"
