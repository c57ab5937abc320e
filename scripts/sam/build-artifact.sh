#!/usr/bin/env bash
# Builds one SAM artifact with the root Maven reactor; called by the Makefile of a CodeUri/ContentUri folder
# (template.yaml: Metadata BuildMethod: makefile) as `build-artifact.sh function|layer <module dir> <ARTIFACTS_DIR>`.
#
# Why: `sam build` copies only the CodeUri folder, where `../../pom.xml` (the parent) and the layer modules do not
# exist. So the recipe ignores its working directory (a scratch copy, or the folder itself with --build-in-source)
# and works in the repository the Makefile lives in:
#   1. once per change of the sources, `mvn package dependency:copy-dependencies` over every module the template
#      names (tests skipped: `mvn -B verify` runs them), under a lock so parallel builds (`sam build -p`) share it;
#   2. a function gets its module's classes plus its runtime dependencies (`provided` = the layers, left out);
#      a layer gets java/lib/<its jar> plus its runtime dependencies.
#   Jars that CoreLayer ships are left out of every other artifact: every function has CoreLayer (Globals), and
#   IdentityLayer is only ever used together with it.
set -euo pipefail

kind=${1:?function or layer}
module_dir=$(cd "${2:?module directory}" && pwd -P)
artifacts_dir=${3:-${ARTIFACTS_DIR:-}}
[ -n "$artifacts_dir" ] || { echo "ARTIFACTS_DIR is not set (run through sam build)" >&2; exit 2; }
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
module=${module_dir#"$root"/}
core_module=layers/core
stage=$root/target/sam
mkdir -p "$stage" "$artifacts_dir"

# The modules the template deploys, in the template's own words.
modules=$(sed -nE 's/^[[:space:]]+(CodeUri|ContentUri):[[:space:]]*([^[:space:]#]+).*/\2/p' "$root/template.yaml" | sed 's:/*$::' | sort -u)
echo "$modules" | grep -qx "$module" || { echo "$module is not a CodeUri/ContentUri of template.yaml" >&2; exit 2; }

stale() {
  [ -f "$stage/stamp" ] || return 0
  [ "$(cat "$stage/stamp")" = "$(echo $modules)" ] || return 0
  local inputs=("$root/pom.xml")
  for m in $modules; do inputs+=("$root/$m/pom.xml" "$root/$m/src/main"); done
  [ -n "$(find "${inputs[@]}" -newer "$stage/stamp" -print -quit 2>/dev/null)" ]
}

# One build at a time (`sam build --parallel` runs several makes). flock is util-linux; without it (macOS),
# builds still work, but run `sam build` without --parallel.
if command -v flock >/dev/null; then
  exec 9>"$stage/lock"
  flock 9
fi
if stale; then
  echo "sam-build: mvn package ($(echo $modules | tr ' ' ','))" >&2
  for m in $modules; do rm -rf "$root/$m/target/dependency"; done
  rm -f "$stage/stamp"
  mvn -B -q -f "$root/pom.xml" -pl "$(echo $modules | tr ' ' ',')" -DskipTests \
    package dependency:copy-dependencies -DincludeScope=runtime -Dmdep.prependGroupId=true
  echo $modules > "$stage/stamp"
fi

# The jar a module builds (not its -tests/-sources jars).
module_jar() {
  local jars=()
  for j in "$root/$1"/target/*.jar; do
    case "$j" in *-tests.jar|*-sources.jar|*-javadoc.jar) ;; *) jars+=("$j") ;; esac
  done
  [ "${#jars[@]}" -eq 1 ] || { echo "expected one jar in $1/target, found ${#jars[@]}" >&2; exit 1; }
  echo "${jars[0]}"
}

in_core_layer() {
  [ "$module" != "$core_module" ] && [ -f "$root/$core_module/target/dependency/$1" ]
}

copy_dependencies() { # <destination>
  local dest=$1
  [ -d "$root/$module/target/dependency" ] || return 0
  for j in "$root/$module"/target/dependency/*.jar; do
    [ -e "$j" ] || continue
    in_core_layer "$(basename "$j")" && continue
    mkdir -p "$dest"
    cp "$j" "$dest/"
  done
  return 0
}

case "$kind" in
  layer)
    mkdir -p "$artifacts_dir/java/lib"
    cp "$(module_jar "$module")" "$artifacts_dir/java/lib/"
    copy_dependencies "$artifacts_dir/java/lib"
    ;;
  function)
    [ -d "$root/$module/target/classes" ] || { echo "$module has no compiled classes (no sources?)" >&2; exit 1; }
    cp -R "$root/$module/target/classes/." "$artifacts_dir/"
    copy_dependencies "$artifacts_dir/lib"
    ;;
  *) echo "unknown kind $kind" >&2; exit 2 ;;
esac
