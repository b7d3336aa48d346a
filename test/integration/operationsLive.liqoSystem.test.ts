// Federation operations on the live test bed with Liqo in `liqo-system` on every cluster, as Helm users install it
// (seed 001): the same suite as operationsLive.test.ts (support/operationsSuite.ts), on `live@liqo-system`.
// test bed: live@liqo-system
import { operationsSuite } from './support/operationsSuite.ts';

operationsSuite('liqo-system');
