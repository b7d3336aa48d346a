// What the view says after operations, on the live scenario with Liqo v1.2.0 (see support/afterOperationsSuite.ts).
// test bed: live@v1.2.0
import { afterOperationsSuite } from './support/afterOperationsSuite.ts';

afterOperationsSuite('v1.2.0');
