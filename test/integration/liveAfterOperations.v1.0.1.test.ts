// What the view says after operations, on the live scenario with Liqo v1.0.1 (see support/afterOperationsSuite.ts).
// test bed: live
import { afterOperationsSuite } from './support/afterOperationsSuite.ts';

afterOperationsSuite('v1.0.1');
