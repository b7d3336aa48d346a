// Issue 20 on the live test bed with Liqo v1.2.0: record, drift, restore to Ready, second run empty, a cluster down.
import { knownGoodRestoreSuite } from './support/knownGoodRestoreSuite.ts';

knownGoodRestoreSuite('live@v1.2.0+peered', 'v1.2.0');
