#!/usr/bin/env bash
# Builds the test bed's binaries from their upstream Go modules and caches them outside the repository, keyed by
# version, so a warm run costs nothing. Prints the bin directory on the last line of stdout; progress on stderr.
#
# Each binary is built from a wrapper module committed under modules/ (go.mod + go.sum + tools.go), read-only:
# every checksum is the one in the repository, and an incomplete go.sum fails the build here and in CI, whatever
# the caches hold. modules/regenerate.sh (maintainers only) makes a wrapper for a new version.
#
#   build-binaries.sh                   Kubernetes, etcd, kwok, liqoctl and Liqo's CRDs
#   build-binaries.sh --control-plane   also Liqo's controller-manager, crd-replicator, webhook, virtual-kubelet,
#                                       helm and Liqo's chart (the live scenario)
#   build-binaries.sh --metrics-server  also metrics-server (the scenarios with metrics; flags can be combined)
# TESTBED_LIQO_VERSION picks the Liqo release (v1.0.1 by default; a modules/liqo-<version> wrapper must exist).
set -euo pipefail

K8S_VERSION=${TESTBED_K8S_VERSION:-v1.34.4}
ETCD_VERSION=${TESTBED_ETCD_VERSION:-v3.6.16}
KWOK_VERSION=${TESTBED_KWOK_VERSION:-v0.8.0}
LIQO_VERSION=${TESTBED_LIQO_VERSION:-v1.0.1}
METRICS_SERVER_VERSION=${TESTBED_METRICS_SERVER_VERSION:-v0.8.0}
CONTROL_PLANE=false
METRICS_SERVER=false
for arg in "$@"; do
  case "$arg" in
    --control-plane) CONTROL_PLANE=true ;;
    --metrics-server) METRICS_SERVER=true ;;
  esac
done
MODULES=$(cd "$(dirname "$0")/modules" && pwd)

# --verify-modules: check that every committed wrapper module's go.sum is complete (CI runs this even when the
# binaries are cached, so a go.sum that only works on a warm module cache fails here, not on a user's machine).
if [ "${1:-}" = "--verify-modules" ]; then
  if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then export PATH="/usr/local/go/bin:$PATH"; fi
  status=0
  for dir in "$MODULES"/*/; do
    [ -f "$dir/go.mod" ] || continue
    # the commands tools.go pins, with everything they import
    mapfile -t pkgs < <(sed -n 's/^\t_ "\(.*\)"$/\1/p' "$dir/tools.go")
    if out=$(cd "$dir" && GOFLAGS=-mod=readonly go list -deps "${pkgs[@]}" 2>&1 >/dev/null); then
      printf '[testbed build] module %s: go.sum complete\n' "$(basename "$dir")" >&2
    else
      printf '%s\n[testbed build] FAILED: module %s: go.sum incomplete or module unavailable (see above)\n' "$out" "$(basename "$dir")" >&2
      status=1
    fi
  done
  exit $status
fi
CACHE=${LIQO_TESTBED_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/liqo-vscode-testbed}
BASE="$CACHE/bin/k8s-$K8S_VERSION.etcd-$ETCD_VERSION.kwok-$KWOK_VERSION"
LIQO="$CACHE/bin/liqo-$LIQO_VERSION"
METRICS="$CACHE/bin/metrics-server-$METRICS_SERVER_VERSION"
# The directory callers use: the base binaries and one Liqo release side by side (symlinks).
BIN="$CACHE/bin/k8s-$K8S_VERSION.etcd-$ETCD_VERSION.kwok-$KWOK_VERSION.liqo-$LIQO_VERSION"

log() { printf '[testbed build] %s\n' "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }

base_bins=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok)
liqo_bins=(liqoctl)
$CONTROL_PLANE && liqo_bins+=(liqo-controller-manager crd-replicator webhook virtual-kubelet helm)

# The list of steps still to do, so progress can say "step i of n". Computed again once the lock is held: a build
# that waited for another one must not redo what that one built.
plan_steps() {
  steps=()
  for b in "${base_bins[@]}"; do [ -x "$BASE/$b" ] || steps+=("base:$b"); done
  for b in "${liqo_bins[@]}"; do [ -x "$LIQO/$b" ] || steps+=("liqo:$b"); done
  [ -d "$LIQO/liqo-crds" ] || steps+=("crds")
  if $CONTROL_PLANE && [ ! -d "$LIQO/liqo-chart" ]; then steps+=("chart"); fi
  if $METRICS_SERVER && [ ! -x "$METRICS/metrics-server" ]; then steps+=("metrics-server"); fi
  return 0
}
plan_steps

link_all() {
  mkdir -p "$BIN"
  for b in "${base_bins[@]}"; do ln -sfn "$BASE/$b" "$BIN/$b"; done
  for b in "${liqo_bins[@]}" liqo-crds; do ln -sfn "$LIQO/$b" "$BIN/$b"; done
  $CONTROL_PLANE && ln -sfn "$LIQO/liqo-chart" "$BIN/liqo-chart"
  $METRICS_SERVER && ln -sfn "$METRICS/metrics-server" "$BIN/metrics-server"
  return 0
}

if [ ${#steps[@]} -eq 0 ]; then
  link_all
  echo "$BIN"
  exit 0
fi

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then export PATH="/usr/local/go/bin:$PATH"; fi
command -v go >/dev/null 2>&1 || { log "Go toolchain not found on PATH (nor in /usr/local/go/bin). Install Go >= 1.24 and retry."; exit 3; }
wrappers=("k8s-$K8S_VERSION" "etcd-$ETCD_VERSION" "kwok-$KWOK_VERSION" "liqo-$LIQO_VERSION")
$METRICS_SERVER && wrappers+=("metrics-server-$METRICS_SERVER_VERSION")
for m in "${wrappers[@]}"; do
  [ -f "$MODULES/$m/go.sum" ] || fail "no wrapper module $MODULES/$m (make one with modules/regenerate.sh ${m%%-*} ${m#*-} and commit it)"
done

mkdir -p "$BASE" "$LIQO" "$METRICS" "$CACHE"
# One build at a time per cache (a second caller waits, then finds the binaries built).
exec 9>"$CACHE/build.lock"
if ! flock -n 9; then log "another build into $CACHE is running; waiting for it"; flock 9; fi
plan_steps
if [ ${#steps[@]} -eq 0 ]; then
  link_all
  echo "$BIN"
  exit 0
fi

export GOFLAGS="-mod=readonly -buildvcs=false -trimpath"
export CGO_ENABLED=0
started=$SECONDS
total=${#steps[@]}
n=0
elapsed() { local s=$((SECONDS - started)); printf '%dm%02ds' $((s / 60)) $((s % 60)); }
begin() { n=$((n + 1)); log "step $n/$total ($(elapsed) elapsed): $*"; }

# go build into a temp name, then rename: an interrupted build never leaves a half binary in the cache. The
# output of a failing build is printed whole with the step that failed.
build() { # <module dir> <package> <output path> <ldflags>
  local dir=$1 pkg=$2 out=$3 ld=$4 t0=$SECONDS outlog
  outlog=$(mktemp)
  if ! (cd "$dir" && go build -ldflags "$ld" -o "$out.tmp" "$pkg") >"$outlog" 2>&1; then
    cat "$outlog" >&2; rm -f "$outlog" "$out.tmp"
    fail "step $n/$total: go build $pkg in $dir"
  fi
  rm -f "$outlog"
  mv -f "$out.tmp" "$out"
  log "  built $(basename "$out") in $((SECONDS - t0))s"
}

module_dir() { # <module path>@<version> in the wrapper's graph → its directory in the module cache
  local dir=$1 mod=$2 out
  out=$(cd "$dir" && go list -m -json "$mod" 2>&1) || { printf '%s\n' "$out" >&2; fail "go list -m $mod in $dir"; }
  printf '%s\n' "$out" | sed -n 's/.*"Dir": "\(.*\)",/\1/p'
}

major=$(echo "$K8S_VERSION" | sed -E 's/^v([0-9]+)\..*/\1/')
minor=$(echo "$K8S_VERSION" | sed -E 's/^v[0-9]+\.([0-9]+)\..*/\1/')
k8s_ld="-s -w"
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  k8s_ld="$k8s_ld -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=$major -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
done
liqo_ld="-s -w -X github.com/liqotech/liqo/pkg/liqoctl/version.LiqoctlVersion=$LIQO_VERSION"

