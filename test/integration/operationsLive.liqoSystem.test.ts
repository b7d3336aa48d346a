// Federation operations on the live test bed with Liqo in `liqo-system` on every cluster, as Helm users install it
// (seed 001): the same suite as operationsLive.test.ts (support/operationsSuite.ts), on `live@liqo-system`. Named so
// that it runs right before operationsLive.test.ts: one extra bring-up, no extra switch back and forth.
import { operationsSuite } from './support/operationsSuite.ts';

operationsSuite('liqo-system');
