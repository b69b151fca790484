#!/usr/bin/env bash
# Prints the folder holding the project's Pulumi CLI (`pulumi`, its Node.js language host and the
# dynamic-provider plugin), building it first when needed. Progress goes to stderr; the folder is
# the only line on stdout.
#
# 1. A `pulumi` already on PATH whose major version is 3 is used as it is (with the language host
#    and plugins installed beside it).
# 2. Otherwise the CLI is built from Pulumi's published Go modules (tools/pulumi, at the version of
#    the pinned @pulumi/pulumi) into a per-user cache shared by every clone on this machine:
#    ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-csp/pulumi-v<version>/bin. The build goes to a temporary
#    folder that is renamed into place when complete, under a lock, so an interrupted or concurrent
#    run never leaves a half-built CLI behind. A stamp (a hash of tools/ and this script) makes a
#    change of recipe rebuild.
#
# Environment: PULUMI_CSP_TOOLCHAIN=build ignores a `pulumi` on PATH; PULUMI_CSP_CACHE_DIR moves the
# cache.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { printf '%s\n' "$*" >&2; }
fail() {
  say "pulumi-toolchain: $*"
  exit 1
}

VERSION="$(node -p "require('$ROOT/package.json').dependencies['@pulumi/pulumi']" 2>/dev/null || true)"
[[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "cannot read the pinned @pulumi/pulumi version from $ROOT/package.json"

if [[ "${PULUMI_CSP_TOOLCHAIN:-}" != "build" ]] && command -v pulumi >/dev/null 2>&1; then
  onpath="$(command -v pulumi)"
  if "$onpath" version 2>/dev/null | grep -Eq '^v?3\.'; then
    dirname "$onpath"
    exit 0
  fi
  say "pulumi-toolchain: ignoring $onpath (not a Pulumi 3 CLI: '$("$onpath" version 2>&1 | head -1)')"
fi

CACHE_ROOT="${PULUMI_CSP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-csp}"
TARGET="$CACHE_ROOT/pulumi-v$VERSION"
STAMP_NAME=".pulumi-csp-stamp"
STAMP="$(cat "$ROOT/scripts/pulumi-toolchain.sh" "$ROOT"/tools/*/go.mod "$ROOT"/tools/*/go.sum "$ROOT"/tools/*/tools.go |
  sha256sum | cut -c1-16)"

complete() { [[ -x "$TARGET/bin/pulumi" && "$(cat "$TARGET/bin/$STAMP_NAME" 2>/dev/null)" == "$STAMP" ]]; }

if complete; then
  echo "$TARGET/bin"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  fail "no Pulumi CLI found and no Go toolchain to build one.
  Either install the Pulumi CLI (https://www.pulumi.com/docs/install/) so that 'pulumi version' prints v3.x,
  or install Go 1.25 or newer so that this script can build Pulumi v$VERSION from its Go modules."
fi
PLUGIN_SRC="$ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
[[ -f "$PLUGIN_SRC" ]] || fail "$PLUGIN_SRC is missing: run 'npm ci' first."

mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/.lock"
if ! flock -n 9; then
  say "pulumi-toolchain: another process is building the Pulumi CLI; waiting for it..."
  flock 9
fi
if complete; then
  echo "$TARGET/bin"
  exit 0
fi

started=$(date +%s)
WORK="$(mktemp -d "$CACHE_ROOT/.build-XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/bin"
say "pulumi-toolchain: building the Pulumi CLI v$VERSION from Pulumi's Go modules into $TARGET"
say "  (once per machine; the Go module download and compile take several minutes on 2 cores)"

# Built as Pulumi's release builds it: static, trimmed paths, the release's build tags, and the
# version stamped in (without it `pulumi version` is empty and the Automation API refuses the CLI).
build() { # build <tools subfolder> <package> <output name> <version to stamp>
  local dir="$1" pkg="$2" out="$3" stamp="$4" n=0
  say "  go build $pkg"
  if ! (cd "$ROOT/tools/$dir" &&
    CGO_ENABLED=0 go build -v -trimpath -tags osusergo,grpcnotrace \
      -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$stamp" \
      -o "$WORK/bin/$out" "$pkg") 2>&1 |
    while IFS= read -r line; do
      n=$((n + 1))
      if [[ "$line" == *": "* ]]; then say "  $line"; fi
      if ((n % 200 == 0)); then say "  ... $n packages compiled ($(($(date +%s) - started)) s)"; fi
    done; then
    fail "building $out failed (see above)"
  fi
  [[ -x "$WORK/bin/$out" ]] || fail "building $out failed (see above)"
}

build pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi pulumi "$VERSION"
# The Node.js language host: see tools/pulumi-language-nodejs/go.mod for why this version.
LANGHOST_VERSION="$(sed -n 's/^require github.com\/pulumi\/pulumi\/sdk\/v3 v//p' "$ROOT/tools/pulumi-language-nodejs/go.mod")"
build pulumi-language-nodejs github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs \
  pulumi-language-nodejs "$LANGHOST_VERSION"
# The dynamic-provider plugin ships with @pulumi/pulumi; it resolves the SDK from the program folder.
install -m 0755 "$PLUGIN_SRC" "$WORK/bin/pulumi-resource-pulumi-nodejs"

"$WORK/bin/pulumi" version | grep -q "^v$VERSION$" || fail "the built CLI does not report v$VERSION"
echo "$STAMP" >"$WORK/bin/$STAMP_NAME"
rm -rf "$TARGET.old"
[[ -e "$TARGET" ]] && mv "$TARGET" "$TARGET.old"
mv "$WORK" "$TARGET"
chmod 0755 "$TARGET"
rm -rf "$TARGET.old"
trap - EXIT
say "pulumi-toolchain: Pulumi CLI v$VERSION ready in $TARGET/bin ($(($(date +%s) - started)) s)"
echo "$TARGET/bin"
