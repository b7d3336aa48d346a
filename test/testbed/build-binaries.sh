#!/usr/bin/env bash
# Builds the test bed's control-plane binaries from their upstream Go modules (Go module proxy only) and caches them
# outside the repository, keyed by version, so a warm run costs nothing. Prints the bin directory on the last line.
#
# Wrapper modules are needed because `go install` refuses modules whose go.mod has replace directives
# (k8s.io/kubernetes, go.etcd.io/etcd/server/v3, github.com/liqotech/liqo).
set -euo pipefail

K8S_VERSION=${TESTBED_K8S_VERSION:-v1.34.4}
ETCD_VERSION=${TESTBED_ETCD_VERSION:-v3.6.16}
KWOK_VERSION=${TESTBED_KWOK_VERSION:-v0.8.0}
LIQO_VERSION=${TESTBED_LIQO_VERSION:-v1.0.1}
CACHE=${LIQO_TESTBED_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/liqo-vscode-testbed}
BIN="$CACHE/bin/k8s-$K8S_VERSION.etcd-$ETCD_VERSION.kwok-$KWOK_VERSION.liqo-$LIQO_VERSION"
WORK="$CACHE/build"

log() { printf '[testbed build] %s\n' "$*" >&2; }

# Warm cache: nothing to build, and no Go toolchain needed.
all_present=true
for b in kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok kwokctl liqoctl; do
  [ -x "$BIN/$b" ] || all_present=false
done
[ -d "$BIN/liqo-crds" ] || all_present=false
if $all_present; then
  echo "$BIN"
  exit 0
fi
log "building into $BIN (a cold build takes tens of minutes and a few GB of Go cache; later runs reuse it)"

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="/usr/local/go/bin:$PATH"
fi
if ! command -v go >/dev/null 2>&1; then
  log "Go toolchain not found on PATH (nor in /usr/local/go/bin). Install Go >= 1.24 and retry."
  exit 3
fi

mkdir -p "$BIN" "$WORK"
# One build at a time per cache (a second caller waits, then finds the binaries built).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE/build.lock"
  if ! flock -n 9; then
    log "another build into $CACHE is running; waiting for it"
    flock 9
  fi
fi
export GOFLAGS="-buildvcs=false -trimpath"
export CGO_ENABLED=0

have() { [ -x "$BIN/$1" ]; }

# Each step writes to a temp name and renames, so an interrupted build never leaves a half binary in the cache.
install_bin() { # <module dir> <package> <output name> <ldflags>
  local dir=$1 pkg=$2 out=$3 ld=$4
  log "building $out from $pkg"
  local t0=$SECONDS
  (cd "$dir" && go build -ldflags "$ld" -o "$BIN/.$out.tmp" "$pkg")
  mv -f "$BIN/.$out.tmp" "$BIN/$out"
  log "built $out in $((SECONDS - t0))s"
}

