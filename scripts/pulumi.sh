#!/usr/bin/env bash
# `npm run pulumi -- <args>`: runs the project's Pulumi CLI (scripts/pulumi-toolchain.sh) in the
# folder npm was started from, offline: no update check, no plugin downloads, and, unless
# PULUMI_BACKEND_URL says otherwise, a file backend under the repository's .pulumi-csp/backend.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$("$ROOT/scripts/pulumi-toolchain.sh")"
export PATH="$BIN:$PATH"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
if [[ -z "${PULUMI_BACKEND_URL:-}" ]]; then
  mkdir -p "$ROOT/.pulumi-csp/backend"
  export PULUMI_BACKEND_URL="file://$ROOT/.pulumi-csp/backend"
fi
cd "${INIT_CWD:-$PWD}"
# The project's Node.js language host (v3.68, see tools/pulumi-language-nodejs/go.mod) does not
# pass the project directory to the SDK; pulumi.runtime.getRootDirectory() reads this instead.
if [[ -z "${PULUMI_NODEJS_ROOT_DIRECTORY:-}" ]]; then
  dir="$PWD"
  while [[ "$dir" != "/" && ! -f "$dir/Pulumi.yaml" && ! -f "$dir/Pulumi.yml" ]]; do dir="$(dirname "$dir")"; done
  [[ -f "$dir/Pulumi.yaml" || -f "$dir/Pulumi.yml" ]] && export PULUMI_NODEJS_ROOT_DIRECTORY="$dir"
fi
exec "$BIN/pulumi" "$@"
