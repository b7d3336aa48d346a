// Issue 20's live case in one run on Liqo v1.2.0: record by itself, four changes, exactly four drift items, one restore.
import { knownGoodOneRunSuite } from './support/knownGoodOneRunSuite.ts';

knownGoodOneRunSuite('live@v1.2.0+federated', 'v1.2.0');
