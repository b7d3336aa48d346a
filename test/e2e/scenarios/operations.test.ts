// Scenarios of the issue whose features have not landed yet. Each becomes a real scenario (its own file, its own
// workbench via openSession) in the change that lands its feature: a feature is not resolved until it passes here.
import { test } from 'node:test';

test.todo('Rewrite Server Address… on a copy of the kubeconfig: the file changes and the cluster still connects');
