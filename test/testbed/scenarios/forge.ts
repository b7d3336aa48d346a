// Builders of the objects a Liqo v1.0.1 installation and its peerings consist of, with Liqo's own field names,
// enums, labels and condition reasons (apis/*, pkg/consts, the Helm chart and the controllers' status code).
// The scenarios compose them; nothing here talks to a cluster. (The server applies them with strict field
// validation, so a field Liqo's CRD schemas do not know fails the scenario.)
export * from './forge/common.ts';
export * from './forge/installation.ts';
export * from './forge/networking.ts';
export * from './forge/offloading.ts';
export * from './forge/peering.ts';
export * from './forge/workloads.ts';
