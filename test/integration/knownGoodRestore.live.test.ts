// Issue 20 on the live test bed with Liqo v1.0.1: record, drift, restore to Ready, second run empty, a cluster down.
import { knownGoodRestoreSuite } from './support/knownGoodRestoreSuite.ts';

knownGoodRestoreSuite('live+peered', 'v1.0.1');
