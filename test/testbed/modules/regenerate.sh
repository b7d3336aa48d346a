#!/usr/bin/env bash
# Maintainer tool, never run by the build: (re)creates the wrapper modules in this folder for the versions given,
# so their go.mod and go.sum can be reviewed and committed. The build (../build-binaries.sh) uses them read-only
# (-mod=readonly), so every checksum it trusts is the one committed here.
#
# Wrapper modules exist because `go install` refuses modules whose go.mod has replace directives
# (k8s.io/kubernetes, go.etcd.io/etcd/server/v3, github.com/liqotech/liqo). Liqo replaces virtual-kubelet with a
# fork (github.com/liqotech/virtual-kubelet) that the public checksum database does not list, so that one module is
# exempted from the database here (GONOSUMDB), once, and its hash is then pinned in go.sum like every other.
#
#   test/testbed/modules/regenerate.sh k8s v1.34.4 | etcd v3.6.16 | kwok v0.8.0 | liqo v1.0.1 | metrics-server v0.8.0
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kind=${1:?kind: k8s, etcd, kwok, liqo or metrics-server}
version=${2:?version, e.g. v1.0.1}
dir="$here/$kind-$version"
rm -rf "$dir"; mkdir -p "$dir"
export GOFLAGS=-mod=mod

modfile_of() { (cd "$dir" && go mod download -json "$1" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p'); }
tools() { { printf '//go:build tools\n\n// Package tools pins the commands the test bed builds.\npackage tools\n\nimport (\n'; for p in "$@"; do printf '\t_ "%s"\n' "$p"; done; printf ')\n'; } > "$dir/tools.go"; }

case "$kind" in
  k8s)
    mf=$(modfile_of "k8s.io/kubernetes@$version")
    staging=${version/v1./v0.}
    { echo "module liqo-vscode.local/testbed-k8s"; echo; echo "go 1.24.0"; echo; echo "require k8s.io/kubernetes $version"; echo
      # every k8s.io/* staging module kubernetes requires at v0.0.0 resolves to the published v0.<minor>.<patch>
      grep -E '^\s+k8s\.io/[a-z0-9-]+ v0\.0\.0$' "$mf" | awk -v v="$staging" '{print "replace " $1 " => " $1 " " v}'
    } > "$dir/go.mod"
    tools k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
    ;;
  etcd)
    { echo "module liqo-vscode.local/testbed-etcd"; echo; echo "go 1.24.0"; echo
      # etcd's server module replaces its siblings with ../ paths; requiring them at the same release replaces that.
      for m in go.etcd.io/etcd/server/v3 go.etcd.io/etcd/api/v3 go.etcd.io/etcd/client/pkg/v3 go.etcd.io/etcd/client/v3 go.etcd.io/etcd/pkg/v3; do echo "require $m $version"; done
    } > "$dir/go.mod"
    tools go.etcd.io/etcd/server/v3
    ;;
  kwok)
    { echo "module liqo-vscode.local/testbed-kwok"; echo; echo "go 1.24.0"; echo; echo "require sigs.k8s.io/kwok $version"; } > "$dir/go.mod"
    tools sigs.k8s.io/kwok/cmd/kwok
    ;;
  liqo)
    mf=$(modfile_of "github.com/liqotech/liqo@$version")
    helm=$(awk '$1=="helm.sh/helm/v3"{print $2}' "$mf")
    { echo "module liqo-vscode.local/testbed-liqo"; echo; echo "go 1.24.0"; echo; echo "require github.com/liqotech/liqo $version"; echo
      # Liqo's own replace directives (the virtual-kubelet fork), verbatim
      grep -E '^replace ' "$mf" || true
      sed -n '/^replace (/,/^)/p' "$mf"
    } > "$dir/go.mod"
    # helm comes from the same module graph as Liqo (helm template of Liqo's chart)
    tools github.com/liqotech/liqo/cmd/liqoctl github.com/liqotech/liqo/cmd/liqo-controller-manager \
      github.com/liqotech/liqo/cmd/crd-replicator github.com/liqotech/liqo/cmd/webhook \
      github.com/liqotech/liqo/cmd/virtual-kubelet helm.sh/helm/v3/cmd/helm
    [ -n "$helm" ] || { echo "liqo $version does not require helm.sh/helm/v3" >&2; exit 1; }
    ;;
  metrics-server)
    { echo "module liqo-vscode.local/testbed-metrics-server"; echo; echo "go 1.24.0"; echo; echo "require sigs.k8s.io/metrics-server $version"; } > "$dir/go.mod"
    tools sigs.k8s.io/metrics-server/cmd/metrics-server
    ;;
  *) echo "unknown kind $kind" >&2; exit 2 ;;
esac
# The fork is the one module the checksum database does not list (see above).
(cd "$dir" && GONOSUMDB=github.com/liqotech/virtual-kubelet go mod tidy)
echo "wrote $dir" >&2
