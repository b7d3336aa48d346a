// The live scenario with Liqo v1.2.0: real peering, offloading, logs and cleanup (see support/liveSuite.ts).
// test bed: live@v1.2.0
import { liveSuite } from './support/liveSuite.ts';

liveSuite('v1.2.0');
