// Federation operations on the live test bed with Liqo in its default namespace `liqo` (see support/operationsSuite.ts).
// test bed: live
import { operationsSuite } from './support/operationsSuite.ts';

operationsSuite('liqo');
