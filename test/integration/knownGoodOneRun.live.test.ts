// Issue 20's live case in one run on Liqo v1.0.1: record by itself, four changes, exactly four drift items, one restore.
import { knownGoodOneRunSuite } from './support/knownGoodOneRunSuite.ts';

knownGoodOneRunSuite('live+federated', 'v1.0.1');
