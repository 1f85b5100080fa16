// App Home: what re-rendering one person's tab costs (it runs for every recent opener after each store change), beside
// the floor — one bare pass over the same stored proposals. In-process; the store is the realistic fixture, in which
// every conversation awaits a reply (the longest lists the tab can have).
import { homeView } from '../src/blocks/home.js';
import { fingerprintOf } from '../src/services/home.js';
import { buildHomeOverview } from '../src/services/home-overview.js';
import { storeDataWithProposals } from '../test/helpers/store-fixtures.js';
import { percentile, row } from './support.js';

const SIZES = [1000, 10_000, 50_000];
const RUNS = 21;
const RULES = { jobIds: null, hiringChannel: 'C0HIRING01' };

function median(run: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return percentile(
    times.sort((a, b) => a - b),
    50,
  );
}

export async function benchHome(): Promise<string[]> {
  const lines = ['App Home: one tab re-rendered (overview + view + fingerprint), median of 21'];
  for (const size of SIZES) {
    const data = storeDataWithProposals(size);
    const links = new Map<string, string>();
    const tab = median(() =>
      fingerprintOf(homeView(buildHomeOverview({ data, userId: 'U0REVIEW03', canAct: true, rules: RULES }), links)),
    );
    const floor = median(() => {
      let votes = 0;
      for (const stored of Object.values(data.proposals)) for (const _ in stored.votes) votes += 1;
      return votes;
    });
    lines.push(
      row(
        `${size.toLocaleString('en-US')} proposals: tab / bare scan`,
        `${tab.toFixed(1)} / ${floor.toFixed(1)} ms`,
        size === 10_000 ? '≤ 20 ms per tab, ≤ 5× the scan' : '—',
      ),
    );
  }
  return lines;
}
