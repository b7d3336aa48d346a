//go:build tools

// Package tools pins the commands the test bed builds.
package tools

import (
	_ "github.com/liqotech/liqo/cmd/liqoctl"
	_ "github.com/liqotech/liqo/cmd/liqo-controller-manager"
	_ "github.com/liqotech/liqo/cmd/crd-replicator"
	_ "github.com/liqotech/liqo/cmd/webhook"
	_ "github.com/liqotech/liqo/cmd/virtual-kubelet"
	_ "helm.sh/helm/v3/cmd/helm"
)
