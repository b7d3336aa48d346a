// The live scenario with Liqo v1.0.1: real peering, offloading, logs and cleanup (see support/liveSuite.ts).
// test bed: live
import { liveSuite } from './support/liveSuite.ts';

liveSuite('v1.0.1');
