# Shared by start-local.sh and invoke.sh: builds what the local stack needs (only when a source or
# POM changed since the last build) and runs a class of the local module with its classpath.
# Sourced from the project root.

LOCAL_STAMP=local/target/.local-build-stamp

local_require_tools() {
  command -v java >/dev/null 2>&1 || { echo "Java is needed: install a JDK 17 or later and start again" >&2; exit 1; }
  command -v mvn >/dev/null 2>&1 || { echo "Maven is needed: install Maven 3.8 or later and start again" >&2; exit 1; }
}

# Rebuilds the reactor unless nothing changed since the last build. `package`, not `install`: the
# stack runs this checkout's target/classes, and ~/.m2 may be shared with other checkouts.
local_build_if_needed() {
  local_require_tools
  if [ -f "$LOCAL_STAMP" ] && [ -f local/target/classpath.txt ] && [ -d local/target/native ] \
     && [ -z "$(find pom.xml layers functions local/pom.xml local/src -newer "$LOCAL_STAMP" \
                 \( -name pom.xml -o -path '*/src/*' \) -type f -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  echo "Building (mvn -B -q -DskipTests package) ..." >&2
  if ! mvn -B -q -DskipTests package; then
    echo "The build failed: fix the errors above and start again" >&2
    exit 1
  fi
  touch "$LOCAL_STAMP"
}

# The classpath: this checkout's compiled modules (never jars from the shared ~/.m2), then the
# third-party libraries the build listed.
local_classpath() {
  local cp="" module
  for module in $(sed -n 's:.*<module>\(.*\)</module>.*:\1:p' pom.xml); do
    cp="$cp${cp:+:}$PWD/$module/target/classes"
  done
  echo "$cp:$(cat local/target/classpath.txt)"
}

# Runs a main class of the local module: local_run <class> [args...]
local_run() {
  local main="$1"
  shift
  exec java ${LOCAL_JAVA_OPTS:-} -Dsqlite4java.library.path=local/target/native -Duserapi.root="$PWD" \
    -cp "$(local_classpath)" "$main" "$@"
}
