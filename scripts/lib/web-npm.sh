# Shared by test.sh and browser-tests.sh: installs web/'s npm packages (npm ci) when they are missing
# or web/package-lock.json changed since the last install. Sourced from the project root.
web_npm_install_if_needed() {
  if [[ ! -f web/node_modules/.package-lock.json || web/package-lock.json -nt web/node_modules/.package-lock.json ]]; then
    (cd web && npm ci --no-audit --no-fund)
  fi
}
