// Child process for the crash test in test/unit/store.test.ts: opens the store at argv[2] (creating it with
// argv[3] proposals if empty), then rewrites it forever, stamping every proposal and `health.lastSyncAt` with the
// same generation so a reader can tell a whole snapshot from a torn one. The parent SIGKILLs it at random moments.
import { Store } from '../../src/store/store.js';
import { storeDataWithProposals } from './store-fixtures.js';

const [file, countText] = process.argv.slice(2);
if (!file || !countText) throw new Error('usage: store-crash-writer <file> <proposal count>');

const store = await Store.open({ file, flushDelayMs: 0 });
if (store.recovered) {
  process.stdout.write(`recovered ${JSON.stringify(store.recovered)}\n`);
  process.exit(2);
}
if (Object.keys(store.data.proposals).length === 0) {
  const seed = storeDataWithProposals(Number(countText));
  store.change((data) => Object.assign(data, seed));
}
let generation = Number(store.data.health.lastSyncAt ?? 0);
for (;;) {
  generation += 1;
  const stamp = String(generation);
  store.change((data) => {
    for (const stored of Object.values(data.proposals)) stored.proposal.updatedAt = stamp;
    data.health.lastSyncAt = stamp;
  });
  await store.flush();
  process.stdout.write(`wrote ${generation}\n`);
}
