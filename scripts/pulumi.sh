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
exec "$BIN/pulumi" "$@"