k8s_module() {
  local dir="$WORK/k8s-$K8S_VERSION"
  if [ ! -f "$dir/go.sum.done" ]; then
    mkdir -p "$dir"
    local staging=${K8S_VERSION/v1./v0.}
    local modfile
    modfile=$(cd "$dir" && GOFLAGS= go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')
    {
      echo "module liqo-vscode.local/testbed-k8s"
      echo
      echo "go 1.24.0"
      echo
      echo "require k8s.io/kubernetes $K8S_VERSION"
      echo
      # every k8s.io/* staging module kubernetes requires at v0.0.0 resolves to the published v0.<minor>.<patch>
      grep -E '^\s+k8s\.io/[a-z0-9-]+ v0\.0\.0$' "$modfile" | awk -v v="$staging" '{print "replace " $1 " => " $1 " " v}'
    } > "$dir/go.mod"
    cat > "$dir/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
    (cd "$dir" && go mod tidy -e >/dev/null 2>&1 || true; cd "$dir" && GOFLAGS=-mod=mod go mod download)
    touch "$dir/go.sum.done"
  fi
  echo "$dir"
}

k8s_ldflags() {
  local major minor
  major=$(echo "$K8S_VERSION" | sed -E 's/^v([0-9]+)\..*/\1/')
  minor=$(echo "$K8S_VERSION" | sed -E 's/^v[0-9]+\.([0-9]+)\..*/\1/')
  local ld="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld="$ld -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=$major -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  echo "$ld"
}

if ! have kube-apiserver || ! have kube-controller-manager || ! have kube-scheduler || ! have kubectl; then
  dir=$(k8s_module)
  ld=$(k8s_ldflags)
  have kube-apiserver || install_bin "$dir" k8s.io/kubernetes/cmd/kube-apiserver kube-apiserver "$ld"
  have kubectl || install_bin "$dir" k8s.io/kubernetes/cmd/kubectl kubectl "$ld"
  have kube-controller-manager || install_bin "$dir" k8s.io/kubernetes/cmd/kube-controller-manager kube-controller-manager "$ld"
  have kube-scheduler || install_bin "$dir" k8s.io/kubernetes/cmd/kube-scheduler kube-scheduler "$ld"
fi

if ! have etcd; then
  dir="$WORK/etcd-$ETCD_VERSION"
  mkdir -p "$dir"
  if [ ! -f "$dir/go.mod" ]; then
    cat > "$dir/go.mod" <<GOMOD
module liqo-vscode.local/testbed-etcd

go 1.24.0

require go.etcd.io/etcd/server/v3 $ETCD_VERSION
GOMOD
    # etcd's server module replaces its siblings with ../ paths; requiring them at the same release replaces that.
    for m in go.etcd.io/etcd/api/v3 go.etcd.io/etcd/client/pkg/v3 go.etcd.io/etcd/client/v3 go.etcd.io/etcd/pkg/v3; do
      echo "require $m $ETCD_VERSION" >> "$dir/go.mod"
    done
    printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' > "$dir/tools.go"
    (cd "$dir" && GOFLAGS=-mod=mod go mod tidy -e >/dev/null 2>&1 || true)
  fi
  install_bin "$dir" go.etcd.io/etcd/server/v3 etcd "-s -w"
fi

if ! have kwok || ! have kwokctl; then
  log "building kwok and kwokctl $KWOK_VERSION"
  t0=$SECONDS
  GOBIN="$WORK/kwok-gobin" go install -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION" \
    "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION" "sigs.k8s.io/kwok/cmd/kwokctl@$KWOK_VERSION"
  mv -f "$WORK/kwok-gobin/kwok" "$BIN/kwok"; mv -f "$WORK/kwok-gobin/kwokctl" "$BIN/kwokctl"
  log "built kwok and kwokctl in $((SECONDS - t0))s"
fi

if ! have liqoctl; then
  dir="$WORK/liqo-$LIQO_VERSION"
  mkdir -p "$dir"
  if [ ! -f "$dir/go.mod" ]; then
    modfile=$(cd "$dir" && GOFLAGS= go mod download -json "github.com/liqotech/liqo@$LIQO_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')
    {
      echo "module liqo-vscode.local/testbed-liqo"
      echo
      echo "go 1.24.0"
      echo
      echo "require github.com/liqotech/liqo $LIQO_VERSION"
      echo
      # copy liqo's own replace directives (virtual-kubelet fork) verbatim
      grep -E '^replace ' "$modfile" || true
      sed -n '/^replace (/,/^)/p' "$modfile"
    } > "$dir/go.mod"
    printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/liqotech/liqo/cmd/liqoctl"\n' > "$dir/tools.go"
    (cd "$dir" && GOFLAGS=-mod=mod go mod tidy -e >/dev/null 2>&1 || true)
  fi
  install_bin "$dir" github.com/liqotech/liqo/cmd/liqoctl liqoctl \
    "-s -w -X github.com/liqotech/liqo/pkg/liqoctl/version.LiqoctlVersion=$LIQO_VERSION"
fi

# The CRDs come from the same liqo module (read from the module cache, never committed).
if [ ! -d "$BIN/liqo-crds" ]; then
  src=$(cd "$WORK" && GOFLAGS= go mod download -json "github.com/liqotech/liqo@$LIQO_VERSION" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
  mkdir -p "$BIN/.liqo-crds.tmp"
  cp "$src"/deployments/liqo/charts/liqo-crds/crds/*.yaml "$BIN/.liqo-crds.tmp/"
  chmod -R u+w "$BIN/.liqo-crds.tmp"
  mv "$BIN/.liqo-crds.tmp" "$BIN/liqo-crds"
fi

echo "$BIN"