for step in "${steps[@]}"; do
  case "$step" in
    base:kube-*|base:kubectl)
      b=${step#base:}; begin "$b $K8S_VERSION"
      build "$MODULES/k8s-$K8S_VERSION" "k8s.io/kubernetes/cmd/$b" "$BASE/$b" "$k8s_ld" ;;
    base:etcd)
      begin "etcd $ETCD_VERSION"
      build "$MODULES/etcd-$ETCD_VERSION" go.etcd.io/etcd/server/v3 "$BASE/etcd" "-s -w" ;;
    base:kwok)
      begin "kwok $KWOK_VERSION"
      build "$MODULES/kwok-$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok "$BASE/kwok" "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION" ;;
    metrics-server)
      begin "metrics-server $METRICS_SERVER_VERSION"
      build "$MODULES/metrics-server-$METRICS_SERVER_VERSION" sigs.k8s.io/metrics-server/cmd/metrics-server "$METRICS/metrics-server" \
        "-s -w -X k8s.io/client-go/pkg/version.gitVersion=$METRICS_SERVER_VERSION" ;;
    liqo:helm)
      begin "helm (Liqo $LIQO_VERSION's module graph)"
      build "$MODULES/liqo-$LIQO_VERSION" helm.sh/helm/v3/cmd/helm "$LIQO/helm" "-s -w" ;;
    liqo:*)
      b=${step#liqo:}; begin "$b $LIQO_VERSION"
      build "$MODULES/liqo-$LIQO_VERSION" "github.com/liqotech/liqo/cmd/$b" "$LIQO/$b" "$liqo_ld" ;;
    crds|chart)
      # Liqo's CRDs and chart come from the same liqo module (read from the module cache, never committed).
      begin "Liqo $LIQO_VERSION's $step"
      src=$(module_dir "$MODULES/liqo-$LIQO_VERSION" "github.com/liqotech/liqo")
      [ -d "$src/deployments/liqo" ] || fail "Liqo's module has no deployments/liqo in '$src'"
      if [ "$step" = crds ]; then target="$LIQO/liqo-crds"; from="$src/deployments/liqo/charts/liqo-crds/crds"; else target="$LIQO/liqo-chart"; from="$src/deployments/liqo"; fi
      rm -rf "$target.tmp"; mkdir -p "$target.tmp"
      cp -R "$from"/. "$target.tmp/"
      chmod -R u+w "$target.tmp"
      rm -rf "$target"; mv "$target.tmp" "$target" ;;
  esac
done
log "done: $total step(s) in $(elapsed)"
link_all
echo "$BIN"
